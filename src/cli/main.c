/* odoo-rpc: poke an Odoo from a shell, with stable JSON output.
 *
 * Results are one JSON document on stdout; errors one JSON object on
 * stderr; the exit status says what kind of failure it was. Passwords,
 * keys and cookies are never printed, --verbose included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "cli.h"

static void free_args(cli *c)
{
    for (int i = 0; i < 8; i++) {
        json_object_put(c->jargs[i]);
        c->jargs[i] = NULL;
    }
    cli_parse_free(c);
}

int main(int argc, char **argv)
{
    /* The CLI holds secrets (from options, the environment, a profile):
     * no core dump, and no ptrace or /proc/PID/environ for other
     * processes of the same user. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

    cli c;
    memset(&c, 0, sizeof(c));
    odoo_options_init(&c.opts, ODOO_OPTIONS_VERSION);
    if (argc >= 3 && strcmp(argv[1], "__complete") == 0)
        return cli_complete(&c, argv[2], argc, argv);

    int help = 0;
    int rc = cli_parse(&c, argc, argv, &help);
    if (rc) {
        free_args(&c);
        return rc;
    }
    if (help == 2) {
        printf("odoo-rpc (libodoo %s)\n", odoo_version_string());
        free_args(&c);
        return EXIT_OK;
    }
    const command *cmd = cli_current;
    if (help) {
        if (cmd)
            cli_print_command_help(cmd);
        else
            cli_print_help();
        free_args(&c);
        return EXIT_OK;
    }
    if (c.nargs < cmd->min_args || c.nargs > cmd->max_args) {
        rc = cli_usage_error("%s takes %s (%s arguments: %d given)", cmd->name,
                             *cmd->usage ? cmd->usage : "no arguments", c.nargs < cmd->min_args ? "missing" : "too many",
                             c.nargs);
        free_args(&c);
        return rc;
    }
    if (cli_parse_args(&c, cmd)) {
        free_args(&c);
        return EXIT_USAGE;
    }
    if (cmd->gateway) {
        if (!c.opts.proxy_url || !*c.opts.proxy_url) {
            free_args(&c);
            return cli_usage_error("%s needs the gateway: give --proxy-url or set ODXPROXY_URL", cmd->name);
        }
        c.kind = ODOO_PROTOCOL_ODXPROXY;
        if (!c.opts.url || !*c.opts.url)
            c.opts.url = c.opts.proxy_url; /* the ops endpoints do not reach Odoo */
    }
    if (!c.opts.url || !*c.opts.url) {
        free_args(&c);
        return cli_usage_error("no Odoo URL: give --url, set ODOO_URL or use a profile (--profile)");
    }
    c.opts.context = c.context;
    if (c.verbose) {
        cli_trace_level(c.verbose);
        c.opts.trace = cli_trace;
    }
    if (c.opts.tls_insecure)
        cli_warning(&c, "TLS certificates and host names are not verified (--insecure): anyone on the path "
                        "can read and change this exchange");

    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = NULL;
    json_object *out = NULL;
    if (cmd->needs_connection)
        rc = odoo_connect(&p, c.kind, &c.opts, &err);
    if (rc == 0) {
        if (c.verbose && p && *odoo_protocol_reason(p))
            cli_trace_note("* protocol %s: %s", odoo_protocol_name(p), odoo_protocol_reason(p));
        rc = cmd->run(&c, p, &out, &err);
    }
    int status = EXIT_OK;
    if (rc != 0)
        status = c.status ? c.status : cli_print_error(&c, &err);
    else if (!c.printed)
        cli_print_result(&c, out); /* else the command wrote its records itself (export.c) */
    json_object_put(out);
    odoo_close(p);
    cli_trace_flush();
    odoo_rpc_error_clear(&err);
    free_args(&c);
    return status;
}
