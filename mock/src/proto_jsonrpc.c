/* odoo-mock — stateless POST /jsonrpc: {"service", "method", "args"}. */
#include <stdlib.h>
#include <string.h>

#include "jsonrpc_env.h"
#include "services.h"

/* Python's dict(sequence) applied to a list: pairs become a dict. */
static json_object *dict_from_list(json_object *list, mock_err *err)
{
    json_object *d = json_object_new_object();
    size_t n = json_object_array_length(list);
    for (size_t i = 0; i < n; i++) {
        json_object *el = json_object_array_get_idx(list, i);
        size_t len;
        if (json_object_get_type(el) == json_type_string) {
            const unsigned char *s = (const unsigned char *)json_object_get_string(el);
            len = 0;
            for (; *s; s++)
                if ((*s & 0xC0) != 0x80)
                    len++;
        } else if (json_object_get_type(el) == json_type_array) {
            len = json_object_array_length(el);
        } else if (json_object_get_type(el) == json_type_object) {
            len = (size_t)json_object_object_length(el);
        } else {
            json_object_put(d);
            om_err_set(err, E_TYPE, "cannot convert dictionary update sequence element #%zu to a sequence", i);
            return NULL;
        }
        if (len != 2) {
            json_object_put(d);
            om_err_set(err, E_VALUE, "dictionary update sequence element #%zu has length %zu; 2 is required",
                    i, len);
            return NULL;
        }
        if (json_object_get_type(el) == json_type_array &&
            json_object_get_type(json_object_array_get_idx(el, 0)) == json_type_string)
            json_object_object_add(d, json_object_get_string(json_object_array_get_idx(el, 0)),
                                   json_object_get(json_object_array_get_idx(el, 1)));
    }
    return d;
}

void om_proto_jsonrpc(mock_req *q, mock_resp *r)
{
    odoo_mock *m = q->m;
    if (!om_req_is_json(q, 1)) {
        om_resp_bad_content_type(r, m->version, "/jsonrpc", "jsonrpc", q->body_len == 0,
                              "application/json, application/json-rpc");
        return;
    }
    if (strcmp(q->method, "POST")) {
        om_resp_method_not_allowed(r, m->version);
        return;
    }
    int decode_error;
    char msg[200];
    json_object *body = om_jsonrpc_parse(q, r, &decode_error, msg, sizeof msg);
    if (!body)
        return;
    json_object *id = NULL, *params = NULL;
    json_object_object_get_ex(body, "id", &id);
    json_object_object_get_ex(body, "params", &params);
    mock_err err = MOCK_ERR_INIT;
    json_object *owned = NULL, *result = NULL;
    const char *qual = m->version >= 19 ? "JSONRPC.jsonrpc" : "RPC.jsonrpc";
    int rc = 0;
    if (params && json_object_get_type(params) == json_type_array) {
        owned = dict_from_list(params, &err);
        if (!owned)
            rc = -1;
        params = owned;
    } else if (params && json_object_get_type(params) != json_type_object &&
               json_object_get_type(params) != json_type_null) {
        rc = om_err_set(&err, E_TYPE, "'%s' object is not iterable",
                     json_object_get_type(params) == json_type_int ? "int" : "float");
    }
    json_object *service = NULL, *method = NULL, *args = NULL;
    if (!rc && params && json_object_get_type(params) == json_type_object) {
        json_object_object_foreach(params, key, val)
        {
            if (!strcmp(key, "service"))
                service = val;
            else if (!strcmp(key, "method"))
                method = val;
            else if (!strcmp(key, "args"))
                args = val;
            else {
                rc = om_err_set(&err, E_TYPE, "%s() got an unexpected keyword argument '%s'", qual, key);
                break;
            }
        }
    }
    if (!rc && (!service || !method || !args)) {
        const char *names[3];
        int n = 0;
        if (!service)
            names[n++] = "service";
        if (!method)
            names[n++] = "method";
        if (!args)
            names[n++] = "args";
        strbuf sb;
        om_sb_init(&sb);
        for (int i = 0; i < n; i++) {
            if (i)
                om_sb_adds(&sb, n == 2 ? " and " : (i == n - 1 ? ", and " : ", "));
            om_sb_addf(&sb, "'%s'", names[i]);
        }
        rc = om_err_set(&err, E_TYPE, "%s() missing %d required positional argument%s: %s", qual, n,
                     n == 1 ? "" : "s", sb.buf);
        om_sb_free(&sb);
    }
    if (!rc && json_object_get_type(args) != json_type_array)
        rc = om_err_set(&err, E_TYPE, "odoo.http.dispatch_rpc() argument after * must be an iterable");
    if (!rc) {
        const char *svc = json_object_get_type(service) == json_type_string ? json_object_get_string(service) : "";
        const char *meth = json_object_get_type(method) == json_type_string ? json_object_get_string(method) : "";
        rc = om_rpc_dispatch(m, svc, meth, args, &result, &err);
    }
    if (rc)
        om_jsonrpc_reply_error(r, m->version, id, &err, "jsonrpc");
    else
        om_jsonrpc_reply(r, id, result);
    json_object_put(result);
    json_object_put(owned);
    json_object_put(body);
    om_err_clear(&err);
}
