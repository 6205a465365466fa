/* odoo-bench: every protocol over the same workloads against one server —
 * odoo-mock started here on a free port by default, or any Odoo given
 * with the usual options (read-only unless --write).
 *
 *   odoo-bench [--url URL --db DB --user LOGIN --password PW --api-key KEY]
 *              [--protocols xmlrpc,jsonrpc,jsonrpc-stateless,json2] [--workloads a,b]
 *              [--write] [--quick] [--budget SECONDS] [--calls N] [--no-floor]
 *              [--csv FILE] [--svg FILE] [--odoo-version N] [--mock PATH] */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifndef ODOO_MOCK_PATH
#define ODOO_MOCK_PATH "odoo-mock"
#endif
#ifndef ODOO_PEERS_PATH
#define ODOO_PEERS_PATH "bench/peers/peers.py"
#endif

static pid_t mock_pid;
static char mock_url[128], mock_db[64], mock_key[64];

static void stop_mock(void)
{
    if (mock_pid > 0) {
        kill(mock_pid, SIGTERM);
        waitpid(mock_pid, NULL, 0);
        mock_pid = 0;
    }
}

/* Start odoo-mock as a separate process, so its CPU is not ours. */
static int start_mock(const char *path, int version, int partners)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    char ver[16], part[16];
    snprintf(ver, sizeof(ver), "%d", version);
    snprintf(part, sizeof(part), "%d", partners);
    mock_pid = fork();
    if (mock_pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(path, path, "--odoo-version", ver, "--partners", part, "--quiet", (char *)NULL);
        perror(path);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    char line[512];
    int ok = f && fgets(line, sizeof(line), f) != NULL;
    if (f)
        fclose(f);
    if (!ok)
        return -1;
    char *u = strstr(line, "listening on "), *d = strstr(line, " db="), *k = strstr(line, " api_key=");
    if (!u || !d || !k)
        return -1;
    sscanf(u + 13, "%127s", mock_url);
    sscanf(d + 4, "%63s", mock_db);
    sscanf(k + 9, "%63s", mock_key);
    return 0;
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

/* Group results by workload, keeping the measured order inside a group. */
static void group_by_workload(result *rs, size_t n)
{
    result *sorted = malloc(n * sizeof(result));
    size_t k = 0;
    if (!sorted)
        return;
    for (const workload *w = workloads; w->name; w++)
        for (size_t i = 0; i < n; i++)
            if (strcmp(rs[i].workload, w->name) == 0)
                sorted[k++] = rs[i];
    if (k == n)
        memcpy(rs, sorted, n * sizeof(result));
    free(sorted);
}

/* Python's xmlrpc.client and OdooRPC on the same workloads (bench/peers). */
static size_t run_peers(const bench_config *cfg, const char *only, result *rs, size_t room)
{
    const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "%s '%s' --url '%s' --db '%s' --user '%s' --password '%s' --budget %g "
             "--max-calls %ld --records %d%s%s", py, ODOO_PEERS_PATH, cfg->opts.url, cfg->opts.db,
             cfg->opts.login ? cfg->opts.login : "admin", cfg->opts.password ? cfg->opts.password : "",
             cfg->budget_s, cfg->max_calls, cfg->big_records, only ? " --workloads " : "", only ? only : "");
    FILE *f = popen(cmd, "r");
    if (!f)
        return 0;
    size_t cap = 1 << 16, len = 0, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0)
        if ((len += got) + 1 >= cap)
            buf = realloc(buf, cap *= 2);
    pclose(f);
    if (!buf)
        return 0;
    buf[len] = '\0';
    json_object *arr = json_tokener_parse(buf);
    free(buf);
    for (size_t i = 0; arr && i < json_object_array_length(arr) && n < room; i++) {
        json_object *o = json_object_array_get_idx(arr, i), *v;
        result *r = &rs[n++];
        memset(r, 0, sizeof(*r));
#define NUM(key, field) if (json_object_object_get_ex(o, key, &v)) r->field = json_object_get_double(v)
        json_object_object_get_ex(o, "workload", &v);
        r->workload = strdup(json_object_get_string(v));
        json_object_object_get_ex(o, "protocol", &v);
        r->protocol = strdup(json_object_get_string(v));
        r->ok = json_object_object_get_ex(o, "ok", &v) && json_object_get_int(v);
        if (json_object_object_get_ex(o, "note", &v))
            snprintf(r->note, sizeof(r->note), "%s", json_object_get_string(v));
        if (json_object_object_get_ex(o, "calls", &v))
            r->calls = json_object_get_int64(v);
        NUM("median_ms", median_ms);
        NUM("p95_ms", p95_ms);
        NUM("cpu_us", cpu_us);
        NUM("calls_per_s", calls_per_s);
#undef NUM
    }
    json_object_put(arr);
    return n;
}

static void usage(void)
{
    fputs("usage: odoo-bench [--url URL --db DB --user LOGIN --password PW --api-key KEY]\n"
          "                  [--protocols xmlrpc,jsonrpc,jsonrpc-stateless,json2] [--workloads a,b]\n"
          "                  [--write] [--quick] [--budget SECONDS] [--calls N] [--no-floor]\n"
          "                  [--csv FILE] [--svg FILE] [--odoo-version N] [--partners N] [--mock PATH]\n"
          "                  [--peers]   also Python's xmlrpc.client and OdooRPC (python3-odoorpc)\n"
          "Without --url, odoo-mock is started on a free port (and stopped at the end).\n"
          "Workloads:",
          stderr);
    for (const workload *w = workloads; w->name; w++)
        fprintf(stderr, " %s", w->name);
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    bench_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    odoo_options_init(&cfg.opts, ODOO_OPTIONS_VERSION);
    cfg.budget_s = 3.0;
    cfg.max_calls = 2000;
    cfg.big_records = 20000;
    const char *protocols = "xmlrpc,jsonrpc,jsonrpc-stateless,json2", *only = NULL, *csv = NULL, *svg = NULL;
    const char *mock = ODOO_MOCK_PATH;
    int version = 19, partners = 20100, peers = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define OPT(name) (strcmp(a, name) == 0 && v && ++i)
        if (OPT("--url")) cfg.opts.url = v;
        else if (OPT("--db")) cfg.opts.db = v;
        else if (OPT("--user")) cfg.opts.login = v;
        else if (OPT("--password")) cfg.opts.password = v;
        else if (OPT("--api-key")) cfg.opts.api_key = v;
        else if (OPT("--protocols")) protocols = v;
        else if (OPT("--workloads")) only = v;
        else if (OPT("--budget")) cfg.budget_s = atof(v);
        else if (OPT("--calls")) cfg.max_calls = atol(v);
        else if (OPT("--csv")) csv = v;
        else if (OPT("--svg")) svg = v;
        else if (OPT("--odoo-version")) version = atoi(v);
        else if (OPT("--partners")) partners = atoi(v);
        else if (OPT("--mock")) mock = v;
        else if (OPT("--records")) cfg.big_records = atoi(v);
        else if (strcmp(a, "--write") == 0) cfg.write = 1;
        else if (strcmp(a, "--quick") == 0) { cfg.quick = 1; cfg.budget_s = 0.5; cfg.max_calls = 200; }
        else if (strcmp(a, "--no-floor") == 0) cfg.no_floor = 1;
        else if (strcmp(a, "--peers") == 0) peers = 1;
        else { usage(); return 2; }
#undef OPT
    }
    if (cfg.budget_s <= 0 || cfg.max_calls <= 0 || cfg.big_records <= 0) {
        usage();
        return 2;
    }
    if (!cfg.opts.url) {
        if (start_mock(mock, version, partners) != 0) {
            fprintf(stderr, "odoo-bench: could not start %s\n", mock);
            stop_mock();
            return 1;
        }
        atexit(stop_mock);
        cfg.opts.url = mock_url;
        cfg.opts.db = mock_db;
        cfg.opts.login = "admin";
        cfg.opts.password = "admin";
        cfg.opts.api_key = mock_key;
        cfg.write = 1; /* the mock's data is ours to change */
        fprintf(stderr, "odoo-bench: odoo-mock %d with %d partners at %s\n", version, partners, mock_url);
    }

    static const odoo_protocol_kind kinds[] = {
        ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC, ODOO_PROTOCOL_JSONRPC_STATELESS, ODOO_PROTOCOL_JSON2,
        ODOO_PROTOCOL_ODXPROXY,
    };
    static result results[96];
    size_t n = 0;
    size_t total = 0, done = 0;
    for (const workload *w = workloads; w->name; w++)
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
            total += in_list(only, w->name) && in_list(protocols, odoo_protocol_kind_name(kinds[k])) &&
                     (!w->needs_write || cfg.write);
    for (const workload *w = workloads; w->name; w++) {
        if (!in_list(only, w->name) || (w->needs_write && !cfg.write))
            continue;
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && n < 64; k++) {
            if (!in_list(protocols, odoo_protocol_kind_name(kinds[k])))
                continue;
            fprintf(stderr, "\r[%zu/%zu] %-14s %-18s", ++done, total, w->name, odoo_protocol_kind_name(kinds[k]));
            bench_measure(&cfg, kinds[k], w, &results[n++]);
        }
    }
    fprintf(stderr, "\r%60s\r", "");
    size_t measured = n;
    if (peers) {
        n += run_peers(&cfg, only, results + n, 96 - n);
        group_by_workload(results, n);
    }
    report_markdown(results, n, stdout);
    if (csv && report_csv(results, n, csv) != 0)
        fprintf(stderr, "odoo-bench: cannot write %s\n", csv);
    if (svg && report_svg(results, n, svg) != 0)
        fprintf(stderr, "odoo-bench: cannot write %s\n", svg);
    for (size_t i = 0; i < n; i++) {
        if (strncmp(results[i].protocol, "py-", 3) == 0) {
            free((char *)results[i].protocol);
            free((char *)results[i].workload);
        }
    }
    (void)measured;
    return 0;
}
