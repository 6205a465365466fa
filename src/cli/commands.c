/* odoo-rpc commands: each maps its words onto one library call. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const command *cli_current;

const command *cli_find_command(const char *name)
{
    for (const command *cmd = cli_commands; cmd->name; cmd++)
        if (strcmp(cmd->name, name) == 0)
            return cmd;
    return NULL;
}

/* Record ids as "[1,2]", "1,2,3" or "7", also from @FILE or -. NULL after
 * a usage message. */
json_object *cli_ids_arg(const char *what, const char *arg)
{
    char *owned = NULL;
    const char *text = cli_arg_text(what, arg, &owned);
    if (!text)
        return NULL;
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    json_object *ids = NULL;
    if (*p == '[' || *p == '(') {
        ids = cli_json_arg(what, text, json_type_array);
        for (size_t i = 0; ids && i < json_object_array_length(ids); i++) {
            json_object *v = json_object_array_get_idx(ids, i);
            if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0) {
                cli_usage_error("%s must hold positive integers: %s", what, owned ? arg : text);
                json_object_put(ids);
                ids = NULL;
            }
        }
        free(owned);
        return ids;
    }
    ids = json_object_new_array();
    char *end;
    for (;;) {
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (end == p || v <= 0 || errno)
            break;
        json_object_array_add(ids, json_object_new_int64(v));
        p = end;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0') {
            free(owned);
            return ids;
        }
        if (*p != ',')
            break;
        p++;
    }
    json_object_put(ids);
    cli_usage_error("%s must be positive integers like 1,2,3 or a JSON array: %s", what, owned ? arg : text);
    free(owned);
    return NULL;
}

int cli_parse_args(cli *c, const command *cmd)
{
    static const char *names[] = { "first argument", "second argument", "third argument", "fourth argument" };
    if (c->ids_text && !(c->ids = cli_ids_arg("--ids", c->ids_text)))
        return EXIT_USAGE;
    if (strcmp(cmd->name, "ref") == 0 && c->nargs == 1) {
        /* "module.name": refused before connecting, as any malformed argument */
        const char *dot = strchr(c->args[0], '.');
        if (!dot || dot == c->args[0] || !dot[1])
            return cli_usage_error("XMLID is module.name, e.g. base.main_company: %s", c->args[0]);
    }
    for (int i = 0; i < c->nargs && cmd->argspec[i]; i++) {
        const char *what = i < 4 ? names[i] : "argument";
        json_object *v = NULL;
        switch (cmd->argspec[i]) {
        case 's':
            continue;
        case 'd':
            v = cli_json_arg("DOMAIN", c->args[i], json_type_array);
            break;
        case 'a':
            v = cli_json_arg(strcmp(cmd->name, "call") == 0 ? "ARGS" : what, c->args[i], json_type_array);
            break;
        case 'o':
            v = cli_json_arg(strcmp(cmd->name, "call") == 0 ? "KWARGS" : "VALS", c->args[i], json_type_object);
            break;
        case 'i':
            v = cli_ids_arg("IDS", c->args[i]);
            break;
        case 'v':
            v = cli_json_arg("VALS", c->args[i], json_type_null);
            if (v && !json_object_is_type(v, json_type_object) && !json_object_is_type(v, json_type_array)) {
                json_object_put(v);
                v = NULL;
                cli_usage_error("VALS must be a JSON object or an array of objects");
            }
            break;
        }
        if (!v)
            return EXIT_USAGE;
        c->jargs[i] = v;
    }
    return 0;
}

static int cmd_version(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    json_object *info = NULL;
    int rc = odoo_version_info(&info, p, err);
    if (rc)
        return rc;
    *out = json_object_new_object();
    json_object_object_add(*out, "version", info);
    json_object_object_add(*out, "protocol", json_object_new_string(odoo_protocol_name(p)));
    const char *reason = odoo_protocol_reason(p);
    json_object_object_add(*out, "reason", *reason ? json_object_new_string(reason) : NULL);
    return 0;
}

static int cmd_login(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    int64_t uid = 0;
    int rc = odoo_authenticate(&uid, p, err);
    if (rc)
        return rc;
    *out = json_object_new_object();
    json_object_object_add(*out, "uid", json_object_new_int64(uid));
    json_object_object_add(*out, "protocol", json_object_new_string(odoo_protocol_name(p)));
    if (odoo_server_version(p))
        json_object_object_add(*out, "server_version", json_object_new_int(odoo_server_version(p)));
    return 0;
}

static int cmd_protocols(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo_probe(out, &c->opts, err);
}

static int cmd_call(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    /* odoo_call keeps the ids apart: JSON-2 gets them as "ids", the
     * positional protocols as the first argument */
    if (c->ids)
        return odoo_call(out, p, c->args[0], c->args[1], c->ids, c->jargs[2], c->jargs[3], c->context, err);
    return odoo_execute_kw(out, p, c->args[0], c->args[1], c->jargs[2], c->jargs[3], c->context, err);
}

/* The search commands' options, from the command line. */
static odoo_search_options search_options(const cli *c, json_object *domain)
{
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.domain = domain;
    o.offset = c->offset;
    o.limit = c->limit;
    o.order = c->order;
    o.context = c->context;
    return o;
}

static int cmd_search_read(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    char **fields = c->fields ? cli_split_list(c->fields) : NULL;
    odoo_search_options o = search_options(c, c->jargs[1]);
    o.fields = (const char *const *)fields;
    o.page_size = c->page_size;
    int rc = c->all || c->format != CLI_FORMAT_JSON ? cli_export(c, p, c->args[0], &o, err)
                                                    : odoo_search_read(out, p, c->args[0], &o, err);
    cli_free_list(fields);
    return rc;
}

static int cmd_search(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    odoo_search_options o = search_options(c, c->jargs[1]);
    return odoo_search(out, p, c->args[0], &o, err);
}

static int cmd_count(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    int64_t n = 0;
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.domain = c->jargs[1];
    o.context = c->context;
    int rc = odoo_search_count(&n, p, c->args[0], &o, err);
    if (rc == 0)
        *out = json_object_new_int64(n);
    return rc;
}

static int cmd_read(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    char **fields = c->fields ? cli_split_list(c->fields) : NULL;
    int rc = odoo_read(out, p, c->args[0], c->jargs[1], (const char *const *)fields, c->context, err);
    cli_free_list(fields);
    return rc;
}

static int cmd_create(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo_create(out, p, c->args[0], c->jargs[1], c->context, err);
}

static int cmd_write(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    int rc = odoo_write(p, c->args[0], c->jargs[1], c->jargs[2], c->context, err);
    if (rc == 0)
        *out = json_object_new_boolean(1);
    return rc;
}

static int cmd_unlink(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    int rc = odoo_unlink(p, c->args[0], c->jargs[1], c->context, err);
    if (rc == 0)
        *out = json_object_new_boolean(1);
    return rc;
}

static int cmd_fields(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    char **fields = c->fields ? cli_split_list(c->fields) : NULL;
    char **attrs = c->attributes ? cli_split_list(c->attributes) : NULL;
    int rc = odoo_fields_get(out, p, c->args[0], (const char *const *)fields, (const char *const *)attrs,
                             c->context, err);
    cli_free_list(fields);
    cli_free_list(attrs);
    return rc;
}

static int cmd_name_search(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo_name_search(out, p, c->args[0], c->nargs > 1 ? c->args[1] : "", c->jargs[2], c->op, c->limit,
                            c->context, err);
}

static int cmd_ref(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    int64_t id = 0;
    char *model = NULL;
    int rc = odoo_ref_model(&id, &model, p, c->args[0], err);
    if (rc)
        return rc;
    *out = json_object_new_object();
    json_object_object_add(*out, "model", model ? json_object_new_string(model) : NULL);
    json_object_object_add(*out, "id", json_object_new_int64(id));
    odoo_free(model);
    return 0;
}

static int cmd_db_list(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo_db_list(out, p, err);
}

static int cmd_proxy_about(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo_odxproxy_about(out, p, err);
}

static int cmd_proxy_license(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo_odxproxy_license(out, p, err);
}

static int cmd_proxy_metrics(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    char *text = NULL;
    int rc = odoo_odxproxy_metrics(&text, p, err);
    if (rc)
        return rc;
    /* stdout holds one JSON document: the Prometheus text as a string */
    *out = json_object_new_object();
    json_object_object_add(*out, "metrics", json_object_new_string(text));
    free(text);
    return 0;
}

static int cmd_proxy_version(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo_odxproxy_odoo_version(out, p, c->v2 ? 2 : 1, err);
}

#define CTX F_CONTEXT
const command cli_commands[] = {
    { "version", "", "server version, the protocol in use and why", 0, 0, "", 1, 0, 0,
      "  odoo-rpc --url https://erp.example.com version\n"
      "  odoo-rpc --protocol xmlrpc version          # what XML-RPC says\n",
      cmd_version },
    { "login", "", "log in: {\"uid\": N, \"protocol\": ...}", 0, 0, "", 1, 0, 0,
      "  ODOO_PASSWORD=... odoo-rpc -d prod -u admin login\n"
      "  odoo-rpc --profile prod --protocol jsonrpc login   # open a web session\n",
      cmd_login },
    { "protocols", "", "which protocols the server answers (no login)", 0, 0, "", 0, 0, 0,
      "  odoo-rpc --url https://erp.example.com protocols\n"
      "  odoo-rpc -v protocols          # each probe on stderr\n",
      cmd_protocols },
    { "call", "MODEL METHOD [ARGS [KWARGS]] [--ids IDS]", "any method: model.browse(IDS).METHOD(*ARGS, **KWARGS)",
      2, 4, "ssao", 1, 0, F_IDS | CTX,
      "  odoo-rpc call res.partner name_search '[\"Az\"]' '{\"limit\": 5}'\n"
      "  odoo-rpc call --ids 7,8 res.partner read '[[\"name\"]]'\n"
      "  odoo-rpc call res.partner search_count @domain.json   # ARGS from a file\n",
      cmd_call },
    { "search-read",
      "MODEL [DOMAIN] [--fields a,b] [--limit N] [--offset N] [--order SPEC] [--all [--page-size N] [--count]] "
      "[--format json|ndjson|csv]",
      "records matching a domain", 1, 2, "sd", 1, 0, F_FIELDS | F_LIMIT | F_OFFSET | F_ORDER | F_EXPORT | CTX,
      "  odoo-rpc search-read res.partner '[[\"is_company\", \"=\", true]]' --fields name,email --limit 5\n"
      "  odoo-rpc search-read res.partner '[]' --all --format csv --fields name,email,country_id > partners.csv\n"
      "  odoo-rpc search-read sale.order '[]' --all --count --format ndjson > orders.ndjson   # with a progress line\n",
      cmd_search_read },
    { "search", "MODEL [DOMAIN] [--limit N] [--offset N] [--order SPEC]", "ids matching a domain", 1, 2, "sd", 1, 0,
      F_LIMIT | F_OFFSET | F_ORDER | CTX,
      "  odoo-rpc search res.partner '[[\"customer_rank\", \">\", 0]]' --limit 10\n"
      "  odoo-rpc search res.partner | odoo-rpc read res.partner - --fields name\n",
      cmd_search },
    { "count", "MODEL [DOMAIN]", "number of records matching a domain", 1, 2, "sd", 1, 0, CTX,
      "  odoo-rpc count res.partner                      # DOMAIN [] : every record\n"
      "  odoo-rpc count res.partner '[[\"is_company\", \"=\", true]]'\n",
      cmd_count },
    { "read", "MODEL IDS [--fields a,b]", "records by id", 2, 2, "si", 1, 0, F_FIELDS | CTX,
      "  odoo-rpc read res.partner 7,8 --fields name,email\n"
      "  odoo-rpc read res.partner '[7, 8]'\n",
      cmd_read },
    { "create", "MODEL VALS", "create one record (object) or several (array); prints the id(s)", 2, 2, "sv", 1, 0,
      CTX,
      "  odoo-rpc create res.partner '{\"name\": \"Azure\", \"is_company\": true}'\n"
      "  odoo-rpc create res.partner @partners.json       # [{...}, {...}]: several\n",
      cmd_create },
    { "write", "MODEL IDS VALS", "update records", 3, 3, "sio", 1, 0, CTX,
      "  odoo-rpc write res.partner 7 '{\"phone\": \"+32 2 555 00 00\"}'\n"
      "  odoo-rpc write res.partner 7,8 '{\"active\": false}' --context '{\"lang\": \"fr_BE\"}'\n",
      cmd_write },
    { "unlink", "MODEL IDS", "delete records", 2, 2, "si", 1, 0, CTX,
      "  odoo-rpc unlink res.partner 42\n"
      "  odoo-rpc search res.partner '[[\"name\", \"=like\", \"test-%\"]]' | odoo-rpc unlink res.partner -\n",
      cmd_unlink },
    { "fields", "MODEL [--fields a,b] [--attributes string,type]", "field definitions (fields_get)", 1, 1, "s", 1, 0,
      F_FIELDS | F_ATTRIBUTES | CTX,
      "  odoo-rpc fields res.partner --attributes string,type\n"
      "  odoo-rpc fields res.partner --fields name,email --pretty\n",
      cmd_fields },
    { "name-search", "MODEL [NAME [DOMAIN]] [--operator OP] [--limit N]", "[[id, name], ...] matching a name",
      1, 3, "ssd", 1, 0, F_OPERATOR | F_LIMIT | CTX,
      "  odoo-rpc name-search res.partner Azure --limit 5\n"
      "  odoo-rpc name-search res.country be '[]' --operator '=ilike'\n",
      cmd_name_search },
    { "ref", "XMLID", "the record behind an external ID: {\"model\": ..., \"id\": N}", 1, 1, "s", 1, 0, 0,
      "  odoo-rpc ref base.main_company                 # {\"model\": \"res.company\", \"id\": 1}\n"
      "  odoo-rpc read res.partner $(odoo-rpc ref base.partner_admin | jq .id) --fields name\n",
      cmd_ref },
    { "db-list", "", "the server's databases (no login; refused where list_db is off)", 0, 0, "", 1, 0, 0,
      "  odoo-rpc --url https://erp.example.com db-list\n"
      "  odoo-rpc db-list | jq -r '.[]'\n",
      cmd_db_list },
    { "proxy-about", "", "ODXProxy: the gateway's build and version", 0, 0, "", 1, 1, 0,
      "  odoo-rpc --proxy-url https://gateway.odxproxy.io --proxy-key - proxy-about\n"
      "  ODXPROXY_URL=https://gateway.odxproxy.io ODXPROXY_API_KEY=... odoo-rpc proxy-about\n", cmd_proxy_about },
    { "proxy-license", "", "ODXProxy: the gateway's licence", 0, 0, "", 1, 1, 0,
      "  ODXPROXY_URL=https://gateway.odxproxy.io odoo-rpc proxy-license\n"
      "  odoo-rpc --profile gateway proxy-license --pretty\n", cmd_proxy_license },
    { "proxy-metrics", "", "ODXProxy: the gateway's Prometheus metrics, as {\"metrics\": TEXT}", 0, 0, "", 1, 1, 0,
      "  odoo-rpc proxy-metrics | jq -r .metrics\n"
      "  odoo-rpc --profile gateway proxy-metrics\n", cmd_proxy_metrics },
    { "proxy-version", "[--v2]", "ODXProxy: the version of the Odoo behind the gateway", 0, 0, "", 1, 1, F_V2,
      "  odoo-rpc proxy-version\n"
      "  odoo-rpc proxy-version --v2\n",
      cmd_proxy_version },
    { "help", "[COMMAND]", "this help, or a command's", 0, 1, "s", 0, 0, 0,
      "  odoo-rpc help search-read\n"
      "  odoo-rpc help                    # the same as odoo-rpc --help\n", NULL },
    { NULL, NULL, NULL, 0, 0, NULL, 0, 0, 0, NULL, NULL },
};
