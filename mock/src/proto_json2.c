/* odoo-mock — JSON-2 (Odoo 19): POST /json/2/<model>/<method> with a
 * bearer API key, named parameters, bare JSON results and real HTTP
 * statuses; GET /web/version and /json/version. On 16-18, /web/version
 * is a 404 and /json/... redirects to /web/login like those versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_doc.h"
#include "mock_internal.h"
#include "orm.h"
#include "pyjson.h"
#include "services.h"

static const char NO_DB_PAGE[] =
    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No database is "
    "selected and the requested URL was not found in the server-wide controllers.</p>\n<p>Please "
    "verify the hostname, <a href=/web/login>login</a> and try again.</p>\n\n<!-- Alternatively, "
    "use the X-Odoo-Database header. -->\n";

static void json2_error(mock_resp *r, const mock_err *e)
{
    json_object *d = om_err_to_json_data(e, 19, "json2");
    om_resp_json(r, om_err_http_status(e->kind), d);
    json_object_put(d);
    r->kind = RK_JSON2;
    if (e->kind == E_HTTP_UNAUTHORIZED)
        om_resp_add_header(r, "WWW-Authenticate", "Bearer ");
}

static void json2_fail(mock_resp *r, err_kind kind, const char *msg)
{
    mock_err e = MOCK_ERR_INIT;
    om_err_set(&e, kind, "%s", msg);
    json2_error(r, &e);
    om_err_clear(&e);
}

static void version_json(mock_req *q, mock_resp *r)
{
    json_object *o = om_json_version_dict(q->m->version);
    om_resp_json(r, 200, o);
    json_object_put(o);
    r->nosniff = 1;
    r->kind = RK_JSON2;
    char sid[88];
    om_session_new_sid(q->m, sid);
    om_resp_session_cookie(r, sid);
}

static void redirect_login(mock_req *q, mock_resp *r)
{
    char *target = om_xasprintf("%s?", q->path);
    char *quoted = om_url_quote(target);
    char *loc = om_xasprintf("/web/login?redirect=%s", quoted);
    char *html = om_xasprintf("<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
                           "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to "
                           "the target URL: <a href=\"%s\">%s</a>. If not, click the link.\n",
                           loc, loc);
    om_resp_html(r, 303, html);
    om_resp_add_header(r, "Location", loc);
    free(html);
    free(loc);
    free(quoted);
    free(target);
}

/* Bearer key (or interactive session) -> uid, or an error answer. */
static int authenticate(mock_req *q, mock_resp *r)
{
    odoo_mock *m = q->m;
    const char *auth = q->authorization;
    int uid = 0;
    pthread_rwlock_rdlock(&m->store_lock);
    int session_uid = q->cookie_sid ? om_session_check(m, q->cookie_sid, 0) : 0;
    if (auth && !strncasecmp(auth, "bearer ", 7)) {
        const char *key = auth + 7;
        while (*key == ' ')
            key++;
        uid = om_auth_key_uid(m, key);
        pthread_rwlock_unlock(&m->store_lock);
        if (!uid) {
            json2_fail(r, E_HTTP_UNAUTHORIZED, "Invalid apikey");
            return 0;
        }
        if (session_uid && session_uid != uid) {
            json2_fail(r, E_ACCESS_DENIED, "Session user does not match the used apikey.");
            return 0;
        }
        return uid;
    }
    pthread_rwlock_unlock(&m->store_lock);
    if (q->has_cookie && !q->sec_fetch) {
        json2_fail(r, E_HTTP_UNAUTHORIZED, "Missing \"Authorization\" or Sec-headers for interactive usage.");
        return 0;
    }
    if (q->has_cookie && session_uid)
        return session_uid;
    json2_fail(r, E_HTTP_UNAUTHORIZED,
               "User not authenticated, use an API Key with a Bearer Authorization header.");
    return 0;
}

int om_json2_run(odoo_mock *m, int uid, const char *model_name, const char *method, json_object *body,
                 json_object **result, mock_err *err)
{
    /* named parameters only: anything but an object is dropped */
    json_object *params = json_object_new_object(), *ids = NULL, *context = NULL;
    if (json_object_get_type(body) == json_type_object) {
        json_object_object_foreach(body, key, val)
        {
            if (!strcmp(key, "ids"))
                ids = val;
            else if (!strcmp(key, "context"))
                context = val;
            else
                json_object_object_add(params, key, json_object_get(val));
        }
    }
    int rc = om_orm_call(m, uid, FLAVOR_JSON2, model_name, method, NULL, NULL, context, ids, params,
                         result, err);
    json_object_put(params);
    return rc;
}

static void call(mock_req *q, mock_resp *r, const char *model_name, const char *method)
{
    odoo_mock *m = q->m;
    if (q->body_len > 0 && !om_req_is_json(q, 0)) {
        om_resp_bad_content_type(r, m->version, "/json/2/&lt;__model__&gt;/&lt;__method__&gt;", "json2",
                              0, "application/json");
        return;
    }
    int uid = authenticate(q, r);
    if (!uid)
        return;
    json_object *body = NULL;
    char msg[200];
    if (q->body_len > 0 && om_pyjson_parse(q->body, q->body_len, &body, msg, sizeof msg)) {
        char *full = om_xasprintf("could not parse the body as json: %s", msg);
        json2_fail(r, E_HTTP_BAD_REQUEST, full);
        free(full);
        return;
    }
    mock_err err = MOCK_ERR_INIT;
    json_object *result = NULL;
    int rc = om_json2_run(m, uid, model_name, method, body, &result, &err);
    if (rc) {
        json2_error(r, &err);
    } else {
        om_resp_json(r, 200, result);
        r->nosniff = 1;
        r->kind = RK_JSON2;
    }
    json_object_put(result);
    json_object_put(body);
    om_err_clear(&err);
}

/* ------------------------------------------------------------------ */
/* /doc-bearer/<model>.json and /doc-bearer/index.json (api_doc, 19) */

#define DOC_PREFIX "/doc-bearer/"

/* "<model>" of "/doc-bearer/<model>.json" into out; 0 if not that shape */
static int doc_model_name(const char *path, char *out, size_t size)
{
    const char *a = path + strlen(DOC_PREFIX);
    size_t n = strlen(a);
    if (n <= 5 || strcmp(a + n - 5, ".json") || memchr(a, '/', n) || n - 5 >= size)
        return 0;
    memcpy(out, a, n - 5);
    out[n - 5] = '\0';
    return 1;
}

/* Admin is the mock's only member of "Technical Documentation"
 * (api_doc.group_allow_doc), as in the recorded lab. */
static int doc_allowed(odoo_mock *m, int uid)
{
    model *users = om_store_model(&m->st, "res.users");
    record *u = users ? om_model_get(users, uid) : NULL;
    return u && u->c[om_schema_field_index_raw(users->def, "x_is_admin")].i;
}

/* The document, or an Odoo error: the group is checked before the model
 * exists (api_doc raises AccessError first, see fixture 08). */
static json_object *doc_body(odoo_mock *m, int uid, const char *model_name, mock_err *err)
{
    json_object *doc = NULL;
    pthread_rwlock_rdlock(&m->store_lock);
    if (!doc_allowed(m, uid))
        om_err_set(err, E_ACCESS_ERROR, "This page is only accessible to Technical Documentation users.");
    else if (!strcmp(model_name, "index"))
        doc = om_doc_index(&m->st);
    else if (!(doc = om_doc_model(&m->st, model_name)))
        /* NotFound() without a description: the default one, as arguments */
        om_err_set(err, E_HTTP_NOT_FOUND,
                   "The requested URL was not found on the server. If you entered the URL manually "
                   "please check your spelling and try again.");
    pthread_rwlock_unlock(&m->store_lock);
    return doc;
}

/* A json2-type route like /json/2: same database header, content type,
 * bearer authentication and error bodies. GET, or POST whose (JSON)
 * body is ignored. Odoo 19 only (api_doc): server.c sends older
 * versions to the plain 404 of an unknown URL. */
void om_proto_doc_bearer(mock_req *q, mock_resp *r)
{
    odoo_mock *m = q->m;
    char model_name[128];
    if (q->x_odoo_db && strcmp(q->x_odoo_db, m->db)) {
        om_resp_html(r, 404, NO_DB_PAGE);
        return;
    }
    if (!doc_model_name(q->path, model_name, sizeof model_name)) {
        om_resp_not_found(r);
        return;
    }
    if (strcmp(q->method, "GET") && strcmp(q->method, "HEAD") && strcmp(q->method, "POST")) {
        om_resp_method_not_allowed_allow(r, "GET, HEAD, OPTIONS, POST");
        return;
    }
    if (q->body_len > 0 && !om_req_is_json(q, 0)) {
        om_resp_bad_content_type(r, m->version, "/doc-bearer/&lt;model_name&gt;.json", "json2", 0,
                                 "application/json");
        return;
    }
    json_object *body = NULL;
    char msg[200];
    int uid = authenticate(q, r);
    if (!uid)
        return;
    if (q->body_len > 0 && om_pyjson_parse(q->body, q->body_len, &body, msg, sizeof msg)) {
        char *full = om_xasprintf("could not parse the body as json: %s", msg);
        json2_fail(r, E_HTTP_BAD_REQUEST, full);
        free(full);
        return;
    }
    json_object_put(body);
    mock_err err = MOCK_ERR_INIT;
    json_object *doc = doc_body(m, uid, model_name, &err);
    if (!doc) {
        json2_error(r, &err);
    } else {
        om_resp_json(r, 200, doc);
        r->nosniff = 1;
        r->kind = RK_JSON2;
        om_resp_add_header(r, "Cache-Control", "no-cache, private");
    }
    json_object_put(doc);
    om_err_clear(&err);
}

int om_is_doc_bearer_path(const char *path)
{
    return om_str_startswith(path, DOC_PREFIX);
}

void om_proto_json2(mock_req *q, mock_resp *r)
{
    odoo_mock *m = q->m;
    const char *p = q->path;
    if (m->version < 19) {
        if (!strcmp(p, "/web/version"))
            om_resp_not_found(r);
        else
            redirect_login(q, r);
        return;
    }
    if (!strcmp(p, "/web/version") || !strcmp(p, "/json/version")) {
        if (strcmp(q->method, "GET") && strcmp(q->method, "HEAD"))
            om_resp_method_not_allowed(r, m->version);
        else
            version_json(q, r);
        return;
    }
    if (!om_str_startswith(p, "/json/2")) {
        om_resp_not_found(r);
        return;
    }
    if (q->x_odoo_db && strcmp(q->x_odoo_db, m->db)) {
        om_resp_html(r, 404, NO_DB_PAGE);
        return;
    }
    /* /json/2/<model>/<method> */
    char model_name[128] = "", method[128] = "";
    const char *rest = p + strlen("/json/2");
    int ok = 0;
    if (*rest == '/') {
        const char *a = rest + 1, *slash = strchr(a, '/');
        if (slash && slash > a && (size_t)(slash - a) < sizeof model_name) {
            const char *b = slash + 1;
            if (*b && !strchr(b, '/') && strlen(b) < sizeof method) {
                memcpy(model_name, a, (size_t)(slash - a));
                model_name[slash - a] = '\0';
                om_str_copy(method, sizeof method, b);
                ok = 1;
            }
        }
    }
    if (!ok || strcmp(q->method, "POST")) {
        json2_fail(r, E_HTTP_NOT_FOUND, "Did you mean POST /json/2/<model>/<method>?");
        return;
    }
    call(q, r, model_name, method);
}
