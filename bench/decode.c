/* The decode rates of a streamed workload's answer: the very body the
 * floor received for it (one 20,000 x 8 search_read answer of the server),
 * decoded best of DEC_RUNS by the row cursor with the workload's own row
 * callback, by json_tokener_parse and by python3's json.loads (a
 * subprocess reading a copy in a temporary file); bench/stream-decode's
 * code (decode-rate.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "bench.h"
#include "stream-decode/decode-rate.h"

static void put(decode_rate d, double *wall, double *cpu)
{
    *wall = d.wall_mbs > 0 ? d.wall_mbs : NAN;
    *cpu = d.cpu_mbs > 0 ? d.cpu_mbs : NAN;
}

void decode_measure(const char *body, size_t len, result *r)
{
    dec_result *d = &r->dec;
    bench_rows rows = { { 0 }, 0, 0, 0 };
    decode_cursor_ctx cc = { bench_read_row, &rows, 0, 0 };
    decode_rate x;
    d->body_bytes = (double)len;
    decode_best_of(decode_cursor, &cc, body, len, DEC_RUNS, &x);
    if (!cc.failed && cc.rows > 0)
        put(x, &d->cursor_wall, &d->cursor_cpu);
    decode_best_of(decode_tokener, NULL, body, len, DEC_RUNS, &x);
    put(x, &d->tokener_wall, &d->tokener_cpu);

    char path[] = "/tmp/odoo-bench-body-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    int written = f && fwrite(body, 1, len, f) == len;
    if (f && fclose(f) != 0)
        written = 0;
    if (written && decode_python(path, DEC_RUNS, &x) == 0)
        put(x, &d->python_wall, &d->python_cpu);
    if (fd >= 0)
        unlink(path);
}
