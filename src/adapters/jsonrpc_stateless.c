/* Stateless JSON-RPC: POST /jsonrpc with {service, method, args}; the
 * same calls as XML-RPC, the credentials in every call, no session. */
#include <json-c/json.h>

#include "odoo/sys/callconv.h"
#include "odoo/sys/errors.h"
#include "odoo/sys/jsonrpc.h"
#include "adapters.h"

typedef struct {
    odoo_buf body;   /* the request in flight (wiped after the send: it holds the secret) */
    long id;         /* its JSON-RPC id */
    /* Every call of a login starts with the same bytes, up to and with
     * the secret: written once (it holds the secret too: wiped when it is
     * rebuilt and on close). */
    odoo_buf call_head;
    int64_t head_uid;
    const char *head_secret;
} stateless;

/* {"service":S,"method":M,"args":[ — the caller writes the args. */
#define begin(s, service, method) \
    (odoo_jsonrpc_begin(&(s)->body), \
     odoo_buf_lit(&(s)->body, "{\"service\":\"" service "\",\"method\":\"" method "\",\"args\":["))

static int encode(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    stateless *s = odoo_protocol_state(p);
    odoo_buf *b = &s->body;
    switch (x->op) {
    case ODOO_OP_LOGIN:
        /* common.authenticate(db, login, secret, {}): a uid or False. */
        begin(s, "common", "authenticate");
        odoo_buf_json_string(b, odoo_protocol_db(p));
        odoo_buf_lit(b, ",");
        odoo_buf_json_string(b, odoo_protocol_login(p));
        odoo_buf_lit(b, ",");
        odoo_buf_json_string(b, x->secret);
        odoo_buf_lit(b, ",{}");
        break;
    case ODOO_OP_CALL: {
        /* object.execute_kw(db, uid, secret, model, method, args[, kwargs]):
         * kwargs are optional on the wire and left out when empty, as
         * Python clients do. */
        const char *secret = odoo_protocol_login_secret(p) ? odoo_protocol_login_secret(p) : "";
        if (!s->call_head.len || s->call_head.failed || s->head_uid != odoo_protocol_uid(p) ||
            s->head_secret != secret) {
            odoo_buf *h = &s->call_head;
            odoo_buf_reset(h, 1);
            odoo_buf_lit(h, "{\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[");
            odoo_buf_json_string(h, odoo_protocol_db(p));
            odoo_buf_lit(h, ",");
            odoo_buf_int(h, odoo_protocol_uid(p));
            odoo_buf_lit(h, ",");
            odoo_buf_json_string(h, secret);
            odoo_buf_lit(h, ",");
            s->head_uid = odoo_protocol_uid(p);
            s->head_secret = secret;
        }
        odoo_jsonrpc_begin(b);
        if (s->call_head.failed) /* out of memory: rebuilt on the next call */
            b->failed = 1;
        else
            odoo_buf_append(b, s->call_head.data, s->call_head.len);
        odoo_buf_json_string(b, x->call->model);
        odoo_buf_lit(b, ",");
        odoo_buf_json_string(b, x->call->method);
        odoo_buf_lit(b, ",");
        odoo_buf_call_args(b, x->call);
        if (odoo_call_has_kwargs(x->call)) {
            odoo_buf_lit(b, ",");
            odoo_buf_call_kwargs(b, x->call);
        }
        break;
    }
    case ODOO_OP_VERSION:
        begin(s, "common", "version");
        break;
    default:
        return odoo_error_set(err, ODOO_ERR_UNSUPPORTED, "jsonrpc-stateless has no such exchange");
    }
    odoo_buf_lit(b, "]}");
    odoo_jsonrpc_end(b, s->id = odoo_protocol_next_id(p));
    if (b->failed) {
        odoo_buf_reset(b, 1);
        return odoo_error_nomem(err);
    }
    x->request.method = "POST";
    x->request.path = "/jsonrpc";
    x->request.content_type = "application/json";
    x->request.body = b->data;
    x->request.body_len = b->len;
    return 0;
}

static int decode(odoo_protocol *p, odoo_exchange *x, const odoo_http_response *resp, odoo_rpc_error *err)
{
    stateless *s = odoo_protocol_state(p);
    odoo_buf_reset(&s->body, 1);
    odoo_jsonrpc_id id = { 1, s->id, NULL };
    int rc = odoo_jsonrpc_decode(&x->result, resp, ODOO_JSONRPC_ODOO, &id, err);
    if (rc == 0 && x->op == ODOO_OP_LOGIN)
        rc = odoo_authenticate_uid(&x->uid, x->result, err);
    return rc;
}

static int failed(odoo_protocol *p, odoo_exchange *x, int kind, odoo_rpc_error *err)
{
    (void)x;
    (void)err;
    odoo_buf_reset(&((stateless *)odoo_protocol_state(p))->body, 1);
    return kind;
}

static void close_state(odoo_protocol *p)
{
    stateless *s = odoo_protocol_state(p);
    odoo_buf_free(&s->body);
    odoo_buf_free(&s->call_head);
}

static const odoo_protocol_ops ops = {
    ODOO_PROTOCOL_OPS_VERSION, "jsonrpc-stateless",
    ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_API_KEY | ODOO_CAP_PASSWORD |
        ODOO_CAP_STREAM_ROWS | ODOO_CAP_ROWS_SHAPE(ODOO_CURSOR_JSONRPC), sizeof(stateless),
    NULL, close_state, encode, decode, failed,
};

/* Before Odoo 19, the JSON form of XML-RPC: it takes keys and passwords. */
static int rank(const odoo_server_facts *f, const char **why)
{
    if (f->server_major >= 19)
        return 0;
    *why = f->has_password && !f->has_api_key
         ? "before Odoo 19 JSON-2 does not exist: stateless /jsonrpc, the JSON form of XML-RPC"
         : f->has_api_key ? "before Odoo 19 with an API key: stateless /jsonrpc takes keys (the web login does not)"
                          : "before Odoo 19: stateless /jsonrpc, the JSON form of XML-RPC";
    return 10;
}

const odoo_adapter odoo__jsonrpc_stateless_adapter = {
    ODOO_ADAPTER_VERSION, "jsonrpc-stateless", &ops, ODOO_PROTOCOL_JSONRPC_STATELESS, 0, 0,
    "POST /jsonrpc common.version", rank,
};
