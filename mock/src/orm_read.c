/* odoo-mock — reading: values as the ORM's read() converts them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orm.h"
#include "pyjson.h"

json_object *om_orm_value_json(call_env *env, model *m, record *r, int fidx, int classic)
{
    const field_def *f = &m->def->fields[fidx];
    fval v;
    om_field_value(env->cx, m, r, fidx, &v);
    json_object *out = NULL;
    switch (v.kind) {
    case FV_NULL:
        out = json_object_new_boolean(0);
        break;
    case FV_STR:
        out = json_object_new_string(v.s);
        break;
    case FV_BOOL:
        out = json_object_new_boolean((int)v.i);
        break;
    case FV_FLOAT:
        out = json_object_new_double(v.f);
        break;
    case FV_INT:
        if (f->type == FT_MANY2ONE) {
            model *co = om_store_model(env->st, f->relation);
            record *rr = co ? om_model_get(co, v.i) : NULL;
            if (!rr) {
                out = json_object_new_boolean(0);
            } else if (!classic) {
                out = json_object_new_int64(v.i);
            } else {
                strbuf sb;
                om_sb_init(&sb);
                om_rec_display_name(env->st, co, rr, &sb);
                out = json_object_new_array();
                json_object_array_add(out, json_object_new_int64(v.i));
                json_object_array_add(out, json_object_new_string(sb.buf ? sb.buf : ""));
                om_sb_free(&sb);
            }
        } else {
            out = json_object_new_int64(v.i);
        }
        break;
    case FV_IDS:
        out = json_object_new_array_ext(v.n);
        for (int i = 0; i < v.n; i++)
            json_object_array_add(out, json_object_new_int(v.ids[i]));
        break;
    }
    om_fval_release(&v);
    return out;
}

int om_orm_read_records(call_env *env, model *m, rec_list *recs, json_object *fields, int classic,
                     json_object **out, mock_err *err)
{
    int nf = 0;
    int *fidx = om_xmalloc(((size_t)m->def->nfields + 1) * sizeof(int));
    int have_list = fields && json_object_get_type(fields) == json_type_array &&
                    json_object_array_length(fields) > 0;
    if (fields && json_object_get_type(fields) == json_type_string) {
        /* read('name') — Odoo accepts a single field name */
        int i = om_model_field(m, json_object_get_string(fields));
        if (i < 0) {
            om_err_set(err, E_VALUE, "Invalid field '%s' on '%s'", json_object_get_string(fields),
                    m->def->name);
            free(fidx);
            return -1;
        }
        if (strcmp(m->def->fields[i].name, "id"))
            fidx[nf++] = i;
    } else if (have_list) {
        size_t n = json_object_array_length(fields);
        for (size_t k = 0; k < n; k++) {
            json_object *fn = json_object_array_get_idx(fields, k);
            if (json_object_get_type(fn) != json_type_string) {
                strbuf sb;
                om_sb_init(&sb);
                om_py_repr(&sb, fn);
                om_err_set(err, E_VALUE, "Invalid field %s on '%s'", sb.buf, m->def->name);
                om_sb_free(&sb);
                free(fidx);
                return -1;
            }
            const char *name = json_object_get_string(fn);
            int i = om_model_field(m, name);
            if (i < 0) {
                om_err_set(err, E_VALUE, "Invalid field '%s' on '%s'", name, m->def->name);
                free(fidx);
                return -1;
            }
            if (!strcmp(name, "id"))
                continue;
            int dup = 0;
            for (int j = 0; j < nf; j++)
                if (fidx[j] == i)
                    dup = 1;
            if (!dup && nf < m->def->nfields)
                fidx[nf++] = i;
        }
    } else {
        for (int i = 0; i < m->def->nfields; i++) {
            const field_def *f = &m->def->fields[i];
            if ((f->flags & FF_HIDDEN) || !strcmp(f->name, "id"))
                continue;
            fidx[nf++] = i;
        }
    }
    json_object *list = json_object_new_array_ext((int)recs->n);
    for (size_t k = 0; k < recs->n; k++) {
        record *r = recs->v[k];
        json_object *o = json_object_new_object();
        json_object_object_add(o, "id", json_object_new_int(r->id));
        for (int j = 0; j < nf; j++)
            json_object_object_add(o, m->def->fields[fidx[j]].name,
                                   om_orm_value_json(env, m, r, fidx[j], classic));
        json_object_array_add(list, o);
    }
    free(fidx);
    *out = list;
    return 0;
}

int om_orm_parse_ids(json_object *ids, int **out, size_t *n, mock_err *err)
{
    *out = NULL;
    *n = 0;
    if (!ids || (json_object_get_type(ids) == json_type_boolean && !json_object_get_boolean(ids)))
        return 0;
    if (json_object_get_type(ids) == json_type_int) {
        *out = om_xmalloc(sizeof(int));
        int64_t v = json_object_get_int64(ids);
        (*out)[0] = (v > 0x7fffffff || v < 0) ? 0 : (int)v;
        *n = 1;
        return 0;
    }
    if (json_object_get_type(ids) != json_type_array) {
        strbuf sb;
        om_sb_init(&sb);
        om_py_repr(&sb, ids);
        om_err_set(err, E_TYPE, "Invalid ids %s: expected a list of integers", sb.buf);
        om_sb_free(&sb);
        return -1;
    }
    size_t cnt = json_object_array_length(ids);
    int *v = om_xmalloc((cnt + 1) * sizeof(int));
    size_t k = 0;
    for (size_t i = 0; i < cnt; i++) {
        json_object *it = json_object_array_get_idx(ids, i);
        if (json_object_get_type(it) != json_type_int) {
            strbuf sb;
            om_sb_init(&sb);
            om_py_repr(&sb, it);
            om_err_set(err, E_TYPE, "Invalid id %s: expected an integer", sb.buf);
            om_sb_free(&sb);
            free(v);
            return -1;
        }
        int64_t x = json_object_get_int64(it);
        /* ids beyond int4 can never exist: keep them as 0 (never found) */
        v[k++] = (x > 0x7fffffff || x < 0) ? 0 : (int)x;
    }
    *out = v;
    *n = k;
    return 0;
}
