/* odoo-mock — the ODXProxy gateway API, served in front of the mock's own
 * models: the "Odoo" behind the gateway is the mock itself, so a client of
 * the gateway can be tested without a real proxy.
 *
 *   POST /api/odoo/execute   v1: execute_kw over the /jsonrpc object service
 *   POST /v2/odoo/execute    v2: the JSON-2 call path (Odoo 19 only)
 *   POST /api/odoo/version   /web/webclient/version_info
 *   POST /v2/odoo/version    GET /json/version (Odoo 19 only)
 *   GET  /_/about, /_/license, /_/metrics
 *
 * Every POST answer is a JSON-RPC 2.0 envelope written compactly, the way
 * the proxy (Rust, Axum, serde_json) writes it; bodies that cannot be
 * decoded get Axum's plain-text rejections (415, 422). Gateway errors use
 * the proxy's codes (-32000..-32007, 0 for the licence); Odoo's own errors
 * pass through on HTTP 200 with Odoo's error object as `data`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "faults.h"
#include "mock_internal.h"
#include "pyjson.h"
#include "services.h"

#define GW_BUILD "odoo-mock"
#define GW_VERSION "0.9.0"
#define GW_LICENSEE "odoo-mock"
#define GW_VALID_UNTIL "2099-12-31"
#define GW_EXPIRED_ON "2000-01-01"
#define GW_DEFAULT_TIMEOUT_S 15L
#define GW_SERVER "odoo-mock (ODXProxy gateway)"

/* gateway error codes */
enum {
    GW_UNAUTHORIZED = -32000,
    GW_BAD_ACTION = -32001,
    GW_NO_FN_NAME = -32002,
    GW_TIMEOUT = -32003,
    GW_UNREACHABLE = -32004,
    GW_INTERNAL = -32005,
    GW_NO_JSON2 = -32006,
    GW_INVALID = -32007,
    GW_LICENSE = 0,
};

static const char *const ACTIONS[] = {"search_count", "search", "read",   "fields_get", "search_read",
                                      "create",       "write",  "unlink", "call_method"};

int om_odx_is_gateway_path(const char *p)
{
    return !strcmp(p, "/api/odoo") || om_str_startswith(p, "/api/odoo/") || !strcmp(p, "/v2/odoo") ||
           om_str_startswith(p, "/v2/odoo/") || om_str_startswith(p, "/_/");
}

int om_odx_is_upstream_path(const char *p)
{
    return !strcmp(p, "/api/odoo/execute") || !strcmp(p, "/api/odoo/version") ||
           !strcmp(p, "/v2/odoo/execute") || !strcmp(p, "/v2/odoo/version");
}

/* ------------------------------------------------------------------ */
/* answers */

static void send_json(mock_resp *r, int status, json_object *o)
{
    size_t len;
    char *body = om_json_dumps_compact(o, &len);
    om_resp_set(r, status, "application/json", body, len);
    r->kind = RK_JSONRPC;
    r->server = GW_SERVER;
}

static void send_text(mock_resp *r, int status, const char *text)
{
    om_resp_set(r, status, "text/plain; charset=utf-8", om_xstrdup(text), strlen(text));
    r->kind = RK_TEXT;
    r->server = GW_SERVER;
}

static json_object *envelope(json_object *id)
{
    json_object *env = json_object_new_object();
    json_object_object_add(env, "jsonrpc", json_object_new_string("2.0"));
    json_object_object_add(env, "id", json_object_get(id));
    return env;
}

/* {"jsonrpc", "id", "result"}: result borrowed, NULL (None) as null */
static void gw_result(odoo_mock *m, mock_resp *r, json_object *id, json_object *result)
{
    json_object *env = envelope(id);
    json_object_object_add(env, "result", json_object_get(result));
    send_json(r, 200, env);
    json_object_put(env);
    atomic_fetch_add(&m->gw_success, 1);
}

static void error_envelope(mock_resp *r, int status, json_object *id, int code, const char *message,
                           json_object *data /* taken */)
{
    json_object *env = envelope(id), *error = json_object_new_object();
    json_object_object_add(error, "code", json_object_new_int(code));
    json_object_object_add(error, "message", json_object_new_string(message));
    json_object_object_add(error, "data", data);
    json_object_object_add(env, "error", error);
    send_json(r, status, env);
    json_object_put(env);
}

/* an error of the gateway itself (data null) */
static void gw_fail(odoo_mock *m, mock_resp *r, int status, json_object *id, int code, const char *fmt, ...)
    MOCK_PRINTF(6, 7);
static void gw_fail(odoo_mock *m, mock_resp *r, int status, json_object *id, int code, const char *fmt, ...)
{
    strbuf sb;
    va_list ap;
    om_sb_init(&sb);
    va_start(ap, fmt);
    om_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    error_envelope(r, status, id, code, sb.buf ? sb.buf : "", NULL);
    om_sb_free(&sb);
    int k = code == GW_LICENSE ? 0 : -code - 32000 + 1;
    if (k >= 0 && k < 9)
        atomic_fetch_add(&m->gw_code[k], 1);
}

/* Odoo's error, passed through on HTTP 200 */
static void gw_odoo_error(odoo_mock *m, mock_resp *r, json_object *id, int code, const char *message,
                          json_object *data /* taken */)
{
    error_envelope(r, 200, id, code, message, data);
    atomic_fetch_add(&m->gw_odoo_error, 1);
}

/* v1: the error object /jsonrpc carries (see jsonrpc_env.c) */
static void odoo_jsonrpc_error(odoo_mock *m, mock_resp *r, json_object *id, const mock_err *e)
{
    int code;
    const char *message;
    if (e->kind == E_SESSION_EXPIRED) {
        code = 100;
        message = "Odoo Session Expired";
    } else if (e->kind == E_HTTP_NOT_FOUND) {
        code = 404;
        message = "404: Not Found";
    } else {
        code = m->version >= 19 ? 0 : 200;
        message = "Odoo Server Error";
    }
    gw_odoo_error(m, r, id, code, message, om_err_to_json_data(e, m->version, "jsonrpc"));
}

/* v2: JSON-2's error body, its HTTP status as the code */
static void odoo_json2_error(odoo_mock *m, mock_resp *r, json_object *id, const mock_err *e)
{
    json_object *data = om_err_to_json_data(e, 19, "json2"), *msg = NULL;
    json_object_object_get_ex(data, "message", &msg);
    char *message = om_xstrdup(msg ? json_object_get_string(msg) : om_err_message(e));
    gw_odoo_error(m, r, id, om_err_http_status(e->kind), message, data);
    free(message);
}

/* ------------------------------------------------------------------ */
/* decoding the body like serde (missing field, invalid type), with
 * Axum's rejection texts */

#define DESER_PREFIX "Failed to deserialize the JSON body into the target type: "

static const char *serde_unexpected(json_object *v, char *buf, size_t size)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return "null";
    case json_type_boolean:
        snprintf(buf, size, "boolean `%s`", json_object_get_boolean(v) ? "true" : "false");
        return buf;
    case json_type_int: snprintf(buf, size, "integer `%lld`", (long long)json_object_get_int64(v)); return buf;
    case json_type_double: snprintf(buf, size, "floating point `%g`", json_object_get_double(v)); return buf;
    case json_type_string: snprintf(buf, size, "string \"%.60s\"", json_object_get_string(v)); return buf;
    case json_type_array: return "sequence";
    case json_type_object: return "map";
    }
    return "value";
}

enum gw_type { F_STRING, F_I64, F_ID, F_SEQ, F_MAP, F_STRUCT };

static const char *ftype_expected(enum gw_type t)
{
    switch (t) {
    case F_STRING: return "a string";
    case F_I64: return "i64";
    case F_ID: return "a string or a number";
    case F_SEQ: return "a sequence";
    case F_MAP: return "a map";
    case F_STRUCT: return "struct OdooInstance";
    }
    return "a value";
}

static int ftype_ok(enum gw_type t, json_object *v)
{
    json_type jt = json_object_get_type(v);
    switch (t) {
    case F_STRING: return jt == json_type_string;
    case F_I64: return jt == json_type_int;
    case F_ID: return jt == json_type_string || jt == json_type_int;
    case F_SEQ: return jt == json_type_array;
    case F_MAP:
    case F_STRUCT: return jt == json_type_object;
    }
    return 0;
}

/* Get member key of o: required (missing -> error) or optional (missing
 * or null -> *out NULL). Returns 0, or -1 with the message in msg. */
static int field(json_object *o, const char *where, const char *key, enum gw_type t, int optional,
                 json_object **out, strbuf *msg)
{
    json_object *v = NULL;
    *out = NULL;
    int present = json_object_object_get_ex(o, key, &v);
    if (!present || (optional && !v)) {
        if (optional)
            return 0;
        om_sb_addf(msg, "%s%s%smissing field `%s`", DESER_PREFIX, where ? where : "", where ? ": " : "", key);
        return -1;
    }
    if (!ftype_ok(t, v)) {
        char buf[96];
        om_sb_addf(msg, "%s%s%s%s: invalid type: %s, expected %s", DESER_PREFIX, where ? where : "",
                   where ? "." : "", key, serde_unexpected(v, buf, sizeof buf), ftype_expected(t));
        return -1;
    }
    *out = v;
    return 0;
}

/* ------------------------------------------------------------------ */
/* the request pipeline shared by the four gateway calls */

typedef struct gw_call {
    mock_req *q;
    mock_resp *r;
    odoo_mock *m;
    json_object *body; /* parsed request */
    json_object *id;   /* borrowed from body */
    long timeout_s;
} gw_call;

static long request_timeout(const mock_req *q)
{
    const char *s = q->x_request_timeout;
    if (!s)
        return GW_DEFAULT_TIMEOUT_S;
    while (*s == ' ' || *s == '\t')
        s++;
    char *end;
    long v = strtol(s, &end, 10);
    while (*end == ' ' || *end == '\t')
        end++;
    return (end == s || *end || v <= 0) ? GW_DEFAULT_TIMEOUT_S : v;
}

/* Media type application/json or application/<x>+json (parameters allowed). */
static int json_content_type(const char *ct)
{
    if (!ct)
        return 0;
    while (*ct == ' ')
        ct++;
    size_t n = strcspn(ct, "; \t");
    if (n < 12 || strncasecmp(ct, "application/", 12))
        return 0;
    const char *sub = ct + 12;
    size_t sn = n - 12;
    return (sn == 4 && !strncasecmp(sub, "json", 4)) || (sn > 5 && !strncasecmp(sub + sn - 5, "+json", 5));
}

/* Is the Odoo at url the mock itself? (the only Odoo the gateway reaches) */
static int upstream_reachable(odoo_mock *m, const char *url)
{
    int https;
    if (!strncasecmp(url, "http://", 7)) {
        https = 0;
        url += 7;
    } else if (!strncasecmp(url, "https://", 8)) {
        https = 1;
        url += 8;
    } else {
        return 0;
    }
    if (https != (m->tls != 0))
        return 0;
    size_t auth_len = strcspn(url, "/?#");
    const char *at = memchr(url, '@', auth_len);
    if (at) {
        auth_len -= (size_t)(at + 1 - url);
        url = at + 1;
    }
    size_t host_len = strcspn(url, ":/?#");
    if (host_len > auth_len)
        host_len = auth_len;
    if (!((host_len == 9 && !strncmp(url, "127.0.0.1", 9)) || (host_len == 9 && !strncasecmp(url, "localhost", 9))))
        return 0;
    long port = https ? 443 : 80;
    if (host_len < auth_len && url[host_len] == ':') {
        const char *p = url + host_len + 1;
        size_t plen = auth_len - host_len - 1;
        if (plen == 0 || plen > 5)
            return 0;
        port = 0;
        for (size_t i = 0; i < plen; i++) {
            if (p[i] < '0' || p[i] > '9')
                return 0;
            port = port * 10 + (p[i] - '0');
        }
    }
    return port == (long)m->port;
}

/* Checks before the body: method, proxy key, licence, content type, JSON.
 * Returns 0 with g->body set, or -1 after answering. */
static int gw_begin(gw_call *g)
{
    mock_req *q = g->q;
    odoo_mock *m = g->m;
    atomic_fetch_add(&m->gw_calls, 1);
    if (strcmp(q->method, "POST")) {
        send_text(g->r, 405, "");
        om_resp_add_header(g->r, "Allow", "POST");
        return -1;
    }
    if (!q->x_api_key || strcmp(q->x_api_key, m->proxy_key)) {
        gw_fail(m, g->r, 401, NULL, GW_UNAUTHORIZED, "Unauthorized: %s x-api-key",
                q->x_api_key ? "invalid" : "missing");
        return -1;
    }
    if (q->proxy_fault == FK_PROXY_LICENSE) {
        gw_fail(m, g->r, 403, NULL, GW_LICENSE, "License expired or invalid (valid until %s)", GW_EXPIRED_ON);
        return -1;
    }
    if (!json_content_type(q->content_type)) {
        send_text(g->r, 415, "Expected request with `Content-Type: application/json`");
        atomic_fetch_add(&m->gw_415, 1);
        return -1;
    }
    char msg[200];
    if (om_pyjson_parse(q->body ? q->body : "", q->body_len, &g->body, msg, sizeof msg)) {
        char *text = om_xasprintf("%s%s", DESER_PREFIX, msg);
        send_text(g->r, 422, text);
        free(text);
        atomic_fetch_add(&m->gw_422, 1);
        return -1;
    }
    g->timeout_s = request_timeout(q);
    return 0;
}

static int gw_reject_body(gw_call *g, strbuf *msg)
{
    send_text(g->r, 422, msg->buf ? msg->buf : DESER_PREFIX);
    atomic_fetch_add(&g->m->gw_422, 1);
    return -1;
}

/* Top-level shape: an object with an id. */
static int gw_body_object(gw_call *g, const char *what)
{
    strbuf msg;
    om_sb_init(&msg);
    if (json_object_get_type(g->body) != json_type_object) {
        char buf[96];
        om_sb_addf(&msg, "%sinvalid type: %s, expected struct %s", DESER_PREFIX,
                   serde_unexpected(g->body, buf, sizeof buf), what);
    } else if (field(g->body, NULL, "id", F_ID, 0, &g->id, &msg) == 0) {
        om_sb_free(&msg);
        return 0;
    }
    gw_reject_body(g, &msg);
    om_sb_free(&msg);
    return -1;
}

/* Contact "Odoo": reachable? faults? Returns 0 to go on, -1 answered. */
static int gw_connect(gw_call *g, const char *url)
{
    odoo_mock *m = g->m;
    if (g->q->proxy_fault == FK_PROXY_UNREACHABLE || !upstream_reachable(m, url)) {
        gw_fail(m, g->r, 502, g->id, GW_UNREACHABLE, "Upstream Odoo unreachable: cannot connect to %s", url);
        return -1;
    }
    if (g->q->proxy_fault == FK_PROXY_TIMEOUT) {
        om_sleep_ms(m, g->timeout_s * 1000);
        gw_fail(m, g->r, 504, g->id, GW_TIMEOUT, "Upstream Odoo timed out after %ld s", g->timeout_s);
        return -1;
    }
    return 0;
}

/* The upstream call's latency: 0 when the answer arrives in time, or -1
 * after waiting x-request-timeout and answering 504 (the call has run by
 * then, like an Odoo that finishes after the gateway gave up). */
static int gw_wait_upstream(gw_call *g)
{
    long lat = g->q->upstream_latency_ms;
    if (lat <= 0)
        return 0;
    if (lat > g->timeout_s * 1000) {
        om_sleep_ms(g->m, g->timeout_s * 1000);
        gw_fail(g->m, g->r, 504, g->id, GW_TIMEOUT, "Upstream Odoo timed out after %ld s", g->timeout_s);
        return -1;
    }
    om_sleep_ms(g->m, lat);
    return 0;
}

/* proxy_internal: Odoo answered (the call ran), the gateway failed. */
static int gw_internal_fault(gw_call *g)
{
    if (g->q->proxy_fault != FK_PROXY_INTERNAL)
        return 0;
    gw_fail(g->m, g->r, 500, g->id, GW_INTERNAL, "Internal error: failed to decode the response from Odoo");
    return -1;
}

static int header_safe(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ */
/* v1 */

static int is_action(const char *a)
{
    for (size_t i = 0; i < sizeof ACTIONS / sizeof ACTIONS[0]; i++)
        if (!strcmp(a, ACTIONS[i]))
            return 1;
    return 0;
}

static void execute_v1(gw_call *g)
{
    odoo_mock *m = g->m;
    if (gw_body_object(g, "ExecuteRequest"))
        return;
    strbuf msg;
    om_sb_init(&msg);
    json_object *action, *model_id, *fn_name, *params, *keyword, *inst, *url, *db, *user_id, *api_key;
    if (field(g->body, NULL, "action", F_STRING, 0, &action, &msg) ||
        field(g->body, NULL, "model_id", F_STRING, 0, &model_id, &msg) ||
        field(g->body, NULL, "fn_name", F_STRING, 1, &fn_name, &msg) ||
        field(g->body, NULL, "params", F_SEQ, 1, &params, &msg) ||
        field(g->body, NULL, "keyword", F_MAP, 1, &keyword, &msg) ||
        field(g->body, NULL, "odoo_instance", F_STRUCT, 0, &inst, &msg) ||
        field(inst, "odoo_instance", "url", F_STRING, 0, &url, &msg) ||
        field(inst, "odoo_instance", "db", F_STRING, 0, &db, &msg) ||
        field(inst, "odoo_instance", "user_id", F_I64, 0, &user_id, &msg) ||
        field(inst, "odoo_instance", "api_key", F_STRING, 0, &api_key, &msg)) {
        gw_reject_body(g, &msg);
        om_sb_free(&msg);
        return;
    }
    om_sb_free(&msg);
    const char *a = json_object_get_string(action);
    if (!is_action(a)) {
        gw_fail(m, g->r, 400, g->id, GW_BAD_ACTION,
                "Invalid action '%s': expected one of search_count, search, read, fields_get, "
                "search_read, create, write, unlink, call_method",
                a);
        return;
    }
    const char *method = a;
    if (!strcmp(a, "call_method")) {
        method = fn_name ? json_object_get_string(fn_name) : "";
        if (!*method) {
            gw_fail(m, g->r, 400, g->id, GW_NO_FN_NAME, "fn_name is required for action call_method");
            return;
        }
    }
    if (gw_connect(g, json_object_get_string(url)))
        return;
    /* execute_kw(db, uid, password, model, method, args, kwargs) over the
     * /jsonrpc object service: the gateway's upstream call */
    json_object *args = json_object_new_array();
    json_object_array_add(args, json_object_get(db));
    json_object_array_add(args, json_object_get(user_id));
    json_object_array_add(args, json_object_get(api_key));
    json_object_array_add(args, json_object_get(model_id));
    json_object_array_add(args, json_object_new_string(method));
    json_object_array_add(args, params ? json_object_get(params) : json_object_new_array());
    json_object_array_add(args, keyword ? json_object_get(keyword) : json_object_new_object());
    json_object *result = NULL;
    mock_err err = MOCK_ERR_INIT;
    int rc = om_rpc_dispatch(m, "object", "execute_kw", args, &result, &err);
    if (!gw_wait_upstream(g) && !gw_internal_fault(g)) {
        if (rc)
            odoo_jsonrpc_error(m, g->r, g->id, &err);
        else
            gw_result(m, g->r, g->id, result);
    }
    json_object_put(result);
    json_object_put(args);
    om_err_clear(&err);
}

/* ------------------------------------------------------------------ */
/* v2 */

/* res.partner, ir.config_parameter, x_foo: dotted identifiers */
static int model_identifier(const char *s)
{
    if (!*s || *s == '.')
        return 0;
    for (; *s; s++) {
        if (*s == '.') {
            if (s[1] == '.' || s[1] == '\0')
                return 0;
        } else if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) {
            return 0;
        }
    }
    return 1;
}

static int method_identifier(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (s++; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* JSON-2 needs Odoo 19 and a database selectable by X-Odoo-Database. */
static int json2_available(gw_call *g, const char *db)
{
    odoo_mock *m = g->m;
    if (m->version < 19) {
        gw_fail(m, g->r, 200, g->id, GW_NO_JSON2,
                "JSON-2 API unavailable: Odoo %s has no /json/2 (Odoo 19+ needed)", om_version_string(m->version));
        return 0;
    }
    if (db && strcmp(db, m->db)) {
        gw_fail(m, g->r, 200, g->id, GW_NO_JSON2,
                "JSON-2 API unavailable: database '%s' cannot be selected (X-Odoo-Database)", db);
        return 0;
    }
    return 1;
}

static void execute_v2(gw_call *g)
{
    odoo_mock *m = g->m;
    if (gw_body_object(g, "ExecuteV2Request"))
        return;
    strbuf msg;
    om_sb_init(&msg);
    json_object *model_id, *method, *kwargs, *inst, *url, *db, *api_key;
    if (field(g->body, NULL, "model_id", F_STRING, 0, &model_id, &msg) ||
        field(g->body, NULL, "method", F_STRING, 0, &method, &msg) ||
        field(g->body, NULL, "kwargs", F_MAP, 1, &kwargs, &msg) ||
        field(g->body, NULL, "odoo_instance", F_STRUCT, 0, &inst, &msg) ||
        field(inst, "odoo_instance", "url", F_STRING, 0, &url, &msg) ||
        field(inst, "odoo_instance", "db", F_STRING, 0, &db, &msg) ||
        field(inst, "odoo_instance", "api_key", F_STRING, 0, &api_key, &msg)) {
        gw_reject_body(g, &msg);
        om_sb_free(&msg);
        return;
    }
    om_sb_free(&msg);
    const char *model_name = json_object_get_string(model_id), *meth = json_object_get_string(method);
    const char *dbname = json_object_get_string(db), *key = json_object_get_string(api_key);
    if (!model_identifier(model_name)) {
        gw_fail(m, g->r, 400, g->id, GW_INVALID, "Invalid request: model_id '%s' is not a valid model name",
                model_name);
        return;
    }
    if (!method_identifier(meth)) {
        gw_fail(m, g->r, 400, g->id, GW_INVALID, "Invalid request: method '%s' is not a valid method name", meth);
        return;
    }
    if (!header_safe(dbname) || !header_safe(key)) {
        gw_fail(m, g->r, 400, g->id, GW_INVALID, "Invalid request: %s is not a valid HTTP header value",
                header_safe(dbname) ? "api_key" : "db");
        return;
    }
    if (gw_connect(g, json_object_get_string(url)) || !json2_available(g, dbname))
        return;
    /* POST /json/2/<model>/<method>, Authorization: bearer <api_key>,
     * X-Odoo-Database: <db>, body kwargs */
    mock_err err = MOCK_ERR_INIT;
    json_object *result = NULL;
    pthread_rwlock_rdlock(&m->store_lock);
    int uid = om_auth_key_uid(m, key);
    pthread_rwlock_unlock(&m->store_lock);
    int rc = uid ? om_json2_run(m, uid, model_name, meth, kwargs, &result, &err)
                 : om_err_set(&err, E_HTTP_UNAUTHORIZED, "Invalid apikey");
    if (!gw_wait_upstream(g) && !gw_internal_fault(g)) {
        if (rc)
            odoo_json2_error(m, g->r, g->id, &err);
        else
            gw_result(m, g->r, g->id, result);
    }
    json_object_put(result);
    om_err_clear(&err);
}

/* ------------------------------------------------------------------ */
/* version */

static void version(gw_call *g, int api)
{
    odoo_mock *m = g->m;
    if (gw_body_object(g, "VersionRequest"))
        return;
    strbuf msg;
    om_sb_init(&msg);
    json_object *url;
    if (field(g->body, NULL, "url", F_STRING, 0, &url, &msg)) {
        gw_reject_body(g, &msg);
        om_sb_free(&msg);
        return;
    }
    om_sb_free(&msg);
    if (gw_connect(g, json_object_get_string(url)) || (api == 2 && !json2_available(g, NULL)))
        return;
    if (gw_wait_upstream(g) || gw_internal_fault(g))
        return;
    json_object *info = api == 2 ? om_json_version_dict(m->version) : om_version_info_dict(m->version);
    gw_result(m, g->r, g->id, info);
    json_object_put(info);
}

/* ------------------------------------------------------------------ */
/* ops */

static void about(odoo_mock *m, mock_resp *r)
{
    json_object *env = envelope(NULL), *res = json_object_new_object();
    json_object_object_add(res, "build", json_object_new_string(GW_BUILD));
    json_object_object_add(res, "version", json_object_new_string(GW_VERSION));
    json_object_object_add(env, "result", res);
    send_json(r, 200, env);
    json_object_put(env);
    (void)m;
}

static void license(odoo_mock *m, mock_resp *r)
{
    int valid = !om_fault_pending(m, FK_PROXY_LICENSE);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "licensee", json_object_new_string(GW_LICENSEE));
    json_object_object_add(o, "valid_until", json_object_new_string(valid ? GW_VALID_UNTIL : GW_EXPIRED_ON));
    json_object_object_add(o, "is_valid", json_object_new_boolean(valid));
    send_json(r, 200, o);
    json_object_put(o);
}

static void metric(strbuf *sb, const char *name, const char *help)
{
    om_sb_addf(sb, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
}

static void metrics(odoo_mock *m, mock_resp *r)
{
    strbuf sb;
    om_sb_init(&sb);
    metric(&sb, "odoo_success_response", "Gateway calls answered with a result from Odoo.");
    om_sb_addf(&sb, "odoo_success_response %lu\n", atomic_load(&m->gw_success));
    metric(&sb, "odoo_error_response", "Gateway calls answered with an Odoo error (passed through on HTTP 200).");
    om_sb_addf(&sb, "odoo_error_response %lu\n", atomic_load(&m->gw_odoo_error));
    metric(&sb, "proxy_error_response", "Gateway calls failed by the gateway itself, by error code.");
    for (int k = 1; k < 9; k++)
        om_sb_addf(&sb, "proxy_error_response{code=\"%d\"} %lu\n", -32000 - (k - 1), atomic_load(&m->gw_code[k]));
    om_sb_addf(&sb, "proxy_error_response{code=\"0\"} %lu\n", atomic_load(&m->gw_code[0]));
    metric(&sb, "proxy_rejected_request", "Gateway calls whose body was refused (415 content type, 422 undecodable).");
    om_sb_addf(&sb, "proxy_rejected_request{status=\"415\"} %lu\n", atomic_load(&m->gw_415));
    om_sb_addf(&sb, "proxy_rejected_request{status=\"422\"} %lu\n", atomic_load(&m->gw_422));
    metric(&sb, "proxy_requests_total", "Gateway calls received (execute and version, v1 and v2).");
    om_sb_addf(&sb, "proxy_requests_total %lu\n", atomic_load(&m->gw_calls));
    size_t len;
    char *text = om_sb_detach(&sb, &len);
    om_resp_set(r, 200, "text/plain; version=0.0.4", text, len);
    r->kind = RK_TEXT;
    r->server = GW_SERVER;
}

/* ------------------------------------------------------------------ */

void om_proto_odxproxy(mock_req *q, mock_resp *r)
{
    odoo_mock *m = q->m;
    const char *p = q->path;
    if (om_str_startswith(p, "/_/")) {
        void (*op)(odoo_mock *, mock_resp *) = !strcmp(p, "/_/about")     ? about
                                             : !strcmp(p, "/_/license") ? license
                                             : !strcmp(p, "/_/metrics") ? metrics
                                                                        : NULL;
        if (!op) {
            send_text(r, 404, "");
        } else if (strcmp(q->method, "GET") && strcmp(q->method, "HEAD")) {
            send_text(r, 405, "");
            om_resp_add_header(r, "Allow", "GET,HEAD");
        } else {
            op(m, r);
        }
        return;
    }
    if (!om_odx_is_upstream_path(p)) {
        send_text(r, 404, "");
        return;
    }
    gw_call g = {q, r, m, NULL, NULL, GW_DEFAULT_TIMEOUT_S};
    if (gw_begin(&g) == 0) {
        if (!strcmp(p, "/api/odoo/execute"))
            execute_v1(&g);
        else if (!strcmp(p, "/v2/odoo/execute"))
            execute_v2(&g);
        else
            version(&g, om_str_startswith(p, "/v2/") ? 2 : 1);
    }
    json_object_put(g.body);
}
