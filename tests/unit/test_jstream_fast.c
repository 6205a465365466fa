/* The fast paths of the JSON decoder (core/jstream.c) and of the row
 * cursor (core/cursor.c), split at every byte:
 *  - a string's scan (16 or 8 bytes at a time): an escape, a UTF-8
 *    character, an invalid byte, a control byte or a NUL at every offset
 *    across the word boundaries, as a value and as a key, decodes to the
 *    expected bytes or is refused at the expected byte;
 *  - words decoded where they lie (integers up to 18 digits, decimals up
 *    to 19, true/false/null) give the general path's values (strtod's),
 *    and so do random decimals of 16 to 19 digits, many a hair from
 *    halfway between two doubles;
 *  - the cursor's views of its window: a record cut by a feed at every
 *    byte reads as the record fed whole, the caller's buffer scribbled
 *    over after each feed, every string view NUL-terminated;
 *  - the cursor's record reader (record_flat): the records it takes read
 *    as event by event, every record it leaves goes to the events whole
 *    and reads the same, and a broken record is refused with the same
 *    message whether the reader saw it whole or not. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include <odoo/sys/buf.h>

#include "core/cursor_internal.h"
#include "core/jstream.h"

/* A document's first key (key) or first scalar through the decoder, fed
 * as two windows split at cut (cut >= len: one), or a byte at a time
 * (cut == (size_t)-1); or its refusal. */
typedef struct outcome {
    odoo__js_event ev;  /* the scalar's event, or ODOO_JS_ERROR */
    char str[256];
    size_t len;
    int64_t i;
    double d;
    size_t err_off;
    int refused;
} outcome;

static outcome decode(const char *text, size_t len, size_t cut, int key)
{
    outcome o;
    memset(&o, 0, sizeof(o));
    odoo__jstream js;
    odoo__js_init(&js, NULL);
    char *win = NULL; /* each window a fresh copy, freed at MORE: the decoder keeps nothing of it */
    size_t at = 0;
    int got = 0;
    for (;;) {
        odoo__js_event ev = odoo__js_next(&js);
        if (ev == ODOO_JS_MORE) {
            if (at == len) {
                odoo__js_finish(&js);
                continue;
            }
            size_t n = cut == (size_t)-1 ? 1 : at < cut && cut < len ? cut - at : len - at;
            free(win);
            win = malloc(n);
            cr_assert(win);
            memcpy(win, text + at, n);
            odoo__js_feed(&js, win, n);
            at += n;
            continue;
        }
        if (ev == ODOO_JS_ERROR) {
            o.ev = ODOO_JS_ERROR;
            o.err_off = js.err_off;
            o.refused = js.refused;
            cr_assert(strstr(js.why, "byte "), "%s", js.why);
            break;
        }
        if (ev == ODOO_JS_END)
            break;
        if (got || !(key ? ev == ODOO_JS_KEY : ev >= ODOO_JS_KEY && ev != ODOO_JS_KEY))
            continue;
        got = 1;
        o.ev = ev == ODOO_JS_KEY ? ODOO_JS_STRING : ev;
        o.len = js.tok.len < sizeof(o.str) ? js.tok.len : sizeof(o.str);
        if (ev == ODOO_JS_KEY || ev == ODOO_JS_STRING || ev == ODOO_JS_INT || ev == ODOO_JS_DOUBLE)
            memcpy(o.str, js.tok.str, o.len);
        o.i = js.tok.i;
        o.d = js.tok.d;
    }
    if (o.ev != ODOO_JS_ERROR)
        cr_assert(got, "no %s in %.*s", key ? "key" : "scalar", (int)len, text);
    free(win);
    odoo__js_free(&js);
    return o;
}

/* A piece of a string as sent, what it decodes to, and whether it is
 * refused (1: as a value and a key; 2: as a key only) at its first byte. */
typedef struct piece {
    const char *raw, *decoded;
    size_t rawlen, declen;
    int refused;
} piece;

#define P(r, d, x) { r, d, sizeof(r) - 1, sizeof(d) - 1, x }
static const piece pieces[] = {
    P("\\\"", "\"", 0),
    P("\\\\", "\\", 0),
    P("\\/\\b\\f\\n\\r\\t", "/\b\f\n\r\t", 0),
    P("\\u00e9", "\xc3\xa9", 0),
    P("\\ud83d\\ude00", "\xf0\x9f\x98\x80", 0),
    P("\\ud83dx", "\xef\xbf\xbdx", 0), /* a lone high surrogate: U+FFFD, as json-c */
    P("\xc3\xa9", "\xc3\xa9", 0),
    P("\xe2\x80\x94", "\xe2\x80\x94", 0),
    P("\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac", 0),
    P("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80", 0),
    P("\x01\x1f\x7f\t", "\x01\x1f\x7f\t", 0), /* control bytes other than NUL pass, as with json-c */
    P("\xc3x", "", 1),                        /* a lead byte without its continuation */
    P("\x80", "", 1),
    P("\xff", "", 1),
    P("\xe0\x80\x80", "", 1),     /* overlong */
    P("\xed\xa0\x80", "", 1),     /* a surrogate in UTF-8 */
    P("\xf4\x90\x80\x80", "", 1), /* beyond U+10FFFF */
    P("\0", "", 1),               /* NUL */
    P("\\u0000", "\0", 2),        /* NUL by escape: a value may hold it, a key not */
};

Test(jstream_fast, every_piece_at_every_offset_split_at_every_byte)
{
    for (size_t k = 0; k < sizeof(pieces) / sizeof(*pieces); k++) {
        const piece *pc = &pieces[k];
        for (size_t pre = 0; pre <= 34; pre++) {
            for (int key = 0; key < 2; key++) {
                char doc[128], want[128];
                size_t n = 0, w = 0;
                const char *open = key ? "{\"" : "[\"";
                memcpy(doc, open, 2), n = 2;
                memset(doc + n, 'a', pre), n += pre;
                memset(want, 'a', pre), w = pre;
                size_t at = n; /* the piece's offset in the document */
                memcpy(doc + n, pc->raw, pc->rawlen), n += pc->rawlen;
                memcpy(want + w, pc->decoded, pc->declen), w += pc->declen;
                memcpy(doc + n, "bcdefghijklmnopq", 16), n += 16; /* a full word after it */
                memcpy(want + w, "bcdefghijklmnopq", 16), w += 16;
                const char *close = key ? "\": 1}" : "\"]";
                memcpy(doc + n, close, strlen(close)), n += strlen(close);
                int refused = pc->refused == 1 || (pc->refused == 2 && key);
                for (size_t cut = 0; cut <= n + 1; cut++) {
                    outcome o = decode(doc, n, cut == n + 1 ? (size_t)-1 : cut, key);
                    if (refused) {
                        cr_assert_eq(o.ev, ODOO_JS_ERROR, "piece %zu at %zu (key %d, cut %zu) taken", k, pre, key, cut);
                        cr_assert_eq(o.err_off, at, "piece %zu at %zu (key %d, cut %zu): refused at %zu", k, pre, key,
                                     cut, o.err_off);
                        cr_assert_eq(o.refused, pc->raw[0] != '\0', "piece %zu: a NUL byte is a syntax error", k);
                    } else {
                        cr_assert_eq(o.ev, ODOO_JS_STRING, "piece %zu at %zu (key %d, cut %zu) refused", k, pre, key,
                                     cut);
                        cr_assert(o.len == w && memcmp(o.str, want, w) == 0,
                                  "piece %zu at %zu (key %d, cut %zu): %.*s", k, pre, key, cut, (int)o.len, o.str);
                    }
                }
            }
        }
    }
}

Test(jstream_fast, an_unterminated_string_at_every_length_is_cut_not_taken)
{
    char doc[64] = "[\"";
    for (size_t n = 0; n < 40; n++) {
        doc[2 + n] = n % 5 == 4 ? '\\' : 'x';
        for (size_t cut = 0; cut <= n + 3; cut++) {
            outcome o = decode(doc, n + 3, cut, 0);
            cr_assert_eq(o.ev, ODOO_JS_ERROR, "length %zu cut %zu", n, cut);
            cr_assert_eq(o.refused, 0);
        }
    }
}

static double c_strtod(const char *s, size_t n)
{
    char t[64];
    memcpy(t, s, n);
    t[n] = '\0';
    locale_t l = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    double d = strtod_l(t, NULL, l);
    freelocale(l);
    return d;
}

Test(jstream_fast, words_where_they_lie_decode_as_the_general_path)
{
    /* text, then 'i' int (value in i), 'd' double (strtod's), 'e' refused, 't' 'f' 'n' literals */
    static const struct {
        const char *text;
        char kind;
        int64_t i;
    } words[] = {
        { "0", 'i', 0 },
        { "-0", 'i', 0 },
        { "00", 'i', 0 },
        { "01", 'e', 0 },
        { "-01", 'i', -1 },
        { "7", 'i', 7 },
        { "-42", 'i', -42 },
        { "123456789012345678", 'i', 123456789012345678 },
        { "-123456789012345678", 'i', -123456789012345678 },
        { "1234567890123456789", 'i', 1234567890123456789 },
        { "9223372036854775807", 'i', INT64_MAX },
        { "-9223372036854775808", 'i', INT64_MIN },
        { "9223372036854775808", 'e', 0 },
        { "-9223372036854775809", 'e', 0 },
        { "0.5", 'd', 0 },
        { "-0.0", 'd', 0 },
        { "1.", 'd', 0 },
        { "01.5", 'd', 0 },
        { "12345.67", 'd', 0 },
        { "-98765.43", 'd', 0 },
        { "123456789012345.6", 'd', 0 },  /* 16 digits: the general path */
        { "12345678901234.56", 'd', 0 },  /* 16 */
        { "1234567890123.45", 'd', 0 },   /* 15: where it lies */
        { "0.000000000000001", 'd', 0 },
        { "9.989478300000002", 'd', 0 },   /* 16 to 19 digits: Python's repr, odoo__js_wide_scale */
        { "-9.953302199999996", 'd', 0 },
        { "123456789012345678.9", 'd', 0 },
        { "1234567890123456789.5", 'd', 0 }, /* 19 before the point: the general path */
        { "0.30000000000000004", 'd', 0 },
        { "1.7976931348623157e308", 'd', 0 },
        { "2.2250738585072014e-308", 'd', 0 },
        { "4.9406564584124654e-324", 'd', 0 },
        { "9007199254740993.0", 'd', 0 },  /* 2^53 + 1: halfway between two doubles */
        { "0.1234567890123456789", 'd', 0 },
        { "1.5e3", 'd', 0 },
        { "-2E-2", 'd', 0 },
        { "1.2.3", 'e', 0 },
        { "-", 'e', 0 },
        { "--1", 'e', 0 },
        { "+1", 'e', 0 },
        { ".5", 'e', 0 },
        { "1x", 'e', 0 },
        { "true", 't', 0 },
        { "false", 'f', 0 },
        { "null", 'n', 0 },
        { "tru", 'e', 0 },
        { "truex", 'e', 0 },
        { "nul", 'e', 0 },
        { "fals", 'e', 0 },
        { "falsee", 'e', 0 },
        { "NaN", 'd', 0 },
    };
    static const char *const shapes[][2] = { { "", "" }, { "[", "]" }, { "[", " ]" }, { "{\"k\":", "}" },
                                             { "[", ",\"z\"]" }, { "{\"k\": ", ", \"j\": 2}" } };
    for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++) {
        for (size_t s = 0; s < sizeof(shapes) / sizeof(*shapes); s++) {
            char doc[96];
            int n = snprintf(doc, sizeof(doc), "%s%s%s", shapes[s][0], words[k].text, shapes[s][1]);
            size_t wl = strlen(words[k].text);
            for (size_t cut = 0; cut <= (size_t)n + 1; cut++) {
                outcome o = decode(doc, (size_t)n, cut == (size_t)n + 1 ? (size_t)-1 : cut, 0);
                switch (words[k].kind) {
                case 'e': cr_assert_eq(o.ev, ODOO_JS_ERROR, "%s (cut %zu) taken", doc, cut); break;
                case 'i':
                    cr_assert_eq(o.ev, ODOO_JS_INT, "%s (cut %zu)", doc, cut);
                    cr_assert_eq(o.i, words[k].i, "%s (cut %zu): %lld", doc, cut, (long long)o.i);
                    break;
                case 'd': {
                    cr_assert_eq(o.ev, ODOO_JS_DOUBLE, "%s (cut %zu)", doc, cut);
                    double want = c_strtod(words[k].text, wl);
                    cr_assert(memcmp(&o.d, &want, sizeof(double)) == 0 || (o.d != o.d && want != want),
                              "%s (cut %zu): %.17g, strtod %.17g", doc, cut, o.d, want);
                    cr_assert(o.len == wl && memcmp(o.str, words[k].text, wl) == 0, "%s: the text as sent", doc);
                    break;
                }
                case 't': cr_assert_eq(o.ev, ODOO_JS_TRUE, "%s (cut %zu)", doc, cut); break;
                case 'f': cr_assert_eq(o.ev, ODOO_JS_FALSE, "%s (cut %zu)", doc, cut); break;
                default: cr_assert_eq(o.ev, ODOO_JS_NULL, "%s (cut %zu)", doc, cut); break;
                }
            }
        }
    }
}

/* One number as a document, whole in one window (the fast path where
 * it lies) or cut after its first byte (the general path): its double. */
static double decode_number(const char *text, size_t cut)
{
    outcome o = decode(text, strlen(text), cut, 0);
    cr_assert_eq(o.ev, ODOO_JS_DOUBLE, "%s (cut %zu)", text, cut);
    return o.d;
}

Test(jstream_fast, wide_decimals_round_as_strtod)
{
    unsigned long long r = 0x9E3779B97F4A7C15ull;
    size_t checked = 0;
    for (int k = 0; k < 60000; k++) {
        char text[64];
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        if (k % 2) {
            /* a decimal of 16 to 19 digits, the point anywhere in it, an
             * exponent or none */
            unsigned digits = 16 + (unsigned)(r >> 60) % 4, point = 1 + (unsigned)(r >> 50) % (digits - 1);
            char m[24];
            unsigned long long x = r;
            for (unsigned i = 0; i < digits; i++, x = x * 6364136223846793005ull + 1)
                m[i] = (char)('0' + (i == 0 ? 1 + (x >> 59) % 9 : (x >> 59) % 10));
            int e = (int)((r >> 20) % 61) - 30;
            int n = snprintf(text, sizeof(text), "%s%.*s.%.*s", (r >> 19) & 1 ? "-" : "", (int)point, m,
                             (int)(digits - point), m + point);
            if ((r >> 18) & 1)
                snprintf(text + n, sizeof(text) - (size_t)n, "e%d", e);
        } else {
            /* 19 digits a hair from the midpoint of two neighbouring
             * doubles: where rounding twice would go wrong */
            double d = (double)(r >> 11) / 9007199254740992.0 * 1e6 + 1, up;
            uint64_t bits;
            memcpy(&bits, &d, sizeof(bits));
            bits++; /* the next double up (d > 0) */
            memcpy(&up, &bits, sizeof(up));
            long double mid = ((long double)d + (long double)up) / 2;
            snprintf(text, sizeof(text), "%.18Le", mid);
        }
        double want = c_strtod(text, strlen(text));
        for (size_t cut = 1; cut <= strlen(text); cut += strlen(text) - 1) {
            double got = decode_number(text, cut);
            cr_assert(memcmp(&got, &want, sizeof(double)) == 0, "%s (cut %zu): %.17g, strtod %.17g", text, cut, got,
                      want);
            checked++;
        }
    }
    cr_assert_eq(checked, 120000);
}

/* Every field of every record, printed: accessors and odoo_cursor_record;
 * each string view ends with a NUL. */
static void print_rows(const char *body, size_t len, size_t cut, odoo_buf *out, size_t *flat)
{
    odoo_cursor *c = odoo_cursor_new(NULL);
    cr_assert(c);
    size_t at = 0;
    int rc;
    char *mine = malloc(len + 1);
    cr_assert(mine);
    while ((rc = odoo_cursor_next(c, NULL)) == ODOO_CURSOR_MORE || rc == ODOO_CURSOR_ROW) {
        if (rc == ODOO_CURSOR_MORE) {
            if (at == len) {
                odoo_cursor_finish(c);
                continue;
            }
            size_t n = cut == (size_t)-1 ? 1 : at < cut && cut < len ? cut - at : len - at;
            memcpy(mine, body + at, n);
            cr_assert_eq(odoo_cursor_feed(c, mine, n), 0);
            memset(mine, '#', n); /* the cursor copied them */
            at += n;
            continue;
        }
        for (size_t i = 0; i < odoo_cursor_field_count(c); i++) {
            const char *s;
            size_t sl;
            int64_t v;
            double d;
            const int64_t *ids;
            char line[96];
            switch (odoo_cursor_type(c, (long)i)) {
            case ODOO_FIELD_TYPE_STRING:
                cr_assert_eq(odoo_cursor_string(c, (long)i, &s, &sl), ODOO_FIELD_OK);
                cr_assert_eq(s[sl], '\0', "a string view ends with a NUL");
                odoo_buf_append(out, s, sl);
                break;
            case ODOO_FIELD_TYPE_MANY2ONE:
                cr_assert_eq(odoo_cursor_many2one(c, (long)i, &v, &s, &sl), ODOO_FIELD_OK);
                cr_assert_eq(s[sl], '\0', "a name view ends with a NUL");
                snprintf(line, sizeof(line), "%lld:", (long long)v);
                odoo_buf_append(out, line, strlen(line));
                odoo_buf_append(out, s, sl);
                break;
            case ODOO_FIELD_TYPE_IDS:
                cr_assert_eq(odoo_cursor_ids(c, (long)i, &ids, &sl), ODOO_FIELD_OK);
                for (size_t j = 0; j < sl; j++) {
                    snprintf(line, sizeof(line), "%lld,", (long long)ids[j]);
                    odoo_buf_append(out, line, strlen(line));
                }
                break;
            case ODOO_FIELD_TYPE_DOUBLE:
                cr_assert_eq(odoo_cursor_double(c, (long)i, &d), ODOO_FIELD_OK);
                snprintf(line, sizeof(line), "%.17g", d);
                odoo_buf_append(out, line, strlen(line));
                break;
            default:
                snprintf(line, sizeof(line), "type %d", (int)odoo_cursor_type(c, (long)i));
                odoo_buf_append(out, line, strlen(line));
                break;
            }
            odoo_buf_append(out, "|", 1);
        }
        json_object *rec = odoo_cursor_record(c);
        cr_assert(rec);
        const char *js = json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN);
        odoo_buf_append(out, js, strlen(js));
        odoo_buf_append(out, "\n", 1);
        json_object_put(rec);
    }
    cr_assert_eq(rc, ODOO_CURSOR_DONE, "cut %zu: %d", cut, rc);
    if (flat)
        *flat = odoo__cursor_flat_records(c);
    free(mine);
    odoo_cursor_free(c);
}

Test(jstream_fast, a_record_cut_by_a_feed_at_every_byte_reads_as_whole)
{
    static const char body[] =
        "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": ["
        "{\"id\": 1, \"name\": \"Partner 1 \xc3\x9cn\xc3\xaf \xe2\x80\x94 \xe6\x97\xa5 & <co>\", \"email\": false, "
        "\"credit_limit\": 12345.67, \"country_id\": [233, \"United States\"], \"category_id\": [3, 4], "
        "\"note\": \"tab\\there \\\"quoted\\\" \\u00e9\\ud83d\\ude00\"}, "
        "{\"id\": 2, \"name\": \"a string longer than sixteen bytes, twice over\", \"email\": \"p2@example.com\", "
        "\"credit_limit\": 1e3, \"country_id\": false, \"category_id\": [], \"note\": {\"x\": [1, \"y\"]}}, "
        "{\"name\": \"other order\", \"id\": 3, \"email\": null, \"credit_limit\": -0.5, "
        "\"country_id\": [20, \"Belgium\", 1], \"category_id\": [7], \"note\": \"\"}"
        "]}";
    size_t len = sizeof(body) - 1;
    odoo_buf whole = ODOO_BUF_INIT;
    print_rows(body, len, len, &whole, NULL);
    cr_assert(whole.len > 0 && strstr(whole.data, "Partner 1") && strstr(whole.data, "other order"));
    for (size_t cut = 0; cut <= len + 1; cut++) {
        odoo_buf got = ODOO_BUF_INIT;
        print_rows(body, len, cut == len + 1 ? (size_t)-1 : cut, &got, NULL);
        cr_assert(got.len == whole.len && memcmp(got.data, whole.data, whole.len) == 0, "cut %zu:\n%s\nwhole:\n%s", cut,
                  got.data, whole.data);
        odoo_buf_free(&got);
    }
    odoo_buf_free(&whole);
}

/* Records as Odoo writes them: the record reader takes them whole. */
#define FLAT_RECORDS                                                                                                  \
    "{\"id\": 1, \"name\": \"\xc3\x9cn\xc3\xaf\x63\xc3\xb6\x64\xc3\xa9 \xe2\x80\x94 \xe6\x97\xa5\xe6\x9c\xac\", "    \
    "\"email\": false, \"is_company\": true, \"credit_limit\": 12345.67, \"partner_latitude\": 9.989478300000002, "  \
    "\"country_id\": [233, \"United States\"], \"category_id\": [3, 4], \"ref\": null, \"child_ids\": [], "         \
    "\"x\": -42}, "                                                                                                    \
    "{\"id\":2,\"name\":\"B\",\"email\":\"b@example.com\",\"is_company\":false,\"credit_limit\":-0.5,"              \
    "\"partner_latitude\":0.0,\"country_id\":false,\"category_id\":[7],\"ref\":\"R\",\"child_ids\":[1,2,3],"        \
    "\"x\":0}, "                                                                                                       \
    "{\n\t\"id\" :\r\n 3 ,\n\t\"name\" : \"a string longer than sixteen bytes, twice over\" , \"email\":false,"     \
    "\"is_company\":true,\"credit_limit\":1.5,\"partner_latitude\":-45.123456789012345,\"country_id\":[ 20 , "     \
    "\"Belgium\" ],\"category_id\":[ ],\"ref\":\"\",\"child_ids\":[ 9 ],\"x\":123456789012345678\n}, "             \
    "{\"name\": \"other order\", \"id\": 4, \"x\": 1}, "                                                              \
    "{\"id\": 5, \"name\": \"one more\", \"email\": false, \"is_company\": false, \"credit_limit\": 0.0, "            \
    "\"partner_latitude\": 0.0, \"country_id\": false, \"category_id\": [], \"ref\": null, \"child_ids\": [], "     \
    "\"x\": 5, \"extra\": true}, "                                                                                       \
    "{\"id\": 18, \"id\": 19}" /* a key twice: both kept, as the events keep them */
#define FLAT_COUNT 6
/* Records it leaves to the events, each for one reason. */
#define EVENT_RECORDS                                                                                                 \
    "{\"id\": 6, \"name\": \"an \\\"escape\\\"\"}, "                                                                   \
    "{\"id\": 7, \"na\\u006de\": \"an escaped key\"}, "                                                               \
    "{\"id\": 8, \"note\": {\"x\": [1, \"y\"]}}, "                                                                     \
    "{}, "                                                                                                             \
    "{\"id\": 9, \"country_id\": [20, \"Belgium\", 1]}, "                                                             \
    "{\"id\": 10, \"v\": [\"a\", 1]}, "                                                                               \
    "{\"id\": 11, \"v\": [1, 2, \"x\"]}, "                                                                            \
    "{\"id\": 1234567890123456789}, "                                                                                 \
    "{\"id\": 12, \"v\": 1e5}, "                                                                                      \
    "{\"id\": 13, \"v\": 0.12345678901234567890}, "                                                                   \
    "{\"id\": 14, \"v\": NaN}, "                                                                                      \
    "{\"id\": 15, \"v\": [[1]]}, "                                                                                    \
    "{\"id\": 16, \"v\": [1.5]}, "                                                                                    \
    "{\"id\": 17, \"v\": [1, {\"k\": 2}]}"

Test(jstream_fast, flat_records_read_in_one_pass_as_event_by_event)
{
    static const char *const bodies[] = {
        "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": [" FLAT_RECORDS ", " EVENT_RECORDS "]}",
        "[" EVENT_RECORDS ", " FLAT_RECORDS "]", /* JSON-2; the first record not the reader's */
    };
    for (size_t b = 0; b < sizeof(bodies) / sizeof(*bodies); b++) {
        size_t len = strlen(bodies[b]), flat = 0;
        odoo_buf whole = ODOO_BUF_INIT;
        print_rows(bodies[b], len, len, &whole, &flat);
        cr_assert_eq(flat, FLAT_COUNT, "body %zu: %zu records read in one pass", b, flat);
        cr_assert(strstr(whole.data, "other order") && strstr(whole.data, "an escaped key") &&
                  strstr(whole.data, "\"partner_latitude\":9.989478300000002") &&
                      strstr(whole.data, "\"country_id\":[233,\"United States\"]"),
                  "%s", whole.data);
        for (size_t cut = 0; cut <= len + 1; cut++) {
            odoo_buf got = ODOO_BUF_INIT;
            print_rows(bodies[b], len, cut == len + 1 ? (size_t)-1 : cut, &got, &flat);
            cr_assert(got.len == whole.len && memcmp(got.data, whole.data, whole.len) == 0,
                      "body %zu, cut %zu:\n%s\nwhole:\n%s", b, cut, got.data, whole.data);
            if (cut == len + 1)
                cr_assert_eq(flat, 0, "a byte at a time: no record lies whole in a window");
            odoo_buf_free(&got);
        }
        odoo_buf_free(&whole);
    }
}

/* The records of body through a cursor (max_string: its limit), fed
 * whole or a byte at a time: the kind it ended with, its message. */
static int refusal(const char *body, size_t max_string, int bytewise, char *why, size_t whylen, size_t *rows)
{
    odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
    o.max_string = max_string;
    odoo_cursor *c = odoo_cursor_new(&o);
    cr_assert(c);
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    size_t len = strlen(body), at = 0;
    int rc;
    while ((rc = odoo_cursor_next(c, &err)) == ODOO_CURSOR_MORE || rc == ODOO_CURSOR_ROW) {
        if (rc == ODOO_CURSOR_ROW)
            continue;
        if (at == len) {
            odoo_cursor_finish(c);
            continue;
        }
        size_t n = bytewise ? 1 : len;
        cr_assert_eq(odoo_cursor_feed(c, body + at, n), 0);
        at += n;
    }
    snprintf(why, whylen, "%s", rc < 0 && err.message ? err.message : "");
    *rows = odoo_cursor_row_count(c);
    odoo_rpc_error_clear(&err);
    odoo_cursor_free(c);
    return rc;
}

Test(jstream_fast, a_broken_record_is_refused_alike_whole_or_cut)
{
    static const char *const broken[] = {
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": 2, \"name\": \"\xc3\x28\"}]",        /* not UTF-8 */
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": 2, \"name\": \"nine byte\"}]",       /* over max_string 8 */
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": 2, \"long_key_x\": 1}]",             /* a key over it */
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\" 2}]",
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": 2,}]",
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": 2 \"x\": 3}]",
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": 01}]",
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": [1, 2}]",
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": tru}]",
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": 2, \"\\u0000\": 1}]",
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": 2, \"name\": \"cut",
        "[{\"id\": 1, \"name\": \"ok\"}, {\"id\": 2",
    };
    for (size_t k = 0; k < sizeof(broken) / sizeof(*broken); k++) {
        char a[512], b[512];
        size_t ra, rb;
        int ka = refusal(broken[k], 8, 0, a, sizeof(a), &ra), kb = refusal(broken[k], 8, 1, b, sizeof(b), &rb);
        cr_assert(ka < 0, "%s: refused (%d)", broken[k], ka);
        cr_assert(ka == kb && ra == rb && strcmp(a, b) == 0, "%s:\nwhole: %d %zu %s\nbytes: %d %zu %s", broken[k], ka,
                  ra, a, kb, rb, b);
        cr_assert_eq(ra, 1, "%s: the first record went out", broken[k]);
    }
}
