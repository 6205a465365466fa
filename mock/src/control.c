/* odoo-mock — the control endpoint for tests:
 *   POST   /__mock__/fault    {"fault": "...", ...}  queue a fault
 *   DELETE /__mock__/fault    (or POST /__mock__/fault/clear) clear faults
 *   GET    /__mock__/faults   pending faults
 *   POST   /__mock__/reset    initial data, no sessions/cooldown/faults
 *   GET    /__mock__/stats    request and connection counters
 *   GET    /__mock__/info     version, db, url, credentials */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"
#include "mock_internal.h"
#include "seed.h"

static void reply(mock_resp *r, int status, json_object *o)
{
    om_resp_json(r, status, o);
    json_object_put(o);
    r->kind = RK_JSON2;
}

static json_object *ok(void)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "ok", json_object_new_boolean(1));
    return o;
}

static json_object *stats_json(odoo_mock *m)
{
    odoo_mock_stats s;
    odoo_mock_get_stats(m, &s);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "requests", json_object_new_int64((int64_t)s.requests));
    json_object *p = json_object_new_object();
    json_object_object_add(p, "xmlrpc", json_object_new_int64((int64_t)s.xmlrpc));
    json_object_object_add(p, "jsonrpc", json_object_new_int64((int64_t)s.jsonrpc));
    json_object_object_add(p, "web", json_object_new_int64((int64_t)s.web));
    json_object_object_add(p, "json2", json_object_new_int64((int64_t)s.json2));
    json_object_object_add(p, "other", json_object_new_int64((int64_t)s.other));
    json_object_object_add(p, "control", json_object_new_int64((int64_t)s.control));
    json_object_object_add(p, "odxproxy", json_object_new_int64((int64_t)s.odxproxy));
    json_object_object_add(o, "by_protocol", p);
    json_object_object_add(o, "connections", json_object_new_int64((int64_t)s.connections));
    json_object_object_add(o, "active_connections", json_object_new_int64((int64_t)s.active_connections));
    json_object_object_add(o, "faults", json_object_new_int64((int64_t)s.faults));
    return o;
}

static json_object *user_json(const char *login, const char *password, int uid, const char *key)
{
    json_object *u = json_object_new_object();
    json_object_object_add(u, "login", json_object_new_string(login));
    json_object_object_add(u, "password", json_object_new_string(password));
    json_object_object_add(u, "uid", json_object_new_int(uid));
    json_object_object_add(u, "api_key", json_object_new_string(key));
    return u;
}

static json_object *info_json(odoo_mock *m)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "version", json_object_new_string(om_version_string(m->version)));
    json_object_object_add(o, "db", json_object_new_string(m->db));
    json_object_object_add(o, "url", json_object_new_string(m->url));
    json_object_object_add(o, "partners", json_object_new_int(m->partners));
    json_object *users = json_object_new_array();
    json_object_array_add(users, user_json(ODOO_MOCK_ADMIN_LOGIN, ODOO_MOCK_ADMIN_PASSWORD,
                                           ODOO_MOCK_ADMIN_UID, ODOO_MOCK_ADMIN_API_KEY));
    json_object_array_add(users, user_json(ODOO_MOCK_LIMITED_LOGIN, ODOO_MOCK_LIMITED_PASSWORD,
                                           om_seed_limited_uid(m->version), ODOO_MOCK_LIMITED_API_KEY));
    json_object_object_add(o, "users", users);
    json_object *keys = json_object_new_array();
    for (size_t i = 0; i < m->nkeys; i++) {
        json_object *k = json_object_new_object();
        json_object_object_add(k, "key", json_object_new_string(m->keys[i].key));
        json_object_object_add(k, "login", json_object_new_string(m->keys[i].login));
        json_object_object_add(k, "scope", m->keys[i].scope ? json_object_new_string(m->keys[i].scope) : NULL);
        json_object_object_add(k, "expired", json_object_new_boolean(m->keys[i].expired));
        json_object_array_add(keys, k);
    }
    json_object_object_add(o, "api_keys", keys);
    json_object_object_add(o, "proxy_key", json_object_new_string(m->proxy_key));
    return o;
}

void om_proto_control(mock_req *q, mock_resp *r)
{
    odoo_mock *m = q->m;
    const char *p = q->path + strlen("/__mock__");
    int post = !strcmp(q->method, "POST"), get = !strcmp(q->method, "GET"),
        del = !strcmp(q->method, "DELETE");
    if (!strcmp(p, "/fault") && post) {
        char err[256];
        char *spec = om_xstrndup(q->body ? q->body : "", q->body_len);
        int rc = om_fault_add(m, spec, err, sizeof err);
        free(spec);
        if (rc) {
            json_object *o = json_object_new_object();
            json_object_object_add(o, "ok", json_object_new_boolean(0));
            json_object_object_add(o, "error", json_object_new_string(err));
            reply(r, 400, o);
            return;
        }
        reply(r, 200, ok());
    } else if ((!strcmp(p, "/fault") && del) || (!strcmp(p, "/fault/clear") && post) ||
               (!strcmp(p, "/faults") && del)) {
        om_faults_clear(m);
        reply(r, 200, ok());
    } else if ((!strcmp(p, "/faults") || !strcmp(p, "/fault")) && get) {
        reply(r, 200, om_faults_describe(m));
    } else if (!strcmp(p, "/reset") && post) {
        odoo_mock_reset(m);
        reply(r, 200, ok());
    } else if (!strcmp(p, "/stats") && get) {
        reply(r, 200, stats_json(m));
    } else if (!strcmp(p, "/info") && get) {
        reply(r, 200, info_json(m));
    } else {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "ok", json_object_new_boolean(0));
        json_object_object_add(o, "error",
                               json_object_new_string("unknown control route: use POST /__mock__/fault, "
                                                      "DELETE /__mock__/fault, POST /__mock__/reset, "
                                                      "GET /__mock__/stats, GET /__mock__/info"));
        reply(r, 404, o);
    }
}
