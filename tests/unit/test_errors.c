/* The unified error: names, the class table, traceback parsing, redaction. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "errors/error_internal.h"
#include "errors/parse.h"
#include "replay_server.h"

Test(errors, kind_names_are_stable)
{
    cr_assert_str_eq(odoo_error_kind_name(ODOO_OK), "ok");
    cr_assert_str_eq(odoo_error_kind_name(ODOO_ERR_VALIDATION), "validation");
    cr_assert_str_eq(odoo_error_kind_name(ODOO_ERR_SESSION_EXPIRED), "session_expired");
    cr_assert_str_eq(odoo_error_kind_name(ODOO_ERR_NOT_FOUND), "not_found");
    cr_assert_str_eq(odoo_error_kind_name(ODOO_ERR_PROXY_UNREACHABLE), "proxy_unreachable");
    cr_assert_str_eq(odoo_error_kind_name((odoo_error_kind)-999), "unknown");
    /* every kind has a distinct name and a description */
    for (int a = ODOO_ERROR_KIND_MIN; a <= 0; a++) {
        cr_expect_str_neq(odoo_error_kind_name((odoo_error_kind)a), "unknown", "kind %d", a);
        cr_expect_str_neq(odoo_strerror((odoo_error_kind)a), "unknown error", "kind %d", a);
        for (int b = ODOO_ERROR_KIND_MIN; b < a; b++)
            cr_expect_str_neq(odoo_error_kind_name((odoo_error_kind)a), odoo_error_kind_name((odoo_error_kind)b));
    }
}

Test(errors, class_table)
{
    cr_expect_eq(odoo_error_kind_for_class("odoo.exceptions.AccessDenied", "Access Denied"), ODOO_ERR_AUTH);
    cr_expect_eq(odoo_error_kind_for_class("odoo.exceptions.AccessError", NULL), ODOO_ERR_ACCESS);
    cr_expect_eq(odoo_error_kind_for_class("odoo.exceptions.ValidationError", NULL), ODOO_ERR_VALIDATION);
    cr_expect_eq(odoo_error_kind_for_class("odoo.exceptions.UserError", "x"), ODOO_ERR_USER);
    cr_expect_eq(odoo_error_kind_for_class("odoo.exceptions.MissingError", NULL), ODOO_ERR_MISSING);
    cr_expect_eq(odoo_error_kind_for_class("odoo.http.SessionExpiredException", NULL), ODOO_ERR_SESSION_EXPIRED);
    cr_expect_eq(odoo_error_kind_for_class("werkzeug.exceptions.NotFound", NULL), ODOO_ERR_NOT_FOUND);
    cr_expect_eq(odoo_error_kind_for_class("odoo.exceptions.LockError", NULL), ODOO_ERR_CONFLICT);
    cr_expect_eq(odoo_error_kind_for_class("AccessError", NULL), ODOO_ERR_ACCESS);
    cr_expect_eq(odoo_error_kind_for_class("builtins.ValueError", "Invalid field"), ODOO_ERR_SERVER);
    cr_expect_eq(odoo_error_kind_for_class(NULL, NULL), ODOO_ERR_SERVER);
    /* messages that say more than their class */
    cr_expect_eq(odoo_error_kind_for_class("odoo.exceptions.UserError", "Object no.such.model doesn't exist"),
                 ODOO_ERR_NOT_FOUND);
    cr_expect_eq(odoo_error_kind_for_class("builtins.AttributeError", "The method 'res.partner.x' does not exist"),
                 ODOO_ERR_NOT_FOUND);
    cr_expect_eq(odoo_error_kind_for_class("odoo.exceptions.AccessDenied",
                                           "Too many login failures, please wait a bit before trying again."),
                 ODOO_ERR_RATE_LIMITED);
    cr_expect_eq(odoo_error_kind_for_class("builtins.TypeError",
                                           "BaseModel.read() takes from 1 to 3 positional arguments but 4 were given"),
                 ODOO_ERR_INVALID_ARGUMENT);
}

Test(errors, traceback_tail)
{
    char *cls, *msg;
    const char *tb = "Traceback (most recent call last):\n  File \"/x.py\", line 1, in f\n    raise X\n"
                     "    ^^^^\nodoo.exceptions.MissingError: Record does not exist or has been deleted.\n"
                     "(Record: res.partner(139,), User: 2)\n";
    cr_assert_eq(odoo__traceback_tail(tb, &cls, &msg), 0);
    cr_expect_str_eq(cls, "odoo.exceptions.MissingError");
    cr_expect_str_eq(msg, "Record does not exist or has been deleted.\n(Record: res.partner(139,), User: 2)");
    free(cls);
    free(msg);
    tb = "Traceback (most recent call last):\n  File \"/x.py\", line 1, in f\n    dump(v)\n"
         "TypeError: cannot marshal None unless allow_none is enabled\n";
    cr_assert_eq(odoo__traceback_tail(tb, &cls, &msg), 0);
    cr_expect_str_eq(cls, "builtins.TypeError");
    free(cls);
    free(msg);
    cr_expect_neq(odoo__traceback_tail("just a message", &cls, &msg), 0);
}

Test(errors, clear_resets_and_null_is_fine)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo__error_set(&err, ODOO_ERR_USER, "hello %d", 42);
    odoo__error_set_class(&err, "odoo.exceptions.UserError");
    cr_expect_str_eq(err.message, "hello 42");
    odoo_rpc_error_clear(&err);
    cr_expect_eq(err.kind, ODOO_OK);
    cr_expect_null(err.message);
    cr_expect_null(err.error_class);
    cr_expect_eq(err.retry_after, -1);
    odoo_rpc_error_clear(NULL);
    cr_expect_eq(odoo__error_set(NULL, ODOO_ERR_TIMEOUT, "x"), ODOO_ERR_TIMEOUT);
}

Test(errors, secrets_are_masked)
{
    const char *secrets[] = { "hunter2", "0123456789abcdef0123456789abcdef01234567", NULL };
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    /* An unexpected page that echoes what we sent: everything masked. */
    const char *page = "<html><title>400</title>password=hunter2&key=0123456789abcdef0123456789abcdef01234567</html>";
    odoo__error_from_http(&err, 400, "text/html", page, strlen(page), "a JSON-RPC response");
    odoo__error_redact(&err, secrets, 3);
    cr_expect(strstr(err.debug, "hunter2") == NULL, "%s", err.debug);
    cr_expect(strstr(err.debug, "0123456789abcdef") == NULL);
    cr_expect(strstr(err.debug, "password=***") != NULL);
    odoo_rpc_error_clear(&err);

    /* Odoo's own message: a long key is masked, a short password is not
     * hunted inside words the server wrote. */
    json_object *exc = json_parse("{\"name\": \"odoo.exceptions.UserError\", \"message\": "
                                  "\"bad key 0123456789abcdef0123456789abcdef01234567 for the admin user\"}");
    odoo__error_from_exception(&err, exc, 200, 0);
    const char *weak[] = { "admin", "0123456789abcdef0123456789abcdef01234567" };
    odoo__error_redact(&err, weak, 2);
    cr_expect_str_eq(err.message, "bad key *** for the admin user");
    odoo_rpc_error_clear(&err);
    json_object_put(exc);
}

Test(errors, json2_bodies)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    const char *body = "{\"name\": \"werkzeug.exceptions.Unauthorized\", \"message\": \"Invalid apikey\", "
                       "\"arguments\": [\"Invalid apikey\", 401], \"context\": {}, \"debug\": \"tb\"}";
    cr_expect_eq(odoo__error_from_json2(&err, 401, "application/json; charset=utf-8", body, strlen(body)),
                 ODOO_ERR_AUTH);
    cr_expect_str_eq(err.message, "Invalid apikey");
    cr_expect_str_eq(err.debug, "tb");
    cr_expect_eq(err.http_status, 401);
    cr_expect_eq(odoo__error_from_json2(&err, 502, "text/html", "<title>Bad Gateway</title>", 26), ODOO_ERR_UNAVAILABLE);
    cr_expect_eq(err.http_status, 502);
    cr_expect_eq(odoo__error_from_json2(&err, 429, "text/plain", "slow down", 9), ODOO_ERR_RATE_LIMITED);
    cr_expect_eq(odoo__error_from_json2(&err, 500, "application/json", "", 0), ODOO_ERR_PROTOCOL);
    odoo_rpc_error_clear(&err);
}

Test(errors, long_server_messages_are_kept_whole)
{
    char msg[6001];
    for (int i = 0; i < 6000; i++)
        msg[i] = (char)('a' + i % 26);
    msg[6000] = '\0';
    json_object *exc = json_object_new_object();
    json_object_object_add(exc, "name", json_object_new_string("odoo.exceptions.UserError"));
    json_object_object_add(exc, "message", json_object_new_string(msg));
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_expect_eq(odoo__error_from_exception(&err, exc, 200, 0), ODOO_ERR_USER);
    cr_expect_str_eq(err.message, msg);
    odoo_rpc_error_clear(&err);
    json_object_put(exc);
}
