/* What the XML-RPC decoders share: scalar element text -> json-c, and
 * the helpers behind it.
 *
 * Integers take 64 bits whatever the element (Python's parser takes any
 * size in <int>); doubles are read by strtod in the C locale, so they are
 * correctly rounded (xmlrpc-c's own digit loop is not); dates take the
 * forms xmlrpc-c reads; base64 is decoded strictly and encoded again, so
 * the text is the one xmlrpc-c's reading of the bytes gives. */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "xmlrpc_values.h"

/* ---------------------------------------------------------------------
 * Helpers
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

int odoo__xmlrpc_text_grow(odoo_xmlrpc_text *b, size_t n)
{
    if (b->cap - b->len > n)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d)
        return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

/* ---------------------------------------------------------------------
 * Scalars
 * ------------------------------------------------------------------ */

int odoo__xmlrpc_parse_int(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (n && (s[0] == '+' || s[0] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return -1;
    uint64_t v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)((unsigned char)s[i] - '0');
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
        return -1;
    *out = neg ? (v ? -(int64_t)(v - 1) - 1 : 0) : (int64_t)v;
    return 0;
}

static int parse_double(const char *s, size_t n, double *out)
{
    /* strtod would skip leading space and read "1,5" in a German locale.
     * It stops at s[n], a NUL or '<', which no number holds. */
    if (n == 0 || s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')
        return -1;
    char *end;
    locale_t c = odoo__xmlrpc_c_locale();
    *out = c ? strtod_l(s, &end, c) : strtod(s, &end);
    return end == s + n ? 0 : -1;
}

/* 1 when s[0..n) is a number as JSON writes one (Python's repr of a float
 * is, except inf and nan): then the value keeps its text, so that a double
 * prints as the server wrote it (-38.8585056) and not to 17 digits
 * (-38.858505600000001), the same on every protocol. */
static int json_number_text(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d || (s[d] == '0' && i - d > 1))
        return 0;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == f)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        if (++i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t e = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == e)
            return 0;
    }
    return i == n;
}

static json_object *double_value(double d, const char *s, size_t n)
{
    char text[40];
    if (n >= sizeof(text) || !json_number_text(s, n))
        return json_object_new_double(d);
    memcpy(text, s, n);
    text[n] = '\0';
    return json_object_new_double_s(d, text);
}

static int digits(const char **p, const char *end, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (*p >= end || **p < '0' || **p > '9')
            return -1;
        v = v * 10 + (unsigned)(**p - '0');
    }
    *out = v;
    return 0;
}

/* The forms xmlrpc-c reads: YYYYMMDDTHH:MM:SS, dashes and colons optional,
 * 't' for 'T', an optional fraction (microseconds kept) and 'Z'. */
static int parse_datetime(const char *s, size_t n, char *text, size_t textlen)
{
    const char *p = s, *end = s + n;
    unsigned Y, M, D, h, m, sec, usec = 0;
    if (digits(&p, end, 4, &Y))
        return -1;
    if (p < end && *p == '-')
        p++;
    if (digits(&p, end, 2, &M))
        return -1;
    if (p < end && *p == '-')
        p++;
    if (digits(&p, end, 2, &D) || p >= end || (*p != 'T' && *p != 't'))
        return -1;
    p++;
    if (digits(&p, end, 2, &h))
        return -1;
    if (p < end && *p == ':')
        p++;
    if (digits(&p, end, 2, &m))
        return -1;
    if (p < end && *p == ':')
        p++;
    if (digits(&p, end, 2, &sec))
        return -1;
    if (p < end && *p == '.') {
        unsigned scale = 100000;
        for (p++; p < end && *p >= '0' && *p <= '9'; p++, scale /= 10)
            usec += (unsigned)(*p - '0') * scale;
    }
    if (p < end && *p == 'Z')
        p++;
    if (p != end || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 59)
        return -1;
    odoo__xmlrpc_datetime_text(text, textlen, Y, M, D, h, m, sec, usec);
    return 0;
}

static int b64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decode (RFC 4648, padded; whitespace ignored) and encode again.
 * Returns 0, ODOO_ERR_NOMEM or ODOO_ERR_PROTOCOL (not base64). */
static int canonical_base64(const char *s, size_t n, json_object **out)
{
    unsigned char *bytes = malloc(n / 4 * 3 + 3);
    if (!bytes)
        return ODOO_ERR_NOMEM;
    size_t nb = 0, quad = 0, pad = 0;
    unsigned acc = 0;
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        int d = c == '=' ? 0 : b64_digit(c);
        if (d < 0 || (pad && c != '=') || (c == '=' && quad < 2)) {
            bad = 1;
            break;
        }
        pad += c == '=';
        acc = acc << 6 | (unsigned)d;
        if (++quad == 4) {
            bytes[nb++] = (unsigned char)(acc >> 16);
            if (pad < 2)
                bytes[nb++] = (unsigned char)(acc >> 8);
            if (pad < 1)
                bytes[nb++] = (unsigned char)acc;
            quad = 0;
            acc = 0;
            if (pad) {
                /* Only whitespace may follow the padding. */
                for (size_t j = i + 1; j < n && !bad; j++)
                    bad = s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r';
            }
        }
    }
    if (bad || quad != 0) {
        free(bytes);
        return ODOO_ERR_PROTOCOL;
    }
    *out = odoo__xmlrpc_base64_string(bytes, nb);
    free(bytes);
    return *out ? 0 : ODOO_ERR_NOMEM;
}

/* At most 32 bytes of the text, for the reason. */
static int quoted_len(size_t n)
{
    return n < 32 ? (int)n : 32;
}

int odoo__xmlrpc_scalar(odoo_xmlrpc_scalar type, const char *s, size_t n, json_object **out, char *why,
                        size_t whylen)
{
    int64_t i;
    double d;
    char text[40];
    int rc;
    *out = NULL;
    switch (type) {
    case ODOO_XMLRPC_STRING:
        if (n > INT_MAX) {   /* json-c counts in int */
            snprintf(why, whylen, "a string of %zu bytes is too long", n);
            return ODOO_ERR_PROTOCOL;
        }
        *out = json_object_new_string_len(s, (int)n);
        break;
    case ODOO_XMLRPC_INT:
    case ODOO_XMLRPC_I8:
        if (odoo__xmlrpc_parse_int(s, n, &i) != 0) {
            snprintf(why, whylen, "<%s> '%.*s' is not a 64-bit integer", type == ODOO_XMLRPC_INT ? "int" : "i8",
                     quoted_len(n), s);
            return ODOO_ERR_PROTOCOL;
        }
        *out = json_object_new_int64(i);
        break;
    case ODOO_XMLRPC_BOOLEAN:
        if (n != 1 || (s[0] != '0' && s[0] != '1')) {
            snprintf(why, whylen, "<boolean> '%.*s' is neither 0 nor 1", quoted_len(n), s);
            return ODOO_ERR_PROTOCOL;
        }
        *out = json_object_new_boolean(s[0] == '1');
        break;
    case ODOO_XMLRPC_DOUBLE:
        if (parse_double(s, n, &d) != 0) {
            snprintf(why, whylen, "<double> '%.*s' is not a number", quoted_len(n), s);
            return ODOO_ERR_PROTOCOL;
        }
        *out = double_value(d, s, n);
        break;
    case ODOO_XMLRPC_DATETIME:
        if (parse_datetime(s, n, text, sizeof(text)) != 0) {
            snprintf(why, whylen, "<dateTime.iso8601> '%.*s' is not a date and time", quoted_len(n), s);
            return ODOO_ERR_PROTOCOL;
        }
        *out = json_object_new_string(text);
        break;
    case ODOO_XMLRPC_BASE64:
        rc = canonical_base64(s, n, out);
        if (rc == ODOO_ERR_PROTOCOL)
            snprintf(why, whylen, "a <base64> value is not valid base64");
        else if (rc)
            snprintf(why, whylen, "out of memory");
        return rc;
    default:
        snprintf(why, whylen, "scalar type %d", (int)type);
        return ODOO_ERR_PROTOCOL;
    }
    if (!*out) {
        snprintf(why, whylen, "out of memory");
        return ODOO_ERR_NOMEM;
    }
    return 0;
}
