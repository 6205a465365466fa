/* odoo-mock tests — concurrency and scale: 64 keep-alive connections
 * delayed 50 ms each are served in parallel (one thread per connection),
 * and search_read of every partner grows linearly with their number.
 * Times are printed; the assertions have wide margins so that a loaded
 * CI machine does not fail them, yet a serialized server (64 x 50 ms =
 * 3.2 s) or a quadratic read (16x for 4x the rows) would.
 * ODOO_MOCK_SCALE=1 also measures 200,000 partners (start, search_read,
 * RSS), for the README's numbers. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "test_support.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char VERSION_BODY[] =
    "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {\"service\": \"common\", "
    "\"method\": \"version\", \"args\": []}, \"id\": 1}";

enum { NCONN = 64 };

typedef struct client {
    odoo_mock *m;
    pthread_barrier_t *go;
    int ok;
} client;

static int version_call(http_conn *c)
{
    const char *hdrs[] = {"Content-Type: application/json", NULL};
    http_response r;
    int ok = http_request(c, "POST", "/jsonrpc", hdrs, VERSION_BODY, strlen(VERSION_BODY), &r) == 0 &&
             r.status == 200;
    http_response_free(&r);
    return ok;
}

/* connect and warm the connection up, wait for the fault, call again on
 * the same connection */
static void *client_run(void *arg)
{
    client *cl = arg;
    http_conn c;
    int connected = http_connect(&c, odoo_mock_port(cl->m)) == 0;
    int warm = connected && version_call(&c);
    pthread_barrier_wait(cl->go);
    pthread_barrier_wait(cl->go);
    cl->ok = warm && version_call(&c);
    if (connected)
        http_close(&c);
    return NULL;
}

Test(scale, concurrent_keep_alive_with_latency, .timeout = 60)
{
    odoo_mock *m = ts_start(19, 10);
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, NCONN + 1);
    pthread_t t[NCONN];
    client cl[NCONN];
    for (int i = 0; i < NCONN; i++) {
        cl[i] = (client){m, &go, 0};
        pthread_create(&t[i], NULL, client_run, &cl[i]);
    }
    pthread_barrier_wait(&go); /* every connection is open and warm */
    cr_assert_eq(odoo_mock_inject(m, "latency:ms=50,count=0"), 0);
    double t0 = now();
    pthread_barrier_wait(&go);
    int ok = 0;
    for (int i = 0; i < NCONN; i++) {
        pthread_join(t[i], NULL);
        ok += cl[i].ok;
    }
    double dt = now() - t0;
    pthread_barrier_destroy(&go);
    fprintf(stderr, "%d concurrent keep-alive requests with latency 50 ms: %.3f s\n", NCONN, dt);
    cr_expect_eq(ok, NCONN);
    cr_expect_geq(dt, 0.050);
    cr_expect_lt(dt, 1.0, "requests were not served in parallel: %.3f s", dt);
    odoo_mock_stats st;
    odoo_mock_get_stats(m, &st);
    cr_expect_eq(st.connections, NCONN, "one connection per client (keep-alive)");
    cr_expect_eq(st.faults, NCONN);
    odoo_mock_stop(m);
}

/* Seconds for search_read of every partner (8 fields) over /jsonrpc,
 * best of two; *rows is the number of records answered. */
static double search_read_all(odoo_mock *m, size_t *rows)
{
    double best = 1e9;
    for (int i = 0; i < 2; i++) {
        double t0 = now();
        json_object *e = ts_execute(m, 2, "admin", "res.partner", "search_read", "[[]]",
                                    "{\"fields\": [\"name\", \"email\", \"phone\", \"city\", "
                                    "\"country_id\", \"is_company\", \"parent_id\", \"active\"]}");
        double dt = now() - t0;
        *rows = json_object_array_length(ts_result(e));
        json_object_put(e);
        if (dt < best)
            best = dt;
    }
    return best;
}

Test(scale, search_read_grows_linearly, .timeout = 600) /* a hang guard: slow under ASan and valgrind */
{
    static const int N[2] = {10000, 40000};
    double t[2];
    for (int i = 0; i < 2; i++) {
        odoo_mock *m = ts_start(19, N[i]);
        size_t rows;
        t[i] = search_read_all(m, &rows);
        cr_expect_gt(rows, (size_t)N[i] * 9 / 10);
        fprintf(stderr, "search_read %d partners x 8 fields: %.3f s\n", N[i], t[i]);
        odoo_mock_stop(m);
    }
    /* 4x the rows: about 4x the time; quadratic would be 16x */
    cr_expect_lt(t[1] / t[0], 9.0, "%.3f s then %.3f s", t[0], t[1]);
}

static long rss_kb(const char *what)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(what);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, what, n))
            kb = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

Test(scale, partners_200000, .timeout = 300)
{
    const char *on = getenv("ODOO_MOCK_SCALE");
    if (!on || !*on || !strcmp(on, "0"))
        cr_skip_test("set ODOO_MOCK_SCALE=1 to measure 200,000 partners");
    double t0 = now();
    odoo_mock *m = ts_start(19, 200000);
    double start = now() - t0;
    cr_assert_not_null(m);
    long rss0 = rss_kb("VmRSS:");
    size_t rows;
    double sr = search_read_all(m, &rows);
    /* the process holds the test client's parsed answer too */
    fprintf(stderr, "200000 partners: start %.3f s, RSS %ld kB; search_read %zu rows x 8 fields %.3f s, "
                    "peak RSS (mock + client) %ld kB\n",
            start, rss0, rows, sr, rss_kb("VmHWM:"));
    cr_expect_gt(rows, (size_t)190000);
    odoo_mock_stop(m);
}
