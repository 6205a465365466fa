/* The bodies of the event-loop adapters' tests, against the in-process
 * odoo-mock on every protocol (the gateway through the mock's own
 * routes). Timings are loose bounds. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo_mock.h>

#include "../unit/scenario.h"

#include "loops.h"

/* The drivers of the loops not built. */
#ifndef ODOO_HAVE_UV
const loop_driver *loops_uv;
#endif
#ifndef ODOO_HAVE_EVENT
const loop_driver *loops_event;
#endif

static odoo_mock *mock;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

/* The protocols and their call paths: tests/unit/target.c. */
typedef test_proto proto;
#define protos test_protos
#define NPROTOS TEST_NPROTOS
#define XMLRPC (&protos[0])
#define JSON2 (&protos[3])

static void inject(const char *spec)
{
    cr_assert_eq(odoo_mock_inject(mock, spec), 0, "bad fault %s", spec);
}

/* What a callback saw. */
typedef struct slot {
    int calls;
    long at_ms;             /* when it was called back */
    odoo_error_kind kind;
    json_object *result;
    char message[256];
} slot;

static void on_done(json_object *result, const odoo_rpc_error *e, void *userdata)
{
    slot *s = userdata;
    s->calls++;
    s->at_ms = test_now_ms();
    s->kind = e ? e->kind : ODOO_OK;
    if (e && e->message)
        snprintf(s->message, sizeof(s->message), "%s", e->message);
    json_object_put(s->result);
    s->result = result;
}

static void slot_clear(slot *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_object_put(s[i].result);
    memset(s, 0, n * sizeof(*s));
}

static int add_count_cb(odoo_multi *m, odoo_protocol *p, const odoo_call_options *o, odoo_multi_callback cb,
                        slot *s)
{
    json_object *args = json_object_new_array();
    json_object_array_add(args, json_object_new_array()); /* domain [] */
    int rc = odoo_multi_add(m, p, "res.partner", "search_count", NULL, args, NULL, o, cb, s, &err);
    json_object_put(args); /* the multi keeps its own reference */
    return rc;
}

static int add_count(odoo_multi *m, odoo_protocol *p, const odoo_call_options *o, slot *s)
{
    return add_count_cb(m, p, o, on_done, s);
}

static int64_t partners(void)
{
    odoo_protocol *p = test_proto_connect(mock, XMLRPC, 0, 0, &err);
    int64_t n = 0;
    cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
    odoo_close(p);
    return n;
}

static odoo_multi *new_multi(long host_cap)
{
    odoo_multi_options mo = ODOO_MULTI_OPTIONS_INIT;
    mo.max_host_connections = host_cap;
    odoo_multi *m = NULL;
    cr_assert_eq(odoo_multi_new(&m, &mo, &err), 0, "%s", err.message);
    return m;
}

void loops_hundred_calls(const loop_driver *d)
{
    mock = test_mock_start(0, 0);
    int64_t expected = partners();
    enum { PER = 2, NCONN = NPROTOS * PER, N = 100 };
    odoo_protocol *conns[NCONN];
    for (size_t i = 0; i < NCONN; i++)
        conns[i] = test_proto_connect(mock, &protos[i / PER], 0, 0, &err); /* fresh: the web sessions log in inside */
    void *loop = d->open();
    odoo_multi *m = new_multi(0);
    static slot s[N];
    /* half before attaching, half after: both start from the loop */
    for (int i = 0; i < N / 2; i++)
        cr_assert_eq(add_count(m, conns[i % NCONN], NULL, &s[i]), 0, "add %d: %s", i, err.message);
    cr_assert_eq(d->attach(m, loop, &err), 0, "%s: %s", d->name, err.message);
    for (int i = N / 2; i < N; i++)
        cr_assert_eq(add_count(m, conns[i % NCONN], NULL, &s[i]), 0, "add %d: %s", i, err.message);
    cr_expect_eq(s[0].calls, 0, "nothing runs before the loop");
    cr_expect_eq(d->run(loop), 0, "%s ran dry once the calls were done", d->name);
    cr_expect_eq(odoo_multi_running(m), 0, "every call finished when the loop returned");
    for (int i = 0; i < N; i++) {
        const proto *pr = &protos[(i % NCONN) / PER];
        cr_expect_eq(s[i].calls, 1, "%s call %d: called back %d times", pr->name, i, s[i].calls);
        cr_expect_eq(s[i].kind, ODOO_OK, "%s call %d: %s", pr->name, i, s[i].message);
        cr_expect_eq(json_object_get_int64(s[i].result), expected, "%s call %d", pr->name, i);
    }
    d->detach(m);
    odoo_multi_free(m);
    cr_expect_eq(d->close(loop), 0, "%s: no handle or event left", d->name);
    slot_clear(s, N);
    for (size_t i = 0; i < NCONN; i++)
        odoo_close(conns[i]);
    test_mock_stop(&mock, &err);
}

void loops_attach_twice_and_detach(const loop_driver *d, const loop_driver *other)
{
    mock = test_mock_start(0, 0);
    odoo_protocol *p = test_proto_connect(mock, JSON2, 0, 0, &err);
    void *loop = d->open(), *loop2 = d->open();
    odoo_multi *m = new_multi(0);
    cr_expect_eq(d->attach(NULL, loop, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(d->attach(m, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(d->attach(m, loop, &err), 0, "%s", err.message);
    cr_expect_eq(d->attach(m, loop, &err), ODOO_ERR_INVALID_ARGUMENT, "the same loop twice");
    cr_expect(err.message && strstr(err.message, "attached"), "%s", err.message);
    cr_expect_eq(d->attach(m, loop2, &err), ODOO_ERR_INVALID_ARGUMENT, "another loop");
    if (other) {
        void *ol = other->open();
        cr_expect_eq(other->attach(m, ol, &err), ODOO_ERR_INVALID_ARGUMENT, "%s after %s", other->name,
                     d->name);
        other->detach(m); /* not its adapter: nothing done */
        cr_expect_eq(other->close(ol), 0);
    }
    /* detach, attach again, a call runs through the new loop */
    d->detach(m);
    d->detach(m); /* nothing attached: nothing done */
    cr_assert_eq(d->attach(m, loop2, &err), 0, "attach after detach: %s", err.message);
    slot s[1] = { 0 };
    cr_assert_eq(add_count(m, p, NULL, &s[0]), 0, "%s", err.message);
    cr_expect_eq(d->run(loop2), 0);
    cr_expect_eq(s[0].calls, 1);
    cr_expect_eq(s[0].kind, ODOO_OK, "%s", s[0].message);
    /* detach, then free */
    d->detach(m);
    odoo_multi_free(m);
    cr_expect_eq(d->close(loop), 0, "%s: the first loop has nothing left", d->name);
    cr_expect_eq(d->close(loop2), 0, "%s: the second loop has nothing left", d->name);
    slot_clear(s, 1);
    odoo_close(p);
    test_mock_stop(&mock, &err);
}

static odoo_multi *freed_from_callback;

static void free_multi_when_done(json_object *result, const odoo_rpc_error *e, void *userdata)
{
    on_done(result, e, userdata);
    odoo_multi_free(freed_from_callback); /* deferred until the socket action returns */
    odoo_multi_free(freed_from_callback); /* still pending: once is all it takes */
}

void loops_free_inside_callback(const loop_driver *d)
{
    mock = test_mock_start(0, 0);
    enum { SLOW = 3 };
    odoo_protocol *fast = test_proto_connect(mock, XMLRPC, 0, 0, &err), *slow[SLOW];
    for (int i = 0; i < SLOW; i++)
        slow[i] = test_proto_connect(mock, JSON2, 0, 0, &err);
    inject("latency:ms=2000,count=0,path=/json/2/");
    void *loop = d->open();
    odoo_multi *m = freed_from_callback = new_multi(0);
    cr_assert_eq(d->attach(m, loop, &err), 0, "%s", err.message);
    slot s[SLOW + 2] = { 0 };
    for (int i = 0; i < SLOW; i++)
        cr_assert_eq(add_count(m, slow[i], NULL, &s[i]), 0, "%s", err.message);
    cr_assert_eq(add_count_cb(m, fast, NULL, free_multi_when_done, &s[SLOW]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, fast, NULL, &s[SLOW + 1]), 0, "%s", err.message); /* queued behind it */
    long t0 = test_now_ms();
    cr_expect_eq(d->run(loop), 0, "%s ran dry after the free", d->name);
    cr_expect_lt(test_now_ms() - t0, 1500, "the slow transfers were aborted, not waited for");
    cr_expect_eq(s[SLOW].kind, ODOO_OK, "the call that freed the multi: %s", s[SLOW].message);
    cr_expect_eq(s[SLOW + 1].kind, ODOO_ERR_CANCELLED, "the one queued behind it: %s", s[SLOW + 1].message);
    for (int i = 0; i < SLOW; i++)
        cr_expect_eq(s[i].kind, ODOO_ERR_CANCELLED, "slow %d: %s", i, s[i].message);
    for (int i = 0; i < SLOW + 2; i++)
        cr_expect_eq(s[i].calls, 1, "call %d called back once", i);
    cr_expect_eq(d->close(loop), 0, "%s: no handle or event left", d->name);
    slot_clear(s, SLOW + 2);
    odoo_close(fast);
    for (int i = 0; i < SLOW; i++)
        odoo_close(slow[i]);
    test_mock_stop(&mock, &err);
}

void loops_free_while_attached(const loop_driver *d)
{
    mock = test_mock_start(0, 0);
    odoo_protocol *p = test_proto_connect(mock, JSON2, 0, 0, &err), *q = test_proto_connect(mock, JSON2, 0, 0, &err);
    inject("latency:ms=2000,count=0,path=/json/2/");
    void *loop = d->open();
    odoo_multi *m = new_multi(0);
    cr_assert_eq(d->attach(m, loop, &err), 0, "%s", err.message);
    slot s[3] = { 0 };
    cr_assert_eq(add_count(m, p, NULL, &s[0]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, p, NULL, &s[1]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, q, NULL, &s[2]), 0, "%s", err.message);
    d->run_for(loop, 150); /* the transfers are in flight: their sockets watched */
    cr_expect_eq(s[0].calls, 0);
    odoo_multi_free(m); /* no detach: the free releases the adapter */
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(s[i].calls, 1, "call %d called back once", i);
        cr_expect_eq(s[i].kind, ODOO_ERR_CANCELLED, "%d: %s", i, s[i].message);
    }
    cr_expect_eq(d->close(loop), 0, "%s: no handle or event left", d->name);
    slot_clear(s, 3);
    odoo_close(p);
    odoo_close(q);
    test_mock_stop(&mock, &err);
}

void loops_call_timeouts(const loop_driver *d)
{
    mock = test_mock_start(0, 0);
    odoo_protocol *slow = test_proto_connect(mock, JSON2, 0, 0, &err);
    odoo_protocol *other = test_proto_connect(mock, JSON2, 0, 0, &err);
    odoo_protocol *fast = test_proto_connect(mock, XMLRPC, 0, 0, &err);
    inject("latency:ms=600,count=0,path=/json/2/");
    void *loop = d->open();
    odoo_multi *m = new_multi(0);
    cr_assert_eq(d->attach(m, loop, &err), 0, "%s", err.message);
    odoo_call_options timed = ODOO_CALL_OPTIONS_INIT;
    timed.timeout_ms = 150;
    slot s[4] = { 0 };
    long t0 = test_now_ms();
    cr_assert_eq(add_count(m, other, NULL, &s[0]), 0, "%s", err.message);   /* 600 ms, no limit */
    cr_assert_eq(add_count(m, slow, &timed, &s[1]), 0, "%s", err.message);  /* in flight past its limit */
    cr_assert_eq(add_count(m, other, &timed, &s[2]), 0, "%s", err.message); /* queued past its limit */
    cr_assert_eq(add_count(m, fast, &timed, &s[3]), 0, "%s", err.message);  /* within it */
    cr_expect_eq(d->run(loop), 0);
    cr_expect_eq(s[0].kind, ODOO_OK, "%s", s[0].message);
    cr_expect_geq(s[0].at_ms - t0, 550, "the unlimited call waited for the latency");
    cr_expect_eq(s[1].kind, ODOO_ERR_TIMEOUT, "in flight: %s", s[1].message);
    cr_expect_eq(s[2].kind, ODOO_ERR_TIMEOUT, "queued: %s", s[2].message);
    cr_expect_eq(s[3].kind, ODOO_OK, "%s", s[3].message);
    for (int i = 1; i <= 2; i++)
        cr_expect_lt(s[i].at_ms - t0, 500, "call %d ended on its 150 ms limit, by the loop's timer (%ld ms)", i,
                     s[i].at_ms - t0);
    for (int i = 0; i < 4; i++)
        cr_expect_eq(s[i].calls, 1, "call %d called back once", i);
    d->detach(m);
    odoo_multi_free(m);
    cr_expect_eq(d->close(loop), 0);
    slot_clear(s, 4);
    odoo_close(slow);
    odoo_close(other);
    odoo_close(fast);
    test_mock_stop(&mock, &err);
}

void loops_calls_overlap(const loop_driver *d)
{
    mock = test_mock_start(0, 0);
    enum { N = 16, LATENCY = 50 };
    odoo_protocol *conns[N];
    for (int i = 0; i < N; i++) {
        conns[i] = test_proto_connect(mock, JSON2, 0, 0, &err);
        int64_t n; /* warm: the TCP connection and the key check are not what is measured */
        cr_assert_eq(odoo_search_count(&n, conns[i], "res.partner", NULL, &err), 0, "%s", err.message);
    }
    inject("latency:ms=50,count=0,path=/json/2/");
    void *loop = d->open();
    odoo_multi *m = new_multi(N);
    cr_assert_eq(d->attach(m, loop, &err), 0, "%s", err.message);
    slot s[N] = { 0 };
    for (int i = 0; i < N; i++)
        cr_assert_eq(add_count(m, conns[i], NULL, &s[i]), 0, "%s", err.message);
    long t0 = test_now_ms();
    cr_expect_eq(d->run(loop), 0);
    long took = test_now_ms() - t0;
    for (int i = 0; i < N; i++)
        cr_expect_eq(s[i].kind, ODOO_OK, "%d: %s", i, s[i].message);
    cr_expect_geq(took, LATENCY, "%ld ms", took);
    cr_expect_lt(took, N * LATENCY / 2, "16 calls of 50 ms overlapped (%ld ms; one after another: %d)", took,
                 N * LATENCY);
    d->detach(m);
    odoo_multi_free(m);
    cr_expect_eq(d->close(loop), 0);
    slot_clear(s, N);
    for (int i = 0; i < N; i++)
        odoo_close(conns[i]);
    test_mock_stop(&mock, &err);
}
