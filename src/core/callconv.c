/* Odoo's call convention: positional (execute_kw) and named (JSON-2). */
#include <string.h>

#include <json-c/json.h>

#include "../errors/error_internal.h"
#include "apidoc.h"
#include "callconv.h"
#include "value.h"

/* The positional convention, once: execute_kw's args are the record ids
 * (when the call has them) followed by the call's args; its kwargs are the
 * call's kwargs with the context as one more member. Every encoder, text
 * or DOM, walks these. */
size_t odoo_call_nargs(const odoo_call_spec *call)
{
    return (call->ids ? 1 : 0) + (call->args ? json_object_array_length(call->args) : 0);
}

json_object *odoo_call_arg(const odoo_call_spec *call, size_t i)
{
    if (call->ids && i-- == 0)
        return call->ids;
    return call->args && i < json_object_array_length(call->args) ? json_object_array_get_idx(call->args, i) : NULL;
}

int odoo_call_has_kwargs(const odoo_call_spec *call)
{
    return call->context || (call->kwargs && json_object_object_length(call->kwargs) > 0);
}

int odoo_call_kwargs_foreach(const odoo_call_spec *call, int (*fn)(const char *key, json_object *value, void *payload),
                             void *payload)
{
    int rc = 0;
    if (call->kwargs) {
        json_object_object_foreach(call->kwargs, key, val) {
            if ((rc = fn(key, val, payload)) != 0)
                return rc;
        }
    }
    return call->context ? fn("context", call->context, payload) : 0;
}

static int dom_member(const char *key, json_object *value, void *payload)
{
    return odoo__object_add(payload, key, json_object_get(value));
}

int odoo__call_positional(const odoo_call_spec *call, json_object **args, json_object **kwargs,
                          odoo_rpc_error *err)
{
    /* Where the convention adds nothing (no ids, no context) the call's
     * own values are the answer: a reference, not a copy (the callers
     * only read them). */
    size_t n = odoo_call_nargs(call);
    *args = !call->ids && call->args ? json_object_get(call->args) : json_object_new_array_ext((int)(n ? n : 1));
    *kwargs = !call->context && call->kwargs ? json_object_get(call->kwargs) : json_object_new_object();
    if (!*args || !*kwargs)
        goto nomem;
    if (call->ids)
        for (size_t i = 0; i < n; i++)
            if (odoo__array_add_value(*args, json_object_get(odoo_call_arg(call, i))) != 0)
                goto nomem;
    if (call->context && odoo_call_kwargs_foreach(call, dom_member, *kwargs) != 0)
        goto nomem;
    return 0;
nomem:
    json_object_put(*args);
    json_object_put(*kwargs);
    *args = *kwargs = NULL;
    return odoo__error_nomem(err);
}

void odoo_buf_call_args(odoo_buf *b, const odoo_call_spec *call)
{
    /* Without ids the walk is the call's own array: one serialisation. */
    if (!call->ids && call->args) {
        odoo__jb_value(b, call->args);
        return;
    }
    size_t n = odoo_call_nargs(call);
    odoo__jb_lit(b, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            odoo__jb_lit(b, ",");
        odoo__jb_value(b, odoo_call_arg(call, i));
    }
    odoo__jb_lit(b, "]");
}

static int text_member(const char *key, json_object *value, void *payload)
{
    odoo_buf *b = payload;
    if (b->len && b->data[b->len - 1] != '{')
        odoo__jb_lit(b, ",");
    odoo__jb_str(b, key);
    odoo__jb_lit(b, ":");
    odoo__jb_value(b, value);
    return 0;
}

void odoo_buf_call_kwargs(odoo_buf *b, const odoo_call_spec *call)
{
    /* Without a context the walk is the call's own object: one serialisation. */
    if (!call->context && call->kwargs) {
        odoo__jb_value(b, call->kwargs);
        return;
    }
    odoo__jb_lit(b, "{");
    odoo_call_kwargs_foreach(call, text_member, b);
    odoo__jb_lit(b, "}");
}

/* Parameter names of the ORM methods, as Odoo 19 spells them (JSON-2
 * exists only from 19 on; test_json2_doc.c checks each entry against the
 * recorded /doc-bearer documents). record: the method runs on records, so
 * an execute_kw args list starts with the ids. The few entries those
 * documents leave out (search_fetch, exists, read_group, toggle_active,
 * check_access_rights) keep their ORM signature. */
typedef struct {
    const char *method;
    int record;
    const char *params[8];
} method_sig;

static const method_sig signatures[] = {
    { "search", 0, { "domain", "offset", "limit", "order" } },
    { "search_read", 0, { "domain", "fields", "offset", "limit", "order" } },
    { "search_count", 0, { "domain", "limit" } },
    { "search_fetch", 0, { "domain", "field_names", "offset", "limit", "order" } },
    { "read", 1, { "fields", "load" } },
    { "write", 1, { "vals" } },
    { "create", 0, { "vals_list" } },
    { "unlink", 1, { NULL } },
    { "copy", 1, { "default" } },
    { "copy_data", 1, { "default" } },
    { "exists", 1, { NULL } },
    { "fields_get", 0, { "allfields", "attributes" } },
    { "name_search", 0, { "name", "domain", "operator", "limit" } },
    { "name_create", 0, { "name" } },
    { "default_get", 0, { "fields" } },
    { "read_group", 0, { "domain", "fields", "groupby", "offset", "limit", "orderby", "lazy" } },
    { "formatted_read_group", 0, { "domain", "groupby", "aggregates", "having", "offset", "limit", "order" } },
    { "web_search_read", 0, { "domain", "specification", "offset", "limit", "order", "count_limit" } },
    { "web_read", 1, { "specification" } },
    { "web_save", 1, { "vals", "specification", "next_id" } },
    { "get_metadata", 1, { NULL } },
    { "toggle_active", 1, { NULL } },
    { "context_get", 0, { NULL } },
    { "action_get", 0, { NULL } },   /* res.users: a model method, unlike the action_* rule */
    { "check_access_rights", 0, { "operation", "raise_exception" } },
};

const char *odoo__call_table(size_t i, int *record, const char *const **params, size_t *nparams)
{
    if (i >= sizeof(signatures) / sizeof(signatures[0]))
        return NULL;
    *record = signatures[i].record;
    *params = signatures[i].params;
    for (*nparams = 0; *nparams < 8 && signatures[i].params[*nparams]; (*nparams)++)
        ;
    return signatures[i].method;
}

static const method_sig *find_signature(const char *method)
{
    static const method_sig record_action = { "", 1, { NULL } };
    for (size_t i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++)
        if (strcmp(signatures[i].method, method) == 0)
            return &signatures[i];
    /* Buttons and actions of form views run on records and take nothing else. */
    if (strncmp(method, "action_", 7) == 0 || strncmp(method, "button_", 7) == 0)
        return &record_action;
    return NULL;
}

static int named_add(json_object *named, const char *key, json_object *val, const odoo_call_spec *call,
                     odoo_rpc_error *err)
{
    if (json_object_object_get_ex(named, key, NULL)) {
        json_object_put(val);
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "%s.%s got argument '%s' twice (positionally and by name)",
                               call->model, call->method, key);
    }
    if (odoo__object_add_value(named, key, val) != 0)
        return odoo__error_nomem(err);
    return 0;
}

/* The positional parameters of a method, from the table or from the
 * server's description. */
typedef struct {
    int record;                    /* the ids come first in args */
    size_t npos;                   /* parameters that may be given positionally */
    const char *const *names;      /* the table's names, or NULL */
    const odoo__doc_method *doc;   /* or the description's */
    const char *var_positional;    /* the *args parameter's name, or NULL */
} sig_view;

static const char *sig_name(const sig_view *v, size_t i)
{
    return v->names ? v->names[i] : v->doc->params[i].name;
}

static void view_of_table(sig_view *v, const method_sig *sig)
{
    memset(v, 0, sizeof(*v));
    v->record = sig->record;
    v->names = sig->params;
    while (v->npos < 8 && sig->params[v->npos])
        v->npos++;
}

/* Python's order puts the positional parameters first; a positional-only
 * one cannot be named, so naming stops before it (and refuses below). */
static void view_of_doc(sig_view *v, const odoo__doc_method *doc)
{
    memset(v, 0, sizeof(*v));
    v->record = !doc->api_model;
    v->doc = doc;
    while (v->npos < doc->nparams && doc->params[v->npos].kind == ODOO__PARAM_POSITIONAL_OR_KEYWORD)
        v->npos++;
    for (size_t i = 0; i < doc->nparams; i++)
        if (doc->params[i].kind == ODOO__PARAM_VAR_POSITIONAL)
            v->var_positional = doc->params[i].name;
}

int odoo__call_needs_doc(const odoo_call_spec *call)
{
    return call->args && json_object_array_length(call->args) > 0 && !find_signature(call->method);
}

/* Every parameter without a default is given (by position or by name):
 * the same refusal as Python's, before anything is sent. */
static int check_required(const odoo__doc_method *doc, json_object *named, const odoo_call_spec *call,
                          odoo_rpc_error *err)
{
    for (size_t i = 0; i < doc->nparams; i++) {
        const odoo__doc_param *p = &doc->params[i];
        if (p->has_default || p->kind == ODOO__PARAM_VAR_POSITIONAL || p->kind == ODOO__PARAM_VAR_KEYWORD)
            continue;
        if (!json_object_object_get_ex(named, p->name, NULL))
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "%s.%s is missing a required argument: '%s'",
                                   call->model, call->method, p->name);
    }
    return 0;
}

int odoo__call_named(const odoo_call_spec *call, json_object **named_out, odoo_result_shape *shape,
                     odoo_rpc_error *err)
{
    return odoo__call_named_doc(call, NULL, named_out, shape, err);
}

int odoo__call_named_doc(const odoo_call_spec *call, const odoo__doc_method *doc, json_object **named_out,
                         odoo_result_shape *shape, odoo_rpc_error *err)
{
    *named_out = NULL;
    *shape = ODOO_RESULT_AS_IS;
    size_t nargs = call->args ? json_object_array_length(call->args) : 0;
    json_object *named = json_object_new_object();
    if (!named)
        return odoo__error_nomem(err);
    int rc = 0;

    if (call->kwargs) {
        json_object_object_foreach(call->kwargs, key, val) {
            if (strcmp(key, "ids") == 0) {
                rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                     "'ids' is not a keyword argument: pass the record ids as ids");
                goto fail;
            }
            if (odoo__object_add_value(named, key, json_object_get(val)) != 0) {
                rc = odoo__error_nomem(err);
                goto fail;
            }
        }
    }

    json_object *ids = call->ids;
    size_t first = 0;
    if (nargs > 0) {
        const method_sig *sig = find_signature(call->method);
        sig_view view;
        if (sig)
            view_of_table(&view, sig);
        else if (doc)
            view_of_doc(&view, doc);
        else {
            rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                 "%s.%s: positional arguments cannot be sent to this method over a "
                                 "named-arguments protocol without its parameter names; " ODOO__NAMED_ADVICE_FMT,
                                 call->model, call->method, call->model, call->method);
            goto fail;
        }
        if (view.record && !ids) {
            ids = json_object_array_get_idx(call->args, 0);
            first = 1;
        }
        if (nargs - first > view.npos) {
            const char *after = view.record ? " after the ids" : "";
            if (view.var_positional)
                rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                     "%s.%s takes %zu named positional argument%s%s, %zu given: the rest would go "
                                     "to *%s, which JSON-2 cannot carry (it passes arguments by name only)",
                                     call->model, call->method, view.npos, view.npos == 1 ? "" : "s", after,
                                     nargs - first, view.var_positional);
            else if (view.doc && view.npos < view.doc->nparams &&
                     view.doc->params[view.npos].kind == ODOO__PARAM_POSITIONAL_ONLY)
                rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                     "%s.%s: its parameter '%s' is positional-only, which JSON-2 cannot carry",
                                     call->model, call->method, view.doc->params[view.npos].name);
            else
                rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "%s.%s takes %zu positional argument%s%s, %zu given",
                                     call->model, call->method, view.npos, view.npos == 1 ? "" : "s", after,
                                     nargs - first);
            goto fail;
        }
        for (size_t i = first; i < nargs; i++) {
            json_object *val = json_object_array_get_idx(call->args, i);
            const char *name = sig_name(&view, i - first);
            /* create(vals) with one dict: JSON-2 wants vals_list and answers
             * a list; execute_kw answers the bare id, so reshape. */
            if (sig && strcmp(call->method, "create") == 0 && json_object_is_type(val, json_type_object)) {
                json_object *list = json_object_new_array_ext(1);
                if (!list || odoo__array_add(list, json_object_get(val)) != 0) {
                    json_object_put(list);
                    rc = odoo__error_nomem(err);
                    goto fail;
                }
                *shape = ODOO_RESULT_FIRST_ID;
                val = list;
            } else {
                json_object_get(val);
            }
            if ((rc = named_add(named, name, val, call, err)) != 0)
                goto fail;
        }
        if (!sig && (rc = check_required(doc, named, call, err)) != 0)
            goto fail;
    } else if (strcmp(call->method, "create") == 0) {
        json_object *vals;
        if (json_object_object_get_ex(named, "vals_list", &vals) && json_object_is_type(vals, json_type_object)) {
            json_object *list = json_object_new_array_ext(1);
            if (!list || odoo__array_add(list, json_object_get(vals)) != 0 ||
                odoo__object_add(named, "vals_list", list) != 0) {
                json_object_put(list);
                rc = odoo__error_nomem(err);
                goto fail;
            }
            *shape = ODOO_RESULT_FIRST_ID;
        }
    }

    if (ids && (rc = named_add(named, "ids", json_object_get(ids), call, err)) != 0)
        goto fail;
    if (call->context && (rc = named_add(named, "context", json_object_get(call->context), call, err)) != 0)
        goto fail;
    *named_out = named;
    return 0;
fail:
    json_object_put(named);
    *shape = ODOO_RESULT_AS_IS;
    return rc;
}

int odoo__reshape_result(json_object **result, odoo_result_shape shape, odoo_rpc_error *err)
{
    if (shape != ODOO_RESULT_FIRST_ID)
        return 0;
    json_object *r = *result;
    if (!json_object_is_type(r, json_type_array) || json_object_array_length(r) != 1) {
        int rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "create answered %s instead of a list of one id",
                                 r ? json_object_get_string(r) : "null");
        json_object_put(r);
        *result = NULL;
        return rc;
    }
    *result = json_object_get(json_object_array_get_idx(r, 0));
    json_object_put(r);
    return 0;
}

int odoo_call_named_args(json_object **out, const odoo_call_spec *call, int *first_id, odoo_rpc_error *err)
{
    odoo_result_shape shape = ODOO_RESULT_AS_IS;
    if (!out || !call)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "out or call is NULL");
    int rc = odoo__call_named(call, out, &shape, err);
    if (first_id)
        *first_id = rc == 0 && shape == ODOO_RESULT_FIRST_ID;
    return rc;
}

int odoo_authenticate_uid(int64_t *uid, json_object *result, odoo_rpc_error *err)
{
    *uid = 0;
    if (json_object_is_type(result, json_type_int) && json_object_get_int64(result) > 0) {
        *uid = json_object_get_int64(result);
        return 0;
    }
    if (json_object_is_type(result, json_type_boolean) && !json_object_get_boolean(result))
        return 0;
    return odoo__error_set(err, ODOO_ERR_PROTOCOL, "authenticate answered %.80s, not a uid or False",
                           result ? json_object_to_json_string(result) : "None");
}
