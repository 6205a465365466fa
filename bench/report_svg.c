/* The chart: one bar per client per workload, grouped by workload, in
 * panels that each have one shared logarithmic axis: latency, client CPU
 * and bytes per call side by side, then peak memory for the big reads.
 * Text widths are estimated conservatively (0.62 em a character, 0.68
 * bold) so that nothing runs off the canvas; bench/tests/svg-check.py
 * checks it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define MARGIN 16
#define GAP 28
#define ROW_H 15
#define BAR_H 10
#define GROUP_H 20
#define FS 11
#define FS_SMALL 10
#define FS_HEAD 12
#define FS_TITLE 16
#define MAX_CLIENTS 16

typedef struct panel {
    const char *title;
    const char *how;                              /* what the bar and marks are */
    double (*value)(const result *r);             /* bar, NAN when none */
    double (*mark)(const result *r);              /* a tick on the bar (p95), or NULL */
    void (*label)(const result *r, char *out, size_t n);
    void (*tick)(char *out, size_t n, double v);  /* axis label */
} panel;

typedef struct svg {
    FILE *f;
    int width;
    int label_w;                                  /* client names column */
    const result *clients[MAX_CLIENTS];
    size_t nclients;
    const result *rs;
    size_t n;
    const run_info *ri;
} svg;

/* ---- text ---- */

static size_t chars(const char *s)
{
    size_t k = 0;
    for (; *s; s++)
        k += ((unsigned char)*s & 0xC0) != 0x80; /* UTF-8: count code points */
    return k;
}

static double text_w(const char *s, int fs, int bold)
{
    return (double)chars(s) * fs * (bold ? 0.68 : 0.62);
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void text(svg *s, double x, double y, const char *anchor, int fs, int bold, const char *fill, const char *t)
{
    fprintf(s->f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\"%s fill=\"%s\">", x, y, anchor, fs,
            bold ? " font-weight=\"bold\"" : "", fill);
    xml_text(s->f, t);
    fputs("</text>\n", s->f);
}

/* Cut t (in place) to fit max_w, with an ellipsis. */
static void fit(char *t, int fs, double max_w)
{
    if (text_w(t, fs, 0) <= max_w)
        return;
    size_t keep = (size_t)(max_w / (fs * 0.62)), k = 0;
    keep = keep > 1 ? keep - 1 : 0;
    char *p = t;
    for (; *p && k < keep; p++)
        if (((unsigned char)p[1] & 0xC0) != 0x80)
            k++;
    strcpy(p, "…");
}

/* "1.00 ms" -> "1 ms", "10.0 µs" -> "10 µs": axis ticks. */
static void trim_zeros(char *t)
{
    char *dot = strchr(t, '.'), *sp = strchr(t, ' ');
    if (!dot || !sp || sp < dot)
        return;
    char *z = sp;
    while (z > dot + 1 && z[-1] == '0')
        z--;
    if (z == dot + 1)
        z = dot;
    memmove(z, sp, strlen(sp) + 1);
}

/* ---- the panels' values and labels ---- */

static double v_latency(const result *r)
{
    return r->ok ? r->median_ms : NAN;
}

static double v_p95(const result *r)
{
    return r->ok ? r->p95_ms : NAN;
}

static double v_cpu(const result *r)
{
    return r->ok ? r->cpu_us / 1e3 : NAN; /* in ms, like latency */
}

static double v_bytes(const result *r)
{
    return r->ok ? total_bytes(r) : NAN;
}

static double v_peak(const result *r)
{
    return r->ok && r->peak_mb > 0 ? r->peak_mb * 1e6 : NAN;
}

static void l_latency(const result *r, char *out, size_t n)
{
    fmt_ms(out, n, r->median_ms);
}

static void l_cpu(const result *r, char *out, size_t n)
{
    fmt_us(out, n, r->cpu_us);
}

static void l_bytes(const result *r, char *out, size_t n)
{
    char a[24], b[24];
    fmt_bytes(a, sizeof(a), r->sent_bytes);
    fmt_bytes(b, sizeof(b), r->recv_bytes);
    snprintf(out, n, "↑%s ↓%s", a, b);
}

static void l_peak(const result *r, char *out, size_t n)
{
    char a[24];
    fmt_bytes(a, sizeof(a), r->peak_mb * 1e6);
    const workload *w = workload_find(r->workload);
    if (r->recv_bytes > 0)
        snprintf(out, n, "%s, ×%.1f %s", a, r->peak_mb * 1e6 / r->recv_bytes,
                 w && (w->flags & WL_PAGED) ? "a page" : "the answer");
    else
        snprintf(out, n, "%s", a);
}

static void t_ms(char *out, size_t n, double v)
{
    fmt_ms(out, n, v);
    trim_zeros(out);
}

static void t_bytes(char *out, size_t n, double v)
{
    fmt_bytes(out, n, v);
    trim_zeros(out);
}

static const panel small_panels[] = {
    { "latency per call", "bar and value: median, black tick: p95", v_latency, v_p95, l_latency, t_ms },
    { "client CPU per call", "user + system, client process", v_cpu, NULL, l_cpu, t_ms },
    { "bytes per call on the wire", "↑ sent, ↓ received; bar: both", v_bytes, NULL, l_bytes, t_bytes },
};
static const panel peak_panel[] = {
    { "peak memory of a big read's first call", "resident high-water mark above the process's resident memory before",
      v_peak, NULL, l_peak, t_bytes },
};

/* ---- colours ---- */

static const char *color_of(const svg *s, const result *r)
{
    static const char *const lib[] = { "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1" };
    static const char *const peers[] = { "#9c755f", "#ff9da7", "#76b7b2", "#edc948", "#bab0ac", "#8cd17d" };
    if (result_is_libodoo(r)) {
        for (size_t i = 0; i < nprotocols; i++)
            if (strcmp(protocols[i].name, r->protocol) == 0)
                return lib[i % 5];
        return lib[0];
    }
    size_t k = 0;
    for (size_t c = 0; c < s->nclients; c++)
        if (!result_is_libodoo(s->clients[c])) {
            if (same_client(s->clients[c], r))
                return peers[k % 6];
            k++;
        }
    return peers[0];
}

/* ---- layout pieces ---- */

/* Words joined by " · ", wrapped to the width; returns the next y. */
static double wrapped(svg *s, double y, const char *const *parts, size_t np, int fs)
{
    char line[1024] = "";
    double max = s->width - 2 * MARGIN;
    for (size_t i = 0; i < np; i++) {
        char next[1024];
        snprintf(next, sizeof(next), "%s%s%s", line, line[0] ? " · " : "", parts[i]);
        if (line[0] && text_w(next, fs, 0) > max) {
            text(s, MARGIN, y, "start", fs, 0, "#333", line);
            y += fs + 5;
            snprintf(line, sizeof(line), "%s", parts[i]);
        } else {
            snprintf(line, sizeof(line), "%s", next);
        }
        fit(line, fs, max);
    }
    if (line[0]) {
        text(s, MARGIN, y, "start", fs, 0, "#333", line);
        y += fs + 5;
    }
    return y;
}

static double legend(svg *s, double y)
{
    double x = MARGIN;
    int any_peer = 0;
    for (size_t c = 0; c < s->nclients; c++)
        any_peer |= !result_is_libodoo(s->clients[c]);
    for (int peers = 0; peers < 1 + any_peer; peers++) {
        const char *head = peers ? "peers:" : "libodoo:";
        double hw = text_w(head, FS, 1) + 8;
        if (x + hw > s->width - MARGIN) {
            x = MARGIN;
            y += ROW_H + 2;
        }
        text(s, x, y, "start", FS, 1, "#333", head);
        x += hw;
        for (size_t c = 0; c < s->nclients; c++) {
            const result *r = s->clients[c];
            if (result_is_libodoo(r) == peers)
                continue;
            const char *name = peers ? client_label(r) : r->protocol;
            double w = 14 + text_w(name, FS, 0) + 14;
            if (x + w > s->width - MARGIN) {
                x = MARGIN + hw;
                y += ROW_H + 2;
            }
            fprintf(s->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>\n", x, y - 9,
                    color_of(s, r));
            text(s, x + 14, y, "start", FS, 0, "#333", name);
            x += w;
        }
        x += 10;
    }
    return y + ROW_H + 6;
}

typedef struct axis {
    double x, w, bar_w;       /* column left edge, width, bar area */
    double lo, hi;            /* decades */
} axis;

static double axis_x(const axis *a, double v)
{
    double t = (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
    return a->x + (t < 0 ? 0 : t > 1 ? 1 : t) * a->bar_w;
}

/* The parallel workload is left out: its latency is odoo-mock's fault,
 * and its own figures are the Markdown report's section. */
static int in_section(const workload *w, unsigned only)
{
    return only ? (w->flags & only) != 0 : !(w->flags & (WL_PARALLEL | WL_EXPORT));
}

/* The 1-2-5 step at or below v (up: at or above). */
static double nice(double v, int up)
{
    static const double steps[] = { 1, 2, 5, 10 };
    double d = pow(10, floor(log10(v)));
    if (!up) {
        for (int i = 2; i >= 0; i--)
            if (steps[i] * d <= v * 1.0001)
                return steps[i] * d;
        return d;
    }
    for (int i = 0; i < 4; i++)
        if (steps[i] * d >= v * 0.9999)
            return steps[i] * d;
    return 10 * d;
}

/* The decades inside the axis, for ticks and grid lines. */
static double first_decade(const axis *a)
{
    return pow(10, ceil(log10(a->lo) - 1e-9));
}

/* The axis of one panel over the section's rows. */
static axis make_axis(const svg *s, const panel *p, unsigned only, double x, double w)
{
    double lo = INFINITY, hi = 0, label = 0;
    for (size_t i = 0; i < s->n; i++) {
        const result *r = &s->rs[i];
        const workload *wl = workload_find(r->workload);
        if (!wl || !in_section(wl, only))
            continue;
        double v = p->value(r), m = p->mark ? p->mark(r) : NAN;
        if (v > 0) {
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
            char t[160];
            p->label(r, t, sizeof(t));
            double tw = text_w(t, FS_SMALL, 0);
            label = tw > label ? tw : label;
        }
        if (m > hi)
            hi = m;
    }
    axis a = { x, w, w, 1, 10 };
    if (hi > 0) {
        a.lo = nice(lo / 2, 0); /* a step below the smallest value: its bar stays visible */
        a.hi = nice(hi, 1);
        if (a.hi <= a.lo)
            a.hi = a.lo * 10;
    }
    double room = label + 8;
    if (room > w * 0.6)
        room = w * 0.6;
    a.bar_w = w - room;
    return a;
}

/* Decade labels, every one or every few so that none overlap. */
static void ticks(svg *s, const panel *p, const axis *a, double y)
{
    double widest = 0, per_decade = a->bar_w / (log10(a->hi) - log10(a->lo));
    for (double v = first_decade(a); v <= a->hi * 1.0001; v *= 10) {
        char t[32];
        p->tick(t, sizeof(t), v);
        widest = text_w(t, FS_SMALL, 0) > widest ? text_w(t, FS_SMALL, 0) : widest;
    }
    int every = 1;
    while (every < 6 && per_decade * every < widest + 8)
        every++;
    double first = first_decade(a);
    if (first > a->lo * 1.0001 && axis_x(a, first) - a->x >= widest + 8) { /* the axis' start, when not a decade */
        char t[32];
        p->tick(t, sizeof(t), a->lo);
        text(s, a->x, y, "middle", FS_SMALL, 0, "#555", t);
    }
    int k = 0;
    for (double v = first; v <= a->hi * 1.0001; v *= 10, k++) {
        if (k % every)
            continue;
        char t[32];
        p->tick(t, sizeof(t), v);
        text(s, axis_x(a, v), y, "middle", FS_SMALL, 0, "#555", t);
    }
}

static void grid(svg *s, const axis *a, double y0, double y1)
{
    for (double v = first_decade(a); v <= a->hi * 1.0001; v *= 10)
        fprintf(s->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", axis_x(a, v), y0,
                axis_x(a, v), y1);
}

static void bar(svg *s, const panel *p, const axis *a, const result *r, double y)
{
    char t[192];
    double v = p->value(r);
    if (!(v > 0)) {
        snprintf(t, sizeof(t), "n/a%s%s", r->ok ? "" : ": ", r->ok ? "" : r->note);
        fit(t, FS_SMALL, a->w - 4);
        text(s, a->x + 2, y + BAR_H - 1, "start", FS_SMALL, 0, "#888", t);
        return;
    }
    double x1 = axis_x(a, v);
    if (x1 < a->x + 1.5)
        x1 = a->x + 1.5;
    fprintf(s->f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", a->x, y, x1 - a->x,
            BAR_H, color_of(s, r));
    double m = p->mark ? p->mark(r) : NAN;
    if (m > 0)
        fprintf(s->f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" stroke-width=\"1.5\"/>\n",
                axis_x(a, m), y - 1.5, axis_x(a, m), y + BAR_H + 1.5);
    p->label(r, t, sizeof(t));
    double lx = (m > 0 && axis_x(a, m) > x1 ? axis_x(a, m) : x1) + 4;
    text(s, lx, y + BAR_H - 1, "start", FS_SMALL, 0, "#222", t);
}

/* The height of a section's groups of rows. */
static double groups_height(const svg *s, unsigned only)
{
    double h = 0;
    for (const workload *w = workloads; w->name; w++) {
        if (!in_section(w, only) || !has_workload(s->rs, s->n, w->name))
            continue;
        h += GROUP_H;
        for (size_t c = 0; c < s->nclients; c++)
            h += find_row(s->rs, s->n, s->clients[c], w->name) ? ROW_H : 0;
    }
    return h;
}

/* One section: panels side by side over the same rows; returns the next y. */
static double section(svg *s, const panel *ps, size_t np, unsigned only, double y)
{
    double x0 = MARGIN + s->label_w, cw = (s->width - MARGIN - x0 - (double)(np - 1) * GAP) / (double)np;
    axis ax[4];
    for (size_t p = 0; p < np && p < 4; p++) {
        ax[p] = make_axis(s, &ps[p], only, x0 + (double)p * (cw + GAP), cw);
        text(s, ax[p].x, y, "start", FS_HEAD, 1, "#111", ps[p].title);
        char how[160];
        snprintf(how, sizeof(how), "%s; log scale", ps[p].how);
        fit(how, FS_SMALL, cw);
        text(s, ax[p].x, y + FS_SMALL + 4, "start", FS_SMALL, 0, "#555", how);
    }
    y += FS_SMALL + 4 + FS_SMALL + 8;
    for (size_t p = 0; p < np; p++)
        ticks(s, &ps[p], &ax[p], y);
    y += 8;
    for (size_t p = 0; p < np; p++) /* under the bars */
        grid(s, &ax[p], y - 4, y + groups_height(s, only) + 2);
    for (const workload *w = workloads; w->name; w++) {
        if (!in_section(w, only) || !has_workload(s->rs, s->n, w->name))
            continue;
        y += GROUP_H - 6;
        char title[160], what[128];
        workload_title(w, s->ri->big_records, what, sizeof(what));
        if (strcmp(w->name, what) == 0)
            snprintf(title, sizeof(title), "%s", w->name);
        else
            snprintf(title, sizeof(title), "%s — %s", w->name, what);
        fit(title, FS, s->width - 2 * MARGIN);
        text(s, MARGIN, y, "start", FS, 1, "#111", title);
        y += 6;
        for (size_t c = 0; c < s->nclients; c++) {
            const result *r = find_row(s->rs, s->n, s->clients[c], w->name);
            if (!r)
                continue;
            text(s, x0 - 8, y + BAR_H - 1, "end", FS, 0, "#333", client_label(r));
            for (size_t p = 0; p < np; p++)
                bar(s, &ps[p], &ax[p], r, y);
            y += ROW_H;
        }
    }
    y += 4 + FS_SMALL;
    for (size_t p = 0; p < np; p++)
        ticks(s, &ps[p], &ax[p], y);
    return y + 18;
}

int report_svg(const run_info *ri, const result *rs, size_t n, const char *path)
{
    char *body = NULL;
    size_t body_len = 0;
    svg s = { 0 };
    s.f = open_memstream(&body, &body_len);
    if (!s.f)
        return -1;
    s.rs = rs;
    s.n = n;
    s.ri = ri;
    s.nclients = client_order(rs, n, s.clients, MAX_CLIENTS);
    double lw = 0;
    for (size_t c = 0; c < s.nclients; c++) {
        double w = text_w(client_label(s.clients[c]), FS, 0);
        lw = w > lw ? w : lw;
    }
    s.label_w = (int)lw + 16;
    s.width = MARGIN * 2 + s.label_w + 3 * 310 + 2 * GAP;

    double y = MARGIN + FS_TITLE;
    text(&s, MARGIN, y, "start", FS_TITLE, 1, "#111", "odoo-bench: which protocol, and what it costs");
    y += FS_TITLE;
    char commit[96], server[512], machine[512];
    snprintf(commit, sizeof(commit), "commit %s", ri->commit);
    snprintf(server, sizeof(server), "Odoo %s on %s, %s", ri->server_version, ri->server_kind, ri->server_url);
    snprintf(machine, sizeof(machine), "%s, %s, %ld cores", ri->machine, ri->cpu, ri->cores);
    const char *parts[] = { ri->date, commit, server, machine };
    y = wrapped(&s, y, parts, 4, FS);
    y = legend(&s, y + 8);
    y = section(&s, small_panels, 3, 0, y + 8);
    int any_big = 0;
    for (const workload *w = workloads; w->name; w++)
        any_big |= (w->flags & WL_BIG) && has_workload(rs, n, w->name);
    if (any_big)
        y = section(&s, peak_panel, 1, WL_BIG, y + 6);
    const char *foot[] = { "log scales, one per panel", "n/a: not measured (the reason is in odoo-bench.md)",
                           "kB = 1000 B, MB = 10^6 B" };
    y = wrapped(&s, y, foot, 3, FS_SMALL);
    if (fclose(s.f) != 0) {
        free(body);
        return -1;
    }

    int height = (int)ceil(y) + MARGIN;
    FILE *f = fopen(path, "w");
    if (!f) {
        free(body);
        return -1;
    }
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
               "font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"%d\">\n"
               "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n",
            s.width, height, s.width, height, FS, s.width, height);
    fwrite(body, 1, body_len, f);
    fputs("</svg>\n", f);
    free(body);
    return fclose(f);
}
