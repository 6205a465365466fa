/* odoo-rpc output: one JSON document on stdout, one JSON error on stderr. */
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
    const char *text = result ? json_object_to_json_string_ext(result, json_flags(c)) : "null";
    fputs(text, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

static void add_string(json_object *o, const char *key, const char *value)
{
    json_object_object_add(o, key, value ? json_object_new_string(value) : NULL);
}

int cli_print_error(const cli *c, const odoo_rpc_error *err)
{
    json_object *doc = json_object_new_object(), *e = json_object_new_object();
    add_string(e, "kind", odoo_error_kind_name(err->kind));
    add_string(e, "class", err->error_class);
    add_string(e, "message", err->message ? err->message : odoo_strerror(err->kind));
    json_object_object_add(e, "http_status", err->http_status ? json_object_new_int64(err->http_status) : NULL);
    json_object_object_add(e, "code", json_object_new_int(err->code));
    add_string(e, "model", err->model);
    add_string(e, "method", err->method);
    if (err->retry_after >= 0)
        json_object_object_add(e, "retry_after", json_object_new_int64(err->retry_after));
    if (c && c->verbose && err->debug)
        add_string(e, "debug", err->debug);
    json_object_object_add(doc, "error", e);
    fputs(json_object_to_json_string_ext(doc, c ? json_flags(c) : JSON_C_TO_STRING_PLAIN), stderr);
    fputc('\n', stderr);
    json_object_put(doc);
    return cli_exit_status(err->kind);
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("odoo-rpc: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'odoo-rpc --help'.\n", stderr);
    return EXIT_USAGE;
}

json_object *cli_json_arg(const char *what, const char *text, json_type want)
{
    json_tokener *tok = json_tokener_new();
    json_object *v = json_tokener_parse_ex(tok, text, (int)strlen(text) + 1);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    json_tokener_free(tok);
    if (jerr != json_tokener_success) {
        cli_usage_error("%s is not valid JSON (%s): %s", what, json_tokener_error_desc(jerr), text);
        json_object_put(v);
        return NULL;
    }
    if (want != json_type_null && !json_object_is_type(v, want)) {
        cli_usage_error("%s must be a JSON %s: %s", what, want == json_type_array ? "array" : "object", text);
        json_object_put(v);
        return NULL;
    }
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
