/* The Markdown report: header, verdict, units, the table, the parallel
 * calls, peers' ratios. */
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
    fprintf(f, "| client | %s |\n", ri->client);
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
          "- **parallel** (its own section): 16 connections per protocol, logged in first; *one call* is the median "
          "of the sequential calls on one connection, *16 at once* the median time of a batch of 16 calls through "
          "one `odoo_multi`, one per connection; **scaling** = 16 × one call ÷ 16 at once (×16 is perfect); "
          "**rate ÷ sequential** is the rate of many calls with 16 in flight (16 queued on each connection) over "
          "the sequential rate; **TCP connections** opened, from the connections' counters (`odoo_stats`), by the "
          "logins and warm-up / during the measurement (each one a TCP handshake; no TLS on odoo-mock); **client "
          "CPU per call** in the multi and sequentially. In the Results table its latency and CPU are the "
          "sequential calls'.\n"
          "- The CSV has the same columns, one value per column, in the unit its header names, and the parallel "
          "figures in columns of their own; an empty cell is n/a.\n\n",
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

static void parallel_row(const result *r, FILE *f)
{
    const par_result *p = &r->par;
    char one[24], batch[24], sc[24], rx[24], cm[24], cs[24];
    fprintf(f, "| %s ", client_label(r));
    if (!r->ok) {
        fputs("| n/a: ", f);
        cell_text(r->note[0] ? r->note : "not measured", f);
        fputs(" | n/a | n/a | n/a | n/a | n/a |\n", f);
        return;
    }
    fmt_ms(one, sizeof(one), p->one_ms);
    fmt_ms(batch, sizeof(batch), p->batch_ms);
    fmt_ratio(sc, sizeof(sc), p->scaling);
    fmt_ratio(rx, sizeof(rx), p->rate_x);
    fmt_us(cm, sizeof(cm), p->cpu_multi_us);
    fmt_us(cs, sizeof(cs), p->cpu_seq_us);
    fprintf(f, "| %s | %s | %s | %s (%ld calls: %.0f/s; sequential %ld: %.1f/s) | %.0f / %.0f | %s / %s |\n", one,
            batch, sc, rx, p->many_calls, p->many_rate, p->seq_calls, p->seq_rate, p->conn_setup, p->conn_measured,
            cm, cs);
}

/* One nginx of the batch behind it (h2.c): a line. */
static void nginx_line(const char *what, const h2_side *s, long rounds, const char *note, FILE *f)
{
    if (!(s->batch_ms > 0)) {
        fprintf(f, "- %s: not measured: %s\n", what, note);
        return;
    }
    char ms[24];
    fmt_ms(ms, sizeof(ms), s->batch_ms);
    fprintf(f,
            "- %s: %.0f TCP connection%s = %.0f TLS handshake%s per batch%s; nginx logged %ld of %ld requests "
            "as HTTP/2.0, %ld as HTTP/1.1; %s a batch\n",
            what, s->connections, s->connections == 1 ? "" : "s", s->connections, s->connections == 1 ? "" : "s",
            rounds > 1 ? " (the most of any)" : "", s->http2, rounds * H2_CALLS, s->http11, ms);
}

/* The json2 row's batch behind nginx, against its target. */
static void nginx_section(const result *rs, size_t n, FILE *f)
{
    const result *r = find_libodoo(rs, n, "json2", "parallel");
    const h2_result *h = r ? &r->par.nginx : NULL;
    if (!h || !h->tried)
        return;
    fprintf(f, "Behind nginx (TLS from a throwaway CA, gzip, upstream keep-alive) in front of odoo-mock, under the "
               "same latency: %d `search_read` calls (%d records × 2 fields) at once on json2 through one "
               "`odoo_multi`, on %d new connections for every batch (cold: what the batch opens is counted)",
            H2_CALLS, 5, H2_CALLS);
    if (!(h->h2.batch_ms > 0)) {
        fprintf(f, ": not measured: %s.\n\n", h->note);
        return;
    }
    fprintf(f, "; median of %ld batch%s. Target: one TLS handshake for %d calls: **%s**.\n\n", h->rounds,
            h->rounds == 1 ? "" : "es", H2_CALLS,
            h->h2.connections == 1 && h->h2.http2 == h->rounds * H2_CALLS ? "met" : "missed");
    nginx_line("nginx offering h2 (ALPN)", &h->h2, h->rounds, h->note, f);
    nginx_line("nginx with HTTP/1.1 only", &h->h1, h->rounds, h->note, f);
    fputs("\n", f);
}

/* The parallel workload's figures, one row per protocol. */
static void parallel_section(const result *rs, size_t n, FILE *f)
{
    const result *first = NULL;
    for (size_t p = 0; p < nprotocols && !first; p++)
        first = find_libodoo(rs, n, protocols[p].name, "parallel");
    if (!first)
        return;
    char latency[160];
    double ms = first->par.latency_ms;
    if (isnan(ms))
        snprintf(latency, sizeof(latency), "the server's own latency (no fault injected: `--url`)");
    else if (ms == 0)
        snprintf(latency, sizeof(latency), "no added latency (`--latency 0`)");
    else
        snprintf(latency, sizeof(latency),
                 "odoo-mock delaying every answer by %.0f ms during this workload only (its `latency` fault; "
                 "`--latency`)",
                 ms);
    fprintf(f,
            "## Parallel calls\n\n"
            "%d connections per protocol, read of 1 record × 2 fields, under %s. Targets: scaling ≥ ×%.1f, "
            "rate ÷ sequential ≥ ×%.1f, client CPU per call in the multi no higher than sequential.\n\n"
            "| client | one call | %d at once | scaling | %d in flight: rate ÷ sequential | TCP connections: setup "
            "/ measured | client CPU per call: multi / sequential |\n|---|---:|---:|---:|---:|---:|---:|\n",
            PAR_CONNS, latency, 0.8 * PAR_CONNS, 0.8 * PAR_CONNS, PAR_CONNS, PAR_CONNS);
    for (size_t p = 0; p < nprotocols; p++) {
        const result *r = find_libodoo(rs, n, protocols[p].name, "parallel");
        if (r)
            parallel_row(r, f);
    }
    fputs("\n", f);
    nginx_section(rs, n, f);
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
          "protocol. A workload the peers have no call for is held against the peers' nearest one, named in "
          "brackets: `sr20kx8rows (sr20kx8)` is libodoo streaming the rows against the peers' whole read of the "
          "same records.\n\n| workload | peer (protocol) | peer CPU per call | ÷ best libodoo",
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
            const char *pw = workload_peer(w);
            const result *r = result_is_libodoo(clients[c]) || !(w->flags & WL_PEERS)
                                  ? NULL
                                  : find_row(rs, n, clients[c], pw);
            if (!r || !has_workload(rs, n, w->name))
                continue;
            char cpu[24];
            fmt_us(cpu, sizeof(cpu), r->ok ? r->cpu_us : NAN);
            fprintf(f, w->peer ? "| %s (%s) " : "| %s ", w->name, pw);
            fprintf(f, "| %s (%s) | %s ", client_label(r), r->protocol, cpu);
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
            fprintf(f, "- `%s`: %s%s%s%s\n", w->name, title,
                    !(w->flags & WL_PEERS) ? " (libodoo only: the peers have no such call)"
                    : w->peer               ? " (the peers: their `"
                                            : "",
                    w->peer ? workload_peer(w) : "",
                    w->peer ? "`, decoded whole)" : "");
    }
    fputs("\n", f);
}

void report_markdown(const run_info *ri, const result *rs, size_t n, FILE *f)
{
    header(ri, f);
    verdict_section(ri, rs, n, f);
    units(f);
    table(rs, n, f);
    parallel_section(rs, n, f);
    report_stream_section(ri, rs, n, f);
    report_export_section(rs, n, f);
    peer_ratios(rs, n, f);
    workload_list(ri, rs, n, f);
}
