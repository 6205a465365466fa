/* odoo-mock — field value access. */
#include "fieldval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void om_evalctx_init(eval_ctx *cx, store *st, int uid)
{
    memset(cx, 0, sizeof *cx);
    cx->st = st;
    cx->uid = uid;
    for (int i = 0; i < 4; i++)
        om_sb_init(&cx->scratch[i]);
}

void om_evalctx_free(eval_ctx *cx)
{
    for (int i = 0; i < cx->ninv; i++)
        free(cx->inv[i].pairs);
    for (int i = 0; i < 4; i++)
        om_sb_free(&cx->scratch[i]);
    cx->ninv = 0;
}

static strbuf *scratch(eval_ctx *cx)
{
    strbuf *sb = &cx->scratch[cx->next_scratch];
    cx->next_scratch = (cx->next_scratch + 1) % 4;
    sb->len = 0;
    om_sb_reserve(sb, 0);
    sb->buf[0] = '\0';
    return sb;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static inverse_map *get_inverse(eval_ctx *cx, const model *comodel, int inv_fidx, int active_only)
{
    for (int i = 0; i < cx->ninv; i++)
        if (cx->inv[i].comodel == comodel && cx->inv[i].inv_fidx == inv_fidx &&
            cx->inv[i].active_only == active_only)
            return &cx->inv[i];
    inverse_map *im;
    if (cx->ninv < (int)(sizeof cx->inv / sizeof cx->inv[0])) {
        im = &cx->inv[cx->ninv++];
    } else { /* recycle the last slot */
        im = &cx->inv[cx->ninv - 1];
        free(im->pairs);
    }
    im->comodel = comodel;
    im->inv_fidx = inv_fidx;
    im->active_only = active_only;
    im->pairs = om_xmalloc((comodel->n + 1) * sizeof(int64_t));
    im->n = 0;
    for (size_t j = 0; j < comodel->n; j++) {
        const record *r = comodel->recs[j];
        int64_t p = r->c[inv_fidx].i;
        if (!p)
            continue;
        if (active_only && comodel->f_active >= 0 && !r->c[comodel->f_active].i)
            continue;
        im->pairs[im->n++] = (p << 32) | (int64_t)(uint32_t)r->id;
    }
    qsort(im->pairs, im->n, sizeof(int64_t), cmp_i64);
    return im;
}

void om_inverse_ids(eval_ctx *cx, const model *comodel, int inv_fidx, int active_only, int id,
                 const int **ids, int *n)
{
    inverse_map *im = get_inverse(cx, comodel, inv_fidx, active_only);
    int64_t lo_key = (int64_t)id << 32;
    size_t lo = 0, hi = im->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (im->pairs[mid] < lo_key)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < im->n && (im->pairs[end] >> 32) == id)
        end++;
    int cnt = (int)(end - lo);
    int *out = cnt ? om_xmalloc((size_t)cnt * sizeof(int)) : NULL;
    for (int k = 0; k < cnt; k++)
        out[k] = (int)(uint32_t)(im->pairs[lo + (size_t)k] & 0xffffffff);
    *ids = out;
    *n = cnt;
}

void om_fval_release(fval *v)
{
    free(v->owned);
    v->owned = NULL;
}

void om_field_value(eval_ctx *cx, const model *m, const record *r, int fidx, fval *out)
{
    const field_def *f = &m->def->fields[fidx];
    memset(out, 0, sizeof *out);
    if (f->flags & FF_COMPUTED) {
        switch (f->compute) {
        case C_ID:
            out->kind = FV_INT;
            out->i = r->id;
            return;
        case C_DISPLAY_NAME:
        case C_COMPLETE_NAME: {
            strbuf *sb = scratch(cx);
            om_rec_display_name(cx->st, m, r, sb);
            out->kind = FV_STR;
            out->s = sb->buf;
            return;
        }
        case C_IMAGE_128: {
            int src = om_model_field(m, "image_1920");
            const char *s = src >= 0 ? r->c[src].s : NULL;
            out->kind = s ? FV_STR : FV_NULL;
            out->s = s;
            return;
        }
        case C_COMPANY_TYPE: {
            int src = om_model_field(m, "is_company");
            out->kind = FV_STR;
            out->s = (src >= 0 && r->c[src].i) ? "company" : "person";
            return;
        }
        case C_INVERSE: {
            model *co = om_store_model(cx->st, f->relation);
            int inv = co ? om_model_field(co, f->inverse) : -1;
            out->kind = FV_IDS;
            if (!co || inv < 0)
                return;
            const int *ids;
            int n;
            om_inverse_ids(cx, co, inv, co->f_active >= 0, r->id, &ids, &n);
            out->ids = ids;
            out->n = n;
            out->owned = (int *)ids;
            return;
        }
        default:
            out->kind = FV_NULL;
            return;
        }
    }
    if (f->flags & FF_WRITEONLY) {
        out->kind = FV_STR;
        out->s = "";
        return;
    }
    switch (f->type) {
    case FT_CHAR:
    case FT_TEXT:
    case FT_HTML:
    case FT_SELECTION:
    case FT_DATE:
    case FT_DATETIME:
    case FT_BINARY:
        out->kind = r->c[fidx].s ? FV_STR : FV_NULL;
        out->s = r->c[fidx].s;
        return;
    case FT_BOOLEAN:
        out->kind = FV_BOOL;
        out->i = r->c[fidx].i != 0;
        return;
    case FT_INTEGER:
    case FT_M2O_REFERENCE:
        out->kind = FV_INT;
        out->i = r->c[fidx].i;
        return;
    case FT_FLOAT:
    case FT_MONETARY:
        out->kind = FV_FLOAT;
        out->f = r->c[fidx].f;
        return;
    case FT_MANY2ONE:
        out->kind = r->c[fidx].i ? FV_INT : FV_NULL;
        out->i = r->c[fidx].i;
        return;
    case FT_MANY2MANY:
        out->kind = FV_IDS;
        out->ids = r->c[fidx].m.ids;
        out->n = r->c[fidx].m.n;
        return;
    case FT_ONE2MANY:
        out->kind = FV_IDS;
        return;
    }
}
