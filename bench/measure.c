/* Timing one protocol on one workload: latency per call (wall clock),
 * client CPU per call (getrusage of this process: the server runs in
 * another one), bytes per call from the transport's counters, and for
 * large results the peak memory, measured in a child process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <odoo/sys/protocol.h>

#include "bench.h"

double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

/* The measured loop, a function of its own for callgrind. */
__attribute__((noinline)) static long measured_loop(odoo_protocol *p, const bench_config *cfg, const workload *w,
                                                    long max_runs, double budget, double *lat, odoo_rpc_error *err)
{
    double t0 = now_s();
    long runs = 0;
    while (runs < max_runs && (runs < 5 || now_s() - t0 < budget)) {
        double t = now_s();
        if (w->run(p, cfg, err) != 0)
            return -1;
        lat[runs++] = (now_s() - t) / w->calls_per_run;
    }
    return runs;
}

static void fail(result *r, const char *what, const odoo_rpc_error *err)
{
    r->ok = 0;
    snprintf(r->note, sizeof(r->note), "%s: %s %s", what, odoo_error_kind_name(err->kind),
             err->message ? err->message : "");
}

static void run_measure(const bench_config *cfg, odoo_protocol_kind kind, const workload *w, result *r)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = NULL;
    static double lat[MAX_SAMPLES];
    if (odoo_connect(&p, kind, &cfg->opts, &err) != 0) {
        fail(r, "connect", &err);
        goto out;
    }
    /* Log in outside the measurement, except when login is the workload. */
    if (strcmp(w->name, "login") != 0 && strcmp(w->name, "version") != 0 && odoo_authenticate(NULL, p, &err) != 0) {
        fail(r, "login", &err);
        goto out;
    }
    if (w->big) {
        /* Peak memory of the first large call in a fresh process: reset the
         * high-water mark, so the peak is this call's own, before the
         * allocator keeps pages around from earlier calls. */
        FILE *f = fopen("/proc/self/clear_refs", "w");
        if (f) {
            fputs("5", f);
            fclose(f);
        }
        long base_rss = proc_status_kb("VmRSS:");
        if (w->run(p, cfg, &err) != 0) {
            fail(r, "call", &err);
            goto out;
        }
        r->peak_rss_mb = (double)(proc_status_kb("VmHWM:") - base_rss) / 1024.0;
    }
    int warm = w->big ? 0 : (cfg->quick ? 3 : 20);
    for (int i = 0; i < warm; i++)
        if (w->run(p, cfg, &err) != 0) {
            fail(r, "call", &err);
            goto out;
        }

    long max_runs = w->big ? (cfg->quick ? 3 : 10) : cfg->max_calls;
    if (max_runs > MAX_SAMPLES)
        max_runs = MAX_SAMPLES;
    double budget = w->big ? cfg->budget_s * 3 : cfg->budget_s;
    odoo_http_stats s0, s1;
    odoo_http_get_stats(p->http, &s0);
    double t0 = now_s(), c0 = cpu_s();
    long runs = measured_loop(p, cfg, w, max_runs, budget, lat, &err);
    if (runs < 0) {
        fail(r, "call", &err);
        goto out;
    }
    double c1 = cpu_s(), t1 = now_s();
    odoo_http_get_stats(p->http, &s1);

    /* Count the requests that really went out (a paged run stops at the
     * last short page), and spread each run's latency over them. */
    long calls = s1.requests - s0.requests;
    if (calls <= 0)
        calls = runs * w->calls_per_run;
    double per_run = (double)calls / (double)runs / (double)w->calls_per_run;
    for (long i = 0; i < runs; i++)
        lat[i] /= per_run;
    qsort(lat, (size_t)runs, sizeof(double), cmp_double);
    r->ok = 1;
    r->calls = calls;
    r->median_ms = lat[runs / 2] * 1e3;
    r->p95_ms = lat[(runs * 95) / 100 < runs ? (runs * 95) / 100 : runs - 1] * 1e3;
    r->cpu_us = (c1 - c0) / (double)calls * 1e6;
    r->calls_per_s = (double)calls / (t1 - t0);
    r->req_bytes = (double)(s1.bytes_sent - s0.bytes_sent) / (double)(s1.requests - s0.requests);
    r->resp_bytes = (double)(s1.bytes_received - s0.bytes_received) / (double)(s1.requests - s0.requests);

    /* The floor: replay the last request on a bare handle. */
    if (!cfg->no_floor && strcmp(w->name, "login") != 0 && !w->needs_write) {
        odoo_http_capture(p->http, 1);
        if (w->run(p, cfg, &err) == 0)
            bench_floor(p, kind, w->big ? (runs < 3 ? 3 : runs) * w->calls_per_run : calls, w->calls_per_run > 1, r);
        odoo_http_capture(p->http, 0);
    }
out:
    odoo_close(p);
    odoo_rpc_error_clear(&err);
}

void bench_measure(const bench_config *cfg, odoo_protocol_kind kind, const workload *w, result *r)
{
    memset(r, 0, sizeof(*r));
    r->protocol = odoo_protocol_kind_name(kind);
    r->workload = w->name;
    if (!w->big) {
        run_measure(cfg, kind, w, r);
        return;
    }
    /* Large results in a child: its memory high-water mark is the
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
        run_measure(cfg, kind, w, r);
        ssize_t n = write(fds[1], r, sizeof(*r));
        _exit(n == (ssize_t)sizeof(*r) ? 0 : 1);
    }
    close(fds[1]);
    result child;
    ssize_t n = pid > 0 ? read(fds[0], &child, sizeof(child)) : -1;
    close(fds[0]);
    if (pid > 0)
        waitpid(pid, NULL, 0);
    if (n == (ssize_t)sizeof(child)) {
        *r = child;
        r->protocol = odoo_protocol_kind_name(kind); /* pointers into static tables are the same */
        r->workload = w->name;
    } else {
        snprintf(r->note, sizeof(r->note), "measurement process failed");
    }
}
