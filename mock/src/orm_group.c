/* odoo-mock — read_group (<= 18 API, still callable on 19) and
 * formatted_read_group (19). Grouping by stored fields (many2one,
 * selection, char, boolean, integer, date/datetime with :day, :week,
 * :month, :quarter, :year), aggregates sum, avg, min, max, count,
 * count_distinct, bool_and, bool_or. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "orm_internal.h"
#include "pyjson.h"

typedef struct gb_spec {
    char *spec; /* as given, e.g. "date:month" */
    int fidx;
    char gran[16];
} gb_spec;

typedef struct agg_spec {
    char *key; /* output key */
    int fidx;  /* -1 for __count */
    char func[16];
} agg_spec;

typedef struct gkey {
    int null;
    int is_num;
    double num;
    char *text; /* canonical text / sort text */
    char *label;
    char *from, *to; /* date ranges */
    int64_t id;
} gkey;

typedef struct grow {
    record *r;
    gkey *keys;
} grow;

static const char *MONTHS[] = {"January", "February", "March", "April", "May", "June", "July",
                               "August", "September", "October", "November", "December"};

static int parse_groupby(model *m, json_object *groupby, gb_spec **out, int *nout, mock_err *err)
{
    *out = NULL;
    *nout = 0;
    if (!groupby || json_object_get_type(groupby) == json_type_null ||
        (json_object_get_type(groupby) == json_type_boolean && !json_object_get_boolean(groupby)))
        return 0;
    json_object *list = groupby;
    int single = json_object_get_type(groupby) == json_type_string;
    size_t n = single ? 1 : (json_object_get_type(groupby) == json_type_array ? json_object_array_length(groupby) : 0);
    gb_spec *g = om_xcalloc(n + 1, sizeof *g);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *it = single ? list : json_object_array_get_idx(list, i);
        if (json_object_get_type(it) != json_type_string) {
            free(g);
            return om_err_set(err, E_VALUE, "Invalid groupby specification");
        }
        const char *s = json_object_get_string(it);
        char fname[128];
        om_str_copy(fname, sizeof fname, s);
        char *colon = strchr(fname, ':');
        g[k].gran[0] = '\0';
        if (colon) {
            *colon = '\0';
            om_str_copy(g[k].gran, sizeof g[k].gran, colon + 1);
        }
        int fidx = om_model_field(m, fname);
        if (fidx < 0) {
            for (int j = 0; j < k; j++)
                free(g[j].spec);
            free(g);
            return om_err_set(err, E_VALUE, "Invalid field '%s' on model '%s'", fname, m->def->name);
        }
        const field_def *f = &m->def->fields[fidx];
        if ((f->flags & FF_COMPUTED) || f->type == FT_BINARY || f->type == FT_ONE2MANY) {
            for (int j = 0; j < k; j++)
                free(g[j].spec);
            free(g);
            return om_err_set(err, E_VALUE, "Field %s.%s is not groupable", m->def->name, fname);
        }
        if ((f->type == FT_DATE || f->type == FT_DATETIME) && !g[k].gran[0])
            strcpy(g[k].gran, "month");
        g[k].fidx = fidx;
        g[k].spec = om_xstrdup(s);
        k++;
    }
    *out = g;
    *nout = k;
    return 0;
}

static void free_groupby(gb_spec *g, int n)
{
    for (int i = 0; i < n; i++)
        free(g[i].spec);
    free(g);
}

static const char *default_agg(const field_def *f)
{
    if (f->type == FT_INTEGER || f->type == FT_FLOAT || f->type == FT_MONETARY)
        return "sum";
    return NULL;
}

/* spec forms: "__count", "field", "field:agg", "alias:agg(field)" */
static int parse_aggs(model *m, json_object *list, int formatted, agg_spec **out, int *nout,
                      mock_err *err)
{
    *out = NULL;
    *nout = 0;
    size_t n = (list && json_object_get_type(list) == json_type_array) ? json_object_array_length(list) : 0;
    if (list && json_object_get_type(list) == json_type_string)
        n = 1;
    agg_spec *a = om_xcalloc(n + 1, sizeof *a);
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *it = json_object_get_type(list) == json_type_string ? list : json_object_array_get_idx(list, i);
        if (json_object_get_type(it) != json_type_string)
            continue;
        const char *s = json_object_get_string(it);
        if (!strcmp(s, "__count")) {
            a[k].key = om_xstrdup("__count");
            a[k].fidx = -1;
            strcpy(a[k].func, "count");
            k++;
            continue;
        }
        char buf[160], fname[128], func[16] = "";
        char alias[128];
        om_str_copy(buf, sizeof buf, s);
        char *colon = strchr(buf, ':');
        if (colon) {
            *colon = '\0';
            char *paren = strchr(colon + 1, '(');
            if (paren) { /* alias:agg(field) */
                *paren = '\0';
                om_str_copy(func, sizeof func, colon + 1);
                om_str_copy(fname, sizeof fname, paren + 1);
                char *close = strchr(fname, ')');
                if (close)
                    *close = '\0';
                om_str_copy(alias, sizeof alias, buf);
            } else {
                om_str_copy(fname, sizeof fname, buf);
                om_str_copy(func, sizeof func, colon + 1);
                om_str_copy(alias, sizeof alias, formatted ? s : buf);
            }
        } else {
            om_str_copy(fname, sizeof fname, buf);
            om_str_copy(alias, sizeof alias, buf);
        }
        int fidx = om_model_field(m, fname);
        if (fidx < 0) {
            for (int j = 0; j < k; j++)
                free(a[j].key);
            free(a);
            return om_err_set(err, E_VALUE, "Invalid field '%s' on model '%s'", fname, m->def->name);
        }
        if (!func[0]) {
            const char *d = default_agg(&m->def->fields[fidx]);
            if (!d) /* non aggregatable field without aggregator: ignored */
                continue;
            om_str_copy(func, sizeof func, d);
        }
        static const char *const OK[] = {"sum", "avg", "min", "max", "count", "count_distinct",
                                         "bool_and", "bool_or", "array_agg", NULL};
        int ok = 0;
        for (int j = 0; OK[j]; j++)
            if (!strcmp(OK[j], func))
                ok = 1;
        if (!ok) {
            for (int j = 0; j < k; j++)
                free(a[j].key);
            free(a);
            return om_err_set(err, E_VALUE, "Invalid aggregation function '%s'.", func);
        }
        a[k].key = om_xstrdup(alias);
        a[k].fidx = fidx;
        om_str_copy(a[k].func, sizeof a[k].func, func);
        k++;
    }
    *out = a;
    *nout = k;
    return 0;
}

static void free_aggs(agg_spec *a, int n)
{
    for (int i = 0; i < n; i++)
        free(a[i].key);
    free(a);
}

static void date_bucket(const char *v, int is_dt, const char *gran, gkey *k)
{
    int Y = 0, M = 1, D = 1;
    sscanf(v, "%d-%d-%d", &Y, &M, &D);
    char from[64], to[64], label[64];
    Y %= 10000;
    M = M < 1 ? 1 : (M > 12 ? 12 : M);
    D = D < 1 ? 1 : (D > 31 ? 31 : D);
    const char *suffix = is_dt ? " 00:00:00" : "";
    if (!strcmp(gran, "year")) {
        snprintf(from, sizeof from, "%04d-01-01%s", Y, suffix);
        snprintf(to, sizeof to, "%04d-01-01%s", Y + 1, suffix);
        snprintf(label, sizeof label, "%04d", Y);
    } else if (!strcmp(gran, "quarter")) {
        int q = (M - 1) / 3;
        snprintf(from, sizeof from, "%04d-%02d-01%s", Y, q * 3 + 1, suffix);
        snprintf(to, sizeof to, "%04d-%02d-01%s", q == 3 ? Y + 1 : Y, q == 3 ? 1 : q * 3 + 4, suffix);
        snprintf(label, sizeof label, "Q%d %04d", q + 1, Y);
    } else if (!strcmp(gran, "day") || !strcmp(gran, "week")) {
        /* weeks are approximated by days for the mock */
        static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int dim = mdays[(M - 1) % 12] + (M == 2 && Y % 4 == 0 && (Y % 100 || Y % 400 == 0));
        int nY = Y, nM = M, nD = D + 1;
        if (nD > dim) {
            nD = 1;
            if (++nM > 12) {
                nM = 1;
                nY++;
            }
        }
        snprintf(from, sizeof from, "%04d-%02d-%02d%s", Y, M, D, suffix);
        snprintf(to, sizeof to, "%04d-%02d-%02d%s", nY, nM, nD, suffix);
        snprintf(label, sizeof label, "%02d %.3s %04d", D, MONTHS[(M - 1) % 12], Y);
    } else { /* month */
        snprintf(from, sizeof from, "%04d-%02d-01%s", Y, M, suffix);
        snprintf(to, sizeof to, "%04d-%02d-01%s", M == 12 ? Y + 1 : Y, M == 12 ? 1 : M + 1, suffix);
        snprintf(label, sizeof label, "%s %04d", MONTHS[(M - 1) % 12], Y);
    }
    k->text = om_xstrdup(from);
    k->from = om_xstrdup(from);
    k->to = om_xstrdup(to);
    k->label = om_xstrdup(label);
}

static void compute_key(call_env *env, model *m, record *r, const gb_spec *g, gkey *k)
{
    const field_def *f = &m->def->fields[g->fidx];
    fval v;
    om_field_value(env->cx, m, r, g->fidx, &v);
    memset(k, 0, sizeof *k);
    switch (v.kind) {
    case FV_NULL:
        k->null = 1;
        k->text = om_xstrdup("");
        break;
    case FV_STR:
        if (f->type == FT_DATE || f->type == FT_DATETIME)
            date_bucket(v.s, f->type == FT_DATETIME, g->gran, k);
        else
            k->text = om_xstrdup(v.s);
        break;
    case FV_BOOL:
    case FV_INT:
        k->id = v.i;
        if (f->type == FT_MANY2ONE) {
            model *co = om_store_model(env->st, f->relation);
            record *rr = co ? om_model_get(co, v.i) : NULL;
            strbuf sb;
            om_sb_init(&sb);
            if (rr)
                om_rec_display_name(env->st, co, rr, &sb);
            else
                k->null = 1;
            k->label = om_sb_detach(&sb, NULL);
            k->text = om_xasprintf("%s\x01%lld", k->label, (long long)v.i);
        } else {
            k->is_num = 1;
            k->num = (double)v.i;
            k->text = om_xasprintf("%020lld", (long long)v.i + 1000000000000LL);
        }
        break;
    case FV_FLOAT:
        k->is_num = 1;
        k->num = v.f;
        k->text = om_xasprintf("%.17g", v.f);
        break;
    default:
        k->null = 1;
        k->text = om_xstrdup("");
    }
    om_fval_release(&v);
}

static void free_key(gkey *k)
{
    free(k->text);
    free(k->label);
    free(k->from);
    free(k->to);
}

static int key_cmp(const gkey *a, const gkey *b)
{
    if (a->null || b->null)
        return a->null == b->null ? 0 : (a->null ? 1 : -1);
    if (a->is_num && b->is_num)
        return a->num < b->num ? -1 : a->num > b->num;
    int c = strcasecmp(a->text, b->text);
    return c ? c : strcmp(a->text, b->text);
}

static int row_cmp(const void *pa, const void *pb, void *arg)
{
    const grow *a = pa, *b = pb;
    int ngb = *(const int *)arg;
    for (int i = 0; i < ngb; i++) {
        int c = key_cmp(&a->keys[i], &b->keys[i]);
        if (c)
            return c;
    }
    return a->r->id < b->r->id ? -1 : a->r->id > b->r->id;
}

static int cmp_strp(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

typedef struct group {
    size_t start, count;
    json_object *aggs; /* agg key -> value */
    int64_t cnt;
} group;

static json_object *aggregate(call_env *env, model *m, grow *rows, size_t start, size_t count,
                              const agg_spec *a)
{
    if (a->fidx < 0)
        return json_object_new_int64((int64_t)count);
    const field_def *f = &m->def->fields[a->fidx];
    int is_float = (f->type == FT_FLOAT || f->type == FT_MONETARY);
    if (!strcmp(a->func, "count")) {
        int64_t c = 0;
        for (size_t i = 0; i < count; i++) {
            fval v;
            om_field_value(env->cx, m, rows[start + i].r, a->fidx, &v);
            if (v.kind != FV_NULL)
                c++;
            om_fval_release(&v);
        }
        return json_object_new_int64(c);
    }
    if (!strcmp(a->func, "count_distinct")) {
        char **vals = om_xmalloc((count + 1) * sizeof(char *));
        size_t nv = 0;
        for (size_t i = 0; i < count; i++) {
            fval v;
            om_field_value(env->cx, m, rows[start + i].r, a->fidx, &v);
            if (v.kind == FV_STR)
                vals[nv++] = om_xstrdup(v.s);
            else if (v.kind == FV_INT || v.kind == FV_BOOL)
                vals[nv++] = om_xasprintf("%lld", (long long)v.i);
            else if (v.kind == FV_FLOAT)
                vals[nv++] = om_xasprintf("%.17g", v.f);
            om_fval_release(&v);
        }
        qsort(vals, nv, sizeof(char *), cmp_strp);
        int64_t c = 0;
        for (size_t i = 0; i < nv; i++) {
            if (i == 0 || strcmp(vals[i], vals[i - 1]))
                c++;
        }
        for (size_t i = 0; i < nv; i++)
            free(vals[i]);
        free(vals);
        return json_object_new_int64(c);
    }
    if (!strcmp(a->func, "array_agg")) {
        json_object *l = json_object_new_array();
        for (size_t i = 0; i < count; i++)
            json_object_array_add(l, om_orm_value_json(env, m, rows[start + i].r, a->fidx, 0));
        return l;
    }
    if (count == 0)
        return json_object_new_boolean(0);
    int64_t isum = 0, imin = 0, imax = 0;
    double fsum = 0, fmin = 0, fmax = 0;
    int band = 1, bor = 0;
    for (size_t i = 0; i < count; i++) {
        fval v;
        om_field_value(env->cx, m, rows[start + i].r, a->fidx, &v);
        double x = v.kind == FV_FLOAT ? v.f : (double)v.i;
        int64_t xi = v.kind == FV_FLOAT ? (int64_t)v.f : v.i;
        if (i == 0) {
            imin = imax = xi;
            fmin = fmax = x;
        }
        isum += xi;
        fsum += x;
        if (xi < imin)
            imin = xi;
        if (xi > imax)
            imax = xi;
        if (x < fmin)
            fmin = x;
        if (x > fmax)
            fmax = x;
        band = band && x != 0;
        bor = bor || x != 0;
        om_fval_release(&v);
    }
    if (!strcmp(a->func, "sum"))
        return is_float ? json_object_new_double(fsum) : json_object_new_int64(isum);
    if (!strcmp(a->func, "avg"))
        return json_object_new_double(fsum / (double)count);
    if (!strcmp(a->func, "min"))
        return is_float ? json_object_new_double(fmin) : json_object_new_int64(imin);
    if (!strcmp(a->func, "max"))
        return is_float ? json_object_new_double(fmax) : json_object_new_int64(imax);
    if (!strcmp(a->func, "bool_and"))
        return json_object_new_boolean(band);
    if (!strcmp(a->func, "bool_or"))
        return json_object_new_boolean(bor);
    return json_object_new_boolean(0);
}

static json_object *group_value(const field_def *f, const gkey *k, int formatted)
{
    if (k->null)
        return json_object_new_boolean(0);
    if (f->type == FT_MANY2ONE) {
        json_object *p = json_object_new_array();
        json_object_array_add(p, json_object_new_int64(k->id));
        json_object_array_add(p, json_object_new_string(k->label ? k->label : ""));
        return p;
    }
    if (f->type == FT_DATE || f->type == FT_DATETIME) {
        if (formatted) {
            json_object *p = json_object_new_array();
            json_object_array_add(p, json_object_new_string(k->from));
            json_object_array_add(p, json_object_new_string(k->label));
            return p;
        }
        return json_object_new_string(k->label);
    }
    if (f->type == FT_BOOLEAN)
        return json_object_new_boolean((int)k->id);
    if (f->type == FT_INTEGER || f->type == FT_M2O_REFERENCE)
        return json_object_new_int64(k->id);
    if (f->type == FT_FLOAT || f->type == FT_MONETARY)
        return json_object_new_double(k->num);
    return json_object_new_string(k->text);
}

static void group_leaves(json_object *dom, const field_def *f, const gkey *k)
{
    json_object *leaf = json_object_new_array();
    json_object_array_add(leaf, json_object_new_string(f->name));
    if (!k->null && (f->type == FT_DATE || f->type == FT_DATETIME)) {
        json_object_array_add(leaf, json_object_new_string(">="));
        json_object_array_add(leaf, json_object_new_string(k->from));
        json_object_array_add(dom, json_object_new_string("&"));
        json_object_array_add(dom, leaf);
        leaf = json_object_new_array();
        json_object_array_add(leaf, json_object_new_string(f->name));
        json_object_array_add(leaf, json_object_new_string("<"));
        json_object_array_add(leaf, json_object_new_string(k->to));
        json_object_array_add(dom, leaf);
        return;
    }
    json_object_array_add(leaf, json_object_new_string("="));
    if (k->null)
        json_object_array_add(leaf, json_object_new_boolean(0));
    else if (f->type == FT_MANY2ONE || f->type == FT_INTEGER || f->type == FT_BOOLEAN ||
             f->type == FT_M2O_REFERENCE)
        json_object_array_add(leaf, f->type == FT_BOOLEAN ? json_object_new_boolean((int)k->id)
                                                          : json_object_new_int64(k->id));
    else if (f->type == FT_FLOAT || f->type == FT_MONETARY)
        json_object_array_add(leaf, json_object_new_double(k->num));
    else
        json_object_array_add(leaf, json_object_new_string(k->text));
    json_object_array_add(dom, leaf);
}

typedef struct outrow {
    json_object *obj;
    size_t first; /* index of its first row (group order) */
} outrow;

typedef struct order_arg {
    const char *key;
    int desc;
} order_arg;

static int outrow_cmp(const void *pa, const void *pb, void *arg)
{
    const outrow *a = pa, *b = pb;
    const order_arg *oa = arg;
    json_object *va = NULL, *vb = NULL;
    json_object_object_get_ex(a->obj, oa->key, &va);
    json_object_object_get_ex(b->obj, oa->key, &vb);
    int c = 0;
    enum json_type ta = json_object_get_type(va), tb = json_object_get_type(vb);
    if (ta == json_type_array)
        va = json_object_array_get_idx(va, 1), ta = json_object_get_type(va);
    if (tb == json_type_array)
        vb = json_object_array_get_idx(vb, 1), tb = json_object_get_type(vb);
    if (ta == json_type_string && tb == json_type_string)
        c = strcasecmp(json_object_get_string(va), json_object_get_string(vb));
    else {
        double x = (ta == json_type_int || ta == json_type_double) ? json_object_get_double(va) : 0;
        double y = (tb == json_type_int || tb == json_type_double) ? json_object_get_double(vb) : 0;
        c = x < y ? -1 : x > y;
    }
    if (!c)
        c = a->first < b->first ? -1 : a->first > b->first;
    return oa->desc ? -c : c;
}

static int group_common(call_env *env, model *m, json_object *domain, gb_spec *gb, int ngb,
                        agg_spec *ag, int nag, int formatted, int lazy, json_object *offset,
                        json_object *limit, json_object *order, json_object **out, mock_err *err)
{
    rec_list recs;
    if (om_orm_check_access(env, m, ACC_READ, err))
        return -1;
    if (om_orm_search(env, m, domain, 0, -1, "id", &recs, err))
        return -1;
    int use_gb = (lazy && ngb > 1) ? 1 : ngb;
    grow *rows = om_xcalloc(recs.n + 1, sizeof(grow));
    for (size_t i = 0; i < recs.n; i++) {
        rows[i].r = recs.v[i];
        rows[i].keys = om_xcalloc((size_t)use_gb + 1, sizeof(gkey));
        for (int g = 0; g < use_gb; g++)
            compute_key(env, m, recs.v[i], &gb[g], &rows[i].keys[g]);
    }
    qsort_r(rows, recs.n, sizeof(grow), row_cmp, &use_gb);
    size_t cap = recs.n + 1, nout = 0;
    outrow *orows = om_xcalloc(cap, sizeof(outrow));
    size_t i = 0;
    do {
        size_t j = i + 1;
        if (use_gb > 0) {
            if (i >= recs.n)
                break;
            while (j < recs.n) {
                int same = 1;
                for (int g = 0; g < use_gb && same; g++)
                    same = key_cmp(&rows[i].keys[g], &rows[j].keys[g]) == 0;
                if (!same)
                    break;
                j++;
            }
        } else {
            j = recs.n;
        }
        size_t count = j - i;
        json_object *o = json_object_new_object();
        json_object *dom = json_object_new_array();
        for (int g = 0; g < use_gb; g++) {
            const field_def *f = &m->def->fields[gb[g].fidx];
            json_object_object_add(o, gb[g].spec, group_value(f, &rows[i].keys[g], formatted));
        }
        for (int g = 0; g < use_gb; g++) {
            if (g + 1 < use_gb)
                json_object_array_add(dom, json_object_new_string("&"));
            group_leaves(dom, &m->def->fields[gb[g].fidx], &rows[i].keys[g]);
        }
        if (formatted) {
            if (use_gb == 0) {
                json_object *t = json_object_new_array();
                json_object_array_add(t, json_object_new_int(1));
                json_object_array_add(t, json_object_new_string("="));
                json_object_array_add(t, json_object_new_int(1));
                json_object_array_add(dom, t);
            }
            json_object_object_add(o, "__extra_domain", dom);
            for (int a = 0; a < nag; a++)
                json_object_object_add(o, ag[a].key, aggregate(env, m, rows, i, count, &ag[a]));
        } else {
            const char *cntkey = "__count";
            char *ck = NULL;
            if (lazy && ngb > 0) {
                char fname[128];
                om_str_copy(fname, sizeof fname, gb[0].spec);
                char *c = strchr(fname, ':');
                if (c)
                    *c = '\0';
                ck = om_xasprintf("%s_count", fname);
                cntkey = ck;
            }
            json_object_object_add(o, cntkey, json_object_new_int64((int64_t)count));
            free(ck);
            for (int a = 0; a < nag; a++)
                if (strcmp(ag[a].key, "__count"))
                    json_object_object_add(o, ag[a].key, aggregate(env, m, rows, i, count, &ag[a]));
            /* __domain = group leaves AND the search domain */
            json_object *full = json_object_new_array();
            size_t dn = domain && json_object_get_type(domain) == json_type_array ? json_object_array_length(domain) : 0;
            size_t gn = json_object_array_length(dom);
            if (gn && dn)
                json_object_array_add(full, json_object_new_string("&"));
            for (size_t k = 0; k < gn; k++)
                json_object_array_add(full, json_object_get(json_object_array_get_idx(dom, k)));
            for (size_t k = 0; k < dn; k++)
                json_object_array_add(full, json_object_get(json_object_array_get_idx(domain, k)));
            json_object_put(dom);
            json_object_object_add(o, "__domain", full);
            if (lazy && ngb > 1) {
                json_object *ctx = json_object_new_object();
                json_object *rest = json_object_new_array();
                for (int g = 1; g < ngb; g++)
                    json_object_array_add(rest, json_object_new_string(gb[g].spec));
                json_object_object_add(ctx, "group_by", rest);
                json_object_object_add(o, "__context", ctx);
            }
        }
        orows[nout].obj = o;
        orows[nout].first = i;
        nout++;
        i = j;
    } while (use_gb > 0 && i < recs.n);

    /* explicit order: "<key> [asc|desc]" on a groupby or aggregate key */
    if (order && json_object_get_type(order) == json_type_string && json_object_get_string_len(order)) {
        char buf[160];
        om_str_copy(buf, sizeof buf, json_object_get_string(order));
        char *comma = strchr(buf, ',');
        if (comma)
            *comma = '\0';
        char *sp = strchr(buf, ' ');
        int desc = 0;
        if (sp) {
            *sp = '\0';
            desc = strcasestr(sp + 1, "desc") != NULL;
        }
        order_arg oa = {buf, desc};
        qsort_r(orows, nout, sizeof(outrow), outrow_cmp, &oa);
    }
    int64_t off = (offset && json_object_get_type(offset) == json_type_int) ? json_object_get_int64(offset) : 0;
    int64_t lim = (limit && json_object_get_type(limit) == json_type_int) ? json_object_get_int64(limit) : -1;
    json_object *res = json_object_new_array();
    for (size_t k = 0; k < nout; k++) {
        if ((int64_t)k < off || (lim >= 0 && (int64_t)k >= off + lim)) {
            json_object_put(orows[k].obj);
            continue;
        }
        json_object_array_add(res, orows[k].obj);
    }
    free(orows);
    for (size_t k = 0; k < recs.n; k++) {
        for (int g = 0; g < use_gb; g++)
            free_key(&rows[k].keys[g]);
        free(rows[k].keys);
    }
    free(rows);
    free(recs.v);
    *out = res;
    return 0;
}

int om_orm_read_group(call_env *env, model *m, json_object *domain, json_object *fields,
                   json_object *groupby, json_object *offset, json_object *limit,
                   json_object *orderby, json_object *lazy, json_object **out, mock_err *err)
{
    gb_spec *gb;
    int ngb;
    agg_spec *ag;
    int nag;
    if (parse_groupby(m, groupby, &gb, &ngb, err))
        return -1;
    if (parse_aggs(m, fields, 0, &ag, &nag, err)) {
        free_groupby(gb, ngb);
        return -1;
    }
    int lz = lazy ? om_py_truthy(lazy) : 1;
    int rc = group_common(env, m, domain, gb, ngb, ag, nag, 0, lz, offset, limit, orderby, out, err);
    free_groupby(gb, ngb);
    free_aggs(ag, nag);
    return rc;
}

int om_orm_formatted_read_group(call_env *env, model *m, json_object *domain, json_object *groupby,
                             json_object *aggregates, json_object *having, json_object *offset,
                             json_object *limit, json_object *order, json_object **out,
                             mock_err *err)
{
    if (having && om_py_truthy(having))
        return om_err_set(err, E_VALUE, "odoo-mock: 'having' is not supported");
    gb_spec *gb;
    int ngb;
    agg_spec *ag;
    int nag;
    if (parse_groupby(m, groupby, &gb, &ngb, err))
        return -1;
    if (parse_aggs(m, aggregates, 1, &ag, &nag, err)) {
        free_groupby(gb, ngb);
        return -1;
    }
    int rc = group_common(env, m, domain, gb, ngb, ag, nag, 1, 0, offset, limit, order, out, err);
    free_groupby(gb, ngb);
    free_aggs(ag, nag);
    return rc;
}
