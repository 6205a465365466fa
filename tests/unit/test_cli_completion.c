/* completion/: the bash and zsh scripts for odoo-rpc, run by the real
 * shells against the built odoo-rpc (model names from a replay server). */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include <odoo_mock.h>
#include "replay_server.h"

#ifndef ODOO_RPC_PATH
#error "tests/CMakeLists.txt passes the path of odoo-rpc"
#endif

#define COMPLETION_DIR ODOO_FIXTURES_DIR "/../../completion"

static char *shell(const char *prog, const char *script, const char *extra_env)
{
    char bindir[4096];
    snprintf(bindir, sizeof(bindir), "%s", ODOO_RPC_PATH);
    char path_env[8192];
    snprintf(path_env, sizeof(path_env), "%s:%s", dirname(bindir), getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    char file[] = "/tmp/odoo-completion-XXXXXX";
    int fd = mkstemp(file);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "%s\n", script);
    fclose(f);
    char cmd[16384];
    snprintf(cmd, sizeof(cmd), "env -i PATH='%s' HOME=/nonexistent %s %s %s 2>&1", path_env, extra_env ? extra_env : "",
             prog, file);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t cap = 65536, len = 0, n;
    char *out = malloc(cap);
    while ((n = fread(out + len, 1, cap - len - 1, p)) > 0)
        len += n;
    out[len] = '\0';
    pclose(p);
    unlink(file);
    return out;
}

/* COMPREPLY, space-separated, for the words given (the last is completed). */
static char *bash_complete(const char *words, const char *extra_env)
{
    char script[4096];
    snprintf(script, sizeof(script),
             "source '%s/odoo-rpc.bash'\n"
             "COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
             "[[ $COMP_LINE ]] || COMP_LINE=\"${COMP_WORDS[*]}\"\n"
             "_odoo_rpc; echo \"[${COMPREPLY[*]}]\"\n",
             COMPLETION_DIR, words);
    return shell("bash", script, extra_env);
}

Test(cli_completion, bash_registers_and_completes_commands_and_options)
{
    char script[512];
    snprintf(script, sizeof(script), "source '%s/odoo-rpc.bash'\ncomplete -p odoo-rpc\n", COMPLETION_DIR);
    char *out = shell("bash", script, NULL);
    cr_expect_str_eq(out, "complete -F _odoo_rpc odoo-rpc\n");
    free(out);

    static const struct {
        const char *words, *want;
    } cases[] = {
        { "odoo-rpc sea", "[search-read search]\n" },
        { "odoo-rpc --pretty -d prod co", "[count]\n" }          /* prod is -d's value */,
        { "odoo-rpc search res.partner --l", "[--limit]\n" },
        { "odoo-rpc count res.partner --l", "[]\n" },        /* count takes no --limit: not offered */
        { "odoo-rpc --protocol json", "[jsonrpc jsonrpc-stateless json2]\n" },
        { "odoo-rpc --prefer t", "[throughput]\n" },
        { "odoo-rpc search-read res.partner --all --format n", "[ndjson]\n" },
        { "odoo-rpc search-read res.partner --pag", "[--page-size]\n" },
        { "odoo-rpc search res.partner --al", "[]\n" },     /* --all is search-read's */
        { "odoo-rpc help na", "[name-search]\n" },
        { "odoo-rpc proxy-version --v", "[--version --verbose --v2]\n" },
        { "odoo-rpc re", "[read ref]\n" },
        { "odoo-rpc db", "[db-list]\n" },
        { "odoo-rpc ref ba", "[]\n" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        out = bash_complete(cases[i].words, NULL);
        cr_expect_str_eq(out, cases[i].want, "%s", cases[i].words);
        free(out);
    }
}

Test(cli_completion, bash_offers_model_names_from_the_server)
{
    replay_server *s = replay_start(NULL, NULL);
    replay_expect_raw(s, 200, "application/json",
                      "[{\"id\": 1, \"model\": \"res.partner\"}, {\"id\": 2, \"model\": \"res.partner.bank\"}]", NULL);
    char env[512];
    snprintf(env, sizeof(env), "ODOO_URL=%s ODOO_DB=x ODOO_API_KEY=k", replay_url(s));
    char *out = bash_complete("odoo-rpc --protocol json2 search-read res.p", env);
    cr_expect_str_eq(out, "[res.partner res.partner.bank]\n");
    free(out);
    cr_assert_eq(replay_count(s), 1);
    const replay_request *q = replay_request_at(s, 0);
    cr_expect_str_eq(q->path, "/json/2/ir.model/search_read");
    cr_expect(strstr(q->body, "\"res.p%\"") != NULL, "the prefix is the domain: %s", q->body);
    replay_stop(s);
    /* no connection configured: nothing, quickly, and no error text */
    out = bash_complete("odoo-rpc count res.p", NULL);
    cr_expect_str_eq(out, "[]\n");
    free(out);
}

Test(cli_completion, zsh_script_parses_and_completes)
{
    if (access("/usr/bin/zsh", X_OK) != 0 && access("/bin/zsh", X_OK) != 0)
        cr_skip_test("zsh is not installed");
    char script[2048];
    snprintf(script, sizeof(script), "zsh -n '%s/_odoo-rpc' && echo syntax-ok", COMPLETION_DIR);
    char *out = shell("sh", script, NULL);
    cr_expect_str_eq(out, "syntax-ok\n");
    free(out);
    /* compadd and friends stubbed: print what would be offered */
    static const struct {
        const char *words, *has, *hasnt;
    } cases[] = {
        { "odoo-rpc sea", "search-read\n", "--limit" },
        { "odoo-rpc search res.partner --l", "--limit\n", "\nsearch\n" },
        { "odoo-rpc count res.partner --l", "--context\n", "--limit" },
        { "odoo-rpc --protocol j", "json2\n", "search" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(script, sizeof(script),
                 "compadd() { [[ $1 == -- ]] && shift; print -l -- \"$@\" }\n"
                 "_files() { print FILES }; _directories() { print DIRS }; _message() { }; compset() { }\n"
                 "words=(%s); CURRENT=${#words}\n"
                 "source '%s/_odoo-rpc'\n",
                 cases[i].words, COMPLETION_DIR);
        out = shell("zsh", script, NULL);
        cr_expect(strstr(out, cases[i].has) != NULL, "%s: %s", cases[i].words, out);
        cr_expect(strstr(out, cases[i].hasnt) == NULL, "%s: %s", cases[i].words, out);
        free(out);
    }
}

Test(cli_completion, db_offers_the_servers_databases)
{
    odoo_mock *m = NULL;
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cr_assert_eq(odoo_mock_start(&m, &cfg), 0);
    char words[512];
    snprintf(words, sizeof(words), "odoo-rpc --url %s -d ''", odoo_mock_url(m));
    char *out = bash_complete(words, NULL);
    char want[128];
    snprintf(want, sizeof(want), "[%s]\n", odoo_mock_db(m));
    cr_expect_str_eq(out, want, "%s", words);
    free(out);
    snprintf(words, sizeof(words), "odoo-rpc --url %s --db zz", odoo_mock_url(m));
    out = bash_complete(words, NULL);
    cr_expect_str_eq(out, "[]\n", "no database starts with zz");
    free(out);
    if (access("/usr/bin/zsh", X_OK) == 0 || access("/bin/zsh", X_OK) == 0) {
        char script[2048];
        snprintf(script, sizeof(script),
                 "compadd() { [[ $1 == -- ]] && shift; print -l -- \"$@\" }\n"
                 "_files() { print FILES }; _directories() { print DIRS }; _message() { }; compset() { }\n"
                 "words=(odoo-rpc --url %s --db ''); CURRENT=${#words}\n"
                 "source '%s/_odoo-rpc'\n",
                 odoo_mock_url(m), COMPLETION_DIR);
        out = shell("zsh", script, NULL);
        snprintf(want, sizeof(want), "%s\n", odoo_mock_db(m));
        cr_expect_str_eq(out, want);
        free(out);
    }
    odoo_mock_stop(m);
}
