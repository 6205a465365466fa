/* Streaming-read micro-benchmark (issue 12): MB/s of the incremental
 * decoder (events only), the row cursor over all fields, the DOM built
 * on the decoder, json_tokener_parse, and python3's json.loads (a
 * subprocess, when python3 runs), best of 10 on the same bytes.
 *
 *     stream-decode-bench [FILE]   # default: 20,000 res.partner rows x 8 fields, generated
 *
 * Each mode is also a function to count with callgrind:
 *     valgrind --tool=callgrind --toggle-collect=run_events stream-decode-bench FILE events
 * (modes and functions: events run_events, cursor decode_cursor, dom
 * run_dom, tokener decode_tokener). The cursor, tokener and python runs
 * are decode-rate.c's, which odoo-bench's streamed-read section shares.
 * README.md has the numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <odoo/cursor.h>

#include "core/jstream.h"
#include "decode-rate.h"

/* The search_read answer of n partners, as Odoo's JSON-RPC writes it
 * (json.dumps: ", " and ": "): the records of bench/xmlrpc-decode/gen.py. */
static char *generate(size_t n, size_t *len)
{
    static const char *const countries[] = { "United States", "Belgium", "France", "Japan" };
    static const int cids[] = { 233, 20, 75, 113 };
    size_t cap = n * 400 + 64, at = 0;
    char *b = malloc(cap);
    if (!b)
        return NULL;
    unsigned long long r = 42;
    at += (size_t)sprintf(b + at, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": [");
    for (size_t i = 1; i <= n; i++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        double credit = (double)(r >> 11) / 9007199254740992.0 * 100000.0;
        char email[64];
        if (i % 3)
            snprintf(email, sizeof(email), "\"partner%zu@example.com\"", i);
        else
            snprintf(email, sizeof(email), "false");
        at += (size_t)sprintf(b + at,
                              "%s{\"id\": %zu, \"name\": \"Partner %zu \xc3\x9c" "n\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9 \xe2\x80\x94 "
                              "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e & <co>\", \"email\": %s, \"is_company\": %s, "
                              "\"credit_limit\": %.2f, \"country_id\": [%d, \"%s\"], \"category_id\": [%zu, %zu], "
                              "\"write_date\": \"2026-11-%02zu 10:%02zu:28\"}",
                              i > 1 ? ", " : "", i, i, email, i % 2 ? "false" : "true", credit, cids[i % 4],
                              countries[i % 4], i % 7 + 1, i % 11 + 1, i % 28 + 1, i % 60);
    }
    at += (size_t)sprintf(b + at, "]}");
    *len = at;
    return b;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b = NULL;
    long n;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, f) == (size_t)n) {
        b[n] = '\0';
        *len = (size_t)n;
    } else {
        free(b);
        b = NULL;
    }
    if (f)
        fclose(f);
    return b;
}

static void die(const char *what)
{
    fprintf(stderr, "stream-decode-bench: %s\n", what);
    exit(1);
}

__attribute__((noinline)) static size_t run_events(const char *b, size_t n)
{
    odoo__jstream js;
    odoo__js_init(&js, NULL);
    odoo__js_feed(&js, b, n);
    odoo__js_finish(&js);
    size_t events = 0;
    odoo__js_event ev;
    while ((ev = odoo__js_next(&js)) > ODOO_JS_END)
        events++;
    if (ev != ODOO_JS_END)
        die(js.why);
    odoo__js_free(&js);
    return events;
}

__attribute__((noinline)) static json_object *run_dom(const char *b, size_t n, void *ctx)
{
    (void)ctx;
    json_object *v = NULL;
    char why[200];
    if (odoo__jstream_parse(b, n, 0, &v, why, sizeof(why)) != 0)
        die(why);
    return v;
}

static json_object *run_events_fn(const char *b, size_t n, void *ctx)
{
    (void)ctx;
    run_events(b, n);
    return NULL;
}

static double best_of_10(const char *mode, const char *b, size_t n)
{
    decode_cursor_ctx cc = { NULL, NULL, 0, 0 };
    decode_fn fn = !strcmp(mode, "events") ? run_events_fn
                   : !strcmp(mode, "cursor") ? decode_cursor
                   : !strcmp(mode, "dom")    ? run_dom
                                             : decode_tokener;
    decode_rate r;
    decode_best_of(fn, &cc, b, n, 10, &r);
    if (cc.failed)
        die("cursor failed");
    return r.wall_mbs;
}

static size_t cursor_rows(const char *b, size_t n)
{
    decode_cursor_ctx cc = { NULL, NULL, 0, 0 };
    decode_cursor(b, n, &cc);
    if (cc.failed)
        die("cursor failed");
    return cc.rows;
}

int main(int argc, char **argv)
{
    size_t n = 0;
    char *b;
    char tmp[] = "/tmp/stream-decode-XXXXXX";
    const char *path = argc > 1 && strcmp(argv[1], "-") != 0 ? argv[1] : NULL;
    if (path) {
        b = slurp(path, &n);
    } else {
        b = generate(20000, &n);
        int fd = mkstemp(tmp);
        FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!f || fwrite(b, 1, n, f) != n)
            die("cannot write the generated body");
        fclose(f);
        path = tmp;
    }
    if (!b)
        die("cannot read the input");
    if (argc > 2) { /* one mode once, for callgrind */
        double r = best_of_10(argv[2], b, n);
        printf("%s: %.0f MB/s\n", argv[2], r);
    } else {
        printf("input: %zu bytes, %zu events, %zu records\n", n, run_events(b, n), cursor_rows(b, n));
        static const char *const modes[] = { "events", "cursor", "dom", "tokener" };
        static const char *const names[] = { "decoder (events only)", "cursor, all fields", "DOM via the decoder",
                                             "json_tokener_parse" };
        for (int i = 0; i < 4; i++)
            printf("%-24s %7.0f MB/s\n", names[i], best_of_10(modes[i], b, n));
        decode_rate py;
        if (decode_python(path, 10, &py) == 0)
            printf("%-24s %7.0f MB/s\n", "python3 json.loads", py.wall_mbs);
    }
    if (path == tmp)
        remove(tmp);
    free(b);
    return 0;
}
