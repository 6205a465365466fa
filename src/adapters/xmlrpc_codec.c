/* The XML-RPC codec: the request writer, the xmlrpc-c decoder, and the
 * interpretation of a decoded <methodResponse> the decoders share. The
 * scanner is in xmlrpc_scan.c, the expat decoder in xmlrpc_sax.c, what
 * they share in xmlrpc_values.c. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <xmlrpc-c/base.h>

#include "../errors/error_internal.h"
#include "../errors/parse.h"
#include "xmlrpc_codec.h"

#define TRY(expr)                  \
    do {                           \
        int rc_ = (expr);          \
        if (rc_ != 0)              \
            return rc_;            \
    } while (0)

/* ---------------------------------------------------------------------
 * Shared helpers
 * ------------------------------------------------------------------ */

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    /* glibc hands out its static C locale object here: nothing to free. */
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

locale_t odoo__xmlrpc_c_locale(void)
{
    pthread_once(&c_locale_once, make_c_locale);
    return c_locale;
}

void odoo__xmlrpc_datetime_text(char *out, size_t outlen, unsigned year, unsigned month, unsigned day,
                                unsigned hour, unsigned minute, unsigned second, unsigned usec)
{
    int n = snprintf(out, outlen, "%04u-%02u-%02u %02u:%02u:%02u", year, month, day, hour, minute, second);
    if (usec && n > 0 && (size_t)n < outlen)
        snprintf(out + n, outlen - (size_t)n, ".%06u", usec);
}

json_object *odoo__xmlrpc_base64_string(const unsigned char *in, size_t n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t outlen = (n + 2) / 3 * 4;
    if (n > (size_t)INT_MAX / 4 * 3)   /* json-c counts in int */
        return NULL;
    char *text = malloc(outlen + 1), *o = text;
    if (!text)
        return NULL;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
        *o++ = alphabet[v >> 18 & 63];
        *o++ = alphabet[v >> 12 & 63];
        *o++ = alphabet[v >> 6 & 63];
        *o++ = alphabet[v & 63];
    }
    if (i < n) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0);
        *o++ = alphabet[v >> 18 & 63];
        *o++ = alphabet[v >> 12 & 63];
        *o++ = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
        *o++ = '=';
    }
    json_object *s = json_object_new_string_len(text, (int)outlen);
    free(text);
    return s;
}

/* ---------------------------------------------------------------------
 * Writing a <methodCall>
 * ------------------------------------------------------------------ */

void odoo__xmlrpc_buf_wipe(odoo_xmlrpc_buf *b)
{
    if (b->data) {
        volatile char *v = b->data;
        for (size_t i = 0; i < b->len; i++)
            v[i] = '\0';
    }
    b->len = 0;
}

void odoo__xmlrpc_buf_free(odoo_xmlrpc_buf *b)
{
    odoo__xmlrpc_buf_wipe(b);
    free(b->data);
    b->data = NULL;
    b->cap = 0;
}

/* Room for extra bytes plus the final NUL. The old block is wiped rather
 * than realloc'ed: it may hold the password. */
static int reserve(odoo_xmlrpc_buf *b, size_t extra, odoo_rpc_error *err)
{
    if (b->cap - b->len > extra)
        return 0;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->len <= extra) {
        if (cap > SIZE_MAX / 2)
            return odoo__error_nomem(err);
        cap *= 2;
    }
    char *data = malloc(cap);
    if (!data)
        return odoo__error_nomem(err);
    if (b->len)
        memcpy(data, b->data, b->len);
    size_t len = b->len;
    odoo__xmlrpc_buf_free(b);
    b->data = data;
    b->len = len;
    b->cap = cap;
    return 0;
}

static int put(odoo_xmlrpc_buf *b, const char *s, size_t n, odoo_rpc_error *err)
{
    TRY(reserve(b, n, err));
    memcpy(b->data + b->len, s, n);
    b->len += n;
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
static int put_text(odoo_xmlrpc_buf *b, const char *s, size_t n, odoo_rpc_error *err)
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

static int put_int(odoo_xmlrpc_buf *b, json_object *v, odoo_rpc_error *err)
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
static int put_double(odoo_xmlrpc_buf *b, double d, odoo_rpc_error *err)
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

static int put_value(odoo_xmlrpc_buf *b, json_object *v, int depth, odoo_rpc_error *err);

static int put_array(odoo_xmlrpc_buf *b, json_object *v, int depth, odoo_rpc_error *err)
{
    TRY(PUT(b, "<array><data>", err));
    size_t n = json_object_array_length(v);
    for (size_t i = 0; i < n; i++)
        TRY(put_value(b, json_object_array_get_idx(v, i), depth + 1, err));
    return PUT(b, "</data></array>", err);
}

static int put_struct(odoo_xmlrpc_buf *b, json_object *v, int depth, odoo_rpc_error *err)
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

static int put_value(odoo_xmlrpc_buf *b, json_object *v, int depth, odoo_rpc_error *err)
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

int odoo__xmlrpc_call_begin(odoo_xmlrpc_buf *b, const char *method, odoo_rpc_error *err)
{
    odoo__xmlrpc_buf_wipe(b);
    TRY(PUT(b, "<?xml version=\"1.0\"?>\n<methodCall><methodName>", err));
    TRY(put_text(b, method, strlen(method), err));
    return PUT(b, "</methodName><params>", err);
}

int odoo__xmlrpc_call_param(odoo_xmlrpc_buf *b, json_object *value, odoo_rpc_error *err)
{
    TRY(PUT(b, "<param>", err));
    TRY(put_value(b, value, 0, err));
    return PUT(b, "</param>", err);
}

int odoo__xmlrpc_call_param_string(odoo_xmlrpc_buf *b, const char *s, odoo_rpc_error *err)
{
    TRY(PUT(b, "<param><value><string>", err));
    TRY(put_text(b, s ? s : "", s ? strlen(s) : 0, err));
    return PUT(b, "</string></value></param>", err);
}

int odoo__xmlrpc_call_param_int(odoo_xmlrpc_buf *b, int64_t v, odoo_rpc_error *err)
{
    char text[64];
    if (v >= INT32_MIN && v <= INT32_MAX)
        snprintf(text, sizeof(text), "<param><value><int>%d</int></value></param>", (int)v);
    else
        snprintf(text, sizeof(text), "<param><value><i8>%lld</i8></value></param>", (long long)v);
    return put(b, text, strlen(text), err);
}

int odoo__xmlrpc_call_end(odoo_xmlrpc_buf *b, odoo_rpc_error *err)
{
    TRY(PUT(b, "</params></methodCall>\n", err));
    b->data[b->len] = '\0';   /* reserve() always keeps a byte for it */
    return 0;
}

int odoo__xmlrpc_encode_call(const char *method, json_object *params, char **xml, size_t *len,
                             odoo_rpc_error *err)
{
    *xml = NULL;
    *len = 0;
    if (!method || (params && !json_object_is_type(params, json_type_array)))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "XML-RPC params must be a JSON array");
    odoo_xmlrpc_buf b = { NULL, 0, 0 };
    int rc = odoo__xmlrpc_call_begin(&b, method, err);
    size_t n = params ? json_object_array_length(params) : 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = odoo__xmlrpc_call_param(&b, json_object_array_get_idx(params, i), err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_end(&b, err);
    if (rc != 0) {
        odoo__xmlrpc_buf_free(&b);
        return rc;
    }
    *xml = b.data;
    *len = b.len;
    return 0;
}

/* ---------------------------------------------------------------------
 * The xmlrpc-c decoder: xmlrpc_parse_response2, then xmlrpc_value -> json
 * ------------------------------------------------------------------ */

typedef struct {
    xmlrpc_env env;   /* the one environment of this decode */
    char *why;
    size_t whylen;
} xc_state;

/* The environment's fault as the decoder's failure. */
static int xc_fail(xc_state *c)
{
    snprintf(c->why, c->whylen, "%s", c->env.fault_string ? c->env.fault_string : "xmlrpc-c failed");
    return c->env.fault_code == XMLRPC_LIMIT_EXCEEDED_ERROR ? ODOO_ERR_TOO_LARGE : ODOO_ERR_PROTOCOL;
}

static int xc_to_json(xc_state *c, xmlrpc_value *v, int depth, json_object **out);

static int xc_array(xc_state *c, xmlrpc_value *v, int depth, json_object **out)
{
    int n = xmlrpc_array_size(&c->env, v);
    if (c->env.fault_occurred)
        return xc_fail(c);
    json_object *arr = json_object_new_array_ext(n > 0 ? n : 1);
    if (!arr)
        return ODOO_ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        xmlrpc_value *item;
        json_object *j = NULL;
        int rc;
        /* On failure xmlrpc-c leaves its outputs uninitialised: release
         * only what a successful call handed out. */
        xmlrpc_array_read_item(&c->env, v, (unsigned)i, &item);
        if (c->env.fault_occurred) {
            rc = xc_fail(c);
        } else {
            rc = xc_to_json(c, item, depth + 1, &j);
            xmlrpc_DECREF(item);
        }
        if (rc == 0 && json_object_array_add(arr, j) != 0) {
            json_object_put(j);
            rc = ODOO_ERR_NOMEM;
        }
        if (rc != 0) {
            json_object_put(arr);
            return rc;
        }
    }
    *out = arr;
    return 0;
}

static int xc_struct(xc_state *c, xmlrpc_value *v, int depth, json_object **out)
{
    int n = xmlrpc_struct_size(&c->env, v);
    if (c->env.fault_occurred)
        return xc_fail(c);
    json_object *obj = json_object_new_object();
    if (!obj)
        return ODOO_ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        xmlrpc_value *k, *val;
        const char *key;
        json_object *j = NULL;
        int rc;
        xmlrpc_struct_read_member(&c->env, v, (unsigned)i, &k, &val);
        if (c->env.fault_occurred) {
            rc = xc_fail(c);
        } else {
            xmlrpc_read_string(&c->env, k, &key);
            if (c->env.fault_occurred) {
                rc = xc_fail(c);
            } else {
                rc = xc_to_json(c, val, depth + 1, &j);
                if (rc == 0 && json_object_object_add(obj, key, j) != 0) {
                    json_object_put(j);
                    rc = ODOO_ERR_NOMEM;
                }
                free((void *)key);
            }
            xmlrpc_DECREF(k);
            xmlrpc_DECREF(val);
        }
        if (rc != 0) {
            json_object_put(obj);
            return rc;
        }
    }
    *out = obj;
    return 0;
}

static int xc_to_json(xc_state *c, xmlrpc_value *v, int depth, json_object **out)
{
    *out = NULL;
    /* depth: the arrays and structs around v */
    if (depth >= ODOO_XMLRPC_MAX_DEPTH &&
        (xmlrpc_value_type(v) == XMLRPC_TYPE_ARRAY || xmlrpc_value_type(v) == XMLRPC_TYPE_STRUCT)) {
        snprintf(c->why, c->whylen, "nesting deeper than %d levels", ODOO_XMLRPC_MAX_DEPTH);
        return ODOO_ERR_PROTOCOL;
    }
    switch (xmlrpc_value_type(v)) {
    case XMLRPC_TYPE_INT: {
        int i = 0;
        xmlrpc_read_int(&c->env, v, &i);
        *out = json_object_new_int64(i);
        break;
    }
    case XMLRPC_TYPE_I8: {
        xmlrpc_int64 i = 0;
        xmlrpc_read_i8(&c->env, v, &i);
        *out = json_object_new_int64(i);
        break;
    }
    case XMLRPC_TYPE_BOOL: {
        xmlrpc_bool b = 0;
        xmlrpc_read_bool(&c->env, v, &b);
        *out = json_object_new_boolean(b != 0);
        break;
    }
    case XMLRPC_TYPE_DOUBLE: {
        double d = 0;
        xmlrpc_read_double(&c->env, v, &d);
        *out = json_object_new_double(d);
        break;
    }
    case XMLRPC_TYPE_STRING: {
        const char *s = NULL;
        size_t n = 0;
        xmlrpc_read_string_lp(&c->env, v, &n, &s);
        if (c->env.fault_occurred)
            return xc_fail(c);
        *out = n <= INT_MAX ? json_object_new_string_len(s, (int)n) : NULL;
        free((void *)s);
        if (n > INT_MAX) {   /* json-c counts in int */
            snprintf(c->why, c->whylen, "a string of %zu bytes is too long", n);
            return ODOO_ERR_PROTOCOL;
        }
        break;
    }
    case XMLRPC_TYPE_DATETIME: {
        xmlrpc_datetime dt;
        char text[40];
        xmlrpc_read_datetime(&c->env, v, &dt);
        if (c->env.fault_occurred)
            return xc_fail(c);
        odoo__xmlrpc_datetime_text(text, sizeof(text), dt.Y, dt.M, dt.D, dt.h, dt.m, dt.s, dt.u);
        *out = json_object_new_string(text);
        break;
    }
    case XMLRPC_TYPE_BASE64: {
        const unsigned char *bytes = NULL;
        size_t n = 0;
        xmlrpc_read_base64(&c->env, v, &n, &bytes);
        if (c->env.fault_occurred)
            return xc_fail(c);
        *out = odoo__xmlrpc_base64_string(bytes, n);
        free((void *)bytes);
        break;
    }
    case XMLRPC_TYPE_NIL:
        return 0;
    case XMLRPC_TYPE_ARRAY:
        return xc_array(c, v, depth, out);
    case XMLRPC_TYPE_STRUCT:
        return xc_struct(c, v, depth, out);
    default:
        snprintf(c->why, c->whylen, "xmlrpc-c produced a value of type %d", (int)xmlrpc_value_type(v));
        return ODOO_ERR_PROTOCOL;
    }
    if (c->env.fault_occurred) {
        json_object_put(*out);
        *out = NULL;
        return xc_fail(c);
    }
    return *out ? 0 : ODOO_ERR_NOMEM;
}

/* xmlrpc-c 1.33 crashes (a NULL passed to %s while it words the error)
 * on an <i8> whose text is not a 64-bit integer: refuse such a body
 * before it sees it. Conservative: anything but [+-]digits, or nothing,
 * directly followed by the end tag is refused. */
static int i8_texts_safe(const char *xml, size_t len)
{
    const char *p = xml, *end = xml + len;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        p++;
        if (end - p >= 3 && memcmp(p, "ex:", 3) == 0)
            p += 3;
        if (end - p < 3 || p[0] != 'i' || p[1] != '8' || !strchr(">/ \t\r\n", p[2]))
            continue;
        const char *gt = memchr(p, '>', (size_t)(end - p));
        if (!gt)
            return 0;
        if (gt[-1] == '/')
            continue;   /* <i8/>: empty, which xmlrpc-c reports properly */
        const char *q = gt + 1;
        if (q < end && (*q == '+' || *q == '-'))
            q++;
        const char *digits = q;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (end - q < 2 || q[0] != '<' || q[1] != '/')
            return 0;
        if (q > digits) {
            char num[24];
            size_t n = (size_t)(q - (gt + 1));
            if (n >= sizeof(num))
                return 0;
            memcpy(num, gt + 1, n);
            num[n] = '\0';
            errno = 0;
            (void)strtoll(num, NULL, 10);
            if (errno == ERANGE)
                return 0;
        } else if (q != gt + 1) {
            return 0;   /* a sign alone */
        }
        p = q;
    }
    return 1;
}

/* xmlrpc-c insists on an integer faultCode; Odoo's legacy /xmlrpc/<service>
 * sends a string. Read the fault's <value> again, as a plain value. */
static int xc_legacy_fault(xc_state *c, const char *xml, size_t len, odoo_xmlrpc_reply *out)
{
    const char *start = memmem(xml, len, "<fault>", 7);
    const char *end = start ? memmem(start, len - (size_t)(start - xml), "</fault>", 8) : NULL;
    if (!end)
        return xc_fail(c);
    start += 7;
    xmlrpc_value *v;
    xmlrpc_env_clean(&c->env);
    xmlrpc_env_init(&c->env);
    xmlrpc_parse_value_xml(&c->env, start, (size_t)(end - start), &v);
    if (c->env.fault_occurred)   /* v is not set */
        return xc_fail(c);
    int rc = xc_to_json(c, v, 0, &out->value);
    xmlrpc_DECREF(v);
    out->fault = 1;
    return rc;
}

int odoo__xmlrpc_parse_xmlrpc_c(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen)
{
    out->value = NULL;
    out->fault = 0;
    if (!i8_texts_safe(xml, len)) {
        snprintf(why, whylen, "an <i8> element does not hold a 64-bit integer");
        return ODOO_ERR_PROTOCOL;
    }
    xc_state c = { .why = why, .whylen = whylen };
    xmlrpc_env_init(&c.env);
    xmlrpc_value *result;
    int code = 0, rc;
    const char *fault_string = NULL;
    xmlrpc_parse_response2(&c.env, xml, len, &result, &code, &fault_string);
    if (c.env.fault_occurred) {
        const char *fs = c.env.fault_string ? c.env.fault_string : "";
        if (strncmp(fs, "Invalid struct for <fault> value", 32) == 0 && strstr(fs, "'faultCode'"))
            rc = xc_legacy_fault(&c, xml, len, out);
        else
            rc = xc_fail(&c);
    } else if (fault_string) {
        json_object *f = json_object_new_object();
        rc = f && json_object_object_add(f, "faultCode", json_object_new_int64(code)) == 0 &&
             json_object_object_add(f, "faultString", json_object_new_string(fault_string)) == 0
           ? 0 : ODOO_ERR_NOMEM;
        free((void *)fault_string);
        out->value = f;
        out->fault = 1;
    } else {
        rc = xc_to_json(&c, result, 0, &out->value);
        xmlrpc_DECREF(result);
    }
    xmlrpc_env_clean(&c.env);
    if (rc != 0) {
        json_object_put(out->value);
        out->value = NULL;
        out->fault = 0;
    }
    return rc;
}

int odoo__xmlrpc_parse_call_xmlrpc_c(const char *xml, size_t len, char **method, json_object **params,
                                     char *why, size_t whylen)
{
    *method = NULL;
    *params = NULL;
    if (!i8_texts_safe(xml, len)) {
        snprintf(why, whylen, "an <i8> element does not hold a 64-bit integer");
        return ODOO_ERR_PROTOCOL;
    }
    xc_state c = { .why = why, .whylen = whylen };
    xmlrpc_env_init(&c.env);
    xmlrpc_value *p;
    const char *name;
    xmlrpc_parse_call(&c.env, xml, len, &name, &p);
    if (c.env.fault_occurred) {   /* name and p are not set */
        int rc = xc_fail(&c);
        xmlrpc_env_clean(&c.env);
        return rc;
    }
    int rc = xc_to_json(&c, p, 0, params);
    xmlrpc_DECREF(p);
    xmlrpc_env_clean(&c.env);
    if (rc == 0)
        *method = (char *)name;
    else
        free((void *)name);
    return rc;
}

/* ---------------------------------------------------------------------
 * From a decoded reply to the caller's result or error
 * ------------------------------------------------------------------ */

/* A body that is not an XML-RPC answer; for a 2xx status the decoder's
 * reason is added to the message (the status says nothing then). */
static int not_xmlrpc(odoo_rpc_error *err, long status, const char *ctype, const char *body, size_t len,
                      const char *why)
{
    int kind = odoo__error_from_http(err, status, ctype, body, len, "an XML-RPC response");
    if (err && err->message && why && *why && len && status >= 200 && status < 300) {
        size_t n = strlen(err->message) + strlen(why) + 3;
        char *m = malloc(n);
        if (m) {
            snprintf(m, n, "%s: %s", err->message, why);
            if (odoo__error_set_message(err, m) != 0)
                kind = odoo__error_nomem(err);
            free(m);
        }
    }
    return kind;
}

static int fault_error(json_object *fault, long status, odoo_rpc_error *err)
{
    json_object *code = NULL, *text = NULL;
    int kind;
    if (!json_object_object_get_ex(fault, "faultCode", &code) ||
        !json_object_object_get_ex(fault, "faultString", &text) || !json_object_is_type(text, json_type_string))
        kind = odoo__error_set(err, ODOO_ERR_PROTOCOL, "malformed XML-RPC fault (no faultCode or faultString)");
    else if (json_object_is_type(code, json_type_string))
        return odoo__error_from_fault(err, 0, json_object_get_string(code), json_object_get_string(text), status);
    else if (json_object_is_type(code, json_type_int) && json_object_get_int64(code) >= INT32_MIN &&
             json_object_get_int64(code) <= INT32_MAX)
        return odoo__error_from_fault(err, (int)json_object_get_int64(code), NULL, json_object_get_string(text),
                                      status);
    else
        kind = odoo__error_set(err, ODOO_ERR_PROTOCOL, "malformed XML-RPC fault (faultCode is not an integer)");
    if (err)
        err->http_status = status;
    return kind;
}

int odoo__xmlrpc_decode_response_with(odoo_xmlrpc_decoder decoder, const char *xml, size_t len,
                                      long status, const char *ctype, json_object **out, odoo_rpc_error *err)
{
    *out = NULL;
    odoo_xmlrpc_reply reply = { NULL, 0 };
    char why[256] = "";
    int rc = ODOO_ERR_PROTOCOL;
    if (xml && len) {
        switch (decoder) {
        case ODOO_XMLRPC_DECODER_XMLRPC_C:
            rc = odoo__xmlrpc_parse_xmlrpc_c(xml, len, &reply, why, sizeof(why));
            break;
        case ODOO_XMLRPC_DECODER_EXPAT:
            rc = odoo__xmlrpc_parse_expat(xml, len, &reply, why, sizeof(why));
            break;
        default:
            rc = odoo__xmlrpc_parse(xml, len, &reply, why, sizeof(why));
            break;
        }
    }
    if (rc == ODOO_ERR_NOMEM)
        return odoo__error_nomem(err);
    if (rc == ODOO_ERR_TOO_LARGE) {
        odoo__error_set(err, rc, "%s (xmlrpc-c's own limit: raise it with xmlrpc_limit_set() or use the "
                        "default decoder)", why);
        if (err)
            err->http_status = status;
        return rc;
    }
    if (rc != 0)
        return not_xmlrpc(err, status, ctype, xml, xml ? len : 0, why);
    if (reply.fault) {
        rc = fault_error(reply.value, status, err);
        json_object_put(reply.value);
        return rc;
    }
    if (status < 200 || status >= 300) {
        json_object_put(reply.value);
        return not_xmlrpc(err, status, ctype, xml, len, NULL);
    }
    *out = reply.value;
    return 0;
}

int odoo__xmlrpc_decode_response(const char *xml, size_t len, long status, const char *ctype,
                                 json_object **out, odoo_rpc_error *err)
{
    return odoo__xmlrpc_decode_response_with(ODOO_XMLRPC_DECODER_SCAN, xml, len, status, ctype, out, err);
}
