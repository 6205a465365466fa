/* JSON-RPC with a web session: /web/session/authenticate once, then
 * /web/dataset/call_kw with the session cookie (kept by the transport). */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "../core/callconv.h"
#include "../core/jsonbuf.h"
#include "../core/envelope.h"
#include "../core/secret.h"
#include "../core/value.h"
#include "../errors/error_internal.h"
#include "adapters.h"

typedef struct {
    odoo_protocol base;
    odoo_jsonbuf body;   /* request bodies, reused */
} session;

static int session_open(odoo_protocol *p, const odoo_options *opts, odoo_rpc_error *err)
{
    (void)opts;
    if (odoo_http_enable_cookies(p->http) != 0)
        return odoo__error_set(err, ODOO_ERR_NOMEM, "libcurl could not start its cookie store");
    return 0;
}

static int session_authenticate(odoo_protocol *p, odoo_rpc_error *err)
{
    p->logged_in = 0;
    if (!p->password || !*p->password) {
        if (p->api_key)
            return odoo__error_set(err, ODOO_ERR_AUTH,
                "the web-session login (/web/session/authenticate) refuses API keys; give a password, "
                "or use a protocol that takes keys: json2 (Odoo 19+), jsonrpc-stateless or xmlrpc");
        return odoo__error_set(err, ODOO_ERR_AUTH, "no password given (the web session needs one)");
    }
    if (!p->db || !*p->db)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no database given (options.db)");
    if (!p->login || !*p->login)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no login given (options.login)");

    /* Written straight into our buffer, never into json-c objects: their
     * strings and print buffers are freed without being wiped. */
    odoo_jsonbuf *b = &((session *)p)->body;
    odoo__jsonrpc_begin(b);
    odoo__jb_lit(b, "{\"db\":");
    odoo__jb_str(b, p->db);
    odoo__jb_lit(b, ",\"login\":");
    odoo__jb_str(b, p->login);
    odoo__jb_lit(b, ",\"password\":");
    odoo__jb_str(b, p->password);
    odoo__jb_lit(b, "}");
    json_object *info = NULL;
    int rc = odoo__jsonrpc_send(p, b, "/web/session/authenticate", &info, err);
    if (rc != 0)
        return rc;
    json_object *uid = NULL;
    if (!info || !json_object_object_get_ex(info, "uid", &uid) || !json_object_is_type(uid, json_type_int) ||
        json_object_get_int64(uid) <= 0) {
        /* Odoo "succeeds" with uid null when the user has two-factor
         * authentication: only API keys work then, on other protocols. */
        rc = odoo__error_set(err, ODOO_ERR_AUTH, "%s",
            info && json_object_object_get_ex(info, "uid", NULL) && !uid
                ? "login needs a second factor (2FA): use an API key with json2, "
                          "jsonrpc-stateless or xmlrpc"
                        : "the login answer has no uid");
        json_object_put(info);
        return rc;
    }
    p->uid = (long)json_object_get_int64(uid);
    p->logged_in = 1;
    odoo_protocol_learn_version(p, info);
    json_object_put(info);
    /* The session cookie is a credential too: mask it in traces and
     * errors (pages that echo request headers) from now on. */
    char *sid = odoo_http_cookie(p->http, "session_id");
    rc = odoo__http_set_session_secret(p->http, sid);
    odoo__free_secret(sid);
    return rc ? odoo__error_nomem(err) : 0;
}

/* params {"model", "method", "args", "kwargs"}: all four are required. */
static int session_execute(odoo_protocol *p, const odoo_call_spec *call, json_object **out, odoo_rpc_error *err)
{
    odoo_jsonbuf *b = &((session *)p)->body;
    odoo__jsonrpc_begin(b);
    odoo__jb_lit(b, "{\"model\":");
    odoo__jb_str(b, call->model);
    odoo__jb_lit(b, ",\"method\":");
    odoo__jb_str(b, call->method);
    odoo__jb_lit(b, ",\"args\":");
    odoo__jb_call_args(b, call);
    odoo__jb_lit(b, ",\"kwargs\":");
    odoo__jb_call_kwargs(b, call);
    odoo__jb_lit(b, "}");
    /* The path suffix is cosmetic for Odoo (it shows in its logs); model
     * and method names were validated, so they are safe in a URL. */
    char path[320];
    snprintf(path, sizeof(path), "/web/dataset/call_kw/%s/%s", call->model, call->method);
    return odoo__jsonrpc_send(p, b, path, out, err);
}

static int session_version_info(odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    return odoo__jsonrpc_call(p, "/web/webclient/version_info", NULL, out, err);
}

static void session_close(odoo_protocol *p)
{
    odoo__jb_free(&((session *)p)->body);
    if (!p->logged_in)
        return;
    /* End the session on the server; a failure here changes nothing for
     * the caller, who is closing anyway. */
    json_object *ignored = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo__jsonrpc_call(p, "/web/session/destroy", NULL, &ignored, &err);
    json_object_put(ignored);
    odoo_rpc_error_clear(&err);
    p->logged_in = 0;
}

const odoo_protocol_ops odoo__jsonrpc_ops = {
    ODOO_PROTOCOL_OPS_VERSION, "jsonrpc", ODOO_PROTOCOL_JSONRPC,
    ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_SESSION | ODOO_CAP_INT64 | ODOO_CAP_NONE_VALUE | ODOO_CAP_PASSWORD,
    sizeof(session),
    session_open, session_authenticate, session_execute, session_version_info, session_close,
};
