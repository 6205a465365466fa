/* odoo-rpc __complete: what the bash and zsh scripts in completion/ offer,
 * from the same tables as the parser, so they never drift apart.
 *
 *   __complete commands            every command
 *   __complete options [CMD]       the options CMD takes (every option without CMD)
 *   __complete values OPTION       the values of an option with a fixed set (--protocol, --prefer,
 *                                  --format)
 *   __complete profiles            the sections of the configuration file
 *   __complete models PREFIX WORDS the server's model names starting with PREFIX, when the words
 *                                  typed so far, the environment or a profile give a connection
 *   __complete databases PREFIX WORDS  the server's databases (db-list) starting with PREFIX, for --db
 *
 * Nothing is printed on failure: a completion must never spill errors
 * into the shell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* A connection from the words typed so far (as if they were a command
 * line), the environment or a profile, with short timeouts: a shell is
 * waiting on TAB. 0 and *p on success. */
static int complete_connect(cli *c, int argc, char **argv, odoo_protocol **p, odoo_rpc_error *err)
{
    int help = 0;
    cli_completing = 1;
    char **args = calloc((size_t)argc + 2, sizeof(char *));
    if (!args)
        return 1;
    args[0] = argv[0];
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    int rc = cli_parse(c, argc + 1, args, &help);
    free(args);
    if (rc || !c->opts.url || !*c->opts.url)
        return 1;
    if (c->opts.timeout_ms == 0 || c->opts.timeout_ms > 3000)
        c->opts.timeout_ms = 3000;
    if (c->opts.connect_timeout_ms == 0 || c->opts.connect_timeout_ms > 2000)
        c->opts.connect_timeout_ms = 2000;
    c->opts.trace = NULL;
    return odoo_connect(p, c->kind, &c->opts, err) ? 1 : 0;
}

static int complete_models(cli *c, const char *prefix, int argc, char **argv)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = NULL;
    json_object *rows = NULL, *domain = json_object_new_array();
    char like[256];
    snprintf(like, sizeof(like), "%s%%", prefix);
    json_object *leaf = json_object_new_array();
    json_object_array_add(leaf, json_object_new_string("model"));
    json_object_array_add(leaf, json_object_new_string("=like"));
    json_object_array_add(leaf, json_object_new_string(like));
    json_object_array_add(domain, leaf);
    const char *fields[] = { "model", NULL };
    int rc = complete_connect(c, argc, argv, &p, &err);
    if (rc == 0)
        rc = odoo_search_read(&rows, p, "ir.model",
                              &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain,
                                                      .fields = fields, .limit = 500, .order = "model" },
                              &err);
    for (size_t i = 0; rc == 0 && rows && i < json_object_array_length(rows); i++) {
        json_object *m;
        if (json_object_object_get_ex(json_object_array_get_idx(rows, i), "model", &m))
            printf("%s\n", json_object_get_string(m));
    }
    json_object_put(rows);
    json_object_put(domain);
    odoo_close(p);
    odoo_rpc_error_clear(&err);
    cli_parse_free(c);
    return rc ? 1 : 0;
}

/* The server's databases (odoo_db_list, no login) for --db. */
static int complete_databases(cli *c, const char *prefix, int argc, char **argv)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = NULL;
    json_object *dbs = NULL;
    int rc = complete_connect(c, argc, argv, &p, &err);
    if (rc == 0)
        rc = odoo_db_list(&dbs, p, &err);
    size_t n = strlen(prefix);
    for (size_t i = 0; rc == 0 && dbs && i < json_object_array_length(dbs); i++) {
        const char *name = json_object_get_string(json_object_array_get_idx(dbs, i));
        if (name && strncmp(name, prefix, n) == 0)
            printf("%s\n", name);
    }
    json_object_put(dbs);
    odoo_close(p);
    odoo_rpc_error_clear(&err);
    cli_parse_free(c);
    return rc ? 1 : 0;
}

static int complete_profiles(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char path[4096];
    if (xdg && xdg[0] == '/')
        snprintf(path, sizeof(path), "%s/odoo-rpc/config", xdg);
    else if (home && *home)
        snprintf(path, sizeof(path), "%s/.config/odoo-rpc/config", home);
    else
        return 1;
    FILE *f = fopen(path, "r");
    if (!f)
        return 1;
    char line[1024];
    while (fgets(line, sizeof(line), f)) {
        char *s = line, *e;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '[' && (e = strchr(s, ']')))
            printf("%.*s\n", (int)(e - s - 1), s + 1);
    }
    explicit_bzero(line, sizeof(line));
    fclose(f);
    return 0;
}

int cli_complete(cli *c, const char *what, int argc, char **argv)
{
    if (strcmp(what, "commands") == 0) {
        for (const command *cmd = cli_commands; cmd->name; cmd++)
            printf("%s\n", cmd->name);
        return 0;
    }
    if (strcmp(what, "options") == 0) {
        const command *cmd = argc > 3 ? cli_find_command(argv[3]) : NULL;
        for (const cli_option *o = cli_options; o->name; o++)
            if (!o->scope || !cmd || (cmd->options & o->scope))
                printf("--%s%s\n", o->name, o->takes_value ? "=" : "");
        return 0;
    }
    if (strcmp(what, "values") == 0 && argc > 3) {
        if (strcmp(argv[3], "--protocol") == 0)
            fputs("auto\nxmlrpc\njsonrpc\njsonrpc-stateless\njson2\nodxproxy\n", stdout);
        else if (strcmp(argv[3], "--prefer") == 0)
            fputs("compat\nthroughput\n", stdout);
        else if (strcmp(argv[3], "--format") == 0)
            fputs("json\nndjson\ncsv\n", stdout);
        return 0;
    }
    if (strcmp(what, "profiles") == 0)
        return complete_profiles();
    if (strcmp(what, "models") == 0)
        return complete_models(c, argc > 3 ? argv[3] : "", argc > 4 ? argc - 4 : 0, argv + 4);
    if (strcmp(what, "databases") == 0)
        return complete_databases(c, argc > 3 ? argv[3] : "", argc > 4 ? argc - 4 : 0, argv + 4);
    return 1;
}
