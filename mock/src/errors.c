/* odoo-mock — exceptions and their wire renderings. */
#include "errors.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const PLAIN_404 =
    "The requested URL was not found on the server. If you entered the URL manually please "
    "check your spelling and try again.";

int om_err_set(mock_err *e, err_kind kind, const char *fmt, ...)
{
    if (!e || e->kind != E_NONE)
        return -1;
    strbuf sb;
    va_list ap;
    om_sb_init(&sb);
    va_start(ap, fmt);
    om_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    e->kind = kind;
    e->msg = om_sb_detach(&sb, NULL);
    e->plain = 0;
    return -1;
}

int om_err_set_plain_not_found(mock_err *e)
{
    if (!e || e->kind != E_NONE)
        return -1;
    e->kind = E_HTTP_NOT_FOUND;
    e->msg = om_xstrdup(PLAIN_404);
    e->plain = 1;
    return -1;
}

void om_err_clear(mock_err *e)
{
    free(e->msg);
    e->msg = NULL;
    e->kind = E_NONE;
    e->plain = 0;
}

const char *om_err_class(err_kind k)
{
    switch (k) {
    case E_USER: return "odoo.exceptions.UserError";
    case E_VALIDATION: return "odoo.exceptions.ValidationError";
    case E_MISSING: return "odoo.exceptions.MissingError";
    case E_ACCESS_ERROR: return "odoo.exceptions.AccessError";
    case E_ACCESS_DENIED: return "odoo.exceptions.AccessDenied";
    case E_SESSION_EXPIRED: return "odoo.http.SessionExpiredException";
    case E_TYPE: return "builtins.TypeError";
    case E_VALUE: return "builtins.ValueError";
    case E_KEY: return "builtins.KeyError";
    case E_ATTRIBUTE: return "builtins.AttributeError";
    case E_INDEX: return "builtins.IndexError";
    case E_NAME: return "builtins.NameError";
    case E_OVERFLOW: return "builtins.OverflowError";
    case E_JSON_DECODE: return "json.decoder.JSONDecodeError";
    case E_EXPAT: return "xml.parsers.expat.ExpatError";
    case E_PG_OPERATIONAL: return "psycopg2.OperationalError";
    case E_PG_NUMERIC: return "psycopg2.errors.NumericValueOutOfRange";
    case E_HTTP_NOT_FOUND: return "werkzeug.exceptions.NotFound";
    case E_HTTP_UNPROCESSABLE: return "werkzeug.exceptions.UnprocessableEntity";
    case E_HTTP_UNAUTHORIZED: return "werkzeug.exceptions.Unauthorized";
    case E_HTTP_BAD_REQUEST: return "werkzeug.exceptions.BadRequest";
    case E_NONE: break;
    }
    return "builtins.Exception";
}

int om_err_fault_code(err_kind k)
{
    switch (k) {
    case E_ACCESS_ERROR: return 4;
    case E_ACCESS_DENIED: return 3;
    case E_USER:
    case E_VALIDATION:
    case E_MISSING: return 2;
    default: return 1;
    }
}

int om_err_http_status(err_kind k)
{
    switch (k) {
    case E_USER:
    case E_VALIDATION:
    case E_HTTP_UNPROCESSABLE: return 422;
    case E_ACCESS_ERROR:
    case E_ACCESS_DENIED:
    case E_SESSION_EXPIRED: return 403;
    case E_MISSING:
    case E_HTTP_NOT_FOUND: return 404;
    case E_HTTP_UNAUTHORIZED: return 401;
    case E_HTTP_BAD_REQUEST: return 400;
    default: return 500;
    }
}

int om_err_is_werkzeug(err_kind k)
{
    return k == E_HTTP_NOT_FOUND || k == E_HTTP_UNPROCESSABLE || k == E_HTTP_UNAUTHORIZED ||
           k == E_HTTP_BAD_REQUEST;
}

static const char *werkzeug_title(err_kind k)
{
    switch (k) {
    case E_HTTP_NOT_FOUND: return "404 Not Found";
    case E_HTTP_UNPROCESSABLE: return "422 Unprocessable Entity";
    case E_HTTP_UNAUTHORIZED: return "401 Unauthorized";
    case E_HTTP_BAD_REQUEST: return "400 Bad Request";
    default: return "500 Internal Server Error";
    }
}

const char *om_err_message(const mock_err *e)
{
    return e->msg ? e->msg : "";
}

void om_err_tb_line(strbuf *sb, const mock_err *e)
{
    const char *cls = om_err_class(e->kind);
    if (om_str_startswith(cls, "builtins."))
        cls += strlen("builtins.");
    if (e->kind == E_KEY) {
        om_sb_addf(sb, "%s: '%s'", cls, om_err_message(e));
    } else if (om_err_is_werkzeug(e->kind)) {
        om_sb_addf(sb, "%s: %s: %s", cls, werkzeug_title(e->kind), om_err_message(e));
    } else {
        om_sb_addf(sb, "%s: %s", cls, om_err_message(e));
    }
}

char *om_err_traceback(const mock_err *e, const char *where)
{
    strbuf sb;
    om_sb_init(&sb);
    om_sb_adds(&sb, "Traceback (most recent call last):\n");
    om_sb_addf(&sb, "  File \"odoo-mock\", line 1, in %s\n", where ? where : "dispatch");
    om_sb_adds(&sb, "    (server-side traceback emulated by odoo-mock)\n");
    om_err_tb_line(&sb, e);
    om_sb_addc(&sb, '\n');
    return om_sb_detach(&sb, NULL);
}

char *om_err_debug(const mock_err *e, int version, const char *where)
{
    if (e->kind == E_ACCESS_DENIED && version >= 19) {
        strbuf sb;
        om_sb_init(&sb);
        om_err_tb_line(&sb, e);
        om_sb_addc(&sb, '\n');
        return om_sb_detach(&sb, NULL);
    }
    return om_err_traceback(e, where);
}

json_object *om_err_to_json_data(const mock_err *e, int version, const char *where)
{
    json_object *d = json_object_new_object();
    json_object *args = json_object_new_array();
    const char *message = om_err_message(e);
    char *plain_msg = NULL;
    if (om_err_is_werkzeug(e->kind)) {
        if (e->plain) {
            plain_msg = om_xasprintf("%s: %s", werkzeug_title(e->kind), message);
            message = plain_msg;
        } else {
            json_object_array_add(args, json_object_new_string(message));
            json_object_array_add(args, json_object_new_int(om_err_http_status(e->kind)));
        }
    } else {
        json_object_array_add(args, json_object_new_string(message));
    }
    char *debug = om_err_debug(e, version, where);
    json_object_object_add(d, "name", json_object_new_string(om_err_class(e->kind)));
    if (version < 19)
        json_object_object_add(d, "debug", json_object_new_string(debug));
    json_object_object_add(d, "message", json_object_new_string(message));
    json_object_object_add(d, "arguments", args);
    json_object_object_add(d, "context", json_object_new_object());
    if (version >= 19)
        json_object_object_add(d, "debug", json_object_new_string(debug));
    free(debug);
    free(plain_msg);
    return d;
}
