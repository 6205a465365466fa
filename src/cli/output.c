/* odoo-rpc output: one JSON document on stdout, one JSON error on stderr. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_exit_status(odoo_error_kind kind)
{
    switch (kind) {
    case ODOO_OK:
        return EXIT_OK;
    case ODOO_ERR_ACCESS:
    case ODOO_ERR_VALIDATION:
    case ODOO_ERR_USER:
    case ODOO_ERR_MISSING:
    case ODOO_ERR_NOT_FOUND:
    case ODOO_ERR_CONFLICT:
    case ODOO_ERR_INVALID_ARGUMENT:
        return EXIT_ODOO;
    case ODOO_ERR_AUTH:
    case ODOO_ERR_SESSION_EXPIRED:
    case ODOO_ERR_PROXY_AUTH:
    case ODOO_ERR_PROXY_LICENSE:
        return EXIT_AUTH;
    case ODOO_ERR_CONNECT:
    case ODOO_ERR_DNS:
    case ODOO_ERR_TIMEOUT:
    case ODOO_ERR_TLS:
    case ODOO_ERR_NETWORK:
    case ODOO_ERR_RATE_LIMITED:
    case ODOO_ERR_PROXY_TIMEOUT:
    case ODOO_ERR_PROXY_UNREACHABLE:
    case ODOO_ERR_UNAVAILABLE:
        return EXIT_TRANSPORT;
    default:
        return EXIT_SERVER;
    }
}

static int json_flags(const cli *c)
{
    return (c->pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN) |
           JSON_C_TO_STRING_NOSLASHESCAPE;
}

void cli_print_result(const cli *c, json_object *result)
{
    /* A None result prints as null: stdout always holds one JSON document. */
    cli_trace_flush();
    const char *text = result ? json_object_to_json_string_ext(result, json_flags(c)) : "null";
    fputs(text, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

static void add_string(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, value ? json_object_new_string(value) : NULL);
}

/* The library names its own knobs (options.db); a shell user has --db and
 * ODOO_DB. Longest first, so "options.user_id, --user-id" wins over
 * "options.user_id". */
static const char *const renames[][2] = {
    { "options.user_id, --user-id", "--user-id or ODXPROXY_USER_ID" },
    { "options.proxy_api_key", "--proxy-key or ODXPROXY_API_KEY" },
    { "options.max_response_bytes", "--max-response" },
    { "options.connect_timeout_ms", "--connect-timeout" },
    { "options.proxy_url", "--proxy-url or ODXPROXY_URL" },
    { "options.user_agent", "--user-agent" },
    { "options.timeout_ms", "--timeout or ODOO_TIMEOUT" },
    { "options.password", "--password or ODOO_PASSWORD" },
    { "options.api_key", "--api-key or ODOO_API_KEY" },
    { "options.user_id", "--user-id or ODXPROXY_USER_ID" },
    { "options.context", "--context" },
    { "options.ca_file", "--ca-file" },
    { "options.ca_path", "--ca-path" },
    { "options.cert_file", "--cert" },
    { "options.key_file", "--key" },
    { "options.login", "--user or ODOO_USER" },
    { "options.url", "--url or ODOO_URL" },
    { "options.db", "--db or ODOO_DB" },
    { "pass the record ids as ids", "pass the record ids with --ids" },
    { "as keyword arguments (kwargs)", "as keyword arguments (call MODEL METHOD '[]' KWARGS, record ids with --ids)" },
};

static char *cli_message(const char *msg)
{
    size_t cap = strlen(msg) * 2 + 256, len = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = msg; *p;) {
        size_t i, n = 0;
        for (i = 0; i < sizeof(renames) / sizeof(renames[0]); i++) {
            n = strlen(renames[i][0]);
            /* whole names only: options.db, not options.dbfilter */
            if (strncmp(p, renames[i][0], n) == 0 && !(isalnum((unsigned char)p[n]) || p[n] == '_'))
                break;
        }
        const char *piece = i < sizeof(renames) / sizeof(renames[0]) ? renames[i][1] : p;
        size_t plen = piece == p ? 1 : strlen(piece);
        if (len + plen + 1 > cap) {
            char *bigger = realloc(out, cap = (len + plen + 1) * 2);
            if (!bigger) {
                free(out);
                return NULL;
            }
            out = bigger;
        }
        memcpy(out + len, piece, plen);
        len += plen;
        p += piece == p ? 1 : n;
    }
    out[len] = '\0';
    return out;
}

/* What to do about a failed login: two-factor accounts need an API key. */
static const char *auth_hint(const cli *c, const odoo_rpc_error *err)
{
    if (err->kind != ODOO_ERR_AUTH || !c)
        return NULL;
    const char *m = err->message ? err->message : "";
    if (strstr(m, "2FA") || strstr(m, "second factor"))
        return "this account has two-factor authentication: a password cannot log in over RPC. Create an API key "
               "(Odoo: Preferences > Account Security > New API Key) and give it with --api-key - or "
               "ODOO_API_KEY: json2 (Odoo 19+), xmlrpc and jsonrpc-stateless take it; the web session "
               "(jsonrpc) takes passwords only";
    int has_key = c->opts.api_key && *c->opts.api_key;
    if (has_key && c->kind == ODOO_PROTOCOL_JSONRPC)
        return "the web session (jsonrpc) takes a password, not an API key: use json2, xmlrpc or "
               "jsonrpc-stateless with a key";
    if (!has_key)
        return "with two-factor authentication a password cannot log in over RPC: use an API key (--api-key - "
               "or ODOO_API_KEY) with json2, xmlrpc or jsonrpc-stateless";
    return NULL;
}

int cli_print_error(const cli *c, const odoo_rpc_error *err)
{
    cli_trace_flush();
    json_object *doc = json_object_new_object(), *e = json_object_new_object();
    char *msg = cli_message(err->message ? err->message : odoo_strerror(err->kind));
    add_string(e, "kind", odoo_error_kind_name(err->kind));
    add_string(e, "class", err->error_class);
    add_string(e, "message", msg ? msg : err->message);
    free(msg);
    json_object_object_add(e, "http_status", err->http_status ? json_object_new_int64(err->http_status) : NULL);
    json_object_object_add(e, "code", json_object_new_int(err->code));
    add_string(e, "model", err->model);
    add_string(e, "method", err->method);
    if (err->retry_after >= 0)
        json_object_object_add(e, "retry_after", json_object_new_int64(err->retry_after));
    const char *hint = auth_hint(c, err);
    if (hint)
        add_string(e, "hint", hint);
    if (c && c->verbose && err->debug)
        add_string(e, "debug", err->debug);
    json_object_object_add(doc, "error", e);
    fputs(json_object_to_json_string_ext(doc, c ? json_flags(c) : JSON_C_TO_STRING_PLAIN), stderr);
    fputc('\n', stderr);
    json_object_put(doc);
    return cli_exit_status(err->kind);
}

void cli_warning(const cli *c, const char *message)
{
    cli_trace_flush();
    json_object *doc = json_object_new_object();
    add_string(doc, "warning", message);
    fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), stderr);
    fputc('\n', stderr);
    json_object_put(doc);
    if (c && c->verbose)
        cli_trace_note("* warning: %s", message);
}

/* An error of the tool's own (kind "usage", "output"), in the shape of
 * every other error on stderr; help (or NULL) says where to read more. */
int cli_local_error(const char *kind, const char *message, const char *help, int status)
{
    cli_trace_flush();
    json_object *doc = json_object_new_object(), *e = json_object_new_object();
    add_string(e, "kind", kind);
    add_string(e, "class", NULL);
    add_string(e, "message", message);
    json_object_object_add(e, "http_status", NULL);
    json_object_object_add(e, "code", json_object_new_int(0));
    add_string(e, "model", NULL);
    add_string(e, "method", NULL);
    if (help)
        add_string(e, "help", help);
    json_object_object_add(doc, "error", e);
    fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), stderr);
    fputc('\n', stderr);
    json_object_put(doc);
    return status;
}

/* Same shape as every other error, kind "usage", plus where to read more. */
int cli_usage_error(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    char help[96];
    if (cli_current)
        snprintf(help, sizeof(help), "odoo-rpc %s --help", cli_current->name);
    else
        snprintf(help, sizeof(help), "odoo-rpc --help");
    return cli_local_error("usage", msg, help, EXIT_USAGE);
}

/* Optimal string alignment distance (a swap of two letters costs 1). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            char x = a[i - 1] == '_' ? '-' : (char)tolower((unsigned char)a[i - 1]);
            char y = b[j - 1] == '_' ? '-' : (char)tolower((unsigned char)b[j - 1]);
            size_t cost = x != y, v = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

const char *cli_closest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = 99, wl = strlen(word);
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, names[i]);
        /* a unique-looking prefix ("--lim") is as good as one typo */
        if (wl >= 3 && strncmp(word, names[i], wl) == 0 && d > 1)
            d = 1;
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    size_t limit = wl <= 4 ? 1 : wl <= 8 ? 2 : 3;
    return best && best_d <= limit ? best : NULL;
}

/* JSON or the Python literal form (odoo_literal_parse; a DOMAIN also
 * through odoo_domain_parse for its shape), so what Odoo code and forum
 * answers write works as is. The parser refuses what JSON would clamp or
 * let through (integers beyond 64 bits, invalid UTF-8, text after the
 * value: "[A] [B]" must not run as [A]) and names the offset. */
json_object *cli_json_arg(const char *what, const char *arg, json_type want)
{
    char *owned = NULL;
    const char *text = cli_arg_text(what, arg, &owned);
    if (!text)
        return NULL;
    const char *shown = owned ? arg : text, *p = text;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (!*p) {
        cli_usage_error("%s is empty: %s", what, shown);
        free(owned);
        return NULL;
    }
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_object *v = NULL;
    int rc = strcmp(what, "DOMAIN") == 0 ? odoo_domain_parse(&v, text, &err) : odoo_literal_parse(&v, text, &err);
    if (rc) {
        /* the parser's message starts "literal: " or "domain: " */
        const char *why = err.message ? err.message : odoo_strerror(err.kind), *colon = strstr(why, ": ");
        if (colon && (strncmp(why, "literal: ", 9) == 0 || strncmp(why, "domain: ", 8) == 0))
            why = colon + 2;
        cli_usage_error("%s is not valid JSON or a Python literal (%s): %s", what, why, shown);
        odoo_rpc_error_clear(&err);
        free(owned);
        return NULL;
    }
    if (want != json_type_null && !json_object_is_type(v, want)) {
        cli_usage_error("%s must be a JSON %s: %s", what,
                        want == json_type_array ? "array or a Python list" : "object or a Python dict", shown);
        json_object_put(v);
        free(owned);
        return NULL;
    }
    if (!v) { /* null / None where any value goes (VALS): the caller says what it wants */
        cli_usage_error("%s is null: %s", what, shown);
        free(owned);
        return NULL;
    }
    free(owned);
    return v;
}

char **cli_split_list(const char *text)
{
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ',';
    char **list = calloc(n + 1, sizeof(char *));
    size_t i = 0;
    const char *start = text;
    for (const char *p = text;; p++) {
        if (*p == ',' || *p == '\0') {
            size_t len = (size_t)(p - start);
            while (len && *start == ' ')
                start++, len--;
            while (len && start[len - 1] == ' ')
                len--;
            if (len)
                list[i++] = strndup(start, len);
            if (!*p)
                break;
            start = p + 1;
        }
    }
    list[i] = NULL;
    return list;
}

void cli_free_list(char **list)
{
    for (char **p = list; p && *p; p++)
        free(*p);
    free(list);
}
