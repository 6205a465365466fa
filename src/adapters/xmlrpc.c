/* XML-RPC: POST /xmlrpc/2/common (version, authenticate) and
 * /xmlrpc/2/object (execute_kw), the credentials in every call, no
 * session. The codec (xmlrpc_codec.h) writes the requests and decodes
 * the answers; the bytes travel through the core transport. */
#include <json-c/json.h>

#include "../core/auth.h"
#include "../core/callconv.h"
#include "../errors/error_internal.h"
#include "adapters.h"
#include "xmlrpc_codec.h"

typedef struct {
    odoo_protocol base;
    const char *secret;    /* borrowed from base: the key or password that logged in */
    odoo_xmlrpc_buf req;   /* request bytes, reused by every call and wiped after each */
} xmlrpc;

/* Send the call written in x->req to path and decode the answer. */
static int send_call(odoo_protocol *p, const char *path, json_object **out, odoo_rpc_error *err)
{
    xmlrpc *x = (xmlrpc *)p;
    *out = NULL;
    int rc = odoo__xmlrpc_call_end(&x->req, err);
    odoo_http_response resp;
    if (rc == 0) {
        odoo_http_request req = { "POST", path, "text/xml", NULL, x->req.data, x->req.len };
        rc = odoo_http_send(p->http, &req, &resp, err);
    }
    odoo__xmlrpc_buf_wipe(&x->req);
    if (rc != 0)
        return rc;
    return odoo__xmlrpc_decode_response(resp.body, resp.body_len, resp.status, resp.content_type, out, err);
}

/* common.authenticate(db, login, secret, {}): a uid, or False when refused.
 * The fourth argument is mandatory on the wire (F19 xmlrpc/common-authenticate-missing-arg). */
static int try_login(odoo_protocol *p, const char *secret, long *uid, odoo_rpc_error *err)
{
    xmlrpc *x = (xmlrpc *)p;
    *uid = 0;
    json_object *env = json_object_new_object(), *res = NULL;
    if (!env)
        return odoo__error_nomem(err);
    int rc = odoo__xmlrpc_call_begin(&x->req, "authenticate", err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param_string(&x->req, p->db, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param_string(&x->req, p->login, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param_string(&x->req, secret, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param(&x->req, env, err);
    json_object_put(env);
    if (rc == 0)
        rc = send_call(p, "/xmlrpc/2/common", &res, err);
    else
        odoo__xmlrpc_buf_wipe(&x->req);
    if (rc == 0) {
        if (json_object_is_type(res, json_type_int) && json_object_get_int64(res) > 0)
            *uid = (long)json_object_get_int64(res);
        else if (!json_object_is_type(res, json_type_boolean) || json_object_get_boolean(res))
            rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "authenticate answered %s, not a uid or False",
                                 res ? json_object_get_string(res) : "None");
    }
    json_object_put(res);
    return rc;
}

static int xmlrpc_authenticate(odoo_protocol *p, odoo_rpc_error *err)
{
    return odoo__login_key_then_password(p, try_login, &((xmlrpc *)p)->secret, err);
}

/* object.execute_kw(db, uid, secret, model, method, args[, kwargs]).
 * kwargs is optional on the wire and left out when empty, as Python
 * clients do (F19/F18 xmlrpc/read-no-kwargs). */
static int xmlrpc_execute(odoo_protocol *p, const odoo_call_spec *call, json_object **out, odoo_rpc_error *err)
{
    xmlrpc *x = (xmlrpc *)p;
    json_object *args, *kwargs;
    int rc = odoo__call_positional(call, &args, &kwargs, err);
    if (rc != 0)
        return rc;
    rc = odoo__xmlrpc_call_begin(&x->req, "execute_kw", err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param_string(&x->req, p->db, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param_int(&x->req, p->uid, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param_string(&x->req, x->secret, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param_string(&x->req, call->model, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param_string(&x->req, call->method, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param(&x->req, args, err);
    if (rc == 0 && json_object_object_length(kwargs) > 0)
        rc = odoo__xmlrpc_call_param(&x->req, kwargs, err);
    json_object_put(args);
    json_object_put(kwargs);
    if (rc != 0) {
        odoo__xmlrpc_buf_wipe(&x->req);
        return rc;
    }
    return send_call(p, "/xmlrpc/2/object", out, err);
}

/* common.version(): no login needed. */
static int xmlrpc_version_info(odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    int rc = odoo__xmlrpc_call_begin(&((xmlrpc *)p)->req, "version", err);
    return rc != 0 ? rc : send_call(p, "/xmlrpc/2/common", out, err);
}

static void xmlrpc_close(odoo_protocol *p)
{
    odoo__xmlrpc_buf_free(&((xmlrpc *)p)->req);
}

const odoo_protocol_ops odoo__xmlrpc_ops = {
    ODOO_PROTOCOL_OPS_VERSION, "xmlrpc", ODOO_PROTOCOL_XMLRPC,
    ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_DB_LIST | ODOO_CAP_API_KEY | ODOO_CAP_PASSWORD,
    sizeof(xmlrpc),
    NULL, xmlrpc_authenticate, xmlrpc_execute, xmlrpc_version_info, xmlrpc_close,
};
