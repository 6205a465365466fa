/* odoo-rpc: poke an Odoo from a shell, with stable JSON output.
 *
 * Results are one JSON document on stdout; errors one JSON object on
 * stderr; the exit status says what kind of failure it was. Passwords,
 * keys and cookies are never printed, --verbose included. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char global_help[] =
    "usage: odoo-rpc [OPTIONS] COMMAND [ARGS] [COMMAND OPTIONS]\n"
    "\n"
    "Connection (each also read from the environment variable shown):\n"
    "  --url URL              Odoo base URL                         ODOO_URL\n"
    "  --db NAME              database                              ODOO_DB\n"
    "  --user LOGIN           login                                 ODOO_USER\n"
    "  --password PW          password (- reads it from stdin)      ODOO_PASSWORD\n"
    "  --api-key KEY          API key (- reads it from stdin)       ODOO_API_KEY\n"
    "  --protocol P           auto|xmlrpc|jsonrpc|jsonrpc-stateless|json2|odxproxy   ODOO_PROTOCOL\n"
    "  --prefer P             compat|throughput (for auto)\n"
    "  --timeout SECONDS      whole-call timeout (default 120)\n"
    "  --insecure             do not verify TLS certificates\n"
    "  --ca-file FILE         verify TLS with these CA certificates\n"
    "  --context JSON         context merged into every call, e.g. '{\"lang\": \"fr_BE\"}'\n"
    "  --proxy-url URL        ODXProxy gateway URL                  ODXPROXY_URL\n"
    "  --proxy-key KEY        ODXProxy key                          ODXPROXY_API_KEY\n"
    "  --user-id N            Odoo uid for the gateway              ODXPROXY_USER_ID\n"
    "Output:\n"
    "  --pretty               indent the JSON output\n"
    "  --verbose              show each HTTP exchange on stderr (secrets masked)\n"
    "  --help, --version\n"
    "\n"
    "Commands (odoo-rpc COMMAND --help for details):\n";

static const char exit_help[] =
    "\nExit status: 0 ok, 1 Odoo error (access, validation, user, missing, not found),\n"
    "2 usage, 3 authentication, 4 transport (connect, DNS, timeout, TLS), 5 protocol or server error.\n"
    "Errors are printed on stderr as {\"error\": {\"kind\", \"class\", \"message\", \"http_status\",\n"
    "\"code\", \"model\", \"method\"}}.\n";

static void print_help(void)
{
    fputs(global_help, stdout);
    for (const command *cmd = cli_commands; cmd->name; cmd++)
        printf("  %-13s %s\n", cmd->name, cmd->help);
    fputs(exit_help, stdout);
}

static void print_command_help(const command *cmd)
{
    printf("usage: odoo-rpc [OPTIONS] %s %s\n\n%s\n", cmd->name, cmd->usage, cmd->help);
    fputs(exit_help, stdout);
}

static const command *find_command(const char *name)
{
    for (const command *cmd = cli_commands; cmd->name; cmd++)
        if (strcmp(cmd->name, name) == 0)
            return cmd;
    return NULL;
}

static int parse_long(const char *opt, const char *text, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 0)
        return cli_usage_error("%s needs a non-negative integer, not '%s'", opt, text);
    *out = v;
    return 0;
}

static void trace_to_stderr(const char *line, void *payload)
{
    (void)payload;
    fprintf(stderr, "%s\n", line);
}

/* "--password -" / "--api-key -": read the secret from the first line of
 * stdin, so it appears neither in the command line nor in the environment. */
static const char *secret_from_stdin(const char *opt)
{
    static char buf[2][512];
    static int used;
    if (used == 2) {
        cli_usage_error("only one secret can be read from stdin");
        return NULL;
    }
    char *line = buf[used];
    if (!fgets(line, sizeof(buf[0]), stdin)) {
        cli_usage_error("%s -: nothing to read on stdin", opt);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    used++;
    return line;
}

/* Options take their value as the next word or after '='. */
static const char *option_value(int argc, char **argv, int *i, const char *arg, const char *name)
{
    size_t n = strlen(name);
    if (arg[n] == '=')
        return arg + n + 1;
    if (*i + 1 >= argc) {
        cli_usage_error("option %s needs a value", name);
        return NULL;
    }
    return argv[++*i];
}

static int matches(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

static int parse(cli *c, int argc, char **argv, int *help)
{
    static const char *words[64];
    const char *env;
    c->opts.url = getenv("ODOO_URL");
    c->opts.db = getenv("ODOO_DB");
    c->opts.login = getenv("ODOO_USER");
    c->opts.password = getenv("ODOO_PASSWORD");
    c->opts.api_key = getenv("ODOO_API_KEY");
    c->opts.proxy_url = getenv("ODXPROXY_URL");
    c->opts.proxy_api_key = getenv("ODXPROXY_API_KEY");
    if ((env = getenv("ODXPROXY_USER_ID")) && parse_long("ODXPROXY_USER_ID", env, &c->opts.user_id))
        return EXIT_USAGE;
    if ((env = getenv("ODOO_PROTOCOL")) && *env && odoo_protocol_kind_from_name(&c->kind, env) != 0)
        return cli_usage_error("ODOO_PROTOCOL: unknown protocol '%s'", env);

    c->args = words;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (a[0] != '-' || a[1] == '\0' || (a[1] >= '0' && a[1] <= '9')) {
            if (!c->cmd)
                c->cmd = a;
            else if (c->nargs < 64)
                words[c->nargs++] = a;
            else
                return cli_usage_error("too many arguments");
            continue;
        }
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc && c->nargs < 64; i++)
                words[c->nargs++] = argv[i];
            break;
        }
#define VALUE(name) ((v = option_value(argc, argv, &i, a, name)) == NULL ? EXIT_USAGE : 0)
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            *help = 1;
        else if (strcmp(a, "--version") == 0)
            *help = 2;
        else if (strcmp(a, "--pretty") == 0)
            c->pretty = 1;
        else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0)
            c->verbose = 1;
        else if (strcmp(a, "--v2") == 0)
            c->v2 = 1;
        else if (strcmp(a, "--insecure") == 0)
            c->opts.tls_insecure = 1;
        else if (matches(a, "--url")) {
            if (VALUE("--url")) return EXIT_USAGE;
            c->opts.url = v;
        } else if (matches(a, "--db")) {
            if (VALUE("--db")) return EXIT_USAGE;
            c->opts.db = v;
        } else if (matches(a, "--user")) {
            if (VALUE("--user")) return EXIT_USAGE;
            c->opts.login = v;
        } else if (matches(a, "--password")) {
            if (VALUE("--password")) return EXIT_USAGE;
            if (strcmp(v, "-") == 0 && !(v = secret_from_stdin("--password"))) return EXIT_USAGE;
            c->opts.password = v;
        } else if (matches(a, "--api-key")) {
            if (VALUE("--api-key")) return EXIT_USAGE;
            if (strcmp(v, "-") == 0 && !(v = secret_from_stdin("--api-key"))) return EXIT_USAGE;
            c->opts.api_key = v;
        } else if (matches(a, "--protocol")) {
            if (VALUE("--protocol")) return EXIT_USAGE;
            if (odoo_protocol_kind_from_name(&c->kind, v) != 0)
                return cli_usage_error("unknown protocol '%s' (auto, xmlrpc, jsonrpc, jsonrpc-stateless, json2, "
                                       "odxproxy)", v);
        } else if (matches(a, "--prefer")) {
            if (VALUE("--prefer")) return EXIT_USAGE;
            if (strcmp(v, "compat") == 0)
                c->opts.prefer = ODOO_PREFER_COMPAT;
            else if (strcmp(v, "throughput") == 0)
                c->opts.prefer = ODOO_PREFER_THROUGHPUT;
            else
                return cli_usage_error("--prefer is compat or throughput, not '%s'", v);
        } else if (matches(a, "--timeout")) {
            if (VALUE("--timeout")) return EXIT_USAGE;
            char *end;
            double s = strtod(v, &end);
            if (end == v || *end || s <= 0 || s > 86400)
                return cli_usage_error("--timeout needs a number of seconds, not '%s'", v);
            c->opts.timeout_ms = (long)(s * 1000);
        } else if (matches(a, "--ca-file")) {
            if (VALUE("--ca-file")) return EXIT_USAGE;
            c->opts.ca_file = v;
        } else if (matches(a, "--context")) {
            if (VALUE("--context")) return EXIT_USAGE;
            json_object_put(c->context);
            if (!(c->context = cli_json_arg("--context", v, json_type_object)))
                return EXIT_USAGE;
        } else if (matches(a, "--proxy-url")) {
            if (VALUE("--proxy-url")) return EXIT_USAGE;
            c->opts.proxy_url = v;
        } else if (matches(a, "--proxy-key")) {
            if (VALUE("--proxy-key")) return EXIT_USAGE;
            c->opts.proxy_api_key = v;
        } else if (matches(a, "--user-id")) {
            if (VALUE("--user-id") || parse_long("--user-id", v, &c->opts.user_id)) return EXIT_USAGE;
        } else if (matches(a, "--fields")) {
            if (VALUE("--fields")) return EXIT_USAGE;
            c->fields = v;
        } else if (matches(a, "--attributes")) {
            if (VALUE("--attributes")) return EXIT_USAGE;
            c->attributes = v;
        } else if (matches(a, "--order")) {
            if (VALUE("--order")) return EXIT_USAGE;
            c->order = v;
        } else if (matches(a, "--operator")) {
            if (VALUE("--operator")) return EXIT_USAGE;
            c->op = v;
        } else if (matches(a, "--limit")) {
            if (VALUE("--limit") || parse_long("--limit", v, &c->limit)) return EXIT_USAGE;
        } else if (matches(a, "--offset")) {
            if (VALUE("--offset") || parse_long("--offset", v, &c->offset)) return EXIT_USAGE;
        } else {
            return cli_usage_error("unknown option '%s'", a);
        }
#undef VALUE
    }
    return 0;
}

int main(int argc, char **argv)
{
    cli c;
    memset(&c, 0, sizeof(c));
    odoo_options_init(&c.opts, ODOO_OPTIONS_VERSION);
    int help = 0;
    int rc = parse(&c, argc, argv, &help);
    if (rc) {
        json_object_put(c.context);
        return rc;
    }
    if (help == 2) {
        printf("odoo-rpc (libodoo %s)\n", odoo_version_string());
        return EXIT_OK;
    }
    const command *cmd = c.cmd ? find_command(c.cmd) : NULL;
    if (help) {
        if (cmd)
            print_command_help(cmd);
        else
            print_help();
        json_object_put(c.context);
        return EXIT_OK;
    }
    if (!c.cmd) {
        print_help();
        return EXIT_USAGE;
    }
    if (!cmd) {
        json_object_put(c.context);
        return cli_usage_error("unknown command '%s'", c.cmd);
    }
    if (c.nargs < cmd->min_args || c.nargs > cmd->max_args) {
        json_object_put(c.context);
        return cli_usage_error("%s takes %s%s", cmd->name, *cmd->usage ? cmd->usage : "no arguments",
                               c.nargs < cmd->min_args ? " (missing arguments)" : " (too many arguments)");
    }
    if (cli_parse_args(&c, cmd)) {
        for (int i = 0; i < 8; i++)
            json_object_put(c.jargs[i]);
        json_object_put(c.context);
        return EXIT_USAGE;
    }
    if (cmd->gateway) {
        if (!c.opts.proxy_url || !*c.opts.proxy_url) {
            json_object_put(c.context);
            return cli_usage_error("%s needs the gateway: give --proxy-url or set ODXPROXY_URL", cmd->name);
        }
        c.kind = ODOO_PROTOCOL_ODXPROXY;
        if (!c.opts.url || !*c.opts.url)
            c.opts.url = c.opts.proxy_url; /* the ops endpoints do not reach Odoo */
    }
    if (!c.opts.url || !*c.opts.url) {
        json_object_put(c.context);
        return cli_usage_error("no Odoo URL: give --url or set ODOO_URL");
    }
    c.opts.context = c.context;
    if (c.verbose) {
        c.opts.trace = trace_to_stderr;
    }

    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = NULL;
    json_object *out = NULL;
    if (cmd->needs_connection)
        rc = odoo_connect(&p, c.kind, &c.opts, &err);
    if (rc == 0) {
        if (c.verbose && p && *odoo_protocol_reason(p))
            fprintf(stderr, "* protocol %s: %s\n", odoo_protocol_name(p), odoo_protocol_reason(p));
        rc = cmd->run(&c, p, &out, &err);
    }
    int status;
    if (rc != 0)
        status = cli_print_error(&c, &err);
    else {
        cli_print_result(&c, out);
        status = EXIT_OK;
    }
    json_object_put(out);
    for (int i = 0; i < 8; i++)
        json_object_put(c.jargs[i]);
    odoo_close(p);
    odoo_rpc_error_clear(&err);
    json_object_put(c.context);
    return status;
}
