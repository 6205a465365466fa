/* odoo-mock — method table, Python-style argument binding, access rights
 * and the call_kw dispatch shared by every protocol. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orm_internal.h"
#include "pyjson.h"

#define MAXP ORM_MAXP

typedef struct bound {
    json_object *a[MAXP]; /* owned references (NULL = None) */
    json_object *varkw;   /* owned, object or NULL */
} bound;

typedef int (*method_fn)(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                         json_object **result, mock_err *err);

typedef struct param_spec {
    const char *name;
    const char *def; /* JSON default, NULL = required */
} param_spec;

typedef struct method_spec {
    const char *name;
    int api_model; /* @api.model: no ids */
    int readonly;
    int min_version;
    const char *only_model;
    int needs_active;
    param_spec p[MAXP];
    int np;
    const char *varkw; /* name of the **kwargs parameter, NULL = none */
    method_fn fn;
} method_spec;

/* ------------------------------------------------------------------ */
/* helpers */

static int64_t int_or(json_object *v, int64_t dflt)
{
    if (!v || json_object_get_type(v) == json_type_null ||
        (json_object_get_type(v) == json_type_boolean && !json_object_get_boolean(v)))
        return dflt;
    if (json_object_get_type(v) == json_type_int || json_object_get_type(v) == json_type_double)
        return json_object_get_int64(v);
    return dflt;
}

static const char *str_or_null(json_object *v)
{
    return json_object_get_type(v) == json_type_string ? json_object_get_string(v) : NULL;
}

static int check_int_param(json_object *v, const char *what, mock_err *err)
{
    enum json_type t = json_object_get_type(v);
    if (!v || t == json_type_null || t == json_type_int || t == json_type_boolean)
        return 0;
    strbuf sb;
    om_sb_init(&sb);
    om_py_repr(&sb, v);
    om_err_set(err, E_TYPE, "'%s' must be an integer, got %s", what, sb.buf);
    om_sb_free(&sb);
    return -1;
}

typedef struct id_pos {
    int id;
    size_t pos;
} id_pos;

static int cmp_id_pos(const void *a, const void *b)
{
    const id_pos *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Existing records for ids, in the given order, first occurrence of
 * duplicates kept (browse() semantics). O(n log n). */
/* The ids of a record list, as a JSON array; frees the list. */
static json_object *ids_of(rec_list *l)
{
    json_object *out = json_object_new_array_ext((int)(l->n ? l->n : 1));
    for (size_t i = 0; i < l->n; i++)
        json_object_array_add(out, json_object_new_int(l->v[i]->id));
    free(l->v);
    l->v = NULL;
    return out;
}

static rec_list ids_to_records(model *m, const int *ids, size_t n)
{
    rec_list l;
    l.v = om_xmalloc((n + 1) * sizeof(record *));
    l.n = 0;
    id_pos *sorted = om_xmalloc((n + 1) * sizeof(id_pos));
    char *dup = om_xcalloc(n + 1, 1);
    for (size_t i = 0; i < n; i++)
        sorted[i] = (id_pos){ids[i], i};
    qsort(sorted, n, sizeof(id_pos), cmp_id_pos);
    for (size_t i = 1; i < n; i++)
        if (sorted[i].id == sorted[i - 1].id)
            dup[sorted[i].pos] = 1;
    for (size_t i = 0; i < n; i++) {
        record *r = dup[i] ? NULL : om_model_get(m, ids[i]);
        if (r)
            l.v[l.n++] = r;
    }
    free(sorted);
    free(dup);
    return l;
}

static int check_read_kwargs(call_env *env, json_object *varkw, int *classic, mock_err *err)
{
    *classic = 1;
    if (!varkw)
        return 0;
    json_object_object_foreach(varkw, key, val)
    {
        if (!strcmp(key, "load")) {
            const char *s = str_or_null(val);
            *classic = s && !strcmp(s, "_classic_read");
            continue;
        }
        (void)env;
        return om_err_set(err, E_TYPE, "BaseModel._read_format() got an unexpected keyword argument '%s'", key);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* method implementations */

static int m_search(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                    json_object **result, mock_err *err)
{
    (void)ids, (void)nids;
    if (om_orm_check_access(env, m, ACC_READ, err) || check_int_param(b->a[1], "offset", err) ||
        check_int_param(b->a[2], "limit", err))
        return -1;
    rec_list l;
    if (om_orm_search(env, m, b->a[0], int_or(b->a[1], 0), int_or(b->a[2], -1), str_or_null(b->a[3]), &l, err))
        return -1;
    *result = ids_of(&l);
    return 0;
}

static int m_search_count(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                          json_object **result, mock_err *err)
{
    (void)ids, (void)nids;
    if (om_orm_check_access(env, m, ACC_READ, err) || check_int_param(b->a[1], "limit", err))
        return -1;
    rec_list l;
    if (om_orm_search(env, m, b->a[0], 0, int_or(b->a[1], -1), "id", &l, err))
        return -1;
    *result = json_object_new_int64((int64_t)l.n);
    free(l.v);
    return 0;
}

static int m_search_read(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                         json_object **result, mock_err *err)
{
    (void)ids, (void)nids;
    int classic;
    if (om_orm_check_access(env, m, ACC_READ, err) || check_int_param(b->a[2], "offset", err) ||
        check_int_param(b->a[3], "limit", err))
        return -1;
    rec_list l;
    if (om_orm_search(env, m, b->a[0], int_or(b->a[2], 0), int_or(b->a[3], -1), str_or_null(b->a[4]), &l, err))
        return -1;
    int rc = check_read_kwargs(env, b->varkw, &classic, err);
    if (!rc)
        rc = om_orm_read_records(env, m, &l, b->a[1], classic, result, err);
    free(l.v);
    return rc;
}

static int m_read(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                  json_object **result, mock_err *err)
{
    if (om_orm_check_access(env, m, ACC_READ, err))
        return -1;
    const char *load = str_or_null(b->a[1]);
    int classic = load && !strcmp(load, "_classic_read");
    rec_list l = ids_to_records(m, ids, nids);
    int rc = om_orm_read_records(env, m, &l, b->a[0], classic, result, err);
    free(l.v);
    return rc;
}

static int m_create(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                    json_object **result, mock_err *err)
{
    (void)ids, (void)nids;
    return om_orm_create(env, m, b->a[0], env->json2, result, err);
}

static int m_write(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                   json_object **result, mock_err *err)
{
    if (om_orm_write(env, m, ids, nids, b->a[0], err))
        return -1;
    *result = json_object_new_boolean(1);
    return 0;
}

static int m_unlink(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                    json_object **result, mock_err *err)
{
    (void)b;
    if (om_orm_unlink(env, m, ids, nids, err))
        return -1;
    *result = json_object_new_boolean(1);
    return 0;
}

static int archive(call_env *env, model *m, const int *ids, size_t nids, int active,
                   json_object **result, mock_err *err)
{
    json_object *vals = json_object_new_object();
    json_object_object_add(vals, "active", json_object_new_boolean(active));
    int rc = om_orm_write(env, m, ids, nids, vals, err);
    json_object_put(vals);
    *result = NULL; /* returns None */
    return rc;
}

static int m_action_archive(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                            json_object **result, mock_err *err)
{
    (void)b;
    return archive(env, m, ids, nids, 0, result, err);
}

static int m_action_unarchive(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                              json_object **result, mock_err *err)
{
    (void)b;
    return archive(env, m, ids, nids, 1, result, err);
}

static int m_exists(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                    json_object **result, mock_err *err)
{
    (void)b;
    if (om_orm_check_access(env, m, ACC_READ, err))
        return -1;
    rec_list l = ids_to_records(m, ids, nids);
    *result = ids_of(&l);
    return 0;
}

static int m_name_search(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                         json_object **result, mock_err *err)
{
    (void)ids, (void)nids;
    if (om_orm_check_access(env, m, ACC_READ, err) || check_int_param(b->a[3], "limit", err))
        return -1;
    const char *name = str_or_null(b->a[0]);
    const char *op = str_or_null(b->a[2]);
    if (!op)
        op = "ilike";
    json_object *domain = json_object_new_array();
    json_object *given = b->a[1];
    if (given && json_object_get_type(given) == json_type_array) {
        size_t n = json_object_array_length(given);
        for (size_t i = 0; i < n; i++)
            json_object_array_add(domain, json_object_get(json_object_array_get_idx(given, i)));
    }
    if (name && (*name || strcmp(op, "ilike"))) {
        json_object *leaf = json_object_new_array();
        json_object_array_add(leaf, json_object_new_string("display_name"));
        json_object_array_add(leaf, json_object_new_string(op));
        json_object_array_add(leaf, json_object_new_string(name));
        if (json_object_array_length(domain)) {
            json_object *d2 = json_object_new_array();
            json_object_array_add(d2, json_object_new_string("&"));
            json_object_array_add(d2, leaf);
            size_t n = json_object_array_length(domain);
            for (size_t i = 0; i < n; i++)
                json_object_array_add(d2, json_object_get(json_object_array_get_idx(domain, i)));
            json_object_put(domain);
            domain = d2;
        } else {
            json_object_array_add(domain, leaf);
        }
    }
    rec_list l;
    int rc = om_orm_search(env, m, domain, 0, int_or(b->a[3], 100), NULL, &l, err);
    json_object_put(domain);
    if (rc)
        return -1;
    json_object *out = json_object_new_array();
    for (size_t i = 0; i < l.n; i++) {
        json_object *pair = json_object_new_array();
        strbuf sb;
        om_sb_init(&sb);
        om_rec_display_name(env->st, m, l.v[i], &sb);
        json_object_array_add(pair, json_object_new_int(l.v[i]->id));
        json_object_array_add(pair, json_object_new_string(sb.buf ? sb.buf : ""));
        om_sb_free(&sb);
        json_object_array_add(out, pair);
    }
    free(l.v);
    *result = out;
    return 0;
}

static int m_name_create(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                         json_object **result, mock_err *err)
{
    (void)ids, (void)nids;
    if (m->f_name < 0)
        return om_err_set(err, E_USER, "Cannot execute name_create, no _rec_name defined on %s", m->def->name);
    json_object *vals = json_object_new_object();
    json_object_object_add(vals, m->def->fields[m->f_name].name, json_object_get(b->a[0]));
    json_object *id = NULL;
    int rc = om_orm_create(env, m, vals, 0, &id, err);
    json_object_put(vals);
    if (rc)
        return -1;
    int64_t nid = json_object_get_int64(id);
    json_object_put(id);
    record *r = om_model_get(m, nid);
    strbuf sb;
    om_sb_init(&sb);
    if (r)
        om_rec_display_name(env->st, m, r, &sb);
    json_object *pair = json_object_new_array();
    json_object_array_add(pair, json_object_new_int64(nid));
    json_object_array_add(pair, json_object_new_string(sb.buf ? sb.buf : ""));
    om_sb_free(&sb);
    *result = pair;
    return 0;
}

static int m_fields_get(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                        json_object **result, mock_err *err)
{
    (void)ids, (void)nids, (void)err;
    *result = om_orm_fields_get(env, m, b->a[0], b->a[1]);
    return 0;
}

static int m_default_get(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                         json_object **result, mock_err *err)
{
    (void)ids, (void)nids;
    if (om_orm_check_access(env, m, ACC_READ, err))
        return -1;
    *result = om_orm_default_get(env, m, b->a[0]);
    return 0;
}

static int m_context_get(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                         json_object **result, mock_err *err)
{
    (void)ids, (void)nids, (void)b, (void)err;
    record *u = om_model_get(m, env->uid);
    int fl = om_model_field(m, "lang"), ft = om_model_field(m, "tz");
    json_object *o = json_object_new_object();
    const char *lang = u && u->c[fl].s ? u->c[fl].s : "en_US";
    json_object_object_add(o, "lang", json_object_new_string(lang));
    json_object_object_add(o, "tz", u && u->c[ft].s ? json_object_new_string(u->c[ft].s)
                                                    : json_object_new_boolean(0));
    json_object_object_add(o, "uid", json_object_new_int(env->uid));
    *result = o;
    return 0;
}

static int m_read_group(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                        json_object **result, mock_err *err)
{
    (void)ids, (void)nids;
    return om_orm_read_group(env, m, b->a[0], b->a[1], b->a[2], b->a[3], b->a[4], b->a[5], b->a[6],
                          result, err);
}

static int m_formatted_read_group(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                                  json_object **result, mock_err *err)
{
    (void)ids, (void)nids;
    return om_orm_formatted_read_group(env, m, b->a[0], b->a[1], b->a[2], b->a[3], b->a[4], b->a[5],
                                    b->a[6], result, err);
}

static int m_address_get(call_env *env, model *m, const int *ids, size_t nids, bound *b,
                         json_object **result, mock_err *err)
{
    if (om_orm_check_access(env, m, ACC_READ, err))
        return -1;
    return om_orm_address_get(env, m, ids, nids, b->a[0], result, err);
}

/* ------------------------------------------------------------------ */

static const method_spec METHODS[] = {
    {"search", 1, 1, 0, NULL, 0,
     {{"domain", NULL}, {"offset", "0"}, {"limit", "null"}, {"order", "null"}}, 4, 0, m_search},
    {"search_count", 1, 1, 0, NULL, 0, {{"domain", NULL}, {"limit", "null"}}, 2, 0, m_search_count},
    {"search_read", 1, 1, 0, NULL, 0,
     {{"domain", "null"}, {"fields", "null"}, {"offset", "0"}, {"limit", "null"}, {"order", "null"}},
     5, "read_kwargs", m_search_read},
    {"read", 0, 1, 0, NULL, 0, {{"fields", "null"}, {"load", "\"_classic_read\""}}, 2, 0, m_read},
    {"create", 1, 0, 0, NULL, 0, {{"vals_list", NULL}}, 1, 0, m_create},
    {"write", 0, 0, 0, NULL, 0, {{"vals", NULL}}, 1, 0, m_write},
    {"unlink", 0, 0, 0, NULL, 0, {{0, 0}}, 0, 0, m_unlink},
    {"name_search", 1, 1, 0, NULL, 0,
     {{"name", "\"\""}, {"domain", "null"}, {"operator", "\"ilike\""}, {"limit", "100"}}, 4, 0,
     m_name_search},
    {"name_create", 1, 0, 0, NULL, 0, {{"name", NULL}}, 1, 0, m_name_create},
    {"fields_get", 1, 1, 0, NULL, 0, {{"allfields", "null"}, {"attributes", "null"}}, 2, 0, m_fields_get},
    {"default_get", 1, 1, 0, NULL, 0, {{"fields", NULL}}, 1, 0, m_default_get},
    {"read_group", 1, 1, 0, NULL, 0,
     {{"domain", NULL}, {"fields", NULL}, {"groupby", NULL}, {"offset", "0"}, {"limit", "null"},
      {"orderby", "false"}, {"lazy", "true"}},
     7, 0, m_read_group},
    {"formatted_read_group", 1, 1, 19, NULL, 0,
     {{"domain", NULL}, {"groupby", "[]"}, {"aggregates", "[]"}, {"having", "[]"}, {"offset", "0"},
      {"limit", "null"}, {"order", "null"}},
     7, 0, m_formatted_read_group},
    {"action_archive", 0, 0, 0, NULL, 1, {{0, 0}}, 0, 0, m_action_archive},
    {"action_unarchive", 0, 0, 0, NULL, 1, {{0, 0}}, 0, 0, m_action_unarchive},
    {"exists", 0, 1, 0, NULL, 0, {{0, 0}}, 0, 0, m_exists},
    {"context_get", 1, 1, 0, "res.users", 0, {{0, 0}}, 0, 0, m_context_get},
    /* not used by the mock's own clients: it exists so that "any public
     * method" (a name outside the usual ORM set) can be called over every
     * protocol and looked up in /doc-bearer */
    {"address_get", 0, 1, 0, "res.partner", 0, {{"adr_pref", "null"}}, 1, 0, m_address_get},
};

static const method_spec *find_method(const char *name)
{
    for (size_t i = 0; i < sizeof METHODS / sizeof METHODS[0]; i++)
        if (!strcmp(METHODS[i].name, name))
            return &METHODS[i];
    return NULL;
}

int om_orm_method_is_readonly(const char *method)
{
    const method_spec *ms = method ? find_method(method) : NULL;
    return ms ? ms->readonly : 1;
}

/* Parameter name as the given Odoo version spells it. */
static const char *param_name(const call_env *env, const method_spec *ms, int i)
{
    if (env->version < 19) {
        if (!strcmp(ms->name, "name_search") && i == 1)
            return "args";
        if (!strcmp(ms->name, "default_get") && i == 0)
            return "fields_list";
    }
    return ms->p[i].name;
}

static void qualname(const call_env *env, const method_spec *ms, const model *m, char *out, size_t size)
{
    if (ms->only_model)
        snprintf(out, size, "%s.%s", env->version >= 19 ? m->def->qualname19 : m->def->qualname18,
                 ms->name);
    else
        snprintf(out, size, "BaseModel.%s", ms->name);
}

static void bound_free(bound *b)
{
    for (int i = 0; i < MAXP; i++)
        json_object_put(b->a[i]);
    json_object_put(b->varkw);
    memset(b, 0, sizeof *b);
}

static void fill_defaults(const method_spec *ms, bound *b, const int *given)
{
    for (int i = 0; i < ms->np; i++)
        if (!given[i] && ms->p[i].def)
            b->a[i] = json_tokener_parse(ms->p[i].def);
}

static void missing_msg(strbuf *sb, const char **names, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            om_sb_adds(sb, n == 2 ? " and " : (i == n - 1 ? ", and " : ", "));
        om_sb_addf(sb, "'%s'", names[i]);
    }
}

/* Python call semantics: TypeErrors worded like CPython's. */
static int bind_python(const call_env *env, const method_spec *ms, const model *m, json_object *args,
                       size_t start, json_object *kwargs, bound *b, mock_err *err)
{
    char qual[96];
    qualname(env, ms, m, qual, sizeof qual);
    size_t nargs = args ? json_object_array_length(args) : 0;
    size_t npos = nargs > start ? nargs - start : 0;
    int given[MAXP] = {0};
    memset(b, 0, sizeof *b);
    int self = 1;
    if (npos > (size_t)ms->np) {
        int req = 0;
        for (int i = 0; i < ms->np; i++)
            if (!ms->p[i].def)
                req++;
        if (req == ms->np)
            return om_err_set(err, E_TYPE, "%s() takes %d positional argument%s but %zu were given", qual,
                           ms->np + self, ms->np + self == 1 ? "" : "s", npos + (size_t)self);
        return om_err_set(err, E_TYPE, "%s() takes from %d to %d positional arguments but %zu were given",
                       qual, req + self, ms->np + self, npos + (size_t)self);
    }
    for (size_t i = 0; i < npos; i++) {
        b->a[i] = json_object_get(json_object_array_get_idx(args, start + i));
        given[i] = 1;
    }
    if (kwargs && json_object_get_type(kwargs) == json_type_object) {
        json_object_object_foreach(kwargs, key, val)
        {
            int idx = -1;
            for (int i = 0; i < ms->np; i++)
                if (!strcmp(param_name(env, ms, i), key))
                    idx = i;
            if (idx < 0) {
                if (ms->varkw) {
                    if (!b->varkw)
                        b->varkw = json_object_new_object();
                    json_object_object_add(b->varkw, key, json_object_get(val));
                    continue;
                }
                bound_free(b);
                return om_err_set(err, E_TYPE, "%s() got an unexpected keyword argument '%s'", qual, key);
            }
            if (given[idx]) {
                bound_free(b);
                return om_err_set(err, E_TYPE, "%s() got multiple values for argument '%s'", qual, key);
            }
            b->a[idx] = json_object_get(val);
            given[idx] = 1;
        }
    }
    const char *missing[MAXP];
    int nmiss = 0;
    for (int i = 0; i < ms->np; i++)
        if (!given[i] && !ms->p[i].def)
            missing[nmiss++] = param_name(env, ms, i);
    if (nmiss) {
        strbuf sb;
        om_sb_init(&sb);
        missing_msg(&sb, missing, nmiss);
        om_err_set(err, E_TYPE, "%s() missing %d required positional argument%s: %s", qual, nmiss,
                nmiss == 1 ? "" : "s", sb.buf);
        om_sb_free(&sb);
        bound_free(b);
        return -1;
    }
    fill_defaults(ms, b, given);
    return 0;
}

/* inspect.Signature.bind semantics (JSON-2): 422 errors. Like bind(),
 * missing required parameters are reported before unexpected ones. */
static int bind_named(const call_env *env, const method_spec *ms, json_object *params, bound *b,
                      mock_err *err)
{
    int given[MAXP] = {0};
    const char *unexpected = NULL;
    memset(b, 0, sizeof *b);
    if (params && json_object_get_type(params) == json_type_object) {
        json_object_object_foreach(params, key, val)
        {
            int idx = -1;
            for (int i = 0; i < ms->np; i++)
                if (!strcmp(param_name(env, ms, i), key))
                    idx = i;
            if (idx < 0) {
                if (ms->varkw) {
                    if (!b->varkw)
                        b->varkw = json_object_new_object();
                    json_object_object_add(b->varkw, key, json_object_get(val));
                } else if (!unexpected) {
                    unexpected = key;
                }
                continue;
            }
            b->a[idx] = json_object_get(val);
            given[idx] = 1;
        }
    }
    for (int i = 0; i < ms->np; i++)
        if (!given[i] && !ms->p[i].def) {
            bound_free(b);
            return om_err_set(err, E_HTTP_UNPROCESSABLE, "missing a required argument: '%s'",
                           param_name(env, ms, i));
        }
    if (unexpected) {
        om_err_set(err, E_HTTP_UNPROCESSABLE, "got an unexpected keyword argument '%s'", unexpected);
        bound_free(b);
        return -1;
    }
    fill_defaults(ms, b, given);
    return 0;
}

/* ------------------------------------------------------------------ */

int om_orm_env_init(call_env *env, store *st, eval_ctx *cx, int uid, json_object *context,
                 mock_err *err)
{
    memset(env, 0, sizeof *env);
    env->st = st;
    env->version = st->version;
    env->uid = uid;
    env->cx = cx;
    env->context = context;
    env->active_test = 1;
    model *users = om_store_model(st, "res.users");
    record *u = users ? om_model_get(users, uid) : NULL;
    if (u) {
        int fa = om_schema_field_index_raw(users->def, "x_is_admin");
        env->is_admin = (int)u->c[fa].i;
    }
    if (context && json_object_get_type(context) == json_type_object) {
        json_object *v;
        if (json_object_object_get_ex(context, "active_test", &v) && !om_py_truthy(v))
            env->active_test = 0;
        if (json_object_object_get_ex(context, "lang", &v) && json_object_get_type(v) == json_type_string) {
            const char *lang = json_object_get_string(v);
            model *langs = om_store_model(st, "res.lang");
            int fc = om_model_field(langs, "code");
            int ok = 0;
            for (size_t i = 0; i < langs->n && !ok; i++) {
                record *l = langs->recs[i];
                ok = l->c[langs->f_active].i && l->c[fc].s && !strcmp(l->c[fc].s, lang);
            }
            if (!ok)
                return om_err_set(err, E_USER, "Invalid language code: %s", lang);
        }
    }
    return 0;
}

int om_orm_check_access(call_env *env, const model *m, unsigned op, mock_err *err)
{
    if (env->is_admin || (m->def->limited_access & op))
        return 0;
    const char *verb = op == ACC_READ     ? "access"
                       : op == ACC_WRITE  ? "modify"
                       : op == ACC_CREATE ? "create"
                                          : "delete";
    return om_err_set(err, E_ACCESS_ERROR,
                   "You are not allowed to %s '%s' (%s) records.\n\nThis operation is allowed for "
                   "the following groups:\n\t- %s\n\nContact your administrator to request access "
                   "if necessary.",
                   verb, m->def->description, m->def->name,
                   env->version >= 19 ? m->def->group19 : m->def->group18);
}

/* the method as model m has it on this version (lookup()'s rules), without an error */
static const method_spec *available(int version, const model *m, const char *method)
{
    const method_spec *ms = method[0] == '_' ? NULL : find_method(method);
    if (ms && (version < ms->min_version || (ms->only_model && strcmp(ms->only_model, m->def->name)) ||
               (ms->needs_active && m->f_active < 0)))
        ms = NULL;
    return ms;
}

static int lookup(call_env *env, call_flavor flavor, const char *model_name, const char *method,
                  model **mout, const method_spec **msout, mock_err *err)
{
    model *m = om_store_model(env->st, model_name);
    if (!m) {
        if (flavor == FLAVOR_WEB)
            return om_err_set_plain_not_found(err);
        if (flavor == FLAVOR_JSON2)
            return om_err_set(err, E_HTTP_NOT_FOUND, "the model '%s' does not exist", model_name);
        return om_err_set(err, E_USER, "Object %s doesn't exist", model_name);
    }
    if (method[0] == '_') {
        if (env->version >= 19)
            return om_err_set(err, E_ACCESS_ERROR,
                           "Private methods (such as '%s.%s') cannot be called remotely.",
                           model_name, method);
        return om_err_set(err, E_ACCESS_ERROR, "Private methods (such as %s) cannot be called remotely.",
                       method);
    }
    const method_spec *ms = available(env->version, m, method);
    if (!ms) {
        if (flavor == FLAVOR_JSON2)
            return om_err_set(err, E_HTTP_NOT_FOUND, "The method '%s.%s' does not exist", model_name, method);
        if (env->version >= 19)
            return om_err_set(err, E_ATTRIBUTE, "The method '%s.%s' does not exist", model_name, method);
        return om_err_set(err, E_ATTRIBUTE, "The method '%s' does not exist on the model '%s'", method,
                       model_name);
    }
    *mout = m;
    *msout = ms;
    return 0;
}

int om_orm_method_sig(int version, const model *m, const char *method, orm_sig *out)
{
    const method_spec *ms = available(version, m, method);
    if (!ms)
        return -1;
    call_env env;
    memset(&env, 0, sizeof env);
    env.version = version;
    memset(out, 0, sizeof *out);
    out->api_model = ms->api_model;
    out->np = ms->np;
    for (int i = 0; i < ms->np; i++) {
        out->names[i] = param_name(&env, ms, i);
        out->defs[i] = ms->p[i].def;
    }
    out->varkw = ms->varkw;
    return 0;
}

const char *om_orm_method_name(size_t i)
{
    return i < sizeof METHODS / sizeof METHODS[0] ? METHODS[i].name : NULL;
}

int om_orm_call_kw(call_env *env, call_flavor flavor, const char *model_name, const char *method,
                json_object *args, json_object *kwargs, json_object **result, mock_err *err)
{
    model *m;
    const method_spec *ms;
    *result = NULL;
    if (lookup(env, flavor, model_name, method, &m, &ms, err))
        return -1;
    if (args && json_object_get_type(args) != json_type_array) {
        strbuf sb;
        om_sb_init(&sb);
        om_py_repr(&sb, args);
        om_err_set(err, E_TYPE, "args must be a list, not %s", sb.buf);
        om_sb_free(&sb);
        return -1;
    }
    int *ids = NULL;
    size_t nids = 0, start = 0;
    if (!ms->api_model) {
        if (!args || json_object_array_length(args) < 1)
            return om_err_set(err, E_INDEX, "list index out of range");
        if (om_orm_parse_ids(json_object_array_get_idx(args, 0), &ids, &nids, err))
            return -1;
        start = 1;
    }
    bound b;
    if (bind_python(env, ms, m, args, start, kwargs, &b, err)) {
        free(ids);
        return -1;
    }
    int rc = ms->fn(env, m, ids, nids, &b, result, err);
    bound_free(&b);
    free(ids);
    if (rc) {
        json_object_put(*result);
        *result = NULL;
    }
    return rc;
}

int om_orm_call_named(call_env *env, const char *model_name, const char *method, json_object *ids_v,
                   json_object *params, json_object **result, mock_err *err)
{
    model *m;
    const method_spec *ms;
    *result = NULL;
    env->json2 = 1;
    if (lookup(env, FLAVOR_JSON2, model_name, method, &m, &ms, err))
        return -1;
    int *ids = NULL;
    size_t nids = 0;
    if (ids_v) {
        if (ms->api_model)
            return om_err_set(err, E_HTTP_UNPROCESSABLE, "cannot call %s.%s with ids", model_name, method);
        if (om_orm_parse_ids(ids_v, &ids, &nids, err))
            return -1;
    }
    bound b;
    if (bind_named(env, ms, params, &b, err)) {
        free(ids);
        return -1;
    }
    int rc = ms->fn(env, m, ids, nids, &b, result, err);
    bound_free(&b);
    free(ids);
    if (rc) {
        json_object_put(*result);
        *result = NULL;
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* fields_get */

static int want(json_object *attributes, const char *attr)
{
    if (!attributes || json_object_get_type(attributes) != json_type_array)
        return 1;
    size_t n = json_object_array_length(attributes);
    for (size_t i = 0; i < n; i++) {
        json_object *a = json_object_array_get_idx(attributes, i);
        if (json_object_get_type(a) == json_type_string && !strcmp(json_object_get_string(a), attr))
            return 1;
    }
    return 0;
}

static json_object *describe(const field_def *f, json_object *attrs)
{
    json_object *d = json_object_new_object();
    int rel = om_ftype_is_relational(f->type);
    int stored = !(f->flags & FF_COMPUTED) || f->compute == C_COMPLETE_NAME;
    int textual = f->type == FT_CHAR || f->type == FT_TEXT || f->type == FT_HTML;
#define ADD(k, v)                                 \
    do {                                          \
        json_object *_v = (v);                    \
        if (want(attrs, k))                       \
            json_object_object_add(d, k, _v);     \
        else                                      \
            json_object_put(_v);                  \
    } while (0)
    ADD("change_default", json_object_new_boolean(0));
    ADD("company_dependent", json_object_new_boolean(0));
    if (rel)
        ADD("context", json_object_new_object());
    ADD("depends", json_object_new_array());
    if (rel)
        ADD("domain", json_object_new_array());
    ADD("exportable", json_object_new_boolean(!(f->flags & FF_WRITEONLY)));
    ADD("groupable", json_object_new_boolean(stored && f->type != FT_BINARY && f->type != FT_ONE2MANY &&
                                             f->type != FT_TEXT && f->type != FT_HTML));
    if (f->help)
        ADD("help", json_object_new_string(f->help));
    ADD("manual", json_object_new_boolean(om_str_startswith(f->name, "x_")));
    ADD("name", json_object_new_string(f->name));
    ADD("readonly", json_object_new_boolean((f->flags & FF_READONLY) != 0));
    if (rel)
        ADD("relation", json_object_new_string(f->relation));
    if (f->type == FT_ONE2MANY)
        ADD("relation_field", json_object_new_string(f->inverse));
    ADD("required", json_object_new_boolean((f->flags & FF_REQUIRED) != 0));
    ADD("searchable", json_object_new_boolean(!(f->flags & FF_NOSEARCH)));
    if (f->type == FT_SELECTION) {
        json_object *sel = json_object_new_array();
        for (const char *const *s = f->selection; s && *s; s += 2) {
            json_object *pair = json_object_new_array();
            json_object_array_add(pair, json_object_new_string(s[0]));
            json_object_array_add(pair, json_object_new_string(s[1]));
            json_object_array_add(sel, pair);
        }
        ADD("selection", sel);
    }
    ADD("sortable", json_object_new_boolean(stored && f->type != FT_BINARY && f->type != FT_ONE2MANY &&
                                            f->type != FT_MANY2MANY));
    ADD("store", json_object_new_boolean(stored));
    ADD("string", json_object_new_string(f->string));
    if (textual)
        ADD("translate", json_object_new_boolean(0));
    ADD("type", json_object_new_string(om_ftype_name(f->type)));
#undef ADD
    return d;
}

json_object *om_orm_fields_get(call_env *env, model *m, json_object *allfields, json_object *attributes)
{
    (void)env;
    json_object *out = json_object_new_object();
    int filter = allfields && json_object_get_type(allfields) == json_type_array &&
                 json_object_array_length(allfields) > 0;
    for (int i = 0; i < m->def->nfields; i++) {
        const field_def *f = &m->def->fields[i];
        if (f->flags & FF_HIDDEN)
            continue;
        if (filter) {
            int found = 0;
            size_t n = json_object_array_length(allfields);
            for (size_t k = 0; k < n && !found; k++) {
                json_object *a = json_object_array_get_idx(allfields, k);
                found = json_object_get_type(a) == json_type_string &&
                        !strcmp(json_object_get_string(a), f->name);
            }
            if (!found)
                continue;
        }
        json_object_object_add(out, f->name, describe(f, attributes));
    }
    return out;
}
