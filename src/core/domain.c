/* Literals and domains from JSON or Python's literal syntax (what Odoo code,
 * its docs and forum answers write: [('active', '=', True)]).
 *
 * One recursive-descent parser reads both: JSON is almost a subset of
 * Python literals (true/false/null are accepted beside True/False/None,
 * and \/ means '/' as in JSON). Every error names its byte offset. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/values.h"
#include "../errors/error_internal.h"
#include "ascii.h"
#include "jsonbuf.h"

typedef struct parser {
    const char *text, *p;
    const char *what;     /* "domain" or "literal", for messages */
    odoo_rpc_error *err;
    int depth;
    int failed;    /* the kind of the first failure, 0 before */
} parser;

static void where(const parser *ps, const char *at, size_t *line, size_t *col)
{
    *line = 1;
    *col = 1;
    for (const char *c = ps->text; c < at; c++) {
        if (*c == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)*c & 0xc0) != 0x80) {
            (*col)++;
        }
    }
}

static int fail_at(parser *ps, const char *at, const char *fmt, ...) ODOO_PRINTF(3, 4);
static int fail_at(parser *ps, const char *at, const char *fmt, ...)
{
    if (ps->failed)
        return -1;
    ps->failed = ODOO_ERR_INVALID_ARGUMENT;
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    size_t line, col;
    where(ps, at, &line, &col);
    odoo__error_set(ps->err, ODOO_ERR_INVALID_ARGUMENT, "%s: %s at offset %zu (line %zu, column %zu)",
                    ps->what, why, (size_t)(at - ps->text), line, col);
    return -1;
}

static int fail_nomem(parser *ps)
{
    if (!ps->failed) {
        ps->failed = ODOO_ERR_NOMEM;
        odoo__error_nomem(ps->err);
    }
    return -1;
}

/* What is at `at`, for "unexpected ..." messages (never more than one
 * character of the text). */
static const char *shown(const char *at, char buf[16])
{
    unsigned char c = (unsigned char)*at;
    if (!c)
        return "end of text";
    if (c >= 0x21 && c < 0x7f && c != '\'')
        snprintf(buf, 16, "'%c'", c);
    else if (c == '\'')
        snprintf(buf, 16, "\"'\"");
    else
        snprintf(buf, 16, "byte 0x%02x", c);
    return buf;
}

static void skip_space(parser *ps)
{
    for (;;) {
        char c = *ps->p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ps->p++;
        } else if (c == '\\' && (ps->p[1] == '\n' || (ps->p[1] == '\r' && ps->p[2] == '\n'))) {
            ps->p += ps->p[1] == '\n' ? 2 : 3; /* Python's explicit line joining */
        } else if (c == '#') {                 /* a Python comment, up to the end of the line */
            while (*ps->p && *ps->p != '\n')
                ps->p++;
        } else {
            return;
        }
    }
}

static int is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int put(odoo_jsonbuf *b, const char *s, size_t n)
{
    odoo__jb_raw(b, s, n);
    return b->failed ? -1 : 0;
}

/* Append code point cp as UTF-8. */
static int put_utf8(odoo_jsonbuf *b, unsigned long cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (char)(0x80 | (cp & 0x3f));
        n = 4;
    }
    return put(b, u, n);
}

/* Length of the valid UTF-8 character at s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned long cp;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* n hex digits at s, or -1. */
static long hexn(const char *s, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        int h = odoo__hexval(s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static json_object *parse_string(parser *ps)
{
    const char *start = ps->p;
    int raw = 0;
    while (*ps->p != '\'' && *ps->p != '"') { /* prefixes: u, r, ur (Python 2), ru */
        char c = *ps->p;
        if (c == 'r' || c == 'R')
            raw = 1;
        else if (c == 'b' || c == 'B')
            return fail_at(ps, start, "bytes literals (b'...') are not text"), NULL;
        else if (c != 'u' && c != 'U')
            return fail_at(ps, start, "unknown string prefix"), NULL;
        ps->p++;
    }
    char q = *ps->p++;
    if (ps->p[0] == q && ps->p[1] == q)
        return fail_at(ps, ps->p - 1, "triple-quoted strings are not supported"), NULL;
    odoo_jsonbuf b = ODOO_JSONBUF_INIT;
    for (;;) {
        const char *at = ps->p;
        unsigned char c = (unsigned char)*at;
        if (c == (unsigned char)q) {
            ps->p++;
            break;
        }
        if (!c || c == '\n' || c == '\r') {
            fail_at(ps, start, "unterminated string");
            goto fail;
        }
        if (c < 0x20 && c != '\t') {
            fail_at(ps, at, "control character in a string");
            goto fail;
        }
        if (c != '\\' || raw) {
            if (raw && c == '\\' && at[1]) { /* r'..\'..' keeps both characters */
                if (put(&b, at, 2) < 0)
                    goto nomem;
                ps->p += 2;
                continue;
            }
            size_t n = utf8_len((const unsigned char *)at);
            if (!n) {
                fail_at(ps, at, "invalid UTF-8 in a string");
                goto fail;
            }
            if (put(&b, at, n) < 0)
                goto nomem;
            ps->p += n;
            continue;
        }
        char e = at[1];
        static const char from[] = "\\'\"/nrtbfva", to[] = "\\'\"/\n\r\t\b\f\v\a";
        const char *simple = e ? strchr(from, e) : NULL;
        if (simple) {
            char out = to[simple - from];
            if (put(&b, &out, 1) < 0)
                goto nomem;
            ps->p += 2;
        } else if (e == '\n') {
            ps->p += 2; /* continuation: nothing */
        } else if (e == '\r' && at[2] == '\n') {
            ps->p += 3;
        } else if (e >= '0' && e <= '7') {
            unsigned v = 0;
            int n = 0;
            while (n < 3 && at[1 + n] >= '0' && at[1 + n] <= '7')
                v = v * 8 + (unsigned)(at[1 + n++] - '0');
            if (put_utf8(&b, v) < 0)
                goto nomem;
            ps->p += 1 + n;
        } else if (e == 'x' || e == 'u' || e == 'U') {
            int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            long cp = hexn(at + 2, n);
            if (cp < 0) {
                fail_at(ps, at, "\\%c needs %d hex digits", e, n);
                goto fail;
            }
            ps->p += 2 + n;
            if (cp >= 0xd800 && cp <= 0xdbff && ps->p[0] == '\\' && ps->p[1] == 'u') {
                long lo = hexn(ps->p + 2, 4);
                if (lo >= 0xdc00 && lo <= 0xdfff) { /* a JSON surrogate pair */
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    ps->p += 6;
                }
            }
            if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
                fail_at(ps, at, "\\%c escape is not a Unicode character", e);
                goto fail;
            }
            if (put_utf8(&b, (unsigned long)cp) < 0)
                goto nomem;
        } else if (e == 'N') {
            fail_at(ps, at, "\\N{...} escapes are not supported");
            goto fail;
        } else if (!e) {
            fail_at(ps, start, "unterminated string");
            goto fail;
        } else {
            /* Python keeps an unknown escape as it is */
            if (put(&b, at, 1) < 0)
                goto nomem;
            ps->p += 1;
        }
    }
    {
        json_object *s = json_object_new_string_len(b.len ? b.data : "", (int)b.len);
        odoo__jb_free(&b);
        if (!s)
            fail_nomem(ps);
        return s;
    }
nomem:
    fail_nomem(ps);
fail:
    odoo__jb_free(&b);
    return NULL;
}

/* Digits (with Python's single '_' between them) copied into buf without
 * the underscores. Returns the count of digits, -1 on a misplaced '_'. */
static int digits(parser *ps, char *buf, size_t cap, size_t *len, int hex)
{
    int n = 0;
    for (;;) {
        char c = *ps->p;
        int ok = hex ? odoo__hexval(c) >= 0 : (c >= '0' && c <= '9');
        if (ok) {
            if (*len + 4 >= cap) /* room for '.', 'e', a sign and the NUL after it */
                return -2;
            buf[(*len)++] = c;
            n++;
            ps->p++;
        } else if (c == '_' && n > 0) {
            char d = ps->p[1];
            if (!(hex ? odoo__hexval(d) >= 0 : (d >= '0' && d <= '9')))
                return -1;
            ps->p++;
        } else {
            return n;
        }
    }
}

static json_object *parse_number(parser *ps)
{
    const char *start = ps->p;
    char buf[400];
    size_t len = 0;
    int neg = 0;
    if (*ps->p == '-' || *ps->p == '+') {
        neg = *ps->p == '-';
        buf[len++] = *ps->p++;
        skip_space(ps); /* Python allows "- 1" */
    }
    const char *num = ps->p;
    if (num[0] == '0' && (num[1] == 'x' || num[1] == 'X' || num[1] == 'o' || num[1] == 'O' ||
                          num[1] == 'b' || num[1] == 'B')) {
        int base = (num[1] == 'x' || num[1] == 'X') ? 16 : (num[1] == 'o' || num[1] == 'O') ? 8 : 2;
        ps->p += 2;
        len = 0;
        int n = digits(ps, buf, sizeof buf, &len, 1);
        buf[len] = '\0';
        if (n <= 0)
            return fail_at(ps, num, n == -2 ? "number too long" : "malformed number"), NULL;
        for (size_t i = 0; i < len; i++)
            if (odoo__hexval(buf[i]) >= base)
                return fail_at(ps, num, "malformed number"), NULL;
        errno = 0;
        unsigned long long u = strtoull(buf, NULL, base);
        if (errno || u > (unsigned long long)INT64_MAX + (unsigned long long)neg)
            return fail_at(ps, start, "integer beyond 64 bits"), NULL;
        int64_t v = neg ? (int64_t)(0 - u) : (int64_t)u;
        json_object *o = json_object_new_int64(v);
        return o ? o : (fail_nomem(ps), NULL);
    }
    int n = digits(ps, buf, sizeof buf, &len, 0);
    int is_float = 0;
    if (n == -2)
        return fail_at(ps, start, "number too long"), NULL;
    if (n < 0)
        return fail_at(ps, ps->p, "misplaced '_' in a number"), NULL;
    if (*ps->p == '.') {
        is_float = 1;
        buf[len++] = *ps->p++;
        int f = digits(ps, buf, sizeof buf, &len, 0);
        if (f < 0)
            return fail_at(ps, ps->p, f == -2 ? "number too long" : "misplaced '_' in a number"), NULL;
        if (n == 0 && f == 0)
            return fail_at(ps, start, "malformed number"), NULL;
    } else if (n == 0) {
        return fail_at(ps, start, "malformed number"), NULL;
    }
    if (*ps->p == 'e' || *ps->p == 'E') {
        is_float = 1;
        buf[len++] = *ps->p++;
        if (*ps->p == '+' || *ps->p == '-')
            buf[len++] = *ps->p++;
        int x = digits(ps, buf, sizeof buf, &len, 0);
        if (x <= 0)
            return fail_at(ps, start, x == -2 ? "number too long" : "malformed number"), NULL;
    }
    if (is_ident(*ps->p) || *ps->p == '.')
        return fail_at(ps, ps->p, "malformed number"), NULL;
    buf[len] = '\0';
    if (!is_float) {
        /* Python 3 refuses 007; JSON too. "0" and "-0" are fine. */
        const char *d = buf + (buf[0] == '-' || buf[0] == '+');
        if (d[0] == '0' && d[1])
            return fail_at(ps, num, "leading zeros in an integer"), NULL;
        errno = 0;
        long long v = strtoll(buf, NULL, 10);
        if (errno == ERANGE)
            return fail_at(ps, start, "integer beyond 64 bits"), NULL;
        json_object *o = json_object_new_int64(v);
        return o ? o : (fail_nomem(ps), NULL);
    }
    errno = 0;
    double d = strtod(buf, NULL);
    if (!isfinite(d))
        return fail_at(ps, start, "float out of range"), NULL;
    json_object *o = json_object_new_double(d);
    return o ? o : (fail_nomem(ps), NULL);
}

static int parse_value(parser *ps, json_object **out);

/* Items of a list or tuple up to `close`; the opening bracket is consumed.
 * *is_tuple_group: set for "(x)" without a comma (Python's parentheses). */
static int parse_items(parser *ps, char close, json_object **out, int *group)
{
    const char *open = ps->p - 1;
    json_object *arr = json_object_new_array();
    if (!arr)
        return fail_nomem(ps);
    int commas = 0;
    size_t n = 0;
    for (;;) {
        skip_space(ps);
        if (*ps->p == close) {
            ps->p++;
            break;
        }
        if (!*ps->p) {
            fail_at(ps, open, "'%c' is never closed", *open);
            goto fail;
        }
        json_object *v = NULL;
        if (parse_value(ps, &v) < 0)
            goto fail;
        if (json_object_array_add(arr, v) < 0) {
            json_object_put(v);
            fail_nomem(ps);
            goto fail;
        }
        n++;
        skip_space(ps);
        if (*ps->p == ',') {
            ps->p++;
            commas++;
        } else if (*ps->p != close) {
            char buf[16];
            if (!*ps->p)
                fail_at(ps, open, "'%c' is never closed", *open);
            else
                fail_at(ps, ps->p, "expected ',' or '%c', found %s", close, shown(ps->p, buf));
            goto fail;
        }
    }
    if (group)
        *group = close == ')' && n == 1 && commas == 0;
    *out = arr;
    return 0;
fail:
    json_object_put(arr);
    return -1;
}

static int parse_dict(parser *ps, json_object **out)
{
    const char *open = ps->p - 1;
    json_object *obj = json_object_new_object();
    if (!obj)
        return fail_nomem(ps);
    for (;;) {
        skip_space(ps);
        if (*ps->p == '}') {
            ps->p++;
            break;
        }
        if (!*ps->p) {
            fail_at(ps, open, "'{' is never closed");
            goto fail;
        }
        const char *kat = ps->p;
        json_object *k = NULL, *v = NULL;
        if (parse_value(ps, &k) < 0)
            goto fail;
        if (!json_object_is_type(k, json_type_string)) {
            json_object_put(k);
            fail_at(ps, kat, "dict keys must be strings");
            goto fail;
        }
        skip_space(ps);
        if (*ps->p != ':') {
            char buf[16];
            json_object_put(k);
            fail_at(ps, ps->p, "expected ':' after a dict key, found %s", shown(ps->p, buf));
            goto fail;
        }
        ps->p++;
        skip_space(ps);
        if (parse_value(ps, &v) < 0) {
            json_object_put(k);
            goto fail;
        }
        if (memchr(json_object_get_string(k), '\0', (size_t)json_object_get_string_len(k))) {
            json_object_put(k);
            json_object_put(v);
            fail_at(ps, kat, "NUL character in a dict key");
            goto fail;
        }
        int rc = json_object_object_add(obj, json_object_get_string(k), v);
        json_object_put(k);
        if (rc < 0) {
            json_object_put(v);
            fail_nomem(ps);
            goto fail;
        }
        skip_space(ps);
        if (*ps->p == ',') {
            ps->p++;
        } else if (*ps->p != '}') {
            char buf[16];
            if (!*ps->p)
                fail_at(ps, open, "'{' is never closed");
            else
                fail_at(ps, ps->p, "expected ',' or '}', found %s", shown(ps->p, buf));
            goto fail;
        }
    }
    *out = obj;
    return 0;
fail:
    json_object_put(obj);
    return -1;
}

static int word_is(const char *p, const char *w)
{
    size_t n = strlen(w);
    return !strncmp(p, w, n) && !is_ident(p[n]);
}

static int parse_value(parser *ps, json_object **out)
{
    *out = NULL;
    skip_space(ps);
    const char *at = ps->p;
    char c = *at;
    if (c == '[' || c == '(' || c == '{') {
        if (++ps->depth > ODOO_MAX_NESTING)
            return fail_at(ps, at, "nesting deeper than %d", ODOO_MAX_NESTING);
        ps->p++;
        int rc, group = 0;
        if (c == '{')
            rc = parse_dict(ps, out);
        else
            rc = parse_items(ps, c == '[' ? ']' : ')', out, &group);
        ps->depth--;
        if (rc == 0 && group) { /* (x) is x */
            json_object *inner = json_object_get(json_object_array_get_idx(*out, 0));
            json_object_put(*out);
            *out = inner;
        }
        return rc;
    }
    if (c == '\'' || c == '"' ||
        ((c == 'u' || c == 'U' || c == 'r' || c == 'R' || c == 'b' || c == 'B') &&
         (at[1] == '\'' || at[1] == '"' ||
          ((at[1] == 'r' || at[1] == 'R' || at[1] == 'u' || at[1] == 'U') && (at[2] == '\'' || at[2] == '"'))))) {
        *out = parse_string(ps);
        return *out ? 0 : -1;
    }
    if ((c >= '0' && c <= '9') || c == '-' || c == '+' || (c == '.' && at[1] >= '0' && at[1] <= '9')) {
        *out = parse_number(ps);
        return *out ? 0 : -1;
    }
    static const struct {
        const char *word;
        int kind; /* 0 null, 1 true, 2 false */
    } words[] = {{"None", 0}, {"null", 0}, {"True", 1}, {"true", 1}, {"False", 2}, {"false", 2}};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (word_is(at, words[i].word)) {
            ps->p += strlen(words[i].word);
            if (words[i].kind == 0)
                return 0;
            *out = json_object_new_boolean(words[i].kind == 1);
            return *out ? 0 : fail_nomem(ps);
        }
    }
    char buf[16];
    if (is_ident(c)) {
        const char *e = at;
        while (is_ident(*e))
            e++;
        return fail_at(ps, at, "unknown name '%.*s' (only True, False, None and literals)",
                       (int)(e - at > 32 ? 32 : e - at), at);
    }
    if (!c)
        return fail_at(ps, at, "expected a value, found end of text");
    return fail_at(ps, at, "expected a value, found %s", shown(at, buf));
}

static int finish(parser *ps, json_object **v)
{
    skip_space(ps);
    if (*ps->p) {
        char buf[16];
        json_object_put(*v);
        *v = NULL;
        return fail_at(ps, ps->p, "unexpected %s after the value", shown(ps->p, buf));
    }
    return 0;
}

int odoo_literal_parse(json_object **out, const char *text, odoo_rpc_error *err)
{
    if (out)
        *out = NULL;
    if (!text)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "literal: text is NULL");
    parser ps = {text, text, "literal", err, 0, 0};
    json_object *v = NULL;
    if (parse_value(&ps, &v) < 0 || finish(&ps, &v) < 0)
        return ps.failed;
    if (out)
        *out = v;
    else
        json_object_put(v);
    return 0;
}

/* One item of a domain: an operator, or a term (returns 1 for a term,
 * 0 for an operator, -1 when it is neither). */
static int domain_item(parser *ps, json_object *it, const char *at, int *arity)
{
    if (json_object_is_type(it, json_type_string)) {
        const char *s = json_object_get_string(it);
        if (!strcmp(s, "&") || !strcmp(s, "|")) {
            *arity = 2;
            return 0;
        }
        if (!strcmp(s, "!")) {
            *arity = 1;
            return 0;
        }
        return fail_at(ps, at, "a domain item is a term (field, operator, value) or '&', '|', '!'");
    }
    if (!json_object_is_type(it, json_type_array))
        return fail_at(ps, at, "a domain item is a term (field, operator, value) or '&', '|', '!'");
    if (json_object_array_length(it) != 3)
        return fail_at(ps, at, "a domain term has three items (field, operator, value), this one has %zu",
                       json_object_array_length(it));
    json_object *f = json_object_array_get_idx(it, 0), *op = json_object_array_get_idx(it, 1);
    int leaf = json_object_is_type(f, json_type_int) &&
               (json_object_get_int64(f) == 0 || json_object_get_int64(f) == 1); /* TRUE/FALSE_LEAF */
    if (!leaf && (!json_object_is_type(f, json_type_string) || !json_object_get_string_len(f)))
        return fail_at(ps, at, "a domain term starts with a field name");
    if (!json_object_is_type(op, json_type_string) || !json_object_get_string_len(op))
        return fail_at(ps, at, "the operator of a domain term is a string");
    return 1;
}

int odoo_domain_parse(json_object **out, const char *text, odoo_rpc_error *err)
{
    if (out)
        *out = NULL;
    if (!text)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "domain: text is NULL");
    parser ps = {text, text, "domain", err, 0, 0};
    json_object *dom = NULL;
    const char **starts = NULL;
    size_t n = 0, cap = 0;
    skip_space(&ps);
    if (!*ps.p) {
        dom = json_object_new_array();
        if (!dom)
            return odoo__error_nomem(err);
        goto done;
    }
    if (*ps.p != '[' && *ps.p != '(') {
        char buf[16];
        fail_at(&ps, ps.p, "a domain is a list, found %s", shown(ps.p, buf));
        return ps.failed;
    }
    /* The items one by one, to know where each starts. */
    char close = *ps.p == '[' ? ']' : ')';
    const char *open = ps.p++;
    dom = json_object_new_array();
    if (!dom)
        return odoo__error_nomem(err);
    ps.depth = 1;
    for (;;) {
        skip_space(&ps);
        if (*ps.p == close) {
            ps.p++;
            break;
        }
        if (!*ps.p) {
            fail_at(&ps, open, "'%c' is never closed", *open);
            goto fail;
        }
        if (n == cap) {
            const char **more = realloc(starts, (cap = cap ? cap * 2 : 16) * sizeof *starts);
            if (!more) {
                fail_nomem(&ps);
                goto fail;
            }
            starts = more;
        }
        starts[n] = ps.p;
        json_object *v = NULL;
        if (parse_value(&ps, &v) < 0)
            goto fail;
        if (json_object_array_add(dom, v) < 0) {
            json_object_put(v);
            fail_nomem(&ps);
            goto fail;
        }
        n++;
        skip_space(&ps);
        if (*ps.p == ',') {
            ps.p++;
        } else if (*ps.p != close) {
            char buf[16];
            if (!*ps.p)
                fail_at(&ps, open, "'%c' is never closed", *open);
            else
                fail_at(&ps, ps.p, "expected ',' or '%c', found %s", close, shown(ps.p, buf));
            goto fail;
        }
    }
    if (finish(&ps, &dom) < 0)
        goto fail;
    /* A single term written as a bare tuple, ('a', '=', 1), is refused by
     * the shape check below (its items are not terms): say so. Then the
     * prefix notation, read from the end: each operator needs its operands. */
    {
        size_t operands = 0;
        for (size_t i = n; i-- > 0;) {
            int arity = 0;
            int r = domain_item(&ps, json_object_array_get_idx(dom, i), starts[i], &arity);
            if (r < 0)
                goto fail;
            if (r == 1) {
                operands++;
            } else if (operands < (size_t)arity) {
                fail_at(&ps, starts[i], "operator '%s' lacks %s operand%s",
                        json_object_get_string(json_object_array_get_idx(dom, i)),
                        arity == 2 && operands == 1 ? "its second" : arity == 2 ? "its two" : "its",
                        arity == 2 && operands == 0 ? "s" : "");
                goto fail;
            } else {
                operands -= (size_t)arity - 1;
            }
        }
    }
done:
    free(starts);
    if (out)
        *out = dom;
    else
        json_object_put(dom);
    return 0;
fail:
    free(starts);
    json_object_put(dom);
    return ps.failed ? ps.failed : ODOO_ERR_INVALID_ARGUMENT;
}
