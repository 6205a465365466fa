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
#include <time.h>

#include <json-c/json.h>
#include <openssl/rand.h>

#include "odoo/odxproxy.h"
#include "../core/callconv.h"
#include "../core/jsonbuf.h"
#include "../core/value.h"
#include "../errors/error_internal.h"
#include "../errors/parse.h"
#include "adapters.h"

#define RETRY_CAP_MS 10000L
#define DEFAULT_BACKOFF_MS 200L
/* The gateway's own timeout (whole seconds) must fire before ours, so its
 * -32003 arrives: it gets the caller's timeout less a margin of a fifth,
 * at most this much, for the answer to travel. Ours stays the caller's:
 * never more. */
#define GATEWAY_MARGIN_MS 500L

typedef struct {
    odoo_protocol base;
    char *key_header;       /* "x-api-key: <proxy key>" */
    char *timeout_header;   /* "x-request-timeout: <seconds>" or NULL */
    int api;                /* 0 until chosen, then 1 or 2 */
    int retries;
    long backoff_ms;
    odoo_jsonbuf body;      /* request bodies, reused: they hold the Odoo API key, wiped after each send */
} odxproxy;

/* The eight actions v1 names directly; anything else is call_method. */
static const char *const actions[] = {
    "search_count", "search", "read", "fields_get", "search_read", "create", "write", "unlink",
};

/* Reads that can be repeated safely after a gateway timeout. */
static const char *const idempotent[] = {
    "search", "search_read", "search_count", "search_fetch", "read", "fields_get", "name_search",
    "default_get", "context_get", "read_group", "formatted_read_group", "web_search_read", "web_read",
    "exists", "check_access_rights", "get_metadata",
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

static int odx_open(odoo_protocol *p, const odoo_options *opts, odoo_rpc_error *err)
{
    odxproxy *x = (odxproxy *)p;
    if (!p->proxy_url || !*p->proxy_url)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no gateway URL given (options.proxy_url)");
    if (!p->proxy_api_key || !*p->proxy_api_key)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no gateway key given (options.proxy_api_key)");
    if (!odoo__header_safe(p->proxy_api_key))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "the gateway key contains control characters");
    if (opts->proxy_api < 0 || opts->proxy_api > 2)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "options.proxy_api is 0 (auto), 1 or 2");
    x->api = opts->proxy_api;
    x->retries = opts->proxy_retries > 0 ? opts->proxy_retries : 0;
    x->backoff_ms = opts->proxy_retry_backoff_ms > 0 ? opts->proxy_retry_backoff_ms : DEFAULT_BACKOFF_MS;

    if (!(x->key_header = odoo__header_line("x-api-key", p->proxy_api_key)))
        return odoo__error_nomem(err);

    /* The calls go to the gateway, never to the Odoo URL itself: point the
     * transport there, with our timeout a little beyond the gateway's. */
    odoo_options gw = *opts;
    if (opts->timeout_ms > 0) {
        long margin = opts->timeout_ms / 5 < GATEWAY_MARGIN_MS ? opts->timeout_ms / 5 : GATEWAY_MARGIN_MS;
        long secs = (opts->timeout_ms - margin) / 1000 > 0 ? (opts->timeout_ms - margin) / 1000 : 1;
        if (!(x->timeout_header = malloc(48)))
            return odoo__error_nomem(err);
        snprintf(x->timeout_header, 48, "x-request-timeout: %ld", secs);
    }
    odoo_http *h = NULL;
    int rc = odoo_http_new(&h, p->proxy_url, &gw, err);
    if (rc)
        return rc;
    if (odoo_http_add_secret(h, p->proxy_api_key) || odoo_http_add_secret(h, p->api_key) ||
        odoo_http_add_secret(h, p->password)) {
        odoo_http_free(h);
        return odoo__error_nomem(err);
    }
    odoo_http_free(p->http);
    p->http = h;
    return 0;
}

static void odx_close(odoo_protocol *p)
{
    odxproxy *x = (odxproxy *)p;
    odoo__free_secret(x->key_header);
    free(x->timeout_header);
    odoo__jb_free(&x->body);
}

/* Decode a gateway answer: envelope first (Odoo errors come on 200),
 * then the status; a body that is not an envelope keeps status and text. */
static int decode_envelope(const odoo_http_response *resp, const char *id, json_object **out, odoo_rpc_error *err)
{
    *out = NULL;
    json_object *doc = NULL, *error = NULL, *rid = NULL, *result = NULL;
    int prc = odoo__json_parse(resp->body, resp->body_len, &doc);
    if (prc == ODOO_ERR_NOMEM)
        return odoo__error_nomem(err);
    if (prc != 0 || !json_object_is_type(doc, json_type_object)) {
        json_object_put(doc);
        return odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len,
                                     "a gateway JSON-RPC envelope");
    }
    int rc = 0;
    if (json_object_object_get_ex(doc, "error", &error) && error) {
        rc = json_object_is_type(error, json_type_object)
           ? odoo__error_from_proxy(err, resp->status, error)
           : odoo__error_set(err, ODOO_ERR_PROTOCOL, "malformed error member in the gateway's answer");
    } else if (resp->status < 200 || resp->status >= 300) {
        rc = odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len,
                                   "a gateway JSON-RPC envelope");
    } else if (id && json_object_object_get_ex(doc, "id", &rid) && rid &&
               !(json_object_is_type(rid, json_type_string) && strcmp(json_object_get_string(rid), id) == 0)) {
        rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "the gateway answered request %s to request %s",
                             json_object_get_string(rid), id);
    } else if (json_object_object_get_ex(doc, "result", &result)) {
        *out = json_object_get(result);
    } else {
        rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "the gateway's answer has neither result nor error");
    }
    if (rc && err && !err->http_status)
        err->http_status = resp->status;
    json_object_put(doc);
    return rc;
}

int odoo__odxproxy_decode(const char *body, size_t len, long status, const char *content_type, const char *id,
                          json_object **out, odoo_rpc_error *err)
{
    odoo_http_response resp = { 0 };
    resp.status = status;
    resp.content_type = content_type;
    resp.body = (char *)body;
    resp.body_len = len;
    return decode_envelope(&resp, id, out, err);
}

/* POST body (its "id" member is set here) to path and decode the envelope. */
static int post(odoo_protocol *p, const char *path, json_object *body, json_object **out, odoo_rpc_error *err)
{
    odxproxy *x = (odxproxy *)p;
    char id[37];
    if (new_request_id(id) != 0)
        return odoo__error_set(err, ODOO_ERR_NOMEM, "no random bytes for a request id");
    size_t len = 0;
    const char *text = odoo__json_to_string(body, &len);
    if (!text)
        return odoo__error_nomem(err);
    /* The Odoo API key is written in our own buffer (wiped after the send),
     * never put in json-c, whose strings and print buffers are freed
     * unwiped: odoo_instance is the body's last member, so its key goes
     * just before the closing "}}". */
    int with_key = json_object_object_get_ex(body, "odoo_instance", NULL);
    if (len < 2 || text[len - 1] != '}' || (with_key && text[len - 2] != '}'))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "odoo_instance must be the last member of a gateway request");
    odoo_jsonbuf *b = &x->body;
    odoo__jb_reset(b, 0);
    odoo__jb_raw(b, text, len - (with_key ? 2 : 1));
    if (with_key) {
        odoo__jb_lit(b, ",\"api_key\":");
        odoo__jb_str(b, p->api_key ? p->api_key : "");
        odoo__jb_lit(b, "}");
    }
    if (b->len > 1)
        odoo__jb_lit(b, ",");
    odoo__jb_lit(b, "\"id\":");
    odoo__jb_str(b, id);
    odoo__jb_lit(b, "}");
    const char *headers[] = { x->key_header, "Accept: application/json", x->timeout_header, NULL };
    odoo_http_request req = { "POST", path, "application/json", headers, b->data, b->len };
    odoo_http_response resp;
    int rc = b->failed ? odoo__error_nomem(err) : odoo_http_send(p->http, &req, &resp, err);
    odoo__jb_reset(b, 1);
    if (rc)
        return rc;
    return decode_envelope(&resp, id, out, err);
}

static json_object *instance(odoo_protocol *p, int with_user)
{
    json_object *inst = json_object_new_object();
    if (!inst || odoo__object_add(inst, "url", json_object_new_string(p->url)) ||
        odoo__object_add(inst, "db", json_object_new_string(p->db ? p->db : "")) ||
        (with_user && odoo__object_add(inst, "user_id", json_object_new_int64(p->proxy_user_id)))) {
        json_object_put(inst);
        return NULL;
    }
    return inst;
}

int odoo_odxproxy_odoo_version(json_object **out, odoo_protocol *p, int api, odoo_rpc_error *err)
{
    if (!out) { /* NULL out: the request runs, the answer is discarded */
        json_object *discard = NULL;
        int rc = odoo_odxproxy_odoo_version(&discard, p, api, err);
        json_object_put(discard);
        return rc;
    }
    *out = NULL;
    if (!p || p->ops != &odoo__odxproxy_ops)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "not an ODXProxy connection");
    json_object *body = json_object_new_object();
    if (!body || odoo__object_add(body, "url", json_object_new_string(p->url))) {
        json_object_put(body);
        return odoo__error_nomem(err);
    }
    int rc = post(p, api == 2 ? "/v2/odoo/version" : "/api/odoo/version", body, out, err);
    json_object_put(body);
    if (rc == 0 && api == 2) {
        /* JSON-2's /json/version shape: {"version_info": [...], "version": "19.0"} */
        json_object *v, *vi;
        if (json_object_object_get_ex(*out, "version", &v) && json_object_object_get_ex(*out, "version_info", &vi)) {
            odoo__object_add(*out, "server_version", json_object_get(v));
            odoo__object_add(*out, "server_version_info", json_object_get(vi));
        }
    }
    if (rc == 0)
        odoo_protocol_learn_version(p, *out);
    return rc;
}

/* v2 only when the Odoo behind is 19+, an Odoo API key is given and the
 * gateway answers /v2 (0.9+); otherwise v1. Chosen once per connection. */
int odoo_odxproxy_api(odoo_protocol *p, odoo_rpc_error *err)
{
    if (!p || p->ops != &odoo__odxproxy_ops)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "not an ODXProxy connection");
    odxproxy *x = (odxproxy *)p;
    if (x->api)
        return x->api;
    json_object *info = NULL;
    int rc = odoo_odxproxy_odoo_version(&info, p, 1, err);
    json_object_put(info);
    if (rc)
        return rc;
    x->api = 1;
    if (p->server_major >= 19 && p->api_key && *p->api_key) {
        odoo_rpc_error probe_err = ODOO_RPC_ERROR_INIT;
        if (odoo_odxproxy_odoo_version(&info, p, 2, &probe_err) == 0)
            x->api = 2;
        json_object_put(info);
        odoo_rpc_error_clear(&probe_err);
    }
    return x->api;
}

static int execute_v1(odoo_protocol *p, const odoo_call_spec *call, json_object **out, odoo_rpc_error *err)
{
    if (p->proxy_user_id <= 0)
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
    rc = post(p, "/api/odoo/execute", body, out, err);
    json_object_put(body);
    return rc;
}

static int execute_v2(odoo_protocol *p, const odoo_call_spec *call, json_object **out, odoo_rpc_error *err)
{
    json_object *named = NULL;
    odoo_result_shape shape;
    int rc = odoo__call_named(call, &named, &shape, err);
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
    rc = post(p, "/v2/odoo/execute", body, out, err);
    json_object_put(body);
    return rc ? rc : odoo__reshape_result(out, shape, err);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static int odx_execute(odoo_protocol *p, const odoo_call_spec *call, json_object **out, odoo_rpc_error *err)
{
    odxproxy *x = (odxproxy *)p;
    int api = odoo_odxproxy_api(p, err);
    if (api < 0)
        return api;
    /* No retries unless asked for, and then only for reads: after a
     * gateway timeout the upstream call may have run. */
    int attempts = in_list(call->method, idempotent, sizeof(idempotent) / sizeof(idempotent[0])) ? x->retries : 0;
    long delay = x->backoff_ms;
    for (int i = 0;; i++) {
        int rc = api == 2 ? execute_v2(p, call, out, err) : execute_v1(p, call, out, err);
        if (!(rc == ODOO_ERR_PROXY_TIMEOUT || rc == ODOO_ERR_PROXY_UNREACHABLE) || i >= attempts)
            return rc;
        sleep_ms(delay);
        delay = delay * 2 > RETRY_CAP_MS ? RETRY_CAP_MS : delay * 2;
        odoo__error_reset(err);
    }
}

static int odx_authenticate(odoo_protocol *p, odoo_rpc_error *err)
{
    /* The gateway has no login: check the credentials with the cheapest
     * call that needs them, which also tells the uid behind an API key. */
    json_object *ctx = NULL, *uid = NULL;
    odoo_call_spec call = { "res.users", "context_get", NULL, NULL, NULL, NULL };
    int rc = odx_execute(p, &call, &ctx, err);
    if (rc)
        return rc;
    if (json_object_object_get_ex(ctx, "uid", &uid) && json_object_is_type(uid, json_type_int))
        p->uid = (long)json_object_get_int64(uid);
    else
        p->uid = p->proxy_user_id;
    p->logged_in = 1;
    json_object_put(ctx);
    return 0;
}

static int odx_version_info(odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo_odxproxy_odoo_version(out, p, 1, err);
}

/* GET one of the gateway's /_/ endpoints. */
static int get_ops(odoo_protocol *p, const char *path, odoo_http_response *resp, odoo_rpc_error *err)
{
    if (!p || p->ops != &odoo__odxproxy_ops)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "not an ODXProxy connection");
    odoo_http_request req = { "GET", path, NULL, NULL, NULL, 0 };
    int rc = odoo_http_send(p->http, &req, resp, err);
    if (rc == 0 && (resp->status < 200 || resp->status >= 300)) {
        rc = odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len, path);
        if (err)
            err->code = (int)resp->status;
    }
    return rc;
}

static int get_json(odoo_protocol *p, const char *path, json_object **out, odoo_rpc_error *err)
{
    odoo_http_response resp;
    if (!out) { /* NULL out: the request runs, the answer is discarded */
        json_object *discard = NULL;
        int rc = get_json(p, path, &discard, err);
        json_object_put(discard);
        return rc;
    }
    *out = NULL;
    int rc = get_ops(p, path, &resp, err);
    if (rc)
        return rc;
    json_object *doc = NULL, *result;
    if (odoo__json_parse(resp.body, resp.body_len, &doc) != 0 || !json_object_is_type(doc, json_type_object)) {
        json_object_put(doc);
        return odoo__error_from_http(err, resp.status, resp.content_type, resp.body, resp.body_len, "a JSON object");
    }
    /* Clients disagree on whether /_/about is enveloped: take both. */
    if (json_object_object_get_ex(doc, "result", &result) && json_object_object_get_ex(doc, "jsonrpc", NULL)) {
        *out = json_object_get(result);
        json_object_put(doc);
    } else {
        *out = doc;
    }
    return 0;
}

int odoo_odxproxy_about(json_object **out, odoo_protocol *p, odoo_rpc_error *err)
{
    return get_json(p, "/_/about", out, err);
}

int odoo_odxproxy_license(json_object **out, odoo_protocol *p, odoo_rpc_error *err)
{
    return get_json(p, "/_/license", out, err);
}

int odoo_odxproxy_metrics(char **out, odoo_protocol *p, odoo_rpc_error *err)
{
    odoo_http_response resp;
    if (!out) { /* NULL out: the request runs, the answer is discarded */
        char *discard = NULL;
        int rc = odoo_odxproxy_metrics(&discard, p, err);
        free(discard);
        return rc;
    }
    *out = NULL;
    int rc = get_ops(p, "/_/metrics", &resp, err);
    if (rc)
        return rc;
    if (!(*out = odoo__strndup(resp.body, resp.body_len)))
        return odoo__error_nomem(err);
    return 0;
}

const odoo_protocol_ops odoo__odxproxy_ops = {
    ODOO_PROTOCOL_OPS_VERSION, "odxproxy", ODOO_PROTOCOL_ODXPROXY,
    ODOO_CAP_INT64 | ODOO_CAP_NONE_VALUE | ODOO_CAP_API_KEY,
    sizeof(odxproxy),
    odx_open, odx_authenticate, odx_execute, odx_version_info, odx_close,
};
