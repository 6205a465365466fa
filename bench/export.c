/* The export workload (issue 12's targets): `odoo-rpc search-read
 * res.partner '[]' --all --format ndjson` of EXPORT_PARTNERS records
 * (a second odoo-mock of that size, started on first use and stopped at
 * exit), the CLI's output read here and counted, its peak resident memory
 * from wait4 beside the same command with --limit 1 (the process's
 * baseline), and the total from `odoo-rpc count`. What it shows: every
 * record written once and a peak that does not grow with the count. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifndef ODOO_RPC_PATH
#define ODOO_RPC_PATH "odoo-rpc"
#endif

#define EXPORT_FIELDS "name,email,phone,is_company,country_id,city,partner_latitude,write_date"

static mock_info emock;
static pid_t emock_pid;
static int emock_state; /* 0 not tried, 1 running, -1 failed */

static void emock_stop(void)
{
    if (emock_pid > 0) {
        kill(emock_pid, SIGTERM);
        waitpid(emock_pid, NULL, 0);
        emock_pid = 0;
    }
}

int export_partners(const bench_config *cfg)
{
    return cfg->quick ? 20000 : 200000;
}

/* One odoo-rpc run: its stdout's lines and bytes, its peak RSS (kB), its
 * CPU and wall time. 0, or -1 with why. */
typedef struct cli_run {
    long lines;
    double bytes, peak_kb, cpu_s, wall_s;
    int status;
    char out[64];               /* the first bytes of stdout (count's answer) */
} cli_run;

static int run_cli(char *const argv[], cli_run *out, char *why, size_t n)
{
    memset(out, 0, sizeof(*out));
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(why, n, "pipe failed");
        return -1;
    }
    fflush(NULL);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        snprintf(why, n, "fork failed");
        return -1;
    }
    char buf[65536];
    ssize_t k;
    size_t kept = 0;
    while ((k = read(fds[0], buf, sizeof(buf))) > 0) {
        out->bytes += (double)k;
        for (ssize_t i = 0; i < k; i++)
            out->lines += buf[i] == '\n';
        if (kept + 1 < sizeof(out->out)) {
            size_t c = (size_t)k < sizeof(out->out) - 1 - kept ? (size_t)k : sizeof(out->out) - 1 - kept;
            memcpy(out->out + kept, buf, c);
            kept += c;
        }
    }
    close(fds[0]);
    struct rusage ru;
    int st = 0;
    if (wait4(pid, &st, 0, &ru) != pid) {
        snprintf(why, n, "wait4 failed");
        return -1;
    }
    out->wall_s = now_s() - t0;
    out->peak_kb = (double)ru.ru_maxrss;
    out->cpu_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 ru.ru_stime.tv_usec / 1e6;
    out->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
    if (out->status != 0) {
        snprintf(why, n, "odoo-rpc exited %d", out->status);
        return -1;
    }
    return 0;
}

/* argv of `odoo-rpc CONNECTION` for protocol pi, then the command's words. */
static void cli_argv(const protocol_info *pi, const char *const *cmd, char **av, size_t room)
{
    static char uid[16];
    snprintf(uid, sizeof(uid), "%d", 2);
    const char *conn[] = { ODOO_RPC_PATH, "--url", emock.url, "-d", emock.db, "-u", "admin", "--password", "admin",
                           "--api-key", emock.api_key, "--protocol", pi->name, NULL };
    const char *gw[] = { "--proxy-url", emock.url, "--proxy-key", emock.proxy_key, "--user-id", uid, NULL };
    size_t k = 0;
    for (const char *const *a = conn; *a && k + 1 < room; a++)
        av[k++] = (char *)*a;
    if (pi->kind == ODOO_PROTOCOL_ODXPROXY)
        for (const char *const *a = gw; *a && k + 1 < room; a++)
            av[k++] = (char *)*a;
    for (const char *const *a = cmd; *a && k + 1 < room; a++)
        av[k++] = (char *)*a;
    av[k] = NULL;
}

void export_measure(const bench_config *cfg, const protocol_info *pi, const workload *w, result *r)
{
    (void)w;
    if (cfg->mock_url == NULL) {
        snprintf(r->note, sizeof(r->note), "odoo-mock's own (a second mock of %d partners): not with --url",
                 export_partners(cfg));
        return;
    }
    if (emock_state == 0) {
        emock_state = mock_spawn(cfg->mock_path, cfg->mock_version, export_partners(cfg), &emock, &emock_pid) == 0
                          ? 1
                          : -1;
        if (emock_state == 1)
            atexit(emock_stop);
    }
    if (emock_state != 1) {
        snprintf(r->note, sizeof(r->note), "could not start odoo-mock --partners %d", export_partners(cfg));
        return;
    }
    static const char *const all[] = { "search-read", "res.partner", "[]", "--fields", EXPORT_FIELDS, "--all",
                                       "--page-size", "10000", "--format", "ndjson", NULL };
    static const char *const one[] = { "search-read", "res.partner", "[]", "--fields", EXPORT_FIELDS,
                                       "--limit", "1", "--format", "ndjson", NULL };
    static const char *const count[] = { "count", "res.partner", "[]", NULL };
    char *av[40];
    cli_run ra, r1, rc;
    cli_argv(pi, count, av, 40);
    if (run_cli(av, &rc, r->note, sizeof(r->note)) != 0)
        return;
    cli_argv(pi, one, av, 40);
    if (run_cli(av, &r1, r->note, sizeof(r->note)) != 0)
        return;
    cli_argv(pi, all, av, 40);
    if (run_cli(av, &ra, r->note, sizeof(r->note)) != 0)
        return;
    r->ok = 1;
    r->calls = 1;
    r->median_ms = r->p95_ms = ra.wall_s * 1e3;
    r->cpu_us = ra.cpu_s * 1e6;
    r->peak_mb = (ra.peak_kb - r1.peak_kb) / 1e3; /* above the baseline, as the big reads' peak */
    r->exp.records = ra.lines;
    r->exp.count = strtol(rc.out, NULL, 10);
    r->exp.base_mb = r1.peak_kb / 1e3;
    r->exp.bytes = ra.bytes;
    r->exp.partners = export_partners(cfg);
}
