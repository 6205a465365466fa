/* The streamed read (WL_STREAM, issue 12) against its targets: a
 * Markdown section and a verdict line. Each JSON protocol's rows CPU is
 * compared with OdooRPC's (it speaks JSON-RPC) on the peers' workload,
 * XML-RPC's with Python xmlrpc.client's; peak memory with the same
 * protocol's whole-DOM read; the decode rates are decode.c's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define T_DECODE_MBS 600.0   /* cursor decode rate, wall, best of DEC_RUNS */
#define T_DECODE_X_PY 4.0    /* cursor ÷ python3 json.loads */
#define T_CPU_JSON 0.5       /* rows CPU ÷ OdooRPC's whole read, every JSON protocol */
#define T_CPU_XML 0.25       /* XML-RPC rows CPU ÷ Python xmlrpc.client's */
#define T_PEAK 0.1           /* "far below": rows peak ÷ the same protocol's DOM read */

static const workload *stream_workload(const result *rs, size_t n)
{
    for (const workload *w = workloads; w->name; w++)
        if ((w->flags & WL_STREAM) && has_workload(rs, n, w->name))
            return w;
    return NULL;
}

static const result *peer_row(const result *rs, size_t n, const char *client, const char *wname)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rs[i].client, client) == 0 && strcmp(rs[i].workload, wname) == 0 && rs[i].ok)
            return &rs[i];
    return NULL;
}

/* The peer a protocol's rows are held against. */
static const result *peer_for(const result *rs, size_t n, const workload *w, const char *protocol, double *target)
{
    int xml = strcmp(protocol, "xmlrpc") == 0;
    *target = xml ? T_CPU_XML : T_CPU_JSON;
    return peer_row(rs, n, xml ? "py-xmlrpc" : "py-odoorpc", workload_peer(w));
}

typedef struct stream_eval {
    int decode_rows, decode_met, x_met; /* rows with decode rates; of them, meeting each target */
    double dec_lo, dec_hi, x_lo, x_hi;
    int cpu_rows, cpu_met;
    double cpu_hi;                      /* the worst ratio */
    int peak_rows, peak_met;
    double peak_hi;
} stream_eval;

static void eval(const result *rs, size_t n, const workload *w, stream_eval *e)
{
    memset(e, 0, sizeof(*e));
    e->dec_lo = e->x_lo = INFINITY;
    for (size_t p = 0; p < nprotocols; p++) {
        const result *r = find_libodoo(rs, n, protocols[p].name, w->name);
        if (!r || !r->ok)
            continue;
        const dec_result *d = &r->dec;
        if (d->cursor_wall > 0) {
            double x = d->cursor_wall / d->python_wall;
            e->decode_rows++;
            e->decode_met += d->cursor_wall >= T_DECODE_MBS;
            e->x_met += x >= T_DECODE_X_PY;
            e->dec_lo = fmin(e->dec_lo, d->cursor_wall);
            e->dec_hi = fmax(e->dec_hi, d->cursor_wall);
            if (x > 0) {
                e->x_lo = fmin(e->x_lo, x);
                e->x_hi = fmax(e->x_hi, x);
            }
        }
        double target;
        const result *peer = peer_for(rs, n, w, r->protocol, &target);
        if (peer && peer->cpu_us > 0) {
            double x = r->cpu_us / peer->cpu_us;
            e->cpu_rows++;
            e->cpu_met += x <= target;
            e->cpu_hi = fmax(e->cpu_hi, x / target);
        }
        const result *dom = find_libodoo(rs, n, r->protocol, workload_peer(w));
        if (dom && dom->ok && dom->peak_mb > 0 && r->peak_mb > 0) {
            e->peak_rows++;
            e->peak_met += r->peak_mb / dom->peak_mb <= T_PEAK;
            e->peak_hi = fmax(e->peak_hi, r->peak_mb / dom->peak_mb);
        }
    }
}

static const char *met(int rows, int ok)
{
    return rows == 0 ? "not measured" : ok == rows ? "met" : ok == 0 ? "missed" : "missed on some";
}

static void mbs(char *out, size_t k, double v)
{
    if (v > 0)
        snprintf(out, k, "%.0f MB/s", v);
    else
        snprintf(out, k, "n/a");
}

/* Ratios far below 1 keep three digits: "×0.0028". */
static void fine_ratio(char *out, size_t k, double x)
{
    if (x > 0 && x < 0.01)
        snprintf(out, k, "×%.2g", x);
    else
        fmt_ratio(out, k, x);
}

static void stream_row(const result *rs, size_t n, const workload *w, const result *r, FILE *f)
{
    char cpu[24], pcpu[24], x[24], pk[24], dpk[24], px[24], c1[24], c2[24], t1[24], t2[24], y1[24], y2[24], xp[24];
    double target;
    const result *peer = peer_for(rs, n, w, r->protocol, &target);
    const result *dom = find_libodoo(rs, n, r->protocol, workload_peer(w));
    fmt_us(cpu, sizeof(cpu), r->cpu_us);
    fmt_us(pcpu, sizeof(pcpu), peer ? peer->cpu_us : NAN);
    fmt_ratio(x, sizeof(x), peer ? r->cpu_us / peer->cpu_us : NAN);
    fmt_bytes(pk, sizeof(pk), r->peak_mb * 1e6);
    fmt_bytes(dpk, sizeof(dpk), dom && dom->ok ? dom->peak_mb * 1e6 : NAN);
    fine_ratio(px, sizeof(px), dom && dom->ok ? r->peak_mb / dom->peak_mb : NAN);
    const dec_result *d = &r->dec;
    mbs(c1, sizeof(c1), d->cursor_wall);
    mbs(c2, sizeof(c2), d->cursor_cpu);
    mbs(t1, sizeof(t1), d->tokener_wall);
    mbs(t2, sizeof(t2), d->tokener_cpu);
    mbs(y1, sizeof(y1), d->python_wall);
    mbs(y2, sizeof(y2), d->python_cpu);
    fmt_ratio(xp, sizeof(xp), d->cursor_wall / d->python_wall);
    fprintf(f, "| %s | %s | %s (%s) | %s (≤ ×%.2f: %s) | %s / %s | %s | %s / %s | %s / %s | %s / %s | %s |\n",
            client_label(r), cpu, pcpu, peer ? client_label(peer) : "no peer", x, target,
            peer ? (r->cpu_us / peer->cpu_us <= target ? "met" : "missed") : "n/a", pk, dpk, px, c1, c2, t1, t2, y1,
            y2, xp);
}

void report_stream_section(const run_info *ri, const result *rs, size_t n, FILE *f)
{
    const workload *w = stream_workload(rs, n);
    if (!w)
        return;
    char title[160];
    workload_title(w, ri->big_records, title, sizeof(title));
    fprintf(f,
            "## Streamed reads\n\n"
            "`%s` (%s) beside the whole-DOM `%s`: the same request and answer (one page of all the records), "
            "handed to a row callback from inside the transfer through `odoo_search_read_rows`, every field of "
            "every record read through the cursor's typed accessors (strings as views, many2one as id + name, "
            "false as unset). XML-RPC streams too, through its own incremental decoder (no floor of its own: it "
            "would be `%s`'s, the same request). The peers decode whole: their `%s` "
            "is the comparison (OdooRPC, which speaks JSON-RPC, for every JSON protocol; Python xmlrpc.client "
            "for XML-RPC). **Decode rates** (JSON protocols): the very answer body the floor received, decoded "
            "in memory best of %d (with --runs, the best of the runs; MB/s of 10^6 B, wall / CPU) by the cursor "
            "with the workload's row callback "
            "(fed in the 16 KiB chunks libcurl's write callback delivers), "
            "by `json_tokener_parse` and by python3's `json.loads` (a subprocess).\n\n"
            "| client | client CPU per call | peer's `%s` | ÷ peer | peak memory: rows / DOM | ÷ DOM | cursor "
            "| json_tokener_parse | python3 json.loads | cursor ÷ python |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            w->name, title, workload_peer(w), workload_peer(w), workload_peer(w), DEC_RUNS, workload_peer(w));
    for (size_t p = 0; p < nprotocols; p++) {
        const result *r = find_libodoo(rs, n, protocols[p].name, w->name);
        if (r && r->ok)
            stream_row(rs, n, w, r, f);
        else if (r)
            fprintf(f, "| %s | n/a: %.100s | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a |\n", client_label(r),
                    r->note[0] ? r->note : "not measured");
    }
    stream_eval e;
    eval(rs, n, w, &e);
    char lo[16], hi[16], xl[16], xh[16], cw[16], pw[16];
    snprintf(lo, sizeof(lo), "%.0f", e.dec_lo);
    snprintf(hi, sizeof(hi), "%.0f", e.dec_hi);
    fmt_ratio(xl, sizeof(xl), e.x_lo);
    fmt_ratio(xh, sizeof(xh), e.x_hi);
    fmt_ratio(cw, sizeof(cw), e.cpu_hi);
    fine_ratio(pw, sizeof(pw), e.peak_hi);
    fprintf(f,
            "\nTargets (issue 12):\n\n"
            "- cursor decode ≥ %.0f MB/s: %s (%s to %s MB/s wall on %d protocol%s)\n"
            "- cursor ≥ ×%.0f python3's json.loads: %s (%s to %s)\n"
            "- client CPU ≤ ×%.2f OdooRPC's on every JSON protocol, XML-RPC ≤ ×%.2f Python xmlrpc.client's: %s "
            "(%d of %d rows; the worst at %s its target)\n"
            "- peak memory far below the DOM's (≤ ×%.1f of the same protocol's `%s`, JSON protocols): %s "
            "(%d of %d; the highest %s)\n\n",
            T_DECODE_MBS, met(e.decode_rows, e.decode_met), lo, hi, e.decode_rows, e.decode_rows == 1 ? "" : "s",
            T_DECODE_X_PY, met(e.decode_rows, e.x_met), xl, xh, T_CPU_JSON, T_CPU_XML, met(e.cpu_rows, e.cpu_met),
            e.cpu_met, e.cpu_rows, cw, T_PEAK, workload_peer(w), met(e.peak_rows, e.peak_met), e.peak_met,
            e.peak_rows, pw);
}

int verdict_stream(const result *rs, size_t n, char *out)
{
    const workload *w = stream_workload(rs, n);
    if (!w)
        return 0;
    stream_eval e;
    eval(rs, n, w, &e);
    char xl[16], cw[16], pw[16];
    fmt_ratio(xl, sizeof(xl), e.x_lo);
    fmt_ratio(cw, sizeof(cw), e.cpu_hi);
    fine_ratio(pw, sizeof(pw), e.peak_hi);
    snprintf(out, VERDICT_LEN,
             "Streamed reads (`%s`, issue 12): cursor decode from %.0f MB/s (target %.0f: %s), from %s python3's "
             "json.loads (target ×%.0f: %s); client CPU against the peers' whole read %s (worst %s of its "
             "target); peak memory at most %s of the DOM read's (%s).",
             w->name, e.dec_lo, T_DECODE_MBS, met(e.decode_rows, e.decode_met), xl, T_DECODE_X_PY,
             met(e.decode_rows, e.x_met), met(e.cpu_rows, e.cpu_met), cw, pw, met(e.peak_rows, e.peak_met));
    return 1;
}
