/* JSON-2 (Odoo 19+): POST /json/2/<model>/<method> with a bearer API key
 * and a JSON object of named arguments; the answer is the bare result or
 * an HTTP error status with Odoo's exception object. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "../core/apidoc.h"
#include "../core/callconv.h"
#include "../core/value.h"
#include "../errors/error_internal.h"
#include "../errors/parse.h"
#include "adapters.h"

typedef struct {
    odoo_protocol base;
    char *auth_header;   /* "Authorization: bearer <key>" */
    char *db_header;     /* "X-Odoo-Database: <db>" or NULL */
    odoo__apidoc *docs;  /* /doc-bearer descriptions asked so far, or NULL */
} json2;

static int json2_open(odoo_protocol *p, const odoo_options *opts, odoo_rpc_error *err)
{
    json2 *j = (json2 *)p;
    (void)opts;
    if (p->api_key) {
        if (!odoo__header_safe(p->api_key))
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "the API key contains control characters");
        size_t n = strlen(p->api_key) + sizeof("bearer ");
        char *value = malloc(n);
        if (!value)
            return odoo__error_nomem(err);
        snprintf(value, n, "bearer %s", p->api_key);
        j->auth_header = odoo__header_line("Authorization", value);
        odoo__free_secret(value);
        if (!j->auth_header)
            return odoo__error_nomem(err);
    }
    if (p->db && *p->db) {
        if (!odoo__header_safe(p->db))
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "the database name contains control characters");
        if (!(j->db_header = odoo__header_line("X-Odoo-Database", p->db)))
            return odoo__error_nomem(err);
    }
    return 0;
}

static void json2_close(odoo_protocol *p)
{
    json2 *j = (json2 *)p;
    odoo__free_secret(j->auth_header);
    free(j->db_header);
    odoo__apidoc_free(j->docs);
}

/* A refusal that comes as an HTML page and deserves plain words: a
 * database the server does not serve (HTML 404 naming X-Odoo-Database). */
static int post_error(odoo_protocol *p, const odoo_http_response *resp, odoo_rpc_error *err)
{
    int kind = odoo__error_from_json2(err, resp->status, resp->content_type, resp->body, resp->body_len);
    if (kind != ODOO_ERR_PROTOCOL || !err)
        return kind;
    if (resp->status == 404 && resp->body && strstr(resp->body, "X-Odoo-Database")) {
        char msg[300];
        snprintf(msg, sizeof(msg), "database '%s' is not served here (unknown, or refused by the server's "
                 "dbfilter); check options.db", p->db ? p->db : "");
        if (odoo__error_set_message(err, msg))
            return odoo__error_nomem(err);
        err->kind = ODOO_ERR_NOT_FOUND;
        return ODOO_ERR_NOT_FOUND;
    }
    return kind;
}

/* scheme://host[:port] of a URL, user:password@ skipped: *len bytes from the result. */
static const char *origin(const char *url, size_t *len, const char **rest)
{
    const char *sep = strstr(url, "://");
    const char *host = sep ? sep + 3 : url;
    const char *end = host + strcspn(host, "/?#");
    const char *at = memchr(host, '@', (size_t)(end - host));
    if (at)
        host = at + 1;
    *len = (size_t)(end - host);
    *rest = end;
    return host;
}

/* The transport refuses every redirect (naming its target); an Odoo
 * before 19 sends /json/2 to its own login page, which says more. */
static int redirected(odoo_protocol *p, const odoo_http_response *resp, int rc, odoo_rpc_error *err)
{
    const char *loc = odoo_http_redirect_location(p->http), *base = odoo_http_base_url(p->http);
    if (rc != ODOO_ERR_PROTOCOL || resp->status < 300 || resp->status >= 400 || !loc || !base || !err)
        return rc;
    size_t bl, ll;
    const char *brest, *lrest;
    const char *bh = origin(base, &bl, &brest), *lh = origin(loc, &ll, &lrest);
    size_t bscheme = (size_t)(strstr(base, "://") ? strstr(base, "://") - base : 0);
    if (bl != ll || strncasecmp(bh, lh, bl) != 0 || strncasecmp(base, loc, bscheme + 3) != 0 ||
        strncmp(lrest, "/web/login", 10) != 0)
        return rc; /* another host or page: the transport's message names it */
    char msg[512];
    snprintf(msg, sizeof(msg), "this server does not speak JSON-2 (Odoo 19 and later only): it redirected "
             "/json/2 to its login page (%s); use jsonrpc or xmlrpc", loc);
    return odoo__error_set_message(err, msg) ? odoo__error_nomem(err) : rc;
}

/* POST body to /json/2/<model>/<method> and decode the bare answer. */
static int post(odoo_protocol *p, const char *model, const char *method, json_object *body,
                json_object **out, odoo_rpc_error *err)
{
    json2 *j = (json2 *)p;
    *out = NULL;
    if (!j->auth_header)
        return odoo__error_set(err, ODOO_ERR_AUTH,
                               "JSON-2 needs an API key (options.api_key); passwords are refused");
    char path[320];
    snprintf(path, sizeof(path), "/json/2/%s/%s", model, method);
    const char *headers[3] = { j->auth_header, j->db_header, NULL };
    size_t len = 0;
    const char *text = odoo__json_to_string(body, &len);
    if (!text)
        return odoo__error_nomem(err);
    odoo_http_request req = { "POST", path, "application/json", headers, text, len };
    odoo_http_response resp;
    int rc = odoo_http_send(p->http, &req, &resp, err);
    if (rc != 0)
        return redirected(p, &resp, rc, err);
    if (resp.status != 200)
        return post_error(p, &resp, err);
    int prc = odoo__json_parse(resp.body, resp.body_len, out);
    if (prc == ODOO_ERR_NOMEM)
        return odoo__error_nomem(err);
    if (prc != 0)
        return odoo__error_from_http(err, resp.status, resp.content_type, resp.body, resp.body_len,
                                     "a JSON-2 result");
    return 0;
}

static int json2_execute(odoo_protocol *p, const odoo_call_spec *call, json_object **out, odoo_rpc_error *err)
{
    json2 *j = (json2 *)p;
    json_object *named = NULL;
    odoo_result_shape shape;
    const odoo__doc_method *doc = NULL;
    int rc;
    /* Positional args of a method outside the table: name them from the
     * server's own description (asked once per model). */
    if (odoo__call_needs_doc(call)) {
        *out = NULL;
        if (!j->auth_header)
            return odoo__error_set(err, ODOO_ERR_AUTH,
                                   "JSON-2 needs an API key (options.api_key); passwords are refused");
        const char *headers[3] = { j->auth_header, j->db_header, NULL };
        if ((rc = odoo__apidoc_method(&doc, &j->docs, p->http, headers, call->model, call->method, err)) != 0)
            return rc;
    }
    rc = odoo__call_named_doc(call, doc, &named, &shape, err);
    if (rc != 0)
        return rc;
    rc = post(p, call->model, call->method, named, out, err);
    json_object_put(named);
    return rc ? rc : odoo__reshape_result(out, shape, err);
}

static int json2_authenticate(odoo_protocol *p, odoo_rpc_error *err)
{
    /* There is no login: the key is checked on every request. The uid
     * behind it is in the user's context. */
    json_object *body = json_object_new_object(), *ctx = NULL, *uid;
    if (!body)
        return odoo__error_nomem(err);
    int rc = post(p, "res.users", "context_get", body, &ctx, err);
    json_object_put(body);
    if (rc != 0)
        return rc;
    if (!json_object_object_get_ex(ctx, "uid", &uid) || !json_object_is_type(uid, json_type_int)) {
        json_object_put(ctx);
        return odoo__error_set(err, ODOO_ERR_PROTOCOL, "res.users/context_get answered without a uid");
    }
    p->uid = (long)json_object_get_int64(uid);
    p->logged_in = 1;
    json_object_put(ctx);
    return 0;
}

static int json2_version_info(odoo_protocol *p, json_object **out, odoo_rpc_error *err)
{
    *out = NULL;
    odoo_http_request req = { "GET", "/web/version", NULL, NULL, NULL, 0 };
    odoo_http_response resp;
    int rc = odoo_http_send(p->http, &req, &resp, err);
    if (rc != 0)
        return rc;
    json_object *doc = NULL, *vi = NULL, *v = NULL;
    if (resp.status != 200 || odoo__json_parse(resp.body, resp.body_len, &doc) != 0 ||
        !json_object_object_get_ex(doc, "version_info", &vi) || !json_object_object_get_ex(doc, "version", &v)) {
        json_object_put(doc);
        /* Odoo 18 and older answer an HTML 404 here. */
        return odoo__error_from_http(err, resp.status, resp.content_type, resp.body, resp.body_len,
                                     "the /web/version answer of Odoo 19+");
    }
    /* Same keys as common.version on the other protocols. */
    if (odoo__object_add_value(doc, "server_version", json_object_get(v)) ||
        odoo__object_add_value(doc, "server_version_info", json_object_get(vi))) {
        json_object_put(doc);
        return odoo__error_nomem(err);
    }
    *out = doc;
    return 0;
}

const odoo_protocol_ops odoo__json2_ops = {
    ODOO_PROTOCOL_OPS_VERSION, "json2", ODOO_PROTOCOL_JSON2,
    ODOO_CAP_NAMED_ARGS_ONLY | ODOO_CAP_INT64 | ODOO_CAP_NONE_VALUE | ODOO_CAP_API_KEY,
    sizeof(json2),
    json2_open, json2_authenticate, json2_execute, json2_version_info, json2_close,
};
