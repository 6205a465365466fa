/* The XML-RPC scanner (xmlrpc_scan.c) against the expat decoder it stands
 * in for: on every recorded Odoo answer, on their truncations and the
 * malformed bodies, on generated edge cases and on random mutations,
 * whenever the scanner takes a document, expat takes it too and decodes
 * it to the very same value (doubles bit for bit); whenever expat refuses
 * one, the scanner gives up; and through odoo__xmlrpc_decode_response the
 * default decoder (scanner, then expat) answers exactly as expat alone,
 * errors included. Buffers are copied to exact-size allocations, so a
 * sanitizer build catches any read past the end. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "adapters/xmlrpc_reply.h"
#include "adapters/xmlrpc_sax.h"
#include "adapters/xmlrpc_scan.h"
#include "fixtures.h"
#include "xmlrpc_samples.h"

#define GAVE_UP ODOO_XMLRPC_SCAN_GAVE_UP

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

/* A copy of exactly len bytes, no NUL after them. */
static char *exact_copy(const char *s, size_t len)
{
    char *c = malloc(len ? len : 1);
    cr_assert_not_null(c);
    memcpy(c, s, len);
    return c;
}

/* The scanner and expat on the same bytes. When the scanner takes the
 * document, expat must take it and decode the same; when expat refuses
 * it, the scanner must have given up. Returns the scanner's result;
 * *value (if not NULL) receives its value. */
static int scan_vs_expat(const char *what, const char *body, size_t len, json_object **value)
{
    char *xml = exact_copy(body, len);
    odoo_xmlrpc_reply a, e;
    char wa[256] = "", we[256] = "";
    int ra = odoo__xmlrpc_parse_scan(xml, len, &a, wa, sizeof(wa));
    int re = odoo__xmlrpc_parse_expat(xml, len, &e, we, sizeof(we));
    cr_expect(ra == 0 || ra == GAVE_UP, "%s: scanner returned %d (%s)", what, ra, wa);
    if (ra == 0) {
        cr_expect_eq(re, 0, "%s: the scanner took what expat refuses (%s)", what, we);
        cr_expect_eq(a.fault, e.fault, "%s: fault %d, expat %d", what, a.fault, e.fault);
        cr_expect(json_identical(a.value, e.value), "%s: values differ:\n scanner %s\n expat   %s", what,
                  json_object_to_json_string(a.value), json_object_to_json_string(e.value));
    } else {
        cr_expect(a.value == NULL && a.fault == 0, "%s: a scanner that gave up leaves nothing", what);
    }
    if (value)
        *value = a.value;
    else
        json_object_put(a.value);
    json_object_put(e.value);
    free(xml);
    return ra;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The default decoder (scanner, then expat) answers as expat alone:
 * same result, or the same error field by field. */
static void default_is_expat(const char *what, const char *body, size_t len, long status, const char *ctype)
{
    char *xml = exact_copy(body, len);
    odoo_rpc_error ea = ODOO_RPC_ERROR_INIT, eb = ODOO_RPC_ERROR_INIT;
    json_object *oa = NULL, *ob = NULL;
    int ka = odoo__xmlrpc_decode_response_with(ODOO_XMLRPC_DECODER_SCAN, xml, len, status, ctype, &oa, &ea);
    int kb = odoo__xmlrpc_decode_response_with(ODOO_XMLRPC_DECODER_EXPAT, xml, len, status, ctype, &ob, &eb);
    cr_expect_eq(ka, kb, "%s: default %s, expat %s", what, odoo_error_kind_name((odoo_error_kind)ka),
                 odoo_error_kind_name((odoo_error_kind)kb));
    cr_expect(json_identical(oa, ob), "%s: results differ", what);
    cr_expect_eq(ea.kind, eb.kind, "%s", what);
    cr_expect_eq(ea.code, eb.code, "%s", what);
    cr_expect_eq(ea.http_status, eb.http_status, "%s", what);
    cr_expect(same_str(ea.message, eb.message), "%s: messages differ:\n default %s\n expat   %s", what, ea.message,
              eb.message);
    cr_expect(same_str(ea.error_class, eb.error_class), "%s", what);
    cr_expect(same_str(ea.debug, eb.debug), "%s", what);
    json_object_put(oa);
    json_object_put(ob);
    odoo_rpc_error_clear(&ea);
    odoo_rpc_error_clear(&eb);
    free(xml);
}

typedef struct {
    json_object *fx;
    char rel[256];
    const char *body;
    size_t len;
    long status;
    const char *ctype;
} recorded;

/* Every recorded XML-RPC answer of both versions; free with free_all. */
static size_t load_all(recorded **out)
{
    const char *folders[] = { "odoo19/xmlrpc", "odoo18/xmlrpc" };
    size_t n = 0, cap = 0;
    recorded *r = NULL;
    for (int f = 0; f < 2; f++) {
        char **names;
        size_t k = fixture_list(folders[f], &names);
        for (size_t i = 0; i < k; i++) {
            if (n == cap) {
                cap = cap ? cap * 2 : 128;
                r = realloc(r, cap * sizeof(*r));
                cr_assert_not_null(r);
            }
            snprintf(r[n].rel, sizeof(r[n].rel), "%s/%s", folders[f], names[i]);
            r[n].fx = fixture_load(r[n].rel);
            r[n].body = fixture_str(r[n].fx, "response", "body");
            r[n].len = strlen(r[n].body);
            r[n].status = fixture_status(r[n].fx);
            r[n].ctype = fixture_header(r[n].fx, "response", "Content-Type");
            n++;
        }
        fixture_list_free(names, k);
    }
    *out = r;
    return n;
}

static void free_all(recorded *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_object_put(r[i].fx);
    free(r);
}

/* s with every occurrence of from replaced by to; free() it. */
static char *replace_all(const char *s, const char *from, const char *to)
{
    size_t nf = strlen(from), nt = strlen(to), count = 0;
    for (const char *p = s; (p = strstr(p, from)) != NULL; p += nf)
        count++;
    char *out = malloc(strlen(s) + count * (nt > nf ? nt - nf : 0) + 1), *o = out;
    cr_assert_not_null(out);
    for (const char *p = s, *q; *p; p = q + nf) {
        if (!(q = strstr(p, from))) {
            strcpy(o, p);
            return out;
        }
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        memcpy(o, to, nt);
        o += nt;
    }
    *o = '\0';
    return out;
}

/* ---------------------------------------------------------------------
 * Recorded answers
 * ------------------------------------------------------------------ */

Test(xmlrpc_scan, every_recorded_answer_is_taken_and_decoded_as_expat_does)
{
    recorded *r;
    size_t n = load_all(&r), taken = 0;
    cr_assert_eq(n, 150);
    for (size_t i = 0; i < n; i++) {
        int rc = scan_vs_expat(r[i].rel, r[i].body, r[i].len, NULL);
        if (strstr(r[i].rel, "get-not-allowed"))
            cr_expect_eq(rc, GAVE_UP, "%s: an HTML page", r[i].rel);
        else
            cr_expect_eq(rc, 0, "%s: the scanner gave up on what Odoo sends", r[i].rel);
        taken += rc == 0;
        default_is_expat(r[i].rel, r[i].body, r[i].len, r[i].status, r[i].ctype);
    }
    cr_expect_eq(taken, 148);
    free_all(r, n);
}

/* The same answers with CRLF or CR line ends, or indented: XML reads both
 * as LF, in text too, so the scanner must decode them. */
Test(xmlrpc_scan, line_ends_and_indentation_do_not_matter)
{
    static const struct {
        const char *from, *to;
    } variants[] = {
        { "\n", "\r\n" },
        { "\n", "\r" },
        { "\n", "\n \t " },
        { "><", ">\r\n  <" },
    };
    recorded *r;
    size_t n = load_all(&r);
    for (size_t i = 0; i < n; i++) {
        if (strstr(r[i].rel, "get-not-allowed"))
            continue;
        for (size_t v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
            char *body = replace_all(r[i].body, variants[v].from, variants[v].to), what[300];
            snprintf(what, sizeof(what), "%s, variant %zu", r[i].rel, v);
            cr_expect_eq(scan_vs_expat(what, body, strlen(body), NULL), 0, "%s: gave up", what);
            default_is_expat(what, body, strlen(body), r[i].status, r[i].ctype);
            free(body);
        }
    }
    free_all(r, n);
}

/* Cut where the codec tests cut every answer, and everywhere in a few:
 * the scanner never takes a truncated document, and never crashes. */
Test(xmlrpc_scan, truncated_answers_fall_back_to_expat_errors)
{
    recorded *r;
    size_t n = load_all(&r);
    int cuts_tried = 0;
    for (size_t i = 0; i < n; i++) {
        size_t last = (size_t)(strrchr(r[i].body, '>') - r[i].body);
        size_t cuts[] = { 1, 7, 22, last / 3, last / 2, last - 9, last - 1, last };
        int every = strstr(r[i].rel, "odoo19/xmlrpc/01-") || strstr(r[i].rel, "odoo19/xmlrpc/16-") ||
                    strstr(r[i].rel, "odoo19/xmlrpc/22-") || strstr(r[i].rel, "odoo19/xmlrpc/34-") ||
                    strstr(r[i].rel, "odoo19/xmlrpc/50-") || strstr(r[i].rel, "odoo18/xmlrpc/30-");
        size_t ncuts = every ? last + 1 : sizeof(cuts) / sizeof(cuts[0]);
        for (size_t c = 0; c < ncuts; c++) {
            size_t cut = every ? c : cuts[c];
            if (cut >= last + 1 || cut == 0)
                continue;
            char what[300];
            snprintf(what, sizeof(what), "%s cut at %zu", r[i].rel, cut);
            cr_expect_eq(scan_vs_expat(what, r[i].body, cut, NULL), GAVE_UP, "%s: taken", what);
            default_is_expat(what, r[i].body, cut, r[i].status, r[i].ctype);
            cuts_tried++;
        }
    }
    cr_expect_gt(cuts_tried, 8000);
    free_all(r, n);
}

/* The scanner gives up on all of them but the faults that are good XML-RPC
 * and only fail as faults (no faultString, a double code...), which it
 * decodes as expat does; the errors are expat's, word for word. */
Test(xmlrpc_scan, malformed_bodies_fall_back_to_expat_errors)
{
    size_t gave_up = 0;
    for (size_t i = 0; i < xmlrpc_malformed_count; i++) {
        char what[64];
        snprintf(what, sizeof(what), "malformed body %zu", i);
        size_t len = strlen(xmlrpc_malformed[i]);
        int rc = scan_vs_expat(what, xmlrpc_malformed[i], len, NULL);
        cr_expect(rc == GAVE_UP || strstr(xmlrpc_malformed[i], "<fault>"), "%s: taken: %s", what,
                  xmlrpc_malformed[i]);
        gave_up += rc == GAVE_UP;
        default_is_expat(what, xmlrpc_malformed[i], len, 200, "text/xml");
    }
    cr_expect_eq(gave_up, xmlrpc_malformed_count - 4);
}

/* ---------------------------------------------------------------------
 * Generated documents in the subset
 * ------------------------------------------------------------------ */

#define PARAMS(v) "<methodResponse><params><param>" v "</param></params></methodResponse>"

static const struct {
    const char *body;
    const char *json;   /* what it decodes to, or NULL: as expat decodes it */
} taken[] = {
    /* every type, empty elements */
    { RESP("<int>42</int>"), "42" },
    { RESP("<i4>-7</i4>"), "-7" },
    { RESP("<i8>1099511627776</i8>"), "1099511627776" },
    { RESP("<ex:i8>-1099511627776</ex:i8>"), "-1099511627776" },
    { RESP("<int>+0</int>"), "0" },
    { RESP("<int>-0</int>"), "0" },
    { RESP("<int>0000042</int>"), "42" },
    { RESP("<int>4294967296</int>"), "4294967296" },
    { RESP("<i8>9223372036854775807</i8>"), "9223372036854775807" },
    { RESP("<i8>-9223372036854775808</i8>"), "-9223372036854775808" },
    { RESP("<int>&#52;2</int>"), "42" },
    { RESP("<boolean>0</boolean>"), "false" },
    { RESP("<boolean>1</boolean>"), "true" },
    { RESP("<double>1e+300</double>"), "1e300" },
    { RESP("<double>0.01</double>"), "0.01" },
    { RESP("<double>-0.0</double>"), NULL },
    { RESP("<double>1.0</double>"), "1.0" },
    { RESP("<double>-4.3517103</double>"), "-4.3517103" },
    { RESP("<double>5e-324</double>"), NULL },
    { RESP("<double>1.7976931348623157e+308</double>"), NULL },
    { RESP("<double>1E5</double>"), "100000.0" },
    { RESP("<double>.5</double>"), "0.5" },
    { RESP("<double>nan</double>"), NULL },
    { RESP("<double>-inf</double>"), NULL },
    { RESP("<string>plain</string>"), "\"plain\"" },
    { RESP("<string/>"), "\"\"" },
    { RESP("<string></string>"), "\"\"" },
    { RESP("<nil/>"), "null" },
    { RESP("<ex:nil/>"), "null" },
    { RESP("<nil></nil>"), "null" },
    { RESP("<nil> \n </nil>"), "null" },
    { RESP("<dateTime.iso8601>20261123T10:24:28</dateTime.iso8601>"), "\"2026-11-23 10:24:28\"" },
    { RESP("<dateTime.iso8601>2026-11-23T10:24:28Z</dateTime.iso8601>"), "\"2026-11-23 10:24:28\"" },
    { RESP("<dateTime.iso8601>20261123t102428.123456</dateTime.iso8601>"), "\"2026-11-23 10:24:28.123456\"" },
    { RESP("<base64>aGVsbG8=</base64>"), "\"aGVsbG8=\"" },
    { RESP("<base64>aGVs\r\nbG8=\n</base64>"), "\"aGVsbG8=\"" },
    { RESP("<base64>aGVsbG9=</base64>"), "\"aGVsbG8=\"" },
    { RESP("<base64/>"), "\"\"" },
    { RESP("<base64></base64>"), "\"\"" },
    /* arrays and structs */
    { RESP("<array><data/></array>"), "[]" },
    { RESP("<array><data></data></array>"), "[]" },
    { RESP("<array>\n<data>\n</data>\n</array>"), "[]" },
    { RESP("<struct/>"), "{}" },
    { RESP("<struct></struct>"), "{}" },
    { RESP("<struct>\n</struct>"), "{}" },
    { RESP("<array><data><value><array><data/></array></value><value><struct/></value></data></array>"),
      "[[], {}]" },
    { RESP("<array><data><value><nil/></value><value>x</value><value/><value><i4>1</i4></value></data></array>"),
      "[null, \"x\", \"\", 1]" },
    { RESP("<struct><member><name/><value>empty name</value></member></struct>"), "{\"\": \"empty name\"}" },
    { RESP("<struct><member><name></name><value><nil/></value></member></struct>"), "{\"\": null}" },
    { RESP("<struct><member><name>a&amp;b &#x1F600;</name><value><int>1</int></value></member></struct>"),
      "{\"a&b \xf0\x9f\x98\x80\": 1}" },
    { RESP("<struct><member><name>a</name><value><int>1</int></value></member>"
           "<member><name>a</name><value><int>3</int></value></member></struct>"), "{\"a\": 3}" },
    { RESP("<struct><member><name>k</name><value><struct><member><name>k</name><value><array><data>"
           "<value><struct><member><name>deep</name><value>x</value></member></struct></value>"
           "</data></array></value></member><member><name>after</name><value><int>2</int></value></member>"
           "</struct></value></member><member><name>last</name><value/></member></struct>"),
      "{\"k\": {\"k\": [{\"deep\": \"x\"}], \"after\": 2}, \"last\": \"\"}" },
    /* references and raw UTF-8 */
    { RESP("<string>&lt;&gt;&amp;&quot;&apos;</string>"), "\"<>&\\\"'\"" },
    { RESP("<string>&#9;&#10;&#13;&#32;&#x20;</string>"), "\"\\t\\n\\r  \"" },
    { RESP("<string>&#xe9;&#233;&#xE9;</string>"), "\"\xc3\xa9\xc3\xa9\xc3\xa9\"" },
    { RESP("<string>&#x1F600;&#128512;&#x1f600;&#0000128512;</string>"),
      "\"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\"" },
    { RESP("<string>&#x10FFFF;&#xFFFD;&#xE000;&#xD7FF;&#x80;&#x7F;</string>"),
      "\"\xf4\x8f\xbf\xbf\xef\xbf\xbd\xee\x80\x80\xed\x9f\xbf\xc2\x80\x7f\"" },
    { RESP("<string>\xc3\x9cn\xc3\xaf\x63\xc3\xb6\x64\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 "
           "\xf4\x8f\xbf\xbf \xef\xbf\xbd \xed\x9f\xbf \xee\x80\x80 \xc2\x80 \x7f</string>"), NULL },
    { RESP("<string>a]b]]c] ]>]]&gt;</string>"), "\"a]b]]c] ]>]]>\"" },
    { RESP("<string>\"quotes' > and =</string>"), "\"\\\"quotes' > and =\"" },
    /* a <value> with text only is a string; text around a type element does not count */
    { RESP("bare"), "\"bare\"" },
    { RESP(" spaced "), "\" spaced \"" },
    { RESP("\n"), "\"\\n\"" },
    { RESP("\r\n"), "\"\\n\"" },
    { RESP("a&lt;b&#13;c"), "\"a<b\\rc\"" },
    { RESP("line\r\nnext\rlast\n"), "\"line\\nnext\\nlast\\n\"" },
    { RESP("\n  <int>1</int>\n"), "1" },
    { RESP("text before <int>1</int> and after"), "1" },
    { RESP("&amp;<int>1</int>&#x1F600;"), "1" },
    { RESP("<string>  keep spaces\t</string>"), "\"  keep spaces\\t\"" },
    { RESP("<string>CR\rCRLF\r\nLFCR\n\rend</string>"), "\"CR\\nCRLF\\nLFCR\\n\\nend\"" },
    /* whitespace and ignored text between elements */
    { "<methodResponse>\n<params>\n<param>\n<value><int>1</int></value>\n</param>\n</params>\n</methodResponse>\n",
      "1" },
    { "\r\n<methodResponse>\r\n\t<params>\r\n\t\t<param>\r\n\t\t\t<value>\r\n<array>\r\n<data>\r\n<value>1</value>"
      "\r\n</data>\r\n</array>\r\n</value>\r\n\t\t</param>\r\n\t</params>\r\n</methodResponse>\r\n\r\n", "[\"1\"]" },
    { "<methodResponse>ignored<params>ignored too &amp;<param>and this<value><struct>x<member>y<name>n</name>z"
      "<value><int>1</int></value>w</member>v</struct>u</value>t</param>s</params>r</methodResponse>",
      "{\"n\": 1}" },
    { PARAMS("<value><array>text<data>text<value>1</value>text</data>text</array></value>"), "[\"1\"]" },
    /* declarations */
    { "<?xml version='1.0'?>\n" PARAMS("<value>x</value>"), "\"x\"" },
    { "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" PARAMS("<value>x</value>"), "\"x\"" },
    { "<?xml version=\"1.0\" encoding='utf-8' standalone='yes'?>" PARAMS("<value>x</value>"), "\"x\"" },
    { "<?xml version = \"1.0\"  standalone=\"no\" ?>\n\n" PARAMS("<value>x</value>"), "\"x\"" },
    { PARAMS("<value>no declaration</value>"), "\"no declaration\"" },
    /* faults */
    { FAULT("<member><name>faultCode</name><value><int>2</int></value></member>"
            "<member><name>faultString</name><value><string>Nope</string></value></member>"), NULL },
    { FAULT("<member><name>faultCode</name><value><string>warning -- x</string></value></member>"
            "<member><name>faultString</name><value><string>Nope</string></value></member>"), NULL },
    { "<methodResponse>\n<fault>\n<value><int>1</int></value>\n</fault>\n</methodResponse>", "1" },
};

Test(xmlrpc_scan, edge_cases_in_the_subset_are_taken)
{
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
        char what[64];
        snprintf(what, sizeof(what), "edge case %zu", i);
        json_object *v = NULL;
        cr_expect_eq(scan_vs_expat(what, taken[i].body, strlen(taken[i].body), &v), 0, "%s: gave up: %s", what,
                     taken[i].body);
        if (taken[i].json) {
            json_object *want = json_parse(taken[i].json);
            cr_expect(json_object_equal(v, want), "%s: %s, want %s", what, json_object_to_json_string(v),
                      taken[i].json);
            json_object_put(want);
        }
        json_object_put(v);
        default_is_expat(what, taken[i].body, strlen(taken[i].body), 200, "text/xml");
    }
}

Test(xmlrpc_scan, doubles_bit_for_bit)
{
    static const struct {
        const char *body;
        double want;
    } cases[] = {
        { RESP("<double>-0.0</double>"), -0.0 },
        { RESP("<double>0.01</double>"), 0.01 },
        { RESP("<double>1e+300</double>"), 1e300 },
        { RESP("<double>5e-324</double>"), 5e-324 },
        { RESP("<double>0.30000000000000004</double>"), 0.30000000000000004 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_object *v = NULL;
        cr_assert_eq(scan_vs_expat("double", cases[i].body, strlen(cases[i].body), &v), 0);
        double got = json_object_get_double(v);
        cr_expect(json_object_is_type(v, json_type_double) && memcmp(&got, &cases[i].want, sizeof(got)) == 0,
                  "%zu: %.17g", i, got);
        json_object_put(v);
    }
}

/* 64-bit limits: one beyond is refused, by expat's decoder and so by the
 * default one. */
Test(xmlrpc_scan, integers_beyond_64_bits_fall_back_to_the_error)
{
    const char *bodies[] = { RESP("<i8>9223372036854775808</i8>"), RESP("<int>-9223372036854775809</int>"),
                             RESP("<int>18446744073709551616</int>"), RESP("<int>99999999999999999999999</int>"),
                             RESP("<int>1 </int>"), RESP("<int>&#32;1</int>"), RESP("<int>-</int>") };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        cr_expect_eq(scan_vs_expat(bodies[i], bodies[i], strlen(bodies[i]), NULL), GAVE_UP);
        default_is_expat(bodies[i], bodies[i], strlen(bodies[i]), 200, "text/xml");
        json_object *out = NULL;
        cr_expect_eq(odoo__xmlrpc_decode_response(bodies[i], strlen(bodies[i]), 200, "text/xml", &out, NULL),
                     ODOO_ERR_PROTOCOL, "%s", bodies[i]);
    }
}

/* depth arrays (or structs, or both in turn) around an int, innermost
 * possibly an empty struct instead; free() it. */
static char *nested(int depth, int kind, int empty_struct_inside)
{
    size_t cap = (size_t)depth * 80 + 256, len = 0;
    char *doc = malloc(cap);
    cr_assert_not_null(doc);
    len += (size_t)sprintf(doc + len, "<?xml version=\"1.0\"?><methodResponse><params><param><value>");
    for (int i = 0; i < depth; i++) {
        int s = kind == 1 || (kind == 2 && i % 2);
        len += (size_t)sprintf(doc + len, s ? "<struct><member><name>m</name><value>" : "<array><data><value>");
    }
    len += (size_t)sprintf(doc + len, empty_struct_inside ? "<struct/>" : "<int>7</int>");
    for (int i = depth - 1; i >= 0; i--) {
        int s = kind == 1 || (kind == 2 && i % 2);
        len += (size_t)sprintf(doc + len, s ? "</value></member></struct>" : "</value></data></array>");
    }
    sprintf(doc + len, "</value></param></params></methodResponse>");
    return doc;
}

Test(xmlrpc_scan, nesting_up_to_the_limit_and_no_further)
{
    for (int kind = 0; kind < 3; kind++) {
        for (int depth = ODOO_XMLRPC_MAX_DEPTH - 1; depth <= ODOO_XMLRPC_MAX_DEPTH + 1; depth++) {
            for (int empty = 0; empty <= 1; empty++) {
                char *doc = nested(depth, kind, empty), what[64];
                snprintf(what, sizeof(what), "kind %d, depth %d, empty %d", kind, depth, empty);
                /* The empty struct inside is one more level. */
                int ok = depth + empty <= ODOO_XMLRPC_MAX_DEPTH;
                cr_expect_eq(scan_vs_expat(what, doc, strlen(doc), NULL), ok ? 0 : GAVE_UP, "%s", what);
                default_is_expat(what, doc, strlen(doc), 200, "text/xml");
                free(doc);
            }
        }
    }
    /* The innermost value survives the trip. */
    char *doc = nested(ODOO_XMLRPC_MAX_DEPTH, 2, 0);
    json_object *top = NULL, *v;
    cr_assert_eq(scan_vs_expat("deepest", doc, strlen(doc), &top), 0);
    v = top;
    for (int i = 0; i < ODOO_XMLRPC_MAX_DEPTH; i++)
        v = json_object_is_type(v, json_type_array) ? json_object_array_get_idx(v, 0) : json_object_object_get(v, "m");
    cr_expect(json_object_is_type(v, json_type_int) && json_object_get_int64(v) == 7);
    json_object_put(top);
    free(doc);
}

/* ---------------------------------------------------------------------
 * Outside the subset: the scanner gives up, expat decides
 * ------------------------------------------------------------------ */

static const char *const outside[] = {
    /* comments, CDATA, processing instructions, DOCTYPE */
    "<?xml version=\"1.0\"?><!-- hi -->" PARAMS("<value>x</value>"),
    RESP("<string>a<!-- hi -->b</string>"),
    RESP("<struct><!-- hi --></struct>"),
    PARAMS("<value>x</value>") "<!-- trailing -->",
    RESP("<string><![CDATA[<x> & y]]></string>"),
    RESP("<![CDATA[bare]]>"),
    "<?xml version=\"1.0\"?><?pi data?>" PARAMS("<value>x</value>"),
    RESP("<string>a<?pi data?>b</string>"),
    "<?xml-stylesheet href=\"x\"?>" PARAMS("<value>x</value>"),
    "<?xml version=\"1.0\"?><!DOCTYPE methodResponse>" PARAMS("<value>x</value>"),
    /* attributes, spaces in tags */
    "<methodResponse xmlns=\"urn:x\">" "<params><param><value>x</value></param></params></methodResponse>",
    RESP("<string lang=\"en\">x</string>"),
    PARAMS("<value id='1'>x</value>"),
    PARAMS("<value >x</value>"),
    PARAMS("<value>x</value >"),
    RESP("<nil />"),
    RESP("<int >1</int>"),
    RESP("<int>1</int >"),
    /* encodings other than UTF-8, a byte order mark */
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" PARAMS("<value><string>caf\xe9</string></value>"),
    "<?xml version=\"1.0\" encoding=\"US-ASCII\"?>" PARAMS("<value>x</value>"),
    "\xef\xbb\xbf<?xml version=\"1.0\"?>" PARAMS("<value>x</value>"),
    /* elements the scanner does not read, or not there */
    RESP("<ex:string>x</ex:string>"),
    RESP("<foo>1</foo>"),
    RESP("<struct><member><value><int>1</int></value><name>late</name></member></struct>"),
    "<methodResponse><fault><value><struct><member><value><int>1</int></value><name>faultCode</name></member>"
    "<member><name>faultString</name><value>x</value></member></struct></value></fault></methodResponse>",
    /* text in the prolog, the epilog, references expat refuses */
    "x" PARAMS("<value>x</value>"),
    PARAMS("<value>x</value>") "x",
    RESP("<string>&nbsp;</string>"),
    RESP("<string>&#0;</string>"),
    RESP("<string>&#xD800;</string>"),
    RESP("<string>&#xFFFE;</string>"),
    RESP("<string>&#x110000;</string>"),
    RESP("<string>&#;</string>"),
    RESP("<string>&#x;</string>"),
    RESP("<string>&#XE9;</string>"),
    RESP("<string>&#x-1;</string>"),
    RESP("<string>&amp</string>"),
    RESP("<string>a]]>b</string>"),
    RESP("<string>\x01</string>"),
    RESP("<string>\xc0\x80</string>"),
    RESP("<string>\xed\xa0\x80</string>"),
    RESP("<string>\xef\xbf\xbe</string>"),
    RESP("<string>\xf4\x90\x80\x80</string>"),
    RESP("<string>\xe2\x82</string>"),
    RESP("<string>\x80</string>"),
    RESP("<string>\xff</string>"),
};

Test(xmlrpc_scan, outside_the_subset_the_scanner_gives_up_and_expat_decides)
{
    int expat_took = 0;
    for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
        char what[64];
        snprintf(what, sizeof(what), "outside %zu", i);
        cr_expect_eq(scan_vs_expat(what, outside[i], strlen(outside[i]), NULL), GAVE_UP, "%s: taken: %s", what,
                     outside[i]);
        default_is_expat(what, outside[i], strlen(outside[i]), 200, "text/xml");
        odoo_xmlrpc_reply r;
        char why[256];
        if (odoo__xmlrpc_parse(outside[i], strlen(outside[i]), &r, why, sizeof(why)) == 0)
            expat_took++;
        json_object_put(r.value);
    }
    /* Comments, CDATA, PIs, attributes, spaces in tags, Latin-1, a BOM,
     * a late name: values all the same. */
    cr_expect_geq(expat_took, 20);
}

Test(xmlrpc_scan, the_default_decoder_falls_back_transparently)
{
    const char *body = "<?xml version=\"1.0\"?><!-- a comment -->" PARAMS("<value><string>x</string></value>");
    json_object *out = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo__xmlrpc_decode_response(body, strlen(body), 200, "text/xml", &out, &err), 0, "%s",
                 err.message);
    cr_expect_str_eq(json_object_get_string(out), "x");
    json_object_put(out);

    /* Each decoder can still be chosen. */
    const char *plain = RESP("<array><data><value><int>1</int></value></data></array>");
    for (int d = ODOO_XMLRPC_DECODER_SCAN; d <= ODOO_XMLRPC_DECODER_EXPAT; d++) {
        out = NULL;
        cr_expect_eq(odoo__xmlrpc_decode_response_with((odoo_xmlrpc_decoder)d, plain, strlen(plain), 200, "text/xml",
                                                       &out, &err), 0, "decoder %d", d);
        cr_expect_eq(json_object_array_length(out), 1);
        json_object_put(out);
    }

    /* The scanner says why it gave up, and where. */
    odoo_xmlrpc_reply r;
    char why[256];
    cr_expect_eq(odoo__xmlrpc_parse_scan(body, strlen(body), &r, why, sizeof(why)), GAVE_UP);
    cr_expect(strstr(why, "at byte 21") != NULL, "%s", why);
    cr_expect_eq(odoo__xmlrpc_parse_scan(NULL, 0, &r, why, sizeof(why)), GAVE_UP);
    odoo_rpc_error_clear(&err);
}

/* ---------------------------------------------------------------------
 * Random mutations: seeded, a few seconds at most
 * ------------------------------------------------------------------ */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

static size_t below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

static const char *const snippets[] = {
    "<value>", "</value>", "<nil/>", "<value/>", "<string>", "</string>", "<string/>", "<int>", "</int>", "<i8>",
    "</i8>", "<double>", "</double>", "<boolean>", "<base64>", "<dateTime.iso8601>", "<struct>", "</struct>",
    "<struct/>", "<member>", "</member>", "<name>", "</name>", "<name/>", "<array>", "</array>", "<data>",
    "</data>", "<data/>", "<params>", "<param>", "</param>", "<fault>", "&amp;", "&lt;", "&#x1F600;", "&#65;",
    "&#0;", "&#xD800;", "&#13;", "&", "&#", ";", "]]>", "]]", "<!--c-->", "<![CDATA[x]]>", "<?x?>", " a=\"1\"",
    "\r\n", "\r", "\n", " ", "\t", "\xef\xbf\xbe", "\xed\xa0\x80", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xc0", "\x01",
    "9223372036854775808", "-0.0", "1e999", "nan", "<ex:nil/>", "<ex:i8>", "</methodResponse>", "<?xml version=\"1.0\"?>",
};

static const unsigned char bytes[] = { '<', '>', '/', '&', ';', '#', 'x', ']', '\r', '\n', ' ', '\0', 0x80, 0xbf,
                                       0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xff, 'a', '0', '9', '"', '=', '?',
                                       '!', '-', '.', 'e', 'Z' };

/* One random change to doc (len bytes, room for cap). */
static size_t mutate(char *doc, size_t len, size_t cap)
{
    size_t at = below(len + 1), n;
    switch (below(6)) {
    case 0:   /* overwrite a byte */
        if (len)
            doc[below(len)] = (char)bytes[below(sizeof(bytes))];
        return len;
    case 1:   /* delete a few bytes */
        n = 1 + below(8);
        if (at + n > len)
            n = len - at;
        memmove(doc + at, doc + at + n, len - at - n);
        return len - n;
    case 2: {   /* insert a snippet */
        const char *s = snippets[below(sizeof(snippets) / sizeof(snippets[0]))];
        n = strlen(s);
        if (len + n > cap)
            return len;
        memmove(doc + at + n, doc + at, len - at);
        memcpy(doc + at, s, n);
        return len + n;
    }
    case 3: {   /* copy a slice elsewhere */
        size_t from = below(len + 1);
        n = below(64);
        if (from + n > len)
            n = len - from;
        if (len + n > cap)
            return len;
        char tmp[64];
        memcpy(tmp, doc + from, n);
        memmove(doc + at + n, doc + at, len - at);
        memcpy(doc + at, tmp, n);
        return len + n;
    }
    case 4:   /* cut the end */
        return below(6) == 0 ? at : len;
    default:   /* swap two bytes */
        if (len > 1) {
            size_t a = below(len), b = below(len);
            char c = doc[a];
            doc[a] = doc[b];
            doc[b] = c;
        }
        return len;
    }
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

Test(xmlrpc_scan, random_mutations_never_make_the_scanner_disagree, .timeout = 60)
{
    /* The corpus: the smaller recorded answers and the edge cases. */
    recorded *r;
    size_t nrec = load_all(&r), ncorpus = 0;
    const char **corpus = malloc((nrec + sizeof(taken) / sizeof(taken[0])) * sizeof(*corpus));
    cr_assert_not_null(corpus);
    for (size_t i = 0; i < nrec; i++)
        if (r[i].len < 6000 && !strstr(r[i].rel, "get-not-allowed"))
            corpus[ncorpus++] = r[i].body;
    for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++)
        corpus[ncorpus++] = taken[i].body;

    rng_state = 0x9E3779B97F4A7C15ULL;   /* fixed: failures reproduce */
    const double budget = 3.0;   /* seconds */
    const long max_iterations = 200000;
    double start = now();
    long i, taken_by_scanner = 0, expat_only = 0, refused = 0;
    for (i = 0; i < max_iterations; i++) {
        if (i % 64 == 0 && now() - start > budget)
            break;
        const char *src = corpus[below(ncorpus)];
        size_t len = strlen(src), cap = len + 512;
        char *doc = malloc(cap);
        cr_assert_not_null(doc);
        memcpy(doc, src, len);
        for (size_t m = 1 + below(3); m > 0; m--)
            len = mutate(doc, len, cap);
        char what[64];
        snprintf(what, sizeof(what), "mutation %ld", i);
        /* scan_vs_expat copies to an exact-size buffer */
        int rc = scan_vs_expat(what, doc, len, NULL);
        if (rc == 0) {
            taken_by_scanner++;
        } else {
            odoo_xmlrpc_reply e;
            char why[256];
            if (odoo__xmlrpc_parse_expat(doc, len, &e, why, sizeof(why)) == 0)
                expat_only++;
            else
                refused++;
            json_object_put(e.value);
        }
        free(doc);
    }
    cr_log_info("%ld mutants in %.1f s: %ld taken by the scanner, %ld by expat only, %ld refused", i, now() - start,
                taken_by_scanner, expat_only, refused);
    cr_expect_gt(i, 500, "too few mutants tried");
    cr_expect_gt(taken_by_scanner, i / 20, "the mutants should exercise the scanner's success path too");
    cr_expect_gt(refused, i / 20);
    free(corpus);
    free_all(r, nrec);
}
