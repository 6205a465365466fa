/* The parallel workload: PAR_CONNS connections, logged in outside the
 * measurement, and sr1x2's call (read 1 record x 2 fields) made
 *   - sequentially on one connection (its median is "one call alone"),
 *   - in batches of PAR_CONNS at once through one odoo_multi, one per
 *     connection (median batch time),
 *   - many_calls in one multi, PAR_CONNS queued on each connection, so
 *     PAR_CONNS in flight (a connection runs one call at a time),
 * with odoo-mock delaying every answer (its latency fault, injected for
 * this workload only and cleared after it): the latency is what makes
 * parallelism visible on a loopback server.
 *
 * One multi serves every batch, so that its connection pool (libcurl's,
 * per multi) is reused; a warm-up batch and a warm-up blocking call, made
 * before the latency is injected, open what the measurement then reuses.
 * The three measured loops are functions of their own for callgrind
 * (bench/callgrind-parallel.sh). On json2, h2.c then measures a batch of
 * H2_CALLS behind nginx, under the same latency. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <odoo/multi.h>

#include "bench.h"

#define PAR_LATENCY_MS 50.0 /* without --latency */

typedef struct par_state {
    odoo_protocol *conns[PAR_CONNS];
    json_object *ids, *args, *kwargs;
    odoo_multi *m;
    long failed;
    char why[128];              /* the first failed call's error */
} par_state;

typedef struct par_totals {
    double requests, connections, sent, received;
} par_totals;

static par_totals totals_of(const par_state *s)
{
    par_totals t = { 0, 0, 0, 0 };
    for (int c = 0; c < PAR_CONNS; c++) {
        odoo_stats st;
        if (s->conns[c] && odoo_stats_get(&st, s->conns[c]) == 0) {
            t.requests += (double)st.requests;
            t.connections += (double)st.connections;
            t.sent += (double)st.bytes_sent;
            t.received += (double)st.bytes_received;
        }
    }
    return t;
}

static void note_error(par_state *s, const odoo_rpc_error *err)
{
    if (s->failed++ == 0)
        snprintf(s->why, sizeof(s->why), "%s %s", odoo_error_kind_name(err->kind), err->message ? err->message : "");
}

static void on_done(json_object *res, const odoo_rpc_error *err, void *userdata)
{
    json_object_put(res);
    if (err)
        note_error(userdata, err);
}

/* per_conn calls on every connection in the multi, until all are done. */
static int multi_round(par_state *s, long per_conn)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    for (long k = 0; k < per_conn; k++)
        for (int c = 0; c < PAR_CONNS; c++)
            if (odoo_multi_add(s->m, s->conns[c], "res.partner", "read", s->ids, s->args, s->kwargs, NULL,
                               on_done, s, &err) != 0) {
                note_error(s, &err);
                k = per_conn;
                break;
            }
    if (odoo_multi_perform(s->m, -1, &err) != 0)
        note_error(s, &err);
    odoo_rpc_error_clear(&err);
    return s->failed ? -1 : 0;
}

static int one_call(par_state *s, odoo_protocol *p)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_object *out = NULL;
    int rc = odoo_call(&out, p, "res.partner", "read", s->ids, s->args, s->kwargs, NULL, &err);
    json_object_put(out);
    if (rc != 0)
        note_error(s, &err);
    odoo_rpc_error_clear(&err);
    return rc;
}

/* n blocking calls on one connection, each timed into lat. */
__attribute__((noinline)) static int par_sequential(par_state *s, long n, double *lat)
{
    for (long i = 0; i < n; i++) {
        double t = now_s();
        if (one_call(s, s->conns[0]) != 0)
            return -1;
        lat[i] = now_s() - t;
    }
    return 0;
}

/* rounds batches of PAR_CONNS calls at once, each timed into lat. */
__attribute__((noinline)) static int par_batches(par_state *s, long rounds, double *lat)
{
    for (long i = 0; i < rounds; i++) {
        double t = now_s();
        if (multi_round(s, 1) != 0)
            return -1;
        lat[i] = now_s() - t;
    }
    return 0;
}

/* per_conn x PAR_CONNS calls in one multi, PAR_CONNS in flight. */
__attribute__((noinline)) static int par_many(par_state *s, long per_conn)
{
    return multi_round(s, per_conn);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double bench_median(double *v, long n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Open and log in every connection, open the multi, warm both paths up. */
static int setup(par_state *s, const bench_config *cfg, const protocol_info *pi, result *r)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_multi_options mo = ODOO_MULTI_OPTIONS_INIT;
    mo.max_host_connections = PAR_CONNS; /* the default cap (8) would queue half of them */
    const char *what = "connect";
    int rc = 0;
    for (int c = 0; rc == 0 && c < PAR_CONNS; c++) {
        rc = bench_connect(&s->conns[c], cfg, pi->kind, &err);
        what = rc == 0 ? "login" : what;
        if (rc == 0)
            rc = odoo_authenticate(NULL, s->conns[c], &err);
    }
    if (rc == 0 && (what = "multi", odoo_multi_new(&s->m, &mo, &err)) != 0)
        rc = -1;
    if (rc != 0) {
        snprintf(r->note, sizeof(r->note), "%s: %s %s", what, odoo_error_kind_name(err.kind),
                 err.message ? err.message : "");
        odoo_rpc_error_clear(&err);
        return -1;
    }
    if (multi_round(s, 1) != 0 || one_call(s, s->conns[0]) != 0) {
        snprintf(r->note, sizeof(r->note), "warm-up: %s", s->why);
        return -1;
    }
    return 0;
}

static void teardown(par_state *s)
{
    odoo_multi_free(s->m);
    for (int c = 0; c < PAR_CONNS; c++)
        odoo_close(s->conns[c]);
    json_object_put(s->ids);
    json_object_put(s->args);
    json_object_put(s->kwargs);
}

static int measure(par_state *s, const bench_config *cfg, result *r)
{
    static double seq_lat[256], batch_lat[32];
    par_result *p = &r->par;
    p->seq_calls = cfg->quick ? 8 : 256;
    p->batch_rounds = cfg->quick ? 3 : 15;
    long per_conn = cfg->quick ? 4 : 16;
    p->many_calls = per_conn * PAR_CONNS;

    par_totals t0 = totals_of(s);
    double c0 = cpu_s(), w0 = now_s();
    if (par_sequential(s, p->seq_calls, seq_lat) != 0)
        return -1;
    double c1 = cpu_s(), w1 = now_s();
    if (par_batches(s, p->batch_rounds, batch_lat) != 0)
        return -1;
    double c2 = cpu_s(), w2 = now_s();
    if (par_many(s, per_conn) != 0)
        return -1;
    double c3 = cpu_s(), w3 = now_s();
    par_totals t1 = totals_of(s);

    p->one_ms = bench_median(seq_lat, p->seq_calls) * 1e3;
    p->batch_ms = bench_median(batch_lat, p->batch_rounds) * 1e3;
    p->scaling = PAR_CONNS * p->one_ms / p->batch_ms;
    p->seq_rate = (double)p->seq_calls / (w1 - w0);
    p->many_rate = (double)p->many_calls / (w3 - w2);
    p->rate_x = p->many_rate / p->seq_rate;
    p->conn_setup = t0.connections;
    p->conn_measured = t1.connections - t0.connections;
    p->cpu_seq_us = (c1 - c0) / (double)p->seq_calls * 1e6;
    p->cpu_multi_us = (c3 - c2) / (double)p->many_calls * 1e6;

    /* The usual columns: the sequential calls (latency, CPU), bytes over all. */
    double calls = t1.requests - t0.requests;
    r->calls = (long)calls;
    r->median_ms = p->one_ms;
    r->p95_ms = seq_lat[(p->seq_calls * 95) / 100] * 1e3; /* sorted by bench_median() */
    r->cpu_us = p->cpu_seq_us;
    if (calls > 0) {
        r->sent_bytes = (t1.sent - t0.sent) / calls;
        r->recv_bytes = (t1.received - t0.received) / calls;
    }
    return 0;
}

void parallel_measure(const bench_config *cfg, const protocol_info *pi, const workload *w, result *r)
{
    (void)w;
    par_state s;
    memset(&s, 0, sizeof(s));
    parallel_call_args(&s.ids, &s.args, &s.kwargs);
    double latency = cfg->latency_ms >= 0 ? cfg->latency_ms : PAR_LATENCY_MS;
    int injected = 0;
    if (setup(&s, cfg, pi, r) != 0)
        goto out;
    if (cfg->mock_url && latency > 0) {
        char spec[96];
        snprintf(spec, sizeof(spec), "{\"fault\": \"latency\", \"ms\": %.0f, \"count\": 0}", latency);
        if (mock_fault(cfg->mock_url, spec) != 0) {
            snprintf(r->note, sizeof(r->note), "odoo-mock refused the latency fault");
            goto out;
        }
        injected = 1;
    }
    r->par.latency_ms = cfg->mock_url ? latency : NAN;
    if (measure(&s, cfg, r) != 0) {
        snprintf(r->note, sizeof(r->note), "call: %s (%ld failed)", s.why, s.failed);
        goto out;
    }
    r->ok = 1;
    if (pi->kind == ODOO_PROTOCOL_JSON2) /* under the same latency */
        h2_measure(cfg, &r->par.nginx);
out:
    if (injected && mock_fault(cfg->mock_url, NULL) != 0)
        fprintf(stderr, "odoo-bench: could not clear odoo-mock's latency fault\n");
    teardown(&s);
}
