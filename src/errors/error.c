/* odoo_rpc_error: kinds, names, the exception-class table, redaction. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_internal.h"
#include "../core/secret.h"

static const struct {
    odoo_error_kind kind;
    const char *name;
    const char *text;
} kinds[] = {
    { ODOO_OK, "ok", "no error" },
    { ODOO_ERR_INVALID_ARGUMENT, "invalid_argument", "invalid argument" },
    { ODOO_ERR_NOMEM, "nomem", "out of memory" },
    { ODOO_ERR_CONNECT, "connect", "could not connect to the server" },
    { ODOO_ERR_DNS, "dns", "could not resolve the host name" },
    { ODOO_ERR_TIMEOUT, "timeout", "the operation timed out" },
    { ODOO_ERR_TLS, "tls", "TLS handshake or certificate verification failed" },
    { ODOO_ERR_NETWORK, "network", "the connection was lost during the exchange" },
    { ODOO_ERR_TOO_LARGE, "too_large", "the response exceeds the size limit" },
    { ODOO_ERR_PROTOCOL, "protocol", "unexpected or malformed response" },
    { ODOO_ERR_AUTH, "auth", "authentication failed" },
    { ODOO_ERR_SESSION_EXPIRED, "session_expired", "the session expired" },
    { ODOO_ERR_ACCESS, "access", "access refused" },
    { ODOO_ERR_VALIDATION, "validation", "validation error" },
    { ODOO_ERR_USER, "user", "the operation was refused" },
    { ODOO_ERR_MISSING, "missing", "record missing or deleted" },
    { ODOO_ERR_NOT_FOUND, "not_found", "unknown model, method or route" },
    { ODOO_ERR_CONFLICT, "conflict", "conflicting concurrent update" },
    { ODOO_ERR_RATE_LIMITED, "rate_limited", "too many requests" },
    { ODOO_ERR_SERVER, "server", "server error" },
    { ODOO_ERR_UNSUPPORTED, "unsupported", "the protocol cannot carry this value" },
    { ODOO_ERR_PROXY, "proxy", "the gateway refused the request" },
    { ODOO_ERR_PROXY_AUTH, "proxy_auth", "the gateway refused the proxy key" },
    { ODOO_ERR_PROXY_LICENSE, "proxy_license", "the gateway licence is invalid" },
    { ODOO_ERR_PROXY_TIMEOUT, "proxy_timeout", "the gateway timed out waiting for Odoo" },
    { ODOO_ERR_PROXY_UNREACHABLE, "proxy_unreachable", "the gateway could not reach Odoo" },
    { ODOO_ERR_UNAVAILABLE, "unavailable", "the server is unavailable (HTTP 502/503/504): retry later" },
    { ODOO_ERR_CANCELLED, "cancelled", "the call was cancelled by the caller" },
};

const char *odoo_error_kind_name(odoo_error_kind kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].kind == kind)
            return kinds[i].name;
    return "unknown";
}

const char *odoo_strerror(odoo_error_kind kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (kinds[i].kind == kind)
            return kinds[i].text;
    return "unknown error";
}

int odoo_error_is_transient(odoo_error_kind kind)
{
    switch (kind) {
    case ODOO_ERR_TIMEOUT:
    case ODOO_ERR_CONNECT:
    case ODOO_ERR_NETWORK:
    case ODOO_ERR_CONFLICT:
    case ODOO_ERR_RATE_LIMITED:
    case ODOO_ERR_PROXY_TIMEOUT:
    case ODOO_ERR_PROXY_UNREACHABLE:
    case ODOO_ERR_UNAVAILABLE:
        return 1;
    default:
        return 0;
    }
}

/* The one table from HTTP statuses to kinds, for every protocol and the
 * AUTO probe. odoo_body: the answer carried Odoo's error without a class
 * (JSON-2 body, ODXProxy pass-through code); otherwise it is whatever a
 * reverse proxy or another server sent. */
odoo_error_kind odoo__kind_for_status(long status, int odoo_body)
{
    switch (status) {
    case 401:
        return ODOO_ERR_AUTH;
    case 403:
        /* Odoo's 403 is an AccessError; a bare one is a proxy or WAF
         * refusing the credentials (basic auth, IP allow-list). */
        return odoo_body ? ODOO_ERR_ACCESS : ODOO_ERR_AUTH;
    case 404:
        return odoo_body ? ODOO_ERR_NOT_FOUND : ODOO_ERR_PROTOCOL;
    case 409:
        return ODOO_ERR_CONFLICT;
    case 422:
        /* Odoo 19 answers 422 to a call its signature check refuses
         * (UnprocessableEntity); a bare one is a gateway that could not
         * decode our body. */
        return odoo_body ? ODOO_ERR_INVALID_ARGUMENT : ODOO_ERR_PROTOCOL;
    case 429:
        return ODOO_ERR_RATE_LIMITED;
    case 502:
    case 503:
    case 504:
        return ODOO_ERR_UNAVAILABLE;
    default:
        return odoo_body ? ODOO_ERR_SERVER : ODOO_ERR_PROTOCOL;
    }
}

/* The one table from Odoo exception classes to kinds. Matched on the last
 * dotted component so "odoo.exceptions.AccessError" and "AccessError"
 * (as an XML-RPC traceback may spell a builtin) both hit. */
static const struct {
    const char *cls;
    odoo_error_kind kind;
} class_table[] = {
    { "AccessDenied", ODOO_ERR_AUTH },
    { "AccessError", ODOO_ERR_ACCESS },
    { "ValidationError", ODOO_ERR_VALIDATION },
    { "UserError", ODOO_ERR_USER },
    { "RedirectWarning", ODOO_ERR_USER },
    { "Warning", ODOO_ERR_USER },
    { "MissingError", ODOO_ERR_MISSING },
    { "LockError", ODOO_ERR_CONFLICT },
    { "SessionExpiredException", ODOO_ERR_SESSION_EXPIRED },
    { "NotFound", ODOO_ERR_NOT_FOUND },
    { "Unauthorized", ODOO_ERR_AUTH },
    { "Forbidden", ODOO_ERR_ACCESS },
    { "UnprocessableEntity", ODOO_ERR_INVALID_ARGUMENT },
    { "BadRequest", ODOO_ERR_PROTOCOL },
    { "UnsupportedMediaType", ODOO_ERR_PROTOCOL },
    { "MethodNotAllowed", ODOO_ERR_PROTOCOL },
    { "TooManyRequests", ODOO_ERR_RATE_LIMITED },
    { "Conflict", ODOO_ERR_CONFLICT },
};

odoo_error_kind odoo_error_kind_for_class(const char *cls, const char *message)
{
    if (!cls || !*cls)
        return ODOO_ERR_SERVER;
    const char *dot = strrchr(cls, '.');
    const char *shortname = dot ? dot + 1 : cls;
    odoo_error_kind kind = ODOO_ERR_SERVER;
    for (size_t i = 0; i < sizeof(class_table) / sizeof(class_table[0]); i++) {
        if (strcmp(class_table[i].cls, shortname) == 0) {
            kind = class_table[i].kind;
            break;
        }
    }
    if (!message)
        return kind;
    /* A few messages are stable across 16-19 and say more than their class:
     * unknown model is a UserError ("Object x doesn't exist"), unknown
     * method an AttributeError, the web-login cooldown an AccessDenied,
     * and a signature mismatch a TypeError. */
    if (kind == ODOO_ERR_USER && strncmp(message, "Object ", 7) == 0 &&
        strstr(message, " doesn't exist"))
        return ODOO_ERR_NOT_FOUND;
    if (strcmp(shortname, "AttributeError") == 0 && strncmp(message, "The method ", 11) == 0 &&
        strstr(message, "does not exist"))
        return ODOO_ERR_NOT_FOUND;
    if (kind == ODOO_ERR_AUTH && strstr(message, "Too many login failures"))
        return ODOO_ERR_RATE_LIMITED;
    if (strcmp(shortname, "TypeError") == 0 &&
        (strstr(message, "positional argument") || strstr(message, "keyword argument") ||
         strstr(message, "required argument")))
        return ODOO_ERR_INVALID_ARGUMENT;
    return kind;
}

char *odoo__strdup(const char *s)
{
    return s ? odoo__strndup(s, strlen(s)) : NULL;
}

char *odoo__strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void odoo__error_reset(odoo_rpc_error *err)
{
    if (!err)
        return;
    free(err->error_class);
    free(err->message);
    free(err->debug);
    free(err->model);
    free(err->method);
    /* the caller's version stays (0, a zeroed struct, reads as 1) */
    unsigned int version = err->version ? err->version : ODOO_RPC_ERROR_VERSION;
    odoo_rpc_error zero = ODOO_RPC_ERROR_INIT;
    *err = zero;
    err->version = version;
}

void odoo_rpc_error_clear(odoo_rpc_error *err)
{
    odoo__error_reset(err);
}

int odoo__error_vset(odoo_rpc_error *err, odoo_error_kind kind, const char *fmt, va_list ap)
{
    if (!err)
        return kind;
    odoo__error_reset(err);
    err->kind = kind;
    /* Sized to the text: Odoo's messages (access rules, constraint lists)
     * can be long, and none of them may be cut. */
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n >= 0 && (err->message = malloc((size_t)n + 1)) != NULL)
        vsnprintf(err->message, (size_t)n + 1, fmt, again);
    va_end(again);
    if (!err->message)
        err->message = odoo__strdup(odoo_strerror(kind)); /* best effort without memory */
    return kind;
}

int odoo_error_set(odoo_rpc_error *err, odoo_error_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = odoo__error_vset(err, kind, fmt, ap);
    va_end(ap);
    return rc;
}

int odoo_error_nomem(odoo_rpc_error *err)
{
    return odoo__error_set(err, ODOO_ERR_NOMEM, "out of memory");
}

static int replace_member(char **slot, const char *s, size_t len)
{
    char *copy = NULL;
    if (s && !(copy = odoo__strndup(s, len)))
        return ODOO_ERR_NOMEM;
    free(*slot);
    *slot = copy;
    return 0;
}

int odoo__error_set_class(odoo_rpc_error *err, const char *cls)
{
    return err ? replace_member(&err->error_class, cls, cls ? strlen(cls) : 0) : 0;
}

int odoo__error_set_debug(odoo_rpc_error *err, const char *debug, size_t len)
{
    return err ? replace_member(&err->debug, debug, len) : 0;
}

int odoo__error_set_message(odoo_rpc_error *err, const char *message)
{
    return err ? replace_member(&err->message, message, message ? strlen(message) : 0) : 0;
}

void odoo__error_set_call(odoo_rpc_error *err, const char *model, const char *method)
{
    if (!err)
        return;
    if (!err->model && model)
        err->model = odoo__strdup(model);
    if (!err->method && method)
        err->method = odoo__strdup(method);
}

/* Length of the secret's encoded form at text, 0 when none starts there. */
static size_t secret_at(const char *text, size_t len, const char *const *secrets, size_t n)
{
    unsigned char c = (unsigned char)*text;
    for (size_t k = 0; k < n; k++) {
        const char *s = secrets[k];
        if (!s || !*s || (c != (unsigned char)*s && c != '\\' && c != '&' && c != '%'))
            continue;
        size_t hit = odoo__secret_match(text, len, s, strlen(s));
        if (hit)
            return hit;
    }
    return 0;
}

char *odoo__redact_string(const char *text, size_t len, const char *const *secrets, size_t n)
{
    /* One pass: at each byte, every secret in every encoding it can take
     * on the wire (odoo__secret_match); a hit becomes "***". The shortest
     * secret bounds the growth (a 1-byte secret can triple the text). */
    size_t minlen = 0;
    for (size_t k = 0; k < n; k++) {
        size_t l = secrets[k] ? strlen(secrets[k]) : 0;
        if (l && (!minlen || l < minlen))
            minlen = l;
    }
    if (len > SIZE_MAX / 4)
        return NULL;
    char *out = malloc(len + (minlen ? (len / minlen + 1) * 3 : 0) + 1), *w = out;
    if (!out)
        return NULL;
    size_t i = 0;
    while (i < len && text[i]) {
        size_t hit = minlen ? secret_at(text + i, len - i, secrets, n) : 0;
        if (hit) {
            memcpy(w, "***", 3);
            w += 3;
            i += hit;
        } else {
            *w++ = text[i++];
        }
    }
    *w = '\0';
    return out;
}

static void redact_member(char **slot, const char *const *secrets, size_t n)
{
    if (!*slot)
        return;
    size_t len = strlen(*slot), i = 0;
    while (i < len && !secret_at(*slot + i, len - i, secrets, n))
        i++;
    if (i == len)
        return;
    char *masked = odoo__redact_string(*slot, len, secrets, n);
    /* The unmasked text held a secret: wipe it. Without memory to mask,
     * drop the text rather than risk a leak. */
    odoo__wipe(*slot, len);
    free(*slot);
    *slot = masked;
}

/* Secrets shorter than this are not masked inside Odoo's own exception
 * text: a password like "admin" would otherwise mangle "the admin user"
 * in messages the server wrote without ever seeing it echoed. */
#define MIN_MASKED_IN_SERVER_TEXT 8

void odoo__error_redact(odoo_rpc_error *err, const char *const *secrets, size_t n)
{
    if (!err || err->kind == ODOO_OK)
        return;
    /* A class means the text is Odoo's structured exception; without one
     * it is ours or the first bytes of an unexpected page: mask it all. */
    const char *kept[16];
    size_t nk = 0;
    for (size_t i = 0; i < n && nk < 16; i++)
        if (secrets[i] && (!err->error_class || strlen(secrets[i]) >= MIN_MASKED_IN_SERVER_TEXT))
            kept[nk++] = secrets[i];
    redact_member(&err->message, kept, nk);
    redact_member(&err->debug, kept, nk);
    redact_member(&err->error_class, kept, nk);
    if (!err->message)
        err->message = odoo__strdup(odoo_strerror(err->kind));
}
