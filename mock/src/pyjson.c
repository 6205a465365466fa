/* odoo-mock — Python-compatible JSON serialisation and parsing. */
#include "pyjson.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void om_py_float_repr(double x, int json_mode, char *out)
{
    if (isnan(x)) {
        strcpy(out, json_mode ? "NaN" : "nan");
        return;
    }
    if (isinf(x)) {
        if (json_mode)
            strcpy(out, x < 0 ? "-Infinity" : "Infinity");
        else
            strcpy(out, x < 0 ? "-inf" : "inf");
        return;
    }
    if (x == 0) {
        strcpy(out, signbit(x) ? "-0.0" : "0.0");
        return;
    }
    char buf[48];
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, sizeof buf, "%.*e", p - 1, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    /* buf: [-]d[.ddd]e[+-]XX */
    const char *s = buf;
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    char digits[24];
    int nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && nd < 23)
            digits[nd++] = *s;
    int exp = (*s == 'e') ? atoi(s + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    char *o = out;
    if (neg)
        *o++ = '-';
    if (exp >= -4 && exp < 16) {
        if (exp >= 0) {
            for (int i = 0; i <= exp; i++)
                *o++ = i < nd ? digits[i] : '0';
            *o++ = '.';
            if (nd > exp + 1)
                for (int i = exp + 1; i < nd; i++)
                    *o++ = digits[i];
            else
                *o++ = '0';
        } else {
            *o++ = '0';
            *o++ = '.';
            for (int i = 0; i < -exp - 1; i++)
                *o++ = '0';
            for (int i = 0; i < nd; i++)
                *o++ = digits[i];
        }
        *o = '\0';
    } else {
        *o++ = digits[0];
        if (nd > 1) {
            *o++ = '.';
            for (int i = 1; i < nd; i++)
                *o++ = digits[i];
        }
        sprintf(o, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
}

static void dump_string(strbuf *sb, const char *s, size_t n)
{
    om_sb_reserve(sb, n + 2);
    om_sb_addc(sb, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char ubuf[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (c < 0x20) {
                snprintf(ubuf, sizeof ubuf, "\\u%04x", c);
                esc = ubuf;
            }
        }
        if (esc) {
            om_sb_addn(sb, s + start, i - start);
            om_sb_adds(sb, esc);
            start = i + 1;
        }
    }
    om_sb_addn(sb, s + start, n - start);
    om_sb_addc(sb, '"');
}

static void dump_sep(strbuf *sb, json_object *v, int compact)
{
    char num[48];
    switch (json_object_get_type(v)) {
    case json_type_null:
        om_sb_adds(sb, "null");
        break;
    case json_type_boolean:
        om_sb_adds(sb, json_object_get_boolean(v) ? "true" : "false");
        break;
    case json_type_int:
        snprintf(num, sizeof num, "%lld", (long long)json_object_get_int64(v));
        om_sb_adds(sb, num);
        break;
    case json_type_double:
        om_py_float_repr(json_object_get_double(v), 1, num);
        om_sb_adds(sb, num);
        break;
    case json_type_string:
        dump_string(sb, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    case json_type_array: {
        size_t n = json_object_array_length(v);
        om_sb_addc(sb, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                om_sb_addn(sb, ", ", compact ? 1 : 2);
            dump_sep(sb, json_object_array_get_idx(v, i), compact);
        }
        om_sb_addc(sb, ']');
        break;
    }
    case json_type_object: {
        int first = 1;
        om_sb_addc(sb, '{');
        json_object_object_foreach(v, key, val)
        {
            if (!first)
                om_sb_addn(sb, ", ", compact ? 1 : 2);
            first = 0;
            dump_string(sb, key, strlen(key));
            om_sb_addn(sb, ": ", compact ? 1 : 2);
            dump_sep(sb, val, compact);
        }
        om_sb_addc(sb, '}');
        break;
    }
    }
}

void om_pyjson_dump(strbuf *sb, json_object *v)
{
    dump_sep(sb, v, 0);
}

char *om_json_dumps_compact(json_object *v, size_t *len)
{
    strbuf sb;
    om_sb_init(&sb);
    dump_sep(&sb, v, 1);
    return om_sb_detach(&sb, len);
}

char *om_pyjson_dumps(json_object *v, size_t *len)
{
    strbuf sb;
    om_sb_init(&sb);
    om_pyjson_dump(&sb, v);
    return om_sb_detach(&sb, len);
}

static void pos_to_linecol(const char *text, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (text[i] == '\n') {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l;
    *col = c;
}

int om_pyjson_parse(const char *text, size_t len, json_object **out, char *errmsg, size_t errsize)
{
    *out = NULL;
    /* skip leading whitespace like Python does */
    size_t start = 0;
    while (start < len && (text[start] == ' ' || text[start] == '\t' || text[start] == '\n' ||
                           text[start] == '\r'))
        start++;
    if (start == len) {
        int l, c;
        pos_to_linecol(text, len, &l, &c);
        snprintf(errmsg, errsize, "Expecting value: line %d column %d (char %zu)", l, c, len);
        return -1;
    }
    if (len > (size_t)0x7fffffff) {
        snprintf(errmsg, errsize, "body too large");
        return -1;
    }
    json_tokener *tok = json_tokener_new_ex(256);
    if (!tok) {
        snprintf(errmsg, errsize, "out of memory");
        return -1;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    json_object *obj = json_tokener_parse_ex(tok, text + start, (int)(len - start));
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = start + json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue) {
        /* a bare number at the end of the input is complete: a blank
         * tells the tokener so */
        obj = json_tokener_parse_ex(tok, " ", 1);
        jerr = json_tokener_get_error(tok);
        end = len;
    }
    if (jerr == json_tokener_continue) {
        /* incomplete document: Python reports where the value was expected */
        json_tokener_free(tok);
        int l, c;
        pos_to_linecol(text, len, &l, &c);
        snprintf(errmsg, errsize, "Expecting value: line %d column %d (char %zu)", l, c, len);
        return -1;
    }
    if (jerr != json_tokener_success) {
        json_tokener_free(tok);
        if (end > len)
            end = len;
        int l, c;
        pos_to_linecol(text, end, &l, &c);
        snprintf(errmsg, errsize, "Expecting value: line %d column %d (char %zu)", l, c, end);
        return -1;
    }
    json_tokener_free(tok);
    /* trailing data other than whitespace is an error ("Extra data") */
    for (size_t i = end; i < len; i++) {
        char ch = text[i];
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
            json_object_put(obj);
            int l, c;
            pos_to_linecol(text, i, &l, &c);
            snprintf(errmsg, errsize, "Extra data: line %d column %d (char %zu)", l, c, i);
            return -1;
        }
    }
    *out = obj;
    return 0;
}

static void repr_str(strbuf *sb, const char *s)
{
    /* Python prefers single quotes unless the string contains one and no
     * double quote. */
    int has_sq = strchr(s, '\'') != NULL, has_dq = strchr(s, '"') != NULL;
    char q = (has_sq && !has_dq) ? '"' : '\'';
    om_sb_addc(sb, q);
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\\')
            om_sb_adds(sb, "\\\\");
        else if (c == (unsigned char)q)
            om_sb_addf(sb, "\\%c", q);
        else if (c == '\n')
            om_sb_adds(sb, "\\n");
        else if (c == '\r')
            om_sb_adds(sb, "\\r");
        else if (c == '\t')
            om_sb_adds(sb, "\\t");
        else if (c < 0x20 || c == 0x7f)
            om_sb_addf(sb, "\\x%02x", c);
        else
            om_sb_addc(sb, (char)c);
    }
    om_sb_addc(sb, q);
}

void om_py_repr(strbuf *sb, json_object *v)
{
    char num[48];
    switch (json_object_get_type(v)) {
    case json_type_null:
        om_sb_adds(sb, "None");
        break;
    case json_type_boolean:
        om_sb_adds(sb, json_object_get_boolean(v) ? "True" : "False");
        break;
    case json_type_int:
        om_sb_addf(sb, "%lld", (long long)json_object_get_int64(v));
        break;
    case json_type_double:
        om_py_float_repr(json_object_get_double(v), 0, num);
        om_sb_adds(sb, num);
        break;
    case json_type_string:
        repr_str(sb, json_object_get_string(v));
        break;
    case json_type_array: {
        size_t n = json_object_array_length(v);
        om_sb_addc(sb, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                om_sb_adds(sb, ", ");
            om_py_repr(sb, json_object_array_get_idx(v, i));
        }
        om_sb_addc(sb, ']');
        break;
    }
    case json_type_object: {
        int first = 1;
        om_sb_addc(sb, '{');
        json_object_object_foreach(v, key, val)
        {
            if (!first)
                om_sb_adds(sb, ", ");
            first = 0;
            repr_str(sb, key);
            om_sb_adds(sb, ": ");
            om_py_repr(sb, val);
        }
        om_sb_addc(sb, '}');
        break;
    }
    }
}
