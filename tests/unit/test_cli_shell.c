/* odoo-rpc as a shell tool (issue 16 "The CLI", issue 10 D5 D11 D13 D14
 * D15, issue 14 --ids): the real binary, against odoo-mock, a replay
 * server or a silent one. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo_mock.h>

#include "fixtures.h"
#include "rawserver.h"
#include "replay_server.h"

#ifndef ODOO_RPC_PATH
#error "tests/CMakeLists.txt passes the path of odoo-rpc"
#endif

static odoo_mock *mock;
static char url_env[160], db_env[80];
#define KEY_ENV "ODOO_API_KEY=" ODOO_MOCK_ADMIN_API_KEY

typedef struct {
    int status;
    char *out, *err;
    double ms;
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

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Run odoo-rpc: words NULL-terminated (any number), env "NAME=value"
 * strings, stdin from `input` (NULL: empty). */
static run_result run_in(const char *const *env, const char *const *words, const char *input, size_t input_len)
{
    size_t n = 0;
    while (words[n])
        n++;
    const char **argv = calloc(n + 2, sizeof(char *));
    argv[0] = ODOO_RPC_PATH;
    memcpy(argv + 1, words, n * sizeof(char *));
    int in[2], out[2], errp[2];
    cr_assert_eq(pipe(in), 0);
    cr_assert_eq(pipe(out), 0);
    cr_assert_eq(pipe(errp), 0);
    signal(SIGPIPE, SIG_IGN);
    fflush(NULL);
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(errp[1], 2);
        close(in[1]);
        close(out[0]);
        close(errp[0]);
        execve(ODOO_RPC_PATH, (char *const *)argv, (char *const *)env);
        _exit(127);
    }
    free(argv);
    close(in[0]);
    close(out[1]);
    close(errp[1]);
    if (input) {
        /* a writer of its own: the input may be larger than a pipe */
        pid_t w = fork();
        if (w == 0) {
            size_t off = 0;
            while (off < input_len) {
                ssize_t k = write(in[1], input + off, input_len - off);
                if (k <= 0)
                    break;
                off += (size_t)k;
            }
            _exit(0);
        }
        close(in[1]);
        run_result r = { 0 };
        r.out = slurp_fd(out[0]);
        r.err = slurp_fd(errp[0]);
        int st = 0;
        waitpid(pid, &st, 0);
        waitpid(w, NULL, 0);
        r.ms = now_ms() - t0;
        r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        close(out[0]);
        close(errp[0]);
        return r;
    }
    close(in[1]);
    run_result r = { 0 };
    r.out = slurp_fd(out[0]);
    r.err = slurp_fd(errp[0]);
    close(out[0]);
    close(errp[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    r.ms = now_ms() - t0;
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

static run_result run(const char *const *env, const char *const *words)
{
    return run_in(env, words, NULL, 0);
}

static void done(run_result *r)
{
    free(r->out);
    free(r->err);
}

static const char *str_of(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && v ? json_object_get_string(v) : NULL;
}

/* The error object of the last line of stderr (a warning may come first). */
static json_object *error_of(const run_result *r)
{
    const char *last = r->err, *p;
    size_t len = strlen(r->err);
    while (len && r->err[len - 1] == '\n')
        len--;
    for (p = r->err; p < r->err + len; p++)
        if (*p == '\n')
            last = p + 1;
    char *line = strndup(last, (size_t)(r->err + len - last));
    json_object *doc = json_parse(line), *e = NULL;
    free(line);
    cr_assert(doc && json_object_object_get_ex(doc, "error", &e), "stderr is not a JSON error: %s", r->err);
    json_object_get(e);
    json_object_put(doc);
    return e;
}

/* Exit 2, nothing on stdout, stderr one JSON error of kind usage whose
 * message holds `says` and whose help names `help`. */
static void expect_usage(const char *const *env, const char *const *words, const char *says, const char *help)
{
    run_result r = run(env, words);
    cr_expect_eq(r.status, 2, "%s: exit %d (%s)", words[0] ? words[0] : "(none)", r.status, r.err);
    cr_expect_str_eq(r.out, "");
    json_object *doc = json_parse(r.err), *e = NULL;
    cr_expect(doc && json_object_object_get_ex(doc, "error", &e), "stderr is one JSON object: %s", r.err);
    if (e) {
        cr_expect_str_eq(str_of(e, "kind"), "usage", "%s", r.err);
        if (says)
            cr_expect(str_of(e, "message") && strstr(str_of(e, "message"), says), "message should say '%s': %s",
                      says, r.err);
        if (help)
            cr_expect(str_of(e, "help") && strcmp(str_of(e, "help"), help) == 0, "help should be '%s': %s", help,
                      r.err);
    }
    json_object_put(doc);
    done(&r);
}

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

TestSuite(cli_shell, .init = setup, .fini = teardown, .timeout = 60);

#define ENV url_env, db_env, "ODOO_USER=admin", KEY_ENV, NULL

/* ---- issue 16: usage errors, did you mean, help ---- */

Test(cli_shell, usage_errors_are_json_and_name_the_command_help)
{
    const char *env[] = { ENV };
    const char *missing[] = { "count", NULL };
    expect_usage(env, missing, "missing arguments", "odoo-rpc count --help");
    const char *bad_json[] = { "search-read", "res.partner", "[[", NULL };
    expect_usage(env, bad_json, "not valid JSON", "odoo-rpc search-read --help");
    const char *bad_limit[] = { "search", "res.partner", "--limit", "x", NULL };
    expect_usage(env, bad_limit, "--limit", "odoo-rpc search --help");
    const char *no_value[] = { "read", "res.partner", "1", "--fields", NULL };
    expect_usage(env, no_value, "needs a value", "odoo-rpc read --help");
    const char *unknown[] = { "frobnicate", NULL };
    expect_usage(env, unknown, "unknown command", "odoo-rpc --help");
}

Test(cli_shell, did_you_mean_for_commands_and_options)
{
    const char *env[] = { ENV };
    const char *typo[] = { "serach-read", "res.partner", NULL };
    expect_usage(env, typo, "did you mean 'search-read'?", NULL);
    const char *underscore[] = { "name_search", "res.partner", NULL };
    expect_usage(env, underscore, "did you mean 'name-search'?", NULL);
    const char *opt[] = { "search", "res.partner", "--limt", "5", NULL };
    /* "5" is the value of the option meant, so the help is still search's */
    expect_usage(env, opt, "did you mean '--limit'?", "odoo-rpc search --help");
    const char *prefix[] = { "--pret", "count", "res.partner", NULL };
    expect_usage(env, prefix, "did you mean '--pretty'?", "odoo-rpc count --help");
    const char *help_typo[] = { "help", "cuont", NULL };
    expect_usage(env, help_typo, "did you mean 'count'?", NULL);
}

Test(cli_shell, no_arguments_is_a_usage_error_like_curl)
{
    const char *env[] = { NULL };
    const char *none[] = { NULL };
    expect_usage(env, none, "no command given", "odoo-rpc --help");
}

Test(cli_shell, help_command_prints_the_command_page)
{
    const char *env[] = { NULL };
    const char *a[] = { "help", "search-read", NULL }, *b[] = { "search-read", "--help", NULL };
    run_result r1 = run(env, a), r2 = run(env, b);
    cr_expect_eq(r1.status, 0);
    cr_expect_str_eq(r1.out, r2.out);
    cr_expect(strstr(r1.out, "usage: odoo-rpc [OPTIONS] search-read") != NULL, "%s", r1.out);
    done(&r1);
    done(&r2);
    const char *global[] = { "help", NULL };
    r1 = run(env, global);
    cr_expect_eq(r1.status, 0);
    cr_expect(strstr(r1.out, "Commands (odoo-rpc COMMAND --help") != NULL, "%s", r1.out);
    done(&r1);
}

Test(cli_shell, options_that_mean_nothing_for_the_command_are_refused)
{
    const char *env[] = { ENV };
    const char *count_limit[] = { "count", "res.partner", "--limit", "5", NULL };
    expect_usage(env, count_limit, "count takes no --limit", "odoo-rpc count --help");
    const char *read_order[] = { "read", "res.partner", "1", "--order", "name", NULL };
    expect_usage(env, read_order, "read takes no --order", NULL);
    const char *version_ctx[] = { "--context", "{}", "version", NULL };
    expect_usage(env, version_ctx, "version takes no --context", NULL);
    const char *v2[] = { "count", "res.partner", "--v2", NULL };
    expect_usage(env, v2, "count takes no --v2", NULL);
    const char *ids[] = { "read", "res.partner", "1", "--ids", "2", NULL };
    expect_usage(env, ids, "read takes no --ids", NULL);
    /* and the ones a command does take still work */
    const char *ok[] = { "search", "res.partner", "--limit", "2", "--order", "id", NULL };
    run_result r = run(env, ok);
    cr_expect_eq(r.status, 0, "%s", r.err);
    done(&r);
}

Test(cli_shell, every_command_help_has_examples_and_explains_its_arguments)
{
    const char *env[] = { NULL };
    const char *cmds[] = { "version", "login", "protocols", "call", "search-read", "search", "count", "read",
                           "create", "write", "unlink", "fields", "name-search", "proxy-about", "proxy-license",
                           "proxy-metrics", "proxy-version", "help" };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        const char *words[] = { cmds[i], "--help", NULL };
        run_result r = run(env, words);
        cr_expect_eq(r.status, 0);
        const char *ex = strstr(r.out, "\nExamples:\n");
        cr_assert(ex, "%s: no examples: %s", cmds[i], r.out);
        int n = 0;
        const char *stop = strstr(ex, "\nExit status");
        for (const char *p = ex + 11; p && *p && p != stop + 1; p = strchr(p, '\n'), p = p ? p + 1 : p)
            n += strncmp(p, "  ", 2) == 0 && strstr(p, "odoo-rpc") && strstr(p, "odoo-rpc") < strchr(p, '\n');
        cr_expect(n >= 2 && n <= 3, "%s: %d examples: %s", cmds[i], n, ex);
        done(&r);
    }
    static const struct {
        const char *cmd, *says[3];
    } forms[] = {
        { "search-read", { "DOMAIN", "default []", "@FILE" } },
        { "count", { "DOMAIN", "default []", NULL } },
        { "read", { "IDS", "1,2,3", NULL } },
        { "call", { "KWARGS", "ARGS", "--ids IDS" } },
        { "write", { "IDS", "VALS", NULL } },
    };
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        const char *words[] = { "help", forms[i].cmd, NULL };
        run_result r = run(env, words);
        for (int k = 0; k < 3 && forms[i].says[k]; k++)
            cr_expect(strstr(r.out, forms[i].says[k]) != NULL, "%s --help should explain %s", forms[i].cmd,
                      forms[i].says[k]);
        done(&r);
    }
}

/* ---- JSON from @file and stdin ---- */

static void write_file(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    cr_assert(fd >= 0, "%s: %s", path, strerror(errno));
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    fchmod(fd, mode);
    close(fd);
}

Test(cli_shell, json_arguments_from_a_file_and_from_stdin)
{
    const char *env[] = { ENV };
    char dir[] = "/tmp/odoo-cli-XXXXXX";
    cr_assert(mkdtemp(dir));
    char domain[64], kwargs[64], vals[64], args[64], at_domain[80], at_kwargs[80], at_vals[80], at_args[80];
    snprintf(domain, sizeof(domain), "%s/domain.json", dir);
    snprintf(kwargs, sizeof(kwargs), "%s/kwargs.json", dir);
    snprintf(vals, sizeof(vals), "%s/vals.json", dir);
    snprintf(args, sizeof(args), "%s/args.json", dir);
    write_file(domain, "[[\"is_company\", \"=\", true]]\n", 0600);
    write_file(kwargs, "{\"limit\": 2}", 0600);
    write_file(vals, "{\"name\": \"from a file\"}", 0600);
    write_file(args, "[\"a\"]", 0600);
    snprintf(at_domain, sizeof(at_domain), "@%s", domain);
    snprintf(at_kwargs, sizeof(at_kwargs), "@%s", kwargs);
    snprintf(at_vals, sizeof(at_vals), "@%s", vals);
    snprintf(at_args, sizeof(at_args), "@%s", args);

    const char *inline_count[] = { "count", "res.partner", "[[\"is_company\", \"=\", true]]", NULL };
    run_result want = run(env, inline_count);
    cr_assert_eq(want.status, 0, "%s", want.err);
    const char *file_count[] = { "count", "res.partner", at_domain, NULL };
    run_result r = run(env, file_count);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, want.out, "DOMAIN from @file");
    done(&r);
    const char *stdin_count[] = { "count", "res.partner", "-", NULL };
    const char domain_text[] = "[[\"is_company\", \"=\", true]]";
    r = run_in(env, stdin_count, domain_text, sizeof(domain_text) - 1);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, want.out, "DOMAIN from stdin");
    done(&r);
    done(&want);

    const char *call[] = { "call", "res.partner", "name_search", at_args, at_kwargs, NULL };
    r = run(env, call);
    cr_expect_eq(r.status, 0, "ARGS and KWARGS from files: %s", r.err);
    json_object *doc = json_parse(r.out);
    cr_expect(doc && json_object_array_length(doc) == 2, "limit 2 from the KWARGS file: %s", r.out);
    json_object_put(doc);
    done(&r);

    const char *create[] = { "create", "res.partner", at_vals, NULL };
    r = run(env, create);
    cr_expect_eq(r.status, 0, "VALS from a file: %s", r.err);
    cr_expect_gt(atol(r.out), 0, "%s", r.out);
    done(&r);

    /* search | read: IDS from stdin */
    const char *read[] = { "read", "res.partner", "-", "--fields", "name", NULL };
    r = run_in(env, read, "[10, 11]\n", 9);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "\"id\":10") && strstr(r.out, "\"id\":11"), "%s", r.out);
    done(&r);

    const char *nofile[] = { "count", "res.partner", "@/nonexistent/domain.json", NULL };
    expect_usage(env, nofile, "No such file", NULL);
    const char *two_stdin[] = { "call", "res.partner", "name_search", "-", "-", NULL };
    r = run_in(env, two_stdin, "[\"a\"]", 5);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "stdin is already read for ARGS") != NULL, "%s", r.err);
    done(&r);
    unlink(domain);
    unlink(kwargs);
    unlink(vals);
    unlink(args);
    rmdir(dir);
}

/* ---- profiles ---- */

Test(cli_shell, profiles_from_the_config_file)
{
    char dir[] = "/tmp/odoo-cli-XXXXXX", sub[96], path[128], xdg[128];
    cr_assert(mkdtemp(dir));
    snprintf(sub, sizeof(sub), "%s/odoo-rpc", dir);
    snprintf(path, sizeof(path), "%s/config", sub);
    snprintf(xdg, sizeof(xdg), "XDG_CONFIG_HOME=%s", dir);
    cr_assert_eq(mkdir(sub, 0700), 0);
    char text[1024];
    snprintf(text, sizeof(text),
             "# test profiles\n[default]\nurl = http://127.0.0.1:1\n\n[mock]\nurl = %s\ndb = %s\nuser = admin\n"
             "api_key = %s\nprotocol = json2\ntimeout = 30\n[nothing]\n",
             odoo_mock_url(mock), odoo_mock_db(mock), ODOO_MOCK_ADMIN_API_KEY);
    write_file(path, text, 0600);

    const char *env[] = { xdg, NULL };
    const char *count[] = { "--profile", "mock", "count", "res.partner", NULL };
    run_result r = run(env, count);
    cr_expect_eq(r.status, 0, "--profile: %s", r.err);
    cr_expect_gt(atol(r.out), 0, "%s", r.out);
    done(&r);
    const char *penv[] = { xdg, "ODOO_PROFILE=mock", NULL };
    const char *count2[] = { "count", "res.partner", NULL };
    r = run(penv, count2);
    cr_expect_eq(r.status, 0, "ODOO_PROFILE: %s", r.err);
    done(&r);
    /* a named profile beats ODOO_URL; the command line beats both */
    const char *clash[] = { xdg, "ODOO_PROFILE=mock", "ODOO_URL=http://127.0.0.1:1", NULL };
    r = run(clash, count2);
    cr_expect_eq(r.status, 0, "the profile's url wins over ODOO_URL: %s", r.err);
    done(&r);
    const char *cmdline[] = { "--profile", "mock", "--url", "http://127.0.0.1:1", "count", "res.partner", NULL };
    r = run(env, cmdline);
    cr_expect_eq(r.status, 4, "--url wins over the profile: %s", r.err);
    done(&r);
    /* [default] only fills what the environment leaves */
    const char *envurl[] = { xdg, url_env, db_env, "ODOO_USER=admin", KEY_ENV, NULL };
    r = run(envurl, count2);
    cr_expect_eq(r.status, 0, "ODOO_URL wins over [default]: %s", r.err);
    done(&r);

    const char *typo[] = { "--profile", "mokc", "count", "res.partner", NULL };
    expect_usage(env, typo, "did you mean 'mock'?", NULL);

    /* a secret in a file others can read: refused */
    chmod(path, 0644);
    expect_usage(env, count, "chmod 600", NULL);
    chmod(path, 0600);

    snprintf(text, sizeof(text), "[mock]\nurl = %s\nlimit = 5\n", odoo_mock_url(mock));
    write_file(path, text, 0600);
    expect_usage(env, count, "unknown key 'limit'", NULL);
    unlink(path);
    rmdir(sub);
    rmdir(dir);
}

/* ---- timeouts and transport options ---- */

Test(cli_shell, timeout_from_the_environment_and_transport_options)
{
    const char *tenv[] = { url_env, db_env, "ODOO_USER=admin", KEY_ENV, "ODOO_TIMEOUT=0.3", NULL };
    odoo_mock_inject(mock, "latency:ms=1500");
    const char *count[] = { "--protocol", "json2", "count", "res.partner", NULL };
    run_result r = run(tenv, count);
    odoo_mock_clear_faults(mock);
    cr_expect_eq(r.status, 4, "ODOO_TIMEOUT=0.3 against 1.5 s of latency: %s", r.err);
    cr_expect_lt(r.ms, 1400, "gave up after %.0f ms", r.ms);
    done(&r);
    const char *badenv[] = { url_env, "ODOO_TIMEOUT=nan", NULL };
    expect_usage(badenv, count, "ODOO_TIMEOUT", NULL);

    const char *env[] = { ENV };
    const char *small[] = { "--max-response", "10", "search-read", "res.partner", NULL };
    r = run(env, small);
    cr_expect_eq(r.status, 5, "--max-response 10: %s", r.err);
    json_object *e = error_of(&r);
    cr_expect_str_eq(str_of(e, "kind"), "too_large", "%s", r.err);
    json_object_put(e);
    done(&r);
    const char *ok[] = { "--connect-timeout", "2", "--max-response=1M", "--ca-path", "/etc/ssl/certs",
                         "--cacert", "/etc/ssl/certs/ca-certificates.crt", "count", "res.partner", NULL };
    r = run(env, ok);
    cr_expect_eq(r.status, 0, "%s", r.err);
    done(&r);
    const char *badua[] = { "--user-agent", "x\r\nX-Evil: 1", "count", "res.partner", NULL };
    expect_usage(env, badua, "control characters", NULL);
    const char *badmax[] = { "--max-response", "0", "count", "res.partner", NULL };
    expect_usage(env, badmax, "--max-response", NULL);
    const char *badcto[] = { "--connect-timeout", "-1", "count", "res.partner", NULL };
    expect_usage(env, badcto, "--connect-timeout", NULL);
}

Test(cli_shell, user_agent_reaches_the_server)
{
    replay_server *s = replay_start(NULL, NULL);
    replay_expect_raw(s, 200, "application/json", "3", NULL);
    char u[160];
    snprintf(u, sizeof(u), "ODOO_URL=%s", replay_url(s));
    const char *env[] = { u, "ODOO_DB=x", "ODOO_API_KEY=k", NULL };
    const char *words[] = { "-A", "my-script/1.0", "--protocol", "json2", "count", "res.partner", NULL };
    run_result r = run(env, words);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(replay_count(s), 1);
    cr_expect_str_eq(replay_sent_header(s, 0, "user-agent"), "my-script/1.0");
    done(&r);
    replay_stop(s);
}

/* ---- getopt_long style ---- */

Test(cli_shell, options_as_getopt_long_takes_them)
{
    char url[160];
    snprintf(url, sizeof(url), "--url=%s", odoo_mock_url(mock));
    char db[80];
    snprintf(db, sizeof(db), "-d%s", odoo_mock_db(mock));
    const char *env[] = { KEY_ENV, NULL };
    const char *words[] = { url, db, "-u", "admin", "--protocol=json2", "-m", "30", "count", "res.partner",
                            NULL };
    run_result r = run(env, words);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_gt(atol(r.out), 0);
    done(&r);
    /* -vk: a cluster of flags */
    const char *full[] = { ENV };
    const char *cluster[] = { "-vk", "--protocol", "json2", "count", "res.partner", NULL };
    r = run(full, cluster);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.err, "> POST") != NULL, "-v in a cluster: %s", r.err);
    done(&r);
    const char *flagvalue[] = { "--pretty=yes", "count", "res.partner", NULL };
    expect_usage(full, flagvalue, "takes no value", NULL);
    const char *badshort[] = { "-x", "count", "res.partner", NULL };
    expect_usage(full, badshort, "unknown option '-x'", NULL);
}

/* ---- -v and -vv ---- */

Test(cli_shell, verbose_puts_the_request_body_first_and_vv_adds_timings)
{
    const char *env[] = { ENV };
    const char *v[] = { "-v", "--protocol", "json2", "count", "res.partner", NULL };
    run_result r = run(env, v);
    cr_expect_eq(r.status, 0, "%s", r.err);
    const char *body = strstr(r.err, "> {\"domain\""), *resp = strstr(r.err, "< HTTP/1.1 200");
    cr_expect(body && resp && body < resp, "the request body before the response: %s", r.err);
    cr_expect(strstr(r.err, "* exchange") == NULL, "no timings at -v: %s", r.err);
    done(&r);
    const char *vv[] = { "-vv", "--protocol", "json2", "count", "res.partner", NULL };
    r = run(env, vv);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.err, "* exchange 1: POST /json/2/res.partner/search_count -> 200, first response line ") &&
                  strstr(r.err, " ms, done "),
              "a timing line per exchange: %s", r.err);
    done(&r);
}

/* ---- 2FA ---- */

Test(cli_shell, two_factor_account_is_told_to_use_an_api_key)
{
    /* Odoo's web login "succeeds" with uid null when the user has 2FA */
    replay_server *s = replay_start(NULL, NULL);
    replay_expect_raw(s, 200, "application/json",
                      "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"uid\": null, \"is_system\": false}}", NULL);
    char u[160];
    snprintf(u, sizeof(u), "ODOO_URL=%s", replay_url(s));
    const char *env[] = { u, "ODOO_DB=x", "ODOO_USER=admin", "ODOO_PASSWORD=pw", NULL };
    const char *words[] = { "--protocol", "jsonrpc", "login", NULL };
    run_result r = run(env, words);
    cr_expect_eq(r.status, 3, "%s", r.err);
    json_object *e = error_of(&r);
    cr_expect(strstr(str_of(e, "message"), "2FA") != NULL, "the library says 2FA: %s", r.err);
    const char *hint = str_of(e, "hint");
    cr_expect(hint && strstr(hint, "two-factor") && strstr(hint, "API key") && strstr(hint, "json2") &&
                  strstr(hint, "xmlrpc") && strstr(hint, "jsonrpc-stateless"),
              "the hint says what to do: %s", r.err);
    json_object_put(e);
    done(&r);
    replay_stop(s);
}

/* ---- issue 10 ---- */

Test(cli_shell, d5_trailing_text_after_a_json_argument_is_refused)
{
    const char *env[] = { ENV };
    const char *count[] = { "count", "res.partner", "[[\"id\", \"=\", 1]] [[\"id\", \">\", 0]]", NULL };
    /* the literal parser names what follows and its offset */
    expect_usage(env, count, "unexpected '[' after the value at offset 17", NULL);
    const char *unlink[] = { "unlink", "res.partner", "[10] [11]", NULL };
    expect_usage(env, unlink, "after the value at offset 5", NULL);
    const char *write[] = { "write", "res.partner", "10", "{\"name\": \"x\"} {\"name\": \"y\"}", NULL };
    expect_usage(env, write, "after the value", NULL);
    const char *ctx[] = { "--context", "{} x", "count", "res.partner", NULL };
    expect_usage(env, ctx, "after the value", NULL);
    /* trailing blanks are fine */
    const char *ok[] = { "count", "res.partner", "[]  \n", NULL };
    run_result r = run(env, ok);
    cr_expect_eq(r.status, 0, "%s", r.err);
    done(&r);
}

Test(cli_shell, d11_timeouts_refuse_nan_negative_and_sub_millisecond)
{
    const char *env[] = { ENV };
    const char *bad[] = { "nan", "inf", "-1", "0", "0.0001", "1e-9", "1s", "" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *words[] = { "--timeout", bad[i], "count", "res.partner", NULL };
        expect_usage(env, words, "--timeout needs a number of seconds", NULL);
    }
    const char *ok[] = { "--timeout", "0.001", "--protocol", "json2", "version", NULL };
    run_result r = run(env, ok);
    /* 1 ms against a loopback server: either it answers or it times out, never a usage error */
    cr_expect(r.status == 0 || r.status == 4, "%d %s", r.status, r.err);
    done(&r);
}

Test(cli_shell, d11_gateway_timeout_is_the_callers_not_five_seconds_more)
{
    /* a gateway that never answers: the call must end at --timeout */
    raw_server *s = raw_start(RAW_SILENT);
    char proxy[160];
    snprintf(proxy, sizeof(proxy), "ODXPROXY_URL=%s", raw_url(s));
    const char *env[] = { url_env, db_env, "ODOO_USER=admin", KEY_ENV, proxy, "ODXPROXY_API_KEY=k",
                          "ODXPROXY_USER_ID=2", NULL };
    const char *words[] = { "--timeout", "1", "--protocol", "odxproxy", "count", "res.partner", NULL };
    run_result r = run(env, words);
    cr_expect_eq(r.status, 4, "%s", r.err);
    cr_expect_lt(r.ms, 2500, "--timeout 1 through the gateway took %.0f ms", r.ms);
    done(&r);
    raw_stop(s);
}

Test(cli_shell, d13_the_command_after_double_dash_and_many_words)
{
    const char *env[] = { ENV };
    const char *words[] = { "--", "count", "res.partner", NULL };
    run_result r = run(env, words);
    cr_expect_eq(r.status, 0, "-- count: %s", r.err);
    cr_expect_gt(atol(r.out), 0, "%s", r.out);
    done(&r);
    /* a word after -- that looks like an option is an argument */
    const char *dash[] = { "name-search", "--", "res.partner", "--limit", NULL };
    r = run(env, dash);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, "[]\n");
    done(&r);
    /* 70 words after --: all counted, none dropped */
    const char *many[80] = { "--", "count", "res.partner" };
    for (int i = 3; i < 73; i++)
        many[i] = "[]";
    many[73] = NULL;
    expect_usage(env, many, "71 given", NULL);
}

static const char *cmdline_of(pid_t pid, char *buf, size_t len)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : -1;
    if (fd >= 0)
        close(fd);
    n = n < 0 ? 0 : n;
    for (ssize_t i = 0; i < n; i++)
        if (buf[i] == '\0')
            buf[i] = ' ';
    buf[n] = '\0';
    return buf;
}

Test(cli_shell, d14_secrets_leave_argv_and_the_process_is_not_dumpable)
{
    /* odoo-rpc waits on stdin for a DOMAIN while it holds the password */
    int in[2];
    cr_assert_eq(pipe(in), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        close(in[1]);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        /* not root, so that /proc shows who owns the process's files */
        if (getuid() == 0 && (setgid(65534) || setuid(65534)))
            _exit(126);
        const char *argv[] = { ODOO_RPC_PATH, "--password", "S3cret-pw!", "--api-key=K3y-S3cret",
                               "--url", "http://127.0.0.1:1", "count", "res.partner", "-", NULL };
        const char *env[] = { NULL };
        execve(ODOO_RPC_PATH, (char *const *)argv, (char *const *)env);
        _exit(127);
    }
    close(in[0]);
    char buf[4096];
    int seen = 0;
    for (int i = 0; i < 200 && !seen; i++) {
        usleep(10000);
        seen = strstr(cmdline_of(pid, buf, sizeof(buf)), "count res.partner") != NULL;
    }
    cr_expect(seen, "odoo-rpc started: %s", buf);
    usleep(100000);
    cmdline_of(pid, buf, sizeof(buf));
    cr_expect(strstr(buf, "S3cret-pw!") == NULL, "the password is in /proc/PID/cmdline: %s", buf);
    cr_expect(strstr(buf, "K3y-S3cret") == NULL, "the key is in /proc/PID/cmdline: %s", buf);
    cr_expect(strstr(buf, "--password") != NULL, "the rest of the command line stays: %s", buf);
    /* a non-dumpable process's /proc files belong to root */
    char path[64];
    struct stat st;
    snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
    cr_expect(stat(path, &st) == 0 && st.st_uid == 0, "PR_SET_DUMPABLE 0: /proc/PID/environ owned by %d",
              (int)st.st_uid);
    close(in[1]);
    waitpid(pid, NULL, 0);
}

/* One HTTP exchange on a loopback socket: keeps the Authorization header
 * it received and answers a JSON-2 "3". (The replay server's libmicrohttpd
 * refuses long header lines with 431.) */
typedef struct {
    int fd;
    char auth[4096];
} header_catcher;

static void *catch_one(void *arg)
{
    header_catcher *h = arg;
    int c = accept(h->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    char req[16384];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof(req) - 1 && (n = read(c, req + len, sizeof(req) - 1 - len)) > 0) {
        len += (size_t)n;
        req[len] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    req[len] = '\0';
    const char *a = strcasestr(req, "\r\nAuthorization: ");
    if (a) {
        a += strlen("\r\nAuthorization: ");
        const char *e = strstr(a, "\r\n");
        snprintf(h->auth, sizeof(h->auth), "%.*s", (int)(e ? e - a : 0), a);
    }
    const char answer[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1\r\n"
                          "Connection: close\r\n\r\n3";
    if (write(c, answer, sizeof(answer) - 1) < 0)
        h->auth[0] = '\0';
    close(c);
    return NULL;
}

Test(cli_shell, d14_a_long_secret_from_stdin_is_not_cut)
{
    header_catcher h = { 0 };
    h.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t alen = sizeof(addr);
    cr_assert_eq(bind(h.fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    cr_assert_eq(listen(h.fd, 1), 0);
    getsockname(h.fd, (struct sockaddr *)&addr, &alen);
    pthread_t th;
    pthread_create(&th, NULL, catch_one, &h);
    char u[160];
    snprintf(u, sizeof(u), "ODOO_URL=http://127.0.0.1:%d", ntohs(addr.sin_port));
    const char *env[] = { u, "ODOO_DB=x", NULL };
    /* 2000 bytes: it was cut at 511 */
    char key[2001];
    for (int i = 0; i < 2000; i++)
        key[i] = "0123456789abcdef"[i % 16];
    key[2000] = '\0';
    char line[2002];
    snprintf(line, sizeof(line), "%s\n", key);
    const char *words[] = { "--api-key", "-", "--protocol", "json2", "count", "res.partner", NULL };
    run_result r = run_in(env, words, line, strlen(line));
    pthread_join(th, NULL);
    close(h.fd);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strlen(h.auth) == strlen("bearer ") + 2000 && strstr(h.auth, key), "the whole key is sent (%zu)",
              strlen(h.auth));
    done(&r);

    /* longer than the bound: refused, never cut */
    size_t big = 70000;
    char *huge = malloc(big + 2);
    memset(huge, 'k', big);
    huge[big] = '\n';
    huge[big + 1] = '\0';
    const char *env2[] = { url_env, db_env, NULL };
    run_result r2 = run_in(env2, words, huge, big + 1);
    cr_expect_eq(r2.status, 2, "%s", r2.err);
    cr_expect(strstr(r2.err, "longer than") != NULL, "%s", r2.err);
    cr_expect(strstr(r2.err, "kkkkkkkk") == NULL, "no secret in the message");
    done(&r2);
    free(huge);
}

Test(cli_shell, d15_insecure_is_said_on_stderr_and_in_the_trace)
{
    const char *env[] = { ENV };
    const char *words[] = { "--insecure", "count", "res.partner", NULL };
    run_result r = run(env, words);
    cr_expect_eq(r.status, 0, "%s", r.err);
    json_object *doc = json_parse(r.err);
    cr_expect(doc && str_of(doc, "warning") && strstr(str_of(doc, "warning"), "not verified"),
              "a warning on stderr: %s", r.err);
    json_object_put(doc);
    done(&r);
    const char *verbose[] = { "-k", "-v", "count", "res.partner", NULL };
    r = run(env, verbose);
    cr_expect(strstr(r.err, "* warning: TLS certificates and host names are not verified") != NULL,
              "in the trace: %s", r.err);
    done(&r);
    const char *plain[] = { "count", "res.partner", NULL };
    r = run(env, plain);
    cr_expect_str_eq(r.err, "", "no warning without --insecure");
    done(&r);
}

/* ---- issue 14: call --ids, and error texts that name real options ---- */

Test(cli_shell, call_with_ids_on_every_protocol)
{
    const char *env[] = { url_env, db_env, "ODOO_USER=admin", "ODOO_PASSWORD=admin", KEY_ENV, NULL };
    static const char *const protos[] = { "json2", "xmlrpc", "jsonrpc", "jsonrpc-stateless" };
    for (size_t i = 0; i < 4; i++) {
        const char *words[] = { "--protocol", protos[i], "call", "--ids", "10,11", "res.partner", "read",
                                "[[\"name\"]]", NULL };
        run_result r = run(env, words);
        cr_expect_eq(r.status, 0, "%s: %s", protos[i], r.err);
        json_object *doc = json_parse(r.out);
        cr_expect(doc && json_object_array_length(doc) == 2, "%s: %s", protos[i], r.out);
        json_object_put(doc);
        done(&r);
    }
    const char *bad[] = { "call", "--ids", "a", "res.partner", "read", NULL };
    expect_usage(env, bad, "--ids must be positive integers", "odoo-rpc call --help");
}

Test(cli_shell, library_errors_name_the_real_options)
{
    const char *env[] = { url_env, "ODOO_USER=admin", "ODOO_PASSWORD=admin", NULL };
    const char *login[] = { "--protocol", "xmlrpc", "login", NULL };
    run_result r = run(env, login);
    json_object *e = error_of(&r);
    const char *m = str_of(e, "message");
    cr_expect(m && strstr(m, "--db") && strstr(m, "ODOO_DB") && !strstr(m, "options."), "%s", r.err);
    json_object_put(e);
    done(&r);
    const char *kenv[] = { ENV };
    const char *call[] = { "--protocol", "json2", "call", "res.partner", "no_such_method_x", "[1]", NULL };
    r = run(kenv, call);
    e = error_of(&r);
    m = str_of(e, "message");
    cr_expect(m && !strstr(m, "options."), "%s", r.err);
    json_object_put(e);
    done(&r);
}

/* ---- issue 15: every JSON-ish argument through odoo_literal_parse ---- */

Test(cli_shell, d3_integers_beyond_64_bits_are_refused_not_clamped)
{
    const char *env[] = { ENV };
    const char *count[] = { "count", "res.partner", "[[\"id\", \"=\", 123456789012345678901234567890]]", NULL };
    expect_usage(env, count, "integer beyond 64 bits at offset 13", "odoo-rpc count --help");
    const char *write[] = { "write", "res.partner", "1", "{\"color\": 99999999999999999999}", NULL };
    expect_usage(env, write, "integer beyond 64 bits", NULL);
    const char *ids[] = { "read", "res.partner", "[1, 18446744073709551616]", NULL };
    expect_usage(env, ids, "integer beyond 64 bits", NULL);
    const char *ctx[] = { "--context", "{\"x\": -99999999999999999999}", "count", "res.partner", NULL };
    expect_usage(env, ctx, "integer beyond 64 bits", NULL);
    const char *args[] = { "call", "res.partner", "search", "[[[\"id\", \">\", 1e400]]]", NULL };
    expect_usage(env, args, "float out of range", NULL);
    const char *utf8[] = { "count", "res.partner", "[[\"name\", \"=\", \"\xff\"]]", NULL };
    expect_usage(env, utf8, "invalid UTF-8", NULL);
}

Test(cli_shell, python_literal_domains_and_values_are_accepted)
{
    const char *env[] = { ENV };
    const char *json[] = { "count", "res.partner", "[[\"is_company\", \"=\", true]]", NULL };
    run_result a = run(env, json);
    cr_assert_eq(a.status, 0, "%s", a.err);
    const char *py[] = { "count", "res.partner", "[('is_company', '=', True)]", NULL };
    run_result b = run(env, py);
    cr_assert_eq(b.status, 0, "%s", b.err);
    cr_expect_str_eq(b.out, a.out, "the Python form counts what the JSON form counts");
    cr_expect_neq(atoi(a.out), 0, "some partners are companies: %s", a.out);
    const char *all[] = { "count", "res.partner", NULL };
    run_result c = run(env, all);
    cr_expect_neq(atoi(c.out), atoi(a.out), "the domain filtered something: %s vs %s", c.out, a.out);
    /* prefix operators, tuples for `in`, and ids as a tuple */
    const char *ops[] = { "search", "res.partner", "['|', ('id', 'in', (1, 2)), ('id', '=', 3)]", NULL };
    run_result d = run(env, ops);
    cr_expect_eq(d.status, 0, "%s", d.err);
    const char *ops_json[] = { "search", "res.partner", "[\"|\", [\"id\", \"in\", [1, 2]], [\"id\", \"=\", 3]]", NULL };
    run_result dj = run(env, ops_json);
    cr_expect_str_eq(d.out, dj.out);
    cr_expect(strchr(d.out, '3') != NULL, "%s", d.out);
    done(&dj);
    const char *read[] = { "read", "res.partner", "(1, 2)", "--fields", "id", NULL };
    run_result e = run(env, read);
    cr_expect_eq(e.status, 0, "%s", e.err);
    const char *kw[] = { "call", "res.partner", "search_count", "[[('id', '<=', 3)]]", "{'context': {'active_test': False}}", NULL };
    run_result f = run(env, kw);
    cr_expect_eq(f.status, 0, "%s", f.err);
    cr_expect_str_eq(f.out, "3\n");
    done(&a);
    done(&b);
    done(&c);
    done(&d);
    done(&e);
    done(&f);
}

Test(cli_shell, domain_shape_and_literal_errors_are_usage_errors)
{
    const char *env[] = { ENV };
    const char *trail[] = { "search", "res.partner", "[('id', '=', 1)] junk", NULL };
    expect_usage(env, trail, "after the value at offset 17", "odoo-rpc search --help");
    const char *shape[] = { "count", "res.partner", "[('id', '=')]", NULL };
    expect_usage(env, shape, "three items", NULL);
    const char *dangling[] = { "count", "res.partner", "['|', ('id', '=', 1)]", NULL };
    expect_usage(env, dangling, "'|'", NULL);
    const char *name[] = { "count", "res.partner", "[('id', '=', foo)]", NULL };
    expect_usage(env, name, "unknown name 'foo'", NULL);
    const char *empty[] = { "count", "res.partner", "  ", NULL };
    expect_usage(env, empty, "DOMAIN is empty", NULL);
    const char *none[] = { "create", "res.partner", "None", NULL };
    expect_usage(env, none, "VALS", NULL);
}

/* ---- issue 15 point 7: ref and db-list ---- */

Test(cli_shell, ref_prints_the_model_and_id_of_an_external_id)
{
    const char *env[] = { ENV };
    /* the web session takes a password, the others the key */
    const char *pw_env[] = { url_env, db_env, "ODOO_USER=admin", "ODOO_PASSWORD=admin", NULL };
    const char *protos[] = { "xmlrpc", "jsonrpc", "jsonrpc-stateless", "json2" };
    for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
        const char *words[] = { "--protocol", protos[i], "ref", "base.main_company", NULL };
        run_result r = run(strcmp(protos[i], "jsonrpc") == 0 ? pw_env : env, words);
        cr_expect_eq(r.status, 0, "%s: %s", protos[i], r.err);
        cr_expect_str_eq(r.out, "{\"model\":\"res.company\",\"id\":1}\n", "%s", protos[i]);
        done(&r);
    }
    const char *admin[] = { "ref", "base.user_admin", NULL };
    run_result r = run(env, admin);
    cr_expect_str_eq(r.out, "{\"model\":\"res.users\",\"id\":2}\n");
    done(&r);
    const char *missing[] = { "ref", "base.no_such_thing", NULL };
    r = run(env, missing);
    cr_expect_eq(r.status, 1, "%s", r.err);
    cr_expect_str_eq(r.out, "");
    json_object *e = error_of(&r);
    cr_expect_str_eq(str_of(e, "kind"), "missing");
    cr_expect(strstr(str_of(e, "message"), "base.no_such_thing") != NULL, "%s", r.err);
    json_object_put(e);
    done(&r);
    const char *nodot[] = { "ref", "main_company", NULL };
    expect_usage(env, nodot, "module.name", "odoo-rpc ref --help");
    const char *none[] = { "ref", NULL };
    expect_usage(env, none, "missing arguments", "odoo-rpc ref --help");
}

Test(cli_shell, db_list_needs_no_login)
{
    /* the URL only: no database, user or secret */
    const char *env[] = { url_env, NULL };
    const char *protos[] = { "auto", "xmlrpc", "jsonrpc", "jsonrpc-stateless", "json2" };
    char want[128];
    snprintf(want, sizeof(want), "[\"%s\"]\n", odoo_mock_db(mock));
    for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
        const char *words[] = { "--protocol", protos[i], "db-list", NULL };
        run_result r = run(env, words);
        cr_expect_eq(r.status, 0, "%s: %s", protos[i], r.err);
        cr_expect_str_eq(r.out, want, "%s", protos[i]);
        done(&r);
    }
    const char *extra[] = { "db-list", "odoo", NULL };
    expect_usage(env, extra, "too many", "odoo-rpc db-list --help");
}

Test(cli_shell, ref_and_db_list_have_help_pages)
{
    const char *env[] = { ENV };
    const char *names[] = { "ref", "db-list" };
    for (size_t i = 0; i < 2; i++) {
        const char *words[] = { names[i], "--help", NULL };
        run_result r = run(env, words);
        cr_expect_eq(r.status, 0);
        cr_expect(strstr(r.out, "Examples:") && strstr(r.out, names[i]), "%s", r.out);
        done(&r);
    }
    const char *top[] = { "--help", NULL };
    run_result r = run(env, top);
    cr_expect(strstr(r.out, "  ref ") && strstr(r.out, "  db-list "), "%s", r.out);
    done(&r);
}
