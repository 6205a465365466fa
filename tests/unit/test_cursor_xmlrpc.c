/* The incremental XML-RPC decoder (adapters/xmlrpc_stream.h) and the row
 * cursor on it (ODOO_CURSOR_XMLRPC): every recorded XML-RPC answer gives
 * through its events the value the DOM decoders give, fed whole, split at
 * every byte and a byte at a time; every answer reads through the cursor
 * as the DOM path reads it (its records, or its error: a fault goes to
 * the DOM path and maps the same); malformed, truncated and hostile XML
 * is refused as the DOM path refuses it; a member whose value comes
 * before its name; the limits. Against odoo-mock: odoo_search_read_rows
 * over XML-RPC streams the same records as odoo_search_read, stops
 * early, maps a fault, fails (never a short success) on a reset or a cut
 * after some records, and keeps the heap flat over a 50,000-record page
 * (an answer the DOM path cannot even buffer). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo/cursor.h>

#include "heap.h"
#include "adapters/xmlrpc_reply.h"
#include "adapters/xmlrpc_sax.h"
#include "adapters/xmlrpc_stream.h"
#include "core/jstream.h"
#include "core/rows.h"
#include "fixtures.h"

static const char *const folders[] = { "odoo18/xmlrpc", "odoo19/xmlrpc" };

/* ---- the decoder's events, built into json-c by jstream's builder ---- */

/* Feed text split at the cut points (ascending, then len), pull every
 * event into the DOM builder. 0 with *out (and *fault), or -1 with why. */
static int events_parse(const char *text, size_t len, const size_t *cuts, size_t ncuts, json_object **out, int *fault,
                        char *why, size_t whylen)
{
    odoo__xmlrpc_stream *xs = odoo__xs_new(NULL);
    cr_assert(xs);
    odoo__jdom d;
    odoo__jdom_init(&d);
    size_t at = 0, k = 0;
    int rc = -1, have = 0;
    *out = NULL;
    for (;;) {
        odoo__js_event ev = odoo__xs_next(xs);
        if (ev == ODOO_JS_MORE) {
            if (at == len) {
                odoo__xs_finish(xs);
                continue;
            }
            size_t to = k < ncuts ? cuts[k++] : len;
            cr_assert_eq(odoo__xs_feed(xs, text + at, to - at), 0);
            at = to;
            continue;
        }
        if (ev == ODOO_JS_ERROR) {
            snprintf(why, whylen, "%s", xs->why);
            break;
        }
        if (ev == ODOO_JS_END) {
            cr_assert(have || !d.depth, "END before the value was complete");
            *out = odoo__jdom_take(&d);
            *fault = xs->fault;
            rc = 0;
            break;
        }
        int r = odoo__jdom_event(&d, ev, &xs->tok);
        cr_assert_geq(r, 0);
        if (r == 1)
            have = 1;
    }
    odoo__jdom_free(&d);
    odoo__xs_free(xs);
    return rc;
}

static const char *text_of(json_object *v)
{
    return v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null";
}

/* The events of body, split as given, build what expat's DOM decoder builds. */
static void expect_events_as_dom(const char *rel, const char *body, size_t len, const size_t *cuts, size_t ncuts)
{
    odoo_xmlrpc_reply dom;
    char wd[256], ws[256];
    int rd = odoo__xmlrpc_parse_expat(body, len, &dom, wd, sizeof(wd));
    json_object *v = NULL;
    int fault = 0;
    int rs = events_parse(body, len, cuts, ncuts, &v, &fault, ws, sizeof(ws));
    cr_assert_eq(rs == 0, rd == 0, "%s (cut %zu): DOM %d (%s), stream %d (%s)", rel, ncuts ? cuts[0] : 0, rd,
                 rd ? wd : "", rs, rs ? ws : "");
    if (rd == 0) {
        cr_assert_eq(fault, dom.fault, "%s", rel);
        cr_assert_str_eq(text_of(v), text_of(dom.value), "%s (cut %zu)", rel, ncuts ? cuts[0] : 0);
    }
    json_object_put(v);
    json_object_put(dom.value);
}

Test(xmlrpc_stream, every_fixture_answer_gives_the_dom_value_split_anywhere)
{
    size_t checked = 0;
    for (size_t f = 0; f < sizeof(folders) / sizeof(folders[0]); f++) {
        char **names;
        size_t n = fixture_list(folders[f], &names);
        cr_assert_geq(n, 70, "fixtures missing in %s", folders[f]);
        for (size_t i = 0; i < n; i++) {
            char rel[256];
            snprintf(rel, sizeof(rel), "%s/%s", folders[f], names[i]);
            json_object *fx = fixture_load(rel);
            const char *body = fixture_str(fx, "response", "body");
            size_t len = strlen(body);
            expect_events_as_dom(rel, body, len, NULL, 0);
            /* two pieces, at every byte */
            for (size_t cut = 0; cut <= len; cut++)
                expect_events_as_dom(rel, body, len, &cut, 1);
            /* a byte at a time */
            size_t *cuts = malloc((len + 1) * sizeof(*cuts));
            for (size_t b = 0; b < len; b++)
                cuts[b] = b + 1;
            expect_events_as_dom(rel, body, len, cuts, len);
            free(cuts);
            json_object_put(fx);
            checked++;
        }
        fixture_list_free(names, n);
    }
    cr_expect_geq(checked, 140);
}

/* ---- the cursor ---- */

typedef struct {
    int rc;                  /* DONE, or the error kind */
    json_object *records;    /* the records read */
    odoo_rpc_error err;
} read_out;

/* Read body through an XML-RPC cursor, fed in pieces of step bytes (0:
 * whole, (size_t)-1: random), max_string as given. */
static read_out cursor_read(const char *body, size_t len, long status, const char *ctype, size_t step,
                            size_t max_string)
{
    odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
    o.shape = ODOO_CURSOR_XMLRPC;
    o.http_status = status;
    o.content_type = ctype;
    o.max_string = max_string;
    odoo_cursor *c = odoo_cursor_new(&o);
    cr_assert(c);
    read_out r = { 0, json_object_new_array(), ODOO_RPC_ERROR_INIT };
    size_t at = 0;
    for (;;) {
        int rc = odoo_cursor_next(c, &r.err);
        if (rc == ODOO_CURSOR_MORE) {
            if (at == len) {
                odoo_cursor_finish(c);
                continue;
            }
            size_t n = step == 0 ? len - at : step == (size_t)-1 ? 1 + (size_t)rand() % 4096 : step;
            if (n > len - at)
                n = len - at;
            cr_assert_eq(odoo_cursor_feed(c, body + at, n), 0);
            at += n;
            continue;
        }
        if (rc == ODOO_CURSOR_ROW) {
            json_object *rec = odoo_cursor_record(c);
            cr_assert(rec);
            json_object_array_add(r.records, rec);
            continue;
        }
        r.rc = rc;
        break;
    }
    cr_assert_eq(odoo_cursor_row_count(c), json_object_array_length(r.records));
    odoo_cursor_free(c);
    return r;
}

static void read_out_free(read_out *r)
{
    json_object_put(r->records);
    odoo_rpc_error_clear(&r->err);
}

static int is_record_list(json_object *v)
{
    if (!json_object_is_type(v, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(v); i++)
        if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_object))
            return 0;
    return 1;
}

/* An answer through the cursor: the DOM path's records, or its error. */
static void expect_cursor_as_dom(const char *rel, const char *body, size_t len, long status, const char *ctype,
                                 size_t step)
{
    json_object *dom = NULL;
    odoo_rpc_error derr = ODOO_RPC_ERROR_INIT;
    int rd = odoo__xmlrpc_decode_response(body, len, status, ctype, &dom, &derr);
    read_out r = cursor_read(body, len, status, ctype, step, 0);
    if (rd == 0 && is_record_list(dom)) {
        cr_assert_eq(r.rc, ODOO_CURSOR_DONE, "%s: %d %s", rel, r.rc, r.err.message);
        cr_assert_str_eq(text_of(r.records), text_of(dom), "%s (step %zu)", rel, step);
    } else if (rd == 0) {
        /* a result that is not records (a count, ids, nil) */
        cr_assert_eq(r.rc, ODOO_ERR_PROTOCOL, "%s: %d", rel, r.rc);
        cr_assert_eq(json_object_array_length(r.records), 0, "%s", rel);
    } else {
        /* a fault or not XML-RPC: the DOM path's error, field by field */
        cr_assert_eq(r.rc, rd, "%s: cursor %d (%s), DOM %d (%s)", rel, r.rc, r.err.message, rd, derr.message);
        cr_assert_eq(json_object_array_length(r.records), 0, "%s", rel);
        cr_assert_str_eq(r.err.message, derr.message, "%s", rel);
        cr_assert_eq(r.err.code, derr.code, "%s", rel);
        cr_assert_eq(r.err.http_status, derr.http_status, "%s", rel);
        cr_assert((!r.err.error_class && !derr.error_class) ||
                      (r.err.error_class && derr.error_class && !strcmp(r.err.error_class, derr.error_class)),
                  "%s", rel);
    }
    json_object_put(dom);
    odoo_rpc_error_clear(&derr);
    read_out_free(&r);
}

Test(cursor_xmlrpc, every_fixture_answer_reads_as_the_dom_path)
{
    size_t records = 0, faults = 0;
    for (size_t f = 0; f < sizeof(folders) / sizeof(folders[0]); f++) {
        char **names;
        size_t n = fixture_list(folders[f], &names);
        for (size_t i = 0; i < n; i++) {
            char rel[256];
            snprintf(rel, sizeof(rel), "%s/%s", folders[f], names[i]);
            json_object *fx = fixture_load(rel);
            const char *body = fixture_str(fx, "response", "body");
            size_t len = strlen(body);
            long status = fixture_status(fx);
            const char *ctype = fixture_header(fx, "response", "Content-Type");
            size_t steps[] = { 0, 1, 7, 100, (size_t)-1 };
            for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++)
                expect_cursor_as_dom(rel, body, len, status, ctype, steps[s]);
            records += strstr(body, "<params>") && strstr(body, "<struct>") ? 1 : 0;
            faults += strstr(body, "<fault>") ? 1 : 0;
            json_object_put(fx);
        }
        fixture_list_free(names, n);
    }
    cr_expect_geq(records, 10, "record answers among the fixtures: %zu", records);
    cr_expect_geq(faults, 20, "faults among the fixtures: %zu", faults);
}

/* A search_read answer of n partners written as Python's xmlrpc.client writes it. */
static char *partners(size_t n, size_t *len)
{
    size_t cap = 300 + n * 1200, at = 0;
    char *b = malloc(cap);
    at += (size_t)snprintf(b + at, cap - at, "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"
                                             "<value><array><data>\n");
    for (size_t i = 1; i <= n; i++)
        at += (size_t)snprintf(
            b + at, cap - at,
            "<value><struct>\n<member>\n<name>id</name>\n<value><int>%zu</int></value>\n</member>\n"
            "<member>\n<name>name</name>\n<value><string>Partner &amp; %zu \xc3\xa9</string></value>\n</member>\n"
            "<member>\n<name>email</name>\n<value><boolean>0</boolean></value>\n</member>\n"
            "<member>\n<name>parent_id</name>\n<value><array><data>\n<value><int>%zu</int></value>\n"
            "<value><string>Parent</string></value>\n</data></array></value>\n</member>\n"
            "<member>\n<name>child_ids</name>\n<value><array><data>\n<value><int>3</int></value>\n"
            "<value><int>4</int></value>\n</data></array></value>\n</member>\n"
            "<member>\n<name>partner_latitude</name>\n<value><double>%zu.25</double></value>\n</member>\n"
            "<member>\n<name>write_date</name>\n<value><dateTime.iso8601>20240102T03:04:05</dateTime.iso8601>"
            "</value>\n</member>\n<member>\n<name>note</name>\n<value>bare text</value>\n</member>\n"
            "</struct></value>\n",
            i, i, i, i);
    at += (size_t)snprintf(b + at, cap - at, "</data></array></value>\n</param>\n</params>\n</methodResponse>\n");
    *len = at;
    return b;
}

Test(cursor_xmlrpc, a_generated_answer_in_random_and_tiny_chunks)
{
    size_t len;
    char *body = partners(300, &len);
    size_t steps[] = { 0, 1, 3, 4096, 16384, (size_t)-1 };
    for (size_t s = 0; s < sizeof(steps) / sizeof(steps[0]); s++)
        expect_cursor_as_dom("partners", body, len, 200, "text/xml", steps[s]);
    read_out r = cursor_read(body, len, 200, "text/xml", 1000, 0);
    cr_assert_eq(json_object_array_length(r.records), 300);
    cr_expect_str_eq(text_of(json_object_array_get_idx(r.records, 0)),
                     "{\"id\":1,\"name\":\"Partner & 1 \xc3\xa9\",\"email\":false,\"parent_id\":[1,\"Parent\"],"
                     "\"child_ids\":[3,4],\"partner_latitude\":1.25,\"write_date\":\"2024-01-02 03:04:05\","
                     "\"note\":\"bare text\"}");
    read_out_free(&r);
    free(body);
}

Test(cursor_xmlrpc, typed_fields)
{
    size_t len;
    char *body = partners(2, &len);
    odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
    o.shape = ODOO_CURSOR_XMLRPC;
    odoo_cursor *c = odoo_cursor_new(&o);
    cr_assert_eq(odoo_cursor_feed(c, body, len), 0);
    odoo_cursor_finish(c);
    cr_assert_eq(odoo_cursor_next(c, NULL), ODOO_CURSOR_ROW);
    int64_t id = 0;
    const char *s;
    size_t n;
    const int64_t *ids;
    double d;
    cr_expect_eq(odoo_cursor_int64(c, odoo_cursor_field_index(c, "id"), &id), ODOO_FIELD_OK);
    cr_expect_eq(id, 1);
    cr_expect_eq(odoo_cursor_string(c, odoo_cursor_field_index(c, "email"), &s, &n), ODOO_FIELD_UNSET);
    cr_expect_eq(odoo_cursor_many2one(c, odoo_cursor_field_index(c, "parent_id"), &id, &s, &n), ODOO_FIELD_OK);
    cr_expect(id == 1 && n == 6 && !memcmp(s, "Parent", 6));
    cr_expect_eq(odoo_cursor_ids(c, odoo_cursor_field_index(c, "child_ids"), &ids, &n), ODOO_FIELD_OK);
    cr_expect(n == 2 && ids[0] == 3 && ids[1] == 4);
    cr_expect_eq(odoo_cursor_double(c, odoo_cursor_field_index(c, "partner_latitude"), &d), ODOO_FIELD_OK);
    cr_expect(d == 1.25);
    cr_assert_eq(odoo_cursor_next(c, NULL), ODOO_CURSOR_ROW);
    cr_assert_eq(odoo_cursor_next(c, NULL), ODOO_CURSOR_DONE);
    odoo_cursor_free(c);
    free(body);
}

/* Two records, and the end of the answer. */
#define R2 "<methodResponse><params><param><value><array><data>" \
           "<value><struct><member><name>id</name><value><int>1</int></value></member></struct></value>\n" \
           "<value><struct><member><name>id</name><value><int>2</int></value></member></struct></value>\n"
#define END "</data></array></value></param></params></methodResponse>"

/* Documents the DOM path refuses (or reads differently): the cursor agrees. */
static const char *const hostile[] = {
    "",
    "not xml at all",
    "<?xml version='1.0'?>\n<methodResponse>",
    "<methodResponse><params><param><value><array><data><value><struct><member><name>id</name>"
    "<value><int>1</int></value></member></struct></value>", /* cut inside the records */
    "<!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
    "<methodResponse><params><param><value><string>&b;</string></value></param></params></methodResponse>",
    "<methodResponse><params><param><value><array><data><value><struct><member><name>id</name>"
    "<value><int>99999999999999999999</int></value></member></struct></value></data></array></value></param>"
    "</params></methodResponse>",
    "<methodResponse><params><param><value><array><data><value><struct><member><name>id</name>"
    "<value><int>1</int></value></member></struct></value><value><struct><member><name>id</name>"
    "<value><i4>x</i4></value></member></struct></value></data></array></value></param>"
    "</params></methodResponse>", /* a bad scalar after one record */
    "<methodResponse><params><param><value><array><data></data></array></value></param><param><value><int>1</int>"
    "</value></param></params></methodResponse>",
    "<methodResponse><params><param><value><array><data><value><struct><member><name>id</name>"
    "<value><int>1</int></value></member></struct></value></data></array></value></param></params>"
    "</methodResponse>junk",
    "<methodResponse><params><param><value><array><data><value><struct><member><name>id</name>"
    "<value><int>1</int></value><value><int>2</int></value></member></struct></value></data></array></value>"
    "</param></params></methodResponse>", /* two values in a member */
    "<methodResponse><params><param><value><array><data><value><struct><member><name>id</name></member>"
    "</struct></value></data></array></value></param></params></methodResponse>", /* no value */
    "<methodResponse><params><param><value><array><data><value><foo/></value></data></array></value></param>"
    "</params></methodResponse>",
    "<methodResponse><params><param><value><array></array></value></param></params></methodResponse>",
    "<methodResponse><params><param><value><array><data><value><base64>!!</base64></value></data></array>"
    "</value></param></params></methodResponse>",
    "<methodResponse><params><param><value><array><data><value><string>\xff</string></value></data></array>"
    "</value></param></params></methodResponse>",
    "<methodCall><methodName>x</methodName></methodCall>",
    "<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member>"
    "<member><name>faultString</name><value><string>boom</string></value></member></struct></value></fault>"
    "</methodResponse>",
    "<methodResponse><fault><value><string>no struct</string></value></fault></methodResponse>",
    "<methodResponse><params><param><value><array><data><value><struct><member><name>id</name>"
    "<value><int>1</int></value></member></struct></value></data></array></value></param></params>"
    "</methodResponse><!-- a comment after --> ",
    "<?xml version='1.0' encoding='ISO-8859-1'?><methodResponse><params><param><value><array><data><value>"
    "<struct><member><name>n\xe9</name><value>caf\xe9</value></member><member><name>id</name>"
    "<value><i8>7</i8></value></member></struct></value></data></array></value></param></params>"
    "</methodResponse>",
    "<methodResponse><params><param><value><array><data><value><struct a='1'><!-- c --><member><name>id</name>"
    "<value><ex:i8>7</ex:i8></value></member><member><name>x</name><value><![CDATA[<cdata>]]></value></member>"
    "<member><name>y</name><value><ex:nil/></value></member></struct></value></data></array></value></param>"
    "</params></methodResponse>",
    /* where the scanner hands over to expat after records began: the rest judged as in one pass */
    R2 "<!-- a comment between records -->" R2 END,
    R2 "<value><struct><member><name>id</name><value><int>9</int></value></member><member><name>s</name>"
    "<value><string>a<![CDATA[<b>&]]>c</string></value></member></struct></value>" END,
    R2 "<value ><struct><member><name>id</name><value><int>9</int></value></member></struct></value>" END,
    R2 "<value><struct a='1'><member><name>id</name><value><int>9</int></value></member></struct></value>" END,
    R2 "<value><struct><member><name>id</name><value><int>9</int></value></member></strct></value>" END,
    R2 "<value><struct><member><name>id</name><value><int>9</int></value></member></struct></value>" END "<x/>",
    R2 END "<!-- after --><?pi x?>\n",
    R2 END "text after",
    R2 "<value><struct><member><name>s</name><value>a\r\nb&#x41;&#65;&lt;&quot;\xf0\x9f\x98\x80</value></member>"
    "</struct></value>" END,
    R2 "<value><struct><member><name>s</name><value>&#0;</value></member></struct></value>" END,
    R2 "<value><struct><member><name>s</name><value>&nope;</value></member></struct></value>" END,
    R2 "<value><struct><member><name>s</name><value>]]></value></member></struct></value>" END,
    R2 "<value><struct><member><name>s</name><value>\x01</value></member></struct></value>" END,
    R2 "<value><struct><member><name>s</name><value>\xed\xa0\x80</value></member></struct></value>" END,
    R2 "<value><struct><member><name>id</name><value><int>9</int></value></member></struct></value>" END "\n\n",
    "<?xml version='1.0'?>\n<?xml version='1.0'?><methodResponse/>",
    "\n<?xml version='1.0'?>" R2 END,
    "\xef\xbb\xbf<?xml version='1.0'?>" R2 END,
    "<?xml version='1.0'?><!-- before -->" R2 END,
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" R2 END,
};

Test(cursor_xmlrpc, hostile_and_malformed_answers_as_the_dom_path)
{
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        char rel[32];
        snprintf(rel, sizeof(rel), "hostile[%zu]", i);
        size_t len = strlen(hostile[i]);
        expect_events_as_dom(rel, hostile[i], len, NULL, 0);
        for (size_t cut = 0; cut <= len; cut++)
            expect_events_as_dom(rel, hostile[i], len, &cut, 1);
        size_t steps[] = { 0, 1, 5 };
        for (size_t s = 0; s < 3; s++) {
            read_out r = cursor_read(hostile[i], len, 200, "text/xml", steps[s], 0);
            json_object *dom = NULL;
            odoo_rpc_error derr = ODOO_RPC_ERROR_INIT;
            int rd = odoo__xmlrpc_decode_response(hostile[i], len, 200, "text/xml", &dom, &derr);
            if (rd == 0 && is_record_list(dom)) {
                cr_expect_eq(r.rc, ODOO_CURSOR_DONE, "%s: %s", rel, r.err.message);
                cr_expect_str_eq(text_of(r.records), text_of(dom), "%s", rel);
            } else {
                cr_expect_lt(r.rc, 0, "%s: the cursor took what the DOM path refuses", rel);
                cr_expect(r.err.message && *r.err.message, "%s: no message", rel);
                if (rd != 0)
                    cr_expect_eq(r.rc, rd, "%s: %s / %s", rel, r.err.message, derr.message);
            }
            json_object_put(dom);
            odoo_rpc_error_clear(&derr);
            read_out_free(&r);
        }
    }
}

Test(cursor_xmlrpc, an_answer_cut_at_any_byte_is_an_error_never_a_short_success)
{
    size_t len;
    char *body = partners(3, &len);
    read_out whole = cursor_read(body, len, 200, "text/xml", 0, 0);
    cr_assert_eq(whole.rc, ODOO_CURSOR_DONE);
    for (size_t cut = 0; cut < len; cut++) {
        if (strspn(body + cut, " \n") == len - cut)
            continue; /* only the trailing newline is missing: complete */
        read_out r = cursor_read(body, cut, 200, "text/xml", 17, 0);
        cr_assert_lt(r.rc, 0, "cut at %zu of %zu read as complete", cut, len);
        cr_assert(r.err.message && *r.err.message);
        size_t k = json_object_array_length(r.records);
        for (size_t j = 0; j < k; j++) /* what came before the cut is right */
            cr_assert_str_eq(text_of(json_object_array_get_idx(r.records, j)),
                             text_of(json_object_array_get_idx(whole.records, j)));
        read_out_free(&r);
    }
    read_out_free(&whole);
    free(body);
}

Test(cursor_xmlrpc, a_member_whose_value_comes_before_its_name)
{
    const char *body = "<methodResponse><params><param><value><array><data>"
                       "<value><struct><member><value><int>1</int></value><name>id</name></member>"
                       "<member><value><struct><member><value><i4>5</i4></value><name>in</name></member></struct>"
                       "</value><name>o</name></member><member><name>n</name><value>x</value></member></struct>"
                       "</value><value><struct><member><name>id</name><value><int>2</int></value></member>"
                       "</struct></value></data></array></value></param></params></methodResponse>";
    size_t len = strlen(body);
    for (size_t cut = 0; cut <= len; cut++)
        expect_events_as_dom("value-first", body, len, &cut, 1);
    size_t steps[] = { 0, 1, 2, 9 };
    for (size_t s = 0; s < 4; s++)
        expect_cursor_as_dom("value-first", body, len, 200, "text/xml", steps[s]);
    read_out r = cursor_read(body, len, 200, "text/xml", 1, 0);
    cr_expect_str_eq(text_of(r.records), "[{\"id\":1,\"o\":{\"in\":5},\"n\":\"x\"},{\"id\":2}]");
    read_out_free(&r);
}

Test(cursor_xmlrpc, a_four_megabyte_string_in_100_byte_chunks_scanner_and_expat, .timeout = 60)
{
    size_t big = (size_t)4 << 20;
    for (int expat = 0; expat <= 1; expat++) { /* a comment first: expat reads it all */
        size_t cap = big + 400, at = 0;
        char *b = malloc(cap);
        at += (size_t)snprintf(b + at, cap - at, "%s<methodResponse><params><param><value><array><data><value>"
                                                 "<struct><member><name>id</name><value><int>1</int></value></member>"
                                                 "<member><name>s</name><value><string>",
                               expat ? "<!-- c -->" : "");
        for (size_t i = 0; i < big; i++)
            b[at++] = "abcdefgh&amp;"[i % 8];
        at += (size_t)snprintf(b + at, cap - at, "</string></value></member></struct></value></data></array></value>"
                                                 "</param></params></methodResponse>");
        read_out r = cursor_read(b, at, 200, "text/xml", 100, 0);
        cr_assert_eq(r.rc, ODOO_CURSOR_DONE, "%s", r.err.message);
        json_object *s = json_object_object_get(json_object_array_get_idx(r.records, 0), "s");
        cr_assert_eq((size_t)json_object_get_string_len(s), big);
        read_out_free(&r);
        free(b);
    }
}

Test(cursor_xmlrpc, nesting_at_and_beyond_the_limit)
{
    for (int extra = 0; extra <= 1; extra++) {
        /* the rows array and a record are two levels; a field nests the rest */
        int levels = ODOO_XMLRPC_MAX_DEPTH - 2 + extra;
        size_t cap = 400 + (size_t)levels * 64, at = 0;
        char *b = malloc(cap);
        at += (size_t)snprintf(b + at, cap - at, "<methodResponse><params><param><value><array><data><value>"
                                                 "<struct><member><name>f</name>");
        for (int i = 0; i < levels; i++)
            at += (size_t)snprintf(b + at, cap - at, "<value><array><data>");
        for (int i = 0; i < levels; i++)
            at += (size_t)snprintf(b + at, cap - at, "</data></array></value>");
        at += (size_t)snprintf(b + at, cap - at, "</member></struct></value></data></array></value></param>"
                                                 "</params></methodResponse>");
        expect_events_as_dom("nesting", b, at, NULL, 0);
        read_out r = cursor_read(b, at, 200, "text/xml", 64, 0);
        if (extra) {
            cr_expect_eq(r.rc, ODOO_ERR_PROTOCOL);
            cr_expect(strstr(r.err.message, "nesting"), "%s", r.err.message);
        } else {
            cr_expect_eq(r.rc, ODOO_CURSOR_DONE, "%s", r.err.message);
            cr_expect_eq(json_object_array_length(r.records), 1);
        }
        read_out_free(&r);
        free(b);
    }
}

Test(cursor_xmlrpc, a_string_beyond_max_string_is_refused_not_cut)
{
    size_t len;
    char *body = partners(5, &len);
    read_out r = cursor_read(body, len, 200, "text/xml", 100, 8); /* "Partner &amp; 1 é" is longer */
    cr_expect_eq(r.rc, ODOO_ERR_PROTOCOL);
    cr_expect(strstr(r.err.message, "longer than 8 bytes"), "%s", r.err.message);
    cr_expect_eq(json_object_array_length(r.records), 0);
    read_out_free(&r);
    r = cursor_read(body, len, 200, "text/xml", 100, 24);
    cr_expect_eq(r.rc, ODOO_CURSOR_DONE, "%s", r.err.message);
    read_out_free(&r);
    free(body);
}

Test(cursor_xmlrpc, a_fault_maps_as_the_dom_path_and_the_envelope_is_an_empty_list)
{
    const char *fault = "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n"
                        "<name>faultCode</name>\n<value><int>1</int></value>\n</member>\n<member>\n"
                        "<name>faultString</name>\n<value><string>Traceback...\nodoo.exceptions.AccessError: "
                        "no</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n";
    expect_cursor_as_dom("fault", fault, strlen(fault), 200, "text/xml", 3);

    /* records read: the envelope is an answer of no records, for the adapter's decode */
    size_t len;
    char *body = partners(2, &len);
    odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
    o.shape = ODOO_CURSOR_XMLRPC;
    odoo_cursor *c = odoo_cursor_new(&o);
    cr_assert_eq(odoo_cursor_feed(c, body, len), 0);
    odoo_cursor_finish(c);
    while (odoo_cursor_next(c, NULL) == ODOO_CURSOR_ROW)
        ;
    size_t n;
    int whole;
    const char *env = odoo__cursor_envelope(c, &n, &whole);
    cr_expect_eq(whole, 0);
    json_object *v = NULL;
    cr_assert_eq(odoo__xmlrpc_decode_response(env, n, 200, "text/xml", &v, NULL), 0);
    cr_expect_str_eq(text_of(v), "[]");
    json_object_put(v);
    odoo_cursor_free(c);
    free(body);
}

/* ---- odoo_search_read_rows over XML-RPC, against odoo-mock ---- */

#ifdef ODOO_HAVE_MOCK
#include <sys/wait.h>
#include <unistd.h>

#include <odoo/helpers.h>
#include <odoo_mock.h>

#include "core/base.h"
#include "core/secret.h"
#include "scenario.h"

typedef struct {
    json_object *records;
    size_t rows, stop_at;
} got;

static int on_row(const odoo_cursor *row, void *payload)
{
    got *g = payload;
    g->rows++;
    json_object_array_add(g->records, odoo_cursor_record(row));
    return g->stop_at && g->rows == g->stop_at ? 7 : 0;
}

Test(cursor_xmlrpc, search_read_rows_over_xmlrpc_streams_against_odoo_mock, .timeout = 120)
{
    odoo_mock *mock = NULL;
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cfg.partners = 2500;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0);
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    const test_proto *pr = NULL;
    for (size_t i = 0; i < TEST_NPROTOS; i++)
        if (test_protos[i].kind == ODOO_PROTOCOL_XMLRPC)
            pr = &test_protos[i];
    cr_assert(pr);
    odoo_options o = ODOO_OPTIONS_INIT;
    test_proto_options(mock, pr, &o);
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, pr->kind, &o, &err), 0, "%s", err.message);

    static const char *fields[] = { "name", "email", "parent_id", "child_ids", "active", "color",
                                    "partner_latitude", "country_id", NULL };
    odoo_search_options so = ODOO_SEARCH_OPTIONS_INIT;
    so.fields = fields;
    so.order = "id";
    json_object *dom = NULL;
    cr_assert_eq(odoo_search_read(&dom, p, "res.partner", &so, &err), 0, "%s", err.message);
    cr_assert_geq(json_object_array_length(dom), 2000);

    so.order = NULL;
    got g = { json_object_new_array(), 0, 0 };
    cr_assert_eq(odoo_search_read_rows(p, "res.partner", &so, on_row, &g, &err), 0, "%s", err.message);
    cr_expect(odoo__http_streamed(p->http), "the XML-RPC answer was buffered, not streamed");
    cr_assert_str_eq(text_of(g.records), text_of(dom), "the streamed records differ from the DOM's");
    json_object_put(g.records);

    /* an early stop aborts the transfer; the connection goes on */
    got s = { json_object_new_array(), 0, 3 };
    cr_expect_eq(odoo_search_read_rows(p, "res.partner", &so, on_row, &s, &err), 7);
    cr_expect_eq(s.rows, 3);
    json_object_put(s.records);
    json_object *again = NULL;
    cr_assert_eq(odoo_search_read(&again, p, "res.partner", &so, &err), 0, "%s", err.message);
    json_object_put(again);

    /* an error answer (a fault: no such model) maps as odoo_search_read maps it */
    odoo_rpc_error e1 = ODOO_RPC_ERROR_INIT, e2 = ODOO_RPC_ERROR_INIT;
    json_object *none = NULL;
    got n = { json_object_new_array(), 0, 0 };
    int k1 = odoo_search_read(&none, p, "no.such.model", &so, &e1);
    int k2 = odoo_search_read_rows(p, "no.such.model", &so, on_row, &n, &e2);
    cr_expect_eq(k2, k1);
    cr_expect_neq(k1, 0);
    cr_expect_str_eq(e2.message, e1.message);
    cr_expect_eq(n.rows, 0);
    json_object_put(n.records);
    odoo_rpc_error_clear(&e1);
    odoo_rpc_error_clear(&e2);

    json_object_put(dom);
    odoo_close(p);
    odoo_rpc_error_clear(&err);
    odoo_mock_stop(mock);
}

static odoo_protocol *open_xmlrpc(odoo_mock *mock, int retries, odoo_rpc_error *err)
{
    const test_proto *pr = NULL;
    for (size_t i = 0; i < TEST_NPROTOS; i++)
        if (test_protos[i].kind == ODOO_PROTOCOL_XMLRPC)
            pr = &test_protos[i];
    cr_assert(pr);
    odoo_options o = ODOO_OPTIONS_INIT;
    test_proto_options(mock, pr, &o);
    o.proxy_retries = retries;
    o.proxy_retry_backoff_ms = 10;
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, pr->kind, &o, err), 0, "%s", err->message);
    return p;
}

Test(cursor_xmlrpc, a_reset_or_a_cut_after_some_records_is_an_error_never_a_short_success, .timeout = 120)
{
    odoo_mock *mock = NULL;
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cfg.partners = 3000;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0);
    static const char *faults[] = { "reset:path=/xmlrpc/2/object", "truncated:path=/xmlrpc/2/object" };
    for (size_t f = 0; f < 2; f++) {
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        odoo_protocol *p = open_xmlrpc(mock, 2, &err);
        int64_t n = 0;
        cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
        cr_assert_eq(odoo_mock_inject(mock, faults[f]), 0);
        odoo_search_options so = ODOO_SEARCH_OPTIONS_INIT;
        got g = { json_object_new_array(), 0, 0 };
        int rc = odoo_search_read_rows(p, "res.partner", &so, on_row, &g, &err);
        cr_expect_lt(rc, 0, "%s: an error, not a short success (%zu rows)", faults[f], g.rows);
        cr_expect(g.rows > 0 && (int64_t)g.rows < n, "%s: %zu rows of %lld before the fault", faults[f], g.rows,
                  (long long)n);
        json_object_put(g.records);
        odoo_rpc_error_clear(&err);
        odoo_close(p);
    }
    odoo_mock_stop(mock);
}


typedef struct {
    size_t max, rows;
} peak;

static int on_row_peak(const odoo_cursor *row, void *payload)
{
    peak *k = payload;
    (void)row;
    if (++k->rows % 500 == 0 && test_heap_now() > k->max)
        k->max = test_heap_now();
    return 0;
}

Test(cursor_xmlrpc, the_heap_stays_flat_over_a_50000_record_xmlrpc_page, .timeout = 180)
{
    if (!test_heap_counted())
        cr_skip_test("mallinfo2 does not see this allocator (ASan, valgrind): heap growth cannot be measured");
    odoo_mock *mock = NULL;
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cfg.partners = 50000;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0);
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    pid_t pid = fork(); /* the client in a child: the mock's buffers stay out of the count */
    if (pid == 0) {
        close(fd[0]);
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        odoo_protocol *p = open_xmlrpc(mock, 0, &err);
        int64_t n = 0;
        odoo_search_count(&n, p, "res.partner", NULL, &err);
        odoo_search_options so = ODOO_SEARCH_OPTIONS_INIT;
        so.page_size = n; /* one page: one answer of about 40 MB */
        size_t base = test_heap_now();
        peak k = { base, 0 };
        int rc = odoo_search_read_rows(p, "res.partner", &so, on_row_peak, &k, &err);
        size_t out[2] = { rc == 0 && (int64_t)k.rows == n ? k.max - base : (size_t)-1, 0 };
        base = test_heap_now();
        json_object *all = NULL;
        so.page_size = 0;
        so.limit = n;
        rc = odoo_search_read(&all, p, "res.partner", &so, &err);
        out[1] = rc == 0 && (int64_t)json_object_array_length(all) == n ? test_heap_now() - base : 0;
        json_object_put(all);
        odoo_close(p);
        ssize_t w = write(fd[1], out, sizeof(out));
        _exit(w == (ssize_t)sizeof(out) ? 0 : 1);
    }
    close(fd[1]);
    size_t r[2] = { 0 };
    cr_assert_eq(read(fd[0], r, sizeof(r)), (ssize_t)sizeof(r));
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    /* (the DOM path cannot even buffer this answer: it is beyond max_response_bytes' 64 MiB) */
    cr_log_info("xmlrpc: rows peak heap growth %zu KB, DOM %s", r[0] >> 10, r[1] ? "read it" : "refused it");
    cr_expect_lt(r[0], (size_t)2 << 20, "rows: the heap grew %zu KB over a 50,000-record XML-RPC page", r[0] >> 10);
    odoo_mock_stop(mock);
}
#endif
