/* The export workload (WL_EXPORT, issue 12) against its targets: every
 * record once (the lines odoo-rpc wrote equal search_count) and a peak
 * resident memory less than T_EXPORT_MB above the same command's with
 * --limit 1, whatever the record count. */
#include <math.h>
#include <stdio.h>

#include "report.h"

#define T_EXPORT_MB 16.0

void report_export_section(const result *rs, size_t n, FILE *f)
{
    const workload *w = NULL;
    for (const workload *x = workloads; x->name; x++)
        if ((x->flags & WL_EXPORT) && has_workload(rs, n, x->name))
            w = x;
    if (!w)
        return;
    int partners = 0, rows = 0, once = 0, flat = 0;
    for (size_t p = 0; p < nprotocols; p++) {
        const result *r = find_libodoo(rs, n, protocols[p].name, w->name);
        if (r && r->ok && !partners)
            partners = r->exp.partners;
    }
    fprintf(f, "## Streamed export\n\n"
               "`odoo-rpc search-read res.partner '[]' --fields (the 8 of sr20kx8) --all --page-size 10000 "
               "--format ndjson` against a second odoo-mock with %d generated partners, its output counted by "
               "odoo-bench; **peak** is the process's resident-memory high-water mark (wait4), **baseline** the "
               "same command with `--limit 1` instead of `--all`. Targets: every record once (lines = "
               "`odoo-rpc count`), peak < %.0f MB above the baseline.\n\n"
               "| client | records written / search_count | output | wall time | client CPU | records/s | peak "
               "RSS | baseline | above baseline |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            partners, T_EXPORT_MB);
    for (size_t p = 0; p < nprotocols; p++) {
        const result *r = find_libodoo(rs, n, protocols[p].name, w->name);
        if (!r)
            continue;
        if (!r->ok) {
            fprintf(f, "| %s | n/a: %s | n/a | n/a | n/a | n/a | n/a | n/a | n/a |\n", client_label(r), r->note);
            continue;
        }
        const exp_result *e = &r->exp;
        char out[24], wall[24], cpu[24], peak[24], base[24], above[24];
        fmt_bytes(out, sizeof(out), e->bytes);
        fmt_ms(wall, sizeof(wall), r->median_ms);
        fmt_us(cpu, sizeof(cpu), r->cpu_us);
        fmt_bytes(peak, sizeof(peak), (r->peak_mb + e->base_mb) * 1e6);
        fmt_bytes(base, sizeof(base), e->base_mb * 1e6);
        fmt_bytes(above, sizeof(above), r->peak_mb * 1e6);
        rows++;
        once += e->records == e->count;
        flat += r->peak_mb < T_EXPORT_MB;
        fprintf(f, "| %s | %.0f / %.0f%s | %s | %s | %s | %.0f | %s | %s | %s |\n", client_label(r), e->records,
                e->count, e->records == e->count ? "" : " (**differs**)", out, wall, cpu,
                r->median_ms > 0 ? e->records / (r->median_ms / 1e3) : NAN, peak, base, above);
    }
    fprintf(f, "\n- every record once: %s (%d of %d protocols)\n- peak < %.0f MB above the baseline: %s (%d of %d)\n\n",
            rows && once == rows ? "**met**" : "missed", once, rows, T_EXPORT_MB,
            rows && flat == rows ? "**met**" : "missed", flat, rows);
}
