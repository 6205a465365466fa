/* odoo__json_parse builds its json-c values through the incremental
 * decoder (jstream.h, jstream_dom.c) since issue 12; before, it ran
 * json_tokener in strict mode and then its own checks. That earlier
 * implementation (value.c as of 4fc5743) is kept, unchanged but for a
 * fresh tokener per call, as the oracle (tests/support/json_oracle.c,
 * which also recognises the differences allowed): over every recorded body
 * of tests/fixtures (requests and answers, JSON or not), a corpus of
 * edge cases, and seeded mutations of both, the new path must give the
 * same value (the same types, members in the same order, and the same
 * printed text: a double prints with the text it was read from) or fail
 * the same way (syntax error or refusal; the same refusal at the same
 * byte). Three differences are allowed, and counted: json-c's key in
 * single quotes is refused, of two faults the first in the text is
 * named (the oracle ran its checks one after the other), and an escaped
 * surrogate pair json-c 0.16 turns into U+FFFD gives its character. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "fixtures.h"
#include "json_oracle.h"

/* ---- the comparison (the oracle: tests/support/json_oracle.c) ---- */

static size_t n_cases, n_accepted, n_syntax, n_refused, n_offset_differs, n_earlier, n_single_quoted, n_pairs,
    n_diverged;

/* One text through both. Returns 0 when they agree. */
static int same(const char *what, const char *text, size_t len)
{
    json_oracle_result want, got;
    static char detail[16384];
    json_oracle_reference(&want, text, len);
    json_oracle_library(&got, text, len);
    json_oracle_verdict v = json_oracle_compare(text, len, &want, &got, detail, sizeof(detail));
    n_cases++;
    if (want.rc == got.rc) {
        if (want.rc == 0) {
            n_accepted++;
        } else if (want.rc == 1) {
            n_refused++;
        } else {
            n_syntax++;
            n_offset_differs += json_oracle_at_byte(want.why) != json_oracle_at_byte(got.why);
        }
    }
    n_earlier += v == JSON_ORACLE_EARLIER_FAULT;
    n_single_quoted += v == JSON_ORACLE_SINGLE_QUOTED;
    n_pairs += v == JSON_ORACLE_SURROGATE_PAIR;
    int bad = v == JSON_ORACLE_DIFFER;
    if (bad)
        cr_log_error("%s: %s: %s", what, detail, json_oracle_shown(text, len));
    json_oracle_result_free(&want);
    json_oracle_result_free(&got);
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
