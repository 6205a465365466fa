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
    char *auth_header;   /* "Authorization: bearer <key>" */
    char *db_header;     /* "X-Odoo-Database: <db>" or NULL */
    const char *headers[3];
    odoo__apidoc *docs;  /* /doc-bearer descriptions asked so far, or NULL */
    json_object *named;  /* the body of the call in flight (its text is the request's) */
    odoo_result_shape shape;
    int doc_fetch;       /* the exchange in flight asks for a method description */
    char path[320];
} json2;

static int json2_open(odoo_protocol *p, odoo_rpc_error *err)
{
    json2 *j = odoo_protocol_state(p);
    const odoo_options *o = odoo_protocol_options(p);
    if (o->api_key && *o->api_key) {
        if (!odoo__header_safe(o->api_key))
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "the API key contains control characters");
        size_t n = strlen(o->api_key) + sizeof("bearer ");
        char *value = malloc(n);
        if (!value)
            return odoo__error_nomem(err);
        snprintf(value, n, "bearer %s", o->api_key);
        j->auth_header = odoo__header_line("Authorization", value);
        odoo__free_secret(value);
        if (!j->auth_header)
            return odoo__error_nomem(err);
    }
    if (o->db && *o->db) {
        if (!odoo__header_safe(o->db))
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "the database name contains control characters");
        if (!(j->db_header = odoo__header_line("X-Odoo-Database", o->db)))
            return odoo__error_nomem(err);
    }
    j->headers[0] = j->auth_header;
    j->headers[1] = j->auth_header ? j->db_header : NULL;
    return 0;
}

static void json2_close(odoo_protocol *p)
{
    json2 *j = odoo_protocol_state(p);
    odoo__free_secret(j->auth_header);
    free(j->db_header);
    odoo__apidoc_free(j->docs);
    json_object_put(j->named);
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
                 "dbfilter); check options.db", odoo_protocol_db(p));
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
static int json2_failed(odoo_protocol *p, odoo_exchange *x, int rc, odoo_rpc_error *err)
{
    json2 *j = odoo_protocol_state(p);
    json_object_put(j->named);
    j->named = NULL;
    (void)x;
    const char *loc = odoo_protocol_redirect_location(p), *base = odoo_protocol_transport_url(p);
    if (rc != ODOO_ERR_PROTOCOL || !err || err->http_status < 300 || err->http_status >= 400 || !loc || !base)
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

/* POST named (taken) to /json/2/<model>/<method>. */
static int post(odoo_protocol *p, odoo_exchange *x, const char *model, const char *method, json_object *named,
                odoo_rpc_error *err)
{
    json2 *j = odoo_protocol_state(p);
    json_object_put(j->named);
    j->named = named;
    if (!j->auth_header)
        return odoo__error_set(err, ODOO_ERR_AUTH,
                               "JSON-2 needs an API key (options.api_key); passwords are refused");
    size_t len = 0;
    const char *text = named ? odoo__json_to_string(named, &len) : NULL;
    if (!text)
        return odoo__error_nomem(err);
    snprintf(j->path, sizeof(j->path), "/json/2/%s/%s", model, method);
    odoo_http_request req = { "POST", j->path, "application/json", j->headers, text, len };
    x->request = req;
    return 0;
}

static int json2_encode(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    json2 *j = odoo_protocol_state(p);
    j->doc_fetch = 0;
    switch (x->op) {
    case ODOO_OP_LOGIN:
        /* There is no login: the key is checked on every request. The uid
         * behind it is in the user's context. */
        return post(p, x, "res.users", "context_get", json_object_new_object(), err);
    case ODOO_OP_VERSION: {
        odoo_http_request req = { "GET", "/web/version", NULL, NULL, NULL, 0 };
        x->request = req;
        return 0;
    }
    case ODOO_OP_CALL: {
        const odoo__doc_method *doc = NULL;
        /* Positional args of a method outside the table: name them from
         * the server's own description (asked once per model). */
        if (odoo__call_needs_doc(x->call)) {
            if (!j->auth_header)
                return odoo__error_set(err, ODOO_ERR_AUTH,
                                       "JSON-2 needs an API key (options.api_key); passwords are refused");
            int rc = odoo__apidoc_lookup(&doc, &j->docs, x->call->model, x->call->method, err);
            if (rc == ODOO_APIDOC_FETCH) {
                odoo__apidoc_path(j->path, sizeof(j->path), x->call->model);
                odoo_http_request req = { "GET", j->path, NULL, j->headers, NULL, 0 };
                x->request = req;
                j->doc_fetch = 1;
                return 0;
            }
            if (rc != 0)
                return rc;
        }
        json_object *named = NULL;
        int rc = odoo__call_named_doc(x->call, doc, &named, &j->shape, err);
        return rc ? rc : post(p, x, x->call->model, x->call->method, named, err);
    }
    default:
        return odoo__error_set(err, ODOO_ERR_UNSUPPORTED, "json2 has no such exchange");
    }
}

/* /web/version: the same keys as common.version on the other protocols. */
static int version_answer(odoo_exchange *x, const odoo_http_response *resp, odoo_rpc_error *err)
{
    json_object *doc = NULL, *vi = NULL, *v = NULL;
    if (resp->status != 200 || odoo__json_parse(resp->body, resp->body_len, &doc) != 0 ||
        !json_object_object_get_ex(doc, "version_info", &vi) || !json_object_object_get_ex(doc, "version", &v)) {
        json_object_put(doc);
        /* Odoo 18 and older answer an HTML 404 here. */
        return odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len,
                                     "the /web/version answer of Odoo 19+");
    }
    if (odoo__object_add_value(doc, "server_version", json_object_get(v)) ||
        odoo__object_add_value(doc, "server_version_info", json_object_get(vi))) {
        json_object_put(doc);
        return odoo__error_nomem(err);
    }
    x->result = doc;
    return 0;
}

static int json2_decode(odoo_protocol *p, odoo_exchange *x, const odoo_http_response *resp, odoo_rpc_error *err)
{
    json2 *j = odoo_protocol_state(p);
    if (x->op == ODOO_OP_VERSION)
        return version_answer(x, resp, err);
    if (j->doc_fetch) {
        /* the method description asked for by encode */
        int rc = odoo__apidoc_feed(&j->docs, x->call->model, resp, err);
        return rc ? rc : ODOO_EXCHANGE_AGAIN;
    }
    json_object_put(j->named);
    j->named = NULL;
    if (resp->status != 200)
        return post_error(p, resp, err);
    int prc = odoo__json_parse(resp->body, resp->body_len, &x->result);
    if (prc == ODOO_ERR_NOMEM)
        return odoo__error_nomem(err);
    if (prc != 0)
        return odoo__error_from_http(err, resp->status, resp->content_type, resp->body, resp->body_len,
                                     "a JSON-2 result");
    if (x->op == ODOO_OP_LOGIN) {
        json_object *uid = NULL;
        if (!json_object_object_get_ex(x->result, "uid", &uid) || !json_object_is_type(uid, json_type_int))
            return odoo__error_set(err, ODOO_ERR_PROTOCOL, "res.users/context_get answered without a uid");
        x->uid = json_object_get_int64(uid);
        return 0;
    }
    return odoo__reshape_result(&x->result, j->shape, err);
}

static const odoo_protocol_ops ops = {
    ODOO_PROTOCOL_OPS_VERSION, "json2",
    ODOO_CAP_API_KEY | ODOO_CAP_STREAM_ROWS | ODOO_CAP_ROWS_SHAPE(ODOO_CURSOR_JSON2), sizeof(json2),
    json2_open, json2_close, json2_encode, json2_decode, json2_failed,
};

/* From Odoo 19 on with a key: the supported external API. */
static int rank(const odoo_server_facts *f, const char **why)
{
    if (f->server_major < 19 || !f->has_api_key)
        return 0;
    *why = "an API key is given: JSON-2 is the supported API from Odoo 19 on";
    return 30;
}

const odoo_adapter odoo__json2_adapter = {
    ODOO_ADAPTER_VERSION, "json2", &ops, ODOO_PROTOCOL_JSON2, 0, 1, "GET /web/version", rank,
};
