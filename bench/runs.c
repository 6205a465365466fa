/* --runs N: the whole measurement repeated, merged into one table.
 *
 * CPU time on a shared machine varies by tens of per cent from run to
 * run, so a figure quoted from one run says little. Each row of the
 * merged table is the copy of one run's row: the run whose client CPU is
 * the median of the runs that measured it (so latency, bytes and the
 * other columns come from the same run as its CPU), with the lowest and
 * highest CPU of all of them beside it. The decode rates, each already
 * the best of DEC_RUNS decodes, are the best of the runs, for the cursor,
 * json-c and Python alike: a best-of is a measure of the code where the
 * machine let it run, and a shared machine has whole seconds when it
 * does not. */
#include <math.h>
#include <string.h>

#include "bench.h"

/* *best = the larger of the two, a rate not measured (NAN) the smaller */
static void keep_best(double *best, double v)
{
    if (!isnan(v) && (isnan(*best) || v > *best))
        *best = v;
}

static int same_row(const result *a, const result *b)
{
    return strcmp(a->client, b->client) == 0 && strcmp(a->protocol, b->protocol) == 0 &&
           strcmp(a->workload, b->workload) == 0;
}

static const result *find_same(const result *rs, size_t n, const result *r)
{
    for (size_t i = 0; i < n; i++)
        if (same_row(&rs[i], r))
            return &rs[i];
    return NULL;
}

size_t runs_merge(result *out, size_t room, result *const *runs, const size_t *counts, int nruns)
{
    size_t m = 0;
    for (size_t i = 0; i < counts[0] && m < room; i++) {
        const result *row[MAX_RUNS];
        int k = 0;
        for (int r = 0; r < nruns; r++) {
            const result *x = r == 0 ? &runs[0][i] : find_same(runs[r], counts[r], &runs[0][i]);
            if (x && x->ok && !isnan(x->cpu_us))
                row[k++] = x;
        }
        if (k == 0) { /* measured in no run: the first run's row says why */
            out[m++] = runs[0][i];
            continue;
        }
        /* sort by CPU (k <= MAX_RUNS): the median is row[(k - 1) / 2] */
        for (int a = 1; a < k; a++)
            for (int b = a; b > 0 && row[b]->cpu_us < row[b - 1]->cpu_us; b--) {
                const result *t = row[b];
                row[b] = row[b - 1];
                row[b - 1] = t;
            }
        out[m] = *row[(k - 1) / 2];
        out[m].runs = k;
        out[m].cpu_lo_us = row[0]->cpu_us;
        out[m].cpu_hi_us = row[k - 1]->cpu_us;
        for (int a = 0; a < k; a++) {
            const dec_result *d = &row[a]->dec;
            dec_result *o = &out[m].dec;
            keep_best(&o->cursor_wall, d->cursor_wall);
            keep_best(&o->cursor_cpu, d->cursor_cpu);
            keep_best(&o->tokener_wall, d->tokener_wall);
            keep_best(&o->tokener_cpu, d->tokener_cpu);
            keep_best(&o->python_wall, d->python_wall);
            keep_best(&o->python_cpu, d->python_cpu);
        }
        m++;
    }
    return m;
}
