/* Stateless JSON-RPC: POST /jsonrpc with {service, method, args}; the
 * same calls as XML-RPC, credentials in every call, no session. */
#include <json-c/json.h>

#include "../core/auth.h"
#include "../core/callconv.h"
#include "../core/envelope.h"
#include "../core/jsonbuf.h"
#include "../core/value.h"
#include "../errors/error_internal.h"
#include "adapters.h"

typedef struct {
    odoo_protocol base;
    const char *secret;   /* borrowed from base: the key or password that logged in */
    odoo_jsonbuf body;    /* request bodies, reused (wiped after each: they hold the secret) */
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
    /* Straight into our buffer (wiped after the send), never into json-c
     * objects: their strings and print buffers are freed unwiped. */
    odoo_jsonbuf *b = &((stateless *)p)->body;
    odoo__jsonrpc_begin(b);
    odoo__jb_lit(b, "{\"service\":\"common\",\"method\":\"authenticate\",\"args\":[");
    odoo__jb_str(b, p->db);
    odoo__jb_lit(b, ",");
    odoo__jb_str(b, p->login);
    odoo__jb_lit(b, ",");
    odoo__jb_str(b, secret);
    odoo__jb_lit(b, ",{}]}");
    json_object *res = NULL;
    int rc = odoo__jsonrpc_send(p, b, "/jsonrpc", &res, err);
    if (rc == 0 && json_object_is_type(res, json_type_int))
        *uid = (long)json_object_get_int64(res);
    json_object_put(res);
    return rc;
}

static int stateless_authenticate(odoo_protocol *p, odoo_rpc_error *err)
{
    return odoo__login_key_then_password(p, try_login, &((stateless *)p)->secret, err);
}

/* object.execute_kw(db, uid, secret, model, method, args[, kwargs]): kwargs
 * are optional on the wire and left out when empty, as Python clients do. */
static int stateless_execute(odoo_protocol *p, const odoo_call_spec *call, json_object **out, odoo_rpc_error *err)
{
    stateless *s = (stateless *)p;
    odoo_jsonbuf *b = &s->body;
    odoo__jsonrpc_begin(b);
    odoo__jb_lit(b, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[");
    odoo__jb_str(b, p->db);
    odoo__jb_lit(b, ",");
    odoo__jb_int(b, p->uid);
    odoo__jb_lit(b, ",");
    odoo__jb_str(b, s->secret);
    odoo__jb_lit(b, ",");
    odoo__jb_str(b, call->model);
    odoo__jb_lit(b, ",");
    odoo__jb_str(b, call->method);
    odoo__jb_lit(b, ",");
    odoo__jb_call_args(b, call);
    if (odoo__call_has_kwargs(call)) {
        odoo__jb_lit(b, ",");
        odoo__jb_call_kwargs(b, call);
    }
    odoo__jb_lit(b, "]}");
    return odoo__jsonrpc_send(p, b, "/jsonrpc", out, err);
}

static int stateless_version_info(odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return service_call(p, "common", "version", json_object_new_array(), out, err);
}

static void stateless_close(odoo_protocol *p)
{
    odoo__jb_free(&((stateless *)p)->body);
}

const odoo_protocol_ops odoo__jsonrpc_stateless_ops = {
    ODOO_PROTOCOL_OPS_VERSION, "jsonrpc-stateless", ODOO_PROTOCOL_JSONRPC_STATELESS,
    ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_INT64 | ODOO_CAP_NONE_VALUE | ODOO_CAP_DB_LIST | ODOO_CAP_API_KEY |
        ODOO_CAP_PASSWORD,
    sizeof(stateless),
    NULL, stateless_authenticate, stateless_execute, stateless_version_info, stateless_close,
};
