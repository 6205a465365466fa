/* odoo_multi: a call that ends hands its connection to the next call
 * added on it, without a sweep of every call (multi.c's m->ready). What
 * the hand-over must keep: the order on each connection, a cancel flag or
 * timeout of the call handed to, calls added from a callback, and
 * connections that interleave in the list of calls. */
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo_mock.h>

#include "scenario.h"

static odoo_mock *mock;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

typedef struct slot {
    int calls, order;
    odoo_error_kind kind;
    volatile int *cancel_next; /* set when this call finishes */
    int free_multi;            /* free s->m from this callback */
    struct slot *add_after;    /* a call to add from this callback */
    odoo_multi *m;
    odoo_protocol *p;
} slot;

static int callbacks;

static void on_done(json_object *result, const odoo_rpc_error *e, void *userdata);

static int add_count(odoo_multi *m, odoo_protocol *p, const odoo_call_options *o, slot *s)
{
    json_object *args = json_object_new_array();
    json_object_array_add(args, json_object_new_array());
    int rc = odoo_multi_add(m, p, "res.partner", "search_count", NULL, args, NULL, o, on_done, s, &err);
    json_object_put(args);
    return rc;
}

static void on_done(json_object *result, const odoo_rpc_error *e, void *userdata)
{
    slot *s = userdata;
    json_object_put(result);
    s->calls++;
    s->order = ++callbacks;
    s->kind = e ? e->kind : ODOO_OK;
    if (s->cancel_next)
        *s->cancel_next = 1; /* the next call on the connection was handed it already */
    if (s->add_after)
        cr_assert_eq(add_count(s->m, s->p, NULL, s->add_after), 0, "%s", err.message);
    if (s->free_multi)
        odoo_multi_free(s->m); /* deferred until perform returns */
}

static odoo_protocol *open_xmlrpc(void)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    test_proto_options(mock, &test_protos[0], &o);
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, test_protos[0].kind, &o, &err), 0, "%s", err.message);
    return p;
}

Test(multi_handover, cancel_of_the_call_handed_to_and_calls_added_from_callbacks, .timeout = 30)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0, "odoo-mock did not start");
    odoo_protocol *a = open_xmlrpc(), *b = open_xmlrpc();
    odoo_multi *m = NULL;
    cr_assert_eq(odoo_multi_new(&m, NULL, &err), 0, "%s", err.message);
    static volatile int flag;
    flag = 0;
    callbacks = 0;
    odoo_call_options cancellable = ODOO_CALL_OPTIONS_INIT;
    cancellable.cancel = &flag;
    /* on a: s0, s1 (cancelled by s0's callback, once handed a), s2, then
     * s5 added by s2's callback; on b, interleaved: s3, s4 */
    slot s[6];
    memset(s, 0, sizeof(s));
    s[0].cancel_next = &flag;
    s[2].add_after = &s[5];
    s[2].m = m;
    s[2].p = a;
    cr_assert_eq(add_count(m, a, NULL, &s[0]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, b, NULL, &s[3]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, a, &cancellable, &s[1]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, b, NULL, &s[4]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, a, NULL, &s[2]), 0, "%s", err.message);
    cr_assert_eq(odoo_multi_perform(m, 10000, &err), 0, "%s", err.message);
    cr_expect_eq(odoo_multi_running(m), 0);
    for (int i = 0; i < 6; i++)
        cr_expect_eq(s[i].calls, 1, "call %d called back once", i);
    cr_expect_eq(s[0].kind, ODOO_OK);
    cr_expect_eq(s[1].kind, ODOO_ERR_CANCELLED, "handed the connection, then its flag: cancelled");
    cr_expect_eq(s[2].kind, ODOO_OK, "the call after a cancelled one on the connection runs");
    cr_expect_eq(s[5].kind, ODOO_OK, "a call added from a callback runs");
    cr_expect_eq(s[3].kind, ODOO_OK);
    cr_expect_eq(s[4].kind, ODOO_OK);
    cr_expect(s[0].order < s[1].order && s[1].order < s[2].order && s[2].order < s[5].order, "a's order: %d %d %d %d",
              s[0].order, s[1].order, s[2].order, s[5].order);
    cr_expect(s[3].order < s[4].order, "b's order");
    odoo_multi_free(m);
    odoo_close(a);
    odoo_close(b);
    odoo_mock_stop(mock);
    odoo_rpc_error_clear(&err);
}

/* The multi freed from the callback of a call whose connection it just
 * handed to the next: that call waits in the hand-over list, must not
 * start, and is cancelled when the free takes effect (this spun inside
 * odoo_multi_perform once: the list never emptied while a free was
 * pending). */
Test(multi_handover, freed_from_a_callback_with_the_next_call_handed_over, .timeout = 30)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0, "odoo-mock did not start");
    odoo_protocol *a = open_xmlrpc();
    odoo_multi *m = NULL;
    cr_assert_eq(odoo_multi_new(&m, NULL, &err), 0, "%s", err.message);
    callbacks = 0;
    slot s[2];
    memset(s, 0, sizeof(s));
    s[0].free_multi = 1;
    s[0].m = m;
    cr_assert_eq(add_count(m, a, NULL, &s[0]), 0, "%s", err.message);
    cr_assert_eq(add_count(m, a, NULL, &s[1]), 0, "%s", err.message);
    cr_expect_eq(odoo_multi_perform(m, 10000, &err), 0, "%s", err.message); /* m is gone when it returns */
    cr_expect_eq(s[0].calls, 1);
    cr_expect_eq(s[0].kind, ODOO_OK);
    cr_expect_eq(s[1].calls, 1, "the call handed the connection is called back once");
    cr_expect_eq(s[1].kind, ODOO_ERR_CANCELLED, "and cancelled by the free");
    int64_t n = 0;
    cr_expect_eq(odoo_search_count(&n, a, "res.partner", NULL, &err), 0, "the connection after: %s", err.message);
    odoo_close(a);
    odoo_mock_stop(mock);
    odoo_rpc_error_clear(&err);
}
