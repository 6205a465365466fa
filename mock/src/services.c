/* odoo-mock — common / db / object services. */
#include "services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orm.h"
#include "pyjson.h"

static int bad_db(odoo_mock *m, const char *db, mock_err *err)
{
    (void)m;
    return om_err_set(err, E_PG_OPERATIONAL,
                   "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database "
                   "\"%s\" does not exist\n",
                   db ? db : "None");
}

static const char *type_name(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return "NoneType";
    case json_type_boolean: return "bool";
    case json_type_int: return "int";
    case json_type_double: return "float";
    case json_type_string: return "str";
    case json_type_array: return "list";
    case json_type_object: return "dict";
    }
    return "object";
}

int om_py_int(json_object *v, int64_t *out, mock_err *err)
{
    switch (json_object_get_type(v)) {
    case json_type_int: *out = json_object_get_int64(v); return 0;
    case json_type_boolean: *out = json_object_get_boolean(v); return 0;
    case json_type_double: *out = (int64_t)json_object_get_double(v); return 0;
    case json_type_string: {
        const char *s = json_object_get_string(v);
        char *end;
        while (*s == ' ')
            s++;
        long long x = strtoll(s, &end, 10);
        while (*end == ' ')
            end++;
        if (!*s || *end)
            return om_err_set(err, E_VALUE, "invalid literal for int() with base 10: '%s'",
                           json_object_get_string(v));
        *out = x;
        return 0;
    }
    default:
        return om_err_set(err, E_TYPE,
                       "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                       type_name(v));
    }
}

static const char *param_str(json_object *params, size_t i)
{
    json_object *v = json_object_array_get_idx(params, i);
    return json_object_get_type(v) == json_type_string ? json_object_get_string(v) : NULL;
}

static int arg_count_error(mock_err *err, const char *fn, int min, int max, size_t given)
{
    if (given > (size_t)max) {
        if (min == max)
            return om_err_set(err, E_TYPE, "%s() takes %d positional argument%s but %zu were given", fn,
                           max, max == 1 ? "" : "s", given);
        return om_err_set(err, E_TYPE, "%s() takes from %d to %d positional arguments but %zu were given",
                       fn, min, max, given);
    }
    return 0;
}

static int missing_error(mock_err *err, const char *fn, const char *const *names, int from, int to)
{
    int n = to - from;
    strbuf sb;
    om_sb_init(&sb);
    for (int i = from; i < to; i++) {
        if (i > from)
            om_sb_adds(&sb, n == 2 ? " and " : (i == to - 1 ? ", and " : ", "));
        om_sb_addf(&sb, "'%s'", names[i]);
    }
    om_err_set(err, E_TYPE, "%s() missing %d required positional argument%s: %s", fn, n,
            n == 1 ? "" : "s", sb.buf);
    om_sb_free(&sb);
    return -1;
}

/* ------------------------------------------------------------------ */

static int svc_common(odoo_mock *m, const char *method, json_object *params, json_object **result,
                      mock_err *err)
{
    size_t n = json_object_array_length(params);
    if (!strcmp(method, "version")) {
        if (n)
            return arg_count_error(err, "exp_version", 0, 0, n);
        *result = om_version_info_dict(m->version);
        return 0;
    }
    if (!strcmp(method, "about")) {
        if (n > 1)
            return arg_count_error(err, "exp_about", 0, 1, n);
        *result = json_object_new_string("See http://openerp.com");
        return 0;
    }
    if (!strcmp(method, "login") || !strcmp(method, "authenticate")) {
        static const char *const names[] = {"db", "login", "password", "user_agent_env"};
        int want = !strcmp(method, "login") ? 3 : 4;
        const char *fn = want == 3 ? "exp_login" : "exp_authenticate";
        if (n > (size_t)want)
            return arg_count_error(err, fn, want, want, n);
        if (n < (size_t)want)
            return missing_error(err, fn, names, (int)n, want);
        const char *db = param_str(params, 0);
        if (!om_auth_db_ok(m, db))
            return bad_db(m, db, err);
        pthread_rwlock_rdlock(&m->store_lock);
        int uid = om_auth_login_rpc(m, param_str(params, 1), param_str(params, 2));
        pthread_rwlock_unlock(&m->store_lock);
        *result = uid ? json_object_new_int(uid) : json_object_new_boolean(0);
        return 0;
    }
    return om_err_set(err, E_KEY, "exp_%s", method);
}

static int svc_db(odoo_mock *m, const char *method, json_object *params, json_object **result,
                  mock_err *err)
{
    size_t n = json_object_array_length(params);
    if (!strcmp(method, "list")) {
        if (n > 1)
            return arg_count_error(err, "exp_list", 0, 1, n);
        json_object *l = json_object_new_array();
        json_object_array_add(l, json_object_new_string(m->db));
        *result = l;
        return 0;
    }
    if (!strcmp(method, "db_exist")) {
        if (n != 1)
            return n ? arg_count_error(err, "exp_db_exist", 1, 1, n)
                     : om_err_set(err, E_TYPE, "exp_db_exist() missing 1 required positional argument: 'db_name'");
        *result = json_object_new_boolean(om_auth_db_ok(m, param_str(params, 0)));
        return 0;
    }
    if (!strcmp(method, "server_version")) {
        if (n)
            return arg_count_error(err, "exp_server_version", 0, 0, n);
        *result = json_object_new_string(om_version_string(m->version));
        return 0;
    }
    if (!strcmp(method, "list_lang") || !strcmp(method, "list_countries")) {
        int langs = !strcmp(method, "list_lang");
        json_object *l = json_object_new_array();
        pthread_rwlock_rdlock(&m->store_lock);
        model *mo = om_store_model(&m->st, langs ? "res.lang" : "res.country");
        int fc = om_model_field(mo, "code");
        for (size_t i = 0; i < mo->n; i++) {
            json_object *pair = json_object_new_array();
            json_object_array_add(pair, json_object_new_string(mo->recs[i]->c[fc].s ? mo->recs[i]->c[fc].s : ""));
            json_object_array_add(pair, json_object_new_string(mo->recs[i]->c[mo->f_name].s ? mo->recs[i]->c[mo->f_name].s : ""));
            json_object_array_add(l, pair);
        }
        pthread_rwlock_unlock(&m->store_lock);
        *result = l;
        return 0;
    }
    static const char *const MASTER[] = {"create_database", "duplicate_database", "drop", "dump",
                                         "restore", "rename", "change_admin_password",
                                         "migrate_databases", NULL};
    for (int i = 0; MASTER[i]; i++)
        if (!strcmp(method, MASTER[i]))
            return om_err_set(err, E_ACCESS_DENIED, "Access Denied");
    return om_err_set(err, E_KEY, "exp_%s", method);
}

int om_orm_call(odoo_mock *m, int uid, int flavor, const char *model_name, const char *method,
                  json_object *args, json_object *kwargs, json_object *context,
                  json_object *json2_ids, json_object *json2_params, json_object **result,
                  mock_err *err)
{
    int ro = om_orm_method_is_readonly(method);
    if (ro)
        pthread_rwlock_rdlock(&m->store_lock);
    else
        pthread_rwlock_wrlock(&m->store_lock);
    eval_ctx cx;
    om_evalctx_init(&cx, &m->st, uid);
    call_env env;
    int rc = om_orm_env_init(&env, &m->st, &cx, uid, context, err);
    if (!rc) {
        if (flavor == FLAVOR_JSON2)
            rc = om_orm_call_named(&env, model_name, method, json2_ids, json2_params, result, err);
        else
            rc = om_orm_call_kw(&env, (call_flavor)flavor, model_name, method, args, kwargs, result, err);
    }
    om_evalctx_free(&cx);
    pthread_rwlock_unlock(&m->store_lock);
    return rc;
}

static int svc_object(odoo_mock *m, const char *method, json_object *params, json_object **result,
                      mock_err *err)
{
    size_t n = json_object_array_length(params);
    int is_kw = !strcmp(method, "execute_kw"), is_exec = !strcmp(method, "execute");
    if (m->version < 19 && !is_kw && !is_exec)
        return om_err_set(err, E_NAME, "Method not available %s", method);
    if (m->version >= 19 && n < 5)
        return om_err_set(err, E_VALUE, "not enough values to unpack (expected at least 5, got %zu)", n);
    if (m->version >= 19 && !is_kw && !is_exec)
        return om_err_set(err, E_NAME, "Method not available %s", method);
    if (n < 3)
        return om_err_set(err, E_INDEX, "tuple index out of range");
    int64_t uid;
    if (om_py_int(json_object_array_get_idx(params, 1), &uid, err))
        return -1;
    /* names by position in params (the password is consumed by dispatch) */
    static const char *const kw_names[] = {"db", "uid", "passwd", "obj", "method", "args"};
    const char *fn = is_kw ? "execute_kw" : "execute";
    if (n < 5)
        return missing_error(err, fn, kw_names, (int)n, is_kw ? 6 : 5);
    json_object *args = NULL, *kwargs = NULL;
    json_object *owned_args = NULL;
    if (is_kw) {
        if (n < 6)
            return missing_error(err, fn, kw_names, 5, 6);
        if (n > 7)
            return arg_count_error(err, fn, 5, 6, n - 1);
        args = json_object_array_get_idx(params, 5);
        kwargs = n > 6 ? json_object_array_get_idx(params, 6) : NULL;
        if (kwargs && json_object_get_type(kwargs) == json_type_null)
            kwargs = NULL;
        if (kwargs && json_object_get_type(kwargs) != json_type_object)
            return om_err_set(err, E_TYPE, "%s argument after ** must be a mapping, not %s",
                           "odoo.service.model.execute_kw()", type_name(kwargs));
    } else {
        owned_args = json_object_new_array();
        for (size_t i = 5; i < n; i++)
            json_object_array_add(owned_args, json_object_get(json_object_array_get_idx(params, i)));
        args = owned_args;
    }
    const char *db = param_str(params, 0), *pw = param_str(params, 2);
    const char *model_name = param_str(params, 3), *meth = param_str(params, 4);
    int rc = 0;
    if (!om_auth_db_ok(m, db)) {
        rc = bad_db(m, db, err);
        goto out;
    }
    pthread_rwlock_rdlock(&m->store_lock);
    int ok = uid > 0 && uid < 0x7fffffff && om_auth_check_uid(m, (int)uid, pw);
    pthread_rwlock_unlock(&m->store_lock);
    if (!ok) {
        rc = om_err_set(err, E_ACCESS_DENIED, "Access Denied");
        goto out;
    }
    if (!model_name || !meth) {
        rc = om_err_set(err, E_TYPE, "model and method names must be strings");
        goto out;
    }
    /* kwargs without "context" (popped and applied with with_context) */
    json_object *context = NULL, *kw = NULL;
    if (kwargs) {
        kw = json_object_new_object();
        json_object_object_foreach(kwargs, key, val)
        {
            if (!strcmp(key, "context"))
                context = val;
            else
                json_object_object_add(kw, key, json_object_get(val));
        }
    }
    rc = om_orm_call(m, (int)uid, FLAVOR_RPC, model_name, meth, args, kw, context, NULL, NULL,
                       result, err);
    json_object_put(kw);
out:
    json_object_put(owned_args);
    return rc;
}

int om_rpc_dispatch(odoo_mock *m, const char *service, const char *method, json_object *params,
                 json_object **result, mock_err *err)
{
    *result = NULL;
    if (!method)
        method = "";
    if (!strcmp(service, "common"))
        return svc_common(m, method, params, result, err);
    if (!strcmp(service, "db"))
        return svc_db(m, method, params, result, err);
    if (!strcmp(service, "object"))
        return svc_object(m, method, params, result, err);
    return om_err_set(err, E_KEY, "%s", service);
}
