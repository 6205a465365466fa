/* odoo-bench output: a Markdown table, CSV, and a hand-made SVG. */
#include <stdio.h>
#include <string.h>

#include "bench.h"

static double ratio(const result *r)
{
    return r->floor_parse_us > 0 ? r->cpu_us / r->floor_parse_us : 0;
}

void report_markdown(const result *rs, size_t n, FILE *f)
{
    fprintf(f, "| workload | protocol | calls | median ms | p95 ms | CPU µs/call | floor µs (curl / +parse) "
               "| × floor | req B | resp B | calls/s | peak MB |\n");
    fprintf(f, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < n; i++) {
        const result *r = &rs[i];
        if (!r->ok) {
            fprintf(f, "| %s | %s | — | — | — | — | — | — | — | — | — | %s |\n", r->workload, r->protocol, r->note);
            continue;
        }
        char fl[64] = "—", x[16] = "—", peak[16] = "—";
        if (r->floor_parse_us > 0) {
            snprintf(fl, sizeof(fl), "%.0f / %.0f", r->floor_curl_us, r->floor_parse_us);
            snprintf(x, sizeof(x), "%.2f", ratio(r));
        }
        char req[24] = "—", resp[24] = "—";
        if (r->peak_rss_mb > 0)
            snprintf(peak, sizeof(peak), "%.1f", r->peak_rss_mb);
        if (r->req_bytes > 0) {
            snprintf(req, sizeof(req), "%.0f", r->req_bytes);
            snprintf(resp, sizeof(resp), "%.0f", r->resp_bytes);
        }
        fprintf(f, "| %s | %s | %ld | %.3f | %.3f | %.0f | %s | %s | %s | %s | %.0f | %s |\n", r->workload,
                r->protocol, r->calls, r->median_ms, r->p95_ms, r->cpu_us, fl, x, req, resp, r->calls_per_s, peak);
    }
}

int report_csv(const result *rs, size_t n, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "workload,protocol,ok,calls,median_ms,p95_ms,cpu_us_per_call,floor_curl_us,floor_parse_us,"
               "ratio_to_floor,req_bytes,resp_bytes,calls_per_s,peak_rss_mb,note\n");
    for (size_t i = 0; i < n; i++) {
        const result *r = &rs[i];
        fprintf(f, "%s,%s,%d,%ld,%.4f,%.4f,%.2f,%.2f,%.2f,%.3f,%.0f,%.0f,%.1f,%.2f,\"%s\"\n", r->workload,
                r->protocol, r->ok, r->calls, r->median_ms, r->p95_ms, r->cpu_us, r->floor_curl_us,
                r->floor_parse_us, ratio(r), r->req_bytes, r->resp_bytes, r->calls_per_s, r->peak_rss_mb, r->note);
    }
    return fclose(f);
}

/* One panel per workload, one bar per protocol: median latency, and the
 * client CPU per call as a darker inner bar. Each panel has its own scale. */
int report_svg(const result *rs, size_t n, const char *path)
{
    static const char *const colors[] = { "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2" };
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    const char *protos[8];
    size_t np = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < np && strcmp(protos[j], rs[i].protocol) != 0)
            j++;
        if (j == np && np < 8)
            protos[np++] = rs[i].protocol;
    }
    const char *works[16];
    size_t nw = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < nw && strcmp(works[j], rs[i].workload) != 0)
            j++;
        if (j == nw && nw < 16)
            works[nw++] = rs[i].workload;
    }
    const int bar = 16, gap = 4, label = 150, width = 900, chart = width - label - 160;
    int panel = (int)np * (bar + gap) + 34;
    int height = (int)nw * panel + 60;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
               "font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n", width, height);
    fprintf(f, "<text x=\"10\" y=\"22\" font-size=\"16\" font-weight=\"bold\">odoo-bench: median latency per call "
               "(light) and client CPU per call (dark), by protocol</text>\n");
    for (size_t w = 0; w < nw; w++) {
        int y0 = 44 + (int)w * panel;
        double max = 0;
        for (size_t i = 0; i < n; i++)
            if (strcmp(rs[i].workload, works[w]) == 0 && rs[i].ok && rs[i].median_ms > max)
                max = rs[i].median_ms;
        fprintf(f, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>\n", y0 + 12, works[w]);
        for (size_t k = 0; k < np; k++) {
            int y = y0 + 20 + (int)k * (bar + gap);
            fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n", label - 6, y + 12, protos[k]);
            for (size_t i = 0; i < n; i++) {
                const result *r = &rs[i];
                if (strcmp(r->workload, works[w]) != 0 || strcmp(r->protocol, protos[k]) != 0)
                    continue;
                if (!r->ok || max <= 0) {
                    fprintf(f, "<text x=\"%d\" y=\"%d\" fill=\"#999\">n/a</text>\n", label, y + 12);
                    continue;
                }
                double lw = r->median_ms / max * chart, cw = r->cpu_us / 1e3 / max * chart;
                if (cw > lw)
                    cw = lw;
                fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" opacity=\"0.45\"/>\n",
                        label, y, lw, bar, colors[k % 6]);
                fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", label, y + 4, cw,
                        bar - 8, colors[k % 6]);
                fprintf(f, "<text x=\"%.1f\" y=\"%d\">%.3f ms, %.0f µs CPU</text>\n", label + lw + 6, y + 12,
                        r->median_ms, r->cpu_us);
            }
        }
    }
    fprintf(f, "</svg>\n");
    return fclose(f);
}
