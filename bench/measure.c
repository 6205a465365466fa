/* Timing one protocol on one workload: latency per request (wall clock),
 * client CPU per request (getrusage of this process: the server runs in
 * another one), bytes per request from the connection's counters, and for
 * big results the peak memory, measured in a child process. The floor
 * (floor.c) is measured in slices interleaved with the library's, so
 * both see the same machine.
 *
 * The libodoo calls of this file are the small functions at the top. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <odoo/sys/protocol.h>

#include "bench.h"

const protocol_info protocols[] = {
    { ODOO_PROTOCOL_XMLRPC, "xmlrpc", "XML-RPC" },
    { ODOO_PROTOCOL_JSONRPC, "jsonrpc", "JSON-RPC, web session" },
    { ODOO_PROTOCOL_JSONRPC_STATELESS, "jsonrpc-stateless", "JSON-RPC /jsonrpc" },
    { ODOO_PROTOCOL_JSON2, "json2", "JSON-2, API key" },
    { ODOO_PROTOCOL_ODXPROXY, "odxproxy", "ODXProxy gateway" },
};
const size_t nprotocols = sizeof(protocols) / sizeof(protocols[0]);

/* ---- libodoo calls ---- */

typedef struct traffic {
    long requests;
    double sent, received;
} traffic;

static traffic traffic_of(odoo_protocol *p)
{
    odoo_stats s;
    odoo_stats_get(&s, p);
    traffic t = { s.requests, (double)s.bytes_sent, (double)s.bytes_received };
    return t;
}

int bench_connect(odoo_protocol **p, const bench_config *cfg, odoo_protocol_kind kind, odoo_rpc_error *err)
{
    odoo_options o;
    bench_options_for(&o, cfg, kind);
    return odoo_connect(p, kind, &o, err);
}

static int login(odoo_protocol *p, odoo_rpc_error *err)
{
    return odoo_authenticate(NULL, p, err);
}

static void disconnect(odoo_protocol *p, odoo_rpc_error *err)
{
    odoo_close(p);
    odoo_rpc_error_clear(err);
}

static void fail(result *r, const char *what, const odoo_rpc_error *err)
{
    r->ok = 0;
    snprintf(r->note, sizeof(r->note), "%s: %s %s", what, odoo_error_kind_name(err->kind),
             err->message ? err->message : "");
}

void bench_options_for(odoo_options *o, const bench_config *cfg, odoo_protocol_kind kind)
{
    *o = cfg->opts;
    if (kind != ODOO_PROTOCOL_ODXPROXY) {
        o->proxy_url = o->proxy_api_key = NULL;
        o->user_id = 0;
    }
}

int bench_server_version(const bench_config *cfg, char *out, size_t n)
{
    for (size_t i = 0; i < nprotocols; i++) {
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        odoo_protocol *p = NULL;
        json_object *info = NULL, *v;
        int rc = bench_connect(&p, cfg, protocols[i].kind, &err) == 0 ? odoo_version_info(&info, p, &err) : -1;
        if (rc == 0 && json_object_object_get_ex(info, "server_version", &v))
            snprintf(out, n, "%s", json_object_get_string(v));
        json_object_put(info);
        disconnect(p, &err);
        if (rc == 0)
            return 0;
    }
    return -1;
}

/* ---- measuring ---- */

double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* user + system CPU of this process, as every peer measures its own */
double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long proc_status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, key, n) == 0)
            v = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

/* Peak memory of one run in MB: the high-water mark is reset first, so the
 * peak is this call's own (the same way the peers measure theirs). */
static int peak_of_run(odoo_protocol *p, const bench_config *cfg, const workload *w, double *mb, odoo_rpc_error *err)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    int reset = f && fputs("5", f) >= 0;
    if (f && fclose(f) != 0)
        reset = 0;
    long base = proc_status_kb("VmRSS:");
    int rc = w->run(p, cfg, err);
    long hwm = proc_status_kb("VmHWM:");
    *mb = reset && base >= 0 && hwm >= base ? (double)(hwm - base) * 1024.0 / 1e6 : NAN; /* MB = 10^6 B */
    return rc;
}

/* The measured loop, a function of its own for callgrind. */
__attribute__((noinline)) static long measured_loop(odoo_protocol *p, const bench_config *cfg, const workload *w,
                                                    long max_runs, double budget, double *lat, odoo_rpc_error *err)
{
    double t0 = now_s();
    long runs = 0;
    while (runs < max_runs && (runs == 0 || now_s() - t0 < budget)) {
        double t = now_s();
        if (w->run(p, cfg, err) != 0)
            return -1;
        lat[runs++] = now_s() - t;
    }
    return runs;
}

/* Counted over the library's slices only. */
typedef struct totals {
    long runs;
    double cpu;
    traffic t;
} totals;

static void run_measure(const bench_config *cfg, const protocol_info *pi, const workload *w, result *r)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = NULL;
    bench_floor *fl = NULL;
    static double lat[MAX_SAMPLES];
    if (bench_connect(&p, cfg, pi->kind, &err) != 0) {
        fail(r, "connect", &err);
        goto out;
    }
    /* Log in outside the measurement, except when login is the workload. */
    if (!(w->flags & WL_NO_LOGIN) && login(p, &err) != 0) {
        fail(r, "login", &err);
        goto out;
    }
    int big = (w->flags & WL_BIG) != 0;
    if (big && peak_of_run(p, cfg, w, &r->peak_mb, &err) != 0) {
        fail(r, "call", &err);
        goto out;
    }
    for (long i = 0; i < (big ? 0 : cfg->warmup); i++)
        if (w->run(p, cfg, &err) != 0) {
            fail(r, "call", &err);
            goto out;
        }
    /* A streamed read's floor is its body for the decode rates; XML-RPC's
     * would only repeat sr20kx8's (the same request), at 17 MB an answer. */
    int stream_xml = (w->flags & WL_STREAM) && pi->kind == ODOO_PROTOCOL_XMLRPC;
    if (!cfg->no_floor && !(w->flags & (WL_NO_FLOOR | WL_WRITE)) && !stream_xml)
        fl = floor_new(p, pi->kind, cfg, w);

    long max_runs = big ? cfg->big_runs : cfg->max_calls;
    if (max_runs > MAX_SAMPLES)
        max_runs = MAX_SAMPLES;
    double budget = big ? cfg->budget_s * 3 : cfg->budget_s;
    long slices = max_runs < 4 ? max_runs : 4;
    totals tot = { 0 };
    double floor_due = 0;
    for (long s = 0; s < slices; s++) {
        long want = max_runs * (s + 1) / slices - tot.runs;
        traffic t0 = traffic_of(p);
        double c0 = cpu_s();
        long runs = measured_loop(p, cfg, w, want, budget / (double)slices, lat + tot.runs, &err);
        double c1 = cpu_s();
        if (runs < 0) {
            fail(r, "call", &err);
            goto out;
        }
        traffic t1 = traffic_of(p);
        tot.runs += runs;
        tot.cpu += c1 - c0;
        tot.t.requests += t1.requests - t0.requests;
        tot.t.sent += t1.sent - t0.sent;
        tot.t.received += t1.received - t0.received;
        floor_due += (double)(t1.requests - t0.requests) * cfg->floor_share;
        long floor_calls = (long)(floor_due + 0.5) - (fl ? floor_done(fl) : 0);
        if (fl && floor_run(fl, floor_calls) != 0) {
            floor_free(fl);
            fl = NULL;
        }
    }

    if (fl && floor_done(fl) == 0 && floor_run(fl, 1) != 0) {
        floor_free(fl);
        fl = NULL;
    }
    /* Per request: a paged run makes several (the last page may be short). */
    long calls = tot.t.requests > 0 ? tot.t.requests : tot.runs * w->calls_per_run;
    double per_run = (double)calls / (double)tot.runs;
    for (long i = 0; i < tot.runs; i++)
        lat[i] /= per_run;
    qsort(lat, (size_t)tot.runs, sizeof(double), cmp_double);
    r->ok = 1;
    r->calls = calls;
    r->median_ms = lat[tot.runs / 2] * 1e3;
    r->p95_ms = lat[(tot.runs * 95) / 100 < tot.runs ? (tot.runs * 95) / 100 : tot.runs - 1] * 1e3;
    r->cpu_us = tot.cpu / (double)calls * 1e6;
    if (tot.t.requests > 0) {
        r->sent_bytes = tot.t.sent / (double)tot.t.requests;
        r->recv_bytes = tot.t.received / (double)tot.t.requests;
    }
    if (fl)
        floor_result(fl, (w->flags & WL_PAGED) != 0, r);
    /* The answer the floor received; XML-RPC's is not JSON. --quick: on
     * json2 only (the decode rates take about 1.5 s a protocol). */
    size_t body_len;
    const char *body = floor_answer(fl, &body_len);
    if ((w->flags & WL_STREAM) && body && pi->kind != ODOO_PROTOCOL_XMLRPC &&
        (!cfg->quick || pi->kind == ODOO_PROTOCOL_JSON2))
        decode_measure(body, body_len, r);
out:
    floor_free(fl);
    disconnect(p, &err);
}

void bench_measure(const bench_config *cfg, const protocol_info *pi, const workload *w, result *r)
{
    result_init(r, "libodoo", pi->name, w->name);
    if (w->flags & WL_PARALLEL) {
        parallel_measure(cfg, pi, w, r);
        return;
    }
    if (w->flags & WL_EXPORT) {
        export_measure(cfg, pi, w, r);
        return;
    }
    if (!(w->flags & WL_BIG)) {
        run_measure(cfg, pi, w, r);
        return;
    }
    /* Big results in a child: its memory high-water mark is the
     * workload's alone, and the parent's heap stays small. */
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(r->note, sizeof(r->note), "pipe failed");
        return;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        run_measure(cfg, pi, w, r);
        ssize_t n = write(fds[1], r, sizeof(*r));
        _exit(n == (ssize_t)sizeof(*r) ? 0 : 1);
    }
    close(fds[1]);
    result child;
    ssize_t n = pid > 0 ? read(fds[0], &child, sizeof(child)) : -1;
    close(fds[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    if (n == (ssize_t)sizeof(child))
        *r = child; /* its pointers are into the same static tables */
    else
        snprintf(r->note, sizeof(r->note), "measurement process failed");
}
