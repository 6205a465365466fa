/* Parsers from every wire error shape into odoo_rpc_error. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "../core/value.h"
#include "error_internal.h"
#include "parse.h"

/* How much of an unexpected body is kept in debug. */
#define BODY_EXCERPT 512

static const char *json_str(json_object *obj, const char *key)
{
    json_object *v;
    if (obj && json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

int odoo__traceback_tail(const char *tb, char **cls, char **msg)
{
    *cls = *msg = NULL;
    if (!tb)
        return -1;
    /* The exception line is the first unindented line after the last
     * "  File ..." frame; everything after its ": " is the message (which
     * may span several lines). */
    const char *p = tb, *frame = NULL, *hit;
    while ((hit = strstr(p, "\n  File ")) != NULL) {
        frame = hit + 1;
        p = hit + 1;
    }
    if (!frame)
        return -1;
    const char *line = frame;
    for (;;) {
        const char *nl = strchr(line, '\n');
        if (!nl)
            return -1;
        line = nl + 1;
        if (*line && *line != ' ' && *line != '\n')
            break;
    }
    const char *q = line;
    while (*q && (isalnum((unsigned char)*q) || *q == '_' || *q == '.'))
        q++;
    if (q == line || (*q != ':' && *q != '\n' && *q != '\0'))
        return -1;
    size_t clen = (size_t)(q - line);
    int builtin = memchr(line, '.', clen) == NULL;
    *cls = malloc(clen + sizeof("builtins."));
    if (!*cls)
        return -1;
    snprintf(*cls, clen + sizeof("builtins."), "%s%.*s", builtin ? "builtins." : "", (int)clen, line);
    const char *m = *q == ':' ? q + 1 : q;
    if (*m == ' ')
        m++;
    size_t mlen = strlen(m);
    while (mlen && (m[mlen - 1] == '\n' || m[mlen - 1] == ' '))
        mlen--;
    *msg = odoo__strndup(m, mlen);
    if (!*msg) {
        free(*cls);
        *cls = NULL;
        return -1;
    }
    return 0;
}

int odoo_error_from_exception(odoo_rpc_error *err, json_object *exc, long http_status, int code)
{
    const char *name = json_str(exc, "name");
    const char *message = json_str(exc, "message");
    const char *debug = json_str(exc, "debug");
    if (!message) {
        json_object *args;
        if (exc && json_object_object_get_ex(exc, "arguments", &args) &&
            json_object_is_type(args, json_type_array) && json_object_array_length(args) > 0)
            message = json_object_get_string(json_object_array_get_idx(args, 0));
    }
    odoo_error_kind kind = odoo_error_kind_for_class(name, message);
    if (!name)
        kind = odoo__kind_for_status(http_status, 1); /* no class: the status speaks, as JSON-2 does */
    odoo__error_set(err, kind, "%s", message ? message : (name ? name : odoo_strerror(kind)));
    if (!err)
        return kind;
    err->http_status = http_status;
    err->code = code;
    if (odoo__error_set_class(err, name) || (debug && odoo__error_set_debug(err, debug, strlen(debug))))
        return odoo__error_nomem(err);
    return kind;
}

/* code and data (when an object) of a JSON-RPC error member. */
static int error_parts(json_object *error, json_object **data)
{
    json_object *v;
    *data = NULL;
    if (json_object_object_get_ex(error, "data", &v) && json_object_is_type(v, json_type_object))
        *data = v;
    return json_object_object_get_ex(error, "code", &v) ? json_object_get_int(v) : 0;
}

int odoo__error_from_jsonrpc(odoo_rpc_error *err, json_object *error, long http_status)
{
    json_object *data;
    int code = error_parts(error, &data);
    if (data && json_str(data, "name"))
        return odoo__error_from_exception(err, data, http_status, code);

    const char *message = json_str(error, "message");
    odoo_error_kind kind = code == 100 ? ODOO_ERR_SESSION_EXPIRED
                         : code == 404 ? ODOO_ERR_NOT_FOUND : ODOO_ERR_SERVER;
    odoo__error_set(err, kind, "%s", message ? message : odoo_strerror(kind));
    if (err) {
        err->code = code;
        err->http_status = http_status;
    }
    return kind;
}

/* XML-RPC cannot marshal None or integers beyond 32 bits: Odoo answers
 * with fault 1 after the call ran (and committed). Say so plainly. */
static int fault_marshalling(odoo_rpc_error *err, const char *cls, const char *msg)
{
    if (!cls || !msg)
        return 0;
    if (strstr(msg, "cannot marshal None"))
        return odoo__error_set(err, ODOO_ERR_UNSUPPORTED,
            "the method returned None, which XML-RPC cannot carry; the call itself ran "
            "(and its changes are committed). Use JSON-RPC or JSON-2, which return null");
    if (strstr(msg, "int exceeds XML-RPC limits"))
        return odoo__error_set(err, ODOO_ERR_UNSUPPORTED,
            "the result holds an integer beyond 32 bits, which XML-RPC cannot carry; "
            "the call itself ran. Use JSON-RPC or JSON-2, which carry 64-bit integers");
    return 0;
}

static int fault_with_traceback(odoo_rpc_error *err, int code, const char *fs, long http_status)
{
    char *cls = NULL, *msg = NULL;
    int kind;
    if (odoo__traceback_tail(fs, &cls, &msg) == 0) {
        kind = fault_marshalling(err, cls, msg);
        if (!kind)
            kind = odoo__error_set(err, odoo_error_kind_for_class(cls, msg), "%s", msg);
    } else {
        kind = odoo__error_set(err, ODOO_ERR_SERVER, "%s", fs && *fs ? fs : "XML-RPC fault");
    }
    if (err) {
        err->code = code;
        err->http_status = http_status;
        if (odoo__error_set_class(err, cls) || odoo__error_set_debug(err, fs, fs ? strlen(fs) : 0))
            kind = odoo__error_nomem(err);
    }
    free(cls);
    free(msg);
    return kind;
}

static int fault_known(odoo_rpc_error *err, int code, const char *cls, const char *msg, long http_status)
{
    int kind = odoo__error_set(err, odoo_error_kind_for_class(cls, msg), "%s", msg);
    if (err) {
        err->code = code;
        err->http_status = http_status;
        if (odoo__error_set_class(err, cls))
            return odoo__error_nomem(err);
    }
    return kind;
}

int odoo__error_from_fault(odoo_rpc_error *err, int code, const char *fs, long http_status)
{
    if (!fs)
        fs = "";
    switch (code) {
    case 2:
        /* UserError and every subclass share code 2 on the wire; only the
         * message tells a MissingError apart. ValidationError cannot be
         * told from UserError here: both are reported as the base class. */
        if (strncmp(fs, "Record does not exist or has been deleted", 41) == 0)
            return fault_known(err, code, "odoo.exceptions.MissingError", fs, http_status);
        return fault_known(err, code, "odoo.exceptions.UserError", fs, http_status);
    case 3:
        return fault_known(err, code, "odoo.exceptions.AccessDenied", fs, http_status);
    case 4:
        return fault_known(err, code, "odoo.exceptions.AccessError", fs, http_status);
    default:
        return fault_with_traceback(err, code, fs, http_status);
    }
}

/* Copy the text of <title>...</title> when the body is an HTML page. */
static void html_title(const char *body, size_t len, char *out, size_t outlen)
{
    out[0] = '\0';
    const char *end = body + len;
    for (const char *p = body; p + 7 <= end; p++) {
        if (strncasecmp(p, "<title>", 7) == 0) {
            const char *t = p + 7, *e = t;
            while (e < end && *e != '<')
                e++;
            size_t n = (size_t)(e - t);
            if (n >= outlen)
                n = outlen - 1;
            memcpy(out, t, n);
            out[n] = '\0';
            return;
        }
    }
}

int odoo_error_from_http(odoo_rpc_error *err, long http_status, const char *content_type,
                          const char *body, size_t len, const char *what)
{
    char summary[200];
    if (!body)
        len = 0;
    html_title(body ? body : "", len, summary, sizeof(summary));
    if (!summary[0] && len) {
        /* First line of a plain-text body, e.g. "Invalid JSON data". */
        size_t n = 0;
        while (n < len && n < sizeof(summary) - 1 && body[n] != '\n' && body[n] != '\r')
            n++;
        memcpy(summary, body, n);
        summary[n] = '\0';
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)summary[i] < 0x20)
                summary[i] = ' ';
    }
    odoo__utf8_sanitize(summary, strlen(summary));
    /* JSON refused for a limit (nesting, a huge integer, bad UTF-8, a NUL
     * in a key) says which and where; the second parse is on the error
     * path only. */
    char refused[160] = "";
    size_t lead = 0;
    while (lead < len && isspace((unsigned char)body[lead]))
        lead++;
    if (lead < len && body[lead] != '<' && odoo__json_refusal(body, len, refused, sizeof(refused)) == 0)
        refused[0] = '\0';
    odoo_error_kind kind = odoo__kind_for_status(http_status, 0);
    if (http_status >= 200 && http_status < 300 && refused[0])
        odoo__error_set(err, kind, "refused %s: %s", what, refused);
    else if (http_status >= 200 && http_status < 300)
        odoo__error_set(err, kind, "expected %s, got %s%s%s%s", what,
                        len ? "a body that is not one" : "an empty body",
                        summary[0] ? " (" : "", summary, summary[0] ? ")" : "");
    else
        odoo__error_set(err, kind, "HTTP %ld%s%s%s%s (expected %s)%s%s", http_status,
                        summary[0] ? ": " : "", summary,
                        content_type ? " as " : "", content_type ? content_type : "", what,
                        refused[0] ? "; refused: " : "", refused);
    if (err) {
        err->http_status = http_status;
        if (len) {
            /* the excerpt is shown as text: no NUL, no invalid UTF-8 */
            size_t n = len < BODY_EXCERPT ? len : BODY_EXCERPT;
            char excerpt[BODY_EXCERPT + 1];
            memcpy(excerpt, body, n);
            for (size_t i = 0; i < n; i++)
                if (excerpt[i] == '\0')
                    excerpt[i] = '?';
            odoo__utf8_sanitize(excerpt, n);
            if (odoo__error_set_debug(err, excerpt, n))
                return odoo__error_nomem(err);
        }
    }
    return kind;
}

int odoo__error_from_json2(odoo_rpc_error *err, long http_status, const char *content_type,
                           const char *body, size_t len)
{
    json_object *exc = NULL;
    /* the same limits as results: an error message is shown too */
    if (body && len && content_type && strstr(content_type, "json"))
        odoo__json_parse(body, len, &exc);
    int kind;
    if (exc && json_object_is_type(exc, json_type_object) && (json_str(exc, "name") || json_str(exc, "message")))
        kind = odoo__error_from_exception(err, exc, http_status, (int)http_status);
    else
        kind = odoo__error_from_http(err, http_status, content_type, body, len, "a JSON-2 error body");
    json_object_put(exc);
    return kind;
}

int odoo__error_from_proxy(odoo_rpc_error *err, long http_status, json_object *error)
{
    json_object *data;
    int code = error_parts(error, &data);
    const char *message = json_str(error, "message");
    odoo_error_kind kind;
    const char *what;
    switch (code) {
    case -32000: kind = ODOO_ERR_PROXY_AUTH; what = "the gateway refused the proxy key (x-api-key)"; break;
    case -32001: kind = ODOO_ERR_PROXY; what = "the gateway does not know this action"; break;
    case -32002: kind = ODOO_ERR_PROXY; what = "call_method without a method name"; break;
    case -32003: kind = ODOO_ERR_PROXY_TIMEOUT; what = "the gateway timed out waiting for Odoo"; break;
    case -32004: kind = ODOO_ERR_PROXY_UNREACHABLE; what = "the gateway could not reach Odoo"; break;
    case -32005: kind = ODOO_ERR_PROXY; what = "the gateway failed internally"; break;
    case -32006: kind = ODOO_ERR_PROXY; what = "JSON-2 is not available behind the gateway (Odoo 18 or older?)"; break;
    case -32007: kind = ODOO_ERR_PROXY; what = "the gateway refused the request as invalid"; break;
    default:
        /* Code 0 is the licence only on HTTP 403: Odoo 19 uses 0 for
         * every error it passes through on 200. */
        if (code == 0 && http_status == 403) {
            kind = ODOO_ERR_PROXY_LICENSE;
            what = "the gateway licence is expired or invalid";
            break;
        }
        if (data && json_str(data, "name"))
            return odoo__error_from_exception(err, data, http_status, code);
        /* An Odoo error without its exception object: its HTTP status
         * (forwarded as the code) still says what it was. */
        kind = odoo__kind_for_status(code, 1);
        what = NULL;
        break;
    }
    if (what && message && *message)
        odoo__error_set(err, kind, "%s: %s", what, message);
    else
        odoo__error_set(err, kind, "%s", what ? what : message ? message : odoo_strerror(kind));
    if (err) {
        err->code = code;
        err->http_status = http_status;
        if (data) {
            const char *text = json_object_to_json_string_ext(data, JSON_C_TO_STRING_PLAIN);
            if (odoo__error_set_debug(err, text, strlen(text)))
                return odoo__error_nomem(err);
        }
    }
    return kind;
}
