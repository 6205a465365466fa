/* odoo-mock — the server-side exceptions the mock raises, and how each
 * protocol renders them (XML-RPC fault codes, JSON-RPC error objects,
 * JSON-2 HTTP statuses, traceback text). */
#ifndef MOCK_ERRORS_H
#define MOCK_ERRORS_H

#include <json-c/json.h>

#include "util.h"

typedef enum err_kind {
    E_NONE = 0,
    /* odoo.exceptions */
    E_USER,
    E_VALIDATION,
    E_MISSING,
    E_ACCESS_ERROR,
    E_ACCESS_DENIED,
    /* odoo.http */
    E_SESSION_EXPIRED,
    /* builtins */
    E_TYPE,
    E_VALUE,
    E_KEY,
    E_ATTRIBUTE,
    E_INDEX,
    E_NAME,
    E_OVERFLOW,
    /* library exceptions */
    E_JSON_DECODE,
    E_EXPAT,
    E_PG_OPERATIONAL,
    E_PG_NUMERIC,
    /* werkzeug HTTP exceptions */
    E_HTTP_NOT_FOUND,
    E_HTTP_UNPROCESSABLE,
    E_HTTP_UNAUTHORIZED,
    E_HTTP_BAD_REQUEST,
} err_kind;

typedef struct mock_err {
    err_kind kind;
    char *msg;
    /* werkzeug exception raised without a description (NotFound() in a
     * web route): message is "404 Not Found: <default text>", no args. */
    int plain;
} mock_err;

#define MOCK_ERR_INIT {E_NONE, NULL, 0}

/* Set the error unless one is already set. Always returns -1. */
int om_err_set(mock_err *e, err_kind kind, const char *fmt, ...) MOCK_PRINTF(3, 4);
int om_err_set_plain_not_found(mock_err *e);
void om_err_clear(mock_err *e);

/* "odoo.exceptions.UserError", "builtins.TypeError", ... */
const char *om_err_class(err_kind k);
/* XML-RPC /xmlrpc/2 fault code: 1 generic, 2 UserError family,
 * 3 AccessDenied, 4 AccessError. */
int om_err_fault_code(err_kind k);
/* HTTP status used by JSON-2. */
int om_err_http_status(err_kind k);
int om_err_is_werkzeug(err_kind k);

/* The message as the client sees it (str(exception)). */
const char *om_err_message(const mock_err *e);
/* The last traceback line: "TypeError: ...", "KeyError: 'x'",
 * "odoo.exceptions.UserError: ...". Appended to sb (no newline). */
void om_err_tb_line(strbuf *sb, const mock_err *e);
/* A traceback-shaped text ending in the tb line and "\n". */
char *om_err_traceback(const mock_err *e, const char *where);
/* The "debug" member: traceback, except AccessDenied on Odoo 19 which
 * carries only its last line. */
char *om_err_debug(const mock_err *e, int version, const char *where);

/* {name, message, arguments, context, debug} in the key order of the
 * given Odoo version (19: name,message,arguments,context,debug;
 * <=18: name,debug,message,arguments,context). */
json_object *om_err_to_json_data(const mock_err *e, int version, const char *where);

#endif
