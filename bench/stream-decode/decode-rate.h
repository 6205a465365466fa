/* Decode rates of one answer body, shared by stream-decode-bench and
 * odoo-bench's streamed-read section (decode-rate.c): the row cursor over
 * every field, json_tokener_parse, python3's json.loads, best of N on the
 * same bytes, wall and CPU. */
#ifndef ODOO_BENCH_DECODE_RATE_H
#define ODOO_BENCH_DECODE_RATE_H

#include <stddef.h>
#include <json-c/json.h>
#include <odoo/cursor.h>

/* MB/s (10^6 B) of the best run: by wall clock and by this process's CPU
 * (CLOCK_PROCESS_CPUTIME_ID); negative when not measured. */
typedef struct decode_rate {
    double wall_mbs, cpu_mbs;
} decode_rate;

/* One decode of b[0..n): a json-c tree to release outside the time, or
 * NULL; ctx is the function's own. */
typedef json_object *(*decode_fn)(const char *b, size_t n, void *ctx);
/* Best of runs. */
void decode_best_of(decode_fn fn, void *ctx, const char *b, size_t n, int runs, decode_rate *out);

/* Every field of the current record through the accessor of its JSON type
 * (an odoo_row_cb; payload: a size_t checksum). */
int decode_row_any(const odoo_cursor *c, void *payload);

/* decode_fn of the cursor, fed b in the 16 KiB chunks libcurl's write
 * callback hands the transport: ctx is a decode_cursor_ctx. */
typedef struct decode_cursor_ctx {
    int (*row)(const odoo_cursor *c, void *payload); /* NULL: decode_row_any */
    void *payload;
    size_t rows;               /* records of the last run */
    int failed;                /* the cursor refused the body */
} decode_cursor_ctx;
json_object *decode_cursor(const char *b, size_t n, void *ctx);
/* decode_fn of json_tokener_parse (b NUL-terminated); ctx unused. */
json_object *decode_tokener(const char *b, size_t n, void *ctx);

/* python3's json.loads of the file at path, best of runs, timed inside
 * python (perf_counter, process_time); 0, or -1 when python3 did not run. */
int decode_python(const char *path, int runs, decode_rate *out);

#endif
