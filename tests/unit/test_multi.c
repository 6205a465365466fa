/* odoo_multi (issue 13): many calls in flight on libcurl's multi
 * interface, each one the sequence a blocking call runs (login, key
 * fallback, re-login, retries, limits), against odoo-mock on every
 * protocol (the gateway through the mock's own routes). Timings are loose
 * bounds: performance belongs to the bench. */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo/sys/protocol.h>
#include <odoo_mock.h>

#include "scenario.h"

static odoo_mock *mock;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

/* The protocols and their call paths: tests/unit/target.c. */
typedef test_proto proto;
#define protos test_protos
#define NPROTOS TEST_NPROTOS
#define XMLRPC (&protos[0])
#define JSONRPC (&protos[1])
#define STATELESS (&protos[2])
#define JSON2 (&protos[3])

static void inject(const char *spec)
{
    cr_assert_eq(odoo_mock_inject(mock, spec), 0, "bad fault %s", spec);
}

static unsigned long faults(void)
{
    odoo_mock_stats st;
    odoo_mock_get_stats(mock, &st);
    return st.faults;
}

static odoo_protocol *open_with(const proto *pr, const char *key, const char *password, int retries)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    test_proto_options(mock, pr, &o);
    o.password = password;
    o.api_key = key;
    o.proxy_retries = retries;
    o.proxy_retry_backoff_ms = 50;
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, pr->kind, &o, &err), 0, "%s: %s", pr->name, err.message);
    return p;
}

static odoo_protocol *open_proto(const proto *pr)
{
    return open_with(pr, ODOO_MOCK_ADMIN_API_KEY, ODOO_MOCK_ADMIN_PASSWORD, 0);
}

/* What a callback saw. */
typedef struct slot {
    int calls;
    int order;              /* the how-many-th callback it was */
    odoo_error_kind kind;
    json_object *result;
    char message[256];
} slot;

static int callbacks;

static void on_done(json_object *result, const odoo_rpc_error *e, void *userdata)
{
    slot *s = userdata;
    s->calls++;
    s->order = ++callbacks;
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

static json_object *count_args(void)
{
    json_object *args = json_object_new_array();
    json_object_array_add(args, json_object_new_array()); /* domain [] */
    return args;
}

static int add_count(odoo_multi *m, odoo_protocol *p, const odoo_call_options *o, slot *s)
{
    json_object *args = count_args();
    int rc = odoo_multi_add(m, p, "res.partner", "search_count", NULL, args, NULL, o, on_done, s, &err);
    json_object_put(args); /* the multi keeps its own reference */
    return rc;
}

static int64_t partners(void)
{
    odoo_protocol *p = open_proto(XMLRPC);
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

Test(multi, hundred_calls_on_every_protocol_with_logins_inside, .timeout = 60)
{
    mock = test_mock_start(0, 0);
    int64_t expected = partners();
    enum { PER = 2, N = 100 };
    odoo_protocol *conns[NPROTOS * PER];
    for (size_t i = 0; i < NPROTOS * PER; i++)
        conns[i] = open_proto(&protos[i / PER]); /* fresh: each logs in inside its first call */
    odoo_multi *m = new_multi(0);
    static slot s[N];
    callbacks = 0;
    for (int i = 0; i < N; i++)
        cr_assert_eq(add_count(m, conns[i % (NPROTOS * PER)], NULL, &s[i]), 0, "add %d: %s", i, err.message);
    cr_expect_eq(odoo_multi_running(m), N);
    cr_expect_eq(s[0].calls, 0, "nothing runs before perform");
    cr_assert_eq(odoo_multi_perform(m, 30000, &err), 0, "%s", err.message);
    cr_expect_eq(odoo_multi_running(m), 0);
    for (int i = 0; i < N; i++) {
        const proto *pr = &protos[(i % (NPROTOS * PER)) / PER];
        cr_expect_eq(s[i].calls, 1, "%s call %d: called back %d times", pr->name, i, s[i].calls);
        cr_expect_eq(s[i].kind, ODOO_OK, "%s call %d: %s", pr->name, i, s[i].message);
        cr_expect_eq(json_object_get_int64(s[i].result), expected, "%s call %d", pr->name, i);
    }
    for (size_t i = 0; i < NPROTOS * PER; i++)
        if (protos[i / PER].kind != ODOO_PROTOCOL_JSON2 && protos[i / PER].kind != ODOO_PROTOCOL_ODXPROXY)
            cr_expect_gt(odoo_uid(conns[i]), 0, "%s logged in inside the multi", protos[i / PER].name);
    odoo_multi_free(m);
    slot_clear(s, N);
    for (size_t i = 0; i < NPROTOS * PER; i++)
        odoo_close(conns[i]);
    test_mock_stop(&mock, &err);
}

Test(multi, key_fallback_inside, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    const proto *both[] = { XMLRPC, STATELESS };
    odoo_protocol *p[2];
    slot s[2] = { 0 };
    odoo_multi *m = new_multi(0);
    for (int i = 0; i < 2; i++) {
        p[i] = open_with(both[i], ODOO_MOCK_EXPIRED_API_KEY, ODOO_MOCK_ADMIN_PASSWORD, 0);
        cr_assert_eq(add_count(m, p[i], NULL, &s[i]), 0, "%s", err.message);
    }
    cr_assert_eq(odoo_multi_perform(m, 10000, &err), 0, "%s", err.message);
    for (int i = 0; i < 2; i++) {
        cr_expect_eq(s[i].kind, ODOO_OK, "%s: %s", both[i]->name, s[i].message);
        const char *used = odoo_protocol_login_secret(p[i]);
        cr_expect(used && strcmp(used, ODOO_MOCK_ADMIN_PASSWORD) == 0, "%s: the password after the key",
                  both[i]->name);
        odoo_close(p[i]);
    }
    odoo_multi_free(m);
    slot_clear(s, 2);
    test_mock_stop(&mock, &err);
}

Test(multi, expired_web_session_renewed_inside, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    odoo_protocol *p = open_with(JSONRPC, NULL, ODOO_MOCK_ADMIN_PASSWORD, 0);
    cr_assert_eq(odoo_authenticate(NULL, p, &err), 0, "%s", err.message);
    inject("session_expiry:calls=1"); /* every session serves one call */
    inject("latency:ms=1,count=0,path=/web/session/authenticate"); /* counts the logins */
    unsigned long before = faults();
    odoo_multi *m = new_multi(0);
    slot s[3] = { 0 };
    for (int i = 0; i < 3; i++)
        cr_assert_eq(add_count(m, p, NULL, &s[i]), 0, "%s", err.message);
    cr_assert_eq(odoo_multi_perform(m, 10000, &err), 0, "%s", err.message);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(s[i].kind, ODOO_OK, "call %d: %s", i, s[i].message);
    /* the first call uses the session of the login; the next two each meet an expired one */
    cr_expect_eq(faults() - before, 2, "one re-login per expired call: %lu", faults() - before);
    odoo_multi_free(m);
    slot_clear(s, 3);
    odoo_close(p);
    test_mock_stop(&mock, &err);
}

Test(multi, retry_after_inside, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    odoo_protocol *p = open_with(JSON2, ODOO_MOCK_ADMIN_API_KEY, NULL, 2);
    odoo_protocol *q = open_proto(XMLRPC);
    inject("ratelimit:retry_after=1,count=1,path=/json/2/");
    odoo_multi *m = new_multi(0);
    slot s[2] = { 0 };
    cr_assert_eq(add_count(m, p, NULL, &s[0]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, q, NULL, &s[1]), 0, "%s", err.message);
    long t0 = test_now_ms();
    cr_assert_eq(odoo_multi_perform(m, 10000, &err), 0, "%s", err.message);
    long took = test_now_ms() - t0;
    cr_expect_eq(s[0].kind, ODOO_OK, "the retried read: %s", s[0].message);
    cr_expect_eq(s[1].kind, ODOO_OK, "%s", s[1].message);
    cr_expect_geq(took, 950, "Retry-After: 1 was waited for (%ld ms)", took);
    cr_expect_lt(s[1].order, s[0].order, "the other connection did not wait for the backoff");
    odoo_multi_free(m);
    slot_clear(s, 2);
    odoo_close(p);
    odoo_close(q);
    test_mock_stop(&mock, &err);
}

Test(multi, cancel_timeout_and_failure_stay_with_their_call, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    odoo_protocol *slow[3], *fast = open_proto(XMLRPC);
    for (int i = 0; i < 3; i++)
        slow[i] = open_proto(JSON2);
    inject("latency:ms=600,count=0,path=/json/2/");
    static volatile int cancel_now = 1, cancel_later = 0;
    odoo_call_options cancelled = ODOO_CALL_OPTIONS_INIT, timed = ODOO_CALL_OPTIONS_INIT,
                      cancelled_mid = ODOO_CALL_OPTIONS_INIT;
    cancelled.cancel = &cancel_now;
    timed.timeout_ms = 150;
    cancelled_mid.cancel = &cancel_later;
    odoo_multi *m = new_multi(0);
    slot s[6] = { 0 };
    cr_assert_eq(add_count(m, slow[0], &cancelled, &s[0]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, slow[1], &timed, &s[1]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, slow[2], &cancelled_mid, &s[2]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, fast, NULL, &s[3]), 0, "%s", err.message);
    json_object *args = count_args();
    cr_assert_eq(odoo_multi_add(m, fast, "res.partner", "no_such_method", NULL, args, NULL, NULL, on_done, &s[4],
                                &err), 0, "%s", err.message);
    json_object_put(args);
    cr_assert_eq(add_count(m, fast, NULL, &s[5]), 0, "%s", err.message);
    long t0 = test_now_ms();
    /* run until the fast ones are done, then cancel the slow one in flight */
    while (s[5].calls == 0)
        cr_assert_eq(odoo_multi_perform(m, 0, &err) == 0 || err.kind == ODOO_ERR_TIMEOUT, 1, "%s", err.message);
    cancel_later = 1;
    cr_assert_eq(odoo_multi_perform(m, 10000, &err), 0, "%s", err.message);
    long took = test_now_ms() - t0;
    cr_expect_eq(s[0].kind, ODOO_ERR_CANCELLED, "%s", s[0].message);
    cr_expect_eq(s[1].kind, ODOO_ERR_TIMEOUT, "%s", s[1].message);
    cr_expect_eq(s[2].kind, ODOO_ERR_CANCELLED, "cancelled in flight: %s", s[2].message);
    cr_expect_eq(s[3].kind, ODOO_OK, "%s", s[3].message);
    cr_expect_neq(s[4].kind, ODOO_OK, "the failing call failed");
    cr_expect(strstr(s[4].message, "no_such_method") != NULL || s[4].message[0], "%s", s[4].message);
    cr_expect_eq(s[5].kind, ODOO_OK, "the call after a failure on the same connection: %s", s[5].message);
    cr_expect_lt(took, 600, "nothing waited for the 600 ms latency (%ld ms)", took);
    for (int i = 0; i < 6; i++)
        cr_expect_eq(s[i].calls, 1, "call %d called back once", i);
    odoo_multi_free(m);
    slot_clear(s, 6);
    odoo_close(fast);
    for (int i = 0; i < 3; i++)
        odoo_close(slow[i]);
    test_mock_stop(&mock, &err);
}

Test(multi, free_with_calls_pending_cancels_them, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    odoo_protocol *p = open_proto(JSON2), *q = open_proto(JSONRPC);
    inject("latency:ms=2000,count=0,path=/json/2/");
    odoo_multi *m = new_multi(0);
    slot s[4] = { 0 };
    cr_assert_eq(add_count(m, p, NULL, &s[0]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, p, NULL, &s[1]), 0, "%s", err.message); /* queued behind the first */
    cr_assert_eq(add_count(m, q, NULL, &s[2]), 0, "%s", err.message);
    /* a few passes: the json2 transfer is in flight, the web login perhaps too */
    for (int i = 0; i < 5; i++)
        odoo_multi_perform(m, 20, &err);
    odoo_multi *never = new_multi(0);
    odoo_protocol *r = open_proto(XMLRPC);
    cr_assert_eq(add_count(never, r, NULL, &s[3]), 0, "%s", err.message);
    long t0 = test_now_ms();
    odoo_multi_free(m);
    cr_expect_lt(test_now_ms() - t0, 1000, "the transfer in flight was aborted");
    cr_expect_eq(s[0].kind, ODOO_ERR_CANCELLED, "%s", s[0].message);
    cr_expect_eq(s[1].kind, ODOO_ERR_CANCELLED, "%s", s[1].message);
    cr_expect(s[2].kind == ODOO_ERR_CANCELLED || s[2].kind == ODOO_OK, "%s", s[2].message);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(s[i].calls, 1, "call %d called back once", i);
    odoo_multi_free(never); /* never performed: cancelled too */
    cr_expect_eq(s[3].kind, ODOO_ERR_CANCELLED);
    cr_expect_eq(s[3].calls, 1);
    odoo_close(r);
    /* the connections work on after that, blocking */
    int64_t n = 0;
    cr_expect_eq(odoo_search_count(&n, q, "res.partner", NULL, &err), 0, "%s", err.message);
    slot_clear(s, 4);
    odoo_close(p);
    odoo_close(q);
    test_mock_stop(&mock, &err);
}

/* ----- socket-action mode, driven by a small poll() loop ----- */

typedef struct loop {
    struct pollfd fds[64];
    int nfds;
    long timer; /* ms, -1 none */
    long timer_set_at;
} loop;

static void on_socket(int fd, int what, void *userdata)
{
    loop *l = userdata;
    int i = 0;
    while (i < l->nfds && l->fds[i].fd != fd)
        i++;
    if (what == ODOO_POLL_REMOVE) {
        if (i < l->nfds)
            l->fds[i] = l->fds[--l->nfds];
        return;
    }
    if (i == l->nfds) {
        cr_assert_lt(l->nfds, 64);
        l->nfds++;
    }
    l->fds[i].fd = fd;
    l->fds[i].events = (short)(((what & ODOO_POLL_IN) ? POLLIN : 0) | ((what & ODOO_POLL_OUT) ? POLLOUT : 0));
}

static void on_timer(long ms, void *userdata)
{
    loop *l = userdata;
    l->timer = ms;
    l->timer_set_at = test_now_ms();
}

Test(multi, socket_action_mode_in_a_poll_loop, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    int64_t expected = partners();
    enum { N = 24 };
    odoo_protocol *conns[NPROTOS];
    for (size_t i = 0; i < NPROTOS; i++)
        conns[i] = open_proto(&protos[i]);
    odoo_multi *m = new_multi(0);
    loop l = { .timer = -1 };
    cr_assert_eq(odoo_multi_set_socket_callback(m, on_socket, &l, &err), 0);
    cr_assert_eq(odoo_multi_set_timer_callback(m, on_timer, &l, &err), 0);
    static slot s[N];
    for (int i = 0; i < N; i++)
        cr_assert_eq(add_count(m, conns[i % NPROTOS], NULL, &s[i]), 0, "%s", err.message);
    cr_expect_eq(l.timer, 0, "added calls ask for a timeout action now");
    long t;
    cr_assert_eq(odoo_multi_timeout(&t, m, &err), 0);
    cr_expect_eq(t, 0);
    size_t running = N;
    long deadline = test_now_ms() + 20000;
    while (running > 0 && test_now_ms() < deadline) {
        long wait = l.timer < 0 ? 1000 : l.timer - (test_now_ms() - l.timer_set_at);
        if (wait < 0)
            wait = 0;
        int n = poll(l.fds, (nfds_t)l.nfds, (int)wait);
        cr_assert_geq(n, 0);
        if (n == 0) {
            l.timer = -1;
            cr_assert_eq(odoo_multi_socket_action(&running, m, ODOO_MULTI_SOCKET_TIMEOUT, 0, &err), 0, "%s",
                         err.message);
            continue;
        }
        struct pollfd ready[64];
        int nready = l.nfds;
        memcpy(ready, l.fds, sizeof(ready[0]) * (size_t)nready);
        for (int i = 0; i < nready; i++) {
            if (!ready[i].revents)
                continue;
            int ev = ((ready[i].revents & POLLIN) ? ODOO_CSELECT_IN : 0) |
                     ((ready[i].revents & POLLOUT) ? ODOO_CSELECT_OUT : 0) |
                     ((ready[i].revents & (POLLERR | POLLHUP)) ? ODOO_CSELECT_ERR : 0);
            cr_assert_eq(odoo_multi_socket_action(&running, m, ready[i].fd, ev, &err), 0, "%s", err.message);
        }
    }
    cr_expect_eq(running, 0, "every call finished");
    for (int i = 0; i < N; i++) {
        cr_expect_eq(s[i].calls, 1, "call %d", i);
        cr_expect_eq(s[i].kind, ODOO_OK, "%s: %s", protos[i % NPROTOS].name, s[i].message);
        cr_expect_eq(json_object_get_int64(s[i].result), expected, "call %d", i);
    }
    odoo_multi_free(m);
    slot_clear(s, N);
    for (size_t i = 0; i < NPROTOS; i++)
        odoo_close(conns[i]);
    test_mock_stop(&mock, &err);
}

Test(multi, call_many, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    int64_t expected = partners();
    odoo_protocol *conns[NPROTOS];
    for (size_t i = 0; i < NPROTOS; i++)
        conns[i] = open_proto(&protos[i]);
    enum { N = NPROTOS + 1 };
    odoo_call_request calls[N];
    json_object *args = count_args();
    for (size_t i = 0; i < N; i++) {
        calls[i] = (odoo_call_request)ODOO_CALL_REQUEST_INIT;
        calls[i].conn = conns[i % NPROTOS];
        calls[i].model = "res.partner";
        calls[i].method = "search_count";
        calls[i].args = args;
    }
    json_object *results[N];
    odoo_rpc_error errors[N];
    for (size_t i = 0; i < N; i++)
        errors[i] = (odoo_rpc_error)ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo_call_many(results, errors, calls, N, NULL, &err), 0, "%s", err.message);
    for (size_t i = 0; i < N; i++) {
        cr_expect_eq(errors[i].kind, ODOO_OK, "%zu: %s", i, errors[i].message);
        cr_expect_eq(json_object_get_int64(results[i]), expected, "%zu", i);
        json_object_put(results[i]);
    }
    /* one bad call: its own error, the first failure named in err, the rest fine */
    calls[2].method = "no_such_method";
    calls[4].model = "not a model"; /* refused before anything is sent */
    int rc = odoo_call_many(results, errors, calls, N, NULL, &err);
    cr_expect_neq(rc, 0);
    cr_expect(err.message && strstr(err.message, "2 of"), "%s", err.message);
    cr_expect_neq(errors[2].kind, ODOO_OK);
    cr_expect_eq(errors[4].kind, ODOO_ERR_INVALID_ARGUMENT, "%s", errors[4].message);
    for (size_t i = 0; i < N; i++) {
        if (i != 2 && i != 4)
            cr_expect_eq(errors[i].kind, ODOO_OK, "%zu: %s", i, errors[i].message);
        json_object_put(results[i]);
        odoo_rpc_error_clear(&errors[i]);
    }
    /* no error array: results only */
    calls[2].method = calls[4].method = "search_count";
    calls[4].model = "res.partner";
    cr_expect_eq(odoo_call_many(results, NULL, calls, N, NULL, &err), 0, "%s", err.message);
    for (size_t i = 0; i < N; i++)
        json_object_put(results[i]);
    json_object_put(args);
    for (size_t i = 0; i < NPROTOS; i++)
        odoo_close(conns[i]);
    test_mock_stop(&mock, &err);
}

Test(multi, one_web_session_keeps_its_order_and_logs_in_first, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    odoo_protocol *p = open_with(JSONRPC, NULL, ODOO_MOCK_ADMIN_PASSWORD, 0);
    inject("latency:ms=1,count=0,path=/web/session/authenticate"); /* counts the logins */
    unsigned long before = faults();
    odoo_multi *m = new_multi(0);
    enum { N = 8 };
    slot s[N] = { 0 };
    callbacks = 0;
    /* a create, then reads of the count: each sees the one before it done */
    json_object *vals = json_object_new_object();
    json_object_object_add(vals, "name", json_object_new_string("multi order"));
    json_object *cargs = json_object_new_array();
    json_object_array_add(cargs, vals);
    cr_assert_eq(odoo_multi_add(m, p, "res.partner", "create", NULL, cargs, NULL, NULL, on_done, &s[0], &err), 0,
                 "%s", err.message);
    json_object_put(cargs);
    for (int i = 1; i < N; i++)
        cr_assert_eq(add_count(m, p, NULL, &s[i]), 0, "%s", err.message);
    cr_assert_eq(odoo_multi_perform(m, 10000, &err), 0, "%s", err.message);
    cr_expect_eq(faults() - before, 1, "one login, before the first call");
    for (int i = 0; i < N; i++) {
        cr_expect_eq(s[i].kind, ODOO_OK, "%d: %s", i, s[i].message);
        cr_expect_eq(s[i].order, i + 1, "call %d finished in the order added", i);
    }
    odoo_multi_free(m);
    slot_clear(s, N);
    odoo_close(p);
    test_mock_stop(&mock, &err);
}

Test(multi, calls_on_many_connections_overlap, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    enum { N = 16, LATENCY = 50 };
    odoo_protocol *conns[N];
    for (int i = 0; i < N; i++) {
        conns[i] = open_proto(JSON2);
        int64_t n; /* warm: the TCP connection and the key check are not what is measured */
        cr_assert_eq(odoo_search_count(&n, conns[i], "res.partner", NULL, &err), 0, "%s", err.message);
    }
    inject("latency:ms=50,count=0,path=/json/2/");
    odoo_multi *m = new_multi(N);
    slot s[N] = { 0 };
    for (int i = 0; i < N; i++)
        cr_assert_eq(add_count(m, conns[i], NULL, &s[i]), 0, "%s", err.message);
    long t0 = test_now_ms();
    cr_assert_eq(odoo_multi_perform(m, 10000, &err), 0, "%s", err.message);
    long took = test_now_ms() - t0;
    for (int i = 0; i < N; i++)
        cr_expect_eq(s[i].kind, ODOO_OK, "%d: %s", i, s[i].message);
    cr_expect_geq(took, LATENCY, "%ld ms", took);
    cr_expect_lt(took, N * LATENCY / 2, "16 calls of 50 ms ran in parallel (%ld ms, one after another: %d)", took,
                 N * LATENCY);
    odoo_multi_free(m);
    slot_clear(s, N);
    for (int i = 0; i < N; i++)
        odoo_close(conns[i]);
    test_mock_stop(&mock, &err);
}

Test(multi, refusals_and_a_blocking_call_on_a_busy_connection, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    odoo_multi_options bad = ODOO_MULTI_OPTIONS_INIT;
    bad.version = 99;
    odoo_multi *m = NULL;
    cr_expect_eq(odoo_multi_new(&m, &bad, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_null(m);
    m = new_multi(0);
    odoo_protocol *p = open_proto(JSON2);
    slot s[2] = { 0 };
    cr_expect_eq(odoo_multi_add(m, p, "bad model!", "read", NULL, NULL, NULL, NULL, on_done, &s[0], &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_multi_add(m, p, "res.partner", "read", NULL, NULL, NULL, NULL, NULL, NULL, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    odoo_call_options o = ODOO_CALL_OPTIONS_INIT;
    o.version = 42;
    cr_expect_eq(add_count(m, p, &o, &s[0]), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_multi_running(m), 0, "refused calls are not added");
    inject("latency:ms=300,count=1,path=/json/2/");
    cr_assert_eq(add_count(m, p, NULL, &s[1]), 0, "%s", err.message);
    odoo_multi_perform(m, 30, &err); /* in flight now */
    int64_t n = 0;
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), ODOO_ERR_INVALID_ARGUMENT,
                 "a blocking call on a connection busy in a multi is refused");
    cr_assert_eq(odoo_multi_perform(m, 5000, &err), 0, "%s", err.message);
    cr_expect_eq(s[1].kind, ODOO_OK, "%s", s[1].message);
    cr_expect_eq(s[0].calls, 0, "refused calls never call back");
    cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "free again: %s", err.message);
    odoo_multi_free(m);
    slot_clear(s, 2);
    odoo_close(p);
    test_mock_stop(&mock, &err);
}

Test(multi, host_cap_queues_the_transfers_past_it, .timeout = 30)
{
    mock = test_mock_start(0, 0);
    enum { N = 8, CAP = 2, LATENCY = 100 };
    odoo_protocol *conns[N];
    for (int i = 0; i < N; i++)
        conns[i] = open_proto(JSON2);
    inject("latency:ms=100,count=0,path=/json/2/");
    odoo_multi *m = new_multi(CAP);
    slot s[N] = { 0 };
    for (int i = 0; i < N; i++)
        cr_assert_eq(add_count(m, conns[i], NULL, &s[i]), 0, "%s", err.message);
    long t0 = test_now_ms();
    cr_assert_eq(odoo_multi_perform(m, 10000, &err), 0, "%s", err.message);
    long took = test_now_ms() - t0;
    for (int i = 0; i < N; i++)
        cr_expect_eq(s[i].kind, ODOO_OK, "%d: %s", i, s[i].message);
    /* a lower bound only: two at a time, four rounds */
    cr_expect_geq(took, (N / CAP) * LATENCY, "at most %d in flight (%ld ms)", CAP, took);
    odoo_multi_free(m);
    slot_clear(s, N);
    for (int i = 0; i < N; i++)
        odoo_close(conns[i]);
    test_mock_stop(&mock, &err);
}
