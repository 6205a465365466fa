/* The JSON-RPC 2.0 envelope (odoo/sys/jsonrpc.h): one reader for Odoo's
 * /jsonrpc and /web/... answers and the ODXProxy gateway's. */
#include <string.h>

#include <json-c/json.h>

#include "odoo/sys/jsonrpc.h"
#include "../errors/error_internal.h"
#include "../errors/parse.h"
#include "base.h"
#include "envelope.h"
#include "value.h"

void odoo_jsonrpc_begin(odoo_buf *b)
{
    odoo_buf_reset(b, 0);
    odoo_buf_lit(b, "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":");
}

void odoo_jsonrpc_end(odoo_buf *b, long id)
{
    odoo_buf_lit(b, ",\"id\":");
    odoo_buf_int(b, id);
    odoo_buf_lit(b, "}");
}

static int id_matches(json_object *got, const odoo_jsonrpc_id *want)
{
    if (want->type == 1)
        return json_object_is_type(got, json_type_int) && json_object_get_int64(got) == want->num;
    return json_object_is_type(got, json_type_string) && want->str && strcmp(json_object_get_string(got), want->str) == 0;
}

int odoo_jsonrpc_decode(json_object **out, const odoo_http_response *resp, odoo_jsonrpc_dialect dialect,
                        const odoo_jsonrpc_id *id, odoo_rpc_error *err)
{
    const int gw = dialect == ODOO_JSONRPC_GATEWAY;
    const char *what = gw ? "a gateway JSON-RPC envelope" : "a JSON-RPC response";
    json_object *discard = NULL;
    if (!out)
        out = &discard;
    *out = NULL;
    if (!resp)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no response to decode");
    json_object *doc = NULL;
    /* Transport-level refusals (415 pages, "Invalid JSON data" 400s, 404
     * routes, a gateway's HTML) are not JSON: keep the status and the
     * first bytes. */
    int prc = odoo__json_parse(resp->body, resp->body_len, &doc);
    if (prc == ODOO_ERR_NOMEM)
        return odoo__error_nomem(err);
    if (prc != 0 || !json_object_is_type(doc, json_type_object)) {
        json_object_put(doc);
        return odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len, what);
    }
    /* The error member first: Odoo's errors come on 200 (and the
     * gateway's on any status). */
    json_object *error = NULL, *result = NULL, *rid = NULL;
    int rc = 0;
    const int ok_status = gw ? resp->status >= 200 && resp->status < 300 : resp->status == 200;
    if (json_object_object_get_ex(doc, "error", &error) && error) {
        if (!json_object_is_type(error, json_type_object))
            rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "malformed %serror member", gw ? "gateway " : "JSON-RPC ");
        else
            rc = gw ? odoo__error_from_proxy(err, resp->status, error)
                    : odoo__error_from_jsonrpc(err, error, resp->status);
        if (err && (!gw || !err->http_status))
            err->http_status = resp->status;
    } else if (!ok_status) {
        rc = odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len, what);
    } else if (id && id->type && json_object_object_get_ex(doc, "id", &rid) && rid && !id_matches(rid, id)) {
        /* The id is null only on errors raised before the body was read,
         * which are handled above. */
        if (id->type == 1)
            rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "JSON-RPC response id %s does not match request id %ld",
                                 json_object_get_string(rid), id->num);
        else
            rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "the gateway answered request %s to request %s",
                                 json_object_get_string(rid), id->str ? id->str : "");
    } else if (json_object_object_get_ex(doc, "result", &result)) {
        *out = json_object_get(result);
    } else if (gw) {
        rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "the gateway's answer has neither result nor error");
    } else if (!json_object_object_get_ex(doc, "jsonrpc", NULL) && !json_object_object_get_ex(doc, "id", NULL)) {
        rc = odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len, what);
    } /* else: Odoo left "result" out because the method returned None */
    if (rc && gw && err && !err->http_status)
        err->http_status = resp->status;
    json_object_put(doc);
    json_object_put(discard);
    return rc;
}

int odoo__jsonrpc_decode(const char *body, size_t len, long status, const char *content_type,
                         long expected_id, json_object **out, odoo_rpc_error *err)
{
    odoo_http_response resp = { status, content_type, (char *)body, len, -1 };
    odoo_jsonrpc_id id = { expected_id >= 0 ? 1 : 0, expected_id, NULL };
    return odoo_jsonrpc_decode(out, &resp, ODOO_JSONRPC_ODOO, &id, err);
}

/* A one-off JSON-RPC exchange the core itself makes (the db service),
 * outside any adapter: on the connection's transport, id 1 checked. */
int odoo__jsonrpc_call(odoo_protocol *p, const char *path, json_object *params, json_object **out,
                       odoo_rpc_error *err)
{
    odoo_buf b = ODOO_BUF_INIT;
    long id = odoo_protocol_next_id(p);
    odoo_jsonrpc_begin(&b);
    if (params)
        odoo_buf_json_value(&b, params);
    else
        odoo_buf_lit(&b, "{}");
    odoo_jsonrpc_end(&b, id);
    int rc;
    odoo_http_response resp;
    if (b.failed) {
        rc = odoo__error_nomem(err);
    } else {
        odoo_http_request req = { "POST", path, "application/json", NULL, b.data, b.len };
        rc = odoo_http_send(p->http, &req, &resp, err);
    }
    odoo_buf_free(&b);
    if (rc != 0)
        return rc;
    odoo_jsonrpc_id want = { 1, id, NULL };
    return odoo_jsonrpc_decode(out, &resp, ODOO_JSONRPC_ODOO, &want, err);
}
