/* The parallel workload behind nginx (issue 13): H2_CALLS search_read
 * calls (5 records x 2 fields) at once on json2 through one odoo_multi,
 * with a real nginx (the tests' harness, tests/support/nginx.h: TLS from a
 * throwaway CA, gzip, upstream keep-alive) in front of odoo-mock, once
 * offering h2 through ALPN and once HTTP/1.1 only.
 *
 * What is counted: every measured batch starts cold, on H2_CALLS new
 * connections in a new multi (libcurl keeps connections and TLS sessions
 * in those), so the TCP connections the batch opens are its TLS
 * handshakes; JSON-2 has no login, so every exchange is one of the calls.
 * One warm-up batch per nginx before, not counted, opens nginx's own
 * connections to odoo-mock. The multi's per-host cap is H2_CALLS, so that
 * HTTP/1.1 really has H2_CALLS in flight. The HTTP version is nginx's
 * word: the request lines its access log has for the measured batches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <odoo/multi.h>

#include "bench.h"
#include "nginx.h"

#define H2_RECORDS 5

typedef struct h2_batch {
    odoo_protocol *conns[H2_CALLS];
    json_object *args, *kwargs;
    long done, failed;
    char why[128];             /* the first failed call's error */
} h2_batch;

static void note_error(h2_batch *b, const char *what, const odoo_rpc_error *err)
{
    if (b->failed++ == 0)
        snprintf(b->why, sizeof(b->why), "%s: %s %s", what, odoo_error_kind_name(err->kind),
                 err->message ? err->message : "");
}

static void on_rows(json_object *res, const odoo_rpc_error *err, void *userdata)
{
    h2_batch *b = userdata;
    b->done++;
    if (err)
        note_error(b, "call", err);
    else if (json_object_array_length(res) != H2_RECORDS && b->failed++ == 0)
        snprintf(b->why, sizeof(b->why), "call: %zu records, not %d", json_object_array_length(res), H2_RECORDS);
    json_object_put(res);
}

static double connections_of(const h2_batch *b)
{
    double n = 0;
    for (int c = 0; c < H2_CALLS; c++) {
        odoo_stats st;
        if (b->conns[c] && odoo_stats_get(&st, b->conns[c]) == 0)
            n += (double)st.connections;
    }
    return n;
}

/* One batch from cold against nginx n: its wall time and connections. */
static int batch(h2_batch *b, const bench_config *cfg, const nginx_proxy *n, double *ms, double *conns)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_multi_options mo = ODOO_MULTI_OPTIONS_INIT;
    mo.max_host_connections = H2_CALLS;
    odoo_multi *m = NULL;
    odoo_options o;
    bench_options_for(&o, cfg, ODOO_PROTOCOL_JSON2);
    o.url = nginx_url(n);
    o.ca_file = nginx_ca_file(n);
    b->done = b->failed = 0;
    memset(b->conns, 0, sizeof(b->conns));
    for (int c = 0; c < H2_CALLS && !b->failed; c++)
        if (odoo_connect(&b->conns[c], ODOO_PROTOCOL_JSON2, &o, &err) != 0)
            note_error(b, "connect", &err);
    if (!b->failed && odoo_multi_new(&m, &mo, &err) != 0)
        note_error(b, "multi", &err);
    double c0 = connections_of(b), t0 = now_s();
    for (int c = 0; c < H2_CALLS && !b->failed; c++)
        if (odoo_multi_add(m, b->conns[c], "res.partner", "search_read", NULL, b->args, b->kwargs, NULL, on_rows, b,
                           &err) != 0)
            note_error(b, "add", &err);
    if (!b->failed && odoo_multi_perform(m, 30000, &err) != 0)
        note_error(b, "perform", &err);
    *ms = (now_s() - t0) * 1e3;
    *conns = connections_of(b) - c0;
    odoo_multi_free(m);
    for (int c = 0; c < H2_CALLS; c++)
        odoo_close(b->conns[c]);
    odoo_rpc_error_clear(&err);
    return b->failed || b->done != H2_CALLS ? -1 : 0;
}

/* nginx's access log, beside its error log in its own directory. */
static void access_log(const nginx_proxy *n, char *out, size_t size)
{
    snprintf(out, size, "%s", nginx_error_log(n));
    char *slash = strrchr(out, '/');
    if (slash)
        snprintf(slash + 1, size - (size_t)(slash + 1 - out), "access.log");
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* The request lines from offset on, by HTTP version. */
static void count_versions(const char *path, long offset, h2_side *s)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    if (!f)
        return;
    fseek(f, offset, SEEK_SET);
    while (fgets(line, sizeof(line), f)) {
        s->http2 += strstr(line, " HTTP/2.0\"") != NULL;
        s->http11 += strstr(line, " HTTP/1.1\"") != NULL;
    }
    fclose(f);
}

/* Start nginx, warm it up, then rounds cold batches into s. */
static int side(h2_batch *b, const bench_config *cfg, int http2, long rounds, h2_side *s, char *note, size_t nsize)
{
    nginx_config nc = { .upstream_url = cfg->mock_url, .tls = 1, .http2 = http2, .gzip = 1, .upstream_keepalive = 1 };
    nginx_proxy *n = nginx_start(&nc);
    if (!n) {
        snprintf(note, nsize, "nginx did not start (its reason is on stderr)");
        return -1;
    }
    char log[320];
    access_log(n, log, sizeof(log));
    double ms[8], conns, warm;
    int rc = batch(b, cfg, n, &ms[0], &warm);
    long offset = file_size(log);
    s->connections = 0;
    for (long i = 0; rc == 0 && i < rounds; i++) {
        rc = batch(b, cfg, n, &ms[i], &conns);
        if (conns > s->connections)
            s->connections = conns;
    }
    if (rc == 0) {
        s->batch_ms = bench_median(ms, rounds);
        count_versions(log, offset, s);
    } else {
        snprintf(note, nsize, "%s, %s (%ld failed)", http2 ? "h2" : "HTTP/1.1", b->why, b->failed);
    }
    nginx_stop(n);
    return rc;
}

void h2_measure(const bench_config *cfg, h2_result *out)
{
    memset(out, 0, sizeof(*out));
    out->tried = 1;
    out->rounds = cfg->quick ? 1 : 5;
    if (!cfg->mock_url) {
        snprintf(out->note, sizeof(out->note), "not with `--url` (nginx goes in front of odoo-bench's own odoo-mock)");
        return;
    }
    if (!nginx_available()) {
        snprintf(out->note, sizeof(out->note),
                 "no nginx binary ($NGINX, /usr/sbin/nginx or PATH): apt-get install nginx-light (scripts/deps.sh)");
        return;
    }
    static h2_batch b; /* 64 connections: not on the stack */
    char kw[96];
    snprintf(kw, sizeof(kw), "{\"fields\": [\"name\", \"email\"], \"limit\": %d, \"order\": \"id\"}", H2_RECORDS);
    /* Five ids in the domain: odoo-mock's search over all its partners
     * would cost ~3 ms a call on the CPU the bench is pinned to. */
    b.args = json_tokener_parse("[[[\"id\", \"in\", [10, 11, 12, 13, 14]]]]");
    b.kwargs = json_tokener_parse(kw);
    if (side(&b, cfg, 1, out->rounds, &out->h2, out->note, sizeof(out->note)) == 0)
        side(&b, cfg, 0, out->rounds, &out->h1, out->note, sizeof(out->note));
    json_object_put(b.args);
    json_object_put(b.kwargs);
}
