/* ODXProxy: Odoo calls through the gateway's JSON-RPC 2.0 API.
 *
 * v1 (POST /api/odoo/execute) wraps Odoo's execute_kw: {id, action,
 * model_id, fn_name, params, keyword, odoo_instance{url, db, user_id,
 * api_key}}. v2 (POST /v2/odoo/execute, ODXProxy 0.9+, Odoo 19+) forwards
 * to JSON-2: {id, model_id, method, kwargs, odoo_instance{url, db,
 * api_key}}. Every answer is an envelope {jsonrpc, id, result | error};
 * Odoo's own errors arrive on HTTP 200, so the envelope is read before
 * the status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/rand.h>

#include "odoo/odxproxy.h"
#include "../core/callconv.h"
#include "../core/jsonbuf.h"
#include "../core/value.h"
#include "../errors/error_internal.h"
#include "../errors/parse.h"
#include "odoo/sys/jsonrpc.h"
#include "adapters.h"

/* The gateway's own timeout (whole seconds) must fire before ours, so its
 * -32003 arrives: it gets the caller's timeout less a margin of a fifth,
 * at most this much, for the answer to travel. Ours stays the caller's:
 * never more. */
#define GATEWAY_MARGIN_MS 500L

/* ODOO_OP_CUSTOM codes: the gateway's own endpoints. */
enum { ODX_VERSION = 1, ODX_ABOUT, ODX_LICENSE, ODX_METRICS };

typedef struct {
    char *key_header;       /* "x-api-key: <proxy key>" */
    char timeout_header[48];/* "x-request-timeout: <seconds>", set for each request */
    const char *headers[4];
    int api;                /* 0 until chosen, then 1 or 2 */
    odoo_result_shape shape;
    char id[37];            /* the request id in flight, "" for none */
    odoo_jsonbuf body;      /* the request in flight: it holds the Odoo API key, wiped after each send */
} odxproxy;

static const odoo_protocol_ops ops;

/* The eight actions v1 names directly; anything else is call_method. */
static const char *const actions[] = {
    "search_count", "search", "read", "fields_get", "search_read", "create", "write", "unlink",
};

static int in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* A fresh UUID v4 per request, from OpenSSL's CSPRNG. */
static int new_request_id(char out[37])
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof(b)) != 1)
        return -1;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2],
             b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return 0;
}

static int odx_open(odoo_protocol *p, odoo_rpc_error *err)
{
    odxproxy *x = odoo_protocol_state(p);
    const odoo_options *o = odoo_protocol_options(p);
    if (!o->proxy_api_key || !*o->proxy_api_key)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no gateway key given (options.proxy_api_key)");
    if (!odoo__header_safe(o->proxy_api_key))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "the gateway key contains control characters");
    if (o->proxy_api < 0 || o->proxy_api > 2)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "options.proxy_api is 0 (auto), 1 or 2");
    x->api = o->proxy_api;
    if (!(x->key_header = odoo__header_line("x-api-key", o->proxy_api_key)))
        return odoo__error_nomem(err);
    x->headers[0] = x->key_header;
    x->headers[1] = "Accept: application/json";
    return 0;
}

/* The gateway's timeout for this request: what is left of ours, less the
 * margin (none when we have none). */
static void set_timeout_header(odoo_protocol *p, odxproxy *x)
{
    long ms = odoo_protocol_timeout_ms(p);
    x->headers[2] = NULL;
    if (ms <= 0)
        return;
    long margin = ms / 5 < GATEWAY_MARGIN_MS ? ms / 5 : GATEWAY_MARGIN_MS;
    long secs = (ms - margin) / 1000 > 0 ? (ms - margin) / 1000 : 1;
    snprintf(x->timeout_header, sizeof(x->timeout_header), "x-request-timeout: %ld", secs);
    x->headers[2] = x->timeout_header;
}

static void odx_close(odoo_protocol *p)
{
    odxproxy *x = odoo_protocol_state(p);
    odoo__free_secret(x->key_header);
    odoo__jb_free(&x->body);
}

int odoo__odxproxy_decode(const char *body, size_t len, long status, const char *content_type, const char *id,
                          json_object **out, odoo_rpc_error *err)
{
    odoo_http_response resp = { status, content_type, (char *)body, len, -1 };
    odoo_jsonrpc_id want = { id ? 2 : 0, 0, id };
    return odoo_jsonrpc_decode(out, &resp, ODOO_JSONRPC_GATEWAY, &want, err);
}

/* POST body (taken; its "id" member is added here) to path. */
static int post(odoo_protocol *p, odoo_exchange *ex, const char *path, json_object *body, odoo_rpc_error *err)
{
    odxproxy *x = odoo_protocol_state(p);
    x->id[0] = '\0';
    if (!body) 
        return odoo__error_nomem(err);
    if (new_request_id(x->id) != 0) {
        json_object_put(body);
        return odoo__error_set(err, ODOO_ERR_NOMEM, "no random bytes for a request id");
    }
    size_t len = 0;
    const char *text = odoo__json_to_string(body, &len);
    /* The Odoo API key is written in our own buffer (wiped after the send),
     * never put in json-c, whose strings and print buffers are freed
     * unwiped: odoo_instance is the body's last member, so its key goes
     * just before the closing "}}". */
    int with_key = json_object_object_get_ex(body, "odoo_instance", NULL);
    int rc = 0;
    if (!text)
        rc = odoo__error_nomem(err);
    else if (len < 2 || text[len - 1] != '}' || (with_key && text[len - 2] != '}'))
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "odoo_instance must be the last member of a gateway request");
    if (rc) {
        json_object_put(body);
        return rc;
    }
    odoo_jsonbuf *b = &x->body;
    const char *key = odoo_protocol_options(p)->api_key;
    odoo__jb_reset(b, 1);
    odoo__jb_raw(b, text, len - (with_key ? 2 : 1));
    json_object_put(body);
    if (with_key) {
        odoo__jb_lit(b, ",\"api_key\":");
        odoo__jb_str(b, key ? key : "");
        odoo__jb_lit(b, "}");
    }
    if (b->len > 1)
        odoo__jb_lit(b, ",");
    odoo__jb_lit(b, "\"id\":");
    odoo__jb_str(b, x->id);
    odoo__jb_lit(b, "}");
    if (b->failed) {
        odoo__jb_reset(b, 1);
        return odoo__error_nomem(err);
    }
    set_timeout_header(p, x);
    odoo_http_request req = { "POST", path, "application/json", x->headers, b->data, b->len };
    ex->request = req;
    return 0;
}

static json_object *instance(odoo_protocol *p, int with_user)
{
    json_object *inst = json_object_new_object();
    if (!inst || odoo__object_add(inst, "url", json_object_new_string(odoo_protocol_url(p))) ||
        odoo__object_add(inst, "db", json_object_new_string(odoo_protocol_db(p))) ||
        (with_user && odoo__object_add(inst, "user_id", json_object_new_int64(odoo_protocol_options(p)->user_id)))) {
        json_object_put(inst);
        return NULL;
    }
    return inst;
}

static int encode_version(odoo_protocol *p, odoo_exchange *ex, int api, odoo_rpc_error *err)
{
    json_object *body = json_object_new_object();
    if (!body || odoo__object_add(body, "url", json_object_new_string(odoo_protocol_url(p)))) {
        json_object_put(body);
        return odoo__error_nomem(err);
    }
    return post(p, ex, api == 2 ? "/v2/odoo/version" : "/api/odoo/version", body, err);
}

static int encode_v1(odoo_protocol *p, odoo_exchange *ex, const odoo_call_spec *call, odoo_rpc_error *err)
{
    if (odoo_protocol_options(p)->user_id <= 0)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "the ODXProxy v1 API needs the Odoo user id (options.user_id, --user-id)");
    json_object *args, *kwargs;
    int rc = odoo__call_positional(call, &args, &kwargs, err);
    if (rc)
        return rc;
    int named = in_list(call->method, actions, sizeof(actions) / sizeof(actions[0]));
    json_object *body = json_object_new_object(), *inst = instance(p, 1);
    if (!body || !inst || odoo__object_add(body, "action", json_object_new_string(named ? call->method : "call_method")) ||
        odoo__object_add(body, "model_id", json_object_new_string(call->model)) ||
        (!named && odoo__object_add(body, "fn_name", json_object_new_string(call->method))) ||
        odoo__object_add(body, "params", json_object_get(args)) ||
        odoo__object_add(body, "keyword", json_object_get(kwargs)) ||
        odoo__object_add(body, "odoo_instance", json_object_get(inst))) {
        /* Our own references go too: body may not have taken them all. */
        json_object_put(body); json_object_put(inst); json_object_put(args); json_object_put(kwargs);
        return odoo__error_nomem(err);
    }
    json_object_put(inst); json_object_put(args); json_object_put(kwargs);
    return post(p, ex, "/api/odoo/execute", body, err);
}

static int encode_v2(odoo_protocol *p, odoo_exchange *ex, const odoo_call_spec *call, odoo_rpc_error *err)
{
    odxproxy *x = odoo_protocol_state(p);
    json_object *named = NULL;
    int rc = odoo__call_named(call, &named, &x->shape, err);
    if (rc)
        return rc;
    json_object *body = json_object_new_object(), *inst = instance(p, 0);
    if (!body || !inst || odoo__object_add(body, "model_id", json_object_new_string(call->model)) ||
        odoo__object_add(body, "method", json_object_new_string(call->method)) ||
        odoo__object_add(body, "kwargs", json_object_get(named)) ||
        odoo__object_add(body, "odoo_instance", json_object_get(inst))) {
        /* Our own references go too: body may not have taken them all. */
        json_object_put(body); json_object_put(inst); json_object_put(named);
        return odoo__error_nomem(err);
    }
    json_object_put(inst); json_object_put(named);
    return post(p, ex, "/v2/odoo/execute", body, err);
}

/* The gateway has no login: the credentials are checked with the
 * cheapest call that needs them, which also tells the uid behind a key. */
static const odoo_call_spec context_get = { "res.users", "context_get", NULL, NULL, NULL, NULL };

static int encode_call(odoo_protocol *p, odoo_exchange *ex, const odoo_call_spec *call, odoo_rpc_error *err)
{
    odxproxy *x = odoo_protocol_state(p);
    x->shape = ODOO_RESULT_AS_IS;
    return x->api == 2 ? encode_v2(p, ex, call, err) : encode_v1(p, ex, call, err);
}

static int odx_encode(odoo_protocol *p, odoo_exchange *ex, odoo_rpc_error *err)
{
    odxproxy *x = odoo_protocol_state(p);
    switch (ex->op) {
    case ODOO_OP_PREPARE:
        /* v2 only when the Odoo behind is 19+, an Odoo API key is given and
         * the gateway answers /v2 (0.9+); otherwise v1. Asked once. */
        if (ex->step == 0 && x->api)
            return ODOO_EXCHANGE_DONE; /* given in the options */
        return encode_version(p, ex, ex->step == 0 ? 1 : 2, err);
    case ODOO_OP_LOGIN:
        return encode_call(p, ex, &context_get, err);
    case ODOO_OP_CALL:
        return encode_call(p, ex, ex->call, err);
    case ODOO_OP_VERSION:
        return encode_version(p, ex, 1, err);
    case ODOO_OP_CUSTOM: {
        static const char *const paths[] = { NULL, NULL, "/_/about", "/_/license", "/_/metrics" };
        x->id[0] = '\0';
        if (ex->custom == ODX_VERSION)
            return encode_version(p, ex, *(const int *)ex->custom_arg, err);
        if (ex->custom < ODX_ABOUT || ex->custom > ODX_METRICS)
            break;
        odoo_http_request req = { "GET", paths[ex->custom], NULL, NULL, NULL, 0 };
        ex->request = req;
        return 0;
    }
    default:
        break;
    }
    return odoo__error_set(err, ODOO_ERR_UNSUPPORTED, "odxproxy has no such exchange");
}

/* v2's /v2/odoo/version has JSON-2's /json/version shape
 * {"version_info": [...], "version": "19.0"}: the usual keys are added. */
static void version_keys(json_object *v2)
{
    json_object *v, *vi;
    if (json_object_object_get_ex(v2, "version", &v) && json_object_object_get_ex(v2, "version_info", &vi)) {
        odoo__object_add(v2, "server_version", json_object_get(v));
        odoo__object_add(v2, "server_version_info", json_object_get(vi));
    }
}

/* The /_/ endpoints: plain JSON (or text), enveloped or not. */
static int decode_ops(odoo_exchange *ex, const odoo_http_response *resp, odoo_rpc_error *err)
{
    const char *path = ex->request.path;
    if (resp->status < 200 || resp->status >= 300) {
        int rc = odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len, path);
        if (err)
            err->code = (int)resp->status;
        return rc;
    }
    if (ex->custom == ODX_METRICS) {
        ex->result = json_object_new_string_len(resp->body, (int)resp->body_len);
        return ex->result ? 0 : odoo__error_nomem(err);
    }
    json_object *doc = NULL, *result;
    if (odoo__json_parse(resp->body, resp->body_len, &doc) != 0 || !json_object_is_type(doc, json_type_object)) {
        json_object_put(doc);
        return odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len, "a JSON object");
    }
    /* Clients disagree on whether /_/about is enveloped: take both. */
    if (json_object_object_get_ex(doc, "result", &result) && json_object_object_get_ex(doc, "jsonrpc", NULL)) {
        ex->result = json_object_get(result);
        json_object_put(doc);
    } else {
        ex->result = doc;
    }
    return 0;
}

static int odx_decode(odoo_protocol *p, odoo_exchange *ex, const odoo_http_response *resp, odoo_rpc_error *err)
{
    odxproxy *x = odoo_protocol_state(p);
    odoo__jb_reset(&x->body, 1);
    if (ex->op == ODOO_OP_CUSTOM && ex->custom != ODX_VERSION)
        return decode_ops(ex, resp, err);
    odoo_jsonrpc_id id = { 2, 0, x->id };
    int rc = odoo_jsonrpc_decode(&ex->result, resp, ODOO_JSONRPC_GATEWAY, &id, err);
    switch (ex->op) {
    case ODOO_OP_PREPARE:
        if (ex->step == 0) {
            if (rc)
                return rc;
            odoo_protocol_learn_version(p, ex->result);
            x->api = 1;
            const char *key = odoo_protocol_options(p)->api_key;
            return odoo_protocol_server_major(p) >= 19 && key && *key ? ODOO_EXCHANGE_AGAIN : 0;
        }
        /* the v2 probe: any refusal means v1 */
        if (rc == 0)
            x->api = 2;
        odoo_rpc_error_clear(err);
        return 0;
    case ODOO_OP_LOGIN: {
        json_object *uid = NULL;
        if (rc)
            return rc;
        if (json_object_object_get_ex(ex->result, "uid", &uid) && json_object_is_type(uid, json_type_int))
            ex->uid = json_object_get_int64(uid);
        else
            ex->uid = odoo_protocol_options(p)->user_id;
        return 0;
    }
    case ODOO_OP_CALL:
        return rc ? rc : odoo__reshape_result(&ex->result, x->shape, err);
    default: /* VERSION, CUSTOM ODX_VERSION */
        if (rc == 0 && ex->op == ODOO_OP_CUSTOM && *(const int *)ex->custom_arg == 2)
            version_keys(ex->result);
        if (rc == 0)
            odoo_protocol_learn_version(p, ex->result);
        return rc;
    }
}

static int odx_failed(odoo_protocol *p, odoo_exchange *ex, int kind, odoo_rpc_error *err)
{
    odoo__jb_reset(&((odxproxy *)odoo_protocol_state(p))->body, 1);
    if (ex->op == ODOO_OP_PREPARE && ex->step == 1) {
        odoo_rpc_error_clear(err); /* the v2 probe went nowhere: v1 */
        return 0;
    }
    return kind;
}

/* Run one of the gateway's own exchanges on a connection of ours. */
static int run_custom(json_object **out, odoo_protocol *p, int code, int api, odoo_rpc_error *err)
{
    if (!odoo_protocol_is(p, &ops))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "not an ODXProxy connection");
    odoo_exchange ex = { 0 };
    ex.op = ODOO_OP_CUSTOM;
    ex.custom = code;
    ex.custom_arg = &api;
    /* The gateway's own endpoints need no negotiation: no PREPARE. */
    int rc = odoo_protocol_run(p, &ex, err);
    if (rc)
        return rc;
    if (out)
        *out = ex.result;
    else
        json_object_put(ex.result);
    return 0;
}

int odoo_odxproxy_odoo_version(json_object **out, odoo_protocol *p, int api, odoo_rpc_error *err)
{
    if (out)
        *out = NULL;
    odoo__error_reset(err);
    return run_custom(out, p, ODX_VERSION, api == 2 ? 2 : 1, err);
}

int odoo_odxproxy_api(odoo_protocol *p, odoo_rpc_error *err)
{
    if (!odoo_protocol_is(p, &ops))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "not an ODXProxy connection");
    odoo_exchange ex = { 0 };
    ex.op = ODOO_OP_PREPARE;
    int rc = odoo_protocol_run(p, &ex, err);
    return rc ? rc : ((odxproxy *)odoo_protocol_state(p))->api;
}

int odoo_odxproxy_about(json_object **out, odoo_protocol *p, odoo_rpc_error *err)
{
    if (out)
        *out = NULL;
    odoo__error_reset(err);
    return run_custom(out, p, ODX_ABOUT, 0, err);
}

int odoo_odxproxy_license(json_object **out, odoo_protocol *p, odoo_rpc_error *err)
{
    if (out)
        *out = NULL;
    odoo__error_reset(err);
    return run_custom(out, p, ODX_LICENSE, 0, err);
}

int odoo_odxproxy_metrics(char **out, odoo_protocol *p, odoo_rpc_error *err)
{
    json_object *text = NULL;
    if (out)
        *out = NULL;
    odoo__error_reset(err);
    int rc = run_custom(&text, p, ODX_METRICS, 0, err);
    if (rc == 0 && out && !(*out = odoo__strndup(json_object_get_string(text), (size_t)json_object_get_string_len(text))))
        rc = odoo__error_nomem(err);
    json_object_put(text);
    return rc;
}

static const odoo_protocol_ops ops = {
    ODOO_PROTOCOL_OPS_VERSION, "odxproxy", ODOO_CAP_API_KEY | ODOO_CAP_PREPARE | ODOO_CAP_GATEWAY |
    ODOO_CAP_STREAM_ROWS | ODOO_CAP_ROWS_SHAPE(ODOO_CURSOR_GATEWAY),
    sizeof(odxproxy), odx_open, odx_close, odx_encode, odx_decode, odx_failed,
};

/* Chosen by AUTO when a gateway URL is given, without a probe. */
const odoo_adapter odoo__odxproxy_adapter = {
    ODOO_ADAPTER_VERSION, "odxproxy", &ops, ODOO_PROTOCOL_ODXPROXY, ODOO_ADAPTER_GATEWAY, 0, NULL, NULL,
};
