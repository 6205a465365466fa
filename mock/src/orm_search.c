/* odoo-mock — search: domain filtering, implicit active test, ordering,
 * offset and limit. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain.h"
#include "orm.h"

typedef struct order_term {
    int fidx;
    int desc;
    int nulls_first;
} order_term;

typedef struct sort_key {
    int null;
    double num;
    char *s;
} sort_key;

typedef struct sort_ctx {
    const order_term *terms;
    int nterms;
    sort_key *keys; /* n * nterms */
    record **recs;
} sort_ctx;

static int parse_order(model *m, const char *order, order_term *terms, int max, mock_err *err)
{
    int n = 0;
    char *copy = om_xstrdup(order), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *words[4] = {0};
        int nw = 0;
        char *s2 = NULL;
        for (char *w = strtok_r(tok, " \t\n", &s2); w && nw < 4; w = strtok_r(NULL, " \t\n", &s2))
            words[nw++] = w;
        if (!nw)
            continue;
        if (n >= max)
            break;
        /* "field:agg" or quoted names are not supported: plain fields */
        int fidx = om_model_field(m, words[0]);
        if (fidx < 0) {
            om_err_set(err, E_VALUE, "Invalid field '%s' on model '%s'", words[0], m->def->name);
            free(copy);
            return -1;
        }
        const field_def *f = &m->def->fields[fidx];
        if ((f->flags & FF_NOSEARCH) || f->type == FT_ONE2MANY || f->type == FT_MANY2MANY ||
            f->type == FT_BINARY) {
            om_err_set(err, E_VALUE, "Cannot convert %s.%s to SQL because it is not stored",
                    m->def->name, words[0]);
            free(copy);
            return -1;
        }
        int desc = 0;
        if (nw > 1) {
            if (!strcasecmp(words[1], "desc"))
                desc = 1;
            else if (strcasecmp(words[1], "asc")) {
                om_err_set(err, E_VALUE, "Invalid order direction '%s' for field '%s'", words[1],
                        words[0]);
                free(copy);
                return -1;
            }
        }
        int nulls_first = desc; /* PostgreSQL default */
        if (nw > 3 && !strcasecmp(words[2], "nulls"))
            nulls_first = !strcasecmp(words[3], "first");
        terms[n].fidx = fidx;
        terms[n].desc = desc;
        terms[n].nulls_first = nulls_first;
        n++;
    }
    free(copy);
    return n;
}

static int cmp_text(const char *a, const char *b)
{
    int c = strcasecmp(a, b);
    return c ? c : strcmp(a, b);
}

static int sort_cmp(const void *pa, const void *pb, void *arg)
{
    const sort_ctx *sc = arg;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    for (int t = 0; t < sc->nterms; t++) {
        const sort_key *a = &sc->keys[ia * (size_t)sc->nterms + (size_t)t];
        const sort_key *b = &sc->keys[ib * (size_t)sc->nterms + (size_t)t];
        const order_term *ot = &sc->terms[t];
        if (a->null || b->null) {
            if (a->null && b->null)
                continue;
            int c = a->null ? 1 : -1; /* nulls last */
            return ot->nulls_first ? -c : c;
        }
        int c;
        if (a->s || b->s)
            c = cmp_text(a->s ? a->s : "", b->s ? b->s : "");
        else
            c = a->num < b->num ? -1 : a->num > b->num;
        if (c)
            return ot->desc ? -c : c;
    }
    int ida = sc->recs[ia]->id, idb = sc->recs[ib]->id;
    return ida < idb ? -1 : ida > idb;
}

int om_orm_sort(call_env *env, model *m, rec_list *recs, const char *order, mock_err *err)
{
    order_term terms[8];
    if (!order || !*order)
        order = m->def->order;
    int nt = parse_order(m, order, terms, 8, err);
    if (nt < 0)
        return -1;
    if (nt == 0 || recs->n < 2)
        return 0;
    size_t n = recs->n;
    sort_key *keys = om_xcalloc(n * (size_t)nt, sizeof(sort_key));
    for (size_t i = 0; i < n; i++) {
        for (int t = 0; t < nt; t++) {
            sort_key *k = &keys[i * (size_t)nt + (size_t)t];
            const field_def *f = &m->def->fields[terms[t].fidx];
            fval v;
            om_field_value(env->cx, m, recs->v[i], terms[t].fidx, &v);
            switch (v.kind) {
            case FV_NULL:
                k->null = 1;
                break;
            case FV_STR:
                k->s = om_xstrdup(v.s);
                break;
            case FV_INT:
                if (f->type == FT_MANY2ONE) {
                    /* many2one: order by the comodel's display name */
                    model *co = om_store_model(env->st, f->relation);
                    record *rr = co ? om_model_get(co, v.i) : NULL;
                    strbuf sb;
                    om_sb_init(&sb);
                    if (rr)
                        om_rec_display_name(env->st, co, rr, &sb);
                    k->s = om_sb_detach(&sb, NULL);
                } else {
                    k->num = (double)v.i;
                }
                break;
            case FV_BOOL:
                k->num = (double)v.i;
                break;
            case FV_FLOAT:
                k->num = v.f;
                break;
            default:
                k->null = 1;
            }
            om_fval_release(&v);
        }
    }
    size_t *idx = om_xmalloc(n * sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_ctx sc = {terms, nt, keys, recs->v};
    qsort_r(idx, n, sizeof(size_t), sort_cmp, &sc);
    record **sorted = om_xmalloc(n * sizeof(record *));
    for (size_t i = 0; i < n; i++)
        sorted[i] = recs->v[idx[i]];
    free(recs->v);
    recs->v = sorted;
    for (size_t i = 0; i < n * (size_t)nt; i++)
        free(keys[i].s);
    free(keys);
    free(idx);
    return 0;
}

int om_orm_search(call_env *env, model *m, json_object *domain, int64_t offset, int64_t limit,
               const char *order, rec_list *out, mock_err *err)
{
    out->v = NULL;
    out->n = 0;
    dnode *d = om_domain_compile(env->st, m, domain, err);
    if (!d)
        return -1;
    int active_filter = m->f_active >= 0 && env->active_test && !om_domain_mentions(domain, "active");
    record **v = om_xmalloc((m->n + 1) * sizeof(record *));
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++) {
        record *r = m->recs[i];
        if (active_filter && !r->c[m->f_active].i)
            continue;
        if (om_domain_eval(env->cx, d, r))
            v[n++] = r;
    }
    om_domain_free(d);
    out->v = v;
    out->n = n;
    if (om_orm_sort(env, m, out, order, err)) {
        free(out->v);
        out->v = NULL;
        out->n = 0;
        return -1;
    }
    if (offset < 0)
        offset = 0;
    if ((size_t)offset >= out->n) {
        out->n = 0;
    } else if (offset > 0) {
        memmove(out->v, out->v + offset, (out->n - (size_t)offset) * sizeof(record *));
        out->n -= (size_t)offset;
    }
    if (limit >= 0 && (size_t)limit < out->n)
        out->n = (size_t)limit;
    return 0;
}
