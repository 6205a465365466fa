/* XML-RPC codec tests: every recorded response of Odoo 18 and 19 decodes
 * to its value or to the right error, with the decoders agreeing; the
 * encoder writes what the recorded requests say; malformed input fails
 * cleanly. */
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <xmlrpc-c/base.h>

#include "adapters/xmlrpc_reply.h"
#include "adapters/xmlrpc_sax.h"
#include "adapters/xmlrpc_write.h"
#include "fixtures.h"
#include "xmlrpc_oracle.h"
#include "xmlrpc_samples.h"

/* The decoders under test: the library's two, then xmlrpc-c (the oracle). */
#define SCAN ODOO_XMLRPC_DECODER_SCAN
#define EXPAT ODOO_XMLRPC_DECODER_EXPAT
#define XMLRPC_C (ODOO_XMLRPC_DECODER_EXPAT + 1)

/* odoo__xmlrpc_decode_response_with, xmlrpc-c's reading included. */
static int decode_with(int d, const char *xml, size_t len, long status, const char *ctype, json_object **out,
                       odoo_rpc_error *err)
{
    if (d == XMLRPC_C)
        return xmlrpc_oracle_decode_response(xml, len, status, ctype, out, err);
    return odoo__xmlrpc_decode_response_with((odoo_xmlrpc_decoder)d, xml, len, status, ctype, out, err);
}

/* ---------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------ */

typedef struct {
    json_object *fx;
    const char *body;
    size_t len;
    long status;
    const char *ctype;
} recorded;

static recorded load(const char *rel)
{
    recorded r;
    r.fx = fixture_load(rel);
    r.body = fixture_str(r.fx, "response", "body");
    r.len = strlen(r.body);
    r.status = fixture_status(r.fx);
    r.ctype = fixture_header(r.fx, "response", "Content-Type");
    return r;
}

/* Decode a recorded response that must succeed; new reference. */
static json_object *decode_ok(const char *rel)
{
    recorded r = load(rel);
    json_object *out = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    int rc = odoo__xmlrpc_decode_response(r.body, r.len, r.status, r.ctype, &out, &err);
    cr_assert_eq(rc, 0, "%s: %s", rel, err.message);
    odoo_rpc_error_clear(&err);
    json_object_put(r.fx);
    return out;
}

/* Decode a recorded response that must fail; err is filled. */
static int decode_err(const char *rel, int d, odoo_rpc_error *err)
{
    recorded r = load(rel);
    json_object *out = NULL;
    int rc = decode_with(d, r.body, r.len, r.status, r.ctype, &out, err);
    cr_expect_null(out, "%s", rel);
    json_object_put(out);
    json_object_put(r.fx);
    return rc;
}

static json_object *member(json_object *obj, const char *key)
{
    json_object *v = NULL;
    cr_assert(json_object_object_get_ex(obj, key, &v), "no member %s", key);
    return v;
}

static void expect_string(json_object *v, const char *want)
{
    cr_expect(json_object_is_type(v, json_type_string), "not a string: %s", json_object_to_json_string(v));
    cr_expect_str_eq(json_object_get_string(v), want);
}

static void expect_int(json_object *v, int64_t want)
{
    cr_expect(json_object_is_type(v, json_type_int), "not an int: %s", json_object_to_json_string(v));
    cr_expect_eq(json_object_get_int64(v), want);
}

static void expect_false(json_object *v)
{
    cr_expect(json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v), "not false: %s",
              json_object_to_json_string(v));
}

/* A <methodResponse> around one value, from the <param> of an encoded
 * call: lets the response decoders read what the encoder wrote. */
static char *as_response(const char *call)
{
    const char *a = strstr(call, "<param>"), *b = strstr(call, "</param>");
    cr_assert(a && b);
    a += 7;
    const char *head = "<?xml version=\"1.0\"?><methodResponse><params><param>";
    const char *tail = "</param></params></methodResponse>";
    size_t n = strlen(head) + (size_t)(b - a) + strlen(tail) + 1;
    char *r = malloc(n);
    snprintf(r, n, "%s%.*s%s", head, (int)(b - a), a, tail);
    return r;
}

/* Encode value as the only param and decode it back with decoder d. */
static int round_trip(int d, json_object *value, json_object **back, char **xml_out)
{
    json_object *params = json_object_new_array();
    json_object_array_add(params, json_object_get(value));
    char *xml = NULL;
    size_t len = 0;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    int rc = odoo__xmlrpc_encode_call("m", params, &xml, &len, &err);
    cr_assert_eq(rc, 0, "encode: %s", err.message);
    cr_assert_eq(strlen(xml), len);
    char *resp = as_response(xml);
    rc = decode_with(d, resp, strlen(resp), 200, "text/xml", back, &err);
    free(resp);
    if (xml_out)
        *xml_out = xml;
    else
        free(xml);
    odoo_rpc_error_clear(&err);
    json_object_put(params);
    return rc;
}

/* ---------------------------------------------------------------------
 * Every recorded response
 * ------------------------------------------------------------------ */

/* What each error fixture decodes to (name without the NN- prefix),
 * with the class parse.c reports for it. */
static const struct {
    const char *name;
    odoo_error_kind kind;
    const char *cls;
} expected[] = {
    { "common-authenticate-bad-db", ODOO_ERR_SERVER, "psycopg2.OperationalError" },
    { "common-authenticate-missing-arg", ODOO_ERR_INVALID_ARGUMENT, "builtins.TypeError" },
    { "context-invalid-lang", ODOO_ERR_USER, "odoo.exceptions.UserError" },
    { "create-with-base64-element", ODOO_ERR_SERVER, "builtins.TypeError" },
    { "returns-none", ODOO_ERR_UNSUPPORTED, "builtins.TypeError" },
    /* Code 2 cannot tell ValidationError from UserError. */
    { "validation-error", ODOO_ERR_USER, "odoo.exceptions.UserError" },
    { "user-error", ODOO_ERR_USER, "odoo.exceptions.UserError" },
    { "integrity-error-as-validation", ODOO_ERR_USER, "odoo.exceptions.UserError" },
    { "access-error-limited-read", ODOO_ERR_ACCESS, "odoo.exceptions.AccessError" },
    { "access-error-limited-create", ODOO_ERR_ACCESS, "odoo.exceptions.AccessError" },
    { "access-denied-bad-password", ODOO_ERR_AUTH, "odoo.exceptions.AccessDenied" },
    { "access-denied-uid-mismatch", ODOO_ERR_AUTH, "odoo.exceptions.AccessDenied" },
    { "missing-error", ODOO_ERR_MISSING, "odoo.exceptions.MissingError" },
    { "unknown-model", ODOO_ERR_NOT_FOUND, "odoo.exceptions.UserError" },
    { "unknown-method", ODOO_ERR_NOT_FOUND, "builtins.AttributeError" },
    { "private-method", ODOO_ERR_ACCESS, "odoo.exceptions.AccessError" },
    { "wrong-arg-count", ODOO_ERR_INVALID_ARGUMENT, "builtins.TypeError" },
    { "unexpected-kwarg", ODOO_ERR_INVALID_ARGUMENT, "builtins.TypeError" },
    { "bad-domain", ODOO_ERR_SERVER, "builtins.ValueError" },
    { "bigint-in-response", ODOO_ERR_UNSUPPORTED, "builtins.OverflowError" },
    /* 18 only: PostgreSQL refuses 2^40 for an int4 column. */
    { "bigint-i8-in-request", ODOO_ERR_SERVER, "psycopg2.errors.NumericValueOutOfRange" },
    { "bigint-int-in-request", ODOO_ERR_SERVER, "psycopg2.errors.NumericValueOutOfRange" },
    { "object-unknown-rpc-method", ODOO_ERR_SERVER, NULL },   /* NameError (18), ValueError (19) */
    { "unknown-service", ODOO_ERR_SERVER, "builtins.KeyError" },
    /* The legacy /xmlrpc/<service>, which libodoo never calls: its string
     * faultCode is no /xmlrpc/2 fault. */
    { "v1-user-error", ODOO_ERR_PROTOCOL, NULL },
    { "v1-missing-error", ODOO_ERR_PROTOCOL, NULL },
    { "v1-validation-error", ODOO_ERR_PROTOCOL, NULL },
    { "v1-access-error", ODOO_ERR_PROTOCOL, NULL },
    { "v1-access-denied", ODOO_ERR_PROTOCOL, NULL },
    { "v1-unknown-method", ODOO_ERR_PROTOCOL, NULL },
    /* A well-formed fault: the server could not parse *our* request. */
    { "malformed-xml", ODOO_ERR_SERVER, "xml.parsers.expat.ExpatError" },
    /* Not XML-RPC at all: an HTML 405 page. */
    { "get-not-allowed", ODOO_ERR_PROTOCOL, NULL },
};

static int find_expected(const char *file, size_t *idx)
{
    const char *name = file + 3;   /* skip "NN-" */
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        size_t n = strlen(expected[i].name);
        if (strncmp(name, expected[i].name, n) == 0 && strcmp(name + n, ".json") == 0) {
            *idx = i;
            return 1;
        }
    }
    return 0;
}

/* Decode every response of a folder; check the errors against the table
 * and the values against the xmlrpc-c decoder. Returns the error count. */
static int check_folder(const char *folder)
{
    char **names;
    size_t n = fixture_list(folder, &names);
    cr_assert_eq(n, 75, "fixtures missing in %s", folder);
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), "%s/%s", folder, names[i]);
        recorded r = load(rel);
        int is_error = r.status != 200 || strstr(r.body, "<fault>") != NULL;
        json_object *out = NULL;
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        int rc = odoo__xmlrpc_decode_response(r.body, r.len, r.status, r.ctype, &out, &err);
        size_t k;
        if (!is_error) {
            cr_expect_eq(rc, 0, "%s: %s", rel, err.message);
        } else {
            errors++;
            cr_assert(find_expected(names[i], &k), "%s: no expectation for this error fixture", rel);
            cr_expect_eq(rc, (int)expected[k].kind, "%s: kind %s, expected %s", rel,
                         odoo_error_kind_name((odoo_error_kind)rc), odoo_error_kind_name(expected[k].kind));
            cr_expect_eq(err.kind, expected[k].kind, "%s", rel);
            cr_expect_eq(err.http_status, r.status, "%s: status kept", rel);
            cr_expect_not_null(err.message, "%s", rel);
            cr_expect_null(out, "%s", rel);
            if (expected[k].cls)
                cr_expect_str_eq(err.error_class, expected[k].cls, "%s", rel);
            cr_expect_null(err.model, "%s: the decoder knows no model", rel);
        }
        odoo_rpc_error_clear(&err);
        json_object_put(out);
        json_object_put(r.fx);
    }
    fixture_list_free(names, n);
    return errors;
}

Test(xmlrpc_codec, every_odoo19_response)
{
    cr_expect_eq(check_folder("odoo19/xmlrpc"), 30);
}

Test(xmlrpc_codec, every_odoo18_response)
{
    cr_expect_eq(check_folder("odoo18/xmlrpc"), 32);
}

/* The only place the two decoders differ on what Odoo sends: xmlrpc-c
 * 1.33 reads <double>0.01</double> one unit in the last place high
 * (its own digit loop is not correctly rounded); expat + strtod give the
 * double Python's repr() wrote. */
static int known_double_difference(const char *name, json_object *a, json_object *b)
{
    if (strcmp(name, "23-read-currency-date-float.json") != 0)
        return 0;
    json_object *ra = member(json_object_array_get_idx(a, 0), "rounding");
    json_object *rb = member(json_object_array_get_idx(b, 0), "rounding");
    cr_expect(json_object_get_double(ra) == 0.01, "expat reads 0.01 exactly");
    cr_expect(json_object_get_double(rb) == nextafter(0.01, 1.0), "xmlrpc-c is 1 ulp high");
    json_object_object_add(json_object_array_get_idx(b, 0), "rounding", json_object_new_double(0.01));
    return json_object_equal(a, b);
}

static void compare_decoders(const char *folder)
{
    char **names;
    size_t n = fixture_list(folder, &names);
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), "%s/%s", folder, names[i]);
        recorded r = load(rel);
        odoo_xmlrpc_reply a, b;
        char wa[256], wb[256];
        int ra = odoo__xmlrpc_parse_expat(r.body, r.len, &a, wa, sizeof(wa));
        int rb = xmlrpc_oracle_parse(r.body, r.len, &b, wb, sizeof(wb));
        cr_expect_eq(ra, rb, "%s: expat %d (%s), xmlrpc-c %d (%s)", rel, ra, wa, rb, wb);
        cr_expect_eq(a.fault, b.fault, "%s", rel);
        cr_expect(json_object_equal(a.value, b.value) || known_double_difference(names[i], a.value, b.value),
                  "%s: values differ:\n expat    %s\n xmlrpc-c %s", rel, json_object_to_json_string(a.value),
                  json_object_to_json_string(b.value));

        /* And the errors made of them are the same, field by field. */
        odoo_rpc_error ea = ODOO_RPC_ERROR_INIT, eb = ODOO_RPC_ERROR_INIT;
        json_object *oa = NULL, *ob = NULL;
        int ka = decode_with(EXPAT, r.body, r.len, r.status, r.ctype, &oa, &ea);
        int kb = decode_with(XMLRPC_C, r.body, r.len, r.status, r.ctype, &ob, &eb);
        cr_expect_eq(ka, kb, "%s", rel);
        if (ka && kb) {
            cr_expect_eq(ea.code, eb.code, "%s", rel);
            cr_expect_eq(ea.http_status, eb.http_status, "%s", rel);
            cr_expect_str_eq(ea.message, eb.message, "%s", rel);
            cr_expect((!ea.error_class && !eb.error_class) ||
                      (ea.error_class && eb.error_class && !strcmp(ea.error_class, eb.error_class)), "%s", rel);
            cr_expect((!ea.debug && !eb.debug) || (ea.debug && eb.debug && !strcmp(ea.debug, eb.debug)), "%s", rel);
        }
        json_object_put(a.value);
        json_object_put(b.value);
        json_object_put(oa);
        json_object_put(ob);
        odoo_rpc_error_clear(&ea);
        odoo_rpc_error_clear(&eb);
        json_object_put(r.fx);
    }
    fixture_list_free(names, n);
}

Test(xmlrpc_codec, decoders_agree_on_every_odoo19_response)
{
    compare_decoders("odoo19/xmlrpc");
}

Test(xmlrpc_codec, decoders_agree_on_every_odoo18_response)
{
    compare_decoders("odoo18/xmlrpc");
}

/* ---------------------------------------------------------------------
 * A few responses in detail
 * ------------------------------------------------------------------ */

Test(xmlrpc_codec, version_struct)
{
    json_object *v = decode_ok("odoo19/xmlrpc/01-common-version.json");
    expect_string(member(v, "server_version"), "19.0");
    json_object *vi = member(v, "server_version_info");
    cr_assert_eq(json_object_array_length(vi), 6);
    expect_int(json_object_array_get_idx(vi, 0), 19);
    expect_string(json_object_array_get_idx(vi, 3), "final");
    expect_string(json_object_array_get_idx(vi, 5), "");
    expect_int(member(v, "protocol_version"), 1);
    json_object_put(v);
}

Test(xmlrpc_codec, authenticate_answers)
{
    json_object *uid = decode_ok("odoo19/xmlrpc/02-common-authenticate-ok.json");
    expect_int(uid, 2);
    json_object_put(uid);
    json_object *refused = decode_ok("odoo19/xmlrpc/03-common-authenticate-bad-password.json");
    expect_false(refused);
    json_object_put(refused);
}

Test(xmlrpc_codec, search_read_records_and_many2one_pairs)
{
    json_object *recs = decode_ok("odoo19/xmlrpc/11-search_read.json");
    cr_assert_eq(json_object_array_length(recs), 3);
    json_object *first = json_object_array_get_idx(recs, 0);
    cr_expect_eq(json_object_object_length(first), 5);
    expect_int(member(first, "id"), 9);
    expect_string(member(first, "name"), "Acme Corporation");
    json_object *country = member(first, "country_id");
    cr_assert_eq(json_object_array_length(country), 2);
    expect_int(json_object_array_get_idx(country, 0), 233);
    expect_string(json_object_array_get_idx(country, 1), "United States");
    cr_expect(json_object_get_boolean(member(first, "is_company")));
    expect_string(member(first, "email"), "acme_corp@yourcompany.example.com");
    expect_string(member(json_object_array_get_idx(recs, 2), "name"), "Gemini Furniture");
    json_object_put(recs);
}

Test(xmlrpc_codec, mixed_types_unicode_floats_binary_datetime)
{
    json_object *recs = decode_ok("odoo19/xmlrpc/22-read-mixed-types.json");
    json_object *r = json_object_array_get_idx(recs, 0);
    expect_string(member(r, "name"), "Wire Test \xc3\x9cn\xc3\xaf\x63\xc3\xb6\x64\xc3\xa9 \xe2\x80\x94 "
                                     "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xe2\x82\xac <&>");
    expect_false(member(r, "parent_id"));   /* an empty many2one is False, never nil */
    expect_false(member(r, "is_company"));
    json_object *country = member(r, "country_id");
    expect_int(json_object_array_get_idx(country, 0), 20);
    expect_string(json_object_array_get_idx(country, 1), "Belgium");
    cr_expect(json_object_is_type(member(r, "partner_latitude"), json_type_double));
    cr_expect(json_object_get_double(member(r, "partner_latitude")) == 50.8503396);
    cr_expect(json_object_get_double(member(r, "partner_longitude")) == -4.3517103);
    expect_string(member(r, "image_128"), "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
                                          "awAAAABJRU5ErkJggg==");
    expect_string(member(r, "create_date"), "2026-11-23 10:24:28");
    cr_expect(json_object_get_boolean(member(r, "active")));
    expect_string(member(r, "comment"), "<p>hello</p>");
    json_object_put(recs);
}

Test(xmlrpc_codec, currency_floats_and_dates)
{
    json_object *recs = decode_ok("odoo19/xmlrpc/23-read-currency-date-float.json");
    json_object *r = json_object_array_get_idx(recs, 0);
    cr_expect(json_object_get_double(member(r, "rounding")) == 0.01);
    cr_expect(json_object_is_type(member(r, "rate"), json_type_double));
    cr_expect(json_object_get_double(member(r, "rate")) == 1.0);
    expect_string(member(r, "date"), "2010-01-01");
    json_object_put(recs);
}

Test(xmlrpc_codec, binary_field_is_base64_text)
{
    json_object *recs = decode_ok("odoo19/xmlrpc/30-read-attachment-binary.json");
    expect_string(member(json_object_array_get_idx(recs, 0), "datas"), "AAEC/w==");
    json_object_put(recs);
}

Test(xmlrpc_codec, deleted_ids_read_as_an_empty_list)
{
    json_object *recs = decode_ok("odoo19/xmlrpc/44-read-deleted-id.json");
    cr_expect(json_object_is_type(recs, json_type_array));
    cr_expect_eq(json_object_array_length(recs), 0);
    json_object_put(recs);
}

/* ---------------------------------------------------------------------
 * Faults in detail (every decoder)
 * ------------------------------------------------------------------ */

typedef struct {
    const char *fixture;
    odoo_error_kind kind;
    int code;
    const char *cls;
    const char *message;   /* exact, or NULL */
} fault_case;

static const fault_case faults[] = {
    { "odoo19/xmlrpc/34-validation-error.json", ODOO_ERR_USER, 2, "odoo.exceptions.UserError",
      "You cannot create recursive Partner hierarchies." },
    { "odoo19/xmlrpc/45-missing-error.json", ODOO_ERR_MISSING, 2, "odoo.exceptions.MissingError", NULL },
    { "odoo19/xmlrpc/47-unknown-model.json", ODOO_ERR_NOT_FOUND, 2, "odoo.exceptions.UserError",
      "Object no.such.model doesn't exist" },
    { "odoo19/xmlrpc/48-unknown-method.json", ODOO_ERR_NOT_FOUND, 1, "builtins.AttributeError",
      "The method 'res.partner.no_such_method' does not exist" },
    { "odoo18/xmlrpc/48-unknown-method.json", ODOO_ERR_NOT_FOUND, 1, "builtins.AttributeError",
      "The method 'no_such_method' does not exist on the model 'res.partner'" },
    { "odoo19/xmlrpc/37-access-error-limited-read.json", ODOO_ERR_ACCESS, 4, "odoo.exceptions.AccessError", NULL },
    { "odoo19/xmlrpc/39-access-denied-bad-password.json", ODOO_ERR_AUTH, 3, "odoo.exceptions.AccessDenied",
      "Access Denied" },
    { "odoo19/xmlrpc/73-malformed-xml.json", ODOO_ERR_SERVER, 1, "xml.parsers.expat.ExpatError",
      "syntax error: line 1, column 0" },
};

Test(xmlrpc_codec, faults_in_detail)
{
    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
        for (int d = SCAN; d <= XMLRPC_C; d++) {
            odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
            int rc = decode_err(faults[i].fixture, d, &err);
            cr_expect_eq(rc, (int)faults[i].kind, "%s: %s", faults[i].fixture, odoo_error_kind_name(rc));
            cr_expect_eq(err.code, faults[i].code, "%s", faults[i].fixture);
            cr_expect_eq(err.http_status, 200, "%s", faults[i].fixture);
            cr_expect_str_eq(err.error_class, faults[i].cls, "%s", faults[i].fixture);
            if (faults[i].message)
                cr_expect_str_eq(err.message, faults[i].message, "%s", faults[i].fixture);
            odoo_rpc_error_clear(&err);
        }
    }
}

/* libodoo calls /xmlrpc/2 only; the legacy /xmlrpc/<service> answers
 * with a string faultCode ("warning -- UserError\n\n...", "AccessDenied",
 * or the message), recorded as v1-*. Every decoder reads such a fault
 * alike, and it is reported as what it is: not an /xmlrpc/2 fault. */
Test(xmlrpc_codec, a_string_fault_code_is_no_xmlrpc2_fault)
{
    const char *files[] = { "odoo19/xmlrpc/66-v1-user-error.json", "odoo19/xmlrpc/70-v1-access-denied.json",
                            "odoo19/xmlrpc/71-v1-unknown-method.json" };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        for (int d = SCAN; d <= XMLRPC_C; d++) {
            odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
            cr_expect_eq(decode_err(files[i], d, &err), ODOO_ERR_PROTOCOL, "%s, decoder %d", files[i], d);
            cr_expect_eq(err.http_status, 200, "%s", files[i]);
            cr_expect(err.message && strstr(err.message, "faultCode is not an integer"), "%s: %s", files[i],
                      err.message);
            cr_expect_null(err.error_class, "%s", files[i]);
            odoo_rpc_error_clear(&err);
        }
    }
}

Test(xmlrpc_codec, a_traceback_fault_keeps_the_traceback_in_debug)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    decode_err("odoo19/xmlrpc/50-wrong-arg-count.json", SCAN, &err);
    cr_expect_str_eq(err.message, "BaseModel.read() takes from 1 to 3 positional arguments but 4 were given");
    cr_assert_not_null(err.debug);
    cr_expect(strncmp(err.debug, "Traceback (most recent call last):", 34) == 0);
    odoo_rpc_error_clear(&err);
}

Test(xmlrpc_codec, none_and_bigint_results_are_unsupported)
{
    const char *files[] = { "odoo19/xmlrpc/32-returns-none.json", "odoo18/xmlrpc/32-returns-none.json",
                            "odoo19/xmlrpc/55-bigint-in-response.json", "odoo18/xmlrpc/55-bigint-in-response.json" };
    for (size_t i = 0; i < 4; i++) {
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        cr_expect_eq(decode_err(files[i], SCAN, &err), ODOO_ERR_UNSUPPORTED, "%s", files[i]);
        cr_expect_eq(err.code, 1);
        /* Say plainly that the call ran: its changes are committed. */
        cr_expect(strstr(err.message, "the call itself ran") != NULL, "%s: %s", files[i], err.message);
        odoo_rpc_error_clear(&err);
    }
}

Test(xmlrpc_codec, html_405_page_is_a_protocol_error)
{
    for (int d = SCAN; d <= XMLRPC_C; d++) {
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        cr_expect_eq(decode_err("odoo19/xmlrpc/74-get-not-allowed.json", d, &err),
                     ODOO_ERR_PROTOCOL);
        cr_expect_eq(err.http_status, 405);
        cr_expect(strstr(err.message, "405 Method Not Allowed") != NULL, "%s", err.message);
        cr_assert_not_null(err.debug);
        cr_expect(strncmp(err.debug, "<!doctype html>", 15) == 0, "first bytes kept");
        odoo_rpc_error_clear(&err);
    }
}

/* ---------------------------------------------------------------------
 * Malformed and truncated answers: every decoder fails cleanly
 * ------------------------------------------------------------------ */

Test(xmlrpc_codec, malformed_bodies_fail_with_a_protocol_error)
{
    for (size_t i = 0; i < xmlrpc_malformed_count; i++) {
        for (int d = SCAN; d <= XMLRPC_C; d++) {
            json_object *out = NULL;
            odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
            int rc = decode_with(d, xmlrpc_malformed[i],
                                                       strlen(xmlrpc_malformed[i]), 200, "text/xml", &out, &err);
            cr_expect_eq(rc, ODOO_ERR_PROTOCOL, "body %zu, decoder %d: %s (%s)", i, d,
                         odoo_error_kind_name((odoo_error_kind)rc), xmlrpc_malformed[i]);
            cr_expect_eq(err.http_status, 200);
            cr_expect_not_null(err.message);
            cr_expect_null(out);
            json_object_put(out);
            odoo_rpc_error_clear(&err);
        }
    }
}

Test(xmlrpc_codec, a_malformed_body_says_why_and_keeps_the_first_bytes)
{
    const char *body = RESP("<int>12</int");
    json_object *out = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_expect_eq(odoo__xmlrpc_decode_response(body, strlen(body), 200, "text/xml", &out, &err), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(err.message, "expected an XML-RPC response") != NULL, "%s", err.message);
    cr_expect(strstr(err.message, "line 1") != NULL, "the parser's reason is given: %s", err.message);
    cr_expect(err.debug && strncmp(err.debug, body, strlen(err.debug)) == 0);
    odoo_rpc_error_clear(&err);

    cr_expect_eq(odoo__xmlrpc_decode_response("", 0, 200, "text/xml", &out, &err), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(err.message, "empty body") != NULL, "%s", err.message);
    odoo_rpc_error_clear(&err);

    cr_expect_eq(odoo__xmlrpc_decode_response("Too Many Requests", 17, 429, "text/plain", &out, &err),
                 ODOO_ERR_RATE_LIMITED);
    cr_expect_eq(err.http_status, 429);
    odoo_rpc_error_clear(&err);
}

/* Every recorded body cut anywhere before its last '>' is refused by all. */
Test(xmlrpc_codec, truncated_recorded_bodies_fail_cleanly)
{
    const char *folders[] = { "odoo19/xmlrpc", "odoo18/xmlrpc" };
    int cuts_tried = 0;
    for (int f = 0; f < 2; f++) {
        char **names;
        size_t n = fixture_list(folders[f], &names);
        for (size_t i = 0; i < n; i++) {
            char rel[256];
            snprintf(rel, sizeof(rel), "%s/%s", folders[f], names[i]);
            recorded r = load(rel);
            size_t last = (size_t)(strrchr(r.body, '>') - r.body);
            size_t cuts[] = { 1, 7, 22, last / 3, last / 2, last - 9, last - 1, last };
            for (size_t c = 0; c < sizeof(cuts) / sizeof(cuts[0]); c++) {
                if (cuts[c] >= last + 1 || cuts[c] == 0)
                    continue;
                char *part = strndup(r.body, cuts[c]);
                for (int d = SCAN; d <= XMLRPC_C; d++) {
                    json_object *out = NULL;
                    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
                    int rc = decode_with(d, part, cuts[c], r.status,
                                                               r.ctype, &out, &err);
                    cr_expect_eq(rc, r.status == 429 ? ODOO_ERR_RATE_LIMITED : ODOO_ERR_PROTOCOL,
                                 "%s cut at %zu, decoder %d: %s", rel, cuts[c], d, err.message);
                    cr_expect_null(out);
                    json_object_put(out);
                    odoo_rpc_error_clear(&err);
                }
                free(part);
                cuts_tried++;
            }
            json_object_put(r.fx);
        }
        fixture_list_free(names, n);
    }
    cr_expect_gt(cuts_tried, 1000);
}

Test(xmlrpc_codec, expat_refuses_doctype_and_deep_nesting)
{
    const char *laughs = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                         "<methodResponse><params><param><value><string>&b;</string></value></param></params>"
                         "</methodResponse>";
    odoo_xmlrpc_reply reply;
    char why[256];
    cr_expect_eq(odoo__xmlrpc_parse_expat(laughs, strlen(laughs), &reply, why, sizeof(why)), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(why, "DOCTYPE") != NULL, "%s", why);

    /* ODOO_XMLRPC_MAX_DEPTH nested arrays are fine, one more is not. */
    for (int extra = 0; extra <= 1; extra++) {
        int depth = ODOO_XMLRPC_MAX_DEPTH + extra;
        size_t cap = (size_t)depth * 64 + 256, len = 0;
        char *doc = malloc(cap);
        len += (size_t)sprintf(doc + len, "<?xml version=\"1.0\"?><methodResponse><params><param><value>");
        for (int i = 0; i < depth; i++)
            len += (size_t)sprintf(doc + len, "<array><data><value>");
        len += (size_t)sprintf(doc + len, "<int>7</int>");
        for (int i = 0; i < depth; i++)
            len += (size_t)sprintf(doc + len, "</value></data></array>");
        len += (size_t)sprintf(doc + len, "</value></param></params></methodResponse>");
        int rc = odoo__xmlrpc_parse_expat(doc, len, &reply, why, sizeof(why));
        if (extra) {
            cr_expect_eq(rc, ODOO_ERR_PROTOCOL);
            cr_expect(strstr(why, "nesting deeper than 128") != NULL, "%s", why);
        } else {
            cr_expect_eq(rc, 0, "%s", why);
            json_object *v = reply.value;
            for (int i = 0; i < depth; i++)
                v = json_object_array_get_idx(v, 0);
            expect_int(v, 7);
            json_object_put(reply.value);
        }
        free(doc);
    }
}

/* Where the decoders part ways on input Odoo itself never sends. */
Test(xmlrpc_codec, what_only_the_expat_decoder_reads)
{
    static const struct {
        const char *body;
        const char *json;
    } cases[] = {
        /* xmlrpc-c 1.33 refuses every character beyond U+FFFF. */
        { RESP("<string>smile \xf0\x9f\x98\x80</string>"), "\"smile \xf0\x9f\x98\x80\"" },
        { RESP("<string>&#x1F600;</string>"), "\"\xf0\x9f\x98\x80\"" },
        /* xmlrpc-c turns a CR character reference into LF. */
        { RESP("<string>a&#13;b</string>"), "\"a\\rb\"" },
        /* Python's parser takes any size in <int>; xmlrpc-c only 32 bits. */
        { RESP("<int>4294967294</int>"), "4294967294" },
        /* xmlrpc-c reads 1e+300 as 1.0000000000000001e+300. */
        { RESP("<double>1e+300</double>"), "1e300" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_object *out = NULL, *want = json_parse(cases[i].json);
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        cr_expect_eq(odoo__xmlrpc_decode_response(cases[i].body, strlen(cases[i].body), 200, "text/xml", &out, &err),
                     0, "%zu: %s", i, err.message);
        cr_expect(json_object_equal(out, want), "%zu: %s", i, json_object_to_json_string(out));
        json_object_put(out);
        json_object_put(want);
        odoo_rpc_error_clear(&err);
    }
}

Test(xmlrpc_codec, scalar_forms)
{
    static const struct {
        const char *body;
        const char *json;
    } cases[] = {
        { RESP("implicit &amp; string"), "\"implicit & string\"" },
        { RESP(""), "\"\"" },
        { RESP("<string/>"), "\"\"" },
        { RESP("  <int>3</int>  "), "3" },
        { RESP("<i4>-7</i4>"), "-7" },
        { RESP("<int>+42</int>"), "42" },
        { RESP("<i8>-9223372036854775808</i8>"), "-9223372036854775808" },
        { RESP("<ex:i8>1099511627776</ex:i8>"), "1099511627776" },
        { RESP("<nil/>"), "null" },
        { RESP("<ex:nil/>"), "null" },
        { RESP("<boolean>1</boolean>"), "true" },
        { RESP("<double>-0.5</double>"), "-0.5" },
        { RESP("<dateTime.iso8601>20261123T10:24:28</dateTime.iso8601>"), "\"2026-11-23 10:24:28\"" },
        { RESP("<dateTime.iso8601>2026-11-23T10:24:28Z</dateTime.iso8601>"), "\"2026-11-23 10:24:28\"" },
        { RESP("<dateTime.iso8601>20261123T102428.5</dateTime.iso8601>"), "\"2026-11-23 10:24:28.500000\"" },
        { RESP("<base64>aGVs\nbG8=</base64>"), "\"aGVsbG8=\"" },
        { RESP("<base64>aGVsbG9=</base64>"), "\"aGVsbG8=\"" },
        { RESP("<base64></base64>"), "\"\"" },
        { RESP("<string><![CDATA[<x>]]></string>"), "\"<x>\"" },
        { RESP("<array><data/></array>"), "[]" },
        { RESP("<struct/>"), "{}" },
        { RESP("<struct><member><value><int>1</int></value><name>late</name></member></struct>"), "{\"late\": 1}" },
        { RESP("<struct><member><name>a</name><value><int>1</int></value></member>"
               "<member><name>a</name><value><int>3</int></value></member></struct>"), "{\"a\": 3}" },
        { RESP("<array><data><value><nil/></value><value>x</value></data></array>"), "[null, \"x\"]" },
        { "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodResponse><params><param><value>"
          "<string>caf\xe9</string></value></param></params></methodResponse>", "\"caf\xc3\xa9\"" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_object *want = json_parse(cases[i].json);
        for (int d = SCAN; d <= XMLRPC_C; d++) {
            json_object *out = NULL;
            odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
            int rc = decode_with(d, cases[i].body, strlen(cases[i].body),
                                                       200, "text/xml", &out, &err);
            cr_expect_eq(rc, 0, "%zu, decoder %d: %s", i, d, err.message);
            cr_expect(json_object_equal(out, want), "%zu, decoder %d: %s, want %s", i, d,
                      json_object_to_json_string(out), cases[i].json);
            json_object_put(out);
            odoo_rpc_error_clear(&err);
        }
        json_object_put(want);
    }
}

/* A double prints as the server wrote it (Python's repr), as it does from
 * the JSON protocols, not to 17 digits; text JSON cannot carry as a number
 * (inf) prints as json-c's own. Both of the library's decoders. */
Test(xmlrpc_codec, doubles_print_as_the_server_wrote_them)
{
    static const struct {
        const char *text, *printed;
    } cases[] = {
        { "-38.8585056", "-38.8585056" }, { "0.1", "0.1" }, { "1e+16", "1e+16" }, { "50.85", "50.85" },
        { "-0.0", "-0.0" }, { "3", "3" }, { "+1.5", "1.5" }, { "1.", "1.0" }, { "007.5", "7.5" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char xml[512];
        snprintf(xml, sizeof(xml), RESP("<double>%s</double>"), cases[i].text);
        for (int d = SCAN; d <= EXPAT; d++) {
            json_object *out = NULL;
            odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
            cr_assert_eq(decode_with(d, xml, strlen(xml), 200, "text/xml", &out, &err), 0, "%s: %s", cases[i].text,
                         err.message);
            cr_expect_str_eq(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN), cases[i].printed,
                             "decoder %d, <double>%s</double>", d, cases[i].text);
            json_object_put(out);
            odoo_rpc_error_clear(&err);
        }
    }
}

/* ---------------------------------------------------------------------
 * Encoder
 * ------------------------------------------------------------------ */

/* The method and params of a <methodCall>, read by xmlrpc-c. */
static void parse_call(const char *xml, size_t len, char **method, json_object **params)
{
    char why[256];
    int rc = xmlrpc_oracle_parse_call(xml, len, method, params, why, sizeof(why));
    cr_assert_eq(rc, 0, "xmlrpc-c cannot read the call: %s", why);
}

/* Encode method(*params) and compare it, as xmlrpc-c reads it, with the
 * request recorded in a fixture. */
static void expect_same_call(const char *fixture, const char *method, json_object *params)
{
    json_object *fx = fixture_load(fixture);
    const char *body = fixture_str(fx, "request", "body");
    char *rec_method, *our_method, *xml;
    json_object *rec_params, *our_params;
    size_t len;
    parse_call(body, strlen(body), &rec_method, &rec_params);
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo__xmlrpc_encode_call(method, params, &xml, &len, &err), 0, "%s: %s", fixture, err.message);
    parse_call(xml, len, &our_method, &our_params);
    cr_expect_str_eq(our_method, rec_method, "%s", fixture);
    cr_expect(json_object_equal(our_params, rec_params), "%s:\n ours     %s\n recorded %s", fixture,
              json_object_to_json_string(our_params), json_object_to_json_string(rec_params));
    cr_expect(strstr(xml, "<base64>") == NULL, "binary values travel as <string>");
    free(rec_method);
    free(our_method);
    free(xml);
    json_object_put(rec_params);
    json_object_put(our_params);
    json_object_put(fx);
}

static void expect_same_call_json(const char *fixture, const char *method, const char *params_json)
{
    json_object *params = json_parse(params_json);
    cr_assert_not_null(params, "bad test JSON for %s", fixture);
    expect_same_call(fixture, method, params);
    json_object_put(params);
}

Test(xmlrpc_codec, encoder_writes_the_recorded_requests)
{
    expect_same_call_json("odoo19/xmlrpc/01-common-version.json", "version", "[]");
    expect_same_call_json("odoo19/xmlrpc/02-common-authenticate-ok.json", "authenticate",
                          "[\"odoo19\", \"admin\", \"admin\", {}]");
    expect_same_call_json("odoo19/xmlrpc/11-search_read.json", "execute_kw",
                          "[\"odoo19\", 2, \"admin\", \"res.partner\", \"search_read\","
                          " [[[\"is_company\", \"=\", true]]],"
                          " {\"fields\": [\"name\", \"country_id\", \"is_company\", \"email\"], \"limit\": 3,"
                          "  \"order\": \"name asc\"}]");
    expect_same_call_json("odoo19/xmlrpc/13-read.json", "execute_kw",
                          "[\"odoo19\", 2, \"admin\", \"res.partner\", \"read\", [[8, 9]],"
                          " {\"fields\": [\"name\", \"country_id\", \"is_company\", \"write_date\"]}]");
    expect_same_call_json("odoo19/xmlrpc/21-create.json", "execute_kw",
                          "[\"odoo19\", 2, \"admin\", \"res.partner\", \"create\", [{"
                          "\"name\": \"Wire Test \\u00dcn\\u00efc\\u00f6d\\u00e9 \\u2014 \\u65e5\\u672c\\u8a9e \\u20ac <&>\","
                          "\"is_company\": false, \"country_id\": 20, \"partner_latitude\": 50.8503396,"
                          "\"partner_longitude\": -4.3517103,"
                          "\"image_1920\": \"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\","
                          "\"comment\": \"<p>hello</p>\"}]]");
    expect_same_call_json("odoo19/xmlrpc/25-write.json", "execute_kw",
                          "[\"odoo19\", 2, \"admin\", \"res.partner\", \"write\","
                          " [[139], {\"phone\": \"+32 2 555 12 12\", \"is_company\": true}]]");
    expect_same_call_json("odoo19/xmlrpc/26-write-nil.json", "execute_kw",
                          "[\"odoo19\", 2, \"admin\", \"res.partner\", \"write\", [[139], {\"phone\": null}]]");
    expect_same_call_json("odoo19/xmlrpc/56-bigint-i8-in-request.json", "execute_kw",
                          "[\"odoo19\", 2, \"admin\", \"res.partner\", \"search\","
                          " [[[\"id\", \"=\", 1099511627776]]]]");
    expect_same_call_json("odoo19/xmlrpc/29-create-attachment-base64-string.json", "execute_kw",
                          "[\"odoo19\", 2, \"admin\", \"ir.attachment\", \"create\", [{\"name\": \"wire2.bin\","
                          " \"datas\": \"AAEC/w==\", \"res_model\": \"res.partner\", \"res_id\": 139}]]");
}

/* Every recorded request xmlrpc-c can read, written again from its own
 * values, reads back the same. */
Test(xmlrpc_codec, encoder_round_trips_every_recorded_request)
{
    const char *folders[] = { "odoo19/xmlrpc", "odoo18/xmlrpc" };
    int done = 0;
    for (int f = 0; f < 2; f++) {
        char **names;
        size_t n = fixture_list(folders[f], &names);
        for (size_t i = 0; i < n; i++) {
            char rel[256];
            snprintf(rel, sizeof(rel), "%s/%s", folders[f], names[i]);
            json_object *fx = fixture_load(rel);
            const char *body = fixture_str(fx, "request", "body");
            char *method = NULL, why[256];
            json_object *params = NULL;
            /* Skipped: the malformed body, the GET, <int> beyond 32 bits
             * (xmlrpc-c refuses it), and the two that need types JSON has
             * not (<dateTime.iso8601>, <base64>). */
            if (xmlrpc_oracle_parse_call(body, strlen(body), &method, &params, why, sizeof(why)) == 0 &&
                !strstr(body, "<dateTime.iso8601>") && !strstr(body, "<base64>")) {
                expect_same_call(rel, method, params);
                done++;
            }
            free(method);
            json_object_put(params);
            json_object_put(fx);
        }
        fixture_list_free(names, n);
    }
    cr_expect_gt(done, 130);
}

Test(xmlrpc_codec, integers_pick_int_or_i8)
{
    json_object *params = json_parse("[2147483647, -2147483648, 2147483648, -2147483649, 1099511627776, 0,"
                                     " 9223372036854775807, 18446744073709551615]");
    char *xml;
    size_t len;
    cr_assert_eq(odoo__xmlrpc_encode_call("m", params, &xml, &len, NULL), 0);
    const char *want[] = { "<int>2147483647</int>", "<int>-2147483648</int>", "<i8>2147483648</i8>",
                           "<i8>-2147483649</i8>", "<i8>1099511627776</i8>", "<int>0</int>",
                           "<i8>9223372036854775807</i8>", "<i8>18446744073709551615</i8>" };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_expect(strstr(xml, want[i]) != NULL, "%s missing in %s", want[i], xml);
    free(xml);
    json_object_put(params);
}

Test(xmlrpc_codec, doubles_are_exact_and_locale_independent)
{
    /* A German locale writes 1,5 with printf; XML-RPC never does. */
    const char *saved = setlocale(LC_NUMERIC, NULL);
    char *restore = saved ? strdup(saved) : NULL;
    const char *locales[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "C" };
    for (size_t i = 0; i < 4 && !setlocale(LC_NUMERIC, locales[i]); i++)
        ;
    json_object *params = json_parse("[50.8503396, -4.3517103, 1.0, 0.1, 1e300, -0.0, 123456789012345678.0,"
                                     " 0.30000000000000004, 5e-324]");
    char *xml;
    size_t len;
    cr_assert_eq(odoo__xmlrpc_encode_call("m", params, &xml, &len, NULL), 0);
    const char *want[] = { "<double>50.8503396</double>", "<double>-4.3517103</double>", "<double>1.0</double>",
                           "<double>0.1</double>", "<double>1e+300</double>", "<double>-0.0</double>",
                           "<double>0.30000000000000004</double>",
                           "<double>4.94065645841247e-324</double>" };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        cr_expect(strstr(xml, want[i]) != NULL, "%s missing in %s", want[i], xml);
    /* Every one reads back bit for bit, with the scanner and with expat. */
    for (int d = SCAN; d <= EXPAT; d++) {
        for (size_t i = 0; i < json_object_array_length(params); i++) {
            json_object *back = NULL, *want = json_object_array_get_idx(params, i);
            cr_expect_eq(round_trip(d, want, &back, NULL), 0);
            cr_expect(json_object_get_double(back) == json_object_get_double(want) &&
                      !signbit(json_object_get_double(back)) == !signbit(json_object_get_double(want)),
                      "decoder %d: %s", d, json_object_to_json_string(want));
            json_object_put(back);
        }
    }
    free(xml);
    json_object_put(params);
    setlocale(LC_NUMERIC, restore ? restore : "C");
    free(restore);
}

Test(xmlrpc_codec, any_unicode_string_round_trips)
{
    static const char *const strings[] = {
        "plain ascii",
        "\xc3\x9cn\xc3\xaf\x63\xc3\xb6\x64\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e \xe2\x82\xac",
        "emoji \xf0\x9f\x98\x80 and U+10FFFF \xf4\x8f\xbf\xbf and U+FFFD \xef\xbf\xbd",
        "combining e\xcc\x81 and zero-width\xe2\x80\x8bjoiner",
        "markup <p>&amp;</p> ]]> \"quotes\" 'apostrophes'",
        "tab\there, newline\nhere, CR\rhere, CRLF\r\nhere",
        "  leading and trailing spaces  ",
        "",
        "DEL \x7f and C1 \xc2\x80\xc2\x9f",
    };
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]) * 2; i++) {
        int d = i % 2 ? EXPAT : SCAN;
        json_object *s = json_object_new_string(strings[i / 2]), *back = NULL;
        char *xml = NULL;
        cr_expect_eq(round_trip(d, s, &back, &xml), 0, "%zu", i / 2);
        cr_expect(json_object_equal(s, back), "%zu, decoder %d: %s came back as %s", i / 2, d, strings[i / 2],
                  json_object_get_string(back));
        /* Raw UTF-8 on the wire, as Odoo sends it; CR as a reference. */
        if (i / 2 == 1)
            cr_expect(strstr(xml, strings[1]) != NULL);
        if (i / 2 == 5)
            cr_expect(strstr(xml, "CR&#13;here") != NULL, "%s", xml);
        free(xml);
        json_object_put(back);
        json_object_put(s);
    }
}

Test(xmlrpc_codec, strings_xml_cannot_carry_are_refused_without_quoting_them)
{
    static const struct {
        const char *s;
        size_t len;
        odoo_error_kind kind;
    } cases[] = {
        { "secret\x01", 7, ODOO_ERR_UNSUPPORTED },
        { "secret\x1b[0m", 10, ODOO_ERR_UNSUPPORTED },
        { "secret\0nul", 10, ODOO_ERR_UNSUPPORTED },
        { "secret\xef\xbf\xbe", 9, ODOO_ERR_UNSUPPORTED },       /* U+FFFE */
        { "secret\xff", 7, ODOO_ERR_INVALID_ARGUMENT },
        { "secret\xc0\xaf", 8, ODOO_ERR_INVALID_ARGUMENT },      /* overlong '/' */
        { "secret\xed\xa0\x80", 9, ODOO_ERR_INVALID_ARGUMENT },  /* a surrogate */
        { "secret\xe2\x82", 8, ODOO_ERR_INVALID_ARGUMENT },      /* cut short */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_object *params = json_object_new_array();
        json_object *vals = json_object_new_object();
        json_object_object_add(vals, "k", json_object_new_string_len(cases[i].s, (int)cases[i].len));
        json_object_array_add(params, vals);
        char *xml = NULL;
        size_t len;
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        cr_expect_eq(odoo__xmlrpc_encode_call("m", params, &xml, &len, &err), (int)cases[i].kind, "%zu", i);
        cr_expect_null(xml);
        cr_expect(err.message && !strstr(err.message, "secret"), "%zu: %s", i, err.message);
        odoo_rpc_error_clear(&err);
        json_object_put(params);
    }
    /* Member names too. */
    json_object *params = json_parse("[{\"bad\\u0001key\": 1}]");
    char *xml = NULL;
    size_t len;
    cr_expect_eq(odoo__xmlrpc_encode_call("m", params, &xml, &len, NULL), ODOO_ERR_UNSUPPORTED);
    json_object_put(params);
}

Test(xmlrpc_codec, nesting_is_limited_on_the_way_out)
{
    for (int extra = 0; extra <= 1; extra++) {
        json_object *v = json_object_new_int(1);
        for (int i = 0; i < ODOO_XMLRPC_MAX_DEPTH + extra; i++) {
            json_object *a = json_object_new_array();
            json_object_array_add(a, v);
            v = a;
        }
        json_object *params = json_object_new_array();
        json_object_array_add(params, v);
        char *xml = NULL;
        size_t len;
        int rc = odoo__xmlrpc_encode_call("m", params, &xml, &len, NULL);
        cr_expect_eq(rc, extra ? ODOO_ERR_INVALID_ARGUMENT : 0, "depth %d", ODOO_XMLRPC_MAX_DEPTH + extra);
        free(xml);
        json_object_put(params);
    }
}

Test(xmlrpc_codec, writer_pieces_and_buffer_reuse)
{
    odoo_buf b = ODOO_BUF_INIT;
    for (int round = 0; round < 2; round++) {
        cr_assert_eq(odoo__xmlrpc_call_begin(&b, "execute_kw", NULL), 0);
        cr_assert_eq(odoo__xmlrpc_call_param_string(&b, "db", NULL), 0);
        cr_assert_eq(odoo__xmlrpc_call_param_int(&b, 2, NULL), 0);
        cr_assert_eq(odoo__xmlrpc_call_param_int(&b, 1099511627776LL, NULL), 0);
        cr_assert_eq(odoo__xmlrpc_call_param_string(&b, "s3cr3t <&>", NULL), 0);
        cr_assert_eq(odoo__xmlrpc_call_end(&b, NULL), 0);
        char *method;
        json_object *params, *want = json_parse("[\"db\", 2, 1099511627776, \"s3cr3t <&>\"]");
        parse_call(b.data, b.len, &method, &params);
        cr_expect_str_eq(method, "execute_kw");
        cr_expect(json_object_equal(params, want), "%s", json_object_to_json_string(params));
        free(method);
        json_object_put(params);
        json_object_put(want);
    }
    size_t cap = b.cap, used = b.len;
    odoo_buf_reset(&b, 1);
    cr_expect_eq(b.len, 0);
    cr_expect_eq(b.cap, cap, "the memory stays for the next call");
    for (size_t i = 0; i < used; i++)
        cr_assert_eq(b.data[i], '\0', "the request (and its secret) is wiped");
    odoo_buf_free(&b);
    cr_expect_null(b.data);
}

/* Why the request is not written with xmlrpc_serialize_call2: if a later
 * xmlrpc-c fixes these, this test says so. */
Test(xmlrpc_codec, xmlrpc_c_serializer_shortcomings)
{
    xmlrpc_env env;
    xmlrpc_env_init(&env);
    const char emoji[] = "\xf0\x9f\x98\x80";
    xmlrpc_value *v = xmlrpc_string_new_lp(&env, sizeof(emoji) - 1, emoji);
    cr_expect(env.fault_occurred, "xmlrpc-c 1.33 refuses characters beyond U+FFFF");
    if (!env.fault_occurred)   /* on failure v is left uninitialised */
        xmlrpc_DECREF(v);
    xmlrpc_env_clean(&env);

    xmlrpc_env_init(&env);
    xmlrpc_mem_block *out = xmlrpc_mem_block_new(&env, 0);
    v = xmlrpc_double_new(&env, -4.3517103);
    xmlrpc_serialize_value2(&env, out, v, xmlrpc_dialect_i8);
    cr_expect(!env.fault_occurred);
    const char *text = xmlrpc_mem_block_contents(out);
    size_t n = xmlrpc_mem_block_size(out);
    cr_expect(memmem(text, n, "-4.3517103<", 11) == NULL, "xmlrpc-c 1.33 prints doubles to 16 digits: %.*s",
              (int)n, text);
    xmlrpc_DECREF(v);
    xmlrpc_mem_block_free(out);
    xmlrpc_env_clean(&env);
}

/* xmlrpc-c refuses answers beyond a process-wide limit (512 KiB unless
 * the program raises it with xmlrpc_limit_set()). libodoo no longer links
 * xmlrpc-c, so it leaves that limit to the host program (here the oracle
 * raises it for the tests), and its decoder has no limit of its own (the
 * transport caps the body). */
Test(xmlrpc_codec, a_large_answer_needs_no_xmlrpc_c_limit)
{
    /* Criterion runs each test in a process of its own: nothing raised it yet. */
    odoo_dsn *dsn = NULL;
    cr_assert_eq(odoo_dsn_parse(&dsn, "https://odoo.example.com/db", NULL), 0);   /* the library's global init */
    odoo_dsn_free(dsn);
    cr_expect_eq(xmlrpc_limit_get(XMLRPC_XML_SIZE_LIMIT_ID), XMLRPC_XML_SIZE_LIMIT_DEFAULT,
                 "libodoo leaves xmlrpc-c's process-wide limit alone");

    size_t n = 60000, cap = n * 32 + 256, len = 0;
    char *doc = malloc(cap);
    len += (size_t)sprintf(doc, "<?xml version=\"1.0\"?><methodResponse><params><param><value><array><data>");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(doc + len, "<value><int>%zu</int></value>", i);
    len += (size_t)sprintf(doc + len, "</data></array></value></param></params></methodResponse>");
    cr_assert_gt(len, XMLRPC_XML_SIZE_LIMIT_DEFAULT);

    json_object *out = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    for (int d = SCAN; d <= XMLRPC_C; d++) {
        cr_assert_eq(decode_with(d, doc, len, 200, "text/xml", &out, &err), 0, "decoder %d: %s", d, err.message);
        cr_expect_eq(json_object_array_length(out), n);
        expect_int(json_object_array_get_idx(out, (int)n - 1), (int64_t)n - 1);
        json_object_put(out);
    }
    cr_expect_gt(xmlrpc_limit_get(XMLRPC_XML_SIZE_LIMIT_ID), len, "the oracle raised it for its own process");
    free(doc);
}
