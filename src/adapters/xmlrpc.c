/* XML-RPC: POST /xmlrpc/2/common (version, authenticate) and
 * /xmlrpc/2/object (execute_kw), the credentials in every call, no
 * session. The writer (xmlrpc_write.h) writes the requests, the reply
 * interpretation (xmlrpc_reply.h) decodes the answers; the core sends
 * them. */
#include <json-c/json.h>

#include "odoo/sys/errors.h"
#include "../core/callconv.h"
#include "adapters.h"
#include "xmlrpc_reply.h"
#include "xmlrpc_write.h"

typedef struct {
    odoo_buf req;   /* the request in flight (wiped after the send: it holds the secret) */
} xmlrpc;

/* execute_kw's params after db, uid and secret. */
static int call_params(odoo_buf *b, const odoo_call_spec *call, odoo_rpc_error *err)
{
    json_object *args, *kwargs;
    int rc = odoo__call_positional(call, &args, &kwargs, err);
    if (rc != 0)
        return rc;
    rc = odoo__xmlrpc_call_param_string(b, call->model, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param_string(b, call->method, err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param(b, args, err);
    /* kwargs is optional on the wire and left out when empty, as Python
     * clients do (F19/F18 xmlrpc/read-no-kwargs). */
    if (rc == 0 && json_object_object_length(kwargs) > 0)
        rc = odoo__xmlrpc_call_param(b, kwargs, err);
    json_object_put(args);
    json_object_put(kwargs);
    return rc;
}

static int encode(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    odoo_buf *b = &((xmlrpc *)odoo_protocol_state(p))->req;
    const char *path = "/xmlrpc/2/common";
    int rc;
    switch (x->op) {
    case ODOO_OP_LOGIN: {
        /* common.authenticate(db, login, secret, {}): a uid, or False when
         * refused. The fourth argument is mandatory on the wire (F19
         * xmlrpc/common-authenticate-missing-arg). */
        json_object *env = json_object_new_object();
        if (!env)
            return odoo_error_nomem(err);
        rc = odoo__xmlrpc_call_begin(b, "authenticate", err);
        if (rc == 0)
            rc = odoo__xmlrpc_call_param_string(b, odoo_protocol_db(p), err);
        if (rc == 0)
            rc = odoo__xmlrpc_call_param_string(b, odoo_protocol_login(p), err);
        if (rc == 0)
            rc = odoo__xmlrpc_call_param_string(b, x->secret, err);
        if (rc == 0)
            rc = odoo__xmlrpc_call_param(b, env, err);
        json_object_put(env);
        break;
    }
    case ODOO_OP_CALL: {
        /* object.execute_kw(db, uid, secret, model, method, args[, kwargs]) */
        const char *secret = odoo_protocol_login_secret(p);
        path = "/xmlrpc/2/object";
        rc = odoo__xmlrpc_call_begin(b, "execute_kw", err);
        if (rc == 0)
            rc = odoo__xmlrpc_call_param_string(b, odoo_protocol_db(p), err);
        if (rc == 0)
            rc = odoo__xmlrpc_call_param_int(b, odoo_protocol_uid(p), err);
        if (rc == 0)
            rc = odoo__xmlrpc_call_param_string(b, secret ? secret : "", err);
        if (rc == 0)
            rc = call_params(b, x->call, err);
        break;
    }
    case ODOO_OP_VERSION:
        /* common.version(): no login needed. */
        rc = odoo__xmlrpc_call_begin(b, "version", err);
        break;
    default:
        return odoo_error_set(err, ODOO_ERR_UNSUPPORTED, "xmlrpc has no such exchange");
    }
    if (rc == 0)
        rc = odoo__xmlrpc_call_end(b, err);
    if (rc != 0) {
        odoo_buf_reset(b, 1);
        return rc;
    }
    odoo_http_request req = { "POST", path, "text/xml", NULL, b->data, b->len };
    x->request = req;
    return 0;
}

static int decode(odoo_protocol *p, odoo_exchange *x, const odoo_http_response *resp, odoo_rpc_error *err)
{
    odoo_buf_reset(&((xmlrpc *)odoo_protocol_state(p))->req, 1);
    int rc = odoo__xmlrpc_decode_response(resp->body, resp->body_len, resp->status, resp->content_type, &x->result,
                                          err);
    if (rc != 0 || x->op != ODOO_OP_LOGIN)
        return rc;
    return odoo_authenticate_uid(&x->uid, x->result, err);
}

static int failed(odoo_protocol *p, odoo_exchange *x, int kind, odoo_rpc_error *err)
{
    (void)x;
    (void)err;
    odoo_buf_reset(&((xmlrpc *)odoo_protocol_state(p))->req, 1);
    return kind;
}

static void close_state(odoo_protocol *p)
{
    odoo_buf_free(&((xmlrpc *)odoo_protocol_state(p))->req);
}

static const odoo_protocol_ops ops = {
    ODOO_PROTOCOL_OPS_VERSION, "xmlrpc",
    ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_API_KEY | ODOO_CAP_PASSWORD | ODOO_CAP_STREAM_ROWS |
        ODOO_CAP_ROWS_SHAPE(ODOO_CURSOR_XMLRPC), /* search_read read as it arrives (xmlrpc_stream.h) */
    sizeof(xmlrpc), NULL, close_state, encode, decode, failed,
};

/* Never ranked: XML-RPC is chosen only when it alone answered (it is
 * deprecated in Odoo 19 and removed later). */
const odoo_adapter odoo__xmlrpc_adapter = {
    ODOO_ADAPTER_VERSION, "xmlrpc", &ops, ODOO_PROTOCOL_XMLRPC, ODOO_ADAPTER_SOLE_ANSWER, 3,
    "XML-RPC common.version", NULL,
};
