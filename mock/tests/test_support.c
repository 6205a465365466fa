/* odoo-mock tests — protocol helpers. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

odoo_mock *ts_start(int version, int partners)
{
    odoo_mock_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.odoo_version = version;
    cfg.partners = partners;
    cfg.quiet = 1;
    odoo_mock *m = NULL;
    if (odoo_mock_start(&m, &cfg) != 0)
        return NULL;
    return m;
}

int ts_post(odoo_mock *m, const char *path, const char *ctype, const char *body, http_response *r)
{
    char h[128];
    snprintf(h, sizeof h, "Content-Type: %s", ctype);
    const char *hdrs[] = {h, NULL};
    http_do(odoo_mock_port(m), "POST", path, hdrs, body, r);
    return r->status;
}

static json_object *post_json(odoo_mock *m, const char *path, const char *body, const char *extra_header)
{
    const char *hdrs[] = {"Content-Type: application/json", extra_header, NULL};
    http_response r;
    http_do(odoo_mock_port(m), "POST", path, hdrs, body, &r);
    json_object *o = r.error ? NULL : json_tokener_parse(r.body);
    http_response_free(&r);
    return o;
}

json_object *ts_jsonrpc(odoo_mock *m, const char *service, const char *method, const char *args_json)
{
    char *body = NULL;
    if (asprintf(&body,
                 "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {\"service\": \"%s\", "
                 "\"method\": \"%s\", \"args\": %s}, \"id\": 1}",
                 service, method, args_json) < 0)
        return NULL;
    json_object *o = post_json(m, "/jsonrpc", body, NULL);
    free(body);
    return o;
}

json_object *ts_execute(odoo_mock *m, int uid, const char *password, const char *model,
                        const char *method, const char *args_json, const char *kwargs_json)
{
    char *args = NULL;
    if (asprintf(&args, "[\"%s\", %d, \"%s\", \"%s\", \"%s\", %s, %s]", odoo_mock_db(m), uid,
                 password, model, method, args_json ? args_json : "[]",
                 kwargs_json ? kwargs_json : "{}") < 0)
        return NULL;
    json_object *o = ts_jsonrpc(m, "object", "execute_kw", args);
    free(args);
    return o;
}

json_object *ts_result(json_object *envelope)
{
    json_object *r = NULL;
    json_object_object_get_ex(envelope, "result", &r);
    return r;
}

const char *ts_error_name(json_object *envelope)
{
    json_object *e, *d, *n;
    if (json_object_object_get_ex(envelope, "error", &e) && json_object_object_get_ex(e, "data", &d) &&
        json_object_object_get_ex(d, "name", &n))
        return json_object_get_string(n);
    return NULL;
}

char *ts_web_login(odoo_mock *m, const char *login, const char *password, json_object **envelope)
{
    char *body = NULL;
    if (asprintf(&body,
                 "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {\"db\": \"%s\", "
                 "\"login\": \"%s\", \"password\": \"%s\"}, \"id\": 1}",
                 odoo_mock_db(m), login, password) < 0)
        return NULL;
    const char *hdrs[] = {"Content-Type: application/json", NULL};
    http_response r;
    http_do(odoo_mock_port(m), "POST", "/web/session/authenticate", hdrs, body, &r);
    free(body);
    char *sid = NULL;
    const char *sc = http_get_header(&r, "Set-Cookie");
    if (sc && !strncmp(sc, "session_id=", 11))
        sid = strndup(sc + 11, strcspn(sc + 11, ";"));
    if (envelope)
        *envelope = json_tokener_parse(r.body);
    http_response_free(&r);
    return sid;
}

json_object *ts_call_kw(odoo_mock *m, const char *sid, const char *model, const char *method,
                        const char *args_json, const char *kwargs_json)
{
    char *body = NULL, *cookie = NULL, *path = NULL;
    if (asprintf(&body,
                 "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {\"model\": \"%s\", "
                 "\"method\": \"%s\", \"args\": %s, \"kwargs\": %s}, \"id\": 7}",
                 model, method, args_json ? args_json : "[]", kwargs_json ? kwargs_json : "{}") < 0)
        return NULL;
    if (asprintf(&cookie, "Cookie: session_id=%s", sid ? sid : "") < 0 ||
        asprintf(&path, "/web/dataset/call_kw/%s/%s", model, method) < 0)
        return NULL;
    json_object *o = post_json(m, path, body, sid ? cookie : NULL);
    free(body);
    free(cookie);
    free(path);
    return o;
}

json_object *ts_json2(odoo_mock *m, const char *key, const char *model, const char *method,
                      const char *params_json, int *status)
{
    char *auth = NULL, *path = NULL;
    if (asprintf(&auth, "Authorization: bearer %s", key) < 0 ||
        asprintf(&path, "/json/2/%s/%s", model, method) < 0)
        return NULL;
    const char *hdrs[] = {"Content-Type: application/json", auth, NULL};
    http_response r;
    http_do(odoo_mock_port(m), "POST", path, hdrs, params_json, &r);
    if (status)
        *status = r.status;
    json_object *o = r.error ? NULL : json_tokener_parse(r.body);
    http_response_free(&r);
    free(auth);
    free(path);
    return o;
}
