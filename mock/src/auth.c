/* odoo-mock — credentials: passwords, API keys (scope, expiry) and the
 * per-address web login cooldown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_internal.h"

int om_auth_db_ok(odoo_mock *m, const char *db)
{
    return db && !strcmp(db, m->db);
}

static record *user_rec(odoo_mock *m, int uid, model **um)
{
    model *users = om_store_model(&m->st, "res.users");
    *um = users;
    return users ? om_model_get(users, uid) : NULL;
}

static int user_active(model *users, record *u)
{
    return u && u->c[users->f_active].i;
}

int om_auth_user_by_login(odoo_mock *m, const char *login)
{
    model *users = om_store_model(&m->st, "res.users");
    if (!login || !users)
        return 0;
    int fl = om_model_field(users, "login");
    for (size_t i = 0; i < users->n; i++) {
        record *u = users->recs[i];
        if (u->c[users->f_active].i && u->c[fl].s && !strcmp(u->c[fl].s, login))
            return u->id;
    }
    return 0;
}

static int password_ok(odoo_mock *m, int uid, const char *password)
{
    model *users;
    record *u = user_rec(m, uid, &users);
    if (!user_active(users, u) || !password)
        return 0;
    int fp = om_model_field(users, "password");
    return u->c[fp].s && u->c[fp].s[0] && !strcmp(u->c[fp].s, password);
}

/* valid RPC key (scope NULL or 'rpc', not expired) -> owner uid */
int om_auth_key_uid(odoo_mock *m, const char *key)
{
    if (!key || !*key)
        return 0;
    for (size_t i = 0; i < m->nkeys; i++) {
        api_key *k = &m->keys[i];
        if (strcmp(k->key, key))
            continue;
        if (k->expired || (k->scope && strcmp(k->scope, "rpc")))
            return 0;
        int uid = om_auth_user_by_login(m, k->login);
        return uid;
    }
    return 0;
}

int om_auth_check_uid(odoo_mock *m, int uid, const char *password)
{
    if (password_ok(m, uid, password))
        return 1;
    int kuid = om_auth_key_uid(m, password);
    return kuid && kuid == uid;
}

int om_auth_login_rpc(odoo_mock *m, const char *login, const char *password)
{
    int uid = om_auth_user_by_login(m, login);
    if (!uid)
        return 0;
    return om_auth_check_uid(m, uid, password) ? uid : 0;
}

int om_auth_login_web(odoo_mock *m, const char *login, const char *password)
{
    int uid = om_auth_user_by_login(m, login);
    return (uid && password_ok(m, uid, password)) ? uid : 0;
}

int64_t om_auth_user_sec_gen(odoo_mock *m, int uid)
{
    model *users;
    record *u = user_rec(m, uid, &users);
    if (!user_active(users, u))
        return -1;
    return u->c[om_schema_field_index_raw(users->def, "x_sec_gen")].i;
}

/* ------------------------------------------------------------------ */
/* cooldown: parameters come from ir.config_parameter like in Odoo */

static long icp_long(odoo_mock *m, const char *key, long dflt)
{
    model *icp = om_store_model(&m->st, "ir.config_parameter");
    if (!icp)
        return dflt;
    int fk = om_model_field(icp, "key"), fv = om_model_field(icp, "value");
    for (size_t i = 0; i < icp->n; i++) {
        record *r = icp->recs[i];
        if (r->c[fk].s && !strcmp(r->c[fk].s, key) && r->c[fv].s)
            return strtol(r->c[fv].s, NULL, 10);
    }
    return dflt;
}

static cooldown_entry *cd_find(odoo_mock *m, const char *ip, int create)
{
    for (cooldown_entry *e = m->cooldown; e; e = e->next)
        if (!strcmp(e->ip, ip))
            return e;
    if (!create)
        return NULL;
    cooldown_entry *e = om_xcalloc(1, sizeof *e);
    om_str_copy(e->ip, sizeof e->ip, ip);
    e->next = m->cooldown;
    m->cooldown = e;
    return e;
}

int om_auth_cooldown_blocked(odoo_mock *m, const char *ip)
{
    long after = icp_long(m, "base.login_cooldown_after", 10);
    long duration = icp_long(m, "base.login_cooldown_duration", 60);
    int blocked = 0;
    pthread_mutex_lock(&m->auth_lock);
    cooldown_entry *e = cd_find(m, ip, 0);
    if (e && after > 0 && e->failures >= after && om_now_mono() - e->last < (double)duration)
        blocked = 1;
    pthread_mutex_unlock(&m->auth_lock);
    return blocked;
}

void om_auth_cooldown_failure(odoo_mock *m, const char *ip)
{
    pthread_mutex_lock(&m->auth_lock);
    cooldown_entry *e = cd_find(m, ip, 1);
    e->failures++;
    e->last = om_now_mono();
    pthread_mutex_unlock(&m->auth_lock);
}

void om_auth_cooldown_success(odoo_mock *m, const char *ip)
{
    pthread_mutex_lock(&m->auth_lock);
    cooldown_entry *e = cd_find(m, ip, 0);
    if (e)
        e->failures = 0;
    pthread_mutex_unlock(&m->auth_lock);
}

void om_auth_cooldown_clear(odoo_mock *m)
{
    pthread_mutex_lock(&m->auth_lock);
    while (m->cooldown) {
        cooldown_entry *e = m->cooldown;
        m->cooldown = e->next;
        free(e);
    }
    pthread_mutex_unlock(&m->auth_lock);
}
