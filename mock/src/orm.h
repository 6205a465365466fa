/* odoo-mock — the ORM: public model methods (search, read, create, ...),
 * Python-style argument binding, access rights, and the dispatch that all
 * protocols share ("call_kw"). Callers hold the store lock: a read lock
 * when om_orm_method_is_readonly() says so, the write lock otherwise. */
#ifndef MOCK_ORM_H
#define MOCK_ORM_H

#include <json-c/json.h>

#include "errors.h"
#include "fieldval.h"
#include "store.h"

typedef struct call_env {
    store *st;
    int version;
    int uid;
    int is_admin;
    json_object *context; /* borrowed; NULL = {} */
    int active_test;
    int json2; /* JSON-2 semantics: create always returns a list */
    eval_ctx *cx;
} call_env;

/* How an unknown model is reported. */
typedef enum {
    FLAVOR_RPC,  /* XML-RPC and /jsonrpc: UserError "Object x doesn't exist" */
    FLAVOR_WEB,  /* /web/dataset/call_kw: werkzeug NotFound (code 404) */
    FLAVOR_JSON2 /* JSON-2: NotFound "the model 'x' does not exist" */
} call_flavor;

/* Prepare env for uid (admin flag from res.users) and context
 * (active_test). Returns -1 with UserError on an invalid lang. */
int om_orm_env_init(call_env *env, store *st, eval_ctx *cx, int uid, json_object *context,
                 mock_err *err);

int om_orm_method_is_readonly(const char *method);

/* A public method's Python signature as the ORM binds it (the names
 * JSON-2 accepts), for /doc-bearer. */
#define ORM_MAXP 8
typedef struct orm_sig {
    int api_model; /* @api.model: called without ids */
    int np;
    const char *names[ORM_MAXP];
    const char *defs[ORM_MAXP]; /* default as JSON text, NULL = required */
    const char *varkw;          /* name of the **kwargs parameter or NULL */
} orm_sig;

/* 0 and *out if model m has the method on this version, else -1. */
int om_orm_method_sig(int version, const model *m, const char *method, orm_sig *out);
/* The i-th method of the ORM's table (any model), NULL past the end. */
const char *om_orm_method_name(size_t i);

/* execute_kw / call_kw: positional args (record methods take the ids as
 * args[0]) and keyword args; kwargs["context"] must already be removed.
 * *result is a new reference, or NULL for Python None. */
int om_orm_call_kw(call_env *env, call_flavor flavor, const char *model, const char *method,
                json_object *args, json_object *kwargs, json_object **result, mock_err *err);

/* JSON-2: named parameters only; `ids` given separately (NULL = none). */
int om_orm_call_named(call_env *env, const char *model, const char *method, json_object *ids,
                   json_object *params, json_object **result, mock_err *err);

/* Access check for the limited user (op: ACC_READ/WRITE/CREATE/UNLINK). */
int om_orm_check_access(call_env *env, const model *m, unsigned op, mock_err *err);

/* ---- helpers shared by the method implementations ---- */
typedef struct rec_list {
    record **v;
    size_t n;
} rec_list;

/* Search with Odoo semantics (implicit active test, order, offset, limit).
 * limit < 0 means no limit. */
int om_orm_search(call_env *env, model *m, json_object *domain, int64_t offset, int64_t limit,
               const char *order, rec_list *out, mock_err *err);
/* Parse an order spec and sort records in place. */
int om_orm_sort(call_env *env, model *m, rec_list *recs, const char *order, mock_err *err);

/* Read records into a JSON list of dicts. fields NULL/empty = all. */
int om_orm_read_records(call_env *env, model *m, rec_list *recs, json_object *fields, int classic,
                     json_object **out, mock_err *err);
json_object *om_orm_value_json(call_env *env, model *m, record *r, int fidx, int classic);

/* ids argument (int or list of ints) -> int array. */
int om_orm_parse_ids(json_object *ids, int **out, size_t *n, mock_err *err);

#endif
