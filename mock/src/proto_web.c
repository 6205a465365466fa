/* odoo-mock — the web client's JSON-RPC routes: /web/session/...,
 * /web/dataset/call_kw[/...], /web/webclient/version_info, plus a few
 * plain GET routes (/web/health, /web/login). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonrpc_env.h"
#include "orm.h"
#include "pyjson.h"
#include "services.h"

/* ------------------------------------------------------------------ */
/* session_info, shaped like the recorded 18/19 answers */

static json_object *jbool(int b)
{
    return json_object_new_boolean(b);
}

static json_object *view_info(void)
{
    static const struct {
        const char *key, *name, *icon;
        int multi;
    } V[] = {{"list", "List", "oi oi-view-list", 1},
             {"form", "Form", "fa fa-address-card", 0},
             {"graph", "Graph", "fa fa-area-chart", 1},
             {"pivot", "Pivot", "oi oi-view-pivot", 1},
             {"calendar", "Calendar", "fa fa-calendar", 1},
             {"kanban", "Kanban", "oi oi-view-kanban", 1},
             {"search", "Search", "oi oi-search", 1}};
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
        json_object *v = json_object_new_object();
        json_object_object_add(v, "display_name", json_object_new_string(V[i].name));
        json_object_object_add(v, "icon", json_object_new_string(V[i].icon));
        json_object_object_add(v, "multi_record", jbool(V[i].multi));
        json_object_object_add(o, V[i].key, v);
    }
    return o;
}

/* store read lock held */
static json_object *session_info(odoo_mock *m, int uid)
{
    const int v19 = m->version >= 19;
    model *users = om_store_model(&m->st, "res.users");
    model *partners = om_store_model(&m->st, "res.partner");
    record *u = om_model_get(users, uid);
    int64_t pid = u ? u->c[om_model_field(users, "partner_id")].i : 0;
    record *p = pid ? om_model_get(partners, pid) : NULL;
    int admin = u ? (int)u->c[om_schema_field_index_raw(users->def, "x_is_admin")].i : 0;
    int share = u ? (int)u->c[om_model_field(users, "share")].i : 0;
    const char *lang = u && u->c[om_model_field(users, "lang")].s ? u->c[om_model_field(users, "lang")].s : "en_US";
    const char *tz = u && u->c[om_model_field(users, "tz")].s ? u->c[om_model_field(users, "tz")].s : NULL;

    json_object *o = json_object_new_object();
    json_object_object_add(o, "uid", json_object_new_int(uid));
    json_object_object_add(o, "is_system", jbool(admin));
    json_object_object_add(o, "is_admin", jbool(admin));
    json_object_object_add(o, "is_public", jbool(0));
    json_object_object_add(o, "is_internal_user", jbool(!share));
    json_object *uc = json_object_new_object();
    json_object_object_add(uc, "lang", json_object_new_string(lang));
    json_object_object_add(uc, "tz", tz ? json_object_new_string(tz) : jbool(0));
    json_object_object_add(uc, "uid", json_object_new_int(uid));
    json_object_object_add(o, "user_context", uc);
    json_object_object_add(o, "db", json_object_new_string(m->db));
    if (v19) {
        char h1[41], h2[41], hash[65];
        om_sha1_hex((const unsigned char *)m->db, strlen(m->db), h1);
        om_sha1_hex((const unsigned char *)h1, 40, h2);
        snprintf(hash, sizeof hash, "%s%.24s", h1, h2);
        json_object_object_add(o, "registry_hash", json_object_new_string(hash));
    }
    json_object *us = json_object_new_object();
    json_object_object_add(us, "id", json_object_new_int(uid));
    if (v19)
        json_object_object_add(us, "embedded_actions_config_ids", json_object_new_object());
    json_object *uidobj = json_object_new_object();
    json_object_object_add(uidobj, "id", json_object_new_int(uid));
    json_object_object_add(us, "user_id", uidobj);
    json_object_object_add(o, "user_settings", us);
    json_object_object_add(o, "server_version", json_object_new_string(om_version_string(m->version)));
    json_object_object_add(o, "server_version_info", om_version_info(m->version));
    json_object_object_add(o, "support_url", json_object_new_string("https://www.odoo.com/buy"));
    json_object_object_add(o, "name", json_object_new_string(u && u->c[users->f_name].s ? u->c[users->f_name].s : ""));
    json_object_object_add(o, "username", json_object_new_string(u && u->c[om_model_field(users, "login")].s ? u->c[om_model_field(users, "login")].s : ""));
    if (v19)
        json_object_object_add(o, "quick_login", jbool(1));
    int fwd = om_model_field(partners, "write_date");
    json_object_object_add(o, "partner_write_date", json_object_new_string(p && p->c[fwd].s ? p->c[fwd].s : ""));
    strbuf sb;
    om_sb_init(&sb);
    if (p)
        om_rec_display_name(&m->st, partners, p, &sb);
    json_object_object_add(o, "partner_display_name", json_object_new_string(sb.buf ? sb.buf : ""));
    om_sb_free(&sb);
    json_object_object_add(o, "partner_id", json_object_new_int64(pid));
    json_object_object_add(o, "web.base.url", json_object_new_string(m->url));
    json_object_object_add(o, "active_ids_limit", json_object_new_int(20000));
    json_object_object_add(o, "profile_session", NULL);
    json_object_object_add(o, "profile_collectors", NULL);
    json_object_object_add(o, "profile_params", NULL);
    json_object_object_add(o, "max_file_upload_size", json_object_new_int(134217728));
    json_object_object_add(o, "home_action_id", jbool(0));
    if (!v19) {
        json_object *ch = json_object_new_object();
        char h[41];
        om_sha1_hex((const unsigned char *)"translations", 12, h);
        json_object_object_add(ch, "translations", json_object_new_string(h));
        om_sha1_hex((const unsigned char *)m->db, strlen(m->db), h);
        json_object_object_add(ch, "load_menus", json_object_new_string(h));
        json_object_object_add(o, "cache_hashes", ch);
    }
    json_object *cur = json_object_new_object(), *usd = json_object_new_object();
    if (v19)
        json_object_object_add(usd, "name", json_object_new_string("USD"));
    json_object_object_add(usd, "symbol", json_object_new_string("$"));
    json_object_object_add(usd, "position", json_object_new_string("before"));
    json_object *digits = json_object_new_array();
    json_object_array_add(digits, json_object_new_int(69));
    json_object_array_add(digits, json_object_new_int(2));
    json_object_object_add(usd, "digits", digits);
    json_object_object_add(cur, "1", usd);
    json_object_object_add(o, "currencies", cur);
    json_object *bp = json_object_new_object();
    json_object_object_add(bp, "lang", json_object_new_string(lang));
    json_object_object_add(o, "bundle_params", bp);
    json_object_object_add(o, "test_mode", jbool(0));
    json_object_object_add(o, "view_info", view_info());
    if (v19) {
        json_object *g = json_object_new_object();
        json_object_object_add(g, "base.group_allow_export", jbool(admin));
        json_object_object_add(o, "groups", g);
    }
    json_object *ucs = json_object_new_object(), *allowed = json_object_new_object(),
                *c1 = json_object_new_object();
    json_object_object_add(ucs, "current_company", json_object_new_int(1));
    json_object_object_add(c1, "id", json_object_new_int(1));
    json_object_object_add(c1, "name", json_object_new_string("YourCompany"));
    json_object_object_add(c1, "sequence", json_object_new_int(0));
    json_object_object_add(c1, "child_ids", json_object_new_array());
    json_object_object_add(c1, "parent_id", jbool(0));
    if (v19)
        json_object_object_add(c1, "currency_id", json_object_new_int(1));
    json_object_object_add(allowed, "1", c1);
    json_object_object_add(ucs, "allowed_companies", allowed);
    json_object_object_add(ucs, "disallowed_ancestor_companies", json_object_new_object());
    json_object_object_add(o, "user_companies", ucs);
    json_object_object_add(o, "show_effect", jbool(1));
    if (!v19)
        json_object_object_add(o, "display_switch_company_menu", jbool(0));
    char wsv[16];
    snprintf(wsv, sizeof wsv, "%d.0-2", m->version);
    json_object_object_add(o, "websocket_worker_version", json_object_new_string(wsv));
    json_object_object_add(o, "tour_enabled", jbool(0));
    json_object_object_add(o, "current_tour", NULL);
    return o;
}

/* ------------------------------------------------------------------ */

static void anon_cookie(mock_req *q, mock_resp *r)
{
    char sid[88];
    om_session_new_sid(q->m, sid);
    om_resp_session_cookie(r, sid);
}

static int valid_session(mock_req *q, int count_call)
{
    if (!q->cookie_sid)
        return 0;
    pthread_rwlock_rdlock(&q->m->store_lock);
    int uid = om_session_check(q->m, q->cookie_sid, count_call);
    pthread_rwlock_unlock(&q->m->store_lock);
    return uid;
}

static void session_expired(mock_req *q, mock_resp *r)
{
    mock_err e = MOCK_ERR_INIT;
    om_err_set(&e, E_SESSION_EXPIRED, "Session expired");
    om_jsonrpc_reply_error(r, q->m->version, NULL, &e, "web");
    om_err_clear(&e);
}

/* Check named params against a signature: TypeErrors like CPython. */
static int check_params(json_object *params, const char *qual, const char *const *names,
                        int nreq, int nopt, json_object **vals, mock_err *err)
{
    for (int i = 0; i < nreq + nopt; i++)
        vals[i] = NULL;
    if (params && json_object_get_type(params) == json_type_object) {
        json_object_object_foreach(params, key, val)
        {
            int idx = -1;
            for (int i = 0; i < nreq + nopt; i++)
                if (!strcmp(names[i], key))
                    idx = i;
            if (idx < 0)
                return om_err_set(err, E_TYPE, "%s() got an unexpected keyword argument '%s'", qual, key);
            vals[idx] = val;
        }
    }
    const char *missing[8];
    int nm = 0;
    for (int i = 0; i < nreq; i++)
        if (!vals[i])
            missing[nm++] = names[i];
    if (nm) {
        strbuf sb;
        om_sb_init(&sb);
        for (int i = 0; i < nm; i++) {
            if (i)
                om_sb_adds(&sb, nm == 2 ? " and " : (i == nm - 1 ? ", and " : ", "));
            om_sb_addf(&sb, "'%s'", missing[i]);
        }
        om_err_set(err, E_TYPE, "%s() missing %d required positional argument%s: %s", qual, nm,
                nm == 1 ? "" : "s", sb.buf);
        om_sb_free(&sb);
        return -1;
    }
    return 0;
}

static const char *jstr(json_object *v)
{
    return json_object_get_type(v) == json_type_string ? json_object_get_string(v) : NULL;
}

static void do_authenticate(mock_req *q, mock_resp *r, json_object *id, json_object *params)
{
    odoo_mock *m = q->m;
    static const char *const names[] = {"db", "login", "password", "base_location"};
    json_object *v[4];
    mock_err err = MOCK_ERR_INIT;
    if (check_params(params, "Session.authenticate", names, 3, 1, v, &err)) {
        om_jsonrpc_reply_error(r, m->version, id, &err, "authenticate");
        om_err_clear(&err);
        return;
    }
    if (!om_auth_db_ok(m, jstr(v[0]))) {
        om_err_set(&err, E_ACCESS_ERROR, "Database not found.");
        om_jsonrpc_reply_error(r, m->version, id, &err, "authenticate");
        om_err_clear(&err);
        return;
    }
    pthread_rwlock_rdlock(&m->store_lock);
    int blocked = om_auth_cooldown_blocked(m, q->client_ip);
    int uid = blocked ? 0 : om_auth_login_web(m, jstr(v[1]), jstr(v[2]));
    int64_t gen = uid ? om_auth_user_sec_gen(m, uid) : 0;
    json_object *info = NULL;
    char sid[88];
    if (uid) {
        om_session_create(m, uid, gen, sid);
        info = session_info(m, uid);
    }
    pthread_rwlock_unlock(&m->store_lock);
    if (blocked) {
        om_err_set(&err, E_ACCESS_DENIED, "Too many login failures, please wait a bit before trying again.");
    } else if (!uid) {
        om_auth_cooldown_failure(m, q->client_ip);
        om_err_set(&err, E_ACCESS_DENIED, "Access Denied");
    }
    if (err.kind) {
        om_jsonrpc_reply_error(r, m->version, id, &err, "authenticate");
        om_err_clear(&err);
        return;
    }
    om_auth_cooldown_success(m, q->client_ip);
    if (q->cookie_sid)
        om_session_destroy(m, q->cookie_sid); /* login rotates the session */
    om_jsonrpc_reply(r, id, info);
    json_object_put(info);
    om_resp_session_cookie(r, sid);
    if (m->version >= 19)
        om_resp_session_cookie(r, sid); /* 19 sends it twice */
}

/* /web/dataset/call_kw: the route's read-only predicate reads the body
 * before authentication; its failures have a null id. */
static void do_call_kw(mock_req *q, mock_resp *r)
{
    odoo_mock *m = q->m;
    mock_err err = MOCK_ERR_INIT;
    json_object *body = NULL;
    char msg[200];
    if (om_pyjson_parse(q->body ? q->body : "", q->body_len, &body, msg, sizeof msg)) {
        om_err_set(&err, E_JSON_DECODE, "%s", msg);
        om_jsonrpc_reply_error(r, m->version, NULL, &err, "call_kw");
        om_err_clear(&err);
        return;
    }
    if (json_object_get_type(body) == json_type_array) {
        json_object_put(body);
        om_resp_text_html(r, 400, "Invalid JSON-RPC data");
        return;
    }
    json_object *params = NULL, *id = NULL;
    if (json_object_get_type(body) != json_type_object) {
        om_err_set(&err, E_TYPE, "'%s' object is not subscriptable",
                json_object_get_type(body) == json_type_string ? "str" : "int");
    } else if (!json_object_object_get_ex(body, "params", &params)) {
        om_err_set(&err, E_KEY, "params");
    } else if (json_object_get_type(params) == json_type_array) {
        om_err_set(&err, E_TYPE, "list indices must be integers or slices, not str");
    } else if (json_object_get_type(params) == json_type_string) {
        om_err_set(&err, E_TYPE, "string indices must be integers, not 'str'");
    } else if (json_object_get_type(params) != json_type_object) {
        om_err_set(&err, E_TYPE, "'%s' object is not subscriptable",
                json_object_get_type(params) == json_type_null ? "NoneType" : "int");
    } else {
        json_object *model_v = NULL, *method = NULL;
        json_object_object_get_ex(params, "model", &model_v);
        pthread_rwlock_rdlock(&m->store_lock);
        int known = jstr(model_v) && om_store_model(&m->st, jstr(model_v));
        pthread_rwlock_unlock(&m->store_lock);
        if (!known)
            om_err_set_plain_not_found(&err);
        else if (!json_object_object_get_ex(params, "method", &method))
            om_err_set(&err, E_KEY, "method");
    }
    if (err.kind) {
        om_jsonrpc_reply_error(r, m->version, NULL, &err, "call_kw");
        om_err_clear(&err);
        json_object_put(body);
        return;
    }
    int uid = valid_session(q, 1);
    if (!uid) {
        session_expired(q, r);
        json_object_put(body);
        return;
    }
    json_object_object_get_ex(body, "id", &id);
    static const char *const names[] = {"model", "method", "args", "kwargs", "path"};
    json_object *v[5];
    json_object *result = NULL;
    int rc = check_params(params, "DataSet.call_kw", names, 4, 1, v, &err);
    if (!rc && json_object_get_type(v[3]) != json_type_object && json_object_get_type(v[3]) != json_type_null)
        rc = om_err_set(&err, E_TYPE, "odoo.service.model.call_kw() argument after ** must be a mapping");
    if (!rc) {
        json_object *context = NULL, *kw = json_object_new_object();
        if (v[3] && json_object_get_type(v[3]) == json_type_object) {
            json_object_object_foreach(v[3], key, val)
            {
                if (!strcmp(key, "context"))
                    context = val;
                else
                    json_object_object_add(kw, key, json_object_get(val));
            }
        }
        rc = om_orm_call(m, uid, FLAVOR_WEB, jstr(v[0]), jstr(v[1]) ? jstr(v[1]) : "", v[2], kw,
                           context, NULL, NULL, &result, &err);
        json_object_put(kw);
    }
    if (rc)
        om_jsonrpc_reply_error(r, m->version, id, &err, "call_kw");
    else
        om_jsonrpc_reply(r, id, result);
    json_object_put(result);
    json_object_put(body);
    om_err_clear(&err);
}

static void json_route(mock_req *q, mock_resp *r, const char *route)
{
    odoo_mock *m = q->m;
    /* 19: a session cookie used with X-Odoo-Database naming another db */
    if (m->version >= 19 && q->has_cookie && q->x_odoo_db && strcmp(q->x_odoo_db, m->db)) {
        om_resp_html(r, 403, "<!doctype html>\n<html lang=en>\n<title>403 Forbidden</title>\n"
                          "<h1>Forbidden</h1>\n<p>You don&#39;t have the permission to access the "
                          "requested resource. It is either read-protected or not readable by the "
                          "server.</p>\n");
        return;
    }
    if (!om_req_is_json(q, 1)) {
        om_resp_bad_content_type(r, m->version, route, "jsonrpc", q->body_len == 0,
                              "application/json, application/json-rpc");
        return;
    }
    if (strcmp(q->method, "POST")) {
        om_resp_method_not_allowed(r, m->version);
        return;
    }
    if (!strcmp(route, "/web/dataset/call_kw") || om_str_startswith(route, "/web/dataset/call_kw/")) {
        do_call_kw(q, r);
        return;
    }
    int auth_none = !strcmp(route, "/web/session/authenticate") ||
                    !strcmp(route, "/web/webclient/version_info") ||
                    !strcmp(route, "/web/database/list");
    int decode_error;
    char msg[200];
    json_object *body = om_jsonrpc_parse(q, r, &decode_error, msg, sizeof msg);
    if (!body) {
        if (auth_none && !valid_session(q, 0))
            anon_cookie(q, r);
        return;
    }
    json_object *id = NULL, *params = NULL;
    json_object_object_get_ex(body, "id", &id);
    json_object_object_get_ex(body, "params", &params);
    if (!strcmp(route, "/web/webclient/version_info")) {
        json_object *o = om_version_info_dict(m->version);
        om_jsonrpc_reply(r, id, o);
        json_object_put(o);
        if (!valid_session(q, 0))
            anon_cookie(q, r);
    } else if (!strcmp(route, "/web/session/authenticate")) {
        do_authenticate(q, r, id, params);
    } else if (!strcmp(route, "/web/database/list")) {
        /* auth='none', what the mobile app calls: the one database */
        json_object *l = json_object_new_array();
        json_object_array_add(l, json_object_new_string(m->db));
        om_jsonrpc_reply(r, id, l);
        json_object_put(l);
    } else {
        int uid = valid_session(q, 0);
        if (!uid) {
            session_expired(q, r);
        } else if (!strcmp(route, "/web/session/get_session_info")) {
            pthread_rwlock_rdlock(&m->store_lock);
            json_object *info = session_info(m, uid);
            pthread_rwlock_unlock(&m->store_lock);
            om_jsonrpc_reply(r, id, info);
            json_object_put(info);
            om_resp_session_cookie(r, q->cookie_sid);
        } else if (!strcmp(route, "/web/session/check")) {
            om_jsonrpc_reply(r, id, NULL);
        } else if (!strcmp(route, "/web/session/destroy")) {
            om_session_destroy(m, q->cookie_sid);
            om_jsonrpc_reply(r, id, NULL);
            char date[40];
            om_fmt_http_date(om_now_unix() + 365LL * 24 * 3600, date);
            char *c = om_xasprintf("cids=; Expires=%s; Max-Age=0; Path=/", date);
            om_resp_add_header(r, "Set-Cookie", c);
            free(c);
            anon_cookie(q, r);
        }
    }
    json_object_put(body);
}

void om_proto_web(mock_req *q, mock_resp *r)
{
    const char *p = q->path;
    static const char *const JSON_ROUTES[] = {"/web/session/authenticate",
                                              "/web/session/get_session_info",
                                              "/web/session/check", "/web/session/destroy",
                                              "/web/webclient/version_info",
                                              "/web/dataset/call_kw", "/web/database/list", NULL};
    for (int i = 0; JSON_ROUTES[i]; i++)
        if (!strcmp(p, JSON_ROUTES[i])) {
            json_route(q, r, p);
            return;
        }
    if (om_str_startswith(p, "/web/dataset/call_kw/")) {
        json_route(q, r, "/web/dataset/call_kw/&lt;path:path&gt;");
        return;
    }
    if (!strcmp(p, "/web/health")) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "status", json_object_new_string("pass"));
        om_resp_json(r, 200, o);
        json_object_put(o);
        r->kind = RK_JSON2;
        return;
    }
    if (!strcmp(p, "/web/login") && !strcmp(q->method, "GET")) {
        om_resp_html(r, 200, "<!DOCTYPE html>\n<html><head><title>Odoo</title></head><body>"
                          "<form method=\"post\" action=\"/web/login\">odoo-mock login page"
                          "</form></body></html>\n");
        return;
    }
    om_resp_not_found(r);
}
