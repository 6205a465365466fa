/* Decoder tests: every recorded JSON-RPC response of Odoo 18 and 19
 * (session and stateless) decodes to its result or to the right error. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "core/envelope.h"
#include "fixtures.h"

/* Expected kind of every error fixture, by name without the NN- prefix. */
static const struct {
    const char *name;
    odoo_error_kind kind;
} expected[] = {
    { "authenticate-bad-password", ODOO_ERR_AUTH },
    { "authenticate-bad-db", ODOO_ERR_ACCESS },          /* AccessError "Database not found." */
    { "authenticate-apikey", ODOO_ERR_AUTH },
    { "call_kw-validation-error", ODOO_ERR_VALIDATION },
    { "call_kw-user-error", ODOO_ERR_USER },
    { "call_kw-missing-error", ODOO_ERR_MISSING },
    { "call_kw-unknown-model", ODOO_ERR_NOT_FOUND },     /* werkzeug NotFound, code 404 */
    { "call_kw-unknown-method", ODOO_ERR_NOT_FOUND },    /* AttributeError "The method ... does not exist" */
    { "call_kw-private-method", ODOO_ERR_ACCESS },
    { "call_kw-wrong-arg-count", ODOO_ERR_INVALID_ARGUMENT },
    { "call_kw-missing-kwargs-key", ODOO_ERR_INVALID_ARGUMENT },
    { "call_kw-context-invalid-lang", ODOO_ERR_USER },
    { "params-as-array", ODOO_ERR_SERVER },
    { "invalid-json", ODOO_ERR_SERVER },                 /* session: JSONDecodeError on 200; /jsonrpc: 400 text */
    { "invalid-json-authenticate", ODOO_ERR_PROTOCOL },
    { "text-plain-content-type", ODOO_ERR_PROTOCOL },
    { "call_kw-no-cookie", ODOO_ERR_SESSION_EXPIRED },
    { "call_kw-bogus-wellformed-cookie", ODOO_ERR_SESSION_EXPIRED },
    { "call_kw-garbage-cookie", ODOO_ERR_SESSION_EXPIRED },
    { "route-unknown", ODOO_ERR_PROTOCOL },
    { "call_kw-access-error", ODOO_ERR_ACCESS },
    { "call_kw-session-invalidated", ODOO_ERR_SESSION_EXPIRED },
    { "call_kw-after-destroy", ODOO_ERR_SESSION_EXPIRED },
    { "get_session_info-no-cookie", ODOO_ERR_SESSION_EXPIRED },
    { "cooldown-good-password-refused", ODOO_ERR_RATE_LIMITED },
    { "cooldown-bad-password", ODOO_ERR_AUTH },          /* -01 .. -10 */
    { "common-authenticate-bad-db", ODOO_ERR_SERVER },   /* psycopg2.OperationalError */
    { "db-list-bad-args", ODOO_ERR_INVALID_ARGUMENT },
    { "unknown-service", ODOO_ERR_SERVER },              /* KeyError */
    { "validation-error", ODOO_ERR_VALIDATION },
    { "user-error", ODOO_ERR_USER },
    { "access-error", ODOO_ERR_ACCESS },
    { "access-denied", ODOO_ERR_AUTH },
    { "missing-error", ODOO_ERR_MISSING },
    { "unknown-model", ODOO_ERR_NOT_FOUND },             /* UserError "Object no.such.model doesn't exist" */
    { "unknown-method", ODOO_ERR_NOT_FOUND },
    { "private-method", ODOO_ERR_ACCESS },
    { "wrong-arg-count", ODOO_ERR_INVALID_ARGUMENT },
    { "missing-args-member", ODOO_ERR_INVALID_ARGUMENT },
    { "get-method", ODOO_ERR_PROTOCOL },
    { "json-array-body", ODOO_ERR_PROTOCOL },
};

static int expected_kind(const char *file, odoo_error_kind *kind)
{
    const char *name = file + 3; /* skip "NN-" */
    size_t best = 0;
    for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
        size_t n = strlen(expected[i].name);
        if (strncmp(name, expected[i].name, n) == 0 && (name[n] == '.' || name[n] == '-') && n > best) {
            best = n;
            *kind = expected[i].kind;
        }
    }
    return best > 0;
}

static void check_folder(const char *folder, int *errors_seen)
{
    char **names;
    size_t n = fixture_list(folder, &names);
    cr_assert_gt(n, 40, "fixtures missing in %s", folder);
    for (size_t i = 0; i < n; i++) {
        char rel[256];
        snprintf(rel, sizeof(rel), "%s/%s", folder, names[i]);
        json_object *fx = fixture_load(rel);
        const char *body = fixture_str(fx, "response", "body");
        const char *ctype = fixture_header(fx, "response", "Content-Type");
        long status = fixture_status(fx);
        json_object *doc = json_parse(body), *recorded_error = NULL, *recorded_result = NULL;
        int is_error = !doc || status != 200 || json_object_object_get_ex(doc, "error", &recorded_error);

        json_object *out = NULL;
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        int rc = odoo__jsonrpc_decode(body, strlen(body), status, ctype, -1, &out, &err);
        if (!is_error) {
            cr_expect_eq(rc, 0, "%s: %s", rel, err.message);
            if (json_object_object_get_ex(doc, "result", &recorded_result))
                cr_expect(json_equal(out, recorded_result), "%s: result differs", rel);
            else
                cr_expect_null(out, "%s: a None result decodes to NULL", rel);
        } else {
            (*errors_seen)++;
            odoo_error_kind want;
            cr_assert(expected_kind(names[i], &want), "%s: no expectation for this error fixture", rel);
            if (!recorded_error)
                want = ODOO_ERR_PROTOCOL; /* not a JSON-RPC answer at all (plain-text 400, HTML 415) */
            cr_expect_eq(rc, (int)want, "%s: kind %s, expected %s", rel, odoo_error_kind_name((odoo_error_kind)rc),
                         odoo_error_kind_name(want));
            cr_expect_eq(err.kind, want, "%s", rel);
            cr_expect_eq(err.http_status, status, "%s: status kept", rel);
            cr_expect_not_null(err.message, "%s", rel);
            cr_expect_null(out);
            json_object *data, *v;
            if (recorded_error && json_object_object_get_ex(recorded_error, "data", &data)) {
                /* The server's class and message arrive intact. */
                json_object_object_get_ex(data, "name", &v);
                cr_expect_str_eq(err.error_class, json_object_get_string(v), "%s", rel);
                json_object_object_get_ex(data, "message", &v);
                cr_expect_str_eq(err.message, json_object_get_string(v), "%s", rel);
                json_object_object_get_ex(data, "debug", &v);
                cr_expect_str_eq(err.debug, json_object_get_string(v), "%s", rel);
                json_object_object_get_ex(recorded_error, "code", &v);
                cr_expect_eq(err.code, json_object_get_int(v), "%s", rel);
            } else if (!recorded_error) {
                /* Not JSON-RPC at all: the status and the first bytes are kept. */
                cr_expect_not_null(err.debug, "%s", rel);
                cr_expect(strncmp(err.debug, body, strlen(err.debug)) == 0, "%s", rel);
            }
        }
        odoo_rpc_error_clear(&err);
        json_object_put(out);
        json_object_put(doc);
        json_object_put(fx);
    }
    fixture_list_free(names, n);
}

Test(jsonrpc_decode, odoo19_session)
{
    int errors = 0;
    check_folder("odoo19/jsonrpc-session", &errors);
    cr_expect_gt(errors, 30);
}

Test(jsonrpc_decode, odoo18_session)
{
    int errors = 0;
    check_folder("odoo18/jsonrpc-session", &errors);
    cr_expect_gt(errors, 30);
}

Test(jsonrpc_decode, odoo19_stateless)
{
    int errors = 0;
    check_folder("odoo19/jsonrpc-service", &errors);
    cr_expect_gt(errors, 15);
}

Test(jsonrpc_decode, odoo18_stateless)
{
    int errors = 0;
    check_folder("odoo18/jsonrpc-service", &errors);
    cr_expect_gt(errors, 15);
}

Test(jsonrpc_decode, odoo18_and_19_codes_differ_but_kinds_agree)
{
    json_object *a = fixture_load("odoo18/jsonrpc-session/19-call_kw-validation-error.json");
    json_object *b = fixture_load("odoo19/jsonrpc-session/19-call_kw-validation-error.json");
    odoo_rpc_error ea = ODOO_RPC_ERROR_INIT, eb = ODOO_RPC_ERROR_INIT;
    json_object *out = NULL;
    const char *ba = fixture_str(a, "response", "body"), *bb = fixture_str(b, "response", "body");
    odoo__jsonrpc_decode(ba, strlen(ba), 200, "application/json", -1, &out, &ea);
    odoo__jsonrpc_decode(bb, strlen(bb), 200, "application/json", -1, &out, &eb);
    cr_expect_eq(ea.code, 200);
    cr_expect_eq(eb.code, 0);
    cr_expect_eq(ea.kind, ODOO_ERR_VALIDATION);
    cr_expect_eq(eb.kind, ODOO_ERR_VALIDATION);
    cr_expect_str_eq(ea.message, "You cannot create recursive Partner hierarchies.");
    odoo_rpc_error_clear(&ea);
    odoo_rpc_error_clear(&eb);
    json_object_put(a);
    json_object_put(b);
}

Test(jsonrpc_decode, mismatched_id_is_a_protocol_error)
{
    const char *body = "{\"jsonrpc\": \"2.0\", \"id\": 7, \"result\": 1}";
    json_object *out = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_expect_eq(odoo__jsonrpc_decode(body, strlen(body), 200, "application/json", 8, &out, &err),
                 ODOO_ERR_PROTOCOL);
    cr_expect_eq(odoo__jsonrpc_decode(body, strlen(body), 200, "application/json", 7, &out, &err), 0);
    cr_expect_eq(json_object_get_int(out), 1);
    json_object_put(out);
    odoo_rpc_error_clear(&err);
}

Test(jsonrpc_decode, malformed_and_truncated_bodies)
{
    const char *bodies[] = {
        "", "{", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": [1, 2", "<html><title>502 Bad Gateway</title></html>",
        "[1, 2]", "null", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"error\": 5}", "{\"foo\": 1}",
    };
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        json_object *out = NULL;
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        int rc = odoo__jsonrpc_decode(bodies[i], strlen(bodies[i]), 200, "application/json", 1, &out, &err);
        cr_expect_eq(rc, ODOO_ERR_PROTOCOL, "body %zu: %s", i, odoo_error_kind_name((odoo_error_kind)rc));
        cr_expect_not_null(err.message);
        cr_expect_null(out);
        odoo_rpc_error_clear(&err);
    }
    const char *html = "<!doctype html><html><title>502 Bad Gateway</title></html>";
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_object *out = NULL;
    cr_expect_eq(odoo__jsonrpc_decode(html, strlen(html), 502, "text/html", 1, &out, &err), ODOO_ERR_UNAVAILABLE);
    cr_expect_eq(err.http_status, 502);
    cr_expect(strstr(err.message, "502 Bad Gateway") != NULL, "%s", err.message);
    odoo_rpc_error_clear(&err);
}
