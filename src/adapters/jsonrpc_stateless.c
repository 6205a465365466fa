/* Stateless JSON-RPC: POST /jsonrpc with {service, method, args}; the
 * same calls as XML-RPC, credentials in every call, no session. */
#include <json-c/json.h>

#include "../core/auth.h"
#include "../core/callconv.h"
#include "../core/envelope.h"
#include "../core/value.h"
#include "../errors/error_internal.h"
#include "adapters.h"

typedef struct {
    odoo_protocol base;
    const char *secret;   /* borrowed from base: the key or password that logged in */
} stateless;

/* Call service.method(*args) where args is owned (consumed). */
static int service_call(odoo_protocol *p, const char *service, const char *method, json_object *args,
                        json_object **out, odoo_rpc_error *err)
{
    json_object *params = json_object_new_object();
    if (!args || !params || odoo__object_add(params, "service", json_object_new_string(service)) ||
        odoo__object_add(params, "method", json_object_new_string(method)) ||
        odoo__object_add(params, "args", args)) {
        if (!params)
            json_object_put(args);
        json_object_put(params);
        return odoo__error_nomem(err);
    }
    int rc = odoo__jsonrpc_call(p, "/jsonrpc", params, out, err);
    json_object_put(params);
    return rc;
}

static int try_login(odoo_protocol *p, const char *secret, long *uid, odoo_rpc_error *err)
{
    *uid = 0;
    json_object *args = json_object_new_array();
    if (args && (odoo__array_add(args, json_object_new_string(p->db)) ||
                 odoo__array_add(args, json_object_new_string(p->login)) ||
                 odoo__array_add(args, json_object_new_string(secret)) ||
                 odoo__array_add(args, json_object_new_object()))) {
        json_object_put(args);
        return odoo__error_nomem(err);
    }
    json_object *res = NULL;
    int rc = service_call(p, "common", "authenticate", args, &res, err);
    if (rc == 0 && json_object_is_type(res, json_type_int))
        *uid = (long)json_object_get_int64(res);
    json_object_put(res);
    return rc;
}

static int stateless_authenticate(odoo_protocol *p, odoo_rpc_error *err)
{
    return odoo__login_key_then_password(p, try_login, &((stateless *)p)->secret, err);
}

static int stateless_execute(odoo_protocol *p, const odoo_call_spec *call, json_object **out, odoo_rpc_error *err)
{
    json_object *args, *kwargs;
    int rc = odoo__call_positional(call, &args, &kwargs, err);
    if (rc != 0)
        return rc;
    json_object *wire = json_object_new_array_ext(7);
    if (!wire || odoo__array_add(wire, json_object_new_string(p->db)) ||
        odoo__array_add(wire, json_object_new_int64(p->uid)) ||
        odoo__array_add(wire, json_object_new_string(((stateless *)p)->secret)) ||
        odoo__array_add(wire, json_object_new_string(call->model)) ||
        odoo__array_add(wire, json_object_new_string(call->method))) {
        json_object_put(wire);
        json_object_put(args);
        json_object_put(kwargs);
        return odoo__error_nomem(err);
    }
    /* execute_kw's kwargs are optional: leave out an empty one, as
     * Python clients do. */
    int bad = odoo__array_add(wire, args);
    if (json_object_object_length(kwargs) > 0)
        bad |= odoo__array_add(wire, kwargs);
    else
        json_object_put(kwargs);
    if (bad) {
        json_object_put(wire);
        return odoo__error_nomem(err);
    }
    return service_call(p, "object", "execute_kw", wire, out, err);
}

static int stateless_version_info(odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return service_call(p, "common", "version", json_object_new_array(), out, err);
}

const odoo_protocol_ops odoo__jsonrpc_stateless_ops = {
    ODOO_PROTOCOL_OPS_VERSION, "jsonrpc-stateless", ODOO_PROTOCOL_JSONRPC_STATELESS,
    ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_INT64 | ODOO_CAP_NONE_VALUE | ODOO_CAP_DB_LIST | ODOO_CAP_API_KEY |
        ODOO_CAP_PASSWORD,
    sizeof(stateless),
    NULL, stateless_authenticate, stateless_execute, stateless_version_info, NULL,
};
