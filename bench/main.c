/* odoo-bench: every protocol over the same workloads against one server —
 * odoo-mock started here on a free port by default, or any Odoo given
 * with the usual options (read-only unless --write) — beside other
 * clients (--peers), with a Markdown report, a CSV and an SVG chart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#ifndef ODOO_MOCK_PATH
#define ODOO_MOCK_PATH "odoo-mock"
#endif

static void help(FILE *f)
{
    fputs("usage: odoo-bench [options]\n"
          "Measures every libodoo protocol on the same workloads against one server: latency, client CPU,\n"
          "bytes on the wire and peak memory per call, beside a bare-libcurl floor and other clients.\n"
          "Without --url, odoo-mock is started on a free port (and stopped at the end); it is also its own\n"
          "ODXProxy gateway.\n"
          "\n"
          "server:\n"
          "  --url URL --db DB --user LOGIN --password PW --api-key KEY   an Odoo (read-only unless --write)\n"
          "  --proxy-url URL --proxy-key KEY --user-id N   an ODXProxy gateway in front of it\n"
          "  --odoo-version N     odoo-mock's version, 16 to 19 (default 19)\n"
          "  --partners N         odoo-mock's generated partners (default 20100)\n"
          "  --mock PATH          the odoo-mock program\n"
          "what:\n"
          "  --protocols a,b      among xmlrpc,jsonrpc,jsonrpc-stateless,json2,odxproxy (default all)\n"
          "  --workloads a,b      among the workloads below (default all)\n"
          "  --peers              also Python xmlrpc.client, OdooRPC, a raw http.client JSON-2 client and\n"
          "                       Node odoo-await (bench/peers; each skipped with its reason when missing)\n"
          "  --write              also the workloads that write (always on odoo-mock)\n"
          "  --records N          records of the big reads (default 20000; --quick 10000)\n"
          "  --latency MS         odoo-mock's delay of every answer during the parallel workload only\n"
          "                       (default 50; 0 for none; the other workloads never have one)\n"
          "how long:\n"
          "  --quick              0.4 s or 200 calls per client and workload, 3 big reads of 10,000 records\n"
          "                       (under a minute)\n"
          "  --budget SECONDS     per client and workload (default 3; big reads 3x)\n"
          "  --calls N            at most N calls per client and workload (default 2000)\n"
          "  --runs N             repeat the whole measurement N times (1 to 9, default 1): each row is the\n"
          "                       run with the median client CPU, with the lowest and highest beside it\n"
          "  --no-floor           skip the bare-libcurl floor\n"
          "  --pin, --no-pin      run odoo-bench, odoo-mock and the peers on one CPU (default with odoo-mock):\n"
          "                       steadier numbers, no cross-core wake-ups in them\n"
          "output:\n"
          "  --md FILE            the Markdown report (default: stdout)\n"
          "  --csv FILE           the same table as CSV\n"
          "  --svg FILE           the chart\n"
          "  --help               this text\n"
          "\n"
          "workloads:\n",
          f);
    for (const workload *w = workloads; w->name; w++) {
        char title[160];
        workload_title(w, 20000, title, sizeof(title));
        fprintf(f, "  %-14s %s%s\n", w->name, title, (w->flags & WL_WRITE) ? " (writes)" : "");
    }
}

static int usage_error(const char *fmt, const char *what)
{
    fputs("odoo-bench: ", stderr);
    fprintf(stderr, fmt, what);
    fputs("\nTry 'odoo-bench --help'.\n", stderr);
    return 2;
}

static int in_list(const char *list, const char *name)
{
    if (!list)
        return 1;
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)) != NULL; p += n)
        if ((p == list || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

/* Every name of a comma list is known; else the first unknown one. */
static const char *unknown_name(const char *list, int protocols_list)
{
    static char bad[64];
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        snprintf(bad, sizeof(bad), "%.*s", (int)n, p);
        int known = 0;
        if (protocols_list)
            for (size_t i = 0; i < nprotocols; i++)
                known |= strcmp(protocols[i].name, bad) == 0;
        else
            known = workload_find(bad) != NULL;
        if (!known)
            return bad;
        p += n + (p[n] == ',');
    }
    return NULL;
}

/* An ODXProxy gateway: given, or the mock's own. */
typedef struct bench_target {
    const char *proxy_url, *proxy_key;
    long user_id;
} bench_target;

typedef struct args {
    const char *protocols, *only, *md, *csv, *svg, *mock;
    int version, partners, peers, pin; /* pin: 1 yes, 0 no, -1 default (yes for odoo-mock) */
    bench_target target;
} args;

static int parse(int argc, char **argv, bench_config *cfg, args *a)
{
    double budget = -1;
    long calls = -1;
    cfg->latency_ms = -1;
    cfg->runs = 1;
    a->mock = ODOO_MOCK_PATH;
    a->version = 19;
    a->partners = 20100;
    a->pin = -1;
    cfg->big_records = -1; /* 20000; --quick 10000 */
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            help(stdout);
            exit(0);
        }
        if (strcmp(o, "--write") == 0) { cfg->write = 1; continue; }
        if (strcmp(o, "--quick") == 0) { cfg->quick = 1; continue; }
        if (strcmp(o, "--no-floor") == 0) { cfg->no_floor = 1; continue; }
        if (strcmp(o, "--peers") == 0) { a->peers = 1; continue; }
        if (strcmp(o, "--pin") == 0) { a->pin = 1; continue; }
        if (strcmp(o, "--no-pin") == 0) { a->pin = 0; continue; }
        static const char *const valued[] = { "--url", "--db", "--user", "--password", "--api-key", "--proxy-url",
                                              "--proxy-key", "--user-id", "--protocols", "--workloads", "--budget",
                                              "--calls", "--md", "--csv", "--svg", "--odoo-version", "--partners",
                                              "--mock", "--records", "--latency", "--runs", NULL };
        int known = 0;
        for (const char *const *k = valued; *k; k++)
            known |= strcmp(o, *k) == 0;
        if (!known)
            return usage_error("unknown option '%s'", o);
        if (!v)
            return usage_error("%s needs a value", o);
        i++;
        if (strcmp(o, "--url") == 0) cfg->opts.url = v;
        else if (strcmp(o, "--db") == 0) cfg->opts.db = v;
        else if (strcmp(o, "--user") == 0) cfg->opts.login = v;
        else if (strcmp(o, "--password") == 0) cfg->opts.password = v;
        else if (strcmp(o, "--api-key") == 0) cfg->opts.api_key = v;
        else if (strcmp(o, "--proxy-url") == 0) a->target.proxy_url = v;
        else if (strcmp(o, "--proxy-key") == 0) a->target.proxy_key = v;
        else if (strcmp(o, "--user-id") == 0) a->target.user_id = atol(v);
        else if (strcmp(o, "--protocols") == 0) a->protocols = v;
        else if (strcmp(o, "--workloads") == 0) a->only = v;
        else if (strcmp(o, "--budget") == 0) budget = atof(v);
        else if (strcmp(o, "--calls") == 0) calls = atol(v);
        else if (strcmp(o, "--md") == 0) a->md = v;
        else if (strcmp(o, "--csv") == 0) a->csv = v;
        else if (strcmp(o, "--svg") == 0) a->svg = v;
        else if (strcmp(o, "--odoo-version") == 0) a->version = atoi(v);
        else if (strcmp(o, "--partners") == 0) a->partners = atoi(v);
        else if (strcmp(o, "--mock") == 0) a->mock = v;
        else if (strcmp(o, "--records") == 0) cfg->big_records = atoi(v);
        else if (strcmp(o, "--runs") == 0) {
            char *end;
            long r = strtol(v, &end, 10);
            if (*end || r < 1 || r > MAX_RUNS)
                return usage_error("--runs takes 1 to 9, not '%s'", v);
            cfg->runs = (int)r;
        }
        else if (strcmp(o, "--latency") == 0) {
            char *end;
            cfg->latency_ms = strtod(v, &end);
            if (*end || !(cfg->latency_ms >= 0 && cfg->latency_ms <= 60000))
                return usage_error("--latency takes milliseconds, 0 to 60000, not '%s'", v);
        }
    }
    if (cfg->latency_ms >= 0 && cfg->opts.url)
        return usage_error("%s", "--latency is odoo-mock's (a fault it injects): not with --url");
    const char *bad;
    if (a->protocols && (bad = unknown_name(a->protocols, 1)))
        return usage_error("unknown protocol '%s' in --protocols", bad);
    if (a->only && (bad = unknown_name(a->only, 0)))
        return usage_error("unknown workload '%s' in --workloads", bad);
    if (budget == 0 || budget < -1 || calls == 0 || calls < -1 || cfg->big_records == 0 || cfg->big_records < -1 ||
        a->partners < 0)
        return usage_error("%s", "--budget, --calls and --records must be positive");
    if (a->version < 16 || a->version > 19)
        return usage_error("%s", "--odoo-version is 16, 17, 18 or 19");
    cfg->budget_s = budget > 0 ? budget : cfg->quick ? 0.4 : 3.0;
    cfg->max_calls = calls > 0 ? calls : cfg->quick ? 200 : 2000;
    cfg->warmup = cfg->quick ? 3 : 20;
    cfg->big_runs = cfg->quick ? 3 : 10;
    if (cfg->big_records < 0) /* half the records: --quick stays under a minute with every peer */
        cfg->big_records = cfg->quick ? 10000 : 20000;
    cfg->floor_share = cfg->quick ? 1.0 / 3 : 1.0;
    return 0;
}

static void pin(const bench_config *cfg, const args *a, run_info *ri)
{
    int want = a->pin >= 0 ? a->pin : !cfg->opts.url;
    int cpu = want ? pin_one_cpu() : -1;
    if (cpu >= 0)
        snprintf(ri->pinning, sizeof(ri->pinning),
                 "odoo-bench, %s and the peers share CPU %d (pinned: steadier numbers; latency includes the "
                 "server's own work; --no-pin to let them spread)",
                 cfg->opts.url ? "the server" : "odoo-mock", cpu);
    else
        snprintf(ri->pinning, sizeof(ri->pinning), "%s", want ? "could not pin to one CPU" : "not pinned (--no-pin)");
}

static int start_server(bench_config *cfg, args *a, run_info *ri, mock_info *mi)
{
    pin(cfg, a, ri);
    if (cfg->opts.url) {
        snprintf(ri->server_kind, sizeof(ri->server_kind), "the server given with --url");
    } else {
        if (mock_start(a->mock, a->version, a->partners, mi) != 0) {
            fprintf(stderr, "odoo-bench: could not start %s\n", a->mock);
            return -1;
        }
        atexit(mock_stop);
        cfg->mock_url = mi->url;
        cfg->mock_path = a->mock;
        cfg->mock_version = a->version;
        cfg->opts.url = mi->url;
        cfg->opts.db = mi->db;
        cfg->opts.login = "admin";
        cfg->opts.password = "admin";
        cfg->opts.api_key = mi->api_key;
        cfg->write = 1; /* the mock's data is ours to change */
        if (!a->target.proxy_url) { /* the mock is its own gateway */
            a->target.proxy_url = mi->url;
            a->target.proxy_key = mi->proxy_key;
        }
        if (!a->target.user_id)
            a->target.user_id = 2;
        snprintf(ri->server_kind, sizeof(ri->server_kind), "odoo-mock started by odoo-bench, %d partners",
                 a->partners);
    }
    cfg->opts.proxy_url = a->target.proxy_url;
    cfg->opts.proxy_api_key = a->target.proxy_key;
    cfg->opts.user_id = a->target.user_id;
    return 0;
}

int main(int argc, char **argv)
{
    static bench_config cfg;
    static args a;
    static run_info ri;
    static mock_info mi;
    static result results[MAX_RESULTS];
    odoo_options_init(&cfg.opts, ODOO_OPTIONS_VERSION);
    int rc = parse(argc, argv, &cfg, &a);
    if (rc != 0)
        return rc;
    if (start_server(&cfg, &a, &ri, &mi) != 0)
        return 1;
    run_info_fill(&ri, argc, argv, &cfg);

    static result *runs[MAX_RUNS];
    static size_t counts[MAX_RUNS], measured[MAX_RUNS];
    size_t total = 0, done = 0;
    for (const workload *w = workloads; w->name; w++)
        for (size_t k = 0; k < nprotocols; k++)
            total += in_list(a.only, w->name) && in_list(a.protocols, protocols[k].name) &&
                     (!(w->flags & WL_WRITE) || cfg.write);
    total *= (size_t)cfg.runs;
    for (int run = 0; run < cfg.runs; run++) {
        result *rs = runs[run] = calloc(MAX_RESULTS, sizeof(result));
        if (!rs) {
            fprintf(stderr, "odoo-bench: out of memory\n");
            return 1;
        }
        size_t n = 0;
        for (const workload *w = workloads; w->name; w++) {
            if (!in_list(a.only, w->name) || ((w->flags & WL_WRITE) && !cfg.write))
                continue;
            for (size_t k = 0; k < nprotocols && n < MAX_RESULTS; k++) {
                const protocol_info *pi = &protocols[k];
                if (!in_list(a.protocols, pi->name))
                    continue;
                progress("[%zu/%zu] %-14s %s", ++done, total, w->name, pi->name);
                if (pi->kind == ODOO_PROTOCOL_ODXPROXY && !cfg.opts.proxy_url) {
                    result_init(&rs[n], "libodoo", pi->name, w->name);
                    snprintf(rs[n++].note, sizeof(rs[0].note), "no gateway given (--proxy-url)");
                    continue;
                }
                bench_measure(&cfg, pi, w, &rs[n++]);
            }
        }
        progress_done();
        measured[run] = n;
        if (a.peers)
            n += peers_run(&cfg, a.only, rs + n, MAX_RESULTS - n, &ri);
        else
            snprintf(ri.peers_note, sizeof(ri.peers_note), "not run (no --peers)");
        counts[run] = n;
    }
    size_t n = cfg.runs == 1 ? counts[0] : runs_merge(results, MAX_RESULTS, runs, counts, cfg.runs);
    const result *rs = cfg.runs == 1 ? runs[0] : results;

    rc = 0;
    FILE *md = a.md ? fopen(a.md, "w") : stdout;
    if (!md) {
        fprintf(stderr, "odoo-bench: cannot write %s\n", a.md);
        rc = 1;
    } else {
        report_markdown(&ri, rs, n, md);
        if (md != stdout && fclose(md) != 0)
            rc = 1;
    }
    if (a.csv && report_csv(&ri, rs, n, a.csv) != 0) {
        fprintf(stderr, "odoo-bench: cannot write %s\n", a.csv);
        rc = 1;
    }
    if (a.svg && report_svg(&ri, rs, n, a.svg) != 0) {
        fprintf(stderr, "odoo-bench: cannot write %s\n", a.svg);
        rc = 1;
    }
    for (int run = 0; run < cfg.runs; run++) {
        peers_free(runs[run] + measured[run], counts[run] - measured[run]);
        free(runs[run]);
    }
    return rc;
}
