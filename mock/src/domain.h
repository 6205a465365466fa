/* odoo-mock — Odoo domain compiler and evaluator.
 *
 * Supports prefix '&', '|', '!' with implicit '&', TRUE/FALSE leaves
 * (1, '=', 1) / (0, '=', 1), dotted paths through relational fields, and
 * the operators =, !=, <>, <, <=, >, >=, in, not in, like, not like, ilike,
 * not ilike, =like, =ilike, child_of, parent_of, any, not any.
 * Semantics follow Odoo's SQL: '!=' / 'not in' / 'not like' also match
 * empty values; '= False' tests for an empty value. */
#ifndef MOCK_DOMAIN_H
#define MOCK_DOMAIN_H

#include <json-c/json.h>

#include "errors.h"
#include "fieldval.h"
#include "store.h"

typedef struct dnode dnode;

/* Compile `domain` (a JSON array, NULL = []) for model m. Returns NULL and
 * sets err (ValueError/TypeError, Odoo's messages) when it is invalid;
 * an empty domain compiles to a TRUE node. */
dnode *om_domain_compile(store *st, model *m, json_object *domain, mock_err *err);
int om_domain_eval(eval_ctx *cx, const dnode *d, const record *r);
void om_domain_free(dnode *d);

/* Does the domain mention field `name` as the first segment of a path? */
int om_domain_mentions(json_object *domain, const char *name);

/* SQL LIKE matching with % and _ wildcards, backslash escapes. */
int om_like_match(const char *s, const char *pattern, int icase);

#endif
