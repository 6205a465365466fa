/* The incremental JSON decoder (jstream.h). One pass over each byte in
 * the common case: a token inside the window is decoded where it lies;
 * one cut by the end of a window is gathered in js->pend (each byte
 * copied once, its end looked for only in the new bytes) and decoded
 * whole when it ends. */
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odoo/errors.h"
#include "ascii.h"
#include "jstream.h"
#include "jstream_scan.h"

enum {
    S_VALUE,      /* a value: top level, after ':' or after ',' in an array */
    S_ARR_FIRST,  /* after '[': a value or ']' */
    S_OBJ_FIRST,  /* after '{': a key or '}' */
    S_OBJ_KEY,    /* after ',' in an object: a key */
    S_COLON,      /* after a key */
    S_AFTER,      /* after a value inside a container: ',' or its end */
    S_DONE,       /* the top-level value is complete: only whitespace */
    S_PARTIAL,    /* a token cut by the end of the window (js->partial): scalar() sets the next state */
    S_OVER,       /* the document is beyond its limit: next refuses it */
    S_ENDED,      /* END returned */
    S_FAILED
};

enum { P_STRING = 1, P_WORD };

#define COLD ODOO__JS_COLD

void odoo__js_init(odoo__jstream *js, const odoo__js_limits *lim)
{
    memset(js, 0, sizeof(*js));
    js->lim.max_depth = lim && lim->max_depth && lim->max_depth < ODOO_JS_MAX_DEPTH ? lim->max_depth : ODOO_JS_MAX_DEPTH;
    js->lim.max_string = lim && lim->max_string ? lim->max_string : ODOO_JS_MAX_STRING;
    js->lim.max_document = lim && lim->max_document ? lim->max_document : ODOO_JS_MAX_DOCUMENT;
    js->state = S_VALUE;
    js->base = (const unsigned char *)""; /* no window yet: an empty one */
}

void odoo__js_free(odoo__jstream *js)
{
    odoo_buf_free(&js->pend);
    odoo_buf_free(&js->sbuf);
}

static COLD odoo__js_event fail(odoo__jstream *js, int refused, size_t off, const char *fmt, const char *arg)
{
    js->state = S_FAILED;
    js->refused = refused;
    js->err_off = off;
    char what[120];
    snprintf(what, sizeof(what), fmt, arg ? arg : "");
    if (refused == -2)
        snprintf(js->why, sizeof(js->why), "out of memory");
    else if (refused)
        snprintf(js->why, sizeof(js->why), "%s at byte %zu", what, off);
    else
        snprintf(js->why, sizeof(js->why), "not JSON (%s at byte %zu)", what, off);
    return ODOO_JS_ERROR;
}

void odoo__js_feed(odoo__jstream *js, const char *data, size_t len)
{
    js->doc_off += js->pos;
    js->base = (const unsigned char *)(data ? data : "");
    js->len = data ? len : 0;
    js->pos = 0;
    /* checked here, once a window: next refuses it (after an error or
     * the end, what it returns stays) */
    if (js->doc_off + js->len > js->lim.max_document && js->state != S_FAILED && js->state != S_ENDED)
        js->state = S_OVER;
}

int odoo__js_object_window(const odoo__jstream *js, const unsigned char **p, const unsigned char **end)
{
    if (js->state != S_OBJ_FIRST)
        return 0;
    *p = js->base + js->pos;
    *end = js->base + js->len;
    return 1;
}

void odoo__js_object_read(odoo__jstream *js, const unsigned char *after)
{
    js->pos = (size_t)(after - js->base);
    js->depth--;
    js->state = js->depth ? S_AFTER : S_DONE;
}

void odoo__js_finish(odoo__jstream *js)
{
    js->finished = 1;
}

static void put_utf8(odoo_buf *b, unsigned u)
{
    char o[4];
    size_t n;
    if (u < 0x80)
        o[0] = (char)u, n = 1;
    else if (u < 0x800)
        o[0] = (char)(0xC0 | u >> 6), o[1] = (char)(0x80 | (u & 0x3F)), n = 2;
    else if (u < 0x10000)
        o[0] = (char)(0xE0 | u >> 12), o[1] = (char)(0x80 | ((u >> 6) & 0x3F)), o[2] = (char)(0x80 | (u & 0x3F)), n = 3;
    else
        o[0] = (char)(0xF0 | u >> 18), o[1] = (char)(0x80 | ((u >> 12) & 0x3F)), o[2] = (char)(0x80 | ((u >> 6) & 0x3F)),
        o[3] = (char)(0x80 | (u & 0x3F)), n = 4;
    odoo_buf_append(b, o, n);
}

/* Decode the complete raw content p[0..n) of a string (between its
 * quotes), starting at document offset off (its first byte). Sets tok to
 * a view of p when it holds no escape, else to js->sbuf. */
static COLD odoo__js_event string_token(odoo__jstream *js, const unsigned char *p, size_t n, size_t off, int key)
{
    size_t i = 0, run = 0;
    int escaped = 0;
    odoo_buf *b = &js->sbuf;
    unsigned hi = 0; /* a high surrogate waiting for its low half */
    while (i < n) {
        unsigned c = p[i];
        if (c != '\\' && hi) {
            /* json-c: a high surrogate not followed by \u becomes U+FFFD */
            odoo_buf_lit(b, "\xEF\xBF\xBD");
            hi = 0;
        }
        if (c == '\\') {
            if (!escaped) {
                escaped = 1;
                odoo_buf_reset(b, 0);
            }
            odoo_buf_append(b, (const char *)p + run, i - run);
            if (i + 1 >= n)
                return fail(js, 0, off + i, "a string ends inside an escape%s", NULL);
            unsigned e = p[i + 1];
            const char *simple = NULL;
            switch (e) {
            case '"': simple = "\""; break;
            case '\\': simple = "\\"; break;
            case '/': simple = "/"; break;
            case 'b': simple = "\b"; break;
            case 'f': simple = "\f"; break;
            case 'n': simple = "\n"; break;
            case 'r': simple = "\r"; break;
            case 't': simple = "\t"; break;
            case 'u': break;
            default: return fail(js, 0, off + i, "an invalid escape in a string%s", NULL);
            }
            if (simple) {
                if (hi) {
                    odoo_buf_lit(b, "\xEF\xBF\xBD");
                    hi = 0;
                }
                odoo_buf_append(b, simple, 1);
                i += 2;
                run = i;
                continue;
            }
            long v = i + 6 > n ? -1 : odoo__hex4((const char *)p + i + 2, 4);
            if (v < 0)
                return fail(js, 0, off + i, "an invalid \\u escape%s", NULL);
            unsigned u = (unsigned)v;
            if (hi) {
                if (u >= 0xDC00 && u <= 0xDFFF) {
                    put_utf8(b, 0x10000 + ((hi - 0xD800) << 10) + (u - 0xDC00));
                    hi = 0;
                    i += 6;
                    run = i;
                    continue;
                }
                odoo_buf_lit(b, "\xEF\xBF\xBD");
                hi = 0;
            }
            if (u >= 0xD800 && u <= 0xDBFF)
                hi = u;
            else if (u >= 0xDC00 && u <= 0xDFFF)
                odoo_buf_lit(b, "\xEF\xBF\xBD");
            else if (u == 0 && key)
                return fail(js, 1, off + i, "an object key holds a NUL character (\\u0000)%s", NULL);
            else
                put_utf8(b, u);
            i += 6;
            run = i;
            continue;
        }
        if (c == 0)
            return fail(js, 0, off + i, "a NUL byte%s", NULL);
        if (c >= 0x80) {
            int k = utf8_len(p + i, n - i);
            if (k <= 0)
                return fail(js, 1, off + i, "invalid UTF-8%s", NULL);
            i += (size_t)k;
            continue;
        }
        i++;
    }
    if (hi)
        odoo_buf_lit(b, "\xEF\xBF\xBD");
    if (escaped) {
        odoo_buf_append(b, (const char *)p + run, n - run);
        if (b->failed)
            return fail(js, -2, off, "%s", NULL);
        js->tok.str = b->data;
        js->tok.len = b->len;
    } else {
        js->tok.str = (const char *)p;
        js->tok.len = n;
    }
    if (js->tok.len > js->lim.max_string)
        return fail(js, 1, off - 1, "a string longer than the limit%s", NULL);
    js->tok.off = off - 1;
    return key ? ODOO_JS_KEY : ODOO_JS_STRING;
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void c_locale_make(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/* A number, literal or anything else made of [0-9A-Za-z+.-] (a "word";
 * what json-c accepts of them, see jstream.h). */
static COLD odoo__js_event word_token(odoo__jstream *js, const unsigned char *p, size_t n, size_t off)
{
    const char *s = (const char *)p;
    js->tok.off = off;
    js->tok.str = s;
    js->tok.len = n;
    switch (s[0]) {
    case 't':
        if (n == 4 && memcmp(s, "true", 4) == 0)
            return ODOO_JS_TRUE;
        break;
    case 'f':
        if (n == 5 && memcmp(s, "false", 5) == 0)
            return ODOO_JS_FALSE;
        break;
    case 'n':
        if (n == 4 && memcmp(s, "null", 4) == 0)
            return ODOO_JS_NULL;
        break;
    case 'N':
    case 'I':
    case '-':
        if ((n == 3 && memcmp(s, "NaN", 3) == 0) || (n == 8 && memcmp(s, "Infinity", 8) == 0) ||
            (n == 9 && memcmp(s, "-Infinity", 9) == 0)) {
            js->tok.d = s[0] == 'N' ? (double)NAN : s[0] == '-' ? -(double)INFINITY : (double)INFINITY;
            return ODOO_JS_DOUBLE;
        }
        break;
    }
    if (s[0] == '.' || s[0] == '+')
        return fail(js, 0, off, "an unexpected character%s", NULL);
    size_t i = 0, digits = 0, sig = 0;
    int neg = s[0] == '-', dbl = 0, over = 0, nonzero = 0;
    if (neg)
        i++;
    /* the digits as an integer while it stays exact (19 fit in 64 bits) */
    uint64_t v = 0;
    for (; i < n && (unsigned)(s[i] - '0') < 10; i++, digits++) {
        unsigned d = (unsigned)(s[i] - '0');
        nonzero |= d != 0;
        if (sig < 19) {
            v = v * 10 + d;
            sig += v != 0;
        } else {
            over = 1;
        }
    }
    long frac = 0; /* fraction digits folded into v */
    if (i < n && s[i] == '.') {
        dbl = 1;
        for (i++; i < n && (unsigned)(s[i] - '0') < 10; i++, digits++) {
            if (sig < 19 && !over) {
                v = v * 10 + (unsigned)(s[i] - '0');
                sig += v != 0;
                frac++;
            } else {
                over = 1;
            }
        }
    }
    if (digits == 0)
        return fail(js, 0, off, "%s", s[0] == '-' || (unsigned)(s[0] - '0') < 10 ? "a malformed number" : "an unknown literal");
    long ex = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t ed = 0;
        int eneg = 0;
        dbl = 1;
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        for (; i < n && (unsigned)(s[i] - '0') < 10; i++, ed++)
            if (ex < 100000)
                ex = ex * 10 + (s[i] - '0');
        if (!ed)
            return fail(js, 0, off, "a malformed number%s", NULL);
        if (eneg)
            ex = -ex;
    }
    if (i != n)
        return fail(js, 0, off, "a malformed number%s", NULL);
    if (!dbl) {
        /* strict json-c: no leading 0 on a positive integer ("00" passes) */
        if (!neg && s[0] == '0' && nonzero)
            return fail(js, 0, off, "a number with a leading zero%s", NULL);
        /* the exact check, beyond 18 significant digits */
        if (over || (sig == 19 && v > (uint64_t)INT64_MAX + (uint64_t)neg))
            return fail(js, 1, off, "an integer that does not fit in 64 bits%s", NULL);
        js->tok.i = neg ? (int64_t)(0 - v) : (int64_t)v;
        return ODOO_JS_INT;
    }
    /* Clinger's fast path: an exact mantissa below 2^53 and a power of ten
     * that is exact as a double give the correctly rounded result with
     * one operation; a mantissa of up to 19 digits with |e10| <= 19 is
     * scaled exactly in 128-bit integers (odoo__js_wide_scale); anything
     * else goes to strtod. */
    long e10 = ex - frac;
    double m;
    if (!over && v < (1ull << 53) && e10 >= -22 && e10 <= 22) {
        m = (double)v;
        m = e10 < 0 ? m / odoo__js_p10[-e10] : m * odoo__js_p10[e10];
        js->tok.d = neg ? -m : m;
        return ODOO_JS_DOUBLE;
    }
    if (!over && odoo__js_wide_scale(v, e10, &m)) {
        js->tok.d = neg ? -m : m;
        return ODOO_JS_DOUBLE;
    }
    /* strtod wants a NUL and the C locale's decimal point */
    char small[64], *t = n < sizeof(small) ? small : malloc(n + 1);
    if (!t)
        return fail(js, -2, off, "%s", NULL);
    memcpy(t, s, n);
    t[n] = '\0';
    pthread_once(&c_locale_once, c_locale_make);
    js->tok.d = c_locale ? strtod_l(t, NULL, c_locale) : strtod(t, NULL);
    if (t != small)
        free(t);
    return ODOO_JS_DOUBLE;
}

/* The rest of a cut string: its closing quote in the new window, given
 * whether the last byte gathered began an escape. */
static const unsigned char *string_rest(const unsigned char *p, const unsigned char *end, int *esc)
{
    if (*esc) {
        if (p == end)
            return NULL;
        p++;
        *esc = 0;
    }
    for (;;) {
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            uint64_t m = has_byte(w, '"') | has_byte(w, '\\');
            if (m) {
                p += __builtin_ctzll(m) / 8;
                goto look;
            }
            p += 8;
        }
        while (p < end && *p != '"' && *p != '\\')
            p++;
        if (p == end)
            return NULL;
    look:
        if (*p == '"')
            return p;
        if (end - p < 2) {
            *esc = 1;
            return NULL;
        }
        p += 2;
    }
}

static COLD int gather(odoo__jstream *js, const unsigned char *p, size_t n)
{
    if (js->pend.len + n > js->lim.max_string + 2) {
        fail(js, 1, js->partial_off, "a string longer than the limit%s", NULL);
        return -1;
    }
    odoo_buf_append(&js->pend, (const char *)p, n);
    if (js->pend.failed) {
        fail(js, -2, js->partial_off, "%s", NULL);
        return -1;
    }
    return 0;
}

/* A value ends: what comes next depends on the container. */
static void value_done(odoo__jstream *js)
{
    js->state = js->depth ? S_AFTER : S_DONE;
}

/* A scalar token complete at [p, p+n) (raw: for a string, its content). */
static odoo__js_event scalar(odoo__jstream *js, int kind, int key, const unsigned char *p, size_t n, size_t off)
{
    odoo__js_event ev = kind == P_STRING ? string_token(js, p, n, off + 1, key) : word_token(js, p, n, off);
    if (ev == ODOO_JS_ERROR)
        return ev;
    if (key)
        js->state = S_COLON;
    else
        value_done(js);
    return ev;
}

/* Finish a token cut by the previous window. */
static odoo__js_event resume(odoo__jstream *js)
{
    const unsigned char *p = js->base + js->pos, *end = js->base + js->len;
    if (js->partial == P_STRING) {
        const unsigned char *q = string_rest(p, end, &js->partial_esc);
        if (!q) {
            if (gather(js, p, (size_t)(end - p)))
                return ODOO_JS_ERROR;
            js->pos = js->len;
            return ODOO_JS_MORE;
        }
        if (gather(js, p, (size_t)(q - p)))
            return ODOO_JS_ERROR;
        js->pos = (size_t)(q + 1 - js->base);
    } else {
        const unsigned char *q = p;
        while (q < end && word_char[*q])
            q++;
        if (gather(js, p, (size_t)(q - p)))
            return ODOO_JS_ERROR;
        js->pos = (size_t)(q - js->base);
        if (q == end && !js->finished)
            return ODOO_JS_MORE;
    }
    int kind = js->partial;
    js->partial = 0;
    return scalar(js, kind, js->partial_key, (const unsigned char *)js->pend.data, js->pend.len, js->partial_off);
}

static COLD odoo__js_event truncated(odoo__jstream *js)
{
    return fail(js, 0, odoo__js_offset(js), "%s", js->state == S_VALUE && js->depth == 0 && odoo__js_offset(js) == 0
                                                      ? "empty"
                                                      : "unexpected end of data");
}

/* A word the fast path did not take (at p, the window's), or one the
 * window cuts. */
static COLD odoo__js_event word_slow(odoo__jstream *js, const unsigned char *p)
{
    const unsigned char *base = js->base, *end = base + js->len, *q = p;
    size_t off = js->doc_off + (size_t)(p - base);
    while (q < end && word_char[*q])
        q++;
    if (q == end && !js->finished) {
        js->state = S_PARTIAL;
        js->partial = P_WORD;
        js->partial_key = 0;
        js->partial_off = off;
        odoo_buf_reset(&js->pend, 0);
        js->pos = (size_t)(p - base);
        if (gather(js, p, (size_t)(q - p)))
            return ODOO_JS_ERROR;
        js->pos = js->len;
        return ODOO_JS_MORE;
    }
    js->pos = (size_t)(q - base);
    js->state = S_VALUE;
    return scalar(js, P_WORD, 0, p, (size_t)(q - p), off);
}

/* A string (its opening quote at p) that the window cuts: gather the
 * rest of the window. */
static COLD odoo__js_event string_cut(odoo__jstream *js, const unsigned char *p, int key)
{
    const unsigned char *base = js->base, *end = base + js->len, *s = p + 1;
    js->state = S_PARTIAL;
    js->partial = P_STRING;
    js->partial_key = key;
    js->partial_off = js->doc_off + (size_t)(p - base);
    js->partial_esc = 0;
    odoo_buf_reset(&js->pend, 0);
    /* did the window end on an escape's backslash? */
    for (size_t r = 0, n = (size_t)(end - s); r < n; r++)
        if (s[r] == '\\')
            js->partial_esc = ++r == n;
    js->pos = (size_t)(p - base);
    if (gather(js, s, (size_t)(end - s)))
        return ODOO_JS_ERROR;
    js->pos = js->len;
    if (js->finished)
        return fail(js, 0, js->doc_off + js->len, "unexpected end of data%s", NULL);
    return ODOO_JS_MORE;
}

/* The rest of a token cut by the previous window. */
static COLD odoo__js_event next_partial(odoo__jstream *js)
{
    if (js->pos == js->len && !js->finished)
        return ODOO_JS_MORE;
    if (js->pos == js->len && js->partial == P_STRING)
        return fail(js, 0, js->doc_off + js->len, "unexpected end of data%s", NULL);
    return resume(js);
}

/* The grammar as code: each state is a label, stored in js->state only
 * when the call returns; whitespace and separators ahead of a token are
 * read in the same call as the token. */
odoo__js_event odoo__js_next(odoo__jstream *js)
{
    const unsigned char *const base = js->base, *const end = base + js->len;
    const unsigned char *p = base + js->pos, *q;
    odoo__js_event ev;
    unsigned c;
    int key;
#define OFF(at) (js->doc_off + (size_t)((at) - base))
#define SKIP_WS(st)                                                                                                   \
    do {                                                                                                              \
        while (p < end && is_ws(*p))                                                                                  \
            p++;                                                                                                      \
        if (p == end) {                                                                                               \
            js->state = (st);                                                                                         \
            goto window_end;                                                                                          \
        }                                                                                                             \
    } while (0)
#define FAIL(at, ...) (js->pos = (size_t)((at) - base), fail(js, 0, OFF(at), __VA_ARGS__))
    switch (js->state) {
    case S_VALUE: goto value;
    case S_ARR_FIRST: goto arr_first;
    case S_OBJ_FIRST: goto obj_first;
    case S_OBJ_KEY: goto obj_key;
    case S_COLON: goto colon;
    case S_AFTER: goto after;
    case S_DONE: goto done;
    case S_PARTIAL: return next_partial(js);
    case S_OVER: return fail(js, 1, js->lim.max_document, "a document longer than the limit%s", NULL);
    case S_ENDED: return ODOO_JS_END;
    default: return ODOO_JS_ERROR;
    }

after:
    SKIP_WS(S_AFTER);
    c = *p;
    if (c == ',') {
        p++;
        if (js->stack[js->depth])
            goto obj_key;
        goto value;
    }
    if (c == (js->stack[js->depth] ? '}' : ']'))
        goto close;
    return FAIL(p, "%s", js->stack[js->depth] ? "',' or '}' expected" : "',' or ']' expected");

colon:
    SKIP_WS(S_COLON);
    if (*p != ':')
        return FAIL(p, "':' expected after a key%s", NULL);
    p++;
value:
    SKIP_WS(S_VALUE);
value_here:
    if (js->depth > js->lim.max_depth) {
        js->pos = (size_t)(p - base);
        return fail(js, 1, OFF(p), "JSON nesting deeper than %s levels",
                    js->lim.max_depth == ODOO_MAX_NESTING ? "128" : "the limit of");
    }
    c = *p;
    if (c == '"') {
        key = 0;
        goto string;
    }
    if (c == '[' || c == '{') {
        js->pos = (size_t)(p + 1 - base);
        js->depth++;
        js->stack[js->depth] = c == '{';
        js->state = c == '{' ? S_OBJ_FIRST : S_ARR_FIRST;
        js->tok.off = OFF(p);
        return c == '{' ? ODOO_JS_OBJ_BEGIN : ODOO_JS_ARR_BEGIN;
    }
    if ((ev = odoo__js_word_fast(&js->tok, p, end, &q)) != 0) {
        js->tok.off = OFF(p);
        js->pos = (size_t)(q - base);
        js->state = js->depth ? S_AFTER : S_DONE;
        return ev;
    }
    if (!word_char[c])
        return FAIL(p, "an unexpected character%s", NULL);
    return word_slow(js, p);

arr_first:
    SKIP_WS(S_ARR_FIRST);
    if (*p == ']') {
        c = ']';
        goto close;
    }
    goto value_here;

obj_first:
    SKIP_WS(S_OBJ_FIRST);
    if (*p == '}') {
        c = '}';
        goto close;
    }
    goto key_here;

obj_key:
    SKIP_WS(S_OBJ_KEY);
key_here:
    if (*p != '"')
        return FAIL(p, "a quoted key expected%s", NULL);
    key = 1;
    goto string;

done:
    SKIP_WS(S_DONE);
    return FAIL(p, "text after the document%s", NULL);

close:
    js->pos = (size_t)(p + 1 - base);
    js->tok.off = OFF(p);
    js->depth--;
    js->state = js->depth ? S_AFTER : S_DONE;
    return c == '}' ? ODOO_JS_OBJ_END : ODOO_JS_ARR_END;

string: {
    size_t off = OFF(p);
    int clean;
    q = string_end(p + 1, end, &clean);
    if (q) {
        js->pos = (size_t)(q + 1 - base);
        if (clean) {
            size_t n = (size_t)(q - p - 1);
            if (n > js->lim.max_string)
                return fail(js, 1, off, "a string longer than the limit%s", NULL);
            js->tok.str = (const char *)p + 1;
            js->tok.len = n;
            js->tok.off = off;
            if (key) {
                js->state = S_COLON;
                return ODOO_JS_KEY;
            }
            js->state = js->depth ? S_AFTER : S_DONE;
            return ODOO_JS_STRING;
        }
        js->state = key ? S_OBJ_KEY : S_VALUE;
        return scalar(js, P_STRING, key, p + 1, (size_t)(q - p - 1), off);
    }
    return string_cut(js, p, key);
}

window_end:
    js->pos = js->len;
    if (!js->finished)
        return ODOO_JS_MORE;
    if (js->state == S_DONE) {
        js->state = S_ENDED;
        return ODOO_JS_END;
    }
    return truncated(js);
#undef OFF
#undef SKIP_WS
#undef FAIL
}
