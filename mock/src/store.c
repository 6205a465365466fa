/* odoo-mock — in-memory record storage. */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void om_store_init(store *s, int version)
{
    s->version = version;
    s->nmodels = OM_SCHEMA_NMODELS;
    s->models = om_xcalloc((size_t)s->nmodels, sizeof(model));
    for (int i = 0; i < s->nmodels; i++) {
        model *m = &s->models[i];
        m->def = OM_SCHEMA_MODELS[i];
        m->next_id = 1;
        m->f_active = om_schema_field_index(m->def, "active");
        m->f_name = om_schema_field_index(m->def, m->def->rec_name);
        m->f_is_company = om_schema_field_index(m->def, "is_company");
        int p = om_schema_field_index(m->def, "parent_id");
        m->f_parent = (p >= 0 && m->def->fields[p].relation &&
                       !strcmp(m->def->fields[p].relation, m->def->name))
                          ? p
                          : -1;
    }
}

static void free_record(const model *m, record *r)
{
    for (int i = 0; i < m->def->nfields; i++)
        om_cell_free(&m->def->fields[i], &r->c[i]);
    free(r->c);
    free(r);
}

void om_store_destroy(store *s)
{
    for (int i = 0; i < s->nmodels; i++) {
        model *m = &s->models[i];
        for (size_t j = 0; j < m->n; j++)
            free_record(m, m->recs[j]);
        free(m->recs);
    }
    free(s->models);
    s->models = NULL;
    s->nmodels = 0;
}

model *om_store_model(store *s, const char *name)
{
    for (int i = 0; i < s->nmodels; i++)
        if (!strcmp(s->models[i].def->name, name))
            return &s->models[i];
    return NULL;
}

static ptrdiff_t find_pos(const model *m, int64_t id, int *found)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->recs[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < m->n && m->recs[lo]->id == id;
    return (ptrdiff_t)lo;
}

record *om_model_get(const model *m, int64_t id)
{
    int found;
    if (id <= 0 || id > 0x7fffffff)
        return NULL;
    ptrdiff_t pos = find_pos(m, id, &found);
    return found ? m->recs[pos] : NULL;
}

record *om_model_add(model *m, int id)
{
    if (id <= 0)
        id = m->next_id;
    if (id >= m->next_id)
        m->next_id = id + 1;
    record *r = om_xcalloc(1, sizeof *r);
    r->id = id;
    r->c = om_xcalloc((size_t)m->def->nfields, sizeof(cell));
    int found;
    ptrdiff_t pos = find_pos(m, id, &found);
    if (found) { /* replace silently (seed code never does this) */
        free_record(m, m->recs[pos]);
        m->recs[pos] = r;
        return r;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->recs = om_xrealloc(m->recs, m->cap * sizeof(record *));
    }
    memmove(m->recs + pos + 1, m->recs + pos, (m->n - (size_t)pos) * sizeof(record *));
    m->recs[pos] = r;
    m->n++;
    return r;
}

void om_model_remove(model *m, int id)
{
    int found;
    ptrdiff_t pos = find_pos(m, id, &found);
    if (!found)
        return;
    free_record(m, m->recs[pos]);
    memmove(m->recs + pos, m->recs + pos + 1, (m->n - (size_t)pos - 1) * sizeof(record *));
    m->n--;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

void om_model_remove_sorted(model *m, const int *sorted_ids, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        record *r = m->recs[i];
        if (n && bsearch(&r->id, sorted_ids, n, sizeof(int), cmp_int))
            free_record(m, r);
        else
            m->recs[k++] = r;
    }
    m->n = k;
}

int om_ids_contains(const int *sorted_ids, size_t n, int id)
{
    return n && bsearch(&id, sorted_ids, n, sizeof(int), cmp_int) != NULL;
}

int *om_ids_sorted_unique(const int *ids, size_t n, size_t *out_n)
{
    int *v = om_xmalloc((n + 1) * sizeof(int));
    memcpy(v, ids, n * sizeof(int));
    qsort(v, n, sizeof(int), cmp_int);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || v[k - 1] != v[i])
            v[k++] = v[i];
    *out_n = k;
    return v;
}

int om_model_field(const model *m, const char *name)
{
    return om_schema_field_index(m->def, name);
}

void om_cell_free(const field_def *f, cell *c)
{
    if (om_ftype_is_stringy(f->type)) {
        free(c->s);
        c->s = NULL;
    } else if (f->type == FT_MANY2MANY) {
        free(c->m.ids);
        c->m.ids = NULL;
        c->m.n = 0;
    }
}

void om_rec_set_str(const model *m, record *r, int fidx, const char *s)
{
    om_rec_take_str(m, r, fidx, s ? om_xstrdup(s) : NULL);
}

void om_rec_take_str(const model *m, record *r, int fidx, char *s)
{
    (void)m;
    free(r->c[fidx].s);
    r->c[fidx].s = s;
}

void om_rec_set_int(record *r, int fidx, int64_t v)
{
    r->c[fidx].i = v;
}

void om_rec_set_float(record *r, int fidx, double v)
{
    r->c[fidx].f = v;
}

void om_rec_set_ids(const model *m, record *r, int fidx, const int *ids, int n)
{
    (void)m;
    free(r->c[fidx].m.ids);
    r->c[fidx].m.ids = NULL;
    r->c[fidx].m.n = 0;
    if (n > 0) {
        r->c[fidx].m.ids = om_xmalloc((size_t)n * sizeof(int));
        memcpy(r->c[fidx].m.ids, ids, (size_t)n * sizeof(int));
        r->c[fidx].m.n = n;
    }
}

void om_rec_display_name(store *s, const model *m, const record *r, strbuf *out)
{
    const char *name = (m->f_name >= 0) ? r->c[m->f_name].s : NULL;
    if (m->f_is_company >= 0 && m->f_parent >= 0) { /* res.partner */
        int64_t parent = r->c[m->f_parent].i;
        if (parent && !r->c[m->f_is_company].i) {
            const record *p = om_model_get(m, parent);
            const char *pname = p ? p->c[m->f_name].s : NULL;
            if (pname) {
                om_sb_adds(out, pname);
                om_sb_adds(out, ", ");
            }
        }
    }
    (void)s;
    if (name)
        om_sb_adds(out, name);
}

void om_store_now(char out[20])
{
    om_fmt_datetime(om_now_unix(), out);
}
