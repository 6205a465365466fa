/* odoo-rpc help: the global --help and one page per command. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char global_help[] =
    "usage: odoo-rpc [OPTIONS] COMMAND [ARGS] [COMMAND OPTIONS]\n"
    "       odoo-rpc help [COMMAND]\n"
    "\n"
    "Connection (each also read from the environment variable shown, or from a profile):\n"
    "  --url URL              Odoo base URL                         ODOO_URL\n"
    "  -d, --db NAME          database                              ODOO_DB\n"
    "  -u, --user LOGIN       login (only the login, not user:password)   ODOO_USER\n"
    "  --password PW          password (- reads it from stdin)      ODOO_PASSWORD\n"
    "  --api-key KEY          API key (- reads it from stdin)       ODOO_API_KEY\n"
    "  --protocol P           auto|xmlrpc|jsonrpc|jsonrpc-stateless|json2|odxproxy   ODOO_PROTOCOL\n"
    "  --prefer P             compat|throughput (for auto)\n"
    "  --profile NAME         a section of ~/.config/odoo-rpc/config   ODOO_PROFILE\n"
    "  -m, --timeout SECONDS  whole-call timeout, 0.001 to 86400, ms resolution (default 120)   ODOO_TIMEOUT\n"
    "  --connect-timeout SECONDS  connection set-up timeout (default 10)\n"
    "  -k, --insecure         do not verify TLS certificates (a warning says so)\n"
    "  --ca-file FILE         verify TLS with these CA certificates (also --cacert)\n"
    "  --ca-path DIR          verify TLS with this directory of hashed CA certificates (also --capath)\n"
    "  --cert FILE            a client certificate (PEM), for a proxy that requires one\n"
    "  --key FILE             its private key (PEM, not encrypted; default: in --cert)\n"
    "  --max-response BYTES   refuse larger answers (K, M, G suffixes; default 64M)\n"
    "  -A, --user-agent TEXT  User-Agent header (default libodoo/VERSION)\n"
    "  --context JSON         context merged into every call, e.g. '{\"lang\": \"fr_BE\"}'\n"
    "  --proxy-url URL        ODXProxy gateway URL                  ODXPROXY_URL\n"
    "  --proxy-key KEY        ODXProxy key (- reads it from stdin)  ODXPROXY_API_KEY\n"
    "  --user-id N            Odoo uid for the gateway              ODXPROXY_USER_ID\n"
    "Output:\n"
    "  --pretty               indent the JSON output\n"
    "  -v, --verbose          show each HTTP exchange on stderr (secrets masked); -vv adds timings\n"
    "  -h, --help, -V, --version\n"
    "Options take their value as --opt VALUE or --opt=VALUE, short ones as -u VALUE or -uVALUE;\n"
    "-- ends the options. Precedence: command line, then a profile named by --profile or\n"
    "ODOO_PROFILE, then the environment, then the profile [default].\n"
    "\n"
    "Commands (odoo-rpc COMMAND --help for details):\n";

static const char exit_help[] =
    "\nExit status: 0 ok, 1 Odoo error (access, validation, user, missing, not found),\n"
    "2 usage, 3 authentication, 4 transport (connect, DNS, timeout, TLS), 5 protocol or server error.\n"
    "Errors are printed on stderr as {\"error\": {\"kind\", \"class\", \"message\", \"http_status\",\n"
    "\"code\", \"model\", \"method\"}}.\n";

void cli_print_help(void)
{
    fputs(global_help, stdout);
    for (const command *cmd = cli_commands; cmd->name; cmd++)
        printf("  %-13s %s\n", cmd->name, cmd->help);
    fputs(exit_help, stdout);
}

/* The argument forms, explained once for every command that takes them. */
static const struct {
    char letter;
    const char *name;
    const char *text;
} arg_help[] = {
    { 'd', "DOMAIN",
      "  DOMAIN   which records: a list of conditions (field, operator, value), joined by AND\n"
      "           unless '|' or '!' come first, as JSON or as a Python literal (what Odoo code\n"
      "           writes: tuples, 'quotes', True/False/None); default [] (every record).\n"
      "           '[[\"is_company\", \"=\", true], [\"name\", \"ilike\", \"az\"]]'\n"
      "           \"[('is_company', '=', True), '|', ('email', '=', False), ('phone', '=', False)]\"\n" },
    { 'i', "IDS",
      "  IDS      record ids: 7, 1,2,3 or a list [1, 2, 3] (what `search` prints).\n" },
    { 'a', "ARGS",
      "  ARGS     the positional arguments, as a list: '[[[\"is_company\", \"=\", true]]]' is\n"
      "           one argument, a domain. Default [].\n" },
    { 'o', "KWARGS",
      "  KWARGS   keyword arguments, as a dict: '{\"fields\": [\"name\"], \"limit\": 5}'.\n"
      "           Default {}. A \"context\" key is merged with --context.\n" },
    { 'v', "VALS",
      "  VALS     field values: a dict '{\"name\": \"Azure\", \"is_company\": true}', or for\n"
      "           create a list of dicts to create several records.\n" },
};

static const char json_from_files[] =
    "  A JSON argument (DOMAIN, ARGS, KWARGS, VALS, IDS, --context) is JSON or a Python literal\n"
    "  (integers up to 64 bits, UTF-8 text, one value); it may also be @FILE (read from the file)\n"
    "  or - (read from stdin), as in curl: `odoo-rpc search ... | odoo-rpc read MODEL -`.\n";

static const struct {
    unsigned bit;
    const char *text;
} option_help[] = {
    { F_IDS, "  --ids IDS              the records the method runs on (model.browse(IDS).METHOD(...))\n" },
    { F_FIELDS, "  --fields a,b           only these fields\n" },
    { F_ATTRIBUTES, "  --attributes a,b       only these attributes of each field (string, type, ...)\n" },
    { F_LIMIT, "  --limit N              at most N results (0: no limit)\n" },
    { F_OFFSET, "  --offset N             skip the first N results\n" },
    { F_ORDER, "  --order SPEC           sort, e.g. 'name desc, id'\n" },
    { F_OPERATOR, "  --operator OP          how NAME matches (default ilike)\n" },
    { F_EXPORT,
      "  --all                  every matching record, fetched page by page in id order and written\n"
      "                         as it arrives (memory stays at one page); --limit N stops after N,\n"
      "                         --offset N skips N, --order only 'id'. A failure midway prints the\n"
      "                         error after the records written so far (a flushed prefix: whole records\n"
      "                         for ndjson and csv; for json an array that is not closed)\n"
      "  --page-size N          records per request with --all (default 1000)\n"
      "  --count                with --all: count the records first (search_count) for the progress line\n"
      "  --format FMT           json (default: one array; with --all one record a line, --pretty only\n"
      "                         without --all), ndjson (one compact record a line) or csv (RFC 4180,\n"
      "                         LF line ends, a header row; below)\n" },
    { F_V2, "  --v2                   ask the gateway's v2 API\n" },
    { F_CONTEXT, "  --context JSON         context for this call, e.g. '{\"lang\": \"fr_BE\"}'\n" },
};

static const char export_help[] =
    "\nCSV columns: --fields in that order, id first unless listed; without --fields the first\n"
    "record's keys, in the server's order. Cells follow the field types (one fields_get call):\n"
    "many2one as two columns, FIELD (the display name) and FIELD_id (the id), both empty when\n"
    "unset; one2many and many2many as the ids joined by \",\"; boolean as true/false; any other\n"
    "field that is false (Odoo's empty) as an empty cell; numbers as JSON writes them; text as\n"
    "is (UTF-8); json and properties fields as compact JSON. A cell with a comma, a quote or a\n"
    "line break is quoted, its quotes doubled.\n"
    "With --all a progress line (records, records/s, of the --count total) goes to stderr when\n"
    "it is a terminal and stdout is not, and not with -v. stdout is flushed every page; a failed\n"
    "write to it stops with {\"error\": {\"kind\": \"output\", ...}} and exit status 4.\n";

void cli_print_command_help(const command *cmd)
{
    printf("usage: odoo-rpc [OPTIONS] %s%s%s\n\n%s.\n", cmd->name, *cmd->usage ? " " : "", cmd->usage,
           cmd->help);
    int json_args = 0;
    char seen[8] = "";
    for (const char *a = cmd->argspec; *a; a++) {
        if (strchr(seen, *a))
            continue;
        size_t n = strlen(seen);
        if (n + 1 < sizeof(seen))
            seen[n] = *a, seen[n + 1] = '\0';
        for (size_t i = 0; i < sizeof(arg_help) / sizeof(arg_help[0]); i++)
            if (arg_help[i].letter == *a) {
                if (!json_args)
                    fputs("\nArguments:\n", stdout);
                fputs(arg_help[i].text, stdout);
                json_args = 1;
            }
    }
    if (cmd->options & F_IDS) {
        if (!json_args)
            fputs("\nArguments:\n", stdout);
        fputs(arg_help[1].text, stdout);
        json_args = 1;
    }
    if (json_args)
        fputs(json_from_files, stdout);
    if (cmd->options) {
        fputs("\nOptions of this command (the connection and output options of odoo-rpc --help go with\n"
              "every command; any other is refused):\n", stdout);
        for (size_t i = 0; i < sizeof(option_help) / sizeof(option_help[0]); i++)
            if (cmd->options & option_help[i].bit)
                fputs(option_help[i].text, stdout);
    } else {
        fputs("\nThis command takes the connection and output options of odoo-rpc --help, no others.\n",
              stdout);
    }
    if (cmd->options & F_EXPORT)
        fputs(export_help, stdout);
    if (cmd->examples)
        printf("\nExamples:\n%s", cmd->examples);
    fputs(exit_help, stdout);
}
