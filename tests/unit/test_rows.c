/* odoo_search_read_rows and odoo_search_read_each on it (issue 12): the
 * records of a search_read read as the answer arrives, against odoo-mock
 * on every protocol (ODXProxy through the mock's own gateway routes):
 * the same records as odoo_search_read's DOM, typed (XML-RPC too, its
 * answers streamed since its adapter has the cap); an early stop; error answers mapped as the DOM path
 * maps them; a fault after some records (an error, no silent loss, no
 * retry); and the heap staying flat over a 50,000-record page. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo/cursor.h>
#include <odoo/helpers.h>
#include <odoo_mock.h>

#include "heap.h"
#include "scenario.h"

static odoo_mock *mock;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

/* The protocols and their call paths: tests/unit/target.c. */
typedef test_proto proto;
#define protos test_protos
#define NPROTOS TEST_NPROTOS

static const char *fields[] = { "name", "email", "parent_id", "child_ids", "active", "color",
                                "partner_latitude", "country_id", NULL };

/* Collected records, as JSON text, and typed checks on the cursor. */
typedef struct seen {
    const proto *pr;
    json_object *records;  /* array of the json-c records */
    size_t rows, stop_at;
    int typed_ok;
} seen;

static int on_row(const odoo_cursor *row, void *payload)
{
    seen *s = payload;
    s->rows++;
    int64_t id = 0;
    const char *name = NULL;
    size_t len = 0;
    if (odoo_cursor_int64(row, odoo_cursor_field_index(row, "id"), &id) != ODOO_FIELD_OK || id <= 0 ||
        odoo_cursor_string(row, odoo_cursor_field_index(row, "name"), &name, &len) != ODOO_FIELD_OK || !len)
        s->typed_ok = 0;
    odoo_field_type t = odoo_cursor_type(row, odoo_cursor_field_index(row, "child_ids"));
    if (t != ODOO_FIELD_TYPE_IDS)
        s->typed_ok = 0;
    t = odoo_cursor_type(row, odoo_cursor_field_index(row, "parent_id"));
    if (t != ODOO_FIELD_TYPE_MANY2ONE && t != ODOO_FIELD_TYPE_FALSE)
        s->typed_ok = 0;
    if (s->records)
        json_object_array_add(s->records, odoo_cursor_record(row));
    return s->stop_at && s->rows == s->stop_at ? 42 : 0;
}

static int on_record(json_object *rec, void *payload)
{
    seen *s = payload;
    s->rows++;
    json_object_array_add(s->records, json_object_get(rec));
    return 0;
}

static json_object *dom_records(odoo_protocol *p, const proto *pr)
{
    json_object *out = NULL;
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.fields = fields;
    o.order = "id";
    cr_assert_eq(odoo_search_read(&out, p, "res.partner", &o, &err), 0, "%s: %s", pr->name, err.message);
    return out;
}

static void expect_same(const proto *pr, const char *what, json_object *a, json_object *b)
{
    cr_assert_eq(json_object_array_length(a), json_object_array_length(b), "%s %s: %zu records, not %zu", pr->name,
                 what, json_object_array_length(a), json_object_array_length(b));
    for (size_t i = 0; i < json_object_array_length(a); i++) {
        const char *x = json_object_to_json_string(json_object_array_get_idx(a, i));
        const char *y = json_object_to_json_string(json_object_array_get_idx(b, i));
        cr_assert_str_eq(x, y, "%s %s: record %zu differs", pr->name, what, i);
    }
}

Test(rows, same_records_as_the_dom_typed_on_every_protocol, .timeout = 120)
{
    mock = test_mock_start(0, 300);
    for (size_t i = 0; i < NPROTOS; i++) {
        const proto *pr = &protos[i];
        odoo_protocol *p = test_proto_connect(mock, pr, 0, 10, &err);
        json_object *dom = dom_records(p, pr);
        cr_assert_geq(json_object_array_length(dom), 250, "%s: %zu", pr->name, json_object_array_length(dom));
        odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
        o.fields = fields;
        o.page_size = 7; /* many pages, the last one short */
        seen s = { pr, json_object_new_array(), 0, 0, 1 };
        cr_assert_eq(odoo_search_read_rows(p, "res.partner", &o, on_row, &s, &err), 0, "%s: %s", pr->name,
                     err.message);
        cr_expect(s.typed_ok, "%s: typed accessors", pr->name);
        expect_same(pr, "rows", s.records, dom);
        json_object_put(s.records);

        /* one large page (the streaming default) */
        o.page_size = 0;
        seen big = { pr, json_object_new_array(), 0, 0, 1 };
        cr_assert_eq(odoo_search_read_rows(p, "res.partner", &o, on_row, &big, &err), 0, "%s: %s", pr->name,
                     err.message);
        expect_same(pr, "rows, one page", big.records, dom);
        json_object_put(big.records);

        /* search_read_each: the same records as json-c objects */
        o.page_size = 50;
        seen each = { pr, json_object_new_array(), 0, 0, 1 };
        cr_assert_eq(odoo_search_read_each(p, "res.partner", &o, on_record, &each, &err), 0, "%s: %s", pr->name,
                     err.message);
        expect_same(pr, "each", each.records, dom);
        json_object_put(each.records);

        /* offset and limit over pages */
        o.offset = 5;
        o.limit = 23;
        o.page_size = 10;
        seen lim = { pr, json_object_new_array(), 0, 0, 1 };
        cr_assert_eq(odoo_search_read_rows(p, "res.partner", &o, on_row, &lim, &err), 0, "%s", err.message);
        cr_expect_eq(lim.rows, 23, "%s: limit", pr->name);
        cr_expect_str_eq(json_object_to_json_string(json_object_array_get_idx(lim.records, 0)),
                         json_object_to_json_string(json_object_array_get_idx(dom, 5)), "%s: offset", pr->name);
        json_object_put(lim.records);
        json_object_put(dom);
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}

Test(rows, an_early_stop_aborts_the_transfer_and_the_connection_goes_on, .timeout = 60)
{
    mock = test_mock_start(0, 2000);
    for (size_t i = 0; i < NPROTOS; i++) {
        const proto *pr = &protos[i];
        odoo_protocol *p = test_proto_connect(mock, pr, 0, 10, &err);
        odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
        o.fields = fields;
        seen s = { pr, NULL, 0, 3, 1 };
        int64_t total = 0;
        cr_assert_eq(odoo_search_count(&total, p, "res.partner", NULL, &err), 0, "%s", err.message);
        cr_expect_eq(odoo_search_read_rows(p, "res.partner", &o, on_row, &s, &err), 42, "%s: %s", pr->name,
                     err.message);
        cr_expect_eq(s.rows, 3, "%s: no row after the stop", pr->name);
        cr_expect_eq(err.kind, 0, "%s: a stop is no error", pr->name);
        int64_t n = 0;
        cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s: after the stop: %s", pr->name,
                     err.message);
        cr_expect_eq(n, total);
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}

Test(rows, error_answers_are_mapped_as_the_dom_path_maps_them, .timeout = 60)
{
    mock = test_mock_start(0, 50);
    static const char *bad_field[] = { "name", "no_such_field", NULL };
    for (size_t i = 0; i < NPROTOS; i++) {
        const proto *pr = &protos[i];
        odoo_protocol *p = test_proto_connect(mock, pr, 0, 10, &err);
        for (int c = 0; c < 2; c++) {
            const char *model = c == 0 ? "no.such.model" : "res.partner";
            odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
            o.fields = c == 0 ? fields : bad_field;
            o.limit = 5;
            json_object *out = NULL;
            odoo_rpc_error dom = ODOO_RPC_ERROR_INIT;
            int want = odoo_search_read(&out, p, model, &o, &dom);
            cr_assert_neq(want, 0, "%s: the DOM path fails", pr->name);
            seen s = { pr, NULL, 0, 0, 1 };
            int rc = odoo_search_read_rows(p, model, &o, on_row, &s, &err);
            cr_expect_eq(rc, want, "%s %s: %d, the DOM path %d", pr->name, model, rc, want);
            cr_expect_eq(s.rows, 0);
            cr_expect_eq(err.code, dom.code, "%s: code", pr->name);
            cr_expect_str_eq(err.message ? err.message : "", dom.message ? dom.message : "", "%s: message",
                             pr->name);
            cr_expect_str_eq(err.error_class ? err.error_class : "", dom.error_class ? dom.error_class : "",
                             "%s: class", pr->name);
            odoo_rpc_error_clear(&dom);
        }
        odoo_close(p);
    }
    test_mock_stop(&mock, &err);
}

Test(rows, a_fault_after_some_records_is_an_error_and_not_retried, .timeout = 120)
{
    mock = test_mock_start(0, 3000);
    static const char *faults[] = { "reset", "truncated" };
    for (size_t i = 0; i < NPROTOS; i++) {
        const proto *pr = &protos[i];
        for (size_t f = 0; f < 2; f++) {
            odoo_protocol *p = test_proto_connect(mock, pr, 2, 10, &err);
            int64_t n = 0;
            cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
            char spec[128];
            snprintf(spec, sizeof(spec), "%s:path=%s", faults[f], pr->call_path);
            cr_assert_eq(odoo_mock_inject(mock, spec), 0);
            odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
            o.fields = fields;
            seen s = { pr, NULL, 0, 0, 1 };
            int rc = odoo_search_read_rows(p, "res.partner", &o, on_row, &s, &err);
            cr_expect_lt(rc, 0, "%s %s: an error, not a short success (%zu rows)", pr->name, faults[f], s.rows);
            cr_expect(s.rows > 0 && (int64_t)s.rows < n, "%s %s: %zu rows before the fault", pr->name, faults[f],
                      s.rows);
            cr_log_info("%s %s: %s after %zu rows", pr->name, faults[f], err.message, s.rows);
            /* retried only while nothing was delivered: the same fault before the body */
            odoo_close(p);
        }
    }
    test_mock_stop(&mock, &err);
}


typedef struct peak {
    size_t base, max, rows;
} peak;

static int on_row_peak(const odoo_cursor *row, void *payload)
{
    peak *k = payload;
    (void)row;
    if (++k->rows % 500 == 0) {
        size_t h = test_heap_now();
        if (h > k->max)
            k->max = h;
    }
    return 0;
}

Test(rows, the_heap_stays_flat_over_a_50000_record_page, .timeout = 180)
{
    if (!test_heap_counted())
        cr_skip_test("mallinfo2 does not see this allocator (ASan, valgrind): heap growth cannot be measured");
    mock = test_mock_start(0, 50000);
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    /* The client in a child: the mock's own buffers (it builds each
     * answer whole) stay out of the count. */
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        size_t out[4] = { 0 };
        for (int j = 0; j < 2; j++) {
            const proto *pr = &protos[j == 0 ? 2 : 3]; /* jsonrpc-stateless, json2 */
            odoo_protocol *p = test_proto_connect(mock, pr, 0, 10, &err);
            int64_t n = 0;
            odoo_search_count(&n, p, "res.partner", NULL, &err);
            odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
            o.fields = fields;
            o.page_size = n; /* one page, one answer of ~10 MB */
            peak k = { test_heap_now(), 0, 0 };
            k.max = k.base;
            int rc = odoo_search_read_rows(p, "res.partner", &o, on_row_peak, &k, &err);
            if (rc != 0 || (int64_t)k.rows != n)
                fprintf(stderr, "%s: %d, %zu rows of %lld: %s\n", pr->name, rc, k.rows, (long long)n, err.message);
            out[j * 2] = rc == 0 && (int64_t)k.rows == n ? k.max - k.base : (size_t)-1;
            /* the DOM path, for scale */
            size_t base = test_heap_now();
            json_object *all = NULL;
            o.page_size = 0;
            o.limit = n;
            odoo_search_read(&all, p, "res.partner", &o, &err);
            out[j * 2 + 1] = test_heap_now() - base;
            json_object_put(all);
            odoo_close(p);
        }
        ssize_t w = write(fd[1], out, sizeof(out));
        _exit(w == (ssize_t)sizeof(out) ? 0 : 1);
    }
    close(fd[1]);
    size_t got[4] = { 0 };
    cr_assert_eq(read(fd[0], got, sizeof(got)), (ssize_t)sizeof(got));
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    for (int j = 0; j < 2; j++) {
        cr_log_info("%s: rows peak heap growth %zu KB, DOM %zu KB", j ? "json2" : "jsonrpc-stateless",
                    got[j * 2] >> 10, got[j * 2 + 1] >> 10);
        cr_expect_lt(got[j * 2], (size_t)2 << 20, "rows: the heap grew %zu KB over a 50,000-record page",
                     got[j * 2] >> 10);
        cr_expect_gt(got[j * 2 + 1], (size_t)20 << 20, "the DOM path holds the page (%zu KB)", got[j * 2 + 1] >> 10);
    }
    test_mock_stop(&mock, &err);
}

/* A version-1 odoo_search_options (which ends before timeout_ms) is read
 * up to its own end, in a block of exactly its size (ASan sees any read
 * past it); an unknown version is refused before anything is sent. */
Test(rows, a_version_1_options_struct_is_read_to_its_own_end, .timeout = 60)
{
    mock = test_mock_start(0, 50);
    odoo_protocol *p = test_proto_connect(mock, &protos[3], 0, 10, &err); /* json2: streamed */
    size_t v1 = offsetof(odoo_search_options, timeout_ms);
    odoo_search_options full = ODOO_SEARCH_OPTIONS_INIT;
    full.version = 1;
    full.fields = fields;
    full.limit = 7;
    full.order = "id";
    unsigned char *block = malloc(v1);
    cr_assert_not_null(block);
    memcpy(block, &full, v1);
    const odoo_search_options *o = (const void *)block;
    seen s = { &protos[3], NULL, 0, 0, 1 };
    cr_expect_eq(odoo_search_read_rows(p, "res.partner", o, on_row, &s, &err), 0, "%s", err.message);
    cr_expect_eq(s.rows, 7);
    seen r = { &protos[3], json_object_new_array(), 0, 0, 1 };
    cr_expect_eq(odoo_search_read_each(p, "res.partner", o, on_record, &r, &err), 0, "%s", err.message);
    cr_expect_eq(r.rows, 7);
    json_object_put(r.records);
    unsigned int three = 3;
    memcpy(block + offsetof(odoo_search_options, version), &three, sizeof(three));
    cr_expect_eq(odoo_search_read_rows(p, "res.partner", o, on_row, &s, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "version") != NULL, "%s", err.message);
    free(block);
    odoo_close(p);
    test_mock_stop(&mock, &err);
}
