/* odoo-mock — JSON-RPC envelopes. */
#include "jsonrpc_env.h"

#include <string.h>

#include "pyjson.h"

static void reply(mock_resp *r, json_object *env)
{
    om_resp_json(r, 200, env);
    r->nosniff = 1;
    r->kind = RK_JSONRPC;
}

void om_jsonrpc_reply(mock_resp *r, json_object *id, json_object *result)
{
    json_object *env = json_object_new_object();
    json_object_object_add(env, "jsonrpc", json_object_new_string("2.0"));
    json_object_object_add(env, "id", json_object_get(id));
    if (result)
        json_object_object_add(env, "result", json_object_get(result));
    reply(r, env);
    json_object_put(env);
}

void om_jsonrpc_reply_error(mock_resp *r, int version, json_object *id, const mock_err *e,
                         const char *where)
{
    json_object *env = json_object_new_object();
    json_object *error = json_object_new_object();
    int code;
    const char *message;
    if (e->kind == E_SESSION_EXPIRED) {
        code = 100;
        message = "Odoo Session Expired";
    } else if (e->kind == E_HTTP_NOT_FOUND) {
        code = 404;
        message = "404: Not Found";
    } else {
        code = version >= 19 ? 0 : 200;
        message = "Odoo Server Error";
    }
    json_object_object_add(error, "code", json_object_new_int(code));
    json_object_object_add(error, "message", json_object_new_string(message));
    json_object_object_add(error, "data", om_err_to_json_data(e, version, where));
    json_object_object_add(env, "jsonrpc", json_object_new_string("2.0"));
    json_object_object_add(env, "id", json_object_get(id));
    json_object_object_add(env, "error", error);
    reply(r, env);
    json_object_put(env);
}

json_object *om_jsonrpc_parse(mock_req *q, mock_resp *r, int *decode_error, char *errmsg,
                           size_t errsize)
{
    json_object *body = NULL;
    *decode_error = 0;
    if (om_pyjson_parse(q->body ? q->body : "", q->body_len, &body, errmsg, errsize)) {
        *decode_error = 1;
        om_resp_text_html(r, 400, "Invalid JSON data");
        return NULL;
    }
    if (json_object_get_type(body) != json_type_object) {
        json_object_put(body);
        om_resp_text_html(r, 400, "Invalid JSON-RPC data");
        return NULL;
    }
    return body;
}
