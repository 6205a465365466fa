/* odoo-rpc commands: each maps its words onto one library call. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Record ids as "[1,2]", "1,2,3" or "7". NULL after a usage message. */
static json_object *ids_arg(const char *text)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '[')
        return cli_json_arg("IDS", text, json_type_array);
    json_object *ids = json_object_new_array();
    char *end;
    for (;;) {
        long v = strtol(p, &end, 10);
        if (end == p || v <= 0)
            break;
        json_object_array_add(ids, json_object_new_int64(v));
        p = end;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0')
            return ids;
        if (*p != ',')
            break;
        p++;
    }
    json_object_put(ids);
    cli_usage_error("IDS must be positive integers like 1,2,3 or a JSON array: %s", text);
    return NULL;
}

int cli_parse_args(cli *c, const command *cmd)
{
    static const char *names[] = { "first argument", "second argument", "third argument", "fourth argument" };
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
            v = cli_json_arg(what, c->args[i], json_type_array);
            break;
        case 'o':
            v = cli_json_arg(what, c->args[i], json_type_object);
            break;
        case 'i':
            v = ids_arg(c->args[i]);
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
    long uid = 0;
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
    return odoo_execute_kw(out, p, c->args[0], c->args[1], c->jargs[2], c->jargs[3], c->context, err);
}

static int cmd_search_read(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    char **fields = c->fields ? cli_split_list(c->fields) : NULL;
    int rc = odoo_search_read(out, p, c->args[0], c->jargs[1], (const char *const *)fields, c->offset, c->limit,
                              c->order, c->context, err);
    cli_free_list(fields);
    return rc;
}

static int cmd_search(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo_search(out, p, c->args[0], c->jargs[1], c->offset, c->limit, c->order, c->context, err);
}

static int cmd_count(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    long long n = 0;
    int rc = odoo_search_count(&n, p, c->args[0], c->jargs[1], c->context, err);
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

const command cli_commands[] = {
    { "version", "", "server version, the protocol in use and why", 0, 0, "", 1, 0, cmd_version },
    { "login", "", "log in: {\"uid\": N, \"protocol\": ...}", 0, 0, "", 1, 0, cmd_login },
    { "protocols", "", "which protocols the server answers (no login)", 0, 0, "", 0, 0, cmd_protocols },
    { "call", "MODEL METHOD [ARGS_JSON [KWARGS_JSON]]", "execute_kw: any method, args as a JSON array", 2, 4, "ssao", 1, 0,
      cmd_call },
    { "search-read", "MODEL [DOMAIN_JSON] [--fields a,b] [--limit N] [--offset N] [--order SPEC]",
      "records matching a domain", 1, 2, "sd", 1, 0, cmd_search_read },
    { "search", "MODEL [DOMAIN_JSON] [--limit N] [--offset N] [--order SPEC]", "ids matching a domain", 1, 2, "sd", 1, 0,
      cmd_search },
    { "count", "MODEL [DOMAIN_JSON]", "number of records matching a domain", 1, 2, "sd", 1, 0, cmd_count },
    { "read", "MODEL IDS [--fields a,b]", "records by id (IDS: 1,2,3 or [1,2,3])", 2, 2, "si", 1, 0, cmd_read },
    { "create", "MODEL VALS_JSON", "create one record (object) or several (array); prints the id(s)", 2, 2, "sv", 1, 0,
      cmd_create },
    { "write", "MODEL IDS VALS_JSON", "update records", 3, 3, "sio", 1, 0, cmd_write },
    { "unlink", "MODEL IDS", "delete records", 2, 2, "si", 1, 0, cmd_unlink },
    { "fields", "MODEL [--fields a,b] [--attributes string,type]", "field definitions (fields_get)", 1, 1, "s", 1, 0,
      cmd_fields },
    { "name-search", "MODEL [NAME [DOMAIN_JSON]] [--operator OP] [--limit N]", "[[id, name], ...] matching a name",
      1, 3, "ssd", 1, 0, cmd_name_search },
    { "proxy-about", "", "ODXProxy: the gateway's build and version", 0, 0, "", 1, 1, cmd_proxy_about },
    { "proxy-license", "", "ODXProxy: the gateway's licence", 0, 0, "", 1, 1, cmd_proxy_license },
    { "proxy-metrics", "", "ODXProxy: the gateway's Prometheus metrics, as {\"metrics\": TEXT}", 0, 0, "", 1, 1,
      cmd_proxy_metrics },
    { "proxy-version", "[--v2]", "ODXProxy: the version of the Odoo behind the gateway", 0, 0, "", 1, 1,
      cmd_proxy_version },
    { NULL, NULL, NULL, 0, 0, NULL, 0, 0, NULL },
};
