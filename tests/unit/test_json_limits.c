/* What the decoders refuse rather than decode wrongly: integers beyond
 * 64 bits (json-c clamps them), nesting beyond ODOO_MAX_NESTING (the same
 * limit for JSON and XML-RPC, named in the error), invalid UTF-8 and a NUL
 * in an object key (json-c cuts the key), each error saying where. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "adapters/xmlrpc_reply.h"
#include "core/envelope.h"
#include "core/value.h"
#include "errors/parse.h"

static int parse(const char *text, json_object **out)
{
    return odoo__json_parse(text, strlen(text), out);
}

/* A JSON-RPC answer holding text as its result: decoded, or the error. */
static int decode_result(const char *result, odoo_rpc_error *err, json_object **out)
{
    char body[4096];
    snprintf(body, sizeof(body), "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": %s}", result);
    return odoo__jsonrpc_decode(body, strlen(body), 200, "application/json", 1, out, err);
}

Test(json_limits, integers_beyond_64_bits_are_refused_never_clamped)
{
    static const char *refused[] = {
        "123456789012345678901234567890", "-123456789012345678901234567890", "9223372036854775808",
        "-9223372036854775809", "18446744073709551615", "[1, {\"id\": 99999999999999999999}]",
    };
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        json_object *out = NULL;
        int rc = decode_result(refused[i], &err, &out);
        cr_expect_eq(rc, ODOO_ERR_PROTOCOL, "%s: %d %s", refused[i], rc, json_object_to_json_string(out));
        cr_expect_null(out, "%s", refused[i]);
        cr_expect(err.message && strstr(err.message, "does not fit in 64 bits"), "%s", err.message);
        /* the number is named */
        const char *digits = strstr(refused[i], "999") ? "99999999999999999999" : strpbrk(refused[i], "123456789");
        cr_expect(err.message && (strstr(err.message, digits) != NULL || strlen(digits) > 40), "%s", err.message);
        odoo_rpc_error_clear(&err);
        cr_expect_eq(parse(refused[i], &out), -1, "%s", refused[i]);
    }
    /* the refusal says where */
    char why[160];
    cr_expect_eq(odoo__json_refusal("{\"a\": 123456789012345678901234567890}", 37, why, sizeof(why)), 1);
    cr_expect(strstr(why, "123456789012345678901234567890 at byte 6"), "%s", why);
}

Test(json_limits, what_fits_is_kept_exactly)
{
    static const struct {
        const char *text;
        int64_t value;
    } fit[] = {
        { "9223372036854775807", INT64_MAX }, { "-9223372036854775808", INT64_MIN },
        { "1234567890123456789", 1234567890123456789LL }, { "-0", 0 },
    };
    for (size_t i = 0; i < sizeof(fit) / sizeof(fit[0]); i++) {
        json_object *out = NULL;
        cr_assert_eq(parse(fit[i].text, &out), 0, "%s", fit[i].text);
        cr_expect(json_object_is_type(out, json_type_int), "%s", fit[i].text);
        cr_expect_eq(json_object_get_int64(out), fit[i].value, "%s", fit[i].text);
        json_object_put(out);
    }
    /* long digit runs that are no integers: in strings, in doubles */
    static const char *fine[] = {
        "\"123456789012345678901234567890\"", "0.123456789012345678901234567890",
        "12345678901234567890123.5", "1.5e123456789012345678901", "[\"x\\\"123456789012345678901234\", 1]",
        "{\"12345678901234567890123\": 1}",
    };
    for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
        json_object *out = NULL;
        cr_expect_eq(parse(fine[i], &out), 0, "%s", fine[i]);
        json_object_put(out);
    }
}

static char *nested_json(int depth, const char *open, const char *close, const char *inner)
{
    size_t cap = (size_t)depth * (strlen(open) + strlen(close)) + strlen(inner) + 1;
    char *s = malloc(cap), *p = s;
    for (int i = 0; i < depth; i++)
        p += sprintf(p, "%s", open);
    p += sprintf(p, "%s", inner);
    for (int i = 0; i < depth; i++)
        p += sprintf(p, "%s", close);
    return s;
}

Test(json_limits, json_nesting_has_the_documented_limit_and_says_so)
{
    cr_assert_eq(ODOO_MAX_NESTING, 128);
    for (int k = 0; k < 2; k++) {
        const char *open = k ? "{\"a\":" : "[", *close = k ? "}" : "]";
        char *ok = nested_json(ODOO_MAX_NESTING, open, close, "1");
        char *deep = nested_json(ODOO_MAX_NESTING + 1, open, close, "1");
        json_object *out = NULL;
        cr_expect_eq(parse(ok, &out), 0, "%d levels", ODOO_MAX_NESTING);
        json_object_put(out);
        cr_expect_eq(parse(deep, &out), -1);
        char why[160];
        cr_expect_eq(odoo__json_refusal(deep, strlen(deep), why, sizeof(why)), 1);
        cr_expect(strstr(why, "nesting deeper than 128"), "%s", why);
        free(ok);
        free(deep);
    }
    /* through the JSON-RPC envelope (which counts as one level) */
    char *deep = nested_json(ODOO_MAX_NESTING, "[", "]", "1");
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_object *out = NULL;
    cr_expect_eq(decode_result(deep, &err, &out), ODOO_ERR_PROTOCOL);
    cr_expect(err.message && strstr(err.message, "nesting deeper than 128"), "%s", err.message);
    cr_expect(err.message && strstr(err.message, "JSON-RPC"), "%s", err.message);
    odoo_rpc_error_clear(&err);
    free(deep);
}

static char *nested_xml(int depth, int structs)
{
    size_t cap = (size_t)depth * 96 + 256, len = 0;
    char *doc = malloc(cap);
    len += (size_t)sprintf(doc + len, "<?xml version=\"1.0\"?><methodResponse><params><param><value>");
    for (int i = 0; i < depth; i++)
        len += (size_t)sprintf(doc + len, structs ? "<struct><member><name>a</name><value>" : "<array><data><value>");
    len += (size_t)sprintf(doc + len, "<int>7</int>");
    for (int i = 0; i < depth; i++)
        len += (size_t)sprintf(doc + len, structs ? "</value></member></struct>" : "</value></data></array>");
    sprintf(doc + len, "</value></param></params></methodResponse>");
    return doc;
}

Test(json_limits, xmlrpc_decoders_share_the_limit_and_name_it)
{
    /* (xmlrpc-c, the tests' oracle and no part of the library, has its
     * own process-wide limit of 64.) */
    static const odoo_xmlrpc_decoder decoders[] = { ODOO_XMLRPC_DECODER_SCAN, ODOO_XMLRPC_DECODER_EXPAT };
    for (size_t d = 0; d < sizeof(decoders) / sizeof(decoders[0]); d++) {
        for (int structs = 0; structs < 2; structs++) {
            for (int extra = 0; extra < 2; extra++) {
                char *doc = nested_xml(ODOO_MAX_NESTING + extra, structs);
                odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
                json_object *out = NULL;
                int rc = odoo__xmlrpc_decode_response_with(decoders[d], doc, strlen(doc), 200, "text/xml", &out, &err);
                if (extra) {
                    cr_expect_eq(rc, ODOO_ERR_PROTOCOL, "decoder %zu", d);
                    cr_expect(err.message && strstr(err.message, "nesting deeper than 128"), "decoder %zu: %s", d,
                              err.message);
                } else {
                    cr_expect_eq(rc, 0, "decoder %zu, structs %d: %s", d, structs, err.message);
                }
                json_object_put(out);
                odoo_rpc_error_clear(&err);
                free(doc);
            }
        }
    }
}

Test(json_limits, invalid_utf8_is_refused_with_its_offset)
{
    static const struct {
        const char *text;
        size_t at;
    } bad[] = {
        { "[\"ab\xff\"]", 4 },                 /* not UTF-8 at all */
        { "[\"\xc0\xaf\"]", 2 },               /* overlong '/' */
        { "[\"\xed\xa0\x80\"]", 2 },           /* a surrogate */
        { "[\"\xf4\x90\x80\x80\"]", 2 },       /* beyond U+10FFFF */
        { "[\"\xe2\x82\"]", 2 },               /* cut short */
        { "{\"k\x80\": 1}", 3 },               /* in a key */
        { "[\"0123456789abcdef\xe9t\xe9\"]", 18 }, /* Latin-1, past the first word */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_object *out = NULL;
        cr_expect_eq(parse(bad[i].text, &out), -1, "case %zu", i);
        char why[160], expect[64];
        cr_expect_eq(odoo__json_refusal(bad[i].text, strlen(bad[i].text), why, sizeof(why)), 1, "case %zu", i);
        snprintf(expect, sizeof(expect), "invalid UTF-8 at byte %zu", bad[i].at);
        cr_expect(strstr(why, expect), "case %zu: %s", i, why);
    }
    /* valid UTF-8 of every length, raw and escaped */
    const char *good = "[\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \\u00e9\\ud83d\\ude00\", \"\xef\xbf\xbf\"]";
    json_object *out = NULL;
    cr_expect_eq(parse(good, &out), 0);
    json_object_put(out);

    /* through the envelope: an error that says where, and a message that is
     * itself valid UTF-8 */
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_expect_eq(decode_result("[\"name \xff\xfe\"]", &err, &out), ODOO_ERR_PROTOCOL);
    cr_expect(err.message && strstr(err.message, "invalid UTF-8 at byte 45"), "%s", err.message);
    cr_expect(err.debug && !strchr(err.debug, '\xff'), "the excerpt is cleaned: %s", err.debug);
    odoo_rpc_error_clear(&err);
}

Test(json_limits, a_nul_in_a_key_is_refused_in_a_value_kept)
{
    json_object *out = NULL;
    const char *key = "{\"ok\": 1, \"a\\u0000b\" : 2}";
    cr_expect_eq(parse(key, &out), -1);
    char why[160];
    cr_expect_eq(odoo__json_refusal(key, strlen(key), why, sizeof(why)), 1);
    cr_expect(strstr(why, "NUL") && strstr(why, "at byte 12"), "%s", why);

    const char *value = "{\"a\": \"x\\u0000y\"}";
    cr_assert_eq(parse(value, &out), 0);
    json_object *v = json_object_object_get(out, "a");
    cr_expect_eq(json_object_get_string_len(v), 3, "a NUL in a value is kept with its length");
    json_object_put(out);

    const char *escaped = "{\"a\\\\u0000\": 1}"; /* a backslash, then "u0000": no NUL */
    cr_expect_eq(parse(escaped, &out), 0);
    json_object_put(out);

    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_expect_eq(decode_result("{\"name\\u0000hidden\": 1}", &err, &out), ODOO_ERR_PROTOCOL);
    cr_expect(err.message && strstr(err.message, "NUL"), "%s", err.message);
    odoo_rpc_error_clear(&err);
}

Test(json_limits, json2_error_bodies_have_the_same_limits)
{
    const char *body = "{\"name\": \"odoo.exceptions.UserError\", \"message\": \"bad \xff\"}";
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    int rc = odoo__error_from_json2(&err, 422, "application/json", body, strlen(body));
    cr_expect_lt(rc, 0, "%s", err.message);
    cr_expect(err.message && strstr(err.message, "invalid UTF-8 at byte 54"), "%s", err.message);
    cr_expect(err.message && !strchr(err.message, '\xff'), "%s", err.message);
    odoo_rpc_error_clear(&err);
}

/* D16: an id beyond int64 is refused by name before anything is sent,
 * on every protocol (nothing listens at the URL: no I/O may happen). */
Test(json_limits, ids_beyond_int64_are_refused_before_sending)
{
    static const odoo_protocol_kind kinds[] = { ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC,
                                                ODOO_PROTOCOL_JSONRPC_STATELESS, ODOO_PROTOCOL_JSON2 };
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        odoo_options o = ODOO_OPTIONS_INIT;
        o.url = "http://127.0.0.1:9";
        o.db = "db";
        o.login = "admin";
        o.password = "pw";
        o.api_key = "key";
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        odoo_protocol *p = NULL;
        cr_assert_eq(odoo_connect(&p, kinds[k], &o, &err), 0, "%s", err.message);
        json_object *ids = json_object_new_array();
        json_object_array_add(ids, json_object_new_int64(7));
        json_object_array_add(ids, json_object_new_uint64(UINT64_MAX));
        json_object *vals = json_object_new_object();
        const char *name = odoo_protocol_kind_name(kinds[k]);
        int rc = odoo_read(NULL, p, "res.partner", ids, NULL, NULL, &err);
        cr_expect_eq(rc, ODOO_ERR_INVALID_ARGUMENT, "%s: %s", name, err.message);
        cr_expect(err.message && strstr(err.message, "id 18446744073709551615 does not fit in 64 bits"), "%s: %s",
                  name, err.message);
        cr_expect_eq(odoo_write(p, "res.partner", ids, vals, NULL, &err), ODOO_ERR_INVALID_ARGUMENT, "%s", name);
        cr_expect_eq(odoo_unlink(p, "res.partner", ids, NULL, &err), ODOO_ERR_INVALID_ARGUMENT, "%s", name);
        cr_expect_eq(odoo_call(NULL, p, "res.partner", "action_archive", ids, NULL, NULL, NULL, &err),
                     ODOO_ERR_INVALID_ARGUMENT, "%s", name);
        json_object_put(vals);
        json_object_put(ids);
        odoo_rpc_error_clear(&err);
        odoo_close(p);
    }
}
