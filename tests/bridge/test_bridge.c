/* odoo-bridge tests. odoo-mock 19 runs in-process (accepting the API keys
 * of the recordings); odoo-bridge runs as a child, exactly as installed;
 * the clients are Python's standard library (/usr/bin/python3), the
 * scripts beside this file. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "odoo_mock.h"

extern char **environ;

/* the API keys of the recordings (throwaway lab servers), as test_fidelity.c */
static const odoo_mock_key KEYS19[] = {
    { "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39", "admin", NULL, 0 },
    { "f57ef3218f38b308e0a673f86216229b7167f921", "admin", "rpc", 0 },
    { "a3050a67da038fb1fbcf171cdef0cc775493e2c2", "admin", "totp_device", 0 },
    { "269659baa8e02f19fa2263242ed3d3c1aed85e41", "admin", NULL, 1 },
    { "4c73086e37bc2794cf7ca3fa48d99315bfefc9ac", "limited", NULL, 0 },
};
#define LAB_ADMIN_KEY "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39"
#define LAB_LIMITED_KEY "4c73086e37bc2794cf7ca3fa48d99315bfefc9ac"

static odoo_mock *start_mock(void)
{
    odoo_mock_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.odoo_version = 19;
    cfg.db = "odoo19";
    cfg.quiet = 1;
    cfg.extra_keys = KEYS19;
    cfg.n_extra_keys = sizeof KEYS19 / sizeof KEYS19[0];
    odoo_mock *m = NULL;
    cr_assert_eq(odoo_mock_start(&m, &cfg), 0, "odoo-mock did not start");
    return m;
}

typedef struct child {
    pid_t pid;
    char line[512];   /* first stdout line */
    char url[128];    /* http://127.0.0.1:PORT */
} child;

/* Run odoo-bridge with argv (NULL-terminated, without the program) and
 * read its first stdout line; 0 when it came within 15 s. */
static int bridge_start(child *c, const char *const *args)
{
    const char *argv[32] = { BRIDGE_PATH };
    size_t n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    memset(c, 0, sizeof *c);
    cr_assert_eq(posix_spawn(&c->pid, BRIDGE_PATH, &fa, NULL, (char *const *)argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    size_t len = 0;
    struct pollfd p = { fds[0], POLLIN, 0 };
    while (len + 1 < sizeof c->line && poll(&p, 1, 15000) == 1) {
        ssize_t k = read(fds[0], c->line + len, 1);
        if (k <= 0 || c->line[len] == '\n')
            break;
        len++;
    }
    c->line[len] = '\0';
    close(fds[0]);
    const char *u = strstr(c->line, "http://");
    if (!u)
        return -1;
    snprintf(c->url, sizeof c->url, "%.*s", (int)strcspn(u, " "), u);
    return 0;
}

/* SIGTERM, then the exit status (-1 when killed by a signal or stuck). */
static int bridge_stop(child *c)
{
    kill(c->pid, SIGTERM);
    int st = 0;
    for (int i = 0; i < 300; i++) {
        pid_t r = waitpid(c->pid, &st, WNOHANG);
        if (r == c->pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        usleep(50 * 1000);
    }
    kill(c->pid, SIGKILL);
    waitpid(c->pid, &st, 0);
    return -1;
}

static int run(const char *const *argv)
{
    pid_t pid;
    if (posix_spawn(&pid, argv[0], NULL, NULL, (char *const *)argv, environ) != 0)
        return -1;
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int python(const char *script, const char *const *args)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", BRIDGE_TESTS_DIR, script);
    const char *argv[32] = { "/usr/bin/python3", path };
    size_t n = 2;
    for (; args[n - 2] && n < 31; n++)
        argv[n] = args[n - 2];
    argv[n] = NULL;
    return run(argv);
}

/* ------------------------------------------------------------------ */

Test(cli, help_usage_and_exit_codes, .timeout = 60)
{
    const char *help[] = { BRIDGE_PATH, "--help", NULL };
    cr_expect_eq(run(help), 0);
    const char *bad[] = { BRIDGE_PATH, "--upstream", "http://127.0.0.1:1", "--no-such-option", NULL };
    cr_expect_eq(run(bad), 2);
    const char *none[] = { BRIDGE_PATH, NULL };
    cr_expect_eq(run(none), 2, "no --upstream is a usage error");
    const char *listen[] = { BRIDGE_PATH, "--upstream", "http://127.0.0.1:1", "--listen", "localhost", NULL };
    cr_expect_eq(run(listen), 2);
    const char *proto[] = { BRIDGE_PATH, "--upstream", "http://127.0.0.1:1", "--upstream-protocol", "smtp", NULL };
    cr_expect_eq(run(proto), 2);
    /* port 1 on loopback: nothing listens there */
    const char *down[] = { BRIDGE_PATH, "--upstream", "http://127.0.0.1:1", NULL };
    cr_expect_eq(run(down), 4, "an unreachable upstream is exit status 4");
}

Test(cli, first_line_and_sigterm, .timeout = 60)
{
    odoo_mock *m = start_mock();
    child c;
    const char *args[] = { "--upstream", odoo_mock_url(m), NULL };
    cr_assert_eq(bridge_start(&c, args), 0, "no first line: '%s'", c.line);
    unsigned port = 0;
    char tail[256];
    cr_assert_eq(sscanf(c.line, "odoo-bridge listening on http://127.0.0.1:%u %255[^\n]", &port, tail), 2,
                 "%s", c.line);
    cr_expect_gt(port, 0);
    char want[256];
    snprintf(want, sizeof want, "upstream %s via json2", odoo_mock_url(m));
    cr_expect_str_eq(tail, want, "line: %s", c.line);
    cr_expect_eq(bridge_stop(&c), 0, "SIGTERM must stop it cleanly (exit 0, no leak under ASan)");

    /* forced protocol, reported as such */
    const char *forced[] = { "--upstream", odoo_mock_url(m), "--upstream-protocol", "jsonrpc-stateless", NULL };
    cr_assert_eq(bridge_start(&c, forced), 0);
    cr_expect(strstr(c.line, " via jsonrpc-stateless") != NULL, "%s", c.line);
    kill(c.pid, SIGINT);
    int st;
    waitpid(c.pid, &st, 0);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "SIGINT stops it too");
    odoo_mock_stop(m);
}

static void replay(const char *variant)
{
    odoo_mock *a = start_mock(), *b = start_mock();
    child c;
    const char *args[] = { "--upstream", odoo_mock_url(a), NULL };
    cr_assert_eq(bridge_start(&c, args), 0, "%s", c.line);
    char dir[1024], keys[256];
    snprintf(dir, sizeof dir, "%s/odoo19/xmlrpc", BRIDGE_FIXTURES_DIR);
    snprintf(keys, sizeof keys, "admin=%s,limited=%s", LAB_ADMIN_KEY, LAB_LIMITED_KEY);
    const char *py[] = { "--bridge", c.url, "--direct", odoo_mock_url(b), "--fixtures", dir, "--variant", variant,
                         "--keys", keys, NULL };
    int rc = python("replay.py", py);
    cr_expect_eq(bridge_stop(&c), 0);
    odoo_mock_stop(a);
    odoo_mock_stop(b);
    cr_expect_eq(rc, 0, "replay.py found answers that differ (see its output)");
}

Test(replay, recorded_xmlrpc_as_recorded, .timeout = 300)
{
    replay("password");
}

Test(replay, recorded_xmlrpc_with_api_keys_over_json2, .timeout = 300)
{
    replay("key");
}

static void scenario(const char *proto, const char *upstream_protocol)
{
    odoo_mock *m = start_mock();
    child c;
    char log[] = "/tmp/odoo-bridge-test-log-XXXXXX";
    int fd = mkstemp(log);
    cr_assert_geq(fd, 0);
    close(fd);
    const char *args[] = { "--upstream", odoo_mock_url(m), "--log", log, "--upstream-protocol", upstream_protocol,
                           NULL };
    cr_assert_eq(bridge_start(&c, args), 0, "%s", c.line);
    const char *py[] = { "--url", c.url, "--db", "odoo19", "--proto", proto, "--admin-key",
                         ODOO_MOCK_ADMIN_API_KEY, "--limited-key", ODOO_MOCK_LIMITED_API_KEY, NULL };
    int rc = python("scenario.py", py);
    cr_expect_eq(bridge_stop(&c), 0);
    odoo_mock_stop(m);
    cr_expect_eq(rc, 0, "scenario.py failed (see its output)");
    /* the request log names the calls, never a secret */
    FILE *f = fopen(log, "r");
    cr_assert(f);
    char line[2048];
    int lines = 0;
    while (fgets(line, sizeof line, f)) {
        lines++;
        cr_expect(!strstr(line, ODOO_MOCK_ADMIN_API_KEY) && !strstr(line, ODOO_MOCK_LIMITED_API_KEY) &&
                  !strstr(line, "not-the-password"),
                  "a secret in the log: %s", line);
    }
    fclose(f);
    unlink(log);
    cr_expect_gt(lines, 10, "the log has a line per request");
}

Test(scenario, python_xmlrpc_client, .timeout = 120)
{
    scenario("xmlrpc", "auto");
}

Test(scenario, python_jsonrpc_client, .timeout = 120)
{
    scenario("jsonrpc", "auto");
}

Test(scenario, python_xmlrpc_client_stateless_upstream, .timeout = 120)
{
    scenario("xmlrpc", "jsonrpc-stateless");
}

Test(concurrency, thirty_two_clients_at_once, .timeout = 120)
{
    odoo_mock *m = start_mock();
    /* every upstream call takes 300 ms: served one after the other, 32
     * clients would need 9.6 s */
    cr_assert_eq(odoo_mock_inject(m, "{\"fault\":\"latency\",\"ms\":300,\"count\":1000,\"path\":\"/json/2\"}"), 0);
    child c;
    const char *args[] = { "--upstream", odoo_mock_url(m), NULL };
    cr_assert_eq(bridge_start(&c, args), 0, "%s", c.line);
    const char *py[] = { "--url", c.url, "--db", "odoo19", "--key", ODOO_MOCK_ADMIN_API_KEY, "--clients", "32",
                         "--max-seconds", "4.5", NULL };
    int rc = python("concurrent.py", py);
    cr_expect_eq(bridge_stop(&c), 0);
    odoo_mock_stop(m);
    cr_expect_eq(rc, 0, "concurrent.py failed (see its output)");
}

Test(bad_input, bounded_and_clear, .timeout = 120)
{
    odoo_mock *m = start_mock();
    child c;
    const char *args[] = { "--upstream", odoo_mock_url(m), "--max-body", "1048576", NULL };
    cr_assert_eq(bridge_start(&c, args), 0, "%s", c.line);
    const char *py[] = { "--url", c.url, "--db", "odoo19", "--key", ODOO_MOCK_ADMIN_API_KEY, "--max-body",
                         "1048576", NULL };
    int rc = python("badinput.py", py);
    cr_expect_eq(bridge_stop(&c), 0, "still alive and stops cleanly after the bad input");
    odoo_mock_stop(m);
    cr_expect_eq(rc, 0, "badinput.py failed (see its output)");
}
