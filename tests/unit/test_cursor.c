/* The incremental decoder (core/jstream.h), its DOM builder and the row
 * cursor (odoo/cursor.h): every recorded JSON body decodes as through
 * odoo__json_parse, fed whole, a byte at a time and in random chunks;
 * every search_read answer gives through the cursor what the DOM holds;
 * the refusals say where; Odoo's false, many2one and x2many are typed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo/sys/jsonrpc.h>

#include "core/jstream.h"
#include "core/value.h"
#include "fixtures.h"

/* Through the decoder in chunks of chunk bytes (0 whole, -1 random). */
static int stream_parse(const char *text, size_t len, long chunk, json_object **out, char *why, size_t whylen)
{
    if (chunk >= 0)
        return odoo__jstream_parse(text, len, (size_t)chunk, out, why, whylen);
    odoo__jstream js;
    odoo__jdom d;
    odoo__js_init(&js, NULL);
    odoo__jdom_init(&d);
    size_t at = 0;
    int rc = -1;
    *out = NULL;
    for (;;) {
        odoo__js_event ev = odoo__js_next(&js);
        if (ev == ODOO_JS_MORE) {
            if (at == len) {
                odoo__js_finish(&js);
                continue;
            }
            size_t n = 1 + (size_t)rand() % 97;
            if (n > len - at)
                n = len - at;
            odoo__js_feed(&js, text + at, n);
            at += n;
            continue;
        }
        if (ev == ODOO_JS_ERROR) {
            snprintf(why, whylen, "%s", js.why);
            break;
        }
        if (ev == ODOO_JS_END) {
            *out = odoo__jdom_take(&d);
            rc = 0;
            break;
        }
        cr_assert_geq(odoo__jdom_event(&d, ev, &js.tok), 0);
    }
    odoo__jdom_free(&d);
    odoo__js_free(&js);
    return rc;
}

static const char *const folders[] = { "odoo18/json2", "odoo18/jsonrpc-service", "odoo18/jsonrpc-session",
                                       "odoo19/json2", "odoo19/jsonrpc-service", "odoo19/jsonrpc-session" };

/* Calls fn on every response body of the JSON fixtures. */
static void each_body(void (*fn)(const char *name, const char *body, json_object *fx))
{
    size_t seen = 0;
    for (size_t k = 0; k < sizeof(folders) / sizeof(*folders); k++) {
        char **names;
        size_t n = fixture_list(folders[k], &names);
        for (size_t i = 0; i < n; i++) {
            char rel[512];
            snprintf(rel, sizeof(rel), "%s/%s", folders[k], names[i]);
            json_object *fx = fixture_load(rel);
            fn(rel, fixture_str(fx, "response", "body"), fx);
            json_object_put(fx);
            seen++;
        }
        fixture_list_free(names, n);
    }
    cr_assert_gt(seen, 100);
}

static void same_as_dom(const char *name, const char *body, json_object *fx)
{
    (void)fx;
    size_t len = strlen(body);
    json_object *want = NULL;
    int wrc = odoo__json_parse(body, len, &want);
    long chunks[] = { 0, 1, -1, 7 };
    for (size_t k = 0; k < sizeof(chunks) / sizeof(*chunks); k++) {
        json_object *got = NULL;
        char why[200] = "";
        int rc = stream_parse(body, len, chunks[k], &got, why, sizeof(why));
        cr_assert_eq(rc == 0, wrc == 0, "%s (chunk %ld): stream %d (%s), DOM %d", name, chunks[k], rc, why, wrc);
        if (rc == 0)
            cr_assert(json_object_equal(got, want), "%s (chunk %ld) decodes differently", name, chunks[k]);
        json_object_put(got);
    }
    json_object_put(want);
}

Test(jstream, every_fixture_body_decodes_as_the_dom_path)
{
    srand(12);
    each_body(same_as_dom);
}

/* The cursor's record, field by field, against the DOM's. */
static void cursor_matches(const char *name, const char *body, json_object *fx)
{
    size_t len = strlen(body);
    json_object *doc = NULL;
    if (odoo__json_parse(body, len, &doc) != 0)
        return;
    json_object *rows = NULL;
    odoo_cursor_shape shape = ODOO_CURSOR_JSON2;
    if (json_object_is_type(doc, json_type_array))
        rows = doc;
    else if (json_object_is_type(doc, json_type_object) && json_object_object_get_ex(doc, "result", &rows))
        shape = ODOO_CURSOR_JSONRPC;
    int shaped = json_object_is_type(rows, json_type_array) && json_object_array_length(rows) > 0 &&
                 fixture_status(fx) == 200;
    for (size_t i = 0; shaped && i < json_object_array_length(rows); i++)
        shaped = json_object_is_type(json_object_array_get_idx(rows, i), json_type_object);
    if (!shaped) {
        json_object_put(doc);
        return;
    }
    size_t steps[] = { len, 1, 13 };
    for (size_t k = 0; k < 3; k++) {
        odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
        o.shape = k == 2 ? ODOO_CURSOR_AUTO : shape;
        odoo_cursor *c = odoo_cursor_new(&o);
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        size_t at = 0, row = 0;
        for (;;) {
            int rc = odoo_cursor_next(c, &err);
            if (rc == ODOO_CURSOR_MORE) {
                size_t n = len - at < steps[k] ? len - at : steps[k];
                if (n == 0)
                    odoo_cursor_finish(c);
                else
                    cr_assert_eq(odoo_cursor_feed(c, body + at, n), 0);
                at += n;
                continue;
            }
            cr_assert_geq(rc, 0, "%s: %s", name, err.message);
            if (rc == ODOO_CURSOR_DONE)
                break;
            json_object *want = json_object_array_get_idx(rows, row++);
            json_object *got = odoo_cursor_record(c);
            cr_assert(json_object_equal(got, want), "%s: record %zu differs", name, row);
            json_object_put(got);
            /* and each field by index, typed where it has a type */
            size_t i = 0;
            json_object_object_foreach(want, key, val) {
                long idx = odoo_cursor_field_index(c, key);
                cr_assert_geq(idx, 0, "%s: no field %s", name, key);
                json_object *one = NULL;
                cr_assert_eq(odoo_cursor_json(c, idx, &one), ODOO_FIELD_OK);
                cr_assert(json_object_equal(one, val), "%s: field %s differs", name, key);
                json_object_put(one);
                if (json_object_is_type(val, json_type_string)) {
                    const char *s;
                    size_t n;
                    cr_assert_eq(odoo_cursor_string(c, idx, &s, &n), ODOO_FIELD_OK);
                    cr_assert_eq(n, (size_t)json_object_get_string_len(val));
                    cr_assert_eq(memcmp(s, json_object_get_string(val), n), 0);
                } else if (json_object_is_type(val, json_type_int)) {
                    int64_t v;
                    cr_assert_eq(odoo_cursor_int64(c, idx, &v), ODOO_FIELD_OK);
                    cr_assert_eq(v, json_object_get_int64(val));
                }
                i++;
            }
        }
        cr_assert_eq(row, json_object_array_length(rows), "%s: %zu of %zu records", name, row,
                     json_object_array_length(rows));
        odoo_rpc_error_clear(&err);
        odoo_cursor_free(c);
    }
    json_object_put(doc);
}

Test(cursor, every_record_answer_reads_as_the_dom)
{
    each_body(cursor_matches);
}

/* ---- the refusals, with their byte offsets ---- */

static void refused(const char *text, size_t len, const char *reason, const char *at)
{
    long chunks[] = { 0, 1, -1 };
    for (size_t k = 0; k < 3; k++) {
        json_object *out = NULL;
        char why[200] = "";
        cr_assert_neq(stream_parse(text, len, chunks[k], &out, why, sizeof(why)), 0, "accepted: %.60s", text);
        cr_assert(strstr(why, reason), "%s: why is \"%s\"", reason, why);
        cr_assert(strstr(why, at), "%s: why is \"%s\", wanted %s", reason, why, at);
        json_object *dom = NULL;
        cr_assert_neq(odoo__json_parse(text, len, &dom), 0, "the DOM path accepts %.60s", text);
    }
}

#define REFUSED(lit, reason, at) refused(lit, sizeof(lit) - 1, reason, at)

Test(jstream, refusals_say_where)
{
    char deep[400];
    size_t n = 0;
    for (int i = 0; i < 129; i++)
        deep[n++] = '[';
    deep[n++] = '1';
    for (int i = 0; i < 129; i++)
        deep[n++] = ']';
    refused(deep, n, "nesting deeper than 128", "byte 129");
    REFUSED("[1, 18446744073709551616]", "does not fit in 64 bits", "byte 4");
    REFUSED("{\"a\": -9223372036854775809}", "does not fit in 64 bits", "byte 6");
    REFUSED("[\"ok\", \"\xC3\x28\"]", "invalid UTF-8", "byte 8");
    REFUSED("{\"a\\u0000b\": 1}", "NUL character", "byte 3");
    REFUSED("{\"a\": [1, 2", "unexpected end of data", "byte 11");
    REFUSED("[1] x", "text after the document", "byte 4");
    REFUSED("", "empty", "byte 0");
    REFUSED("[01]", "leading zero", "byte 1");
}

Test(jstream, what_json_c_takes_is_taken)
{
    const char *ok[] = { "NaN", "[Infinity, -Infinity]", "1.", "-01", "00", "[-.5]", "\"\\ud800\"", "{\"a\": \"\\u0000\"}",
                         "9223372036854775807", "-9223372036854775808", "1.5e400", "\"a\x01\"", " [1] \n" };
    for (size_t i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
        json_object *a = NULL, *b = NULL;
        char why[200];
        cr_assert_eq(odoo__json_parse(ok[i], strlen(ok[i]), &a), 0, "%s", ok[i]);
        cr_assert_eq(stream_parse(ok[i], strlen(ok[i]), 1, &b, why, sizeof(why)), 0, "%s: %s", ok[i], why);
        const char *sa = json_object_to_json_string(a), *sb = json_object_to_json_string(b);
        cr_assert_str_eq(sa, sb, "%s", ok[i]);
        json_object_put(a);
        json_object_put(b);
    }
}

/* ---- typed fields ---- */

static odoo_cursor *cursor_on(const char *body, size_t step)
{
    odoo_cursor *c = odoo_cursor_new(NULL);
    size_t len = strlen(body);
    for (size_t at = 0; at < len; at += step)
        cr_assert_eq(odoo_cursor_feed(c, body + at, len - at < step ? len - at : step), 0);
    odoo_cursor_finish(c);
    return c;
}

Test(cursor, false_null_many2one_and_x2many)
{
    odoo_cursor *c = cursor_on("{\"jsonrpc\": \"2.0\", \"id\": 3, \"result\": ["
                               "{\"id\": 7, \"email\": false, \"parent_id\": [3, \"Acme\"], \"tag_ids\": [1, 2, 5],"
                               " \"active\": false, \"ref\": null, \"credit\": 2.5, \"props\": {\"x\": [1]}},"
                               "{\"tag_ids\": [], \"id\": 8, \"email\": \"b@x\", \"parent_id\": false, \"active\": true,"
                               " \"ref\": \"R\", \"credit\": 3, \"props\": [1, \"a\", 2]}]}",
                               5);
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo_cursor_next(c, &err), ODOO_CURSOR_ROW);
    cr_assert_eq(odoo_cursor_field_count(c), 8);
    long email = odoo_cursor_field_index(c, "email"), parent = odoo_cursor_field_index(c, "parent_id"),
         tags = odoo_cursor_field_index(c, "tag_ids"), active = odoo_cursor_field_index(c, "active"),
         ref = odoo_cursor_field_index(c, "ref"), credit = odoo_cursor_field_index(c, "credit");
    const char *s;
    size_t n;
    int64_t id;
    int b;
    double d;
    const int64_t *ids;
    cr_assert_eq(odoo_cursor_string(c, email, &s, &n), ODOO_FIELD_UNSET);
    cr_assert_eq(odoo_cursor_many2one(c, parent, &id, &s, &n), ODOO_FIELD_OK);
    cr_assert_eq(id, 3);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(s, "Acme");
    cr_assert_eq(odoo_cursor_ids(c, tags, &ids, &n), ODOO_FIELD_OK);
    cr_assert_eq(n, 3);
    cr_assert_eq(ids[2], 5);
    cr_assert_eq(odoo_cursor_bool(c, active, &b), ODOO_FIELD_OK);
    cr_assert_eq(b, 0);
    cr_assert_eq(odoo_cursor_string(c, ref, &s, &n), ODOO_FIELD_NULL);
    cr_assert_eq(odoo_cursor_int64(c, credit, &id), ODOO_FIELD_WRONG_TYPE);
    cr_assert_eq(odoo_cursor_double(c, credit, &d), ODOO_FIELD_OK);
    cr_assert_eq(d, 2.5);
    cr_assert_eq(odoo_cursor_type(c, odoo_cursor_field_index(c, "props")), ODOO_FIELD_TYPE_OTHER);
    cr_assert_eq(odoo_cursor_string(c, odoo_cursor_field_index(c, "nope"), &s, &n), ODOO_FIELD_MISSING);

    /* the second record has another order: looked up by name */
    cr_assert_eq(odoo_cursor_next(c, &err), ODOO_CURSOR_ROW);
    cr_assert_eq(odoo_cursor_ids(c, tags, &ids, &n), ODOO_FIELD_OK);
    cr_assert_eq(n, 0);
    cr_assert_eq(odoo_cursor_string(c, email, &s, &n), ODOO_FIELD_OK);
    cr_assert_str_eq(s, "b@x");
    cr_assert_eq(odoo_cursor_many2one(c, parent, &id, &s, &n), ODOO_FIELD_UNSET);
    cr_assert_eq(odoo_cursor_double(c, credit, &d), ODOO_FIELD_OK);
    cr_assert_eq(d, 3.0);
    json_object *props = NULL;
    cr_assert_eq(odoo_cursor_json(c, odoo_cursor_field_index(c, "props"), &props), ODOO_FIELD_OK);
    cr_assert_str_eq(json_object_to_json_string_ext(props, JSON_C_TO_STRING_PLAIN), "[1,\"a\",2]");
    json_object_put(props);
    cr_assert_eq(odoo_cursor_next(c, &err), ODOO_CURSOR_DONE);
    cr_assert_eq(odoo_cursor_row_count(c), 2);
    odoo_cursor_free(c);
}

Test(cursor, a_one_megabyte_string_in_100_byte_chunks)
{
    size_t big = 1 << 20;
    char *body = malloc(big + 64);
    int n = sprintf(body, "[{\"id\": 1, \"note\": \"");
    for (size_t i = 0; i < big; i++)
        body[n + i] = (char)('a' + i % 26);
    strcpy(body + n + big, "\\n\"}]");
    odoo_cursor *c = cursor_on(body, 100);
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo_cursor_next(c, &err), ODOO_CURSOR_ROW);
    const char *s;
    size_t len;
    cr_assert_eq(odoo_cursor_string(c, odoo_cursor_field_index(c, "note"), &s, &len), ODOO_FIELD_OK);
    cr_assert_eq(len, big + 1);
    cr_assert_eq(memcmp(s, body + n, big), 0);
    cr_assert_eq(s[big], '\n');
    cr_assert_eq(odoo_cursor_next(c, &err), ODOO_CURSOR_DONE);
    odoo_cursor_free(c);
    free(body);
}

/* An error answer goes through the DOM path's mapping. */
Test(cursor, an_error_envelope_is_mapped_as_the_dom_path_maps_it)
{
    json_object *fx = fixture_load("odoo19/jsonrpc-service/24-access-error.json");
    const char *body = fixture_str(fx, "response", "body");
    odoo_rpc_error want = ODOO_RPC_ERROR_INIT, got = ODOO_RPC_ERROR_INIT;
    odoo_http_response resp = { fixture_status(fx), "application/json", (char *)body, strlen(body), -1 };
    odoo_jsonrpc_id id = { 0, 0, NULL };
    int wrc = odoo_jsonrpc_decode(NULL, &resp, ODOO_JSONRPC_ODOO, &id, &want);
    cr_assert_lt(wrc, 0);
    odoo_cursor *c = cursor_on(body, 17);
    cr_assert_eq(odoo_cursor_next(c, &got), wrc);
    cr_assert_eq(got.kind, want.kind);
    cr_assert_str_eq(got.message, want.message);
    cr_assert_str_eq(got.error_class, want.error_class);
    odoo_rpc_error_clear(&want);
    odoo_rpc_error_clear(&got);
    odoo_cursor_free(c);
    json_object_put(fx);
}

Test(cursor, a_body_that_breaks_off_fails_after_its_records)
{
    odoo_cursor *c = cursor_on("[{\"id\": 1}, {\"id\": 2", 4);
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo_cursor_next(c, &err), ODOO_CURSOR_ROW);
    cr_assert_eq(odoo_cursor_next(c, &err), ODOO_ERR_PROTOCOL);
    cr_assert(strstr(err.message, "byte 20"), "%s", err.message);
    odoo_rpc_error_clear(&err);
    odoo_cursor_free(c);
}

/* The gateway's envelope (string ids) and the id check; a zeroed
 * options struct checks no id. */
Test(cursor, the_gateway_envelope_and_the_request_id)
{
    const char *body = "{\"jsonrpc\": \"2.0\", \"id\": \"8c3e\", \"result\": [{\"id\": 4}]}";
    const char *ids[] = { "8c3e", "other" };
    for (int k = 0; k < 2; k++) {
        odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
        o.shape = ODOO_CURSOR_GATEWAY;
        o.expected_id_str = ids[k];
        odoo_cursor *c = odoo_cursor_new(&o);
        cr_assert_eq(odoo_cursor_feed(c, body, strlen(body)), 0);
        odoo_cursor_finish(c);
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        int rc = odoo_cursor_next(c, &err);
        if (k == 0) {
            cr_assert_eq(rc, ODOO_CURSOR_ROW);
            cr_assert_eq(odoo_cursor_next(c, &err), ODOO_CURSOR_DONE);
        } else {
            cr_assert_eq(rc, ODOO_ERR_PROTOCOL, "%d %s", rc, err.message);
        }
        odoo_rpc_error_clear(&err);
        odoo_cursor_free(c);
    }
    odoo_cursor_options zero = { 0 };
    odoo_cursor *c = odoo_cursor_new(&zero);
    const char *odoo = "{\"jsonrpc\": \"2.0\", \"id\": 7, \"result\": []}";
    cr_assert_eq(odoo_cursor_feed(c, odoo, strlen(odoo)), 0);
    odoo_cursor_finish(c);
    cr_assert_eq(odoo_cursor_next(c, NULL), ODOO_CURSOR_DONE);
    odoo_cursor_free(c);
}
