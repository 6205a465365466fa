/* odoo_rows (odoo/rows.h: the records of a search_read pulled one at a
 * time) and odoo_multi_add_rows (streamed reads inside an odoo_multi),
 * against odoo-mock on every protocol (ODXProxy through the mock's own
 * gateway routes): the same records as odoo_search_read_rows, pages,
 * limit and offset, an early close, error answers mapped as the DOM path
 * maps them, a fault after some records (an error, not a short success),
 * the timeout and the cancel flag, bad arguments; several reads at once
 * in one multi, each with its own outcome. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <odoo.h>
#include <odoo/cursor.h>
#include <odoo/helpers.h>
#include <odoo/multi.h>
#include <odoo/rows.h>
#include <odoo/sys/protocol.h>
#include <odoo_mock.h>

#include "heap.h"
#include "scenario.h"

static odoo_mock *mock;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

#define protos test_protos
#define NPROTOS TEST_NPROTOS

static const char *fields[] = { "name", "email", "parent_id", "child_ids", "active", "color",
                                "partner_latitude", "country_id", NULL };

static int collect(const odoo_cursor *row, void *payload)
{
    json_object_array_add(payload, odoo_cursor_record(row));
    return 0;
}

/* What odoo_search_read_rows gives for o: the reference. */
static json_object *pushed(odoo_protocol *p, const test_proto *pr, const odoo_search_options *o)
{
    json_object *all = json_object_new_array();
    cr_assert_eq(odoo_search_read_rows(p, "res.partner", o, collect, all, &err), 0, "%s: %s", pr->name,
                 err.message);
    return all;
}

/* Every record odoo_rows gives for o (*rc: how the read ended), each
 * also checked through the typed accessors. */
static json_object *pulled(odoo_protocol *p, const test_proto *pr, const char *model, const odoo_search_options *o,
                           int *rc)
{
    odoo_rows *r = NULL;
    cr_assert_eq(odoo_rows_open(&r, p, model, o, &err), 0, "%s: open: %s", pr->name, err.message);
    json_object *all = json_object_new_array();
    const odoo_cursor *row = NULL;
    int got;
    while ((got = odoo_rows_next(r, &row, &err)) == ODOO_CURSOR_ROW) {
        int64_t id = 0;
        cr_assert_eq(odoo_cursor_int64(row, odoo_cursor_field_index(row, "id"), &id), ODOO_FIELD_OK, "%s", pr->name);
        cr_assert_gt(id, 0);
        json_object_array_add(all, odoo_cursor_record(row));
    }
    /* after the end, the same end again */
    const odoo_cursor *again = (const odoo_cursor *)1;
    cr_expect_eq(odoo_rows_next(r, &again, NULL), got, "%s: the end repeats", pr->name);
    cr_expect_null(again);
    odoo_rows_close(r);
    *rc = got;
    return all;
}

static void expect_same(const test_proto *pr, const char *what, json_object *a, json_object *b)
{
    cr_assert_eq(json_object_array_length(a), json_object_array_length(b), "%s %s: %zu records, not %zu", pr->name,
                 what, json_object_array_length(a), json_object_array_length(b));
    for (size_t i = 0; i < json_object_array_length(a); i++)
        cr_assert_str_eq(json_object_to_json_string(json_object_array_get_idx(a, i)),
                         json_object_to_json_string(json_object_array_get_idx(b, i)), "%s %s: record %zu differs",
                         pr->name, what, i);
}

Test(rows_pull, the_records_of_search_read_rows_on_every_protocol, .timeout = 180)
{
    mock = test_mock_start(0, 300);
    for (size_t i = 0; i < NPROTOS; i++) {
        const test_proto *pr = &protos[i];
        odoo_protocol *p = test_proto_connect(mock, pr, 0, 10, &err);
        odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
        o.fields = fields;
        json_object *want = pushed(p, pr, &o);
        cr_assert_geq(json_object_array_length(want), 250, "%s", pr->name);
        int rc = 1;
        /* one page (the default), then many (the last one short) */
        json_object *got = pulled(p, pr, "res.partner", &o, &rc);
        cr_expect_eq(rc, ODOO_CURSOR_DONE, "%s: %s", pr->name, err.message);
        expect_same(pr, "one page", got, want);
        json_object_put(got);
        o.page_size = 7;
        got = pulled(p, pr, "res.partner", &o, &rc);
        cr_expect_eq(rc, ODOO_CURSOR_DONE, "%s: %s", pr->name, err.message);
        expect_same(pr, "pages of 7", got, want);
        json_object_put(got);
        /* offset and limit over pages, the limit inside a page */
        o.offset = 5;
        o.limit = 23;
        o.page_size = 10;
        json_object *want_lim = pushed(p, pr, &o);
        got = pulled(p, pr, "res.partner", &o, &rc);
        cr_expect_eq(rc, ODOO_CURSOR_DONE, "%s: %s", pr->name, err.message);
        cr_expect_eq(json_object_array_length(got), 23, "%s", pr->name);
        expect_same(pr, "offset 5 limit 23", got, want_lim);
        cr_expect_str_eq(json_object_to_json_string(json_object_array_get_idx(got, 0)),
                         json_object_to_json_string(json_object_array_get_idx(want, 5)), "%s: offset", pr->name);
        json_object_put(got);
        json_object_put(want_lim);
        /* a domain that matches nothing */
        odoo_search_options none = ODOO_SEARCH_OPTIONS_INIT;
        none.domain = json_tokener_parse("[[\"id\", \"<\", 0]]");
        got = pulled(p, pr, "res.partner", &none, &rc);
        cr_expect_eq(rc, ODOO_CURSOR_DONE, "%s: %s", pr->name, err.message);
        cr_expect_eq(json_object_array_length(got), 0);
        json_object_put(got);
        json_object_put(none.domain);
        json_object_put(want);
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}

Test(rows_pull, an_early_close_aborts_the_transfer_and_the_connection_goes_on, .timeout = 120)
{
    mock = test_mock_start(0, 20000);
    for (size_t i = 0; i < NPROTOS; i++) {
        const test_proto *pr = &protos[i];
        odoo_protocol *p = test_proto_connect(mock, pr, 0, 10, &err);
        int64_t total = 0;
        cr_assert_eq(odoo_search_count(&total, p, "res.partner", NULL, &err), 0, "%s", err.message);
        odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
        o.fields = fields;
        o.page_size = total; /* one answer of several MB: the close comes long before its end */
        odoo_rows *r = NULL;
        cr_assert_eq(odoo_rows_open(&r, p, "res.partner", &o, &err), 0, "%s: %s", pr->name, err.message);
        const odoo_cursor *row;
        for (int k = 0; k < 3; k++)
            cr_assert_eq(odoo_rows_next(r, &row, &err), ODOO_CURSOR_ROW, "%s: %s", pr->name, err.message);
        /* the connection is the reader's while it is open */
        int64_t n = 0;
        cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), ODOO_ERR_INVALID_ARGUMENT, "%s", pr->name);
        odoo_rows *second = (odoo_rows *)1;
        cr_expect_eq(odoo_rows_open(&second, p, "res.partner", &o, &err), ODOO_ERR_INVALID_ARGUMENT, "%s",
                     pr->name);
        cr_expect_null(second);
        odoo_rows_close(r);
        cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s: after the close: %s", pr->name,
                     err.message);
        cr_expect_eq(n, total);
        /* and a reader again */
        o.page_size = 0;
        o.limit = 3;
        int rc = 1;
        json_object *got = pulled(p, pr, "res.partner", &o, &rc);
        cr_expect_eq(rc, ODOO_CURSOR_DONE, "%s: %s", pr->name, err.message);
        cr_expect_eq(json_object_array_length(got), 3);
        json_object_put(got);
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}

Test(rows_pull, error_answers_are_mapped_as_the_dom_path_maps_them, .timeout = 60)
{
    mock = test_mock_start(0, 50);
    static const char *bad_field[] = { "name", "no_such_field", NULL };
    for (size_t i = 0; i < NPROTOS; i++) {
        const test_proto *pr = &protos[i];
        odoo_protocol *p = test_proto_connect(mock, pr, 0, 10, &err);
        for (int c = 0; c < 2; c++) {
            const char *model = c == 0 ? "no.such.model" : "res.partner";
            odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
            o.fields = c == 0 ? fields : bad_field;
            o.limit = 5;
            json_object *out = NULL;
            odoo_rpc_error dom = ODOO_RPC_ERROR_INIT;
            int want = odoo_search_read(&out, p, model, &o, &dom);
            cr_assert_lt(want, 0, "%s: the DOM path fails", pr->name);
            int rc = 0;
            json_object *got = pulled(p, pr, model, &o, &rc);
            cr_expect_eq(rc, want, "%s %s: %d, the DOM path %d", pr->name, model, rc, want);
            cr_expect_eq(json_object_array_length(got), 0);
            json_object_put(got);
            /* pulled() read the error twice: err holds the second */
            cr_expect_eq(err.kind, dom.kind, "%s: kind", pr->name);
            cr_expect_eq(err.code, dom.code, "%s: code", pr->name);
            cr_expect_str_eq(err.message ? err.message : "", dom.message ? dom.message : "", "%s: message", pr->name);
            cr_expect_str_eq(err.error_class ? err.error_class : "", dom.error_class ? dom.error_class : "",
                             "%s: class", pr->name);
            cr_expect_str_eq(err.model ? err.model : "", model, "%s: model", pr->name);
            odoo_rpc_error_clear(&dom);
        }
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}

Test(rows_pull, a_fault_after_some_records_is_an_error, .timeout = 120)
{
    mock = test_mock_start(0, 3000);
    static const char *faults[] = { "reset", "truncated" };
    for (size_t i = 0; i < NPROTOS; i++) {
        const test_proto *pr = &protos[i];
        for (size_t f = 0; f < 2; f++) {
            odoo_protocol *p = test_proto_connect(mock, pr, 2, 10, &err);
            int64_t n = 0;
            cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
            char spec[128];
            snprintf(spec, sizeof(spec), "%s:path=%s", faults[f], pr->call_path);
            cr_assert_eq(odoo_mock_inject(mock, spec), 0);
            odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
            o.fields = fields;
            int rc = 0;
            json_object *got = pulled(p, pr, "res.partner", &o, &rc);
            size_t rows = json_object_array_length(got);
            /* never a short success */
            cr_expect(rc < 0 ? (int64_t)rows < n : rc == 0 && (int64_t)rows == n, "%s %s: %d after %zu rows of %lld",
                      pr->name, faults[f], rc, rows, (long long)n);
            /* A body cut short arrives up to the cut: an error after some
             * records, every protocol reading its answer as it arrives. (A
             * reset may come before anything was read, the kernel dropping
             * what was unread: retried, it succeeds.) */
            if (f == 1)
                cr_expect(rc < 0 && rows > 0, "%s %s: %d after %zu rows", pr->name, faults[f], rc, rows);
            cr_log_info("%s %s: %s after %zu rows", pr->name, faults[f], err.message, rows);
            json_object_put(got);
            odoo_close(p);
        }
    }
    test_mock_stop(&mock, &err);
}

Test(rows_pull, the_timeout_and_the_cancel_flag_end_a_read, .timeout = 120)
{
    mock = test_mock_start(0, 3000);
    for (size_t i = 0; i < NPROTOS; i++) {
        const test_proto *pr = &protos[i];
        odoo_protocol *p = test_proto_connect(mock, pr, 0, 10, &err);
        int64_t n = 0;
        cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
        /* an answer that comes too late */
        char spec[128];
        snprintf(spec, sizeof(spec), "latency:ms=3000,path=%s", pr->call_path);
        cr_assert_eq(odoo_mock_inject(mock, spec), 0);
        odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
        o.timeout_ms = 300;
        long t0 = test_now_ms();
        int rc = 0;
        json_object *got = pulled(p, pr, "res.partner", &o, &rc);
        long took = test_now_ms() - t0;
        cr_expect_eq(rc, ODOO_ERR_TIMEOUT, "%s: %d %s", pr->name, rc, err.message);
        cr_expect_lt(took, 2500, "%s: the timeout took %ld ms", pr->name, took);
        json_object_put(got);
        odoo_mock_clear_faults(mock);

        /* the cancel flag, raised between two records */
        volatile int cancel = 0;
        odoo_search_options c = ODOO_SEARCH_OPTIONS_INIT;
        c.cancel = &cancel;
        c.page_size = 100;
        odoo_rows *r = NULL;
        cr_assert_eq(odoo_rows_open(&r, p, "res.partner", &c, &err), 0, "%s", err.message);
        const odoo_cursor *row;
        for (int k = 0; k < 150; k++)
            cr_assert_eq(odoo_rows_next(r, &row, &err), ODOO_CURSOR_ROW, "%s: %s", pr->name, err.message);
        cancel = 1;
        cr_expect_eq(odoo_rows_next(r, &row, &err), ODOO_ERR_CANCELLED, "%s: %s", pr->name, err.message);
        cr_expect_eq(odoo_rows_next(r, &row, &err), ODOO_ERR_CANCELLED, "%s: again", pr->name);
        odoo_rows_close(r);
        cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s: after: %s", pr->name, err.message);
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}

Test(rows_pull, bad_arguments_are_refused_cleanly, .timeout = 30)
{
    mock = test_mock_start(0, 20);
    odoo_protocol *p = test_proto_connect(mock, &protos[3], 0, 10, &err);
    odoo_rows *r = (odoo_rows *)1;
    const odoo_cursor *row;
    cr_expect_eq(odoo_rows_open(NULL, p, "res.partner", NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_rows_open(&r, NULL, "res.partner", NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_null(r);
    cr_expect_eq(odoo_rows_open(&r, p, NULL, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_rows_open(&r, p, "not a model!", NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.order = "name";
    cr_expect_eq(odoo_rows_open(&r, p, "res.partner", &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    o.order = NULL;
    o.limit = -1;
    cr_expect_eq(odoo_rows_open(&r, p, "res.partner", &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    o.version = 99;
    cr_expect_eq(odoo_rows_open(&r, p, "res.partner", &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_null(r);
    cr_expect_eq(odoo_rows_next(NULL, &row, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_rows_close(NULL);
    cr_assert_eq(odoo_rows_open(&r, p, "res.partner", NULL, &err), 0, "%s", err.message);
    cr_expect_eq(odoo_rows_next(r, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    odoo_rows_close(r); /* opened, never read */
    cr_assert_eq(odoo_rows_open(&r, p, "res.partner", NULL, &err), 0, "%s", err.message);
    size_t n = 0;
    while (odoo_rows_next(r, &row, NULL) == ODOO_CURSOR_ROW)
        n++;
    cr_expect_gt(n, 20);
    cr_expect_eq(odoo_rows_next(r, &row, &err), ODOO_CURSOR_DONE);
    odoo_rows_close(r);
    odoo_close(p);
    test_mock_stop(&mock, &err);
}

typedef struct mread {
    json_object *rows;   /* the records as json-c */
    int done, rc, stop_at;
    int64_t count;       /* what done was told */
    char message[256];
} mread;

static int mrow(const odoo_cursor *row, void *userdata)
{
    mread *r = userdata;
    json_object_array_add(r->rows, odoo_cursor_record(row));
    return r->stop_at && (int)json_object_array_length(r->rows) == r->stop_at;
}

static void mdone(json_object *result, const odoo_rpc_error *e, void *userdata)
{
    mread *r = userdata;
    r->done++;
    r->rc = e ? (int)e->kind : 0;
    r->count = result ? json_object_get_int64(result) : -1;
    snprintf(r->message, sizeof(r->message), "%s", e && e->message ? e->message : "");
    json_object_put(result);
}

/* An adapter that cannot stream (a third party's, say): the built-in
 * stateless JSON-RPC one without ODOO_CAP_STREAM_ROWS, its pages decoded
 * whole and their records pulled from the page. */
Test(rows_pull, pages_decoded_whole_are_pulled_and_pushed_alike, .timeout = 60)
{
    mock = test_mock_start(0, 300);
    const odoo_adapter *a = odoo_adapter_find("jsonrpc-stateless");
    cr_assert_not_null(a);
    odoo_protocol_ops whole = *a->ops;
    whole.caps &= ~(ODOO_CAP_STREAM_ROWS | ODOO_CAP_ROWS_SHAPE(7));
    odoo_options opts = ODOO_OPTIONS_INIT;
    test_proto_options(mock, &protos[2], &opts);
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_open(&p, &whole, &opts, &err), 0, "%s", err.message);
    odoo_protocol *ref = test_proto_connect(mock, &protos[2], 0, 10, &err);
    for (int k = 0; k < 2; k++) {
        odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
        o.fields = fields;
        o.page_size = 7;
        if (k) {
            o.offset = 3;
            o.limit = 40;
        }
        json_object *want = pushed(ref, &protos[2], &o);
        int rc = 1;
        json_object *got = pulled(p, &protos[2], "res.partner", &o, &rc);
        cr_expect_eq(rc, ODOO_CURSOR_DONE, "%s", err.message);
        expect_same(&protos[2], "whole pages, pulled", got, want);
        json_object_put(got);
        /* pushed, in a multi */
        odoo_multi *m = NULL;
        cr_assert_eq(odoo_multi_new(&m, NULL, &err), 0);
        mread r = { json_object_new_array() };
        cr_assert_eq(odoo_multi_add_rows(m, p, "res.partner", &o, mrow, mdone, &r, &err), 0, "%s", err.message);
        cr_assert_eq(odoo_multi_perform(m, -1, &err), 0, "%s", err.message);
        odoo_multi_free(m);
        cr_expect_eq(r.done, 1);
        cr_expect_eq(r.rc, 0, "%s", r.message);
        expect_same(&protos[2], "whole pages, in a multi", r.rows, want);
        json_object_put(r.rows);
        json_object_put(want);
    }
    int rc = 0;
    json_object *got = pulled(p, &protos[2], "no.such.model", NULL, &rc);
    cr_expect_eq(rc, ODOO_ERR_NOT_FOUND, "%d %s", rc, err.message);
    json_object_put(got);
    odoo_close(p);
    odoo_close(ref);
    test_mock_stop(&mock, &err);
}


/* The consumer reads slowly: the transfer waits for it (a chunk at a
 * time) instead of buffering the answer. */
Test(rows_pull, the_heap_stays_flat_while_a_slow_consumer_pulls_a_50000_record_page, .timeout = 180)
{
    if (!test_heap_counted())
        cr_skip_test("mallinfo2 does not see this allocator (ASan, valgrind): heap growth cannot be measured");
    mock = test_mock_start(0, 50000);
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    pid_t pid = fork(); /* the client alone in a process: the mock's buffers stay out of the count */
    if (pid == 0) {
        close(fd[0]);
        size_t out[2] = { (size_t)-1, (size_t)-1 };
        for (int j = 0; j < 2; j++) {
            const test_proto *pr = &protos[j == 0 ? 2 : 3]; /* jsonrpc-stateless, json2 */
            odoo_protocol *p = test_proto_connect(mock, pr, 0, 10, &err);
            int64_t n = 0;
            odoo_search_count(&n, p, "res.partner", NULL, &err);
            odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
            o.fields = fields;
            o.page_size = n; /* one answer of ~10 MB */
            size_t base = test_heap_now(), max = base;
            int64_t rows = 0;
            odoo_rows *r = NULL;
            const odoo_cursor *row;
            int rc = odoo_rows_open(&r, p, "res.partner", &o, &err);
            while (r && (rc = odoo_rows_next(r, &row, &err)) == ODOO_CURSOR_ROW) {
                if (++rows % 500 == 0) {
                    size_t h = test_heap_now();
                    max = h > max ? h : max;
                    if (rows % 5000 == 0)
                        usleep(20000); /* the server's answer is all sent meanwhile */
                }
            }
            odoo_rows_close(r);
            if (rc != 0 || rows != n)
                fprintf(stderr, "%s: %d, %lld rows of %lld: %s\n", pr->name, rc, (long long)rows, (long long)n,
                        err.message);
            out[j] = rc == 0 && rows == n ? max - base : (size_t)-1;
            odoo_close(p);
        }
        ssize_t w = write(fd[1], out, sizeof(out));
        _exit(w == (ssize_t)sizeof(out) ? 0 : 1);
    }
    close(fd[1]);
    size_t got[2] = { 0 };
    cr_assert_eq(read(fd[0], got, sizeof(got)), (ssize_t)sizeof(got));
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    for (int j = 0; j < 2; j++) {
        cr_log_info("%s: pulled, peak heap growth %zu KB", j ? "json2" : "jsonrpc-stateless", got[j] >> 10);
        cr_expect_lt(got[j], (size_t)1 << 20, "pulled: the heap grew %zu KB over a 50,000-record page", got[j] >> 10);
    }
    test_mock_stop(&mock, &err);
}

/* ----- streamed reads inside an odoo_multi ----- */

Test(rows_pull, a_multi_streams_several_reads_at_once, .timeout = 120)
{
    mock = test_mock_start(0, 2000);
    static const char *const models[] = { "res.partner", "res.country", "res.currency", "res.partner",
                                          "no.such.model", "res.partner" };
    odoo_protocol *conns[NPROTOS];
    mread reads[NPROTOS];
    odoo_multi *m = NULL;
    cr_assert_eq(odoo_multi_new(&m, NULL, &err), 0);
    for (size_t i = 0; i < NPROTOS; i++) {
        conns[i] = test_proto_connect(mock, &protos[i], 0, 10, &err);
        memset(&reads[i], 0, sizeof(reads[i]));
        reads[i].rows = json_object_new_array();
        odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
        o.page_size = i == 0 ? 150 : 300;
        if (i == 5) /* stops after 10: no error */
            reads[i].stop_at = 10;
        cr_assert_eq(odoo_multi_add_rows(m, conns[i], models[i], &o, mrow, mdone, &reads[i], &err), 0, "%s: %s",
                     protos[i].name, err.message);
    }
    cr_assert_eq(odoo_multi_perform(m, -1, &err), 0, "%s", err.message);
    cr_expect_eq(odoo_multi_running(m), 0);
    for (size_t i = 0; i < NPROTOS; i++) {
        const test_proto *pr = &protos[i];
        cr_expect_eq(reads[i].done, 1, "%s: done once", pr->name);
        if (i == 4) {
            cr_expect_eq(reads[i].rc, ODOO_ERR_NOT_FOUND, "%s: %d %s", pr->name, reads[i].rc, reads[i].message);
            cr_expect_eq(json_object_array_length(reads[i].rows), 0);
        } else if (i == 5) {
            cr_expect_eq(reads[i].rc, 0, "%s: a stop is no error: %s", pr->name, reads[i].message);
            cr_expect_eq(json_object_array_length(reads[i].rows), 10);
            cr_expect_eq(reads[i].count, 10);
        } else {
            cr_expect_eq(reads[i].rc, 0, "%s: %s", pr->name, reads[i].message);
            odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
            json_object *want = json_object_new_array();
            cr_assert_eq(odoo_search_read_rows(conns[i], models[i], &o, collect, want, &err), 0, "%s: %s", pr->name,
                         err.message);
            cr_expect_gt(json_object_array_length(want), 0, "%s %s", pr->name, models[i]);
            expect_same(pr, models[i], reads[i].rows, want);
            cr_expect_eq(reads[i].count, (int64_t)json_object_array_length(want));
            json_object_put(want);
        }
        json_object_put(reads[i].rows);
    }
    /* refused at the add, never called back */
    mread bad = { 0 };
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.order = "name desc";
    cr_expect_eq(odoo_multi_add_rows(m, conns[3], "res.partner", &o, mrow, mdone, &bad, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_multi_add_rows(m, conns[3], "res.partner", NULL, NULL, mdone, &bad, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_multi_add_rows(m, conns[3], "res.partner", NULL, mrow, NULL, &bad, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(odoo_multi_add_rows(NULL, conns[3], "res.partner", NULL, mrow, mdone, &bad, &err),
                 ODOO_ERR_INVALID_ARGUMENT);
    cr_expect_eq(bad.done, 0);
    odoo_multi_free(m);
    for (size_t i = 0; i < NPROTOS; i++)
        odoo_close(conns[i]);
    test_mock_stop(&mock, &err);
}

Test(rows_pull, a_multi_read_faulted_or_freed_ends_with_an_error, .timeout = 120)
{
    mock = test_mock_start(0, 3000);
    const test_proto *pr = &protos[3]; /* json2 */
    odoo_protocol *a = test_proto_connect(mock, pr, 0, 10, &err);
    odoo_protocol *b = test_proto_connect(mock, &protos[2], 0, 10, &err);
    char spec[128];
    snprintf(spec, sizeof(spec), "reset:path=%s", pr->call_path);
    cr_assert_eq(odoo_mock_inject(mock, spec), 0);
    odoo_multi *m = NULL;
    cr_assert_eq(odoo_multi_new(&m, NULL, &err), 0);
    mread ra = { json_object_new_array() }, rb = { json_object_new_array() };
    cr_assert_eq(odoo_multi_add_rows(m, a, "res.partner", NULL, mrow, mdone, &ra, &err), 0, "%s", err.message);
    cr_assert_eq(odoo_multi_add_rows(m, b, "res.partner", NULL, mrow, mdone, &rb, &err), 0, "%s", err.message);
    cr_assert_eq(odoo_multi_perform(m, -1, &err), 0, "%s", err.message);
    cr_expect_eq(ra.done, 1);
    cr_expect_lt(ra.rc, 0, "json2 reset: an error, not a short success (%zu rows)", json_object_array_length(ra.rows));
    cr_expect_eq(rb.done, 1);
    cr_expect_eq(rb.rc, 0, "%s", rb.message);
    cr_expect_gt(json_object_array_length(rb.rows), 2000);
    /* a read's own timeout, over its pages */
    snprintf(spec, sizeof(spec), "latency:ms=3000,path=%s", protos[2].call_path);
    cr_assert_eq(odoo_mock_inject(mock, spec), 0);
    mread rt = { json_object_new_array() };
    odoo_search_options t = ODOO_SEARCH_OPTIONS_INIT;
    t.timeout_ms = 300;
    long t0 = test_now_ms();
    cr_assert_eq(odoo_multi_add_rows(m, b, "res.partner", &t, mrow, mdone, &rt, &err), 0, "%s", err.message);
    cr_assert_eq(odoo_multi_perform(m, -1, &err), 0, "%s", err.message);
    cr_expect_eq(rt.rc, ODOO_ERR_TIMEOUT, "%d %s", rt.rc, rt.message);
    cr_expect_lt(test_now_ms() - t0, 2500);
    odoo_mock_clear_faults(mock);
    json_object_put(rt.rows);
    /* freed while a read runs: cancelled */
    mread rc = { json_object_new_array() };
    cr_assert_eq(odoo_multi_add_rows(m, b, "res.partner", NULL, mrow, mdone, &rc, &err), 0, "%s", err.message);
    odoo_multi_perform(m, 0, &err);
    odoo_multi_free(m);
    cr_expect_eq(rc.done, 1);
    cr_expect_eq(rc.rc, ODOO_ERR_CANCELLED, "%d %s", rc.rc, rc.message);
    int64_t n = 0;
    cr_expect_eq(odoo_search_count(&n, b, "res.partner", NULL, &err), 0, "after the free: %s", err.message);
    json_object_put(ra.rows);
    json_object_put(rb.rows);
    json_object_put(rc.rows);
    odoo_close(a);
    odoo_close(b);
    test_mock_stop(&mock, &err);
}

/* The same reads driven by an event loop (socket-action mode): a small
 * poll() loop with the multi's socket and timer callbacks. */
typedef struct loop {
    struct pollfd fds[64];
    int nfds;
    long timer, timer_set_at; /* ms, -1 none */
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

Test(rows_pull, a_multi_streams_reads_in_socket_action_mode, .timeout = 240)
{
    mock = test_mock_start(0, 300);
    odoo_protocol *conns[NPROTOS];
    mread reads[NPROTOS];
    odoo_multi *m = NULL;
    cr_assert_eq(odoo_multi_new(&m, NULL, &err), 0);
    loop l = { .timer = -1 };
    cr_assert_eq(odoo_multi_set_socket_callback(m, on_socket, &l, &err), 0);
    cr_assert_eq(odoo_multi_set_timer_callback(m, on_timer, &l, &err), 0);
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.page_size = 40;
    for (size_t i = 0; i < NPROTOS; i++) {
        conns[i] = test_proto_connect(mock, &protos[i], 0, 10, &err);
        memset(&reads[i], 0, sizeof(reads[i]));
        reads[i].rows = json_object_new_array();
        cr_assert_eq(odoo_multi_add_rows(m, conns[i], "res.partner", &o, mrow, mdone, &reads[i], &err), 0, "%s",
                     err.message);
    }
    size_t running = NPROTOS;
    long deadline = test_now_ms() + 200000; /* valgrind is 20-50 times slower */
    while (running > 0 && test_now_ms() < deadline) {
        long wait = l.timer < 0 ? 1000 : l.timer - (test_now_ms() - l.timer_set_at);
        int n = poll(l.fds, (nfds_t)l.nfds, (int)(wait < 0 ? 0 : wait));
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
    cr_expect_eq(running, 0, "every read finished");
    odoo_multi_free(m);
    for (size_t i = 0; i < NPROTOS; i++) {
        cr_expect_eq(reads[i].done, 1, "%s", protos[i].name);
        cr_expect_eq(reads[i].rc, 0, "%s: %s", protos[i].name, reads[i].message);
        json_object *want = pushed(conns[i], &protos[i], &o);
        cr_expect_gt(json_object_array_length(want), 250);
        expect_same(&protos[i], "socket-action mode", reads[i].rows, want);
        json_object_put(want);
        json_object_put(reads[i].rows);
        odoo_close(conns[i]);
    }
    test_mock_stop(&mock, &err);
}
