/* odoo-rpc: shared declarations of the command-line tool. */
#ifndef ODOO_CLI_H
#define ODOO_CLI_H

#include <stddef.h>
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

/* Options that only some commands take (command.options is a mask of
 * them); every other option (connection, output) goes with any command. */
enum {
    F_FIELDS = 1u << 0,
    F_ATTRIBUTES = 1u << 1,
    F_ORDER = 1u << 2,
    F_OPERATOR = 1u << 3,
    F_LIMIT = 1u << 4,
    F_OFFSET = 1u << 5,
    F_V2 = 1u << 6,
    F_IDS = 1u << 7,
    F_CONTEXT = 1u << 8,
    F_EXPORT = 1u << 9      /* --all, --page-size, --format, --count (export.c) */
};

/* --format: how search-read writes its records (export.c). */
typedef enum { CLI_FORMAT_JSON, CLI_FORMAT_NDJSON, CLI_FORMAT_CSV } cli_format;

/* One command-line option. */
typedef struct cli_option {
    const char *name;       /* long name, without "--" */
    char short_name;        /* 0: none */
    int takes_value;
    int id;                 /* what it sets (options.c) */
    unsigned scope;         /* 0: any command; else the F_* bit a command must take */
    int secret;             /* its value is wiped from argv and memory */
    int in_profile;         /* may appear in a profile section */
    const char *metavar;    /* "URL", "SECONDS", ... for help and completion */
} cli_option;

extern const cli_option cli_options[];

typedef struct cli {
    odoo_options opts;
    odoo_protocol_kind kind;
    json_object *context;   /* --context, owned */
    int pretty;
    int verbose;            /* 1: -v, 2: -vv (timings) */
    /* per-command options */
    const char *fields;     /* --fields a,b */
    const char *attributes; /* --attributes a,b */
    const char *order;
    const char *op;         /* --operator */
    const char *ids_text;   /* --ids (call) */
    long limit, offset;
    int v2;                 /* --v2 for proxy-version */
    int all;                /* --all: every record, through odoo_search_read_each */
    long page_size;         /* --page-size (with --all); 0: the library's */
    int count;              /* --count: search_count first, for the progress line */
    cli_format format;      /* --format */
    /* set by a command that wrote its own output (export.c) */
    int printed;            /* the result is on stdout: main prints nothing more */
    int status;             /* non-zero: the error is printed too; the exit status */
    /* positional words after the command */
    const char *cmd;
    const char **args;
    int nargs;
    json_object *ids;       /* --ids parsed, owned */
    json_object *jargs[8];  /* args parsed by the command's argspec (NULL for strings), owned */
} cli;

typedef struct command {
    const char *name;
    const char *usage;      /* arguments, e.g. "MODEL [DOMAIN]" */
    const char *help;       /* one line */
    int min_args, max_args;
    /* One letter per argument, checked before connecting: s string,
     * d domain (JSON array), a JSON array, o JSON object, v object or
     * array of objects, i record ids (1,2,3 or a JSON array). */
    const char *argspec;
    int needs_connection;
    int gateway;            /* ODXProxy ops: always through the gateway */
    unsigned options;       /* F_* the command takes */
    const char *examples;   /* lines "  odoo-rpc ...   # what" */
    int (*run)(cli *c, odoo_protocol *p, json_object **out, odoo_rpc_error *err);
} command;

extern const command cli_commands[];

/* The command being run, once known: usage errors point at its help. */
extern const command *cli_current;

const command *cli_find_command(const char *name);

/* Usage errors: one JSON object on stderr ({"error": {"kind": "usage",
 * "message", "help": "odoo-rpc CMD --help", ...}}); returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same shape for any error of the tool's own (kind "output": stdout
 * could not be written); help may be NULL. Returns status. */
int cli_local_error(const char *kind, const char *message, const char *help, int status);

/* The closest of names[0..n) to word (edit distance, '_' same as '-'),
 * or NULL when none is close enough for a "did you mean". */
const char *cli_closest(const char *word, const char *const *names, size_t n);

/* The text of a JSON argument: itself, the contents of @FILE, or stdin
 * for "-" / "@-". *owned receives a buffer to free (or NULL). NULL after
 * a usage message. */
const char *cli_arg_text(const char *what, const char *arg, char **owned);

/* Parse a JSON command-line argument (through cli_arg_text); NULL (and a
 * usage message) when it is not one JSON value of the wanted type
 * (json_type_null: any), trailing text included. */
json_object *cli_json_arg(const char *what, const char *text, json_type want);

/* Record ids: "7", "1,2,3", a JSON array, @FILE or -. */
json_object *cli_ids_arg(const char *what, const char *text);

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
/* A warning as one JSON line on stderr ({"warning": "..."}), and in the
 * trace when --verbose. */
void cli_warning(const cli *c, const char *message);

/* search-read's records in c->format (export.c): with c->all through
 * odoo_search_read_each, written as they arrive and never kept (memory
 * stays at one page), else the one odoo_search_read array. Sets
 * c->printed; a progress line goes to stderr when it is a terminal (not
 * with -v, not when stdout is the terminal too). On failure what was
 * written stays (flushed) and the error is the caller's to print, or
 * already printed with c->status set (stdout could not be written). */
int cli_export(cli *c, odoo_protocol *p, const char *model, const odoo_search_options *o, odoo_rpc_error *err);

/* Help texts (help.c). */
void cli_print_help(void);
void cli_print_command_help(const command *cmd);

/* The --verbose trace (trace.c): lines in the order a reader expects
 * (request headers, request body, response), -vv adds one timing line
 * per exchange. cli_trace_flush() before printing anything else. */
void cli_trace(const char *line, void *payload);
void cli_trace_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_trace_flush(void);
void cli_trace_level(int verbose);

/* Options, environment and profiles (options.c): fills c; EXIT_USAGE
 * (message printed) on a bad command line; *help is 1 for --help or
 * `help`, 2 for --version. */
int cli_parse(cli *c, int argc, char **argv, int *help);
/* Wipe and free the secrets the parser copied. */
void cli_parse_free(cli *c);

/* Set by `odoo-rpc __complete`: cli_parse only gathers the connection
 * (no errors, no stdin). */
extern int cli_completing;

/* `odoo-rpc __complete WHAT [WORDS...]` (complete.c): words for the shell
 * completion scripts, one per line. */
int cli_complete(cli *c, const char *what, int argc, char **argv);

#endif
