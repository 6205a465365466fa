/* odoo-mock — create, write, unlink with Odoo's conversions, constraints
 * and error messages. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "orm_internal.h"
#include "pyjson.h"
#include "xmlrpc.h"

int om_py_truthy(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return 0;
    case json_type_boolean: return json_object_get_boolean(v);
    case json_type_int: return json_object_get_int64(v) != 0;
    case json_type_double: return json_object_get_double(v) != 0;
    case json_type_string: return json_object_get_string_len(v) != 0;
    case json_type_array: return json_object_array_length(v) != 0;
    case json_type_object: return json_object_object_length(v) != 0;
    }
    return 0;
}

static void ids_tuple(strbuf *sb, const int *ids, size_t n)
{
    om_sb_addc(sb, '(');
    for (size_t i = 0; i < n; i++) {
        if (i)
            om_sb_adds(sb, ", ");
        om_sb_addf(sb, "%d", ids[i]);
    }
    if (n == 1)
        om_sb_addc(sb, ',');
    om_sb_addc(sb, ')');
}

int om_orm_check_exist(call_env *env, model *m, const int *ids, size_t n, mock_err *err)
{
    int *missing = om_xmalloc((n + 1) * sizeof(int));
    size_t nm = 0;
    for (size_t i = 0; i < n; i++)
        if (!om_model_get(m, ids[i]))
            missing[nm++] = ids[i];
    if (nm) {
        strbuf sb;
        om_sb_init(&sb);
        ids_tuple(&sb, missing, nm);
        om_err_set(err, E_MISSING, "Record does not exist or has been deleted.\n(Record: %s%s, User: %d)",
                m->def->name, sb.buf, env->uid);
        om_sb_free(&sb);
        free(missing);
        return -1;
    }
    free(missing);
    return 0;
}

static int wrong_value(model *m, const field_def *f, json_object *v, mock_err *err)
{
    strbuf sb;
    om_sb_init(&sb);
    om_py_repr(&sb, v);
    om_err_set(err, E_VALUE, "Wrong value for %s.%s: %s", m->def->name, f->name, sb.buf);
    om_sb_free(&sb);
    return -1;
}

static int valid_date(const char *s)
{
    if (strlen(s) != 10)
        return 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-')
                return 0;
        } else if (!isdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    int mo = atoi(s + 5), d = atoi(s + 8);
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

static int valid_time(const char *s)
{
    if (strlen(s) != 8)
        return 0;
    for (int i = 0; i < 8; i++) {
        if (i == 2 || i == 5) {
            if (s[i] != ':')
                return 0;
        } else if (!isdigit((unsigned char)s[i])) {
            return 0;
        }
    }
    return atoi(s) < 24 && atoi(s + 3) < 60 && atoi(s + 6) < 62;
}

/* Normalise a date/datetime string; returns malloc'd text or NULL. */
static char *norm_datetime(const field_def *f, const char *s)
{
    char buf[32];
    if (f->type == FT_DATE) {
        om_str_copy(buf, sizeof buf, s);
        if (strlen(buf) > 10 && (buf[10] == ' ' || buf[10] == 'T'))
            buf[10] = '\0';
        return valid_date(buf) ? om_xstrdup(buf) : NULL;
    }
    om_str_copy(buf, sizeof buf, s);
    size_t len = strlen(buf);
    if (len == 10)
        return valid_date(buf) ? om_xasprintf("%s 00:00:00", buf) : NULL;
    if (len < 19)
        return NULL;
    if (buf[10] == 'T')
        buf[10] = ' ';
    buf[19] = '\0'; /* drop fractions / zone */
    if (buf[10] != ' ')
        return NULL;
    char date[11], time[9];
    memcpy(date, buf, 10);
    date[10] = '\0';
    memcpy(time, buf + 11, 8);
    time[8] = '\0';
    return (valid_date(date) && valid_time(time)) ? om_xstrdup(buf) : NULL;
}

/* A converted value waiting to be stored. */
typedef struct pending {
    int fidx;
    cell c;
    json_object *commands; /* one2many commands, applied after */
    int is_company_type;   /* company_type -> is_company */
} pending;

static void pending_free(model *m, pending *p, int n)
{
    for (int i = 0; i < n; i++) {
        if (!p[i].commands && !p[i].is_company_type)
            om_cell_free(&m->def->fields[p[i].fidx], &p[i].c);
        json_object_put(p[i].commands);
    }
    free(p);
}

static int to_int64(json_object *v, int64_t *out)
{
    switch (json_object_get_type(v)) {
    case json_type_null: *out = 0; return 0;
    case json_type_boolean: *out = json_object_get_boolean(v); return 0;
    case json_type_int: *out = json_object_get_int64(v); return 0;
    case json_type_double: *out = (int64_t)json_object_get_double(v); return 0;
    case json_type_string: {
        const char *s = json_object_get_string(v);
        char *end;
        long long x = strtoll(s, &end, 10);
        if (!*s || *end)
            return -1;
        *out = x;
        return 0;
    }
    default: return -1;
    }
}

static int convert_value(call_env *env, model *m, int fidx, json_object *v, cell *out, mock_err *err)
{
    const field_def *f = &m->def->fields[fidx];
    memset(out, 0, sizeof *out);
    if (om_xr_is_binary(v))
        return om_err_set(err, E_TYPE, "argument should be a bytes-like object or ASCII string, not 'Binary'");
    int is_false = (v == NULL) || (json_object_get_type(v) == json_type_boolean && !json_object_get_boolean(v));
    switch (f->type) {
    case FT_CHAR:
    case FT_TEXT:
    case FT_HTML:
    case FT_BINARY: {
        if (is_false)
            return 0;
        enum json_type t = json_object_get_type(v);
        if (t == json_type_string) {
            out->s = om_xstrdup(json_object_get_string(v));
        } else if (t == json_type_int || t == json_type_double || t == json_type_boolean) {
            strbuf sb;
            om_sb_init(&sb);
            om_py_repr(&sb, v);
            out->s = om_sb_detach(&sb, NULL);
        } else {
            return wrong_value(m, f, v, err);
        }
        return 0;
    }
    case FT_SELECTION: {
        if (is_false)
            return 0;
        if (json_object_get_type(v) != json_type_string)
            return wrong_value(m, f, v, err);
        const char *s = json_object_get_string(v);
        for (const char *const *sel = f->selection; sel && *sel; sel += 2)
            if (!strcmp(*sel, s)) {
                out->s = om_xstrdup(s);
                return 0;
            }
        return wrong_value(m, f, v, err);
    }
    case FT_DATE:
    case FT_DATETIME: {
        if (is_false)
            return 0;
        if (json_object_get_type(v) != json_type_string)
            return wrong_value(m, f, v, err);
        char *n = norm_datetime(f, json_object_get_string(v));
        if (!n) {
            if (f->type == FT_DATE)
                return om_err_set(err, E_VALUE, "time data '%s' does not match format '%%Y-%%m-%%d'",
                               json_object_get_string(v));
            return om_err_set(err, E_VALUE, "time data '%s' does not match format '%%Y-%%m-%%d %%H:%%M:%%S'",
                           json_object_get_string(v));
        }
        out->s = n;
        return 0;
    }
    case FT_BOOLEAN:
        out->i = om_py_truthy(v);
        return 0;
    case FT_INTEGER:
    case FT_M2O_REFERENCE: {
        int64_t x;
        if (to_int64(v, &x)) {
            if (json_object_get_type(v) == json_type_string)
                return om_err_set(err, E_VALUE, "invalid literal for int() with base 10: '%s'",
                               json_object_get_string(v));
            return wrong_value(m, f, v, err);
        }
        if (x > 2147483647LL || x < -2147483648LL)
            return om_err_set(err, E_PG_NUMERIC, "integer out of range\n");
        out->i = x;
        return 0;
    }
    case FT_FLOAT:
    case FT_MONETARY: {
        switch (json_object_get_type(v)) {
        case json_type_null: out->f = 0; return 0;
        case json_type_boolean: out->f = json_object_get_boolean(v); return 0;
        case json_type_int: out->f = (double)json_object_get_int64(v); return 0;
        case json_type_double: out->f = json_object_get_double(v); return 0;
        case json_type_string: {
            const char *s = json_object_get_string(v);
            char *end;
            out->f = strtod(s, &end);
            if (!*s || *end)
                return om_err_set(err, E_VALUE, "could not convert string to float: '%s'", s);
            return 0;
        }
        default: return wrong_value(m, f, v, err);
        }
    }
    case FT_MANY2ONE: {
        if (is_false)
            return 0;
        int64_t id;
        if (json_object_get_type(v) != json_type_int) {
            if (json_object_get_type(v) == json_type_array && json_object_array_length(v) >= 1 &&
                json_object_get_type(json_object_array_get_idx(v, 0)) == json_type_int)
                id = json_object_get_int64(json_object_array_get_idx(v, 0));
            else
                return wrong_value(m, f, v, err);
        } else {
            id = json_object_get_int64(v);
        }
        model *co = om_store_model(env->st, f->relation);
        if (id > 2147483647LL || id < -2147483648LL)
            return om_err_set(err, E_PG_NUMERIC, "integer out of range\n");
        if (!co || !om_model_get(co, id))
            return om_err_set(err, E_VALIDATION,
                           "The operation cannot be completed: the record %s(%lld,) referenced by "
                           "%s.%s does not exist.",
                           f->relation, (long long)id, m->def->name, f->name);
        out->i = id;
        return 0;
    }
    case FT_MANY2MANY: {
        /* plain list of ids or commands (6, 0, ids) / (4, id) / (5,) */
        if (is_false)
            return 0;
        if (json_object_get_type(v) != json_type_array)
            return wrong_value(m, f, v, err);
        size_t n = json_object_array_length(v);
        int *ids = om_xmalloc((n + 1) * sizeof(int));
        int k = 0;
        for (size_t i = 0; i < n; i++) {
            json_object *it = json_object_array_get_idx(v, i);
            if (json_object_get_type(it) == json_type_int) {
                ids[k++] = (int)json_object_get_int64(it);
            } else if (json_object_get_type(it) == json_type_array &&
                       json_object_array_length(it) >= 1) {
                int cmd = json_object_get_int(json_object_array_get_idx(it, 0));
                if (cmd == 6 && json_object_array_length(it) >= 3) {
                    json_object *l = json_object_array_get_idx(it, 2);
                    size_t ln = json_object_get_type(l) == json_type_array ? json_object_array_length(l) : 0;
                    ids = om_xrealloc(ids, ((size_t)k + ln + n + 1) * sizeof(int));
                    k = 0;
                    for (size_t j = 0; j < ln; j++)
                        ids[k++] = json_object_get_int(json_object_array_get_idx(l, j));
                } else if (cmd == 4 && json_object_array_length(it) >= 2) {
                    ids[k++] = json_object_get_int(json_object_array_get_idx(it, 1));
                } else if (cmd == 5) {
                    k = 0;
                }
            }
        }
        out->m.ids = ids;
        out->m.n = k;
        return 0;
    }
    case FT_ONE2MANY:
        return 0;
    }
    return 0;
}

/* Convert a vals dict into pending cells (nothing is stored yet). */
static int convert_vals(call_env *env, model *m, json_object *vals, pending **out, int *nout,
                        mock_err *err)
{
    *out = NULL;
    *nout = 0;
    if (json_object_get_type(vals) != json_type_object) {
        strbuf sb;
        om_sb_init(&sb);
        om_py_repr(&sb, vals);
        om_err_set(err, E_VALUE, "Invalid values %s for %s: expected a dictionary", sb.buf,
                m->def->name);
        om_sb_free(&sb);
        return -1;
    }
    int n = json_object_object_length(vals);
    pending *p = om_xcalloc((size_t)n + 1, sizeof(pending));
    int k = 0;
    json_object_object_foreach(vals, key, val)
    {
        int fidx = om_model_field(m, key);
        if (fidx < 0) {
            pending_free(m, p, k);
            return om_err_set(err, E_VALUE, "Invalid field '%s' on model '%s'", key, m->def->name);
        }
        const field_def *f = &m->def->fields[fidx];
        if (!strcmp(key, "id") || !strcmp(key, "create_uid") || !strcmp(key, "create_date") ||
            !strcmp(key, "write_uid") || !strcmp(key, "write_date"))
            continue;
        if (f->flags & FF_COMPUTED) {
            if (f->compute == C_INVERSE) {
                if (json_object_get_type(val) != json_type_array && val != NULL &&
                    json_object_get_type(val) != json_type_boolean) {
                    pending_free(m, p, k);
                    return wrong_value(m, f, val, err);
                }
                p[k].fidx = fidx;
                p[k].commands = json_object_get(val);
                k++;
            } else if (f->compute == C_COMPANY_TYPE) {
                const char *s = json_object_get_type(val) == json_type_string ? json_object_get_string(val) : "";
                if (strcmp(s, "company") && strcmp(s, "person")) {
                    pending_free(m, p, k);
                    return wrong_value(m, f, val, err);
                }
                p[k].fidx = fidx;
                p[k].is_company_type = 1;
                p[k].c.i = !strcmp(s, "company");
                k++;
            }
            continue; /* other computed fields: ignored like Odoo does */
        }
        if (convert_value(env, m, fidx, val, &p[k].c, err)) {
            pending_free(m, p, k);
            return -1;
        }
        p[k].fidx = fidx;
        k++;
    }
    *out = p;
    *nout = k;
    return 0;
}

static const pending *find_pending(const pending *p, int n, int fidx)
{
    for (int i = 0; i < n; i++)
        if (p[i].fidx == fidx && !p[i].commands)
            return &p[i];
    return NULL;
}

static void store_pending(call_env *env, model *m, record *r, pending *p, int n)
{
    (void)env;
    for (int i = 0; i < n; i++) {
        if (p[i].commands)
            continue;
        if (p[i].is_company_type) {
            int f = om_model_field(m, "is_company");
            if (f >= 0)
                r->c[f].i = p[i].c.i;
            continue;
        }
        const field_def *f = &m->def->fields[p[i].fidx];
        om_cell_free(f, &r->c[p[i].fidx]);
        if (om_ftype_is_stringy(f->type)) {
            r->c[p[i].fidx].s = p[i].c.s ? om_xstrdup(p[i].c.s) : NULL;
        } else if (f->type == FT_MANY2MANY) {
            om_rec_set_ids(m, r, p[i].fidx, p[i].c.m.ids, p[i].c.m.n);
        } else {
            r->c[p[i].fidx] = p[i].c;
        }
    }
}

static void touch(call_env *env, model *m, record *r, int created)
{
    char now[20];
    om_store_now(now);
    int f;
    if (created) {
        if ((f = om_model_field(m, "create_uid")) >= 0)
            r->c[f].i = env->uid;
        if ((f = om_model_field(m, "create_date")) >= 0)
            om_rec_set_str(m, r, f, now);
    }
    if ((f = om_model_field(m, "write_uid")) >= 0)
        r->c[f].i = env->uid;
    if ((f = om_model_field(m, "write_date")) >= 0)
        om_rec_set_str(m, r, f, now);
}

/* ---- model specific behaviour ---- */

static const char *guess_mimetype(const char *name, const unsigned char *d, size_t n)
{
    static const struct {
        const char *ext, *mime;
    } EXT[] = {{".png", "image/png"},         {".jpg", "image/jpeg"},
               {".jpeg", "image/jpeg"},       {".gif", "image/gif"},
               {".pdf", "application/pdf"},   {".txt", "text/plain"},
               {".csv", "text/csv"},          {".json", "application/json"},
               {".xml", "application/xml"},   {".html", "text/html"},
               {".zip", "application/zip"},   {".svg", "image/svg+xml"}};
    if (name) {
        size_t ln = strlen(name);
        for (size_t i = 0; i < sizeof EXT / sizeof EXT[0]; i++) {
            size_t le = strlen(EXT[i].ext);
            if (ln >= le && !strcasecmp(name + ln - le, EXT[i].ext))
                return EXT[i].mime;
        }
    }
    if (n >= 4 && !memcmp(d, "\x89PNG", 4))
        return "image/png";
    if (n >= 4 && !memcmp(d, "%PDF", 4))
        return "application/pdf";
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        return "image/jpeg";
    if (n >= 4 && !memcmp(d, "GIF8", 4))
        return "image/gif";
    if (n == 0)
        return "application/octet-stream";
    for (size_t i = 0; i < n; i++)
        if (d[i] < 0x09 || (d[i] > 0x0d && d[i] < 0x20))
            return "application/octet-stream";
    return "text/plain";
}

static int attachment_compute(model *m, record *r, int mimetype_given, mock_err *err)
{
    int fd = om_model_field(m, "datas"), fs = om_model_field(m, "file_size"),
        fc = om_model_field(m, "checksum"), fm = om_model_field(m, "mimetype"),
        fn = om_model_field(m, "name");
    const char *datas = r->c[fd].s;
    unsigned char *raw = NULL;
    size_t len = 0;
    if (datas && om_b64_decode(datas, &raw, &len))
        return om_err_set(err, E_VALUE, "Incorrect padding");
    char sum[41];
    if (datas) {
        om_sha1_hex(raw, len, sum);
        om_rec_set_str(m, r, fc, sum);
    } else {
        om_rec_set_str(m, r, fc, NULL);
    }
    r->c[fs].i = (int64_t)len;
    if (!mimetype_given)
        om_rec_set_str(m, r, fm, guess_mimetype(r->c[fn].s, raw, len));
    free(raw);
    return 0;
}

static int check_parent_recursion(call_env *env, model *m, const int *ids, size_t n, int64_t newp,
                                  mock_err *err)
{
    (void)env;
    if (m->f_parent < 0 || !newp)
        return 0;
    /* walk up from the new parent; meeting one of the written records is a
     * cycle (the written records all get newp as parent) */
    int64_t cur = newp;
    int guard = 0;
    while (cur && guard++ < 100000) {
        for (size_t i = 0; i < n; i++)
            if (ids[i] == cur) {
                if (!strcmp(m->def->name, "res.partner"))
                    return om_err_set(err, E_VALIDATION, "You cannot create recursive Partner hierarchies.");
                return om_err_set(err, E_VALIDATION, "Recursion Detected.");
            }
        record *p = om_model_get(m, cur);
        cur = p ? p->c[m->f_parent].i : 0;
    }
    return 0;
}

static int fk_error(call_env *env, const char *model_label, const char *model_name,
                    const char *field_label, const char *field, const char *table, mock_err *err)
{
    if (env->version >= 19)
        return om_err_set(err, E_VALIDATION,
                       "The operation cannot be completed: Another model is using the record you "
                       "are trying to delete.\n\nThe troublemaker is: '%s' (%s)\nThanks to the "
                       "following constraint: '%s' (%s)\nHow about archiving the record instead?",
                       model_label, model_name, field_label, field);
    return om_err_set(err, E_VALIDATION,
                   "The operation cannot be completed: another model requires the record being "
                   "deleted. If possible, archive it instead.\n\nModel: %s (%s)\nConstraint: "
                   "%s_%s_fkey\n",
                   model_label, model_name, table, field);
}

static int is_referenced(store *st, const char *model_name, const char *field, int id)
{
    model *m = om_store_model(st, model_name);
    int f = m ? om_model_field(m, field) : -1;
    if (f < 0)
        return 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->recs[i]->c[f].i == id)
            return 1;
    return 0;
}

static int login_taken(model *users, const char *login, const int *except, size_t nexcept)
{
    int fl = om_model_field(users, "login");
    for (size_t i = 0; i < users->n; i++) {
        record *u = users->recs[i];
        int skip = 0;
        for (size_t j = 0; j < nexcept; j++)
            if (except[j] == u->id)
                skip = 1;
        if (!skip && u->c[fl].s && !strcmp(u->c[fl].s, login))
            return 1;
    }
    return 0;
}

static void bump_sec_gen(model *users, record *u)
{
    int f = om_schema_field_index_raw(users->def, "x_sec_gen");
    u->c[f].i++;
}

/* one2many commands on field fidx of parent record r */
static int apply_o2m(call_env *env, model *m, record *r, int fidx, json_object *cmds, mock_err *err)
{
    const field_def *f = &m->def->fields[fidx];
    model *co = om_store_model(env->st, f->relation);
    int inv = co ? om_model_field(co, f->inverse) : -1;
    if (!co || inv < 0 || !cmds || json_object_get_type(cmds) != json_type_array)
        return 0;
    size_t n = json_object_array_length(cmds);
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(cmds, i);
        if (json_object_get_type(c) == json_type_int) { /* bare id: link */
            record *child = om_model_get(co, json_object_get_int64(c));
            if (child)
                child->c[inv].i = r->id;
            continue;
        }
        if (json_object_get_type(c) != json_type_array || json_object_array_length(c) < 1)
            return wrong_value(m, f, cmds, err);
        int cmd = json_object_get_int(json_object_array_get_idx(c, 0));
        int64_t id = json_object_array_length(c) > 1 ? json_object_get_int64(json_object_array_get_idx(c, 1)) : 0;
        json_object *arg = json_object_array_length(c) > 2 ? json_object_array_get_idx(c, 2) : NULL;
        switch (cmd) {
        case 0: { /* create */
            json_object *copy = NULL;
            if (json_object_get_type(arg) != json_type_object ||
                json_object_deep_copy(arg, &copy, NULL) != 0)
                copy = json_object_new_object();
            json_object_object_add(copy, f->inverse, json_object_new_int(r->id));
            json_object *res = NULL;
            int rc = om_orm_create(env, co, copy, 0, &res, err);
            json_object_put(copy);
            json_object_put(res);
            if (rc)
                return -1;
            break;
        }
        case 1: { /* update */
            int one = (int)id;
            if (om_orm_write(env, co, &one, 1, arg, err))
                return -1;
            break;
        }
        case 2: { /* delete */
            int one = (int)id;
            if (om_model_get(co, id) && om_orm_unlink(env, co, &one, 1, err))
                return -1;
            break;
        }
        case 3: { /* unlink from relation */
            record *child = om_model_get(co, id);
            if (child && child->c[inv].i == r->id)
                child->c[inv].i = 0;
            break;
        }
        case 4: { /* link */
            record *child = om_model_get(co, id);
            if (child)
                child->c[inv].i = r->id;
            break;
        }
        case 5: /* clear */
        case 6: { /* set */
            for (size_t k = 0; k < co->n; k++)
                if (co->recs[k]->c[inv].i == r->id)
                    co->recs[k]->c[inv].i = 0;
            if (cmd == 6 && arg && json_object_get_type(arg) == json_type_array) {
                size_t ln = json_object_array_length(arg);
                for (size_t k = 0; k < ln; k++) {
                    record *child = om_model_get(co, json_object_get_int64(json_object_array_get_idx(arg, k)));
                    if (child)
                        child->c[inv].i = r->id;
                }
            }
            break;
        }
        default:
            return wrong_value(m, f, c, err);
        }
    }
    return 0;
}

void om_orm_set_defaults(call_env *env, model *m, record *r);
static void set_defaults(call_env *env, model *m, record *r)
{
    om_orm_set_defaults(env, m, r);
}

void om_orm_set_defaults(call_env *env, model *m, record *r)
{
    const char *name = m->def->name;
    int f;
    if (m->f_active >= 0)
        r->c[m->f_active].i = strcmp(name, "res.lang") ? 1 : 0;
    if (!strcmp(name, "res.partner")) {
        if ((f = om_model_field(m, "type")) >= 0)
            om_rec_set_str(m, r, f, "contact");
        if ((f = om_model_field(m, "lang")) >= 0)
            om_rec_set_str(m, r, f, "en_US");
    } else if (!strcmp(name, "res.users")) {
        if ((f = om_model_field(m, "lang")) >= 0)
            om_rec_set_str(m, r, f, "en_US");
        if ((f = om_model_field(m, "tz")) >= 0)
            om_rec_set_str(m, r, f, "Europe/Brussels");
        if ((f = om_model_field(m, "company_id")) >= 0)
            r->c[f].i = 1;
    } else if (!strcmp(name, "res.currency")) {
        if ((f = om_model_field(m, "rounding")) >= 0)
            r->c[f].f = 0.01;
        if ((f = om_model_field(m, "decimal_places")) >= 0)
            r->c[f].i = 2;
        if ((f = om_model_field(m, "rate")) >= 0)
            r->c[f].f = 1.0;
        if ((f = om_model_field(m, "position")) >= 0)
            om_rec_set_str(m, r, f, "after");
    } else if (!strcmp(name, "ir.attachment")) {
        if ((f = om_model_field(m, "type")) >= 0)
            om_rec_set_str(m, r, f, "binary");
    } else if (!strcmp(name, "res.lang")) {
        if ((f = om_model_field(m, "direction")) >= 0)
            om_rec_set_str(m, r, f, "ltr");
        if ((f = om_model_field(m, "week_start")) >= 0)
            om_rec_set_str(m, r, f, "7");
    } else if (!strcmp(name, "res.company")) {
        if ((f = om_model_field(m, "currency_id")) >= 0)
            r->c[f].i = 1;
    }
    (void)env;
}

static int check_required(call_env *env, model *m, record *r, mock_err *err)
{
    (void)env;
    for (int i = 0; i < m->def->nfields; i++) {
        const field_def *f = &m->def->fields[i];
        if (!(f->flags & FF_REQUIRED) || (f->flags & FF_COMPUTED))
            continue;
        int missing = om_ftype_is_stringy(f->type) ? r->c[i].s == NULL
                                                : (f->type == FT_MANY2ONE && r->c[i].i == 0);
        if (missing)
            return om_err_set(err, E_VALIDATION,
                           "The operation cannot be completed: Missing required value for the "
                           "field '%s' (%s).\nModel: %s (%s)",
                           f->string, f->name, m->def->description, m->def->name);
    }
    if (!strcmp(m->def->name, "res.partner")) {
        int ft = om_model_field(m, "type");
        const char *type = r->c[ft].s;
        if (!r->c[m->f_name].s && (!type || !strcmp(type, "contact")))
            return om_err_set(err, E_VALIDATION, "Contacts require a name");
    }
    return 0;
}

static int create_one(call_env *env, model *m, json_object *vals, int *new_id, mock_err *err)
{
    pending *p;
    int np;
    if (convert_vals(env, m, vals, &p, &np, err))
        return -1;
    const char *name = m->def->name;
    model *users = om_store_model(env->st, "res.users");
    if (!strcmp(name, "res.users")) {
        const pending *pl = find_pending(p, np, om_model_field(m, "login"));
        if (pl && pl->c.s && login_taken(users, pl->c.s, NULL, 0)) {
            pending_free(m, p, np);
            return om_err_set(err, E_VALIDATION, "You can not have two users with the same login!");
        }
    }
    record *r = om_model_add(m, 0);
    set_defaults(env, m, r);
    store_pending(env, m, r, p, np);
    touch(env, m, r, 1);
    int rc = 0;
    if (!strcmp(name, "res.users")) {
        /* every user has a partner: create one from the user's name */
        int fp = om_model_field(m, "partner_id");
        if (!r->c[fp].i) {
            model *partners = om_store_model(env->st, "res.partner");
            record *pr = om_model_add(partners, 0);
            set_defaults(env, partners, pr);
            om_rec_set_str(partners, pr, partners->f_name, r->c[m->f_name].s ? r->c[m->f_name].s : r->c[om_model_field(m, "login")].s);
            touch(env, partners, pr, 1);
            r->c[fp].i = pr->id;
        }
    }
    if (!strcmp(name, "ir.attachment"))
        rc = attachment_compute(m, r, find_pending(p, np, om_model_field(m, "mimetype")) != NULL, err);
    for (int i = 0; !rc && i < np; i++)
        if (p[i].commands)
            rc = apply_o2m(env, m, r, p[i].fidx, p[i].commands, err);
    if (!rc)
        rc = check_required(env, m, r, err);
    pending_free(m, p, np);
    if (rc) {
        om_model_remove(m, r->id);
        return -1;
    }
    *new_id = r->id;
    return 0;
}

int om_orm_create(call_env *env, model *m, json_object *vals_list, int force_list,
               json_object **result, mock_err *err)
{
    if (om_orm_check_access(env, m, ACC_CREATE, err))
        return -1;
    int single = json_object_get_type(vals_list) == json_type_object;
    if (!single && json_object_get_type(vals_list) != json_type_array) {
        strbuf sb;
        om_sb_init(&sb);
        om_py_repr(&sb, vals_list);
        om_err_set(err, E_VALUE, "Invalid values %s for %s.create(): expected a dict or a list of dicts",
                sb.buf, m->def->name);
        om_sb_free(&sb);
        return -1;
    }
    size_t n = single ? 1 : json_object_array_length(vals_list);
    int *ids = om_xmalloc((n + 1) * sizeof(int));
    size_t done = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *vals = single ? vals_list : json_object_array_get_idx(vals_list, i);
        if (create_one(env, m, vals, &ids[done], err)) {
            for (size_t k = 0; k < done; k++) /* roll back this call */
                om_model_remove(m, ids[k]);
            free(ids);
            return -1;
        }
        done++;
    }
    if (single && !force_list) {
        *result = json_object_new_int(ids[0]);
    } else {
        json_object *l = json_object_new_array();
        for (size_t i = 0; i < done; i++)
            json_object_array_add(l, json_object_new_int(ids[i]));
        *result = l;
    }
    free(ids);
    return 0;
}

int om_orm_write(call_env *env, model *m, const int *ids, size_t n, json_object *vals, mock_err *err)
{
    if (om_orm_check_access(env, m, ACC_WRITE, err))
        return -1;
    if (om_orm_check_exist(env, m, ids, n, err))
        return -1;
    pending *p;
    int np;
    if (convert_vals(env, m, vals, &p, &np, err))
        return -1;
    const char *name = m->def->name;
    int rc = 0;
    if (m->f_parent >= 0) {
        const pending *pp = find_pending(p, np, m->f_parent);
        if (pp)
            rc = check_parent_recursion(env, m, ids, n, pp->c.i, err);
    }
    int sec_change = 0;
    if (!rc && !strcmp(name, "res.users")) {
        const pending *pl = find_pending(p, np, om_model_field(m, "login"));
        if (pl && pl->c.s && login_taken(m, pl->c.s, ids, n))
            rc = om_err_set(err, E_VALIDATION, "You can not have two users with the same login!");
        if (pl || find_pending(p, np, om_model_field(m, "password")) ||
            find_pending(p, np, m->f_active))
            sec_change = 1;
    }
    if (!rc) {
        for (size_t i = 0; i < n && !rc; i++) {
            record *r = om_model_get(m, ids[i]);
            if (!r)
                continue;
            store_pending(env, m, r, p, np);
            touch(env, m, r, 0);
            if (sec_change)
                bump_sec_gen(m, r);
            if (!strcmp(name, "ir.attachment") && find_pending(p, np, om_model_field(m, "datas")))
                rc = attachment_compute(m, r, find_pending(p, np, om_model_field(m, "mimetype")) != NULL, err);
            for (int k = 0; !rc && k < np; k++)
                if (p[k].commands)
                    rc = apply_o2m(env, m, r, p[k].fidx, p[k].commands, err);
        }
    }
    pending_free(m, p, np);
    return rc;
}

int om_orm_unlink(call_env *env, model *m, const int *ids, size_t n, mock_err *err)
{
    if (om_orm_check_access(env, m, ACC_UNLINK, err))
        return -1;
    if (om_orm_check_exist(env, m, ids, n, err))
        return -1;
    const char *name = m->def->name;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(name, "res.users") && (ids[i] == 1 || ids[i] == 2))
            return om_err_set(err, E_USER,
                           "You cannot delete the admin user because it is utilized in various "
                           "places (such as security configurations,...). Instead, archive it.");
        if (!strcmp(name, "res.partner")) {
            if (is_referenced(env->st, "res.users", "partner_id", ids[i]))
                return fk_error(env, "User", "res.users", "Related Partner", "partner_id",
                                "res_users", err);
            if (is_referenced(env->st, "res.company", "partner_id", ids[i]))
                return fk_error(env, "Companies", "res.company", "Partner", "partner_id",
                                "res_company", err);
        }
        if (!strcmp(name, "res.company") && is_referenced(env->st, "res.users", "company_id", ids[i]))
            return fk_error(env, "User", "res.users", "Company", "company_id", "res_users", err);
        if (!strcmp(name, "res.currency") && is_referenced(env->st, "res.company", "currency_id", ids[i]))
            return fk_error(env, "Companies", "res.company", "Currency", "currency_id", "res_company", err);
    }
    /* one pass per table: children lose their parent, attachments of the
     * records go, then the records */
    size_t ns;
    int *set = om_ids_sorted_unique(ids, n, &ns);
    if (m->f_parent >= 0)
        for (size_t k = 0; k < m->n; k++) {
            int64_t p = m->recs[k]->c[m->f_parent].i;
            if (p > 0 && p <= 0x7fffffff && om_ids_contains(set, ns, (int)p))
                m->recs[k]->c[m->f_parent].i = 0;
        }
    model *att = om_store_model(env->st, "ir.attachment");
    if (att && m != att) {
        int f_rm = om_model_field(att, "res_model"), f_ri = om_model_field(att, "res_id");
        int *gone = om_xmalloc((att->n + 1) * sizeof(int));
        size_t ng = 0;
        for (size_t k = 0; k < att->n; k++) {
            record *a = att->recs[k];
            int64_t rid = a->c[f_ri].i;
            if (rid > 0 && rid <= 0x7fffffff && a->c[f_rm].s && !strcmp(a->c[f_rm].s, name) &&
                om_ids_contains(set, ns, (int)rid))
                gone[ng++] = a->id;
        }
        om_model_remove_sorted(att, gone, ng); /* attachment ids are ascending */
        free(gone);
    }
    om_model_remove_sorted(m, set, ns);
    free(set);
    return 0;
}

json_object *om_orm_default_get(call_env *env, model *m, json_object *fields)
{
    record tmp;
    tmp.id = 0;
    tmp.c = om_xcalloc((size_t)m->def->nfields, sizeof(cell));
    om_orm_set_defaults(env, m, &tmp);
    json_object *out = json_object_new_object();
    size_t n = (fields && json_object_get_type(fields) == json_type_array) ? json_object_array_length(fields) : 0;
    for (size_t i = 0; i < n; i++) {
        json_object *fn = json_object_array_get_idx(fields, i);
        if (json_object_get_type(fn) != json_type_string)
            continue;
        int fidx = om_model_field(m, json_object_get_string(fn));
        if (fidx < 0)
            continue;
        const field_def *f = &m->def->fields[fidx];
        if (f->flags & FF_COMPUTED) {
            if (f->compute == C_COMPANY_TYPE)
                json_object_object_add(out, f->name, json_object_new_string("person"));
            continue;
        }
        json_object *v = NULL;
        if (om_ftype_is_stringy(f->type)) {
            if (tmp.c[fidx].s)
                v = json_object_new_string(tmp.c[fidx].s);
        } else if (f->type == FT_BOOLEAN) {
            if (fidx == m->f_active || tmp.c[fidx].i)
                v = json_object_new_boolean((int)tmp.c[fidx].i);
        } else if (f->type == FT_FLOAT || f->type == FT_MONETARY) {
            if (tmp.c[fidx].f != 0)
                v = json_object_new_double(tmp.c[fidx].f);
        } else if (f->type != FT_MANY2MANY && f->type != FT_ONE2MANY) {
            if (tmp.c[fidx].i)
                v = json_object_new_int64(tmp.c[fidx].i);
        }
        if (v)
            json_object_object_add(out, f->name, v);
    }
    for (int i = 0; i < m->def->nfields; i++)
        om_cell_free(&m->def->fields[i], &tmp.c[i]);
    free(tmp.c);
    return out;
}
