/* JSON-RPC with a web session: /web/session/authenticate once, then
 * /web/dataset/call_kw with the session cookie (the core keeps cookies
 * for ODOO_CAP_SESSION and logs in again when the session expired). */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/sys/callconv.h"
#include "odoo/sys/errors.h"
#include "odoo/sys/jsonrpc.h"
#include "adapters.h"

typedef struct {
    odoo_buf body;    /* the request in flight (wiped after the send: a login holds the password) */
    long id;          /* its JSON-RPC id */
    char path[320];   /* its path */
} session;

static int encode(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    session *s = odoo_protocol_state(p);
    odoo_buf *b = &s->body;
    odoo_jsonrpc_begin(b);
    switch (x->op) {
    case ODOO_OP_LOGIN:
        if (!*odoo_protocol_db(p))
            return odoo_error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no database given (options.db)");
        if (!*odoo_protocol_login(p))
            return odoo_error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no login given (options.login)");
        /* Written straight into our buffer, never into json-c objects:
         * their strings and print buffers are freed without being wiped. */
        odoo_buf_lit(b, "{\"db\":");
        odoo_buf_json_string(b, odoo_protocol_db(p));
        odoo_buf_lit(b, ",\"login\":");
        odoo_buf_json_string(b, odoo_protocol_login(p));
        odoo_buf_lit(b, ",\"password\":");
        odoo_buf_json_string(b, x->secret);
        odoo_buf_lit(b, "}");
        snprintf(s->path, sizeof(s->path), "/web/session/authenticate");
        break;
    case ODOO_OP_CALL:
        /* params {"model", "method", "args", "kwargs"}: all four are required. */
        odoo_buf_lit(b, "{\"model\":");
        odoo_buf_json_string(b, x->call->model);
        odoo_buf_lit(b, ",\"method\":");
        odoo_buf_json_string(b, x->call->method);
        odoo_buf_lit(b, ",\"args\":");
        odoo_buf_call_args(b, x->call);
        odoo_buf_lit(b, ",\"kwargs\":");
        odoo_buf_call_kwargs(b, x->call);
        odoo_buf_lit(b, "}");
        /* The path suffix is cosmetic for Odoo (it shows in its logs); model
         * and method names were validated, so they are safe in a URL. */
        snprintf(s->path, sizeof(s->path), "/web/dataset/call_kw/%s/%s", x->call->model, x->call->method);
        break;
    case ODOO_OP_VERSION:
        odoo_buf_lit(b, "{}");
        snprintf(s->path, sizeof(s->path), "/web/webclient/version_info");
        break;
    case ODOO_OP_LOGOUT:
        odoo_buf_lit(b, "{}");
        snprintf(s->path, sizeof(s->path), "/web/session/destroy");
        break;
    default:
        return odoo_error_set(err, ODOO_ERR_UNSUPPORTED, "jsonrpc has no such exchange");
    }
    odoo_jsonrpc_end(b, s->id = odoo_protocol_next_id(p));
    if (b->failed) {
        odoo_buf_reset(b, 1);
        return odoo_error_nomem(err);
    }
    x->request.method = "POST";
    x->request.path = s->path;
    x->request.content_type = "application/json";
    x->request.body = b->data;
    x->request.body_len = b->len;
    return 0;
}

/* The session_info of a login: its uid (null with two-factor
 * authentication, where only API keys work, on other protocols). */
static int login_answer(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    json_object *uid = NULL, *info = x->result;
    if (!info || !json_object_object_get_ex(info, "uid", &uid) || !json_object_is_type(uid, json_type_int) ||
        json_object_get_int64(uid) <= 0)
        return odoo_error_set(err, ODOO_ERR_AUTH, "%s",
            info && json_object_object_get_ex(info, "uid", NULL) && !uid
                ? "login needs a second factor (2FA): use an API key with json2, jsonrpc-stateless or xmlrpc"
                : "the login answer has no uid");
    x->uid = json_object_get_int64(uid);
    odoo_protocol_learn_version(p, info);
    /* The session cookie is a credential too: mask it in traces and
     * errors (pages that echo request headers) from now on. */
    char *sid = odoo_protocol_cookie(p, "session_id");
    int rc = odoo_protocol_set_session_secret(p, sid);
    odoo_free(sid);
    return rc ? odoo_error_nomem(err) : 0;
}

static int decode(odoo_protocol *p, odoo_exchange *x, const odoo_http_response *resp, odoo_rpc_error *err)
{
    session *s = odoo_protocol_state(p);
    odoo_buf_reset(&s->body, 1);
    odoo_jsonrpc_id id = { 1, s->id, NULL };
    int rc = odoo_jsonrpc_decode(&x->result, resp, ODOO_JSONRPC_ODOO, &id, err);
    return rc == 0 && x->op == ODOO_OP_LOGIN ? login_answer(p, x, err) : rc;
}

static int failed(odoo_protocol *p, odoo_exchange *x, int kind, odoo_rpc_error *err)
{
    (void)x;
    (void)err;
    odoo_buf_reset(&((session *)odoo_protocol_state(p))->body, 1);
    return kind;
}

static void close_state(odoo_protocol *p)
{
    odoo_buf_free(&((session *)odoo_protocol_state(p))->body);
}

static const odoo_protocol_ops ops = {
    ODOO_PROTOCOL_OPS_VERSION, "jsonrpc",
    ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_SESSION | ODOO_CAP_PASSWORD | ODOO_CAP_LOGOUT |
        ODOO_CAP_STREAM_ROWS | ODOO_CAP_ROWS_SHAPE(ODOO_CURSOR_JSONRPC), sizeof(session),
    NULL, close_state, encode, decode, failed,
};

/* The web session: cheapest per call once logged in (~350 ms login on a
 * real Odoo 19, then no per-call key check), and the only JSON protocol
 * of 19+ that takes a password. */
static int rank(const odoo_server_facts *f, const char **why)
{
    if (f->prefer == ODOO_PREFER_THROUGHPUT && f->has_password) {
        *why = "throughput preferred and a password is given: a web session is the cheapest per call";
        return 40;
    }
    if (f->server_major >= 19 && !f->has_api_key) {
        *why = "no API key for JSON-2: web-session JSON-RPC with the password";
        return 20;
    }
    return 0;
}

const odoo_adapter odoo__jsonrpc_adapter = {
    ODOO_ADAPTER_VERSION, "jsonrpc", &ops, ODOO_PROTOCOL_JSONRPC, 0, 2,
    "POST /web/webclient/version_info", rank,
};
