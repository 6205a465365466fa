/* odoo__json_parse builds its json-c values through the incremental
 * decoder (jstream.h, jstream_dom.c) since issue 12; before, it ran
 * json_tokener in strict mode and then its own checks. That earlier
 * implementation (value.c as of 4fc5743) is kept below, unchanged but
 * for a fresh tokener per call, as the oracle: over every recorded body
 * of tests/fixtures (requests and answers, JSON or not), a corpus of
 * edge cases, and seeded mutations of both, the new path must give the
 * same value (the same types, members in the same order, and the same
 * printed text: a double prints with the text it was read from) or fail
 * the same way (syntax error or refusal; the same refusal at the same
 * byte). Three differences are allowed, and counted: json-c's key in
 * single quotes is refused, of two faults the first in the text is
 * named (the oracle ran its checks one after the other), and an escaped
 * surrogate pair json-c 0.16 turns into U+FFFD gives its character. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <odoo.h>

#include "core/value.h"
#include "fixtures.h"

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

static int oracle_parse(const char *text, size_t len, json_object **out, char *why, size_t whylen)
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


/* ---- the comparison ---- */

static size_t n_cases, n_accepted, n_syntax, n_refused, n_offset_differs, n_earlier, n_single_quoted, n_pairs,
    n_diverged;

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
    cr_assert_not_null(out);
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
static const char *shown(const char *t, size_t n)
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

static long at_byte(const char *why)
{
    const char *p = strstr(why, "at byte ");
    return p ? strtol(p + 8, NULL, 10) : -1;
}

static char *printed(json_object *v)
{
    const char *s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    return strdup(s ? s : "(null)");
}

/* One text through both. Returns 0 when they agree. */
static int same(const char *what, const char *text, size_t len)
{
    json_object *want = NULL, *got = NULL;
    char owhy[200], nwhy[200] = "";
    int orc = oracle_parse(text, len, &want, owhy, sizeof(owhy));
    int nrc = odoo__json_parse(text, len, &got);
    int nkind = nrc == 0 ? 0 : nrc == ODOO_ERR_NOMEM ? -2 : odoo__json_refusal(text, len, nwhy, sizeof(nwhy)) ? 1 : -1;
    int bad = 0;
    n_cases++;
    if (orc == 0 && nkind == -1 && strstr(nwhy, "a quoted key expected") && at_byte(nwhy) >= 0 &&
        (size_t)at_byte(nwhy) < len && text[at_byte(nwhy)] == '\'') {
        /* The one difference: json-c 0.16 takes a key in single quotes,
         * even in strict mode ({'a': 1}, not a value 'b'); that is not
         * JSON, and no server writes it: refused now. */
        n_single_quoted++;
    } else if (orc != 0 && nkind != 0 && orc != nkind && at_byte(nwhy) >= 0 && at_byte(nwhy) < at_byte(owhy)) {
        /* Both fail, for faults at two places: the decoder names the
         * first in the text, the oracle ran its checks in turn (json-c's
         * syntax, then UTF-8, then integers and keys). */
        n_earlier++;
    } else if (orc != nkind) {
        cr_log_error("%s: oracle %d (%s), new %d (%s): %s", what, orc, orc ? owhy : "ok", nkind, nkind ? nwhy : "ok",
                     shown(text, len));
        bad = 1;
    } else if (orc == 0) {
        n_accepted++;
        char *a = printed(want), *b = printed(got);
        size_t rawlen = len;
        char *raw = NULL;
        if ((!deep_equal(want, got) || strcmp(a, b) != 0) && (raw = json_c_pairs_raw(text, &rawlen))) {
            json_object *fixed = NULL;
            char why[200];
            char *c = oracle_parse(raw, rawlen, &fixed, why, sizeof(why)) == 0 ? printed(fixed) : strdup("refused");
            if (deep_equal(fixed, got) && strcmp(c, b) == 0) {
                n_pairs++;
            } else {
                cr_log_error("%s: values differ: %s vs %s (pairs raw: %s): %s", what, a, b, c, shown(text, len));
                bad = 1;
            }
            free(c);
            free(raw);
            json_object_put(fixed);
        } else if (!deep_equal(want, got) || strcmp(a, b) != 0) {
            cr_log_error("%s: values differ: %s vs %s: %s", what, a, b, shown(text, len));
            bad = 1;
        }
        free(a);
        free(b);
    } else if (orc == 1) {
        n_refused++;
        if (strcmp(refusal_class(owhy), refusal_class(nwhy)) != 0 && at_byte(nwhy) < at_byte(owhy)) {
            n_earlier++; /* as above: two refusals, the first in the text named */
        } else if (strcmp(refusal_class(owhy), refusal_class(nwhy)) != 0 || at_byte(owhy) != at_byte(nwhy)) {
            cr_log_error("%s: refusals differ: \"%s\" vs \"%s\": %s", what, owhy, nwhy, shown(text, len));
            bad = 1;
        }
    } else {
        n_syntax++;
        /* json_tokener names the byte where it stopped, the decoder the token at fault: both say where */
        n_offset_differs += at_byte(owhy) != at_byte(nwhy);
        if (strncmp(nwhy, "not JSON (", 10) != 0 && strcmp(nwhy, owhy) != 0) {
            cr_log_error("%s: \"%s\" vs \"%s\": %s", what, owhy, nwhy, shown(text, len));
            bad = 1;
        }
    }
    json_object_put(want);
    json_object_put(got);
    n_diverged += bad;
    return bad;
}

static void summary(const char *what)
{
    cr_log_info("%s: %zu cases: %zu accepted, %zu syntax errors (%zu named at another byte), %zu refused; "
                "%zu with two faults (the first in the text named), %zu single-quoted keys refused, "
                "%zu surrogate pairs json-c decodes wrongly",
                what, n_cases, n_accepted, n_syntax, n_offset_differs, n_refused, n_earlier, n_single_quoted, n_pairs);
}

#define LIT(s) { s, sizeof(s) - 1 }

static const struct {
    const char *s;
    size_t n;
} edge[] = {
    /* numbers */
    LIT("0"), LIT("-0"), LIT("00"), LIT("-00"), LIT("01"), LIT("-01"), LIT("001"), LIT("1."), LIT("-1."), LIT("1.e5"),
    LIT("0.0"), LIT("-0.0"), LIT(".5"), LIT("-.5"), LIT("+1"), LIT("--1"), LIT("-"), LIT("1e"), LIT("1e+"), LIT("1e-"),
    LIT("1E5"), LIT("1e+5"), LIT("1e-5"), LIT("1.5.5"), LIT("1e5e5"), LIT("0x10"), LIT("1_000"), LIT("123abc"),
    LIT("1e400"), LIT("-1e400"), LIT("1e-400"), LIT("1.5e308"), LIT("1.7976931348623157e308"),
    LIT("1.7976931348623159e308"), LIT("2.2250738585072014e-308"), LIT("4.9e-324"), LIT("2.4703282292062328e-324"),
    LIT("0.1234567890123456789012345"), LIT("12345678901234567890.5"), LIT("123456789012345678901234567890e0"),
    LIT("[1.10, 1e2, 1E+02, 0.1000, -0.0, 1.0e-0, 100000000000000000000.0, 3.14159]"),
    LIT("[0.1, 0.2, 0.30000000000000004, 9007199254740993.0, 1e22, 1e23]"),
    LIT("9223372036854775807"), LIT("9223372036854775808"), LIT("-9223372036854775808"), LIT("-9223372036854775809"),
    LIT("18446744073709551615"), LIT("18446744073709551616"), LIT("99999999999999999999999999999999999999999999999"),
    LIT("00000000000000000000001"), LIT("-0000000000000000000000001"), LIT("0000000000000000000000000"),
    LIT("[1, {\"id\": 99999999999999999999}]"), LIT("{\"a\": 123456789012345678901234567890}"),
    LIT("[9223372036854775807, -9223372036854775808, 0, -1]"), LIT("1234567890123456789"), LIT("-1234567890123456789"),
    LIT("NaN"), LIT("-NaN"), LIT("nan"), LIT("NAN"), LIT("Infinity"), LIT("-Infinity"), LIT("+Infinity"),
    LIT("infinity"), LIT("Inf"), LIT("-Inf"), LIT("[NaN]"), LIT("[Infinity,-Infinity]"), LIT("NaNx"), LIT("Infinityy"),
    LIT("{\"a\": NaN, \"b\": -Infinity}"), LIT("[-NaN]"), LIT("[Nan]"),
    /* literals */
    LIT("true"), LIT("false"), LIT("null"), LIT("True"), LIT("FALSE"), LIT("nul"), LIT("tru"), LIT("truex"),
    LIT("[true,false,null]"), LIT("[nulll]"), LIT("[t]"), LIT("undefined"),
    /* strings and escapes */
    LIT("\"\""), LIT("\"a\""), LIT("\"\\u0041\""), LIT("\"\\u00e9\\u00E9\""), LIT("\"\\ud83d\\ude00\""),
    LIT("\"\\ud83d\""), LIT("\"\\ude00\""), LIT("\"\\ud83d\\u0041\""), LIT("\"\\ud83dx\""), LIT("\"\\ud83d\\n\""),
    LIT("\"\\ud83d\\ud83d\\ude00\""), LIT("\"\\udbff\\udfff\""), LIT("\"\\ud800\\udc00\""), LIT("[\"\\ud83d\", 1]"),
    LIT("{\"\\ud83d\": 1}"), LIT("\"\\ud836\\ude00\""), LIT("\"\\ud876\\udc00\""), LIT("\"\\ud836\\ude00\\udc00\""),
    LIT("\"\\udbf6\\udfff\""), LIT("\"\\ud83d\\ud836\\ude00\""), LIT("\"\\u0000\""), LIT("\"a\\u0000b\""), LIT("{\"\\u0000\":1}"), LIT("{\"a\\u0000\":1}"),
    LIT("{\"ok\": 1, \"a\\u0000b\" : 2}"), LIT("{\"a\": \"x\\u0000y\"}"), LIT("{\"a\\\\u0000\": 1}"),
    LIT("[\"\\u0000\", {\"k\": 1}]"), LIT("\"\\x41\""), LIT("\"\\a\""), LIT("\"\\'\""), LIT("\"\\/\""),
    LIT("\"\\b\\f\\n\\r\\t\\\"\\\\\""), LIT("\"\\u00\""), LIT("\"\\u00G0\""), LIT("\"\\U0041\""), LIT("\"\\u+041\""),
    LIT("\"tab\there\""), LIT("\"nl\nhere\""), LIT("\"\x01\""), LIT("\"\x1f\""), LIT("\"\x7f\""), LIT("'single'"),
    LIT("{'a': 1}"), LIT("[\"a', 'b\"]"), LIT("\"unterminated"), LIT("\"\\"), LIT("\"\\\""), LIT("[\"a\\"),
    LIT("\"a\x00b\""), LIT("{\"a\x00\": 1}"), LIT("\"caf\xc3\xa9\""), LIT("\"\xff\""), LIT("\"\xc3\""),
    LIT("\"\xc3\x28\""), LIT("\"\xc0\xaf\""), LIT("\"\xed\xa0\x80\""), LIT("\"\xf4\x90\x80\x80\""),
    LIT("\"\xef\xbf\xbf\""), LIT("\"\xf0\x9f\x98\x80\""), LIT("\"\xe2\x82\""), LIT("{\"k\x80\": 1}"),
    LIT("[\"0123456789abcdef\xe9t\xe9\"]"), LIT("[1]\xc3\xa9"), LIT("\xef\xbb\xbf[1]"), LIT("[\xc3\xa9]"),
    LIT("[\"ok\", \"\xC3\x28\"]"), LIT("[\"\xff\", x]"), LIT("[\"\xff\"] x"), LIT("[\"\xff\", 99999999999999999999]"),
    LIT("[99999999999999999999, \"\xff\"]"), LIT("{\"a\\u0000\": \"\xff\"}"), LIT("[\"\xff\", {\"a\\u0000\": 1}]"),
    /* containers */
    LIT("[]"), LIT("{}"), LIT("[[]]"), LIT("[{}]"), LIT("{\"a\":[]}"), LIT("{\"a\":{}}"), LIT("[1,]"), LIT("[,1]"),
    LIT("{\"a\":1,}"), LIT("{,}"), LIT("{\"a\"}"), LIT("{\"a\":}"), LIT("{1:2}"), LIT("{\"a\" 1}"), LIT("[1 2]"),
    LIT("[1,,2]"), LIT("{\"a\":1 \"b\":2}"), LIT("["), LIT("]"), LIT("{"), LIT("}"), LIT("[}"), LIT("{]"),
    LIT("{\"a\":1}}"), LIT("[1]]"), LIT("{\"a\": [1, 2"), LIT("{\"a\""), LIT("{\"a\":"), LIT("[1,"), LIT("{\"a\" : 1 ,"),
    LIT("{'a': 'b'}"), LIT("{\"a\": 'b'}"), LIT("{'a\"b': 1}"), LIT("{'a\\'b': 1}"), LIT("{'a':1,'a':2}"),
    LIT("{null: 1}"), LIT("{a: 1}"), LIT(":"), LIT(","),
    /* duplicate keys: the last value wins, at the first one's place */
    LIT("{\"a\":1,\"a\":2}"), LIT("{\"a\":1,\"b\":2,\"a\":3}"), LIT("{\"a\":{\"x\":1},\"a\":[2]}"), LIT("{\"\":1,\"\":2}"),
    LIT("{\"a\":1,\"a\":null}"), LIT("{\"a\":null,\"a\":1}"),
    /* whitespace and what follows the document */
    LIT(" 1 "), LIT("\t[1]\n"), LIT("\r\n{}\r\n"), LIT("[1]\v"), LIT("[1]\f"), LIT("\v[1]"), LIT("\f[1]"),
    LIT("[ 1 , 2 ]"), LIT("{ \"a\" : 1 }"), LIT("[1\v]"), LIT("[1\f, 2]"), LIT("[1]\x00"), LIT("[1]\x00x"),
    LIT("\x00[1]"), LIT("1\x00"), LIT("[1] x"), LIT("[1][2]"), LIT("{} {}"), LIT("1 2"), LIT("\"a\" \"b\""),
    LIT("true false"), LIT("[1]x"), LIT("1x"), LIT("nullx"), LIT("[1]/"), LIT("[1]//c"), LIT("/*c*/[1]"),
    LIT("[1]#"), LIT("[1] \n\t\r "), LIT("1 "), LIT("1\n"), LIT("-1 "), LIT("1.5 x"), LIT("1.5\x00"),
    LIT(""), LIT(" "), LIT("\n"), LIT("\x00"),
    /* envelopes as Odoo writes them */
    LIT("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": [{\"id\": 7, \"name\": \"A\", \"credit\": 12.50, \"x\": false}]}"),
    LIT("{\"jsonrpc\": \"2.0\", \"id\": null, \"error\": {\"code\": 200, \"message\": \"Odoo Server Error\", "
        "\"data\": {\"name\": \"odoo.exceptions.AccessError\", \"debug\": \"Traceback\\n  File \\\"x\\\"\", "
        "\"message\": \"No\", \"arguments\": [\"No\"], \"context\": {}}}}"),
};

/* Arrays, objects or both, depth levels around a 1, then tail. */
static char *nested(size_t depth, int kind, const char *tail, size_t *len)
{
    size_t cap = depth * 8 + strlen(tail) + 8, n = 0;
    char *b = malloc(cap);
    cr_assert_not_null(b);
    for (size_t i = 0; i < depth; i++) {
        int obj = kind == 1 || (kind == 2 && i % 2);
        memcpy(b + n, obj ? "{\"a\":" : "[", obj ? 5 : 1);
        n += obj ? 5 : 1;
    }
    b[n++] = '1';
    for (size_t i = depth; i-- > 0;)
        b[n++] = kind == 1 || (kind == 2 && i % 2) ? '}' : ']';
    memcpy(b + n, tail, strlen(tail));
    n += strlen(tail);
    *len = n;
    return b;
}

Test(json_dom_equiv, edge_cases)
{
    for (size_t i = 0; i < sizeof(edge) / sizeof(*edge); i++)
        same("edge", edge[i].s, edge[i].n);
    static const size_t depths[] = { 1, 2, 127, 128, 129, 130, 200 };
    static const char *const tails[] = { "", " ", "x", ",", "]" };
    for (size_t d = 0; d < sizeof(depths) / sizeof(*depths); d++)
        for (int kind = 0; kind < 3; kind++)
            for (size_t t = 0; t < sizeof(tails) / sizeof(*tails); t++) {
                size_t n;
                char *b = nested(depths[d], kind, tails[t], &n);
                same("nested", b, n);
                /* cut in the middle: deep, then the end of data */
                same("nested, cut", b, n / 2);
                free(b);
            }
    summary("edge");
    cr_assert_eq(n_diverged, 0, "%zu of %zu cases differ (see the log)", n_diverged, n_cases);
}

/* Every body of every fixture (both directions, all protocols). */
static size_t each_fixture_body(void (*fn)(const char *name, const char *body))
{
    size_t bodies = 0;
    static const char *const versions[] = { "odoo18", "odoo19" };
    for (size_t v = 0; v < 2; v++) {
        char dir[1024];
        snprintf(dir, sizeof(dir), "%s/%s", ODOO_FIXTURES_DIR, versions[v]);
        DIR *d = opendir(dir);
        cr_assert_not_null(d, "%s", dir);
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char folder[512];
            snprintf(folder, sizeof(folder), "%s/%s", versions[v], e->d_name);
            char **names;
            size_t n = fixture_list(folder, &names);
            for (size_t i = 0; i < n; i++) {
                char rel[1024];
                snprintf(rel, sizeof(rel), "%s/%s", folder, names[i]);
                json_object *fx = fixture_load(rel);
                const char *parts[] = { "request", "response" };
                for (size_t p = 0; p < 2; p++) {
                    const char *body = fixture_str(fx, parts[p], "body");
                    if (body) {
                        char name[1100];
                        snprintf(name, sizeof(name), "%s %s", rel, parts[p]);
                        fn(name, body);
                        bodies++;
                    }
                }
                json_object_put(fx);
            }
            fixture_list_free(names, n);
        }
        closedir(d);
    }
    return bodies;
}

static void fixture_same(const char *name, const char *body)
{
    same(name, body, strlen(body));
}

Test(json_dom_equiv, every_fixture_body)
{
    size_t bodies = each_fixture_body(fixture_same);
    summary("fixtures");
    cr_assert_gt(bodies, 700);
    cr_assert_gt(n_accepted, 300);
    cr_assert_eq(n_diverged, 0, "%zu of %zu bodies differ (see the log)", n_diverged, n_cases);
}

/* ---- seeded mutations ---- */

static uint64_t rng = 12;
static unsigned next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng >> 11);
}

/* One to three edits of text: a byte replaced, inserted or removed, a
 * span repeated, the end cut. The bytes come from JSON's own. */
static size_t mutate(char *out, size_t cap, const char *text, size_t len)
{
    static const char alphabet[] = "{}[]\":,0123456789-+.eE \\u\ntfnalsruNIyi\x00\xc3\xa9\xff\x80'/\v";
    size_t n = len < cap ? len : cap;
    memcpy(out, text, n);
    for (unsigned k = 0, edits = 1 + next_rand() % 3; k < edits; k++) {
        size_t at = n ? next_rand() % n : 0;
        char c = alphabet[next_rand() % (sizeof(alphabet) - 1)];
        switch (next_rand() % 5) {
        case 0:
            if (n)
                out[at] = c;
            break;
        case 1:
            if (n < cap) {
                memmove(out + at + 1, out + at, n - at);
                out[at] = c;
                n++;
            }
            break;
        case 2:
            if (n) {
                memmove(out + at, out + at + 1, n - at - 1);
                n--;
            }
            break;
        case 3: {
            size_t span = n - at < 8 ? n - at : 1 + next_rand() % 8;
            if (n + span <= cap) {
                memmove(out + at + span, out + at, n - at);
                n += span;
            }
            break;
        }
        default:
            n = at;
        }
    }
    return n;
}

static size_t mutated_diverged;
static void mutants_of(const char *name, const char *text, size_t len, unsigned count)
{
    char buf[4096];
    for (unsigned i = 0; i < count && len < sizeof(buf) / 2; i++) {
        size_t n = mutate(buf, sizeof(buf), text, len);
        mutated_diverged += same(name, buf, n);
    }
}

static void fixture_mutants(const char *name, const char *body)
{
    mutants_of(name, body, strlen(body), 40);
}

Test(json_dom_equiv, mutants)
{
    for (size_t i = 0; i < sizeof(edge) / sizeof(*edge); i++)
        mutants_of("edge mutant", edge[i].s, edge[i].n, 300);
    each_fixture_body(fixture_mutants);
    summary("mutants");
    cr_assert_gt(n_accepted, 1000);
    cr_assert_eq(n_diverged, 0, "%zu of %zu mutants differ (see the log)", n_diverged, n_cases);
}
