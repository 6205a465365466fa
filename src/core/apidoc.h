/* Private: Odoo 19's own description of a model's public methods
 * (module api_doc, GET /doc-bearer/<model>.json with the bearer key), so
 * that a method outside callconv's built-in table can be called over
 * JSON-2 with positional arguments: the description gives the parameter
 * names in declaration order, which have defaults, **kwargs and whether
 * the method runs on records (no "model" in api) or on the model.
 *
 * A connection keeps one cache: each model's document is asked for once
 * (its answer, a refusal included, is kept until the connection closes),
 * and a server without the documents at all (404 page, redirect: api_doc
 * not installed, or Odoo before 19) is not asked again for any model. */
#ifndef ODOO_APIDOC_H
#define ODOO_APIDOC_H

#include <stddef.h>

#include "odoo/errors.h"
#include "odoo/sys/http.h"

/* inspect.Parameter.kind, as api_doc writes it ("kind" absent = a plain
 * positional-or-keyword parameter). */
typedef enum {
    ODOO__PARAM_POSITIONAL_OR_KEYWORD = 0,
    ODOO__PARAM_POSITIONAL_ONLY,
    ODOO__PARAM_VAR_POSITIONAL,
    ODOO__PARAM_KEYWORD_ONLY,
    ODOO__PARAM_VAR_KEYWORD
} odoo__param_kind;

typedef struct odoo__doc_param {
    char *name;
    odoo__param_kind kind;
    int has_default;       /* no default (and not *args / **kwargs) = required */
} odoo__doc_param;

typedef struct odoo__doc_method {
    char *name;
    int api_model;         /* "model" in api: called without ids */
    size_t nparams;
    odoo__doc_param *params;   /* in declaration order, self excluded */
} odoo__doc_method;

typedef struct odoo__doc_model {
    char *model;
    size_t nmethods;
    odoo__doc_method *methods;
} odoo__doc_model;

/* Decode a 200 document ({"model", "methods": {name: {"parameters",
 * "api"}}, ...}). 0 and a new *out (free with odoo__doc_model_free), or
 * ODOO_ERR_PROTOCOL / ODOO_ERR_NOMEM with *out NULL. */
int odoo__doc_model_parse(odoo__doc_model **out, const char *body, size_t len, odoo_rpc_error *err);
void odoo__doc_model_free(odoo__doc_model *m);
/* The method called name, or NULL; borrowed from m. */
const odoo__doc_method *odoo__doc_find(const odoo__doc_model *m, const char *name);

typedef struct odoo__apidoc odoo__apidoc;
/* NULL is fine. */
void odoo__apidoc_free(odoo__apidoc *cache);

/* Sans-I/O, for the adapter: the description of model.method from
 * *cache (created on first use): 0 with *out borrowed from the cache,
 * ODOO_APIDOC_FETCH when the model's document must be asked for first
 * (GET the path odoo__apidoc_path gives, with the bearer key, then
 * odoo__apidoc_feed the answer), or the refusal (as below). */
#define ODOO_APIDOC_FETCH 1
int odoo__apidoc_lookup(const odoo__doc_method **out, odoo__apidoc **cache, const char *model, const char *method,
                        odoo_rpc_error *err);
void odoo__apidoc_path(char *out, size_t n, const char *model);
/* Keep the answer to that GET: 0, or the error of an answer that is not
 * kept (401, 5xx: returned as the error it is), ODOO_ERR_NOMEM. */
int odoo__apidoc_feed(odoo__apidoc **cache, const char *model, const odoo_http_response *resp, odoo_rpc_error *err);

/* The same in one blocking step (tests): the description of model.method, asking the server for model's
 * document only when *cache has no answer for it yet (*cache is created
 * on first use; headers are the extra "Name: value" lines of the GET, the
 * bearer key among them). Returns 0 with *out borrowed from the cache
 * (valid until odoo__apidoc_free). Otherwise *out is NULL and:
 * ODOO_ERR_INVALID_ARGUMENT when the description cannot be had (403,
 * unknown model, no api_doc, Odoo 18, method not described), with a
 * message that says why and what to do instead; ODOO_ERR_AUTH on a 401
 * (not kept: the key may be fixed), transport errors as odoo_http_send
 * gives them (not kept either), ODOO_ERR_NOMEM. */
int odoo__apidoc_method(const odoo__doc_method **out, odoo__apidoc **cache, odoo_http *http,
                        const char *const *headers, const char *model, const char *method,
                        odoo_rpc_error *err);

/* Requests sent through the cache so far (for tests and traces). */
unsigned long odoo__apidoc_requests(const odoo__apidoc *cache);

#endif
