/* Odoo 19's api_doc descriptions: decoding, and one fetch per model per
 * connection. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "../errors/error_internal.h"
#include "../errors/parse.h"
#include "apidoc.h"
#include "callconv.h"
#include "value.h"

/* ------------------------------------------------------------------ */
/* decoding */

static void method_clear(odoo__doc_method *m)
{
    for (size_t i = 0; i < m->nparams; i++)
        free(m->params[i].name);
    free(m->params);
    free(m->name);
}

void odoo__doc_model_free(odoo__doc_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nmethods; i++)
        method_clear(&m->methods[i]);
    free(m->methods);
    free(m->model);
    free(m);
}

const odoo__doc_method *odoo__doc_find(const odoo__doc_model *m, const char *name)
{
    for (size_t i = 0; m && i < m->nmethods; i++)
        if (strcmp(m->methods[i].name, name) == 0)
            return &m->methods[i];
    return NULL;
}

static int kind_of(const char *s, odoo__param_kind *out)
{
    static const struct { const char *name; odoo__param_kind kind; } kinds[] = {
        { "POSITIONAL_OR_KEYWORD", ODOO__PARAM_POSITIONAL_OR_KEYWORD },
        { "POSITIONAL_ONLY", ODOO__PARAM_POSITIONAL_ONLY },
        { "VAR_POSITIONAL", ODOO__PARAM_VAR_POSITIONAL },
        { "KEYWORD_ONLY", ODOO__PARAM_KEYWORD_ONLY },
        { "VAR_KEYWORD", ODOO__PARAM_VAR_KEYWORD },
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].name, s) == 0) {
            *out = kinds[i].kind;
            return 0;
        }
    return -1;
}

/* One method; -1 with why set when its shape is not api_doc's. Names must
 * be Python identifiers: they become JSON keys of the call. */
static int parse_method(odoo__doc_method *m, const char *name, json_object *desc, const char **why)
{
    json_object *params, *api;
    if (!odoo__valid_method_name(name))
        return *why = "a method name that is not an identifier", -1;
    if (!json_object_is_type(desc, json_type_object) || !json_object_object_get_ex(desc, "parameters", &params) ||
        !json_object_is_type(params, json_type_object))
        return *why = "a method without a \"parameters\" object", -1;
    if (!(m->name = odoo__strdup(name)))
        return *why = NULL, -1;
    if (json_object_object_get_ex(desc, "api", &api) && api) {
        if (!json_object_is_type(api, json_type_array))
            return *why = "an \"api\" that is not a list", -1;
        for (size_t i = 0; i < json_object_array_length(api); i++) {
            const char *flag = json_object_get_string(json_object_array_get_idx(api, i));
            if (flag && strcmp(flag, "model") == 0)
                m->api_model = 1;
        }
    }
    size_t n = (size_t)json_object_object_length(params);
    if (n && !(m->params = calloc(n, sizeof(*m->params))))
        return *why = NULL, -1;
    int seen_var_kw = 0;
    json_object_object_foreach(params, pname, pdesc) {
        odoo__doc_param *p = &m->params[m->nparams];
        json_object *kind;
        if (!odoo__valid_method_name(pname) || !json_object_is_type(pdesc, json_type_object))
            return *why = "a parameter that is not an identifier with an object", -1;
        if (!(p->name = odoo__strdup(pname)))
            return *why = NULL, -1;
        m->nparams++;
        p->has_default = json_object_object_get_ex(pdesc, "default", NULL);
        if (json_object_object_get_ex(pdesc, "kind", &kind) &&
            (!json_object_is_type(kind, json_type_string) || kind_of(json_object_get_string(kind), &p->kind) != 0))
            return *why = "an unknown parameter kind", -1;
        /* Python's order: positional ones, *args, keyword-only, **kwargs. */
        if (seen_var_kw)
            return *why = "a parameter after **kwargs", -1;
        seen_var_kw = p->kind == ODOO__PARAM_VAR_KEYWORD;
    }
    return 0;
}

int odoo__doc_model_parse(odoo__doc_model **out, const char *body, size_t len, odoo_rpc_error *err)
{
    *out = NULL;
    json_object *doc = NULL, *model, *methods;
    if (odoo__json_parse(body, len, &doc) != 0 || !json_object_is_type(doc, json_type_object) ||
        !json_object_object_get_ex(doc, "model", &model) || !json_object_is_type(model, json_type_string) ||
        !json_object_object_get_ex(doc, "methods", &methods) || !json_object_is_type(methods, json_type_object)) {
        json_object_put(doc);
        return odoo__error_set(err, ODOO_ERR_PROTOCOL,
                               "the /doc-bearer answer is not an api_doc model document ({\"model\", \"methods\"})");
    }
    odoo__doc_model *m = calloc(1, sizeof(*m));
    size_t n = (size_t)json_object_object_length(methods);
    const char *why = NULL;
    if (!m || !(m->model = odoo__strdup(json_object_get_string(model))) ||
        (n && !(m->methods = calloc(n, sizeof(*m->methods)))))
        goto nomem;
    json_object_object_foreach(methods, name, desc) {
        int rc = parse_method(&m->methods[m->nmethods], name, desc, &why);
        m->nmethods++;
        if (rc != 0) {
            if (!why)
                goto nomem;
            int kind = odoo__error_set(err, ODOO_ERR_PROTOCOL, "the /doc-bearer document of %s has %s (%s)",
                                       m->model, why, name);
            odoo__doc_model_free(m);
            json_object_put(doc);
            return kind;
        }
    }
    json_object_put(doc);
    *out = m;
    return 0;
nomem:
    odoo__doc_model_free(m);
    json_object_put(doc);
    return odoo__error_nomem(err);
}

/* ------------------------------------------------------------------ */
/* the cache */

typedef struct doc_entry {
    struct doc_entry *next;
    char *model;
    odoo__doc_model *doc;   /* NULL: refused, see why */
    char *why;              /* "the server ..." clause of the refusal */
} doc_entry;

struct odoo__apidoc {
    doc_entry *entries;
    char *no_docs;          /* set once the server showed it has no /doc-bearer at all */
    unsigned long requests;
};

void odoo__apidoc_free(odoo__apidoc *c)
{
    if (!c)
        return;
    for (doc_entry *e = c->entries, *next; e; e = next) {
        next = e->next;
        odoo__doc_model_free(e->doc);
        free(e->model);
        free(e->why);
        free(e);
    }
    free(c->no_docs);
    free(c);
}

unsigned long odoo__apidoc_requests(const odoo__apidoc *c)
{
    return c ? c->requests : 0;
}

static char *printf_dup(const char *fmt, ...) ODOO_PRINTF(1, 2);
static char *printf_dup(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* The refusal: what was wanted, why it cannot be had, what to do. */
static int refuse(odoo_rpc_error *err, const char *model, const char *method, const char *why)
{
    return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                           "%s.%s is not in the built-in table of parameter names, so its positional "
                           "arguments need the server's description of %s, and %s. Otherwise " ODOO__NAMED_ADVICE_FMT,
                           model, method, model, why, model, method);
}

/* Why a 403, 404 or redirect gives no description (NULL on no memory); sets
 * *server_wide when no model will have one on this server. */
static char *why_not(const char *path, const odoo_http_response *resp, int *server_wide)
{
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    odoo__error_from_json2(&e, resp->status, resp->content_type, resp->body, resp->body_len);
    const char *msg = e.message ? e.message : "";
    char *why;
    *server_wide = 0;
    if (resp->status == 403)
        why = printf_dup("the server refuses it to this user (GET %s: 403 \"%s\"); to use positional arguments, add "
                         "the key's user to the group \"Technical Documentation\"",
                         path, msg);
    else if (resp->status == 404 && e.error_class)
        /* api_doc's own NotFound, a JSON body: the route exists, the model does not */
        why = printf_dup("the server does not describe a model of that name (GET %s: 404, unknown model)", path);
    else if (resp->status == 404 || (resp->status >= 300 && resp->status < 400)) {
        *server_wide = 1;
        why = printf_dup("the server has no method descriptions (GET %s answered %ld %s: the module api_doc is "
                         "not installed, or Odoo is older than 19)",
                         path, resp->status, resp->status == 404 ? "Not Found" : "redirect");
    } else
        why = printf_dup("the server would not give it (GET %s: %ld, %s)", path, resp->status, msg);
    odoo_rpc_error_clear(&e);
    return why;
}

void odoo__apidoc_path(char *out, size_t n, const char *model)
{
    snprintf(out, n, "/doc-bearer/%s.json", model);
}

int odoo__apidoc_feed(odoo__apidoc **cache, const char *model, const odoo_http_response *resp, odoo_rpc_error *err)
{
    if (!*cache && !(*cache = calloc(1, sizeof(**cache))))
        return odoo__error_nomem(err);
    odoo__apidoc *c = *cache;
    char path[200];
    odoo__apidoc_path(path, sizeof(path), model);
    c->requests++;
    /* Kept: 200, 403 and 404 (the same question gets the same answer).
     * Not kept: a refused key (401) and whatever may pass (5xx, 429...),
     * returned as the error they are. */
    if (resp->status != 200 && resp->status != 403 && resp->status != 404 &&
        !(resp->status >= 300 && resp->status < 400))
        return odoo__error_from_json2(err, resp->status, resp->content_type, resp->body, resp->body_len);
    doc_entry *e = calloc(1, sizeof(*e));
    if (!e || !(e->model = odoo__strdup(model))) {
        free(e);
        return odoo__error_nomem(err);
    }
    int rc = 0;
    if (resp->status == 200) {
        odoo_rpc_error perr = ODOO_RPC_ERROR_INIT;
        rc = odoo__doc_model_parse(&e->doc, resp->body, resp->body_len, &perr);
        if (rc == ODOO_ERR_NOMEM) {
            odoo_rpc_error_clear(&perr);
            free(e->model);
            free(e);
            return odoo__error_nomem(err);
        }
        /* A broken document is kept as a refusal too: asking again would
         * get the same bytes. */
        if (rc != 0 && !(e->why = printf_dup("its answer could not be read (GET %s: %s)", path, perr.message)))
            rc = ODOO_ERR_NOMEM;
        else
            rc = 0;
        odoo_rpc_error_clear(&perr);
    } else {
        int server_wide = 0;
        if (!(e->why = why_not(path, resp, &server_wide)))
            rc = ODOO_ERR_NOMEM;
        else if (server_wide && !(c->no_docs = odoo__strdup(e->why)))
            rc = ODOO_ERR_NOMEM;
    }
    if (rc == ODOO_ERR_NOMEM) {
        free(e->why);
        odoo__doc_model_free(e->doc);
        free(e->model);
        free(e);
        return odoo__error_nomem(err);
    }
    e->next = c->entries;
    c->entries = e;
    return 0;
}

int odoo__apidoc_lookup(const odoo__doc_method **out, odoo__apidoc **cache, const char *model, const char *method,
                        odoo_rpc_error *err)
{
    *out = NULL;
    if (!*cache && !(*cache = calloc(1, sizeof(**cache))))
        return odoo__error_nomem(err);
    odoo__apidoc *c = *cache;
    doc_entry *e = c->entries;
    while (e && strcmp(e->model, model) != 0)
        e = e->next;
    if (!e && c->no_docs)
        return refuse(err, model, method, c->no_docs);
    if (!e)
        return ODOO_APIDOC_FETCH;
    if (!e->doc)
        return refuse(err, model, method, e->why);
    if (!(*out = odoo__doc_find(e->doc, method))) {
        char why[300];
        snprintf(why, sizeof(why),
                 "it lists no public method '%s' (a typo, a private method, or one api_doc leaves out)", method);
        return refuse(err, model, method, why);
    }
    return 0;
}

int odoo__apidoc_method(const odoo__doc_method **out, odoo__apidoc **cache, odoo_http *http,
                        const char *const *headers, const char *model, const char *method,
                        odoo_rpc_error *err)
{
    int rc = odoo__apidoc_lookup(out, cache, model, method, err);
    if (rc != ODOO_APIDOC_FETCH)
        return rc;
    char path[200];
    odoo__apidoc_path(path, sizeof(path), model);
    odoo_http_request req = { "GET", path, NULL, headers, NULL, 0 };
    odoo_http_response resp;
    if ((rc = odoo_http_send(http, &req, &resp, err)) != 0) {
        (*cache)->requests++;
        return rc;
    }
    if ((rc = odoo__apidoc_feed(cache, model, &resp, err)) != 0)
        return rc;
    return odoo__apidoc_lookup(out, cache, model, method, err);
}
