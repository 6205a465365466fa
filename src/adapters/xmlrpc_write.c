/* The XML-RPC request writer: a <methodCall> written straight into the
 * library's buffer (odoo/sys/buf.h), json-c values to XML-RPC values. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "../errors/error_internal.h"
#include "xmlrpc_values.h"
#include "xmlrpc_write.h"

#define TRY(expr)                  \
    do {                           \
        int rc_ = (expr);          \
        if (rc_ != 0)              \
            return rc_;            \
    } while (0)

/* Append n bytes. The fast path writes into the room the buffer has;
 * odoo_buf_reserve grows it (never by realloc: the old block is wiped,
 * it may hold the password). The NUL after the text is always kept. */
static inline int put(odoo_buf *b, const char *s, size_t n, odoo_rpc_error *err)
{
    if (b->cap - b->len <= n && odoo_buf_reserve(b, n) != 0)
        return odoo__error_nomem(err);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

#define PUT(b, lit, err) put((b), (lit), sizeof(lit) - 1, (err))

/* Length of the UTF-8 sequence at p (n bytes left) when it is a valid
 * XML character, 0 when it is not UTF-8, -1 for U+FFFE and U+FFFF. */
static int utf8_char(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    int len;
    unsigned lo = 0x80, hi = 0xBF;   /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;        /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F;        /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;        /* nothing above U+10FFFF */
    } else
        return 0;
    if (n < (size_t)len || p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF))
        return -1;
    return len;
}

/* Append s as XML character data: & < > as entities, CR as a character
 * reference (a raw CR would reach the server as LF), UTF-8 as is. */
static int put_text(odoo_buf *b, const char *s, size_t n, odoo_rpc_error *err)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    while (p < end) {
        unsigned c = *p;
        if (c >= 0x80) {
            int k = utf8_char(p, (size_t)(end - p));
            if (k == 0)
                return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "a string is not valid UTF-8");
            if (k < 0)
                return odoo__error_set(err, ODOO_ERR_UNSUPPORTED,
                                       "a string holds U+FFFE or U+FFFF, which XML-RPC cannot carry");
            p += k;
            continue;
        }
        if ((c >= 0x20 && c != '&' && c != '<' && c != '>') || c == '\t' || c == '\n') {
            p++;
            continue;
        }
        TRY(put(b, (const char *)run, (size_t)(p - run), err));
        switch (c) {
        case '&': TRY(PUT(b, "&amp;", err)); break;
        case '<': TRY(PUT(b, "&lt;", err)); break;
        case '>': TRY(PUT(b, "&gt;", err)); break;
        case '\r': TRY(PUT(b, "&#13;", err)); break;
        default:
            return odoo__error_set(err, ODOO_ERR_UNSUPPORTED,
                                   "a string holds control character U+%04X, which XML-RPC cannot carry "
                                   "(XML 1.0 forbids it); JSON-RPC and JSON-2 can", c);
        }
        run = ++p;
    }
    return put(b, (const char *)run, (size_t)(end - run), err);
}

static int put_int(odoo_buf *b, json_object *v, odoo_rpc_error *err)
{
    char text[48];
    int64_t i = json_object_get_int64(v);
    if (i >= INT32_MIN && i <= INT32_MAX)
        snprintf(text, sizeof(text), "<int>%d</int>", (int)i);
    else if (i == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX)
        /* json-c keeps integers up to 2^64-1; Odoo's parser takes any size. */
        snprintf(text, sizeof(text), "<i8>%llu</i8>", (unsigned long long)json_object_get_uint64(v));
    else
        snprintf(text, sizeof(text), "<i8>%lld</i8>", (long long)i);
    return put(b, text, strlen(text), err);
}

/* The shortest text that reads back as the same double, in the C locale
 * ("1.0", "50.8503396", "1e+300"), as Python's repr() writes it. */
static int put_double(odoo_buf *b, double d, odoo_rpc_error *err)
{
    char text[48];
    if (isnan(d))
        snprintf(text, sizeof(text), "nan");
    else if (isinf(d))
        snprintf(text, sizeof(text), d < 0 ? "-inf" : "inf");
    else {
        locale_t c = odoo__xmlrpc_c_locale();
        locale_t old = c ? uselocale(c) : (locale_t)0;
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(text, sizeof(text), "%.*g", prec, d);
            if (strtod(text, NULL) == d)
                break;
        }
        if (c)
            uselocale(old);
        if (!strpbrk(text, ".e"))
            strcat(text, ".0");
    }
    TRY(PUT(b, "<double>", err));
    TRY(put(b, text, strlen(text), err));
    return PUT(b, "</double>", err);
}

static int put_value(odoo_buf *b, json_object *v, int depth, odoo_rpc_error *err);

static int put_array(odoo_buf *b, json_object *v, int depth, odoo_rpc_error *err)
{
    TRY(PUT(b, "<array><data>", err));
    size_t n = json_object_array_length(v);
    for (size_t i = 0; i < n; i++)
        TRY(put_value(b, json_object_array_get_idx(v, i), depth + 1, err));
    return PUT(b, "</data></array>", err);
}

static int put_struct(odoo_buf *b, json_object *v, int depth, odoo_rpc_error *err)
{
    TRY(PUT(b, "<struct>", err));
    json_object_object_foreach(v, key, val) {
        TRY(PUT(b, "<member><name>", err));
        TRY(put_text(b, key, strlen(key), err));
        TRY(PUT(b, "</name>", err));
        TRY(put_value(b, val, depth + 1, err));
        TRY(PUT(b, "</member>", err));
    }
    return PUT(b, "</struct>", err);
}

static int put_value(odoo_buf *b, json_object *v, int depth, odoo_rpc_error *err)
{
    /* depth: the arrays and structs around v */
    if (depth >= ODOO_XMLRPC_MAX_DEPTH &&
        (json_object_is_type(v, json_type_array) || json_object_is_type(v, json_type_object)))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "a value has nesting deeper than %d levels",
                               ODOO_XMLRPC_MAX_DEPTH);
    TRY(PUT(b, "<value>", err));
    switch (json_object_get_type(v)) {
    case json_type_null:
        TRY(PUT(b, "<nil/>", err));
        break;
    case json_type_boolean:
        TRY(json_object_get_boolean(v) ? PUT(b, "<boolean>1</boolean>", err) : PUT(b, "<boolean>0</boolean>", err));
        break;
    case json_type_int:
        TRY(put_int(b, v, err));
        break;
    case json_type_double:
        TRY(put_double(b, json_object_get_double(v), err));
        break;
    case json_type_string:
        TRY(PUT(b, "<string>", err));
        TRY(put_text(b, json_object_get_string(v), (size_t)json_object_get_string_len(v), err));
        TRY(PUT(b, "</string>", err));
        break;
    case json_type_array:
        TRY(put_array(b, v, depth, err));
        break;
    case json_type_object:
        TRY(put_struct(b, v, depth, err));
        break;
    }
    return PUT(b, "</value>", err);
}

int odoo__xmlrpc_call_begin(odoo_buf *b, const char *method, odoo_rpc_error *err)
{
    odoo_buf_reset(b, 1);
    TRY(PUT(b, "<?xml version=\"1.0\"?>\n<methodCall><methodName>", err));
    TRY(put_text(b, method, strlen(method), err));
    return PUT(b, "</methodName><params>", err);
}

int odoo__xmlrpc_call_param(odoo_buf *b, json_object *value, odoo_rpc_error *err)
{
    TRY(PUT(b, "<param>", err));
    TRY(put_value(b, value, 0, err));
    return PUT(b, "</param>", err);
}

int odoo__xmlrpc_call_param_string(odoo_buf *b, const char *s, odoo_rpc_error *err)
{
    TRY(PUT(b, "<param><value><string>", err));
    TRY(put_text(b, s ? s : "", s ? strlen(s) : 0, err));
    return PUT(b, "</string></value></param>", err);
}

int odoo__xmlrpc_call_param_int(odoo_buf *b, int64_t v, odoo_rpc_error *err)
{
    char text[64];
    if (v >= INT32_MIN && v <= INT32_MAX)
        snprintf(text, sizeof(text), "<param><value><int>%d</int></value></param>", (int)v);
    else
        snprintf(text, sizeof(text), "<param><value><i8>%lld</i8></value></param>", (long long)v);
    return put(b, text, strlen(text), err);
}

int odoo__xmlrpc_call_end(odoo_buf *b, odoo_rpc_error *err)
{
    return PUT(b, "</params></methodCall>\n", err);
}

int odoo__xmlrpc_encode_call(const char *method, json_object *params, char **xml, size_t *len,
                             odoo_rpc_error *err)
{
    *xml = NULL;
    *len = 0;
    if (!method || (params && !json_object_is_type(params, json_type_array)))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "XML-RPC params must be a JSON array");
    odoo_buf b = ODOO_BUF_INIT;
    int rc = odoo__xmlrpc_call_begin(&b, method, err);
    size_t n = params ? json_object_array_length(params) : 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = odoo__xmlrpc_call_param(&b, json_object_array_get_idx(params, i), err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_end(&b, err);
    if (rc != 0) {
        odoo_buf_free(&b);
        return rc;
    }
    *xml = b.data;
    *len = b.len;
    return 0;
}
