/* odoo-mock — domain compiler and evaluator. */
#include "domain.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyjson.h"

enum { D_TRUE, D_FALSE, D_AND, D_OR, D_NOT, D_LEAF };
enum {
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_NOT_IN, OP_LIKE, OP_NOT_LIKE,
    OP_ILIKE, OP_NOT_ILIKE, OP_EQLIKE, OP_EQILIKE, OP_CHILD_OF, OP_PARENT_OF, OP_ANY,
    OP_NOT_ANY,
};

struct dnode {
    int kind;
    dnode *a, *b;
    /* leaf */
    model *m;
    int fidx;
    const field_def *f;
    int op;
    json_object *value; /* owned reference */
    dnode *sub;         /* relational path remainder / any sub-domain */
    model *comodel;
    char *pattern;      /* like patterns */
    int is_false;       /* value is False/None */
    /* value as sorted sets, for in / not in / child_of / names */
    double *nums;
    size_t nnums;
    char **strs;
    size_t nstrs;
    int set_has_false;
};

static const struct {
    const char *name;
    int op;
} OPS[] = {{"=", OP_EQ},         {"==", OP_EQ},          {"!=", OP_NE},
           {"<>", OP_NE},        {"<", OP_LT},           {"<=", OP_LE},
           {">", OP_GT},         {">=", OP_GE},          {"in", OP_IN},
           {"not in", OP_NOT_IN}, {"like", OP_LIKE},     {"not like", OP_NOT_LIKE},
           {"ilike", OP_ILIKE},  {"not ilike", OP_NOT_ILIKE}, {"=like", OP_EQLIKE},
           {"=ilike", OP_EQILIKE}, {"child_of", OP_CHILD_OF}, {"parent_of", OP_PARENT_OF},
           {"any", OP_ANY},      {"not any", OP_NOT_ANY}};

static dnode *node_new(int kind)
{
    dnode *n = om_xcalloc(1, sizeof *n);
    n->kind = kind;
    return n;
}

void om_domain_free(dnode *d)
{
    if (!d)
        return;
    om_domain_free(d->a);
    om_domain_free(d->b);
    om_domain_free(d->sub);
    json_object_put(d->value);
    free(d->pattern);
    free(d->nums);
    for (size_t i = 0; i < d->nstrs; i++)
        free(d->strs[i]);
    free(d->strs);
    free(d);
}

static int is_false_value(json_object *v)
{
    return v == NULL || (json_object_get_type(v) == json_type_boolean && !json_object_get_boolean(v));
}

static void leaf_repr(strbuf *sb, json_object *leaf)
{
    size_t n = json_object_array_length(leaf);
    om_sb_addc(sb, '(');
    for (size_t i = 0; i < n; i++) {
        if (i)
            om_sb_adds(sb, ", ");
        om_py_repr(sb, json_object_array_get_idx(leaf, i));
    }
    if (n == 1)
        om_sb_addc(sb, ',');
    om_sb_addc(sb, ')');
}

/* ValueError "<prefix> <leaf as Python repr>", as Odoo words it. */
static void *invalid_leaf(mock_err *err, const char *prefix, json_object *leaf)
{
    strbuf sb;
    om_sb_init(&sb);
    leaf_repr(&sb, leaf);
    om_err_set(err, E_VALUE, "%s %s", prefix, sb.buf);
    om_sb_free(&sb);
    return NULL;
}

static int invalid_field(store *st, model *m, const char *fname, json_object *leaf, mock_err *err)
{
    strbuf sb;
    om_sb_init(&sb);
    leaf_repr(&sb, leaf);
    om_err_set(err, E_VALUE, "Invalid field %s.%s in %s %s", m->def->name, fname,
            st->version >= 19 ? "condition" : "leaf", sb.buf);
    om_sb_free(&sb);
    return -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static double json_num(json_object *v);
static const char *json_str(json_object *v, char *buf, size_t size);

/* The leaf value (a list or a scalar) as sorted number and string sets,
 * so that "in" stays O(log n) per record. */
static void build_sets(dnode *n)
{
    json_object *v = n->value;
    int is_list = json_object_get_type(v) == json_type_array;
    size_t cnt = is_list ? json_object_array_length(v) : 1;
    n->nums = om_xmalloc((cnt + 1) * sizeof(double));
    n->strs = om_xmalloc((cnt + 1) * sizeof(char *));
    for (size_t i = 0; i < cnt; i++) {
        json_object *it = is_list ? json_object_array_get_idx(v, i) : v;
        if (is_false_value(it)) {
            n->set_has_false = 1;
            continue;
        }
        enum json_type t = json_object_get_type(it);
        if (t == json_type_int || t == json_type_double || t == json_type_boolean) {
            n->nums[n->nnums++] = json_num(it);
        } else if (t == json_type_string) {
            const char *sv = json_object_get_string(it);
            char *end;
            double x = strtod(sv, &end);
            if (*sv && !*end)
                n->nums[n->nnums++] = x;
        }
        char buf[48];
        const char *sv = json_str(it, buf, sizeof buf);
        if (sv)
            n->strs[n->nstrs++] = om_xstrdup(sv);
    }
    qsort(n->nums, n->nnums, sizeof(double), cmp_double);
    qsort(n->strs, n->nstrs, sizeof(char *), cmp_strp);
}

static int set_has_num(const dnode *d, double x)
{
    return bsearch(&x, d->nums, d->nnums, sizeof(double), cmp_double) != NULL;
}

static int set_has_str(const dnode *d, const char *s)
{
    return s && bsearch(&s, d->strs, d->nstrs, sizeof(char *), cmp_strp) != NULL;
}

static dnode *compile_leaf_path(store *st, model *m, const char *path, int op, json_object *value,
                                json_object *leaf, mock_err *err);

static int check_int_range(store *st, const field_def *f, json_object *v, mock_err *err)
{
    /* Odoo <= 18 passes big ints to PostgreSQL, which refuses them for
     * int4 columns; 19 answers an empty result instead. */
    if (st->version >= 19)
        return 0;
    if (!(f->type == FT_INTEGER || f->type == FT_MANY2ONE || f->type == FT_M2O_REFERENCE))
        return 0;
    if (json_object_get_type(v) == json_type_array) {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            if (check_int_range(st, f, json_object_array_get_idx(v, i), err))
                return -1;
        return 0;
    }
    if (json_object_get_type(v) == json_type_int) {
        int64_t x = json_object_get_int64(v);
        if (x > 2147483647LL || x < -2147483648LL) {
            om_err_set(err, E_PG_NUMERIC,
                    "value \"%lld\" is out of range for type integer\nLINE 1: ...WHERE (\"%s\" = "
                    "'%lld')\n",
                    (long long)x, f->name, (long long)x);
            return -1;
        }
    }
    return 0;
}

static dnode *compile_leaf(store *st, model *m, json_object *leaf, mock_err *err)
{
    if (json_object_get_type(leaf) != json_type_array || json_object_array_length(leaf) != 3) {
        strbuf sb;
        om_sb_init(&sb);
        om_py_repr(&sb, leaf);
        om_err_set(err, E_VALUE, "Invalid leaf %s", sb.buf);
        om_sb_free(&sb);
        return NULL;
    }
    json_object *lhs = json_object_array_get_idx(leaf, 0);
    json_object *opv = json_object_array_get_idx(leaf, 1);
    json_object *rhs = json_object_array_get_idx(leaf, 2);
    if (json_object_get_type(opv) != json_type_string)
        return invalid_leaf(err, "Invalid leaf", leaf);
    char opname[16];
    om_str_copy(opname, sizeof opname, json_object_get_string(opv));
    for (char *p = opname; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    int op = -1;
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
        if (!strcmp(OPS[i].name, opname))
            op = OPS[i].op;
    /* TRUE / FALSE leaves */
    if (json_object_get_type(lhs) == json_type_int) {
        int64_t l = json_object_get_int64(lhs);
        if (op == OP_EQ && json_object_get_type(rhs) == json_type_int &&
            json_object_get_int64(rhs) == 1 && (l == 0 || l == 1))
            return node_new(l ? D_TRUE : D_FALSE);
    }
    if (op < 0) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "Invalid operator %.30s in", json_object_get_string(opv));
        return invalid_leaf(err, prefix, leaf);
    }
    if (json_object_get_type(lhs) != json_type_string)
        return invalid_leaf(err, "Invalid leaf", leaf);
    return compile_leaf_path(st, m, json_object_get_string(lhs), op, rhs, leaf, err);
}

static dnode *compile_leaf_path(store *st, model *m, const char *path, int op, json_object *value,
                                json_object *leaf, mock_err *err)
{
    const char *dot = strchr(path, '.');
    char fname[128];
    om_str_copy(fname, sizeof fname, path);
    if (dot && (size_t)(dot - path) < sizeof fname)
        fname[dot - path] = '\0';
    int fidx = om_model_field(m, fname);
    if (fidx < 0) {
        invalid_field(st, m, fname, leaf, err);
        return NULL;
    }
    const field_def *f = &m->def->fields[fidx];
    if (f->flags & FF_NOSEARCH) {
        om_err_set(err, E_VALUE, "Cannot search on field %s.%s: it is not stored", m->def->name,
                fname);
        return NULL;
    }
    dnode *n = node_new(D_LEAF);
    n->m = m;
    n->fidx = fidx;
    n->f = f;
    n->op = op;
    n->value = json_object_get(value);
    n->is_false = is_false_value(value);
    if (om_ftype_is_relational(f->type))
        n->comodel = om_store_model(st, f->relation);
    if (dot) {
        if (!om_ftype_is_relational(f->type) || !n->comodel) {
            om_domain_free(n);
            invalid_field(st, m, path, leaf, err);
            return NULL;
        }
        n->sub = compile_leaf_path(st, n->comodel, dot + 1, op, value, leaf, err);
        if (!n->sub) {
            om_domain_free(n);
            return NULL;
        }
        return n;
    }
    if (op == OP_ANY || op == OP_NOT_ANY) {
        if (!om_ftype_is_relational(f->type) || !n->comodel) {
            om_domain_free(n);
            om_err_set(err, E_VALUE, "Operator 'any' requires a relational field, got %s.%s",
                    m->def->name, fname);
            return NULL;
        }
        n->sub = om_domain_compile(st, n->comodel, value, err);
        if (!n->sub) {
            om_domain_free(n);
            return NULL;
        }
        return n;
    }
    if (check_int_range(st, f, value, err)) {
        om_domain_free(n);
        return NULL;
    }
    build_sets(n);
    if (op == OP_LIKE || op == OP_NOT_LIKE || op == OP_ILIKE || op == OP_NOT_ILIKE ||
        op == OP_EQLIKE || op == OP_EQILIKE) {
        const char *v = json_object_get_type(value) == json_type_string
                            ? json_object_get_string(value)
                            : NULL;
        strbuf sb;
        om_sb_init(&sb);
        if (!v && !n->is_false)
            v = json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN);
        if (op == OP_EQLIKE || op == OP_EQILIKE) {
            om_sb_adds(&sb, v ? v : "");
        } else {
            om_sb_addc(&sb, '%');
            om_sb_adds(&sb, v ? v : "");
            om_sb_addc(&sb, '%');
        }
        n->pattern = om_sb_detach(&sb, NULL);
    }
    return n;
}

dnode *om_domain_compile(store *st, model *m, json_object *domain, mock_err *err)
{
    if (!domain || json_object_get_type(domain) == json_type_null)
        return node_new(D_TRUE);
    if (json_object_get_type(domain) != json_type_array) {
        strbuf sb;
        om_sb_init(&sb);
        om_py_repr(&sb, domain);
        om_err_set(err, E_VALUE, "Invalid domain: %s", sb.buf);
        om_sb_free(&sb);
        return NULL;
    }
    size_t n = json_object_array_length(domain);
    if (n == 0)
        return node_new(D_TRUE);
    if (n > 20000) { /* the tree depth follows the number of terms */
        om_err_set(err, E_VALUE, "Domain too long for odoo-mock (%zu terms, at most 20000)", n);
        return NULL;
    }
    dnode **stack = om_xmalloc(n * sizeof(dnode *));
    size_t sp = 0;
    for (size_t k = n; k-- > 0;) {
        json_object *item = json_object_array_get_idx(domain, k);
        if (json_object_get_type(item) == json_type_string) {
            const char *s = json_object_get_string(item);
            int kind = !strcmp(s, "&") ? D_AND : !strcmp(s, "|") ? D_OR : !strcmp(s, "!") ? D_NOT : -1;
            if (kind < 0 || (kind == D_NOT ? sp < 1 : sp < 2)) {
                strbuf sb;
                om_sb_init(&sb);
                om_py_repr(&sb, domain);
                om_err_set(err, E_VALUE, "Domain %s syntax error at %s", sb.buf, s);
                om_sb_free(&sb);
                goto fail;
            }
            dnode *node = node_new(kind);
            node->a = stack[--sp];
            if (kind != D_NOT)
                node->b = stack[--sp];
            stack[sp++] = node;
        } else if (json_object_get_type(item) == json_type_boolean) {
            stack[sp++] = node_new(json_object_get_boolean(item) ? D_TRUE : D_FALSE);
        } else {
            dnode *leaf = compile_leaf(st, m, item, err);
            if (!leaf)
                goto fail;
            stack[sp++] = leaf;
        }
    }
    /* implicit AND of what remains, in original order */
    dnode *root = stack[--sp];
    while (sp > 0) {
        dnode *node = node_new(D_AND);
        node->a = root;
        node->b = stack[--sp];
        root = node;
    }
    free(stack);
    return root;
fail:
    while (sp > 0)
        om_domain_free(stack[--sp]);
    free(stack);
    return NULL;
}

int om_domain_mentions(json_object *domain, const char *name)
{
    if (!domain || json_object_get_type(domain) != json_type_array)
        return 0;
    size_t n = json_object_array_length(domain), len = strlen(name);
    for (size_t i = 0; i < n; i++) {
        json_object *leaf = json_object_array_get_idx(domain, i);
        if (json_object_get_type(leaf) != json_type_array || json_object_array_length(leaf) < 1)
            continue;
        json_object *lhs = json_object_array_get_idx(leaf, 0);
        if (json_object_get_type(lhs) != json_type_string)
            continue;
        const char *s = json_object_get_string(lhs);
        if (!strncmp(s, name, len) && (s[len] == '\0' || s[len] == '.'))
            return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* LIKE matching */

static int utf8_len(unsigned char c)
{
    if (c < 0x80)
        return 1;
    if ((c & 0xE0) == 0xC0)
        return 2;
    if ((c & 0xF0) == 0xE0)
        return 3;
    if ((c & 0xF8) == 0xF0)
        return 4;
    return 1;
}

/* Fold one character (ASCII and Latin-1 supplement upper case). Returns
 * the number of bytes consumed and stores a comparable code. */
static int fold_char(const char *s, unsigned *code, int icase)
{
    unsigned char c = (unsigned char)s[0];
    int len = utf8_len(c);
    for (int i = 1; i < len; i++)
        if (!s[i])
            len = i;
    unsigned v = 0;
    for (int i = 0; i < len; i++)
        v = (v << 8) | (unsigned char)s[i];
    if (icase) {
        if (len == 1)
            v = (unsigned)tolower((int)c);
        else if (len == 2 && c == 0xC3) {
            unsigned char d = (unsigned char)s[1];
            if (d >= 0x80 && d <= 0x9E && d != 0x97)
                v = 0xC300u | (unsigned)(d + 0x20);
        }
    }
    *code = v;
    return len;
}

int om_like_match(const char *s, const char *p, int icase)
{
    const char *star_p = NULL, *star_s = NULL;
    while (*s) {
        if (*p == '%') {
            while (*p == '%')
                p++;
            if (!*p)
                return 1;
            star_p = p;
            star_s = s;
            continue;
        }
        if (*p == '_') {
            s += utf8_len((unsigned char)*s);
            p++;
            continue;
        }
        if (*p) {
            const char *pp = p;
            if (*pp == '\\' && pp[1])
                pp++;
            unsigned a, b;
            int la = fold_char(s, &a, icase);
            int lb = fold_char(pp, &b, icase);
            if (a == b) {
                s += la;
                p = pp + lb;
                continue;
            }
        }
        if (star_p) {
            star_s += utf8_len((unsigned char)*star_s);
            s = star_s;
            p = star_p;
            continue;
        }
        return 0;
    }
    while (*p == '%')
        p++;
    return *p == '\0';
}

/* ------------------------------------------------------------------ */
/* evaluation */

static int json_is_number(json_object *v)
{
    enum json_type t = json_object_get_type(v);
    return t == json_type_int || t == json_type_double || t == json_type_boolean;
}

static double json_num(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_int: return (double)json_object_get_int64(v);
    case json_type_double: return json_object_get_double(v);
    case json_type_boolean: return json_object_get_boolean(v);
    case json_type_string: return strtod(json_object_get_string(v), NULL);
    default: return 0;
    }
}

static const char *json_str(json_object *v, char *buf, size_t size)
{
    switch (json_object_get_type(v)) {
    case json_type_string: return json_object_get_string(v);
    case json_type_int:
        snprintf(buf, size, "%lld", (long long)json_object_get_int64(v));
        return buf;
    case json_type_double:
        om_py_float_repr(json_object_get_double(v), 0, buf);
        return buf;
    case json_type_boolean: return json_object_get_boolean(v) ? "True" : NULL;
    default: return NULL;
    }
}

/* Normalise a date(time) comparison operand to the field's format. */
static const char *norm_date(const field_def *f, const char *v, char *buf, size_t size)
{
    if (!v)
        return v;
    if (f->type == FT_DATETIME && strlen(v) == 10) {
        snprintf(buf, size, "%s 00:00:00", v);
        return buf;
    }
    if (f->type == FT_DATETIME && strlen(v) > 10 && v[10] == 'T') {
        om_str_copy(buf, size, v);
        buf[10] = ' ';
        return buf;
    }
    if (f->type == FT_DATE && strlen(v) > 10) {
        om_str_copy(buf, size, v);
        buf[10] = '\0';
        return buf;
    }
    return v;
}

static int cmp_result(int c, int op)
{
    switch (op) {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_LT: return c < 0;
    case OP_LE: return c <= 0;
    case OP_GT: return c > 0;
    case OP_GE: return c >= 0;
    }
    return 0;
}

static int in_list_str(const dnode *d, const char *s, int *has_false)
{
    *has_false = d->set_has_false;
    return set_has_str(d, s);
}

static int in_list_num(const dnode *d, double x, int *has_false)
{
    *has_false = d->set_has_false;
    return set_has_num(d, x);
}

static int eval_related_names(eval_ctx *cx, const dnode *d, const int *ids, int n);

static int eval_leaf(eval_ctx *cx, const dnode *d, const record *r)
{
    fval v;
    om_field_value(cx, d->m, r, d->fidx, &v);
    const field_def *f = d->f;
    int op = d->op;
    int res = 0;
    char buf[48], buf2[48];

    /* dotted path / any: evaluate the remainder on the related records */
    if (d->sub) {
        int neg = (op == OP_NOT_ANY);
        const int *ids = NULL;
        int n = 0;
        int single;
        if (v.kind == FV_INT) {
            single = (int)v.i;
            ids = &single;
            n = 1;
        } else if (v.kind == FV_IDS) {
            ids = v.ids;
            n = v.n;
        }
        int any = 0;
        for (int i = 0; i < n && !any; i++) {
            record *rr = om_model_get(d->comodel, ids[i]);
            if (rr && om_domain_eval(cx, d->sub, rr))
                any = 1;
        }
        if (n == 0 && op != OP_ANY && op != OP_NOT_ANY) {
            /* empty relation: negative operators match */
            any = (op == OP_NE || op == OP_NOT_IN || op == OP_NOT_LIKE || op == OP_NOT_ILIKE);
        }
        om_fval_release(&v);
        return neg ? !any : any;
    }

    switch (op) {
    case OP_CHILD_OF:
    case OP_PARENT_OF: {
        int pf = d->m->f_parent;
        int64_t id = r->id;
        int hasf;
        if (op == OP_CHILD_OF) {
            /* r or one of its ancestors is in the value */
            int guard = 0;
            while (id && guard++ < 1000) {
                if (in_list_num(d, (double)id, &hasf)) {
                    res = 1;
                    break;
                }
                if (pf < 0)
                    break;
                record *p = om_model_get(d->m, id);
                id = p ? p->c[pf].i : 0;
            }
        } else {
            /* r is an ancestor of (or equal to) one of the value's records */
            json_object *lst = d->value;
            size_t n = json_object_get_type(lst) == json_type_array ? json_object_array_length(lst) : 1;
            for (size_t i = 0; i < n && !res; i++) {
                json_object *it = json_object_get_type(lst) == json_type_array
                                      ? json_object_array_get_idx(lst, i)
                                      : lst;
                int64_t cur = (int64_t)json_num(it);
                int guard = 0;
                while (cur && guard++ < 1000) {
                    if (cur == r->id) {
                        res = 1;
                        break;
                    }
                    if (pf < 0)
                        break;
                    record *p = om_model_get(d->m, cur);
                    cur = p ? p->c[pf].i : 0;
                }
            }
        }
        om_fval_release(&v);
        return res;
    }
    default:
        break;
    }

    int negative = (op == OP_NE || op == OP_NOT_IN || op == OP_NOT_LIKE || op == OP_NOT_ILIKE);

    if (v.kind == FV_IDS) {
        /* x2many */
        if (op == OP_EQ || op == OP_NE || op == OP_IN || op == OP_NOT_IN) {
            if (d->is_false && (op == OP_EQ || op == OP_NE)) {
                res = (v.n == 0);
            } else if (json_object_get_type(d->value) == json_type_string) {
                res = eval_related_names(cx, d, v.ids, v.n);
            } else {
                int hasf = 0;
                for (int i = 0; i < v.n && !res; i++)
                    if (in_list_num(d, v.ids[i], &hasf))
                        res = 1;
                if (!res && hasf && v.n == 0)
                    res = 1;
            }
        } else if (d->pattern) {
            res = eval_related_names(cx, d, v.ids, v.n);
        }
        om_fval_release(&v);
        if (op == OP_NE || op == OP_NOT_IN || op == OP_NOT_LIKE || op == OP_NOT_ILIKE)
            return !res;
        return res;
    }

    /* many2one compared with names */
    if (f->type == FT_MANY2ONE &&
        (d->pattern || (json_object_get_type(d->value) == json_type_string &&
                        (op == OP_EQ || op == OP_NE || op == OP_IN || op == OP_NOT_IN)))) {
        int id = v.kind == FV_INT ? (int)v.i : 0;
        record *rr = id ? om_model_get(d->comodel, id) : NULL;
        if (!rr)
            return negative;
        int r1 = eval_related_names(cx, d, &id, 1);
        return negative ? !r1 : r1;
    }

    /* empty value */
    if (v.kind == FV_NULL) {
        switch (op) {
        case OP_EQ: return d->is_false;
        case OP_NE: return !d->is_false;
        case OP_IN: {
            int hasf = 0;
            in_list_num(d, 0, &hasf);
            return hasf;
        }
        case OP_NOT_IN: {
            int hasf = 0;
            in_list_num(d, 0, &hasf);
            return !hasf;
        }
        case OP_NOT_LIKE:
        case OP_NOT_ILIKE: return 1;
        case OP_LIKE:
        case OP_ILIKE: return d->is_false;
        default: return 0;
        }
    }

    switch (v.kind) {
    case FV_STR: {
        const char *s = v.s;
        switch (op) {
        case OP_EQ:
        case OP_NE:
        case OP_LT:
        case OP_LE:
        case OP_GT:
        case OP_GE: {
            if (d->is_false)
                return op == OP_NE; /* value is set */
            const char *rv = json_str(d->value, buf, sizeof buf);
            if (!rv)
                return op == OP_NE;
            if (f->type == FT_DATE || f->type == FT_DATETIME)
                rv = norm_date(f, rv, buf2, sizeof buf2);
            return cmp_result(strcmp(s, rv), op);
        }
        case OP_IN:
        case OP_NOT_IN: {
            int hasf = 0;
            int found = in_list_str(d, s, &hasf);
            return op == OP_IN ? found : !found;
        }
        case OP_LIKE:
        case OP_EQLIKE: return om_like_match(s, d->pattern, 0);
        case OP_ILIKE:
        case OP_EQILIKE: return om_like_match(s, d->pattern, 1);
        case OP_NOT_LIKE: return !om_like_match(s, d->pattern, 0);
        case OP_NOT_ILIKE: return !om_like_match(s, d->pattern, 1);
        }
        return 0;
    }
    case FV_BOOL:
    case FV_INT:
    case FV_FLOAT: {
        double x = v.kind == FV_FLOAT ? v.f : (double)v.i;
        switch (op) {
        case OP_EQ:
        case OP_NE:
        case OP_LT:
        case OP_LE:
        case OP_GT:
        case OP_GE: {
            if (d->is_false && f->type != FT_BOOLEAN && (op == OP_EQ || op == OP_NE)) {
                /* unset numbers read as 0 */
                int isnull = (x == 0);
                return op == OP_EQ ? isnull : !isnull;
            }
            if (!json_is_number(d->value) && json_object_get_type(d->value) != json_type_string)
                return op == OP_NE;
            double y = json_num(d->value);
            int c = x < y ? -1 : x > y;
            return cmp_result(c, op);
        }
        case OP_IN:
        case OP_NOT_IN: {
            int hasf = 0;
            int found = in_list_num(d, x, &hasf);
            if (f->type == FT_BOOLEAN && !found && hasf && x == 0)
                found = 1;
            return op == OP_IN ? found : !found;
        }
        default: {
            /* like on numbers: compare the text form */
            if (v.kind == FV_FLOAT)
                om_py_float_repr(x, 0, buf);
            else
                snprintf(buf, sizeof buf, "%lld", (long long)v.i);
            int icase = (op == OP_ILIKE || op == OP_NOT_ILIKE || op == OP_EQILIKE);
            int m = om_like_match(buf, d->pattern, icase);
            return (op == OP_NOT_LIKE || op == OP_NOT_ILIKE) ? !m : m;
        }
        }
    }
    }
    return 0;
}

/* Compare related records' display names with the leaf's string value. */
static int eval_related_names(eval_ctx *cx, const dnode *d, const int *ids, int n)
{
    if (!d->comodel)
        return 0;
    int icase = (d->op == OP_ILIKE || d->op == OP_NOT_ILIKE || d->op == OP_EQILIKE);
    for (int i = 0; i < n; i++) {
        record *rr = om_model_get(d->comodel, ids[i]);
        if (!rr)
            continue;
        strbuf sb;
        om_sb_init(&sb);
        om_rec_display_name(cx->st, d->comodel, rr, &sb);
        const char *name = sb.buf ? sb.buf : "";
        int m;
        if (d->pattern) {
            m = om_like_match(name, d->pattern, icase);
        } else {
            int hasf = 0;
            m = in_list_str(d, name, &hasf);
        }
        om_sb_free(&sb);
        if (m)
            return 1;
    }
    return 0;
}

int om_domain_eval(eval_ctx *cx, const dnode *d, const record *r)
{
    switch (d->kind) {
    case D_TRUE: return 1;
    case D_FALSE: return 0;
    case D_AND: return om_domain_eval(cx, d->a, r) && om_domain_eval(cx, d->b, r);
    case D_OR: return om_domain_eval(cx, d->a, r) || om_domain_eval(cx, d->b, r);
    case D_NOT: return !om_domain_eval(cx, d->a, r);
    case D_LEAF: return eval_leaf(cx, d, r);
    }
    return 0;
}
