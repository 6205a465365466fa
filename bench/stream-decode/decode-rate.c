/* Decode rates of one body (decode-rate.h). */
#include <stdio.h>
#include <time.h>

#include "decode-rate.h"

#define DECODE_CHUNK 16384

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void decode_best_of(decode_fn fn, void *ctx, const char *b, size_t n, int runs, decode_rate *out)
{
    double wall = 1e9, cpu = 1e9;
    for (int k = 0; k < runs; k++) {
        double w0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        json_object *v = fn(b, n, ctx);
        double w = clock_s(CLOCK_MONOTONIC) - w0, c = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        json_object_put(v); /* outside the time: json-c's free is the same for every DOM */
        wall = w < wall ? w : wall;
        cpu = c < cpu ? c : cpu;
    }
    out->wall_mbs = wall > 0 ? (double)n / wall / 1e6 : -1;
    out->cpu_mbs = cpu > 0 ? (double)n / cpu / 1e6 : -1;
}

int decode_row_any(const odoo_cursor *c, void *payload)
{
    size_t *sum = payload, nf = odoo_cursor_field_count(c);
    for (size_t i = 0; i < nf; i++) {
        int64_t v, id;
        double d;
        const char *s;
        size_t len;
        int t;
        const int64_t *ids;
        switch (odoo_cursor_type(c, (long)i)) {
        case ODOO_FIELD_TYPE_INT: odoo_cursor_int64(c, (long)i, &v); *sum += (size_t)v; break;
        case ODOO_FIELD_TYPE_DOUBLE: odoo_cursor_double(c, (long)i, &d); *sum += (size_t)d; break;
        case ODOO_FIELD_TYPE_STRING: odoo_cursor_string(c, (long)i, &s, &len); *sum += len; break;
        case ODOO_FIELD_TYPE_TRUE:
        case ODOO_FIELD_TYPE_FALSE: odoo_cursor_bool(c, (long)i, &t); *sum += (size_t)t; break;
        case ODOO_FIELD_TYPE_MANY2ONE: odoo_cursor_many2one(c, (long)i, &id, &s, &len); *sum += len; break;
        case ODOO_FIELD_TYPE_IDS: odoo_cursor_ids(c, (long)i, &ids, &len); *sum += len; break;
        default: break;
        }
    }
    return 0;
}

json_object *decode_cursor(const char *b, size_t n, void *ctx)
{
    decode_cursor_ctx *x = ctx;
    size_t sum = 0, at = 0;
    int (*row)(const odoo_cursor *, void *) = x->row ? x->row : decode_row_any;
    void *payload = x->row ? x->payload : &sum;
    odoo_cursor *c = odoo_cursor_new(NULL);
    x->rows = 0;
    if (!c) {
        x->failed = 1;
        return NULL;
    }
    /* In the chunks libcurl's write callback hands over (at most
     * CURL_MAX_WRITE_SIZE, 16 KiB): the window the transport's cursor
     * works in, not one copy of the whole body. */
    int rc;
    for (;;) {
        rc = odoo_cursor_next(c, NULL);
        if (rc == ODOO_CURSOR_ROW) {
            if (row(c, payload) != 0)
                break;
            x->rows++;
            continue;
        }
        if (rc != ODOO_CURSOR_MORE)
            break;
        if (at == n) {
            odoo_cursor_finish(c);
            continue;
        }
        size_t k = n - at < DECODE_CHUNK ? n - at : DECODE_CHUNK;
        if (odoo_cursor_feed(c, b + at, k) != 0)
            break;
        at += k;
    }
    if (rc != ODOO_CURSOR_DONE)
        x->failed = 1;
    odoo_cursor_free(c);
    return NULL;
}

json_object *decode_tokener(const char *b, size_t n, void *ctx)
{
    (void)n;
    (void)ctx;
    return json_tokener_parse(b);
}

int decode_python(const char *path, int runs, decode_rate *out)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import json,sys,time\n"
             "b=open(sys.argv[1],\"rb\").read()\nw=c=9e9\n"
             "for _ in range(%d):\n"
             " t=time.perf_counter(); p=time.process_time(); json.loads(b)\n"
             " w=min(w,time.perf_counter()-t); c=min(c,time.process_time()-p)\n"
             "print(len(b)/w/1e6, len(b)/c/1e6 if c>0 else -1)' '%s' 2>/dev/null",
             runs, path);
    out->wall_mbs = out->cpu_mbs = -1;
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    int got = fscanf(p, "%lf %lf", &out->wall_mbs, &out->cpu_mbs);
    pclose(p);
    if (got != 2) {
        out->wall_mbs = out->cpu_mbs = -1;
        return -1;
    }
    return 0;
}
