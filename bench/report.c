/* What the reports share: results, units, client names, columns, lookups. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

void result_init(result *r, const char *client, const char *protocol, const char *wname)
{
    memset(r, 0, sizeof(*r));
    r->client = client;
    r->protocol = protocol;
    r->workload = wname;
    r->median_ms = r->p95_ms = r->cpu_us = r->cpu_lo_us = r->cpu_hi_us = NAN;
    r->runs = 1;
    r->sent_bytes = r->recv_bytes = r->peak_mb = r->floor_curl_us = r->floor_parse_us = NAN;
    par_result *p = &r->par;
    p->latency_ms = p->one_ms = p->batch_ms = p->scaling = p->seq_rate = p->many_rate = p->rate_x = NAN;
    p->conn_setup = p->conn_measured = p->cpu_multi_us = p->cpu_seq_us = NAN;
    dec_result *d = &r->dec;
    d->body_bytes = d->cursor_wall = d->cursor_cpu = d->tokener_wall = d->tokener_cpu = NAN;
    d->python_wall = d->python_cpu = NAN;
    exp_result *e = &r->exp;
    e->records = e->count = e->bytes = e->base_mb = NAN;
}

int result_is_libodoo(const result *r)
{
    return strcmp(r->client, "libodoo") == 0;
}

/* ---- units ---- */

static void sig3(char *out, size_t n, double v, const char *unit)
{
    const char *fmt = v >= 99.95 ? "%.0f %s" : v >= 9.995 ? "%.1f %s" : "%.2f %s";
    snprintf(out, n, fmt, v, unit);
}

void fmt_ms(char *out, size_t n, double ms)
{
    if (isnan(ms))
        snprintf(out, n, "n/a");
    else if (ms < 0.9995)
        sig3(out, n, ms * 1e3, "µs");
    else if (ms < 999.5)
        sig3(out, n, ms, "ms");
    else
        sig3(out, n, ms / 1e3, "s");
}

void fmt_us(char *out, size_t n, double us)
{
    fmt_ms(out, n, us / 1e3);
}

void fmt_bytes(char *out, size_t n, double b)
{
    if (isnan(b))
        snprintf(out, n, "n/a");
    else if (b < 0) { /* a difference of two measurements: "−300 kB" */
        char pos[32];
        fmt_bytes(pos, sizeof(pos), -b);
        snprintf(out, n, "−%s", pos);
    } else if (b < 999.5)
        snprintf(out, n, "%.0f B", b);
    else if (b < 999.5e3)
        sig3(out, n, b / 1e3, "kB");
    else if (b < 999.5e6)
        sig3(out, n, b / 1e6, "MB");
    else
        sig3(out, n, b / 1e9, "GB");
}

void fmt_ratio(char *out, size_t n, double x)
{
    if (isnan(x))
        snprintf(out, n, "n/a");
    else
        snprintf(out, n, x < 9.995 ? "×%.2f" : x < 99.95 ? "×%.1f" : "×%.0f", x);
}

/* ---- clients ---- */

static const struct {
    const char *id, *label;
} peer_labels[] = {
    { "py-xmlrpc", "Python xmlrpc.client" },
    { "py-odoorpc", "Python OdooRPC" },
    { "py-json2", "Python http.client JSON-2" },
    { "node-odoo-await", "Node odoo-await" },
};

const char *client_label(const result *r)
{
    static char labels[8][48];
    if (result_is_libodoo(r)) {
        for (size_t i = 0; i < nprotocols && i < 8; i++)
            if (strcmp(protocols[i].name, r->protocol) == 0) {
                snprintf(labels[i], sizeof(labels[i]), "libodoo %s", protocols[i].name);
                return labels[i];
            }
        return r->protocol;
    }
    for (size_t i = 0; i < sizeof(peer_labels) / sizeof(peer_labels[0]); i++)
        if (strcmp(peer_labels[i].id, r->client) == 0)
            return peer_labels[i].label;
    return r->client;
}

int same_client(const result *a, const result *b)
{
    return strcmp(a->client, b->client) == 0 && strcmp(a->protocol, b->protocol) == 0;
}

static size_t add_client(const result **out, size_t k, size_t max, const result *r)
{
    for (size_t j = 0; j < k; j++)
        if (same_client(out[j], r))
            return k;
    if (k < max)
        out[k++] = r;
    return k;
}

size_t client_order(const result *rs, size_t n, const result **out, size_t max)
{
    size_t k = 0;
    for (size_t p = 0; p < nprotocols; p++)
        for (size_t i = 0; i < n; i++)
            if (result_is_libodoo(&rs[i]) && strcmp(rs[i].protocol, protocols[p].name) == 0)
                k = add_client(out, k, max, &rs[i]);
    for (size_t i = 0; i < n; i++)
        if (!result_is_libodoo(&rs[i]))
            k = add_client(out, k, max, &rs[i]);
    return k;
}

/* ---- lookups ---- */

size_t report_rows(const result *rs, size_t n, const result **out, size_t max)
{
    const result *clients[MAX_RESULTS];
    size_t k = client_order(rs, n, clients, MAX_RESULTS), m = 0;
    for (const workload *w = workloads; w->name; w++)
        for (size_t c = 0; c < k; c++) {
            const result *r = find_row(rs, n, clients[c], w->name);
            if (r && m < max)
                out[m++] = r;
        }
    return m;
}

const result *find_row(const result *rs, size_t n, const result *client, const char *wname)
{
    for (size_t i = 0; i < n; i++)
        if (same_client(&rs[i], client) && strcmp(rs[i].workload, wname) == 0)
            return &rs[i];
    return NULL;
}

const result *find_libodoo(const result *rs, size_t n, const char *protocol, const char *wname)
{
    for (size_t i = 0; i < n; i++)
        if (result_is_libodoo(&rs[i]) && strcmp(rs[i].protocol, protocol) == 0 &&
            strcmp(rs[i].workload, wname) == 0)
            return &rs[i];
    return NULL;
}

const result *best_libodoo_cpu(const result *rs, size_t n, const char *wname)
{
    const result *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (result_is_libodoo(&rs[i]) && rs[i].ok && strcmp(rs[i].workload, wname) == 0 &&
            (!best || rs[i].cpu_us < best->cpu_us))
            best = &rs[i];
    return best;
}

int has_workload(const result *rs, size_t n, const char *wname)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rs[i].workload, wname) == 0)
            return 1;
    return 0;
}

double over_floor(const result *r)
{
    return r->ok && r->floor_parse_us > 0 ? r->cpu_us / r->floor_parse_us : NAN;
}

double total_bytes(const result *r)
{
    return r->sent_bytes + r->recv_bytes;
}

/* ---- columns: raw (CSV) or with units (Markdown) ---- */

static void num(char *out, size_t n, double v, const char *fmt)
{
    if (isnan(v))
        out[0] = '\0';
    else
        snprintf(out, n, fmt, v);
}

static void c_workload(const result *r, int i, int raw, char *out, size_t n)
{
    (void)i;
    (void)raw;
    snprintf(out, n, "%s", r->workload);
}

static void c_client(const result *r, int i, int raw, char *out, size_t n)
{
    /* Markdown: one label; CSV: the client and its protocol */
    snprintf(out, n, "%s", !raw ? (i == 0 ? client_label(r) : "") : i == 0 ? r->client : r->protocol);
}

static void c_calls(const result *r, int i, int raw, char *out, size_t n)
{
    (void)i;
    if (!r->ok)
        snprintf(out, n, "%s", raw ? "" : "n/a");
    else
        snprintf(out, n, "%ld", r->calls);
}

static void c_latency(const result *r, int i, int raw, char *out, size_t n)
{
    double v = i == 0 ? r->median_ms : r->p95_ms;
    raw ? num(out, n, v, "%.4f") : fmt_ms(out, n, v);
}

static void c_cpu(const result *r, int i, int raw, char *out, size_t n)
{
    (void)i;
    if (raw) {
        num(out, n, r->cpu_us, "%.2f");
        return;
    }
    fmt_us(out, n, r->cpu_us);
    if (r->runs > 1 && !isnan(r->cpu_lo_us)) { /* "81.8 µs [78.0–85.2 µs]": the runs' spread */
        char lo[24], hi[24];
        fmt_us(lo, sizeof(lo), r->cpu_lo_us);
        fmt_us(hi, sizeof(hi), r->cpu_hi_us);
        size_t k = strlen(out);
        snprintf(out + k, n - k, " [%s – %s]", lo, hi);
    }
}

/* CSV only: the spread of client CPU over the runs (--runs). */
static void c_cpu_spread(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    num(out, n, i == 0 ? r->cpu_lo_us : r->cpu_hi_us, "%.2f");
}

static void c_runs(const result *r, int i, int raw, char *out, size_t n)
{
    (void)i, (void)raw;
    if (r->ok)
        snprintf(out, n, "%d", r->runs);
    else
        out[0] = '\0';
}

static void c_floor(const result *r, int i, int raw, char *out, size_t n)
{
    double v = i == 0 ? r->floor_curl_us : r->floor_parse_us;
    raw ? num(out, n, v, "%.2f") : fmt_us(out, n, v);
}

static void c_over(const result *r, int i, int raw, char *out, size_t n)
{
    (void)i;
    raw ? num(out, n, over_floor(r), "%.3f") : fmt_ratio(out, n, over_floor(r));
}

static void c_bytes(const result *r, int i, int raw, char *out, size_t n)
{
    double v = i == 0 ? r->sent_bytes : r->recv_bytes;
    raw ? num(out, n, v, "%.0f") : fmt_bytes(out, n, v);
}

static void c_peak(const result *r, int i, int raw, char *out, size_t n)
{
    (void)i;
    raw ? num(out, n, r->peak_mb, "%.2f") : fmt_bytes(out, n, r->peak_mb * 1e6);
}

static void c_note(const result *r, int i, int raw, char *out, size_t n)
{
    (void)i;
    (void)raw;
    snprintf(out, n, "%s", r->note);
}

/* The parallel workload's figures: CSV only (the Markdown report has a
 * section of its own for them), empty on the other rows. */
static void par_pair(int i, double a, double b, const char *fmt, char *out, size_t n)
{
    num(out, n, i == 0 ? a : b, fmt);
}

static void c_par_latency(const result *r, int i, int raw, char *out, size_t n)
{
    (void)i, (void)raw;
    num(out, n, r->par.latency_ms, "%.0f");
}

static void c_par_time(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->par.one_ms, r->par.batch_ms, "%.4f", out, n);
}

static void c_par_ratio(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->par.scaling, r->par.rate_x, "%.3f", out, n);
}

static void c_par_rate(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->par.seq_rate, r->par.many_rate, "%.2f", out, n);
}

static void c_par_calls(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    int par = !isnan(r->par.one_ms);
    par_pair(i, par ? (double)r->par.seq_calls : NAN, par ? (double)r->par.many_calls : NAN, "%.0f", out, n);
}

static void c_par_conn(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->par.conn_setup, r->par.conn_measured, "%.0f", out, n);
}

static void c_par_cpu(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->par.cpu_multi_us, r->par.cpu_seq_us, "%.2f", out, n);
}

/* The streamed workload's decode rates: CSV only, like the parallel ones. */
static void c_dec_bytes(const result *r, int i, int raw, char *out, size_t n)
{
    (void)i, (void)raw;
    num(out, n, r->dec.body_bytes, "%.0f");
}

static void c_dec_cursor(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->dec.cursor_wall, r->dec.cursor_cpu, "%.1f", out, n);
}

static void c_dec_tokener(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->dec.tokener_wall, r->dec.tokener_cpu, "%.1f", out, n);
}

static void c_dec_python(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->dec.python_wall, r->dec.python_cpu, "%.1f", out, n);
}

/* The export workload's figures: CSV only. */
static void c_exp_records(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->exp.records, r->exp.count, "%.0f", out, n);
}

static void c_exp_more(const result *r, int i, int raw, char *out, size_t n)
{
    (void)raw;
    par_pair(i, r->exp.bytes, r->exp.base_mb, i == 0 ? "%.0f" : "%.2f", out, n);
}

const column columns[] = {
    { "workload", { "workload", NULL }, c_workload },
    { "client", { "client", "protocol" }, c_client },
    { "calls", { "calls", NULL }, c_calls },
    { "latency per call: median / p95", { "latency_median_ms", "latency_p95_ms" }, c_latency },
    { "client CPU per call", { "client_cpu_us_per_call", NULL }, c_cpu },
    { NULL, { "client_cpu_us_min_of_runs", "client_cpu_us_max_of_runs" }, c_cpu_spread },
    { NULL, { "runs", NULL }, c_runs },
    { "floor CPU per call: bare curl / curl + parse", { "floor_curl_us", "floor_curl_parse_us" }, c_floor },
    { "libodoo ÷ floor", { "libodoo_over_floor", NULL }, c_over },
    { "bytes per call: sent / received", { "sent_bytes_per_call", "received_bytes_per_call" }, c_bytes },
    { "peak memory of the first call", { "peak_mb", NULL }, c_peak },
    { NULL, { "parallel_mock_latency_ms", NULL }, c_par_latency },
    { NULL, { "parallel_one_call_ms", "parallel_batch16_ms" }, c_par_time },
    { NULL, { "parallel_scaling", "parallel_rate_over_sequential" }, c_par_ratio },
    { NULL, { "parallel_sequential_calls_per_s", "parallel_in_flight_calls_per_s" }, c_par_rate },
    { NULL, { "parallel_sequential_calls", "parallel_in_flight_calls" }, c_par_calls },
    { NULL, { "parallel_connections_setup", "parallel_connections_measured" }, c_par_conn },
    { NULL, { "parallel_cpu_us_per_call_multi", "parallel_cpu_us_per_call_sequential" }, c_par_cpu },
    { NULL, { "decode_body_bytes", NULL }, c_dec_bytes },
    { NULL, { "decode_cursor_mbs_wall", "decode_cursor_mbs_cpu" }, c_dec_cursor },
    { NULL, { "decode_tokener_mbs_wall", "decode_tokener_mbs_cpu" }, c_dec_tokener },
    { NULL, { "decode_python_mbs_wall", "decode_python_mbs_cpu" }, c_dec_python },
    { NULL, { "export_records_written", "export_search_count" }, c_exp_records },
    { NULL, { "export_output_bytes", "export_baseline_peak_mb" }, c_exp_more },
    { NULL, { "note", NULL }, c_note }, /* CSV only: Markdown says n/a: why in the calls cell */
};
const size_t ncolumns = sizeof(columns) / sizeof(columns[0]);
