/* odoo_rpc_error as JSON text, the business grouping, and a heap error for
 * bindings that keep it opaque. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/error_json.h"
#include "error_internal.h"

int odoo_error_is_business(odoo_error_kind kind)
{
    return kind == ODOO_ERR_USER || kind == ODOO_ERR_VALIDATION || kind == ODOO_ERR_MISSING ||
           kind == ODOO_ERR_ACCESS;
}

static int add(json_object *o, const char *key, json_object *v, int may_be_null)
{
    if (!v && !may_be_null)
        return -1;
    if (json_object_object_add(o, key, v) < 0) {
        json_object_put(v);
        return -1;
    }
    return 0;
}

/* A string member, or null (a NULL string, or one json-c cannot take). */
static int add_str(json_object *o, const char *key, const char *s)
{
    if (!s)
        return add(o, key, NULL, 1);
    return add(o, key, json_object_new_string(s), 0);
}

char *odoo_error_to_json(const odoo_rpc_error *err)
{
    static const odoo_rpc_error none = ODOO_RPC_ERROR_INIT;
    if (!err)
        err = &none;
    json_object *o = json_object_new_object();
    if (!o)
        return NULL;
    int bad = 0;
    bad |= add_str(o, "kind", odoo_error_kind_name(err->kind));
    bad |= add(o, "kind_code", json_object_new_int(err->kind), 0);
    bad |= add_str(o, "class", err->error_class);
    bad |= add_str(o, "message", err->kind != ODOO_OK && !err->message ? odoo_strerror(err->kind) : err->message);
    bad |= add(o, "http_status", err->http_status ? json_object_new_int64(err->http_status) : NULL,
               !err->http_status);
    bad |= add(o, "code", json_object_new_int(err->code), 0);
    bad |= add_str(o, "model", err->model);
    bad |= add_str(o, "method", err->method);
    bad |= add(o, "retry_after", err->retry_after >= 0 ? json_object_new_int64(err->retry_after) : NULL,
               err->retry_after < 0);
    bad |= add_str(o, "debug", err->debug);
    bad |= add(o, "business", json_object_new_boolean(odoo_error_is_business(err->kind)), 0);
    bad |= add(o, "transient", json_object_new_boolean(odoo_error_is_transient(err->kind)), 0);
    char *text = NULL;
    if (!bad) {
        size_t len = 0;
        const char *s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
                                                          &len);
        text = s ? odoo__strndup(s, len) : NULL;
    }
    json_object_put(o);
    return text;
}

odoo_rpc_error *odoo_rpc_error_new(void)
{
    odoo_rpc_error *err = malloc(sizeof *err);
    if (err) {
        odoo_rpc_error init = ODOO_RPC_ERROR_INIT;
        *err = init;
    }
    return err;
}

void odoo_rpc_error_free(odoo_rpc_error *err)
{
    if (!err)
        return;
    odoo_rpc_error_clear(err);
    free(err);
}

odoo_error_kind odoo_rpc_error_kind(const odoo_rpc_error *err)
{
    return err ? err->kind : ODOO_OK;
}
