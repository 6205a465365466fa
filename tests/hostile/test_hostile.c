/* Every protocol x every bad answer of hostile-server, through the library
 * and through odoo-rpc: the expected kind (and exit code), no crash, memory
 * bounded (max_response_bytes honoured, peak RSS checked). Cells that wait
 * for another defect's fix name it (D3 huge numbers, D10 depth, D20 UTF-8
 * and NUL): their expectation is the right one, not today's behaviour. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <odoo.h>

#define MAX_RESPONSE ((size_t)1 << 20)
#define RSS_LIMIT_KB (256L * 1024) /* far above a 1 MB cap, far below an unbounded read */

static pid_t server = -1;
static int port;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void start(void)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    server = fork();
    cr_assert_neq(server, -1);
    if (server == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        execl(HOSTILE_SERVER_PATH, "hostile-server", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    cr_assert(f && fscanf(f, "%d", &port) == 1, "hostile-server did not start");
    fclose(f);
}

static void stop(void)
{
    if (server > 0) {
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
        server = -1;
    }
    odoo_rpc_error_clear(&err);
}

TestSuite(hostile, .init = start, .fini = stop, .timeout = 240);

typedef struct {
    const char *mode;
    odoo_error_kind kind;
    const char *waits_for; /* the defect whose fix the cell needs, or NULL */
} cell;

static const cell modes[] = {
    { "truncated", ODOO_ERR_NETWORK, NULL },
    { "reset", ODOO_ERR_NETWORK, NULL },
    { "chunked", ODOO_ERR_TOO_LARGE, NULL },
    { "trickle", ODOO_ERR_TIMEOUT, NULL },
    { "html502", ODOO_ERR_UNAVAILABLE, NULL },
    { "html504", ODOO_ERR_UNAVAILABLE, NULL },
    { "bare401", ODOO_ERR_AUTH, NULL },
    { "bare403", ODOO_ERR_AUTH, NULL },
    { "bare429", ODOO_ERR_RATE_LIMITED, NULL },
    { "badjson", ODOO_ERR_PROTOCOL, NULL },
    { "badxml", ODOO_ERR_PROTOCOL, NULL },
    { "deep", ODOO_ERR_PROTOCOL, "D10" },
    { "hugenum", ODOO_ERR_PROTOCOL, "D3" },
    { "nul", ODOO_ERR_PROTOCOL, "D20" },
    { "badutf8", ODOO_ERR_PROTOCOL, "D20" },
    { "cookies", ODOO_ERR_PROTOCOL, NULL },
    { "bighdr", ODOO_ERR_PROTOCOL, NULL },
    { "redirect_same", ODOO_ERR_PROTOCOL, NULL },
    { "redirect_other", ODOO_ERR_PROTOCOL, NULL },
    { "garbage", ODOO_ERR_PROTOCOL, NULL },
};
#define NMODES (sizeof(modes) / sizeof(modes[0]))

static int exit_for(odoo_error_kind k)
{
    switch (k) {
    case ODOO_ERR_AUTH: return 3;
    case ODOO_ERR_NETWORK:
    case ODOO_ERR_TIMEOUT:
    case ODOO_ERR_UNAVAILABLE:
    case ODOO_ERR_RATE_LIMITED: return 4;
    default: return 5;
    }
}

static void base_url(char *buf, size_t len, const char *mode)
{
    snprintf(buf, len, "http://127.0.0.1:%d/m/%s", port, mode);
}

/* One call through the library: connect (some protocols log in there),
 * then search_read, whose result is handed back as the server sent it. */
static int run_lib(odoo_protocol_kind kind, const char *mode)
{
    char url[128];
    base_url(url, sizeof(url), mode);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.db = "prod";
    o.login = "admin";
    o.password = kind == ODOO_PROTOCOL_JSON2 ? NULL : "admin";
    o.api_key = kind == ODOO_PROTOCOL_JSONRPC ? NULL : "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39";
    o.timeout_ms = 1500;
    o.max_response_bytes = MAX_RESPONSE;
    if (kind == ODOO_PROTOCOL_ODXPROXY) {
        o.url = "https://erp.example.com";
        o.proxy_url = url;
        o.proxy_api_key = "proxy-key-0123456789";
        o.user_id = 2;
        o.proxy_api = 1;
    } else {
        o.url = url;
    }
    odoo_protocol *p = NULL;
    int rc = odoo_connect(&p, kind, &o, &err);
    if (rc == 0) {
        json_object *args = json_tokener_parse("[[]]"), *out = NULL;
        rc = odoo_execute_kw(&out, p, "res.partner", "search_read", args, NULL, NULL, &err);
        json_object_put(out);
        json_object_put(args);
    }
    odoo_close(p);
    return rc;
}

/* The same through odoo-rpc: its exit code, the kind it printed on stderr,
 * and its peak RSS. */
static int run_cli(odoo_protocol_kind kind, const char *mode, char *kind_seen, size_t kind_len, long *rss_kb)
{
    char url[128], out_path[] = "/tmp/hostile-cli-XXXXXX";
    base_url(url, sizeof(url), mode);
    int fd = mkstemp(out_path);
    cr_assert_geq(fd, 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        dup2(fd, 2);
        int null = open("/dev/null", 1);
        dup2(null, 1);
        const char *proto = odoo_protocol_kind_name(kind);
        if (kind == ODOO_PROTOCOL_ODXPROXY)
            execl(ODOO_RPC_PATH, "odoo-rpc", "--url", "https://erp.example.com", "--proxy-url", url, "--proxy-key",
                  "proxy-key-0123456789", "--user-id", "2", "--db", "prod", "--api-key",
                  "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39", "--protocol", proto, "--timeout", "1.5", "call",
                  "res.partner", "search_read", "[[]]", (char *)NULL);
        else
            execl(ODOO_RPC_PATH, "odoo-rpc", "--url", url, "--db", "prod", "--user", "admin",
                  kind == ODOO_PROTOCOL_JSON2 ? "--api-key" : "--password",
                  kind == ODOO_PROTOCOL_JSON2 ? "279b0d4fbaf43e4f19028842fdc2fdf831bfaa39" : "admin",
                  "--protocol", proto, "--timeout", "1.5", "call", "res.partner", "search_read", "[[]]",
                  (char *)NULL);
        _exit(127);
    }
    int st = 0;
    struct rusage ru;
    wait4(pid, &st, 0, &ru);
    *rss_kb = ru.ru_maxrss;
    char text[4096] = "";
    ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
    text[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(out_path);
    kind_seen[0] = '\0';
    const char *k = strstr(text, "\"kind\":\"");
    if (k)
        snprintf(kind_seen, kind_len, "%.*s", (int)strcspn(k + 8, "\""), k + 8);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int failed_cells;

static void matrix(odoo_protocol_kind kind)
{
    const char *proto = odoo_protocol_kind_name(kind);
    for (size_t i = 0; i < NMODES; i++) {
        const cell *c = &modes[i];
        int rc = run_lib(kind, c->mode);
        if (rc != (int)c->kind)
            failed_cells++;
        cr_expect_eq(rc, (int)c->kind, "lib %s x %s: %s (%s)%s%s", proto, c->mode,
                     odoo_error_kind_name((odoo_error_kind)rc), err.message ? err.message : "",
                     c->waits_for ? "; waits for " : "", c->waits_for ? c->waits_for : "");
        /* bounded memory in this process: the 1 MB cap held */
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        cr_expect_lt(ru.ru_maxrss, RSS_LIMIT_KB, "lib %s x %s: peak RSS %ld KB", proto, c->mode, ru.ru_maxrss);
#ifdef ODOO_RPC_PATH
        char seen[64];
        long rss = 0;
        int code = run_cli(kind, c->mode, seen, sizeof(seen), &rss);
        cr_expect_lt(code, 128, "cli %s x %s: killed by signal %d", proto, c->mode, code - 128);
        cr_expect_eq(code, exit_for(c->kind), "cli %s x %s: exit %d (kind %s), want %d%s%s", proto, c->mode,
                     code, seen, exit_for(c->kind), c->waits_for ? "; waits for " : "",
                     c->waits_for ? c->waits_for : "");
        cr_expect_str_eq(seen, odoo_error_kind_name(c->kind), "cli %s x %s", proto, c->mode);
        /* the CLI has the default 64 MiB cap: bounded, not unbounded */
        cr_expect_lt(rss, 4 * RSS_LIMIT_KB, "cli %s x %s: peak RSS %ld KB", proto, c->mode, rss);
#endif
    }
}

Test(hostile, xmlrpc) { matrix(ODOO_PROTOCOL_XMLRPC); }
Test(hostile, jsonrpc) { matrix(ODOO_PROTOCOL_JSONRPC); }
Test(hostile, jsonrpc_stateless) { matrix(ODOO_PROTOCOL_JSONRPC_STATELESS); }
Test(hostile, json2) { matrix(ODOO_PROTOCOL_JSON2); }
Test(hostile, odxproxy) { matrix(ODOO_PROTOCOL_ODXPROXY); }

/* D9 by name: what curl calls "out of memory" and "bad URL" is said as what it is. */
Test(hostile, d9_header_too_large_and_not_http_are_named)
{
    cr_expect_eq(run_lib(ODOO_PROTOCOL_JSON2, "bighdr"), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(err.message, "header") && !strstr(err.message, "out of memory"), "%s", err.message);
    cr_expect_eq(run_lib(ODOO_PROTOCOL_JSON2, "cookies"), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(err.message, "headers"), "%s", err.message);
    cr_expect_eq(run_lib(ODOO_PROTOCOL_JSON2, "garbage"), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(err.message, "not HTTP") && !strstr(err.message, "bad URL"), "%s", err.message);
}

Test(hostile, retry_after_and_redirect_target_reach_the_caller)
{
    cr_expect_eq(run_lib(ODOO_PROTOCOL_JSONRPC_STATELESS, "bare429"), ODOO_ERR_RATE_LIMITED);
    cr_expect_eq(err.retry_after, 12);
    cr_expect_eq(run_lib(ODOO_PROTOCOL_XMLRPC, "redirect_other"), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(err.message, "elsewhere.example.net/steal") && !strstr(err.message, "hunter22"), "%s",
              err.message);
}
