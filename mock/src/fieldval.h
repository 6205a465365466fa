/* odoo-mock — uniform access to a record's field value (stored or
 * computed), shared by the domain evaluator, ordering, read and grouping.
 * An eval_ctx lives for one request and caches the inverse maps that
 * one2many fields need, so reading N records stays O(N log N). */
#ifndef MOCK_FIELDVAL_H
#define MOCK_FIELDVAL_H

#include <stdint.h>

#include "store.h"
#include "util.h"

typedef struct inverse_map {
    const model *comodel;
    int inv_fidx;
    int active_only;
    int64_t *pairs; /* (parent << 32 | child) sorted */
    size_t n;
} inverse_map;

typedef struct eval_ctx {
    store *st;
    int uid;
    inverse_map inv[8];
    int ninv;
    strbuf scratch[4]; /* rotating buffers for computed strings */
    int next_scratch;
} eval_ctx;

void om_evalctx_init(eval_ctx *cx, store *st, int uid);
void om_evalctx_free(eval_ctx *cx);

enum { FV_NULL, FV_STR, FV_INT, FV_FLOAT, FV_BOOL, FV_IDS };

typedef struct fval {
    int kind;
    const char *s;
    int64_t i;
    double f;
    const int *ids; /* FV_IDS: points into the record or the inverse map */
    int n;
    int *owned;     /* ids to free (inverse results) */
} fval;

/* Fill *out with the value of field fidx of r. Strings returned for
 * computed fields live in ctx scratch buffers until 4 more calls. */
void om_field_value(eval_ctx *cx, const model *m, const record *r, int fidx, fval *out);
void om_fval_release(fval *v);

/* Ids of comodel records whose inverse many2one points to `id`. */
void om_inverse_ids(eval_ctx *cx, const model *comodel, int inv_fidx, int active_only, int id,
                 const int **ids, int *n);

#endif
