/* The JSON-RPC 2.0 envelope, shared by the session and stateless adapters. */
#include <string.h>

#include <json-c/json.h>

#include "../errors/error_internal.h"
#include "../errors/parse.h"
#include "envelope.h"
#include "value.h"

int odoo__jsonrpc_decode(const char *body, size_t len, long status, const char *content_type,
                         long expected_id, json_object **out, odoo_rpc_error *err)
{
    *out = NULL;
    json_object *doc = NULL;
    /* Transport-level refusals (415 pages, "Invalid JSON data" 400s, 404
     * routes) are not JSON: keep the status and the first bytes. */
    int prc = odoo__json_parse(body, len, &doc);
    if (prc == ODOO_ERR_NOMEM)
        return odoo__error_nomem(err);
    if (prc != 0 || !json_object_is_type(doc, json_type_object)) {
        json_object_put(doc);
        (void)content_type;
        return odoo__error_from_http(err, status, content_type, body, len, "a JSON-RPC response");
    }
    json_object *error = NULL, *result = NULL, *id = NULL;
    if (json_object_object_get_ex(doc, "error", &error) && error) {
        int kind = json_object_is_type(error, json_type_object)
                 ? odoo__error_from_jsonrpc(err, error, status)
                 : odoo__error_set(err, ODOO_ERR_PROTOCOL, "malformed JSON-RPC error member");
        if (err)
            err->http_status = status;
        json_object_put(doc);
        return kind;
    }
    if (status != 200) {
        int kind = odoo__error_from_http(err, status, content_type, body, len, "a JSON-RPC response");
        json_object_put(doc);
        return kind;
    }
    /* Odoo echoes the id; it is null only on errors raised before the body
     * was read, which are handled above. */
    if (expected_id >= 0 && json_object_object_get_ex(doc, "id", &id) && id &&
        !(json_object_is_type(id, json_type_int) && json_object_get_int64(id) == expected_id)) {
        int kind = odoo__error_set(err, ODOO_ERR_PROTOCOL, "JSON-RPC response id %s does not match request id %ld",
                                   json_object_get_string(id), expected_id);
        json_object_put(doc);
        return kind;
    }
    if (json_object_object_get_ex(doc, "result", &result))
        *out = json_object_get(result);
    else if (!json_object_object_get_ex(doc, "jsonrpc", NULL) && !json_object_object_get_ex(doc, "id", NULL)) {
        json_object_put(doc);
        return odoo__error_from_http(err, status, content_type, body, len, "a JSON-RPC response");
    }
    json_object_put(doc);
    return 0;
}

void odoo__jsonrpc_begin(odoo_jsonbuf *b)
{
    odoo__jb_reset(b, 0);
    odoo__jb_lit(b, "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":");
}

int odoo__jsonrpc_send(odoo_protocol *p, odoo_jsonbuf *b, const char *path, json_object **out,
                       odoo_rpc_error *err)
{
    *out = NULL;
    long id = ++p->request_id;
    odoo__jb_lit(b, ",\"id\":");
    odoo__jb_int(b, id);
    odoo__jb_lit(b, "}");
    int rc;
    odoo_http_response resp;
    if (b->failed) {
        rc = odoo__error_nomem(err);
    } else {
        odoo_http_request hreq = { "POST", path, "application/json", NULL, b->data, b->len };
        rc = odoo_http_send(p->http, &hreq, &resp, err);
    }
    odoo__jb_reset(b, 1);
    if (rc != 0)
        return rc;
    return odoo__jsonrpc_decode(resp.body, resp.body_len, resp.status, resp.content_type, id, out, err);
}

int odoo__jsonrpc_call(odoo_protocol *p, const char *path, json_object *params, json_object **out,
                       odoo_rpc_error *err)
{
    odoo_jsonbuf b = ODOO_JSONBUF_INIT;
    odoo__jsonrpc_begin(&b);
    if (params)
        odoo__jb_value(&b, params);
    else
        odoo__jb_lit(&b, "{}");
    int rc = odoo__jsonrpc_send(p, &b, path, out, err);
    odoo__jb_free(&b);
    return rc;
}
