/* The verdict: which protocol to use on the server measured, and why,
 * derived from the numbers of this run (nothing here names a winner). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

typedef double (*metric)(const result *r);

static double m_cpu(const result *r)
{
    return r->cpu_us;
}

static double m_lat(const result *r)
{
    return r->median_ms;
}

static double m_bytes(const result *r)
{
    return total_bytes(r);
}

/* Workloads that stand for an integration's calls: not version or login,
 * nor parallel (its latency is odoo-mock's fault; a line of its own). */
static int scored(const workload *w, int small_only)
{
    return !(w->flags & (WL_NO_LOGIN | WL_PARALLEL | WL_EXPORT)) && !(small_only && (w->flags & WL_BIG));
}

/* A protocol is supported when it has rows and answered all of them. */
static int supported(const result *rs, size_t n, const char *protocol, const char **why)
{
    int rows = 0;
    for (size_t i = 0; i < n; i++) {
        const workload *w = workload_find(rs[i].workload);
        if (!result_is_libodoo(&rs[i]) || strcmp(rs[i].protocol, protocol) != 0 || (w && (w->flags & (WL_PARALLEL | WL_EXPORT))))
            continue;
        rows++;
        if (!rs[i].ok) {
            *why = rs[i].note;
            return 0;
        }
    }
    *why = "not measured";
    return rows > 0;
}

/* Geometric mean over the scored workloads of m(a) / m(b). */
static double ratio_gm(const result *rs, size_t n, const char *a, const char *b, metric m, int small_only)
{
    double logs = 0;
    int k = 0;
    for (const workload *w = workloads; w->name; w++) {
        const result *ra = find_libodoo(rs, n, a, w->name), *rb = find_libodoo(rs, n, b, w->name);
        if (!scored(w, small_only) || !ra || !rb || !ra->ok || !rb->ok || !(m(ra) > 0) || !(m(rb) > 0))
            continue;
        logs += log(m(ra) / m(rb));
        k++;
    }
    return k ? exp(logs / k) : NAN;
}

typedef struct score {
    const char *protocol;
    double cpu, lat, bytes, all; /* geometric means of the ratio to the best on each workload */
    int workloads;
} score;

/* Each candidate against the best candidate on each scored workload. */
static void score_all(const result *rs, size_t n, score *sc, size_t k)
{
    for (size_t c = 0; c < k; c++) {
        double l[3] = { 0, 0, 0 };
        int used = 0;
        for (const workload *w = workloads; w->name; w++) {
            const result *r = find_libodoo(rs, n, sc[c].protocol, w->name);
            if (!scored(w, 0) || !r)
                continue;
            metric ms[3] = { m_cpu, m_lat, m_bytes };
            double best[3] = { INFINITY, INFINITY, INFINITY };
            for (size_t o = 0; o < k; o++) {
                const result *x = find_libodoo(rs, n, sc[o].protocol, w->name);
                for (int j = 0; x && j < 3; j++)
                    if (ms[j](x) > 0 && ms[j](x) < best[j])
                        best[j] = ms[j](x);
            }
            for (int j = 0; j < 3; j++)
                l[j] += log(ms[j](r) / best[j]);
            used++;
        }
        sc[c].workloads = used;
        sc[c].cpu = used ? exp(l[0] / used) : NAN;
        sc[c].lat = used ? exp(l[1] / used) : NAN;
        sc[c].bytes = used ? exp(l[2] / used) : NAN;
        sc[c].all = used ? exp((l[0] + l[1] + l[2]) / (3.0 * used)) : NAN;
    }
}

static const char *label_of(const char *protocol)
{
    for (size_t i = 0; i < nprotocols; i++)
        if (strcmp(protocols[i].name, protocol) == 0)
            return protocols[i].label;
    return protocol;
}

static void line_use(char *out, const score *sc, size_t k, const score *win, const char *unsupported)
{
    const score *second = NULL;
    for (size_t c = 0; c < k; c++)
        if (&sc[c] != win && (!second || sc[c].all < second->all))
            second = &sc[c];
    char cpu[16], lat[16], by[16];
    fmt_ratio(cpu, sizeof(cpu), win->cpu);
    fmt_ratio(lat, sizeof(lat), win->lat);
    fmt_ratio(by, sizeof(by), win->bytes);
    int len = snprintf(out, VERDICT_LEN,
                       "**Use %s (%s)**: the lowest cost of the %zu protocols that answered every workload — client "
                       "CPU %s, latency %s, bytes %s of the best one on each of %d workloads (geometric means)",
                       win->protocol, label_of(win->protocol), k, cpu, lat, by, win->workloads);
    if (second && len > 0 && len < VERDICT_LEN) {
        fmt_ratio(cpu, sizeof(cpu), second->cpu);
        fmt_ratio(lat, sizeof(lat), second->lat);
        fmt_ratio(by, sizeof(by), second->bytes);
        len += snprintf(out + len, VERDICT_LEN - (size_t)len, "; next: %s (%s, %s, %s)", second->protocol, cpu, lat,
                        by);
    }
    if (unsupported[0] && len > 0 && len < VERDICT_LEN)
        len += snprintf(out + len, VERDICT_LEN - (size_t)len, "; not available here: %s", unsupported);
    if (len > 0 && len < VERDICT_LEN)
        snprintf(out + len, VERDICT_LEN - (size_t)len, ".");
}

static void line_session(char *out, const result *rs, size_t n, const run_info *ri, const score *win, int session_ok)
{
    static const char *const session = "jsonrpc";
    const result *lg = find_libodoo(rs, n, session, "login");
    char login[48] = "";
    if (lg && lg->ok) {
        char t[16];
        fmt_ms(t, sizeof(t), lg->median_ms);
        snprintf(login, sizeof(login), " (%s here)", t);
    }
    int len;
    if (!session_ok) {
        len = snprintf(out, VERDICT_LEN, "No web session measured on this server (jsonrpc: n/a)");
    } else if (strcmp(win->protocol, session) == 0) {
        len = snprintf(out, VERDICT_LEN,
                       "The web session (jsonrpc) is the cheapest per call here; it needs a password and a "
                       "login%s",
                       login);
    } else {
        double cpu = ratio_gm(rs, n, session, win->protocol, m_cpu, 1);
        double lat = ratio_gm(rs, n, session, win->protocol, m_lat, 1);
        char c[16], l[16];
        fmt_ratio(c, sizeof(c), cpu);
        fmt_ratio(l, sizeof(l), lat);
        len = snprintf(out, VERDICT_LEN,
                       cpu < 0.95 ? "**A web session (jsonrpc) is cheaper per call** than %s: client CPU %s, latency "
                                    "%s on small calls (geometric means), after one login%s; worth it for a "
                                    "long, chatty run with a password"
                                  : "A web session (jsonrpc) is not cheaper per call than %s here: client CPU %s, "
                                    "latency %s on small calls (geometric means), and it needs a login%s",
                       win->protocol, c, l, login);
    }
    if (strstr(ri->server_kind, "odoo-mock") && len > 0 && len < VERDICT_LEN)
        len += snprintf(out + len, VERDICT_LEN - (size_t)len,
                        ". Server-side costs are odoo-mock's, not Odoo's (a real Odoo 19 re-hashes a bearer API key "
                        "on every call)");
    if (len > 0 && len < VERDICT_LEN)
        snprintf(out + len, VERDICT_LEN - (size_t)len, ".");
}

/* Bytes on the workload with the largest answers among the small ones,
 * big reads' peak memory, the gateway's cost. */
static void line_wire(char *out, const result *rs, size_t n, const score *sc, size_t k, const score *win)
{
    const workload *wb = NULL;
    double most = 0;
    for (const workload *w = workloads; w->name; w++) {
        const result *r = find_libodoo(rs, n, win->protocol, w->name);
        if (scored(w, 1) && r && r->ok && r->recv_bytes > most) {
            most = r->recv_bytes;
            wb = w;
        }
    }
    size_t len = 0;
    if (wb) {
        const result *lo = NULL, *hi = NULL;
        for (size_t c = 0; c < k; c++) {
            const result *r = find_libodoo(rs, n, sc[c].protocol, wb->name);
            if (r && r->ok && (!lo || total_bytes(r) < total_bytes(lo)))
                lo = r;
            if (r && r->ok && (!hi || total_bytes(r) > total_bytes(hi)))
                hi = r;
        }
        char s[16], rcv[16], x[16];
        fmt_bytes(s, sizeof(s), lo->sent_bytes);
        fmt_bytes(rcv, sizeof(rcv), lo->recv_bytes);
        fmt_ratio(x, sizeof(x), total_bytes(hi) / total_bytes(lo));
        len += (size_t)snprintf(out + len, VERDICT_LEN - len,
                                "Bytes per call (%s): fewest %s, %s sent + %s received; most %s, %s as many",
                                wb->name,
                                lo->protocol, s, rcv, hi->protocol, x);
    }
    const result *big = NULL, *paged = NULL; /* the lowest peaks, whole and paged */
    for (const workload *w = workloads; w->name; w++)
        for (size_t c = 0; c < k && (w->flags & WL_BIG); c++) {
            const result *r = find_libodoo(rs, n, sc[c].protocol, w->name);
            const result **low = (w->flags & WL_PAGED) ? &paged : &big;
            if (r && r->ok && r->peak_mb > 0 && (!*low || r->peak_mb < (*low)->peak_mb))
                *low = r;
        }
    if (big && len < VERDICT_LEN) {
        char pk[16], ans[16];
        fmt_bytes(pk, sizeof(pk), big->peak_mb * 1e6);
        fmt_bytes(ans, sizeof(ans), big->recv_bytes);
        len += (size_t)snprintf(out + len, VERDICT_LEN - len, "%sBig read: lowest peak %s, %s for a %s answer",
                                len ? ". " : "", big->protocol, pk, ans);
        if (paged && len < VERDICT_LEN) {
            fmt_bytes(pk, sizeof(pk), paged->peak_mb * 1e6);
            len += (size_t)snprintf(out + len, VERDICT_LEN - len, ", %s paged (odoo_search_read_each)", pk);
        }
    }
    const char *why = NULL;
    if (len < VERDICT_LEN && supported(rs, n, "odxproxy", &why)) {
        char c[16], l[16];
        fmt_ratio(c, sizeof(c), ratio_gm(rs, n, "odxproxy", win->protocol, m_cpu, 1));
        fmt_ratio(l, sizeof(l), ratio_gm(rs, n, "odxproxy", win->protocol, m_lat, 1));
        len += (size_t)snprintf(out + len, VERDICT_LEN - len,
                                "%sThrough the ODXProxy gateway: latency %s, client CPU %s of %s direct",
                                len ? ". " : "", l, c, win->protocol);
    } else if (len < VERDICT_LEN && why && strcmp(why, "not measured") != 0) {
        len += (size_t)snprintf(out + len, VERDICT_LEN - len, "%sODXProxy: n/a (%.80s)", len ? ". " : "", why);
    }
    if (len < VERDICT_LEN)
        snprintf(out + len, VERDICT_LEN - len, ".");
}

/* The parallel workload against its targets: the range over the
 * protocols of the scaling, the rate ratio and multi ÷ sequential CPU. */
static int line_parallel(char *out, const result *rs, size_t n)
{
    double lo[3] = { INFINITY, INFINITY, INFINITY }, hi[3] = { 0, 0, 0 };
    int k = 0, failed = 0;
    for (size_t p = 0; p < nprotocols; p++) {
        const result *r = find_libodoo(rs, n, protocols[p].name, "parallel");
        if (!r)
            continue;
        if (!r->ok) {
            failed++;
            continue;
        }
        double v[3] = { r->par.scaling, r->par.rate_x, r->par.cpu_multi_us / r->par.cpu_seq_us };
        for (int j = 0; j < 3; j++) {
            lo[j] = v[j] < lo[j] ? v[j] : lo[j];
            hi[j] = v[j] > hi[j] ? v[j] : hi[j];
        }
        k++;
    }
    if (k == 0)
        return 0;
    char t[6][16];
    for (int j = 0; j < 3; j++) {
        fmt_ratio(t[2 * j], sizeof(t[0]), lo[j]);
        fmt_ratio(t[2 * j + 1], sizeof(t[0]), hi[j]);
    }
    double target = 0.8 * PAR_CONNS;
    snprintf(out, VERDICT_LEN,
             "Parallel calls (%d connections through one `odoo_multi`, on %d protocol%s%s): scaling %s to %s "
             "(target ×%.1f: %s), %d in flight %s to %s the sequential rate (%s), client CPU per call in the "
             "multi %s to %s of sequential (%s).",
             PAR_CONNS, k, k > 1 ? "s" : "", failed ? ", some not measured" : "", t[0], t[1], target,
             lo[0] >= target ? "met" : "missed", PAR_CONNS, t[2], t[3], lo[1] >= target ? "met" : "missed", t[4],
             t[5], hi[2] <= 1.0 ? "no higher" : "higher on some");
    return 1;
}

int verdict(const run_info *ri, const result *rs, size_t n, char lines[VERDICT_LINES][VERDICT_LEN])
{
    score sc[8];
    size_t k = 0;
    char unsupported[VERDICT_LEN] = "";
    size_t ulen = 0;
    int session_ok = 0;
    for (size_t p = 0; p < nprotocols && k < 8; p++) {
        const char *why = NULL, *name = protocols[p].name;
        if (strcmp(name, "odxproxy") == 0) /* a gateway, said apart */
            continue;
        if (supported(rs, n, name, &why)) {
            sc[k++] = (score){ name, 0, 0, 0, 0, 0 };
            session_ok |= strcmp(name, "jsonrpc") == 0;
        } else if (strcmp(why, "not measured") != 0 && ulen < sizeof(unsupported)) {
            ulen += (size_t)snprintf(unsupported + ulen, sizeof(unsupported) - ulen, "%s%s (%.60s)", ulen ? ", " : "",
                                     name, why);
        }
    }
    int nl = 0;
    snprintf(lines[nl++], VERDICT_LEN,
             "This run covers one server only: Odoo %s (%s, %s)%s.", ri->server_version, ri->server_kind,
             ri->server_url,
             strstr(ri->server_kind, "odoo-mock") ? "; for another version run it again with `--odoo-version 16|17|18`"
                                                  : "");
    if (k == 0) {
        snprintf(lines[nl++], VERDICT_LEN, "No protocol answered every workload: no verdict%s%.600s.",
                 unsupported[0] ? " — " : "", unsupported);
        nl += line_parallel(lines[nl], rs, n);
        nl += verdict_stream(rs, n, lines[nl]);
        return nl;
    }
    score_all(rs, n, sc, k);
    const score *win = &sc[0];
    for (size_t c = 1; c < k; c++)
        if (sc[c].all < win->all)
            win = &sc[c];
    line_use(lines[nl++], sc, k, win, unsupported);
    line_session(lines[nl++], rs, n, ri, win, session_ok);
    line_wire(lines[nl++], rs, n, sc, k, win);
    nl += line_parallel(lines[nl], rs, n);
    nl += verdict_stream(rs, n, lines[nl]);
    return nl;
}
