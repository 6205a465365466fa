/* odoo-bench: shared declarations. */
#ifndef ODOO_BENCH_H
#define ODOO_BENCH_H

#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include <odoo.h>

#define MAX_SAMPLES 20000

typedef struct result {
    const char *protocol;
    const char *workload;
    int ok;                    /* 0: failed (error in note) */
    char note[160];
    long calls;
    double median_ms, p95_ms;
    double cpu_us;             /* client CPU per call (user + system, this process only) */
    double req_bytes, resp_bytes;
    double calls_per_s;
    double peak_rss_mb;        /* large results only (0: not measured) */
    double floor_curl_us;      /* bare libcurl, same request, no encode/decode */
    double floor_parse_us;     /* the same plus a bare json-c / xmlrpc-c parse */
    double parse_only_us;      /* floor_parse - floor_curl */
} result;

typedef struct bench_config {
    odoo_options opts;
    int write;
    int quick;
    double budget_s;           /* per protocol x workload */
    long max_calls;
    int big_records;
    int no_floor;
} bench_config;

typedef struct workload {
    const char *name;
    const char *title;
    int big;                   /* large result: peak memory measured in a child process */
    int needs_write;
    /* one call; returns 0 or a negative odoo_error_kind */
    int (*run)(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err);
    int calls_per_run;         /* library calls made by one run */
} workload;

extern const workload workloads[];

/* Measure one protocol on one workload (results[] filled). */
void bench_measure(const bench_config *cfg, odoo_protocol_kind kind, const workload *w, result *r);

/* The floor: the captured request replayed on a bare libcurl handle,
 * without and with a bare parse of the answer. paged: scale the floor to
 * the average answer size (the replayed last page may be short). */
void bench_floor(odoo_protocol *p, odoo_protocol_kind kind, long calls, int paged, result *r);

/* Output. */
void report_markdown(const result *rs, size_t n, FILE *f);
int report_csv(const result *rs, size_t n, const char *path);
int report_svg(const result *rs, size_t n, const char *path);

double now_s(void);
double cpu_s(void);

#endif
