/* odoo-rpc: shared declarations of the command-line tool. */
#ifndef ODOO_CLI_H
#define ODOO_CLI_H

#include <json-c/json.h>
#include <odoo.h>

/* Exit statuses (documented in --help and the README). */
enum {
    EXIT_OK = 0,
    EXIT_ODOO = 1,       /* an Odoo error: access, validation, user, missing, not found */
    EXIT_USAGE = 2,      /* bad command line */
    EXIT_AUTH = 3,       /* authentication */
    EXIT_TRANSPORT = 4,  /* connect, DNS, timeout, TLS, network, rate limit */
    EXIT_SERVER = 5      /* protocol or server error */
};

typedef struct cli {
    odoo_options opts;
    odoo_protocol_kind kind;
    json_object *context;   /* --context, owned */
    int pretty;
    int verbose;
    /* per-command options */
    const char *fields;     /* --fields a,b */
    const char *attributes; /* --attributes a,b */
    const char *order;
    const char *op;         /* --operator */
    long limit, offset;
    int v2;                 /* --v2 for proxy-version */
    /* positional words after the command */
    const char *cmd;
    const char **args;
    int nargs;
    json_object *jargs[8];  /* args parsed by the command's argspec (NULL for strings) */
} cli;

typedef struct command {
    const char *name;
    const char *usage;      /* arguments, e.g. "MODEL [DOMAIN_JSON]" */
    const char *help;       /* one line */
    int min_args, max_args;
    /* One letter per argument, checked before connecting: s string,
     * d domain (JSON array), a JSON array, o JSON object, v object or
     * array of objects, i record ids (1,2,3 or a JSON array). */
    const char *argspec;
    int needs_connection;
    int gateway;            /* ODXProxy ops: always through the gateway */
    int (*run)(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err);
} command;

extern const command cli_commands[];

/* Usage errors: print "odoo-rpc: <message>" and a hint, return EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...);

/* Parse a JSON command-line argument; NULL (and a usage message) when it
 * is not valid JSON of the wanted type (json_type_null: any). */
json_object *cli_json_arg(const char *what, const char *text, json_type want);

/* Parse c->args by the command's argspec into c->jargs; EXIT_USAGE
 * (message printed) when one is malformed. */
int cli_parse_args(cli *c, const command *cmd);

/* "a,b,c" -> NULL-terminated array (free with cli_free_list). */
char **cli_split_list(const char *text);
void cli_free_list(char **list);

/* Print a result on stdout, an error on stderr; the exit status of an error. */
void cli_print_result(const cli *c, json_object *result);
int cli_print_error(const cli *c, const odoo_rpc_error *err);
int cli_exit_status(odoo_error_kind kind);

#endif
