/* odoo-mock — XML-RPC endpoints: /xmlrpc/2/<service> (integer fault
 * codes) and the legacy /xmlrpc/<service> (string fault codes). */
#include <stdlib.h>
#include <string.h>

#include "mock_internal.h"
#include "services.h"
#include "xmlrpc.h"

static void fault_response(mock_resp *r, const mock_err *e, int legacy)
{
    strbuf sb;
    om_sb_init(&sb);
    char *tb = om_err_traceback(e, "xmlrpc");
    if (!legacy) {
        int code = om_err_fault_code(e->kind);
        om_xr_dump_fault_int(&sb, code, code == 1 ? tb : om_err_message(e));
    } else {
        const char *prefix = NULL;
        switch (e->kind) {
        case E_MISSING: prefix = "MissingError"; break;
        case E_ACCESS_ERROR: prefix = "AccessError"; break;
        case E_USER:
        case E_VALIDATION: prefix = "UserError"; break;
        default: break;
        }
        if (prefix) {
            char *code = om_xasprintf("warning -- %s\n\n%s", prefix, om_err_message(e));
            om_xr_dump_fault_str(&sb, code, "");
            free(code);
        } else if (e->kind == E_ACCESS_DENIED) {
            om_xr_dump_fault_str(&sb, "AccessDenied", om_err_message(e));
        } else if (e->kind == E_KEY) {
            char *code = om_xasprintf("'%s'", om_err_message(e));
            om_xr_dump_fault_str(&sb, code, tb);
            free(code);
        } else {
            om_xr_dump_fault_str(&sb, om_err_message(e), tb);
        }
    }
    free(tb);
    size_t len;
    char *body = om_sb_detach(&sb, &len);
    om_resp_set(r, 200, "text/xml; charset=utf-8", body, len);
}

void om_proto_xmlrpc(mock_req *q, mock_resp *r)
{
    odoo_mock *m = q->m;
    const char *rest = q->path + strlen("/xmlrpc/");
    int legacy = 1;
    if (om_str_startswith(rest, "2/")) {
        legacy = 0;
        rest += 2;
    }
    if (!*rest || strchr(rest, '/')) {
        om_resp_not_found(r);
        return;
    }
    if (strcmp(q->method, "POST")) {
        om_resp_method_not_allowed(r, m->version);
        return;
    }
    r->kind = RK_XML;
    r->nosniff = 1;
    mock_err err = MOCK_ERR_INIT;
    xr_call call;
    char msg[300];
    int prc = om_xr_parse_call(q->body ? q->body : "", q->body_len, &call, msg, sizeof msg);
    if (prc != XR_OK) {
        om_err_set(&err, prc == XR_EXPAT ? E_EXPAT : prc == XR_TYPE ? E_TYPE : E_VALUE, "%s", msg);
        fault_response(r, &err, legacy);
        r->kind = RK_XML;
        r->nosniff = 1;
        om_err_clear(&err);
        return;
    }
    json_object *result = NULL;
    int rc;
    if (!call.method)
        rc = om_err_set(&err, E_TYPE, "can only concatenate str (not \"NoneType\") to str");
    else
        rc = om_rpc_dispatch(m, rest, call.method, call.params, &result, &err);
    if (rc == 0) {
        strbuf sb;
        om_sb_init(&sb);
        int mrc = om_xr_dump_response(&sb, result);
        if (mrc == 0) {
            size_t len;
            char *body = om_sb_detach(&sb, &len);
            om_resp_set(r, 200, "text/xml; charset=utf-8", body, len);
        } else {
            om_sb_free(&sb);
            if (mrc == 1)
                om_err_set(&err, E_TYPE, "cannot marshal None unless allow_none is enabled");
            else
                om_err_set(&err, E_OVERFLOW, "int exceeds XML-RPC limits");
            fault_response(r, &err, legacy);
        }
    } else {
        fault_response(r, &err, legacy);
    }
    r->kind = RK_XML;
    r->nosniff = 1;
    json_object_put(result);
    om_xr_call_free(&call);
    om_err_clear(&err);
}
