/* The run's header: when, which commit, which machine, which server. */
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "bench.h"

#ifndef ODOO_SOURCE_DIR
#define ODOO_SOURCE_DIR "."
#endif

/* First line of a command's output into out; 0 or -1. */
static int first_line(const char *cmd, char *out, size_t n)
{
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    int ok = fgets(out, (int)n, f) != NULL;
    if (pclose(f) != 0 || !ok)
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return out[0] ? 0 : -1;
}

static void git_commit(char *out, size_t n)
{
    static const char *const dirs[] = { ODOO_SOURCE_DIR, "." };
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        char cmd[1200], dirty[8];
        snprintf(cmd, sizeof(cmd), "git -C '%s' rev-parse --short HEAD 2>/dev/null", dirs[i]);
        if (first_line(cmd, out, n) != 0)
            continue;
        snprintf(cmd, sizeof(cmd), "git -C '%s' status --porcelain --untracked-files=no 2>/dev/null", dirs[i]);
        if (first_line(cmd, dirty, sizeof(dirty)) == 0 && strlen(out) + 7 < n)
            strcat(out, "-dirty");
        return;
    }
    snprintf(out, n, "n/a (not a git checkout)");
}

static void cpu_model(char *out, size_t n)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512];
    snprintf(out, n, "n/a");
    while (f && fgets(line, sizeof(line), f)) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            colon += 1 + (colon[1] == ' ');
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(out, n, "%s", colon);
            break;
        }
    }
    if (f)
        fclose(f);
}

static void join_args(char *out, size_t n, int argc, char **argv)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < argc && len + 1 < n; i++) {
        int quote = strpbrk(argv[i], " \t'\"$`\\") != NULL;
        len += (size_t)snprintf(out + len, n - len, "%s%s%s%s", i ? " " : "", quote ? "'" : "", argv[i],
                                quote ? "'" : "");
        if (len >= n)
            len = n - 1;
    }
}

void run_info_fill(run_info *ri, int argc, char **argv, const bench_config *cfg)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(ri->date, sizeof(ri->date), "%Y-%m-%d %H:%M UTC", &tm);
    git_commit(ri->commit, sizeof(ri->commit));
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(ri->machine, sizeof(ri->machine), "%s %s %s", u.sysname, u.release, u.machine);
    else
        snprintf(ri->machine, sizeof(ri->machine), "n/a");
    cpu_model(ri->cpu, sizeof(ri->cpu));
    ri->cores = sysconf(_SC_NPROCESSORS_ONLN);
    /* The libcurl loaded, not the one built against: the same binary may
     * run on either (LD_LIBRARY_PATH), and 7.88 and 8.x differ. */
    const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    snprintf(ri->client, sizeof(ri->client), "libodoo %s, libcurl %s (%s%s%s)", odoo_version_string(),
             cv->version, cv->ssl_version ? cv->ssl_version : "no TLS", cv->nghttp2_version ? ", nghttp2 " : "",
             cv->nghttp2_version ? cv->nghttp2_version : "");
    snprintf(ri->server_url, sizeof(ri->server_url), "%s", cfg->opts.url);
    if (bench_server_version(cfg, ri->server_version, sizeof(ri->server_version)) != 0)
        snprintf(ri->server_version, sizeof(ri->server_version), "n/a (no protocol answered version_info)");
    ri->odoo_major = atoi(ri->server_version);
    snprintf(ri->gateway, sizeof(ri->gateway), "%s", cfg->opts.proxy_url ? cfg->opts.proxy_url : "n/a");
    ri->big_records = cfg->big_records;
    join_args(ri->command, sizeof(ri->command), argc, argv);
    snprintf(ri->budget, sizeof(ri->budget),
             "at most %ld calls or %.1f s per client and workload after %ld warm-up calls; big reads: %ld calls "
             "or %.1f s, the first one's peak memory apart; the floor replays %s requests, in slices "
             "between the library's",
             cfg->max_calls, cfg->budget_s, cfg->warmup, cfg->big_runs, cfg->budget_s * 3,
             cfg->no_floor ? "no" : cfg->floor_share < 1 ? "a third as many" : "as many");
    if (cfg->runs > 1) {
        size_t k = strlen(ri->budget);
        snprintf(ri->budget + k, sizeof(ri->budget) - k,
                 "; all of it %d times (--runs): each row is the run with the median client CPU, "
                 "[lowest – highest] of the %d runs beside it",
                 cfg->runs, cfg->runs);
    }
}

int pin_one_cpu(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) != 0)
        return -1;
    int cpu = -1;
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, &set))
            cpu = i; /* the last one: away from where interrupts usually go */
    if (cpu < 0)
        return -1;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof(set), &set) == 0 ? cpu : -1;
}

void progress(const char *fmt, ...)
{
    if (!isatty(2))
        return;
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "\r\033[K%s", line);
}

void progress_done(void)
{
    if (isatty(2))
        fputs("\r\033[K", stderr);
}
