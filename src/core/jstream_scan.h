/* The scanning steps of the incremental JSON decoder (jstream.c) that the
 * row cursor's record reader (cursor.c, record_flat) runs too: the end of a
 * string with its UTF-8 check, whitespace, and the common numbers and
 * literals decoded where they lie. Private to src/core. */
#ifndef ODOO_JSTREAM_SCAN_H
#define ODOO_JSTREAM_SCAN_H

#include <stdint.h>
#include <string.h>

#include "jstream.h"

/* Out of the hot path: errors, escapes, rare words, cut tokens. */
#define ODOO__JS_COLD __attribute__((noinline, cold))
/* The steps of the loops that read most bytes: inlined in each. */
#define ODOO__JS_HOT inline __attribute__((always_inline))

#define JS_ONES 0x0101010101010101ull
#define JS_HIGHS 0x8080808080808080ull

/* The first byte of [p, p+16) or [p, p+8) that a string's scan stops
 * at: '"', '\\', NUL or a byte >= 0x80; 16 or 8 when none. SSE2 (in
 * every x86-64) looks at 16 bytes in a few instructions, SWAR at 8. */
#if defined(__SSE2__)
#include <emmintrin.h>
#define JS_SCAN_WIDE 16
static inline unsigned scan16(const unsigned char *p)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()), v));
    unsigned bits = (unsigned)_mm_movemask_epi8(m);
    return bits ? (unsigned)__builtin_ctz(bits) : 16;
}
#endif

static inline uint64_t has_byte(uint64_t w, unsigned char b)
{
    uint64_t x = w ^ (JS_ONES * b);
    return (x - JS_ONES) & ~x & JS_HIGHS;
}

/* Length of the UTF-8 character at p (n bytes left); 0 when it is not
 * one (the rules of value.c's check: no overlong form, no surrogate,
 * nothing beyond U+10FFFF), -1 when it is cut short by n. */
static inline int utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < k; i++) {
        if (i >= n)
            return -1;
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        if (i == 1 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) || (c == 0xF0 && p[1] < 0x90) ||
                       (c == 0xF4 && p[1] >= 0x90)))
            return 0;
    }
    return (int)k;
}

/* string_end's look at a rare character (4 bytes, or not UTF-8): a call
 * that the scan's loop does not pay for. */
static ODOO__JS_COLD int utf8_len_cold(const unsigned char *p, size_t n)
{
    return utf8_len(p, n);
}

/* The powers of ten exact as doubles. */
static const double odoo__js_p10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                       1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* v * 10^e10 correctly rounded to a double into *out, for any v (at most
 * 19 digits: below 2^64) and |e10| <= 19; 0: not decided here (strtod
 * decides). Exact integer arithmetic in 128 bits: the product, or v
 * shifted left by s over 10^-e10 (at least 64 bits of quotient and
 * whether a remainder is left), then rounded to 53 bits, to nearest, ties
 * to even, by hand: no floating-point step, so nothing rounds twice. */
static __attribute__((noinline)) int odoo__js_wide_scale(uint64_t v, long e10, double *out)
{
#if defined(__SIZEOF_INT128__)
    static const uint64_t p10u[] = { 1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
                                     100000000ull, 1000000000ull, 10000000000ull, 100000000000ull,
                                     1000000000000ull, 10000000000000ull, 100000000000000ull, 1000000000000000ull,
                                     10000000000000000ull, 100000000000000000ull, 1000000000000000000ull,
                                     10000000000000000000ull };
    typedef unsigned __int128 u128;
    if (e10 < -19 || e10 > 19)
        return 0;
    if (v == 0) {
        *out = 0;
        return 1;
    }
    u128 n;
    int e2 = 0, sticky = 0;
    if (e10 >= 0) {
        n = (u128)v * p10u[e10];
    } else {
        int s = 64 + __builtin_clzll(v); /* v << s: the top bit set */
        u128 num = (u128)v << s;
        n = num / p10u[-e10];
        sticky = num % p10u[-e10] != 0;
        e2 = -s;
    }
    uint64_t hi = (uint64_t)(n >> 64);
    int bits = hi ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll((uint64_t)n);
    int sh = bits - 53;
    uint64_t m;
    if (sh > 0) {
        u128 rest = n & (((u128)1 << sh) - 1), half = (u128)1 << (sh - 1);
        m = (uint64_t)(n >> sh);
        if (rest > half || (rest == half && (sticky || (m & 1))))
            m++;
        if (m == 1ull << 53) {
            m >>= 1;
            sh++;
        }
    } else {
        m = (uint64_t)n << -sh; /* exact: a product of at most 53 bits */
    }
    uint64_t w = (uint64_t)(sh + e2 + 52 + 1023) << 52 | (m & ((1ull << 52) - 1));
    memcpy(out, &w, sizeof(*out));
    return 1;
#else
    (void)v, (void)e10, (void)out;
    return 0;
#endif
}

/* The bytes a number or literal is made of ([0-9A-Za-z+.-]). */
static const unsigned char word_char[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['+'] = 1, ['-'] = 1, ['.'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1,
    ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1,
    ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1,
    ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1,
    ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
};

/* Where the string starting at p ends (its closing quote) in [p, end),
 * or NULL when the window ends first. *esc: an escape seen; *clean: no
 * byte that needs string_token's look (escape, NUL, non-ASCII). */
static ODOO__JS_HOT const unsigned char *string_end(const unsigned char *p, const unsigned char *end, int *clean)
{
    *clean = 1;
    for (;;) {
#ifdef JS_SCAN_WIDE
        while (end - p >= JS_SCAN_WIDE) {
            unsigned k = scan16(p);
            p += k;
            if (k < JS_SCAN_WIDE)
                goto look;
        }
#endif
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            uint64_t m = has_byte(w, '"') | has_byte(w, '\\') | has_byte(w, 0) | (w & JS_HIGHS);
            if (m) {
                p += __builtin_ctzll(m) / 8;
                goto look;
            }
            p += 8;
        }
        if (p == end)
            return NULL;
    look:
        if (*p == '"')
            return p;
        if (*p == '\\') {
            *clean = 0;
            if (end - p < 2)
                return NULL;
            p += 2;
            continue;
        }
        if (*p >= 0x80) {
            /* a well-formed character stays clean; anything else is
             * string_token's to report. Two and three bytes inline. */
            if (end - p >= 3 && *p >= 0xC2 && *p < 0xE0 && (p[1] & 0xC0) == 0x80) {
                p += 2;
                continue;
            }
            if (end - p >= 3 && *p > 0xE0 && *p < 0xF0 && *p != 0xED && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
                p += 3;
                continue;
            }
            int k = utf8_len_cold(p, (size_t)(end - p));
            if (k < 0)
                return NULL;
            if (k == 0)
                *clean = 0, k = 1;
            p += k;
            continue;
        }
        *clean = 0; /* NUL */
        p++;
    }
}

/* JSON whitespace (json-c's: no other control byte). */
static ODOO__JS_HOT int is_ws(unsigned c)
{
    return c <= ' ' && (c == ' ' || c == '\n' || c == '\r' || c == '\t');
}

/* A token at p ends at q when q holds a byte of the window that cannot
 * continue it; at the end of the window the general path waits for more. */
static inline int ends_at(const unsigned char *q, const unsigned char *end)
{
    return q < end && !word_char[*q];
}

/* The common words whole in the window, decoded where they lie into *t:
 * an integer of at most 18 digits, a decimal of at most 19 (15: exact as
 * a double, one division; 16 to 19, Python's shortest repr of most
 * floats: odoo__js_wide_scale), true, false, null. 0: not one of them
 * (the general path decides, and words exactly as before). Same values
 * as word_token. */
static ODOO__JS_HOT odoo__js_event odoo__js_word_fast(odoo__js_token *t, const unsigned char *p, const unsigned char *end,
                                                const unsigned char **qp)
{
    unsigned c = *p;
    if (c == 't' || c == 'f' || c == 'n') {
        /* the four bytes after the first: "rue" "alse" "ull" and the next */
        size_t n = c == 'f' ? 5 : 4;
        if ((size_t)(end - p) <= n || word_char[p[n]])
            return 0;
        if (c == 't' ? memcmp(p + 1, "rue", 3) != 0 : c == 'f' ? memcmp(p + 1, "alse", 4) != 0 : memcmp(p + 1, "ull", 3) != 0)
            return 0;
        *qp = p + n;
        t->str = (const char *)p;
        t->len = n;
        return c == 't' ? ODOO_JS_TRUE : c == 'f' ? ODOO_JS_FALSE : ODOO_JS_NULL;
    }
    const unsigned char *d = p + (c == '-'), *q = d;
    const unsigned char *lim = end - d > 18 ? d + 18 : end;
    uint64_t v = 0;
    while (q < lim && (unsigned)(*q - '0') < 10)
        v = v * 10 + (unsigned)(*q++ - '0');
    /* no digit, or a leading zero (json-c's rules are word_token's) */
    if (q == d || (*d == '0' && q != d + 1) || q == end)
        return 0;
    if (*q == '.') {
        const unsigned char *f = q + 1, *r = f;
        const unsigned char *lim2 = end - f > 19 - (q - d) ? f + (19 - (q - d)) : end;
        while (r < lim2 && (unsigned)(*r - '0') < 10)
            v = v * 10 + (unsigned)(*r++ - '0');
        if (r == f || !ends_at(r, end))
            return 0;
        double m;
        if (r - f + (q - d) <= 15)
            m = (double)v / odoo__js_p10[r - f];
        else if (!odoo__js_wide_scale(v, -(long)(r - f), &m))
            return 0;
        t->d = c == '-' ? -m : m;
        t->str = (const char *)p;
        t->len = (size_t)(r - p);
        *qp = r;
        return ODOO_JS_DOUBLE;
    }
    if (word_char[*q])
        return 0;
    t->i = c == '-' ? (int64_t)(0 - v) : (int64_t)v;
    t->str = (const char *)p;
    t->len = (size_t)(q - p);
    *qp = q;
    return ODOO_JS_INT;
}

#endif
