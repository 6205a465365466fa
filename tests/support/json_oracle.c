/* The tests' JSON oracle (json_oracle.h): odoo__json_parse as of
 * 4fc5743, unchanged but for a fresh tokener per call, and the
 * recognition of the differences the new path is allowed. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <odoo.h>

#include "core/jstream.h"
#include "core/value.h"
#include "json_oracle.h"

/* ---- the oracle: odoo__json_parse as of 4fc5743 (json_tokener) ---- */

static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] >= 0x90))
        return 0;
    return k;
}

#define SUSPECT_DIGITS 1   /* a run of 19+ digits: maybe an integer beyond 64 bits */
#define SUSPECT_NUL 2      /* a \u0000 escape: maybe in an object key */

/* One cheap pass over a document json-c took: validates UTF-8 (returns
 * the offset of the first bad byte, or len) and flags what needs the
 * exact look of json_exact_check. Eight ASCII bytes at a time; a word
 * with a non-ASCII byte or a backslash is read byte by byte. */
static size_t json_scan(const unsigned char *p, size_t len, int *flags)
{
    size_t i = 0, run = 0; /* run: digits just before i */
    *flags = 0;
    while (i < len) {
        size_t stop = len;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (len - i >= 8) {
            const uint64_t hi = 0x8080808080808080ull, ones = 0x0101010101010101ull;
            uint64_t w, bs, x, d;
            memcpy(&w, p + i, 8);
            bs = w ^ (ones * '\\');
            bs = (bs - ones) & ~bs & hi;
            if (!((w & hi) | bs)) {
                x = w | hi;
                d = (x - ones * '0') & ~(x - ones * ('9' + 1)) & hi; /* the digit bytes */
                if (d == 0) {
                    run = 0;
                } else if (d == hi) {
                    run += 8;
                } else {
                    /* digits at the start continue the run; those at the end start the next */
                    if (run + (size_t)__builtin_ctzll(~d & hi) / 8 >= 19)
                        *flags |= SUSPECT_DIGITS;
                    run = (size_t)__builtin_clzll(~d & hi) / 8;
                }
                if (run >= 19)
                    *flags |= SUSPECT_DIGITS;
                i += 8;
                continue;
            }
            stop = i + 8;
        }
#endif
        while (i < stop) {
            unsigned c = p[i];
            if (c >= 0x80) {
                size_t k = utf8_seq(p + i, len - i);
                if (!k)
                    return i;
                i += k;
                run = 0;
                continue;
            }
            if (c - '0' < 10) {
                if (++run >= 19)
                    *flags |= SUSPECT_DIGITS;
            } else {
                run = 0;
                if (c == '\\' && len - i >= 6 && memcmp(p + i + 1, "u0000", 5) == 0)
                    *flags |= SUSPECT_NUL;
            }
            i++;
        }
    }
    return len;
}

/* Whether the integer text s (optional '-', digits) fits in int64_t. */
static int fits_int64(const char *s, size_t n)
{
    int neg = n > 0 && *s == '-';
    if (neg)
        s++, n--;
    while (n > 1 && *s == '0')
        s++, n--;
    if (n != 19)
        return n < 19;
    return memcmp(s, neg ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

/* The exact look, only when json_scan flagged something: an integer
 * beyond 64 bits (json-c clamps those silently), a \u0000 in an object
 * key (json-c cuts the key there). Tokens as json-c reads them (strings
 * quoted with " or '). Returns 0, or 1 with the reason in why. */
static int json_exact_check(const char *t, size_t len, char *why, size_t whylen)
{
    size_t i = 0;
    while (i < len) {
        char c = t[i];
        if (c == '"' || c == '\'') {
            size_t nul_at = 0;
            int nul = 0;
            for (i++; i < len && t[i] != c; i++) {
                if (t[i] != '\\')
                    continue;
                if (!nul && len - i >= 6 && memcmp(t + i + 1, "u0000", 5) == 0)
                    nul = 1, nul_at = i;
                i++;
            }
            i++;
            size_t k = i;
            while (k < len && isspace((unsigned char)t[k]))
                k++;
            if (nul && k < len && t[k] == ':') {
                snprintf(why, whylen, "an object key holds a NUL character (\\u0000) at byte %zu", nul_at);
                return 1;
            }
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t s = i++;
            while (i < len && t[i] >= '0' && t[i] <= '9')
                i++;
            int integer = !(i < len && (t[i] == '.' || t[i] == 'e' || t[i] == 'E'));
            if (integer && !fits_int64(t + s, i - s)) {
                size_t n = i - s;
                snprintf(why, whylen, "the integer %.*s%s at byte %zu does not fit in 64 bits",
                         (int)(n > 40 ? 40 : n), t + s, n > 40 ? "..." : "", s);
                return 1;
            }
            while (i < len && strchr("0123456789.eE+-", t[i]))
                i++;
            continue;
        }
        i++;
    }
    return 0;
}

int json_oracle_parse(const char *text, size_t len, json_object **out, char *why, size_t whylen)
{
    char scratch[1];
    if (!why)
        why = scratch, whylen = sizeof(scratch);
    why[0] = '\0';
    *out = NULL;
    if (!text || len == 0 || len > (size_t)INT32_MAX - 1) {
        snprintf(why, whylen, "%s", len ? "too long for json-c" : "empty");
        return -1;
    }
    /* json-c counts the top level too: ODOO_MAX_NESTING arrays and objects
     * inside one another fit, one more is refused. */
    json_tokener *tok = json_tokener_new_ex(ODOO_MAX_NESTING + 1);
    if (!tok) {
        snprintf(why, whylen, "out of memory");
        return -2;
    }
    /* Strict: json-c otherwise takes numbers JSON has not (01, 1e) and
     * prints them back as they came, so a value read would not go out as
     * JSON. NaN and Infinity (Python's json.dumps) are still taken. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    /* json-c 0.16 drops a member it has no memory for, or calls it a
     * syntax error: the failure shows only in errno. */
    int saved = errno;
    errno = 0;
    json_object *obj = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue) {
        /* A top-level number ("10", JSON-2's bare results) only ends at a
         * delimiter: feed the terminating NUL so the tokener finishes it. */
        obj = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
        used = len;
    }
    json_tokener_free(tok);
    if (errno == ENOMEM) {
        json_object_put(obj);
        snprintf(why, whylen, "out of memory");
        return -2;
    }
    errno = saved;
    if (jerr != json_tokener_success) {
        json_object_put(obj);
        if (jerr == json_tokener_error_depth) {
            snprintf(why, whylen, "JSON nesting deeper than %d levels at byte %zu", ODOO_MAX_NESTING, used);
            return 1;
        }
        snprintf(why, whylen, "not JSON (%s at byte %zu)", json_tokener_error_desc(jerr), used);
        return -1;
    }
    for (size_t i = used; i < len; i++) {
        if (!isspace((unsigned char)text[i])) {
            json_object_put(obj);
            snprintf(why, whylen, "not JSON (text after the document at byte %zu)", i);
            return -1;
        }
    }
    int flags;
    size_t bad = json_scan((const unsigned char *)text, len, &flags);
    if (bad < len) {
        json_object_put(obj);
        snprintf(why, whylen, "invalid UTF-8 at byte %zu", bad);
        return 1;
    }
    if (flags && json_exact_check(text, len, why, whylen)) {
        json_object_put(obj);
        return 1;
    }
    *out = obj;
    return 0;
}

/* ---- the allowed differences, and the comparison ---- */

/* json-c 0.16 decodes some escaped surrogate pairs wrongly: it tests
 * the code point a pair makes as if it were one more surrogate (its mask
 * keeps 16 bits), so U+1D800-U+1DFFF, U+2D800-U+2DFFF (CJK) ...
 * U+10D800-U+10DFFF become U+FFFD or wait as a high half for the next
 * \u; the decoder gives the character. The text with each such pair
 * written as raw UTF-8 instead (malloc'ed, *n its length), what the
 * oracle must then read as the decoder reads the original; NULL when
 * there is none. */
static int hex4(const char *p, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        if (!isxdigit((unsigned char)p[i]))
            return 0;
        *v = *v << 4 | (unsigned)(isdigit((unsigned char)p[i]) ? p[i] - '0' : (p[i] | 0x20) - 'a' + 10);
    }
    return 1;
}

static char *json_c_pairs_raw(const char *t, size_t *n)
{
    char *out = malloc(*n + 1);
    if (!out)
        abort();
    size_t o = 0, changed = 0;
    int in = 0;
    for (size_t i = 0; i < *n;) {
        unsigned hi, lo;
        if (!in) {
            in = t[i] == '"';
            out[o++] = t[i++];
        } else if (t[i] == '"') {
            in = 0;
            out[o++] = t[i++];
        } else if (t[i] != '\\' || i + 1 >= *n) {
            out[o++] = t[i++];
        } else if (*n - i >= 12 && t[i + 1] == 'u' && hex4(t + i + 2, &hi) && t[i + 6] == '\\' && t[i + 7] == 'u' &&
                   hex4(t + i + 8, &lo) && hi >= 0xD800 && hi <= 0xDBFF && lo >= 0xDC00 && lo <= 0xDFFF &&
                   ((0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)) & 0xF800) == 0xD800) {
            unsigned u = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            out[o++] = (char)(0xF0 | u >> 18);
            out[o++] = (char)(0x80 | ((u >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((u >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (u & 0x3F));
            i += 12;
            changed++;
        } else {
            out[o++] = t[i++];
            out[o++] = t[i++];
        }
    }
    if (!changed) {
        free(out);
        return NULL;
    }
    *n = o;
    return out;
}

/* json_object_equal, but NaN is NaN (json-c compares doubles with ==)
 * and the members in the same order. */
static int deep_equal(json_object *a, json_object *b)
{
    if (json_object_get_type(a) != json_object_get_type(b))
        return 0;
    switch (json_object_get_type(a)) {
    case json_type_double: {
        double x = json_object_get_double(a), y = json_object_get_double(b);
        return (isnan(x) && isnan(y)) || (x == y && signbit(x) == signbit(y));
    }
    case json_type_array:
        if (json_object_array_length(a) != json_object_array_length(b))
            return 0;
        for (size_t i = 0; i < json_object_array_length(a); i++)
            if (!deep_equal(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
                return 0;
        return 1;
    case json_type_object: {
        if (json_object_object_length(a) != json_object_object_length(b))
            return 0;
        struct json_object_iterator i = json_object_iter_begin(a), j = json_object_iter_begin(b),
                                    end = json_object_iter_end(a);
        for (; !json_object_iter_equal(&i, &end); json_object_iter_next(&i), json_object_iter_next(&j))
            if (strcmp(json_object_iter_peek_name(&i), json_object_iter_peek_name(&j)) != 0 ||
                !deep_equal(json_object_iter_peek_value(&i), json_object_iter_peek_value(&j)))
                return 0;
        return 1;
    }
    case json_type_null:
        return 1;
    default:
        return json_object_equal(a, b);
    }
}

/* The text shown in a failure: escaped, cut. */
const char *json_oracle_shown(const char *t, size_t n)
{
    static char out[160];
    size_t o = 0;
    for (size_t i = 0; i < n && o < sizeof(out) - 8; i++) {
        unsigned char c = (unsigned char)t[i];
        o += (size_t)snprintf(out + o, sizeof(out) - o, c >= 0x20 && c < 0x7f ? "%c" : "\\x%02x", c);
    }
    if (n > 0 && o >= sizeof(out) - 8)
        snprintf(out + o, sizeof(out) - o, "...");
    return out;
}

static const char *refusal_class(const char *why)
{
    static const char *const classes[] = { "nesting deeper", "does not fit in 64 bits", "invalid UTF-8", "NUL character" };
    for (size_t i = 0; i < sizeof(classes) / sizeof(*classes); i++)
        if (strstr(why, classes[i]))
            return classes[i];
    return why;
}

long json_oracle_at_byte(const char *why)
{
    const char *p = strstr(why, "at byte ");
    return p ? strtol(p + 8, NULL, 10) : -1;
}

static char *printed(json_object *v)
{
    const char *s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    return strdup(s ? s : "(null)");
}

void json_oracle_reference(json_oracle_result *r, const char *text, size_t len)
{
    r->rc = json_oracle_parse(text, len, &r->value, r->why, sizeof(r->why));
}

void json_oracle_library(json_oracle_result *r, const char *text, size_t len)
{
    r->value = NULL;
    r->why[0] = '\0';
    int rc = odoo__json_parse(text, len, &r->value);
    r->rc = rc == 0 ? 0 : rc == ODOO_ERR_NOMEM ? -2 : odoo__json_refusal(text, len, r->why, sizeof(r->why)) ? 1 : -1;
}

void json_oracle_jstream(json_oracle_result *r, const char *text, size_t len, size_t chunk)
{
    int rc = odoo__jstream_parse(text, len, chunk, &r->value, r->why, sizeof(r->why));
    /* the decoder words a syntax error "not JSON (...)", a refusal without it (jstream.c, fail) */
    r->rc = rc == 0 ? 0 : rc == ODOO_ERR_NOMEM ? -2 : strncmp(r->why, "not JSON (", 10) == 0 ? -1 : 1;
}

void json_oracle_result_free(json_oracle_result *r)
{
    json_object_put(r->value);
    r->value = NULL;
}

#define DETAIL(...) (detail ? (void)snprintf(detail, detaillen, __VA_ARGS__) : (void)0)

json_oracle_verdict json_oracle_compare(const char *text, size_t len, const json_oracle_result *want,
                                        const json_oracle_result *got, char *detail, size_t detaillen)
{
    int orc = want->rc, nkind = got->rc;
    const char *owhy = want->why, *nwhy = got->why;
    long nat = json_oracle_at_byte(nwhy), oat = json_oracle_at_byte(owhy);
    if (detail && detaillen)
        detail[0] = '\0';
    if (orc == 0 && nkind == -1 && strstr(nwhy, "a quoted key expected") && nat >= 0 && (size_t)nat < len &&
        text[nat] == '\'') {
        /* json-c 0.16 takes a key in single quotes, even in strict mode
         * ({'a': 1}, not a value 'b'); that is not JSON, and no server
         * writes it: refused now. */
        return JSON_ORACLE_SINGLE_QUOTED;
    }
    if (orc != 0 && nkind != 0 && orc != nkind && nat >= 0 && nat <= oat) {
        /* Both fail, for faults at two places: the decoder names the
         * first in the text, the oracle ran its checks in turn (json-c's
         * syntax, then UTF-8, then integers and keys). Or two faults at
         * one byte: where the first value inside a 129th container
         * should begin stands what is not JSON (a NUL, the end); the
         * decoder looks at the depth first, json-c at the byte. */
        return JSON_ORACLE_EARLIER_FAULT;
    }
    if (orc != nkind) {
        DETAIL("oracle %d (%s), new %d (%s)", orc, orc ? owhy : "ok", nkind, nkind ? nwhy : "ok");
        return JSON_ORACLE_DIFFER;
    }
    if (orc == 0) {
        json_oracle_verdict v = JSON_ORACLE_AGREE;
        char *a = printed(want->value), *b = printed(got->value);
        if (!a || !b)
            abort();
        if (!deep_equal(want->value, got->value) || strcmp(a, b) != 0) {
            size_t rawlen = len;
            char *raw = json_c_pairs_raw(text, &rawlen);
            if (raw) {
                json_object *fixed = NULL;
                char why[200];
                char *c = json_oracle_parse(raw, rawlen, &fixed, why, sizeof(why)) == 0 ? printed(fixed)
                                                                                          : strdup("refused");
                if (!c)
                    abort();
                if (deep_equal(fixed, got->value) && strcmp(c, b) == 0) {
                    v = JSON_ORACLE_SURROGATE_PAIR;
                } else {
                    DETAIL("values differ: %s vs %s (pairs raw: %s)", a, b, c);
                    v = JSON_ORACLE_DIFFER;
                }
                free(c);
                free(raw);
                json_object_put(fixed);
            } else {
                DETAIL("values differ: %s vs %s", a, b);
                v = JSON_ORACLE_DIFFER;
            }
        }
        free(a);
        free(b);
        return v;
    }
    if (orc == 1) {
        int same_class = strcmp(refusal_class(owhy), refusal_class(nwhy)) == 0;
        if (!same_class && nat < oat)
            return JSON_ORACLE_EARLIER_FAULT; /* as above: two refusals, the first in the text named */
        if (!same_class || oat != nat) {
            DETAIL("refusals differ: \"%s\" vs \"%s\"", owhy, nwhy);
            return JSON_ORACLE_DIFFER;
        }
        return JSON_ORACLE_AGREE;
    }
    /* json_tokener names the byte where it stopped, the decoder the token at fault: both say where */
    if (strncmp(nwhy, "not JSON (", 10) != 0 && strcmp(nwhy, owhy) != 0) {
        DETAIL("\"%s\" vs \"%s\"", owhy, nwhy);
        return JSON_ORACLE_DIFFER;
    }
    return JSON_ORACLE_AGREE;
}
