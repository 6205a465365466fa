/* odoo-mock — res.partner.address_get(adr_pref=None), as Odoo writes it:
 * for each wanted address type, a depth-first search through the
 * partner's active descendants (not entering child companies), then
 * through its ancestors' up to the commercial entity; types not found
 * fall back to the "contact" found, else to the partner itself. */
#include <stdlib.h>
#include <string.h>

#include "orm_internal.h"

/* set(adr_pref or []) | {'contact'}: the wanted types, each with the
 * partner found for it (0 = none yet). First-seen order stands in for
 * Python's set order, which is arbitrary. */
typedef struct prefs {
    char **type;
    int *found;
    size_t n, nfound;
} prefs;

static void prefs_add(prefs *p, const char *t, size_t len)
{
    for (size_t i = 0; i < p->n; i++)
        if (strlen(p->type[i]) == len && !memcmp(p->type[i], t, len))
            return;
    p->type = om_xrealloc(p->type, (p->n + 1) * sizeof(char *));
    p->found = om_xrealloc(p->found, (p->n + 1) * sizeof(int));
    p->type[p->n] = om_xstrndup(t, len);
    p->found[p->n] = 0;
    p->n++;
}

static void prefs_free(prefs *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->type[i]);
    free(p->type);
    free(p->found);
    memset(p, 0, sizeof *p);
}

static const char *py_type(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_boolean: return "bool";
    case json_type_double: return "float";
    default: return "int";
    }
}

/* Python's set(x): a list gives its (string) elements, a dict its keys,
 * a str its characters; non-string elements could never equal a type. */
static int prefs_parse(json_object *v, prefs *p, mock_err *err)
{
    memset(p, 0, sizeof *p);
    if (v && om_py_truthy(v)) {
        switch (json_object_get_type(v)) {
        case json_type_array:
            for (size_t i = 0; i < json_object_array_length(v); i++) {
                json_object *e = json_object_array_get_idx(v, i);
                if (json_object_get_type(e) == json_type_string)
                    prefs_add(p, json_object_get_string(e), (size_t)json_object_get_string_len(e));
            }
            break;
        case json_type_object: {
            json_object_object_foreach(v, key, val)
            {
                (void)val;
                prefs_add(p, key, strlen(key));
            }
            break;
        }
        case json_type_string:
            for (const char *s = json_object_get_string(v); *s;) {
                size_t cl = 1; /* one code point: a UTF-8 sequence */
                while ((s[cl] & 0xC0) == 0x80)
                    cl++;
                prefs_add(p, s, cl);
                s += cl;
            }
            break;
        default:
            return om_err_set(err, E_TYPE, "'%s' object is not iterable", py_type(v));
        }
    }
    prefs_add(p, "contact", 7);
    return 0;
}

/* Record r's type is wanted and not found yet: take r. 1 when every
 * type is found (Odoo returns at once). */
static int visit(const model *m, const record *r, prefs *p)
{
    int ft = om_model_field(m, "type");
    const char *t = ft >= 0 ? r->c[ft].s : NULL;
    for (size_t i = 0; t && i < p->n; i++)
        if (!p->found[i] && !strcmp(p->type[i], t)) {
            p->found[i] = r->id;
            p->nfound++;
        }
    return p->nfound == p->n;
}

/* Active children of r that are not companies, in the model's order. */
static rec_list scan_children(call_env *env, model *m, const record *r, int skip_id)
{
    const int *ids;
    int n;
    om_inverse_ids(env->cx, m, m->f_parent, 1, r->id, &ids, &n);
    rec_list l = {om_xmalloc(((size_t)n + 1) * sizeof(record *)), 0};
    for (int i = 0; i < n; i++) {
        record *c = om_model_get(m, ids[i]);
        if (c && c->id != skip_id && !c->c[m->f_is_company].i)
            l.v[l.n++] = c;
    }
    free((void *)ids);
    mock_err ignored = MOCK_ERR_INIT;
    om_orm_sort(env, m, &l, NULL, &ignored); /* the default order always parses */
    om_err_clear(&ignored);
    return l;
}

/* Depth-first from start: to_scan.pop(0), children pushed in front.
 * Odoo also keeps a `visited` set; in a tree (the mock refuses parent
 * cycles) the only record met twice is the subtree we came up from,
 * which skip_id excludes, and re-visiting could not change the result. */
static int dfs(call_env *env, model *m, record *start, int skip_id, prefs *p)
{
    size_t cap = 16, n = 0;
    record **stack = om_xmalloc(cap * sizeof(record *));
    stack[n++] = start;
    int done = 0;
    while (n && !done) {
        record *r = stack[--n];
        done = visit(m, r, p);
        rec_list kids = scan_children(env, m, r, skip_id);
        if (n + kids.n > cap) {
            cap = (n + kids.n) * 2;
            stack = om_xrealloc(stack, cap * sizeof(record *));
        }
        for (size_t i = kids.n; i > 0; i--) /* first child on top */
            stack[n++] = kids.v[i - 1];
        free(kids.v);
    }
    free(stack);
    return done;
}

/* One partner: its descendants, then each ancestor's up to a company. */
static int search_from(call_env *env, model *m, record *partner, prefs *p)
{
    record *cur = partner;
    int came_from = 0;
    while (cur) {
        if (dfs(env, m, cur, came_from, p))
            return 1;
        if (cur->c[m->f_is_company].i || !cur->c[m->f_parent].i)
            break;
        came_from = cur->id;
        cur = om_model_get(m, cur->c[m->f_parent].i);
    }
    return 0;
}

/* {type: id found, else dflt (0 = False)} */
static json_object *result_of(const prefs *p, int dflt)
{
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < p->n; i++) {
        int id = p->found[i] ? p->found[i] : dflt;
        json_object_object_add(o, p->type[i], id ? json_object_new_int(id) : json_object_new_boolean(0));
    }
    return o;
}

static int singleton_error(const model *m, const int *ids, size_t n, mock_err *err)
{
    strbuf sb;
    om_sb_init(&sb);
    for (size_t i = 0; i < n; i++)
        om_sb_addf(&sb, "%s%d", i ? ", " : "", ids[i]);
    om_err_set(err, E_VALUE, "Expected singleton: %s(%s)", m->def->name, sb.buf);
    om_sb_free(&sb);
    return -1;
}

int om_orm_address_get(call_env *env, model *m, const int *ids, size_t n, json_object *adr_pref,
                       json_object **out, mock_err *err)
{
    prefs p;
    if (prefs_parse(adr_pref, &p, err) || om_orm_check_exist(env, m, ids, n, err)) {
        prefs_free(&p);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (search_from(env, m, om_model_get(m, ids[i]), &p)) {
            *out = result_of(&p, 0); /* every type found */
            prefs_free(&p);
            return 0;
        }
    /* default = result.get('contact', self.id or False): self.id is
     * evaluated even when a contact was found, so several records fail */
    if (n > 1) {
        prefs_free(&p);
        return singleton_error(m, ids, n, err);
    }
    int contact = 0;
    for (size_t i = 0; i < p.n; i++)
        if (!strcmp(p.type[i], "contact"))
            contact = p.found[i];
    *out = result_of(&p, contact ? contact : (n ? ids[0] : 0));
    prefs_free(&p);
    return 0;
}
