/* What the three reports share: units, client names, the table's columns,
 * lookups among the results, and the verdict. */
#ifndef ODOO_BENCH_REPORT_H
#define ODOO_BENCH_REPORT_H

#include "bench.h"

/* Numbers in readable units, three significant digits; "n/a" for NAN.
 * kB and MB are 10^3 and 10^6 bytes. */
void fmt_ms(char *out, size_t n, double ms);       /* "21.3 µs", "1.17 ms", "1.10 s" */
void fmt_us(char *out, size_t n, double us);
void fmt_bytes(char *out, size_t n, double bytes); /* "851 B", "20.0 kB", "4.88 MB" */
void fmt_ratio(char *out, size_t n, double x);     /* "×1.27" */

/* "libodoo json2", "Python xmlrpc.client", ... */
const char *client_label(const result *r);
/* The distinct clients (client + protocol) in report order: libodoo's
 * protocols first, then the peers. Returns how many (at most max). */
size_t client_order(const result *rs, size_t n, const result **out, size_t max);
int same_client(const result *a, const result *b);

/* Every row in report order (by workload, then client_order), at most max. */
size_t report_rows(const result *rs, size_t n, const result **out, size_t max);

/* The row of client on workload, or NULL. */
const result *find_row(const result *rs, size_t n, const result *client, const char *wname);
const result *find_libodoo(const result *rs, size_t n, const char *protocol, const char *wname);
/* libodoo's lowest client CPU on workload, or NULL. */
const result *best_libodoo_cpu(const result *rs, size_t n, const char *wname);
/* 1 when some row is of workload. */
int has_workload(const result *rs, size_t n, const char *wname);

double over_floor(const result *r);                /* cpu / (curl + parse) floor, NAN when none */
double total_bytes(const result *r);               /* sent + received per call */

/* The table's columns, the same in Markdown and CSV: a Markdown cell may
 * hold two values ("median / p95"), each its own CSV column. */
typedef struct column {
    const char *md;            /* Markdown header; NULL: CSV only */
    const char *csv[2];        /* CSV headers of its values (csv[1] NULL for one) */
    /* value i: raw for CSV ("" when none), or with its unit ("n/a" when none) */
    void (*cell)(const result *r, int i, int raw, char *out, size_t n);
} column;
extern const column columns[];
extern const size_t ncolumns;

/* The verdict: lines of Markdown (no newline), derived from the numbers. */
#define VERDICT_LINES 7
#define VERDICT_LEN 768
int verdict(const run_info *ri, const result *rs, size_t n, char lines[VERDICT_LINES][VERDICT_LEN]);

/* The streamed read against issue 12's targets (report_stream.c): its
 * Markdown section, and its verdict line into out (0: no such rows). */
void report_stream_section(const run_info *ri, const result *rs, size_t n, FILE *f);
int verdict_stream(const result *rs, size_t n, char *out);
/* The export workload's Markdown section (report_export.c). */
void report_export_section(const result *rs, size_t n, FILE *f);

#endif
