/* The Markdown report: header, verdict, units, the table, peers' ratios. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define MAX_CLIENTS 16

static void header(const run_info *ri, FILE *f)
{
    fprintf(f, "# odoo-bench: which protocol, and what it costs\n\n");
    fprintf(f, "Command: `%s`\n\n", ri->command);
    fprintf(f, "| run | |\n|---|---|\n");
    fprintf(f, "| date | %s |\n", ri->date);
    fprintf(f, "| commit | %s |\n", ri->commit);
    fprintf(f, "| machine | %s; %s, %ld cores |\n", ri->machine, ri->cpu, ri->cores);
    fprintf(f, "| server | %s, %s; Odoo %s (as version_info answers) |\n", ri->server_kind, ri->server_url,
            ri->server_version);
    fprintf(f, "| ODXProxy gateway | %s |\n", ri->gateway);
    fprintf(f, "| calls and budget | %s |\n", ri->budget);
    fprintf(f, "| CPU placement | %s |\n", ri->pinning);
    fprintf(f, "| peers | %s |\n\n", ri->peers_note[0] ? ri->peers_note : "not run (no --peers)");
}

static void verdict_section(const run_info *ri, const result *rs, size_t n, FILE *f)
{
    char lines[VERDICT_LINES][VERDICT_LEN];
    int k = verdict(ri, rs, n, lines);
    fprintf(f, "## Verdict for Odoo %s\n\n", ri->server_version);
    for (int i = 0; i < k; i++)
        fprintf(f, "%s%s\n", i == 0 ? "" : "- ", lines[i]);
    fprintf(f, "\n");
}

static void units(FILE *f)
{
    fputs("## Units\n\n"
          "- **latency per call**: wall time of one HTTP request, median and 95th percentile (µs, ms, s).\n"
          "- **client CPU per call**: user + system CPU time of the client's process (getrusage) per request, "
          "measured the same way for libodoo and every peer; the server runs in another process and is left out.\n"
          "- **floor**: the same request bytes sent on a bare libcurl keep-alive handle with no encoding or "
          "decoding (*bare curl*), each answer then parsed by bare json-c or xmlrpc-c (*curl + parse*, which "
          "includes the curl time it was measured with). **libodoo ÷ floor** is libodoo's client CPU over "
          "*curl + parse*: ×1.00 is no cost above a bare HTTP client and parser; below ×1 libodoo's decoder "
          "is cheaper than the bare parser (XML-RPC: its scanner against xmlrpc-c).\n"
          "- **bytes per call**: as on the wire, HTTP headers included; 1 kB = 1000 B, 1 MB = 10^6 B.\n"
          "- **peak memory of the first call**: resident-memory high-water mark of a big read's first call in a "
          "fresh process, minus the resident memory before it (big reads only).\n"
          "- **n/a**: not measured, with the reason, or not measurable for that client (the floor is libodoo's "
          "only, peak memory is measured on big reads only).\n"
          "- The CSV has the same columns, one value per column, in the unit its header names; an empty cell is "
          "n/a.\n\n",
          f);
}

/* Text in a table cell: no column separator, no line break. */
static void cell_text(const char *s, FILE *f)
{
    for (; *s; s++)
        fputc(*s == '|' ? '/' : *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void row(const result *r, FILE *f)
{
    char a[128], b[64];
    for (size_t c = 0; c < ncolumns; c++) {
        const column *col = &columns[c];
        if (!col->md)
            continue;
        if (!r->ok && c >= 2) {
            if (c == 2) {
                fputs("| n/a: ", f);
                cell_text(r->note[0] ? r->note : "not measured", f);
                fputc(' ', f);
            } else
                fputs("| n/a ", f);
            continue;
        }
        col->cell(r, 0, 0, a, sizeof(a));
        if (col->csv[1]) {
            col->cell(r, 1, 0, b, sizeof(b));
            if (!b[0]) /* one value in Markdown */
                fprintf(f, "| %s ", a);
            else if (strcmp(a, "n/a") != 0 || strcmp(b, "n/a") != 0)
                fprintf(f, "| %s / %s ", a, b);
            else
                fprintf(f, "| n/a ");
        } else {
            fprintf(f, "| %s ", a);
        }
    }
    fputs("|\n", f);
}

static void table(const result *rs, size_t n, FILE *f)
{
    fputs("## Results\n\n", f);
    for (size_t c = 0; c < ncolumns; c++)
        if (columns[c].md)
            fprintf(f, "| %s ", columns[c].md);
    fputs("|\n", f);
    for (size_t c = 0; c < ncolumns; c++)
        if (columns[c].md)
            fputs(c < 2 ? "|---" : "|---:", f);
    fputs("|\n", f);
    const result *rows[MAX_RESULTS];
    size_t m = report_rows(rs, n, rows, MAX_RESULTS);
    for (size_t i = 0; i < m; i++)
        row(rows[i], f);
    fputs("\n", f);
}

static void ratio_cell(const result *peer, const result *lib, int bold, int named, FILE *f)
{
    char x[24];
    if (!peer->ok || !lib || !lib->ok || !(lib->cpu_us > 0)) {
        fputs("| n/a ", f);
        return;
    }
    fmt_ratio(x, sizeof(x), peer->cpu_us / lib->cpu_us);
    fprintf(f, bold ? "| **%s** " : "| %s ", x);
    if (named)
        fprintf(f, "(%s) ", lib->protocol);
}

/* Peer CPU over libodoo's, per workload: against the best protocol and
 * each one (bold: the same wire protocol as the peer). */
static void peer_ratios(const result *rs, size_t n, FILE *f)
{
    int any = 0;
    for (size_t i = 0; i < n; i++)
        any |= !result_is_libodoo(&rs[i]);
    if (!any)
        return;
    fputs("## Peers against libodoo: client CPU per call, peer ÷ libodoo\n\n"
          "Above ×1 the peer spends more CPU per call than libodoo. In bold, libodoo on the peer's own wire "
          "protocol.\n\n| workload | peer (protocol) | peer CPU per call | ÷ best libodoo",
          f);
    for (size_t p = 0; p < nprotocols; p++)
        fprintf(f, " | ÷ libodoo %s", protocols[p].name);
    fputs(" |\n|---|---|---:|---:", f);
    for (size_t p = 0; p < nprotocols; p++)
        fputs("|---:", f);
    fputs("|\n", f);
    const result *clients[MAX_CLIENTS];
    size_t k = client_order(rs, n, clients, MAX_CLIENTS);
    for (const workload *w = workloads; w->name; w++)
        for (size_t c = 0; c < k; c++) {
            const result *r = result_is_libodoo(clients[c]) ? NULL : find_row(rs, n, clients[c], w->name);
            if (!r)
                continue;
            char cpu[24];
            fmt_us(cpu, sizeof(cpu), r->ok ? r->cpu_us : NAN);
            fprintf(f, "| %s | %s (%s) | %s ", w->name, client_label(r), r->protocol, cpu);
            ratio_cell(r, best_libodoo_cpu(rs, n, w->name), 0, 1, f);
            for (size_t p = 0; p < nprotocols; p++)
                ratio_cell(r, find_libodoo(rs, n, protocols[p].name, w->name),
                           strcmp(protocols[p].name, r->protocol) == 0, 0, f);
            fputs("|\n", f);
        }
    fputs("\n", f);
}

static void workload_list(const run_info *ri, const result *rs, size_t n, FILE *f)
{
    fputs("## Workloads\n\n", f);
    for (const workload *w = workloads; w->name; w++) {
        char title[160];
        workload_title(w, ri->big_records, title, sizeof(title));
        if (has_workload(rs, n, w->name))
            fprintf(f, "- `%s`: %s%s\n", w->name, title,
                    (w->flags & WL_PEERS) ? "" : " (libodoo only: the peers have no such call)");
    }
    fputs("\n", f);
}

void report_markdown(const run_info *ri, const result *rs, size_t n, FILE *f)
{
    header(ri, f);
    verdict_section(ri, rs, n, f);
    units(f);
    table(rs, n, f);
    peer_ratios(rs, n, f);
    workload_list(ri, rs, n, f);
}
