/* odoo-rpc: the real binary against odoo-mock, for every command and every
 * error class: exit status, stdout, stderr, and no secret anywhere. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo_mock.h>

#include "fixtures.h"
#include "rawserver.h"

#ifndef ODOO_RPC_PATH
#error "tests/CMakeLists.txt passes the path of odoo-rpc"
#endif

static odoo_mock *mock;

typedef struct {
    int status;
    char *out, *err;
} run_result;

static char *slurp_fd(int fd)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 1024)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    return buf;
}

/* Run odoo-rpc with the given words, a clean environment plus env
 * ("NAME=value" strings, NULL-terminated). */
static run_result run(const char *const *env, const char *const *words)
{
    const char *argv[64];
    int n = 0;
    argv[n++] = ODOO_RPC_PATH;
    for (; *words && n < 63; words++)
        argv[n++] = *words;
    argv[n] = NULL;
    int out[2], errp[2];
    cr_assert_eq(pipe(out), 0);
    cr_assert_eq(pipe(errp), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(errp[1], 2);
        close(out[0]);
        close(errp[0]);
        execve(ODOO_RPC_PATH, (char *const *)argv, (char *const *)env);
        _exit(127);
    }
    close(out[1]);
    close(errp[1]);
    run_result r;
    /* stderr is small; read stdout first, then stderr */
    r.out = slurp_fd(out[0]);
    r.err = slurp_fd(errp[0]);
    close(out[0]);
    close(errp[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

static void done(run_result *r)
{
    free(r->out);
    free(r->err);
}

static char url_env[160], db_env[80];
static const char *key_env = "ODOO_API_KEY=" ODOO_MOCK_ADMIN_API_KEY;

static void setup(void)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0);
    snprintf(url_env, sizeof(url_env), "ODOO_URL=%s", odoo_mock_url(mock));
    snprintf(db_env, sizeof(db_env), "ODOO_DB=%s", odoo_mock_db(mock));
}

static void teardown(void)
{
    odoo_mock_stop(mock);
}

/* Secrets of the mock that must never be printed. */
static void expect_no_secret(const run_result *r)
{
    const char *secrets[] = { ODOO_MOCK_ADMIN_API_KEY, ODOO_MOCK_LIMITED_API_KEY, "S3cret-pw!", "wrong-pw-1234" };
    for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
        cr_expect(strstr(r->out, secrets[i]) == NULL, "secret on stdout: %s", r->out);
        cr_expect(strstr(r->err, secrets[i]) == NULL, "secret on stderr: %s", r->err);
    }
}

/* The error object printed on stderr. */
static json_object *error_of(const run_result *r)
{
    json_object *doc = json_parse(r->err), *e = NULL;
    cr_assert(doc && json_object_object_get_ex(doc, "error", &e), "stderr is not a JSON error: %s", r->err);
    json_object_get(e);
    json_object_put(doc);
    return e;
}

static const char *str_of(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 60);

#define ENV_ADMIN url_env, db_env, "ODOO_USER=admin", "ODOO_PASSWORD=S3cret-pw!", key_env, NULL

Test(cli, every_command_succeeds)
{
    /* the real password and the key: AUTO picks JSON-2, login works on every protocol */
    const char *env[] = { url_env, db_env, "ODOO_USER=admin", "ODOO_PASSWORD=admin", key_env, NULL };
    static const char *const cmds[][8] = {
        { "version", NULL },
        { "login", NULL },
        { "protocols", NULL },
        { "call", "res.partner", "search_count", "[[[\"is_company\", \"=\", true]]]", NULL },
        { "search-read", "res.partner", "[[\"is_company\", \"=\", true]]", "--fields", "name,email", "--limit", "3", NULL },
        { "search", "res.partner", "[]", "--limit", "2", "--offset", "1", NULL },
        { "count", "res.partner", NULL },
        { "read", "res.partner", "10,11", "--fields", "name", NULL },
        { "fields", "res.partner", "--fields", "name,email", "--attributes", "type", NULL },
        { "name-search", "res.partner", "a", "--limit", "3", NULL },
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        run_result r = run(env, cmds[i]);
        cr_expect_eq(r.status, 0, "%s: exit %d, stderr %s", cmds[i][0], r.status, r.err);
        json_object *doc = json_parse(r.out);
        cr_expect_not_null(doc, "%s: stdout is one JSON document: %s", cmds[i][0], r.out);
        json_object_put(doc);
        expect_no_secret(&r);
        done(&r);
    }
}

Test(cli, create_write_unlink_roundtrip_and_pretty)
{
    const char *env[] = { url_env, db_env, "ODOO_USER=admin", "ODOO_PASSWORD=admin", key_env, NULL };
    const char *create[] = { "create", "res.partner", "{\"name\": \"CLI test\"}", NULL };
    run_result r = run(env, create);
    cr_assert_eq(r.status, 0, "%s", r.err);
    long id = atol(r.out);
    cr_assert_gt(id, 0, "create prints the new id: %s", r.out);
    done(&r);
    char ids[32];
    snprintf(ids, sizeof(ids), "%ld", id);
    const char *write[] = { "write", "res.partner", ids, "{\"phone\": \"123\"}", NULL };
    r = run(env, write);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "true\n");
    done(&r);
    const char *read[] = { "--pretty", "read", "res.partner", ids, "--fields", "phone", NULL };
    r = run(env, read);
    cr_expect(strstr(r.out, "\"phone\": \"123\"") != NULL && strchr(r.out, '\n') != strrchr(r.out, '\n'),
              "pretty: %s", r.out);
    done(&r);
    const char *unlink[] = { "unlink", "res.partner", ids, NULL };
    r = run(env, unlink);
    cr_expect_eq(r.status, 0, "%s", r.err);
    done(&r);
}

static void expect_error(const char *const *env, const char *const *words, int status, const char *kind,
                         const char *cls)
{
    run_result r = run(env, words);
    cr_expect_eq(r.status, status, "%s: exit %d (stderr %s)", words[0], r.status, r.err);
    cr_expect_str_eq(r.out, "", "nothing on stdout on error");
    json_object *e = error_of(&r);
    cr_expect_str_eq(str_of(e, "kind"), kind, "%s", r.err);
    if (cls)
        cr_expect_str_eq(str_of(e, "class"), cls, "%s", r.err);
    cr_expect_not_null(str_of(e, "message"));
    expect_no_secret(&r);
    json_object_put(e);
    done(&r);
}

Test(cli, every_error_class)
{
    const char *env[] = { url_env, db_env, "ODOO_USER=admin", "ODOO_PASSWORD=admin", key_env, NULL };
    const char *validation[] = { "write", "res.partner", "10", "{\"parent_id\": 10}", NULL };
    expect_error(env, validation, 1, "validation", "odoo.exceptions.ValidationError");
    const char *user[] = { "unlink", "res.users", "2", NULL };
    expect_error(env, user, 1, "user", "odoo.exceptions.UserError");
    const char *missing[] = { "write", "res.partner", "999999", "{\"name\": \"x\"}", NULL };
    expect_error(env, missing, 1, "missing", "odoo.exceptions.MissingError");
    const char *notfound[] = { "count", "no.such.model", NULL };
    expect_error(env, notfound, 1, "not_found", NULL);
    const char *badargs[] = { "call", "res.partner", "my_method", "[1]", NULL };
    expect_error(env, badargs, 1, "invalid_argument", NULL);

    const char *limited[] = { url_env, db_env, "ODOO_USER=limited", "ODOO_API_KEY=" ODOO_MOCK_LIMITED_API_KEY, NULL };
    const char *access[] = { "write", "res.partner", "10", "{\"name\": \"x\"}", NULL };
    expect_error(limited, access, 1, "access", "odoo.exceptions.AccessError");

    const char *badkey[] = { url_env, db_env, "ODOO_USER=admin", "ODOO_API_KEY=wrong-pw-1234", NULL };
    const char *count[] = { "count", "res.partner", NULL };
    expect_error(badkey, count, 3, "auth", NULL);
    const char *badpw[] = { url_env, db_env, "ODOO_USER=admin", "ODOO_PASSWORD=wrong-pw-1234", NULL };
    const char *login[] = { "--protocol", "jsonrpc", "login", NULL };
    expect_error(badpw, login, 3, "auth", "odoo.exceptions.AccessDenied");

    char closed[64], closed_env[96];
    raw_closed_port_url(closed, sizeof(closed));
    snprintf(closed_env, sizeof(closed_env), "ODOO_URL=%s", closed);
    const char *noserver[] = { closed_env, db_env, NULL };
    expect_error(noserver, count, 4, "connect", NULL);

    odoo_mock_inject(mock, "latency:ms=1500");
    const char *slow[] = { "--timeout", "0.3", "--protocol", "json2", "count", "res.partner", NULL };
    expect_error(env, slow, 4, "timeout", NULL);
    odoo_mock_clear_faults(mock);

    odoo_mock_inject(mock, "html500");
    const char *page[] = { "--protocol", "json2", "count", "res.partner", NULL };
    expect_error(env, page, 5, "protocol", NULL);
}

Test(cli, usage_errors_say_what_is_wrong)
{
    const char *env[] = { ENV_ADMIN };
    static const struct {
        const char *words[6];
        const char *says;
    } cases[] = {
        { { "frobnicate", NULL }, "unknown command" },
        { { "--bogus", "count", "res.partner", NULL }, "unknown option" },
        { { "count", NULL }, "missing arguments" },
        { { "call", "res.partner", "search", "[[", NULL }, "not valid JSON" },
        { { "call", "res.partner", "search", "{}", NULL }, "must be a JSON array" },
        { { "read", "res.partner", "a,b", NULL }, "IDS" },
        { { "--protocol", "soap", "count", "res.partner", NULL }, "unknown protocol" },
        { { "--timeout", "soon", "count", "res.partner", NULL }, "--timeout" },
        { { "search", "res.partner", "--limit", "-3", NULL }, "--limit" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_result r = run(env, cases[i].words);
        cr_expect_eq(r.status, 2, "%s: exit %d", cases[i].words[0], r.status);
        cr_expect(strstr(r.err, cases[i].says) != NULL, "stderr should say '%s': %s", cases[i].says, r.err);
        cr_expect_str_eq(r.out, "");
        done(&r);
    }
    const char *nourl[] = { NULL };
    const char *count[] = { "count", "res.partner", NULL };
    run_result r = run(nourl, count);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "ODOO_URL") != NULL, "%s", r.err);
    done(&r);
}

Test(cli, help_for_every_command)
{
    const char *env[] = { NULL };
    const char *cmds[] = { "version", "login", "protocols", "call", "search-read", "search", "count", "read",
                           "create", "write", "unlink", "fields", "name-search", "proxy-about", "proxy-license",
                           "proxy-metrics", "proxy-version" };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        const char *words[] = { cmds[i], "--help", NULL };
        run_result r = run(env, words);
        cr_expect_eq(r.status, 0);
        cr_expect(strstr(r.out, "usage: odoo-rpc") && strstr(r.out, cmds[i]), "%s", r.out);
        done(&r);
    }
    const char *words[] = { "--help", NULL };
    run_result r = run(env, words);
    cr_expect(strstr(r.out, "Exit status") != NULL);
    done(&r);
}

Test(cli, verbose_shows_exchanges_without_secrets)
{
    const char *env[] = { ENV_ADMIN };
    static const char *const protos[] = { "json2", "xmlrpc", "jsonrpc-stateless" };
    for (size_t i = 0; i < 3; i++) {
        const char *words[] = { "--verbose", "--protocol", protos[i], "count", "res.partner", NULL };
        run_result r = run(env, words);
        cr_expect_eq(r.status, 0, "%s: %s", protos[i], r.err);
        cr_expect(strstr(r.err, "> POST") != NULL, "%s: %s", protos[i], r.err);
        expect_no_secret(&r);
        done(&r);
    }
    /* the web session: the password goes in the login body, the cookie in headers */
    const char *jenv[] = { url_env, db_env, "ODOO_USER=admin", "ODOO_PASSWORD=admin", NULL };
    const char *words[] = { "--verbose", "--protocol", "jsonrpc", "count", "res.partner", NULL };
    run_result r = run(jenv, words);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.err, "\"password\":\"***\"") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "Cookie ***") != NULL || strstr(r.err, "Set-Cookie ***") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "session_id=") == NULL, "no session id in the trace: %s", r.err);
    done(&r);
}

Test(cli, auto_says_which_protocol_and_why)
{
    const char *env[] = { ENV_ADMIN };
    const char *words[] = { "version", NULL };
    run_result r = run(env, words);
    json_object *doc = json_parse(r.out);
    cr_assert_not_null(doc, "%s", r.out);
    cr_expect_str_eq(str_of(doc, "protocol"), "json2");
    cr_expect(str_of(doc, "reason") && strstr(str_of(doc, "reason"), "JSON-2"), "%s", r.out);
    json_object_put(doc);
    done(&r);
}

Test(cli, gateway_ops_and_calls)
{
    char proxy_env[160];
    snprintf(proxy_env, sizeof(proxy_env), "ODXPROXY_URL=%s", odoo_mock_url(mock));
    const char *env[] = { url_env, db_env, "ODOO_USER=admin", key_env, proxy_env,
                          "ODXPROXY_API_KEY=" ODOO_MOCK_PROXY_KEY, "ODXPROXY_USER_ID=2", NULL };
    static const char *const cmds[][4] = {
        { "proxy-about", NULL }, { "proxy-license", NULL }, { "proxy-metrics", NULL },
        { "proxy-version", NULL }, { "proxy-version", "--v2", NULL }, { "count", "res.partner", NULL },
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        run_result r = run(env, cmds[i]);
        cr_expect_eq(r.status, 0, "%s: %s", cmds[i][0], r.err);
        json_object *doc = json_parse(r.out);
        cr_expect_not_null(doc, "%s: %s", cmds[i][0], r.out);
        json_object_put(doc);
        cr_expect(strstr(r.out, ODOO_MOCK_PROXY_KEY) == NULL && strstr(r.err, ODOO_MOCK_PROXY_KEY) == NULL);
        done(&r);
    }
    /* with a gateway URL, AUTO goes through it */
    const char *version[] = { "version", NULL };
    run_result r = run(env, version);
    cr_expect(strstr(r.out, "\"protocol\":\"odxproxy\"") != NULL, "%s", r.out);
    done(&r);
    /* the gateway's own errors: wrong key is an authentication failure */
    const char *bad[] = { url_env, db_env, key_env, proxy_env, "ODXPROXY_API_KEY=wrong-pw-1234", "ODXPROXY_USER_ID=2",
                          NULL };
    const char *count[] = { "count", "res.partner", NULL };
    expect_error(bad, count, 3, "proxy_auth", NULL);
    odoo_mock_inject(mock, "proxy_unreachable");
    expect_error(env, count, 4, "proxy_unreachable", NULL);
    odoo_mock_clear_faults(mock);
    const char *noproxy[] = { url_env, NULL };
    const char *about[] = { "proxy-about", NULL };
    r = run(noproxy, about);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "--proxy-url") != NULL, "%s", r.err);
    done(&r);
}

Test(cli, secret_from_stdin)
{
    /* run() gives the child our stdin: feed it through a pipe instead */
    int in[2];
    cr_assert_eq(pipe(in), 0);
    const char key_line[] = ODOO_MOCK_ADMIN_API_KEY "\n";
    cr_assert_eq(write(in[1], key_line, sizeof(key_line) - 1), (ssize_t)(sizeof(key_line) - 1));
    close(in[1]);
    int saved = dup(0);
    dup2(in[0], 0);
    close(in[0]);
    const char *env[] = { url_env, db_env, "ODOO_USER=admin", NULL };
    const char *words[] = { "--api-key", "-", "--protocol", "json2", "count", "res.partner", NULL };
    run_result r = run(env, words);
    dup2(saved, 0);
    close(saved);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_gt(atol(r.out), 0, "%s", r.out);
    done(&r);
}
