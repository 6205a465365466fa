/* odoo-mock — building responses: werkzeug-style HTML error pages, JSON
 * bodies, session cookies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mock_internal.h"
#include "pyjson.h"

void om_resp_init(mock_resp *r)
{
    memset(r, 0, sizeof *r);
    r->status = 200;
}

void om_resp_free(mock_resp *r)
{
    free(r->body);
    for (int i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    memset(r, 0, sizeof *r);
}

void om_resp_set(mock_resp *r, int status, const char *ctype, char *body, size_t len)
{
    free(r->body);
    r->status = status;
    om_str_copy(r->content_type, sizeof r->content_type, ctype);
    r->body = body;
    r->len = len;
}

void om_resp_add_header(mock_resp *r, const char *name, const char *value)
{
    if (r->nheaders >= (int)(sizeof r->headers / sizeof r->headers[0]))
        return;
    r->headers[r->nheaders].name = om_xstrdup(name);
    r->headers[r->nheaders].value = om_xstrdup(value);
    r->nheaders++;
}

void om_resp_html(mock_resp *r, int status, const char *html)
{
    om_resp_set(r, status, "text/html; charset=utf-8", om_xstrdup(html), strlen(html));
    r->kind = RK_HTML;
}

void om_resp_text_html(mock_resp *r, int status, const char *text)
{
    om_resp_html(r, status, text);
    r->nosniff = 1;
    r->kind = RK_TEXT;
}

void om_resp_json(mock_resp *r, int status, json_object *v)
{
    size_t len;
    char *body = om_pyjson_dumps(v, &len);
    om_resp_set(r, status, "application/json; charset=utf-8", body, len);
}

static void werkzeug_page(mock_resp *r, int status, const char *title, const char *desc)
{
    char *html = om_xasprintf("<!doctype html>\n<html lang=en>\n<title>%d %s</title>\n<h1>%s</h1>\n"
                           "<p>%s</p>\n",
                           status, title, title, desc);
    om_resp_set(r, status, "text/html; charset=utf-8", html, strlen(html));
    r->kind = RK_HTML;
}

void om_resp_not_found(mock_resp *r)
{
    werkzeug_page(r, 404, "Not Found",
                  "The requested URL was not found on the server. If you entered the URL manually "
                  "please check your spelling and try again.");
}

void om_resp_method_not_allowed(mock_resp *r, int version)
{
    om_resp_method_not_allowed_allow(r, version >= 19 ? "POST, OPTIONS" : "OPTIONS, POST");
}

void om_resp_method_not_allowed_allow(mock_resp *r, const char *allow)
{
    werkzeug_page(r, 405, "Method Not Allowed", "The method is not allowed for the requested URL.");
    om_resp_add_header(r, "Allow", allow);
}

void om_resp_bad_content_type(mock_resp *r, int version, const char *route, const char *route_type,
                           int no_body, const char *accept)
{
    char desc[512];
    const char *inferred = (no_body && version >= 19) ? "[&#39;http&#39;, &#39;json2&#39;]"
                                                       : "[&#39;http&#39;]";
    if (version >= 19) {
        snprintf(desc, sizeof desc,
                 "Request inferred type is compatible with %s but &#39;%s&#39; is "
                 "type=&#39;%s&#39;.<br><br>Please verify the Content-Type request header and "
                 "try again.",
                 inferred, route, route_type);
        werkzeug_page(r, 415, "Unsupported Media Type", desc);
        if (accept)
            om_resp_add_header(r, "Accept", accept);
    } else {
        snprintf(desc, sizeof desc,
                 "Request inferred type is compatible with %s but &#39;%s&#39; is "
                 "type=&#39;%s&#39;.",
                 inferred, route, !strcmp(route_type, "jsonrpc") ? "json" : route_type);
        werkzeug_page(r, 400, "Bad Request", desc);
    }
}

void om_resp_session_cookie(mock_resp *r, const char *sid)
{
    char date[40];
    om_fmt_http_date(om_now_unix() + 365LL * 24 * 3600, date);
    char *v = om_xasprintf("session_id=%s; Expires=%s; Max-Age=604800; HttpOnly; Path=/", sid, date);
    om_resp_add_header(r, "Set-Cookie", v);
    free(v);
}

int om_req_is_json(const mock_req *q, int allow_jsonrpc)
{
    if (!q->content_type)
        return 0;
    const char *ct = q->content_type;
    while (*ct == ' ')
        ct++;
    size_t n = strcspn(ct, "; \t");
    if (n == 16 && !strncasecmp(ct, "application/json", 16))
        return 1;
    if (allow_jsonrpc && n == 20 && !strncasecmp(ct, "application/json-rpc", 20))
        return 1;
    return 0;
}

const char *om_version_string(int version)
{
    switch (version) {
    case 16: return "16.0";
    case 17: return "17.0";
    case 18: return "18.0";
    default: return "19.0";
    }
}

json_object *om_version_info(int version)
{
    json_object *a = json_object_new_array();
    json_object_array_add(a, json_object_new_int(version));
    json_object_array_add(a, json_object_new_int(0));
    json_object_array_add(a, json_object_new_int(0));
    json_object_array_add(a, json_object_new_string("final"));
    json_object_array_add(a, json_object_new_int(0));
    json_object_array_add(a, json_object_new_string(""));
    return a;
}

json_object *om_version_info_dict(int version)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "server_version", json_object_new_string(om_version_string(version)));
    json_object_object_add(o, "server_version_info", om_version_info(version));
    json_object_object_add(o, "server_serie", json_object_new_string(om_version_string(version)));
    json_object_object_add(o, "protocol_version", json_object_new_int(1));
    return o;
}

json_object *om_json_version_dict(int version)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "version_info", om_version_info(version));
    json_object_object_add(o, "version", json_object_new_string(om_version_string(version)));
    return o;
}
