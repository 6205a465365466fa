/* The ORM helpers, written once on the base: each builds the execute_kw
 * call a Python client would send and runs it through the core
 * (odoo__dispatch), so every protocol and policy applies. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/client.h"
#include "odoo/helpers.h"
#include "../errors/error_internal.h"
#include "base.h"
#include "rows.h"
#include "value.h"

json_object *odoo_ids_new(const int64_t *ids, size_t n)
{
    if (!ids && n > 0)
        return NULL;
    json_object *arr = json_object_new_array_ext((int)(n ? n : 1));
    for (size_t i = 0; arr && i < n; i++) {
        if (odoo__array_add(arr, json_object_new_int64(ids[i])) != 0) {
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
}

/* [domain] as the single positional argument (domain NULL means []). */
static json_object *domain_args(json_object *domain)
{
    json_object *args = json_object_new_array_ext(1);
    if (!args)
        return NULL;
    if (odoo__array_add(args, domain ? json_object_get(domain) : json_object_new_array()) != 0) {
        json_object_put(args);
        return NULL;
    }
    return args;
}

static int add_strings(json_object *kw, const char *key, const char *const *list)
{
    if (!list)
        return 0;
    json_object *arr = odoo__string_array(list);
    return arr ? odoo__object_add(kw, key, arr) : -1;
}

static int check_array(odoo_protocol *p, odoo_rpc_error *err, json_object *v, const char *what,
                       const char *model, const char *method, int required)
{
    if ((!v && !required) || (v && json_object_is_type(v, json_type_array)))
        return 0;
    odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "%s must be a JSON array", what);
    odoo__finish_error(p, err, model, method);
    return ODOO_ERR_INVALID_ARGUMENT;
}

/* Dispatch and release the argument objects built here. */
static int run(odoo_protocol *p, const char *model, const char *method, json_object *ids,
               json_object *args, json_object *kwargs, json_object *context, json_object **out,
               odoo_rpc_error *err, int built_ok)
{
    int rc;
    if (!built_ok) {
        rc = odoo__error_nomem(err);
        if (out)
            *out = NULL;
    } else {
        rc = odoo__dispatch(p, model, method, ids, args, kwargs, context, out, err);
    }
    json_object_put(args);
    json_object_put(kwargs);
    return rc;
}

/* What each search helper takes of odoo_search_options. */
enum { S_FIELDS = 1, S_OFFSET = 2, S_ORDER = 4, S_LIMIT = 8, S_PAGE = 16 };

static const odoo_search_options default_search = ODOO_SEARCH_OPTIONS_INIT;

/* Read opts into *o by its version (a version-1 struct ends before
 * timeout_ms; NULL: the defaults), then check it against what `method`
 * uses: refuse rather than ignore. The keyset pages (S_PAGE) order by id:
 * that order is accepted as if not given, any other refused. */
static int check_search(odoo_protocol *p, odoo_rpc_error *err, const odoo_search_options *opts,
                        odoo_search_options *o, const char *model, const char *method, unsigned takes)
{
    const char *bad = NULL;
    size_t n = !opts ? 0 : opts->version == 1 ? offsetof(odoo_search_options, timeout_ms)
             : opts->version == ODOO_SEARCH_OPTIONS_VERSION ? sizeof(*o) : 0;
    *o = default_search;
    if (opts && n == 0)
        o->version = 0; /* refused below */
    else if (opts) {
        memcpy(o, opts, n);
        o->version = ODOO_SEARCH_OPTIONS_VERSION;
    }
    if ((takes & S_PAGE) && o->order && (strcmp(o->order, "id") == 0 || strcmp(o->order, "id asc") == 0))
        o->order = NULL;
    if (o->version != ODOO_SEARCH_OPTIONS_VERSION)
        bad = "odoo_search_options.version is unknown (start from ODOO_SEARCH_OPTIONS_INIT)";
    else if (o->offset < 0 || o->limit < 0 || o->page_size < 0)
        bad = "odoo_search_options: offset, limit and page_size must not be negative";
    else if (o->fields && !(takes & S_FIELDS))
        bad = "odoo_search_options.fields is for search_read (this call returns no fields)";
    else if (o->offset && !(takes & S_OFFSET))
        bad = "odoo_search_options.offset does not apply to search_count";
    else if (o->order && *o->order && !(takes & S_ORDER))
        bad = "odoo_search_options.order does not apply to this call";
    else if (o->page_size && !(takes & S_PAGE))
        bad = "odoo_search_options.page_size is for search_read_each and search_read_rows";
    if (bad) {
        odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "%s", bad);
        odoo__finish_error(p, err, model, method);
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    return check_array(p, err, o->domain, "domain", model, method, 0);
}

/* [domain] and the keywords that differ from Odoo's defaults: 1, or 0
 * without memory (*args and *kw released by the caller either way). */
int odoo__search_args(const odoo_search_options *o, json_object **args, json_object **kwargs)
{
    json_object *kw = *kwargs = json_object_new_object();
    int ok = (*args = domain_args(o->domain)) && kw && add_strings(kw, "fields", o->fields) == 0;
    if (ok && o->offset > 0)
        ok = odoo__object_add(kw, "offset", json_object_new_int64(o->offset)) == 0;
    if (ok && o->limit > 0)
        ok = odoo__object_add(kw, "limit", json_object_new_int64(o->limit)) == 0;
    if (ok && o->order && *o->order)
        ok = odoo__object_add(kw, "order", json_object_new_string(o->order)) == 0;
    return ok;
}

/* The one implementation of search, search_read and search_count. */
static int search_call(json_object **out, odoo_protocol *p, const char *model, const char *method,
                       const odoo_search_options *opts, unsigned takes, odoo_rpc_error *err)
{
    odoo_search_options read, *o = &read;
    int rc = check_search(p, err, opts, o, model, method, takes);
    if (rc) {
        if (out)
            *out = NULL;
        return rc;
    }
    json_object *args = NULL, *kw = NULL;
    int ok = odoo__search_args(o, &args, &kw);
    odoo__limits lim = { o->timeout_ms, o->cancel };
    odoo__limits_begin(p, &lim);
    rc = run(p, model, method, NULL, args, kw, o->context, out, err, ok);
    odoo__limits_end(p);
    return rc;
}

int odoo_search(json_object **out, odoo_protocol *p, const char *model, const odoo_search_options *opts,
                odoo_rpc_error *err)
{
    return search_call(out, p, model, "search", opts, S_OFFSET | S_ORDER | S_LIMIT, err);
}

int odoo_search_read(json_object **out, odoo_protocol *p, const char *model, const odoo_search_options *opts,
                     odoo_rpc_error *err)
{
    return search_call(out, p, model, "search_read", opts, S_FIELDS | S_OFFSET | S_ORDER | S_LIMIT, err);
}

int odoo_search_count(int64_t *out, odoo_protocol *p, const char *model, const odoo_search_options *opts,
                      odoo_rpc_error *err)
{
    json_object *res = NULL;
    int rc = search_call(&res, p, model, "search_count", opts, S_LIMIT, err);
    if (rc == 0 && !json_object_is_type(res, json_type_int)) {
        rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "search_count answered %s, not an integer",
                             res ? json_object_get_string(res) : "null");
        odoo__finish_error(p, err, model, "search_count");
    }
    if (rc == 0 && out)
        *out = json_object_get_int64(res);
    json_object_put(res);
    return rc;
}

int odoo_read(json_object **out, odoo_protocol *p, const char *model, json_object *ids,
              const char *const *fields, json_object *context, odoo_rpc_error *err)
{
    int rc = check_array(p, err, ids, "ids", model, "read", 1);
    if (rc)
        return rc;
    json_object *kw = json_object_new_object();
    int ok = kw && add_strings(kw, "fields", fields) == 0;
    return run(p, model, "read", ids, NULL, kw, context, out, err, ok);
}

int odoo_create(json_object **out, odoo_protocol *p, const char *model, json_object *vals,
                json_object *context, odoo_rpc_error *err)
{
    if (!vals || !(json_object_is_type(vals, json_type_object) || json_object_is_type(vals, json_type_array))) {
        odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "vals must be a JSON object or an array of objects");
        odoo__finish_error(p, err, model, "create");
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    json_object *args = json_object_new_array_ext(1);
    int ok = args && odoo__array_add(args, json_object_get(vals)) == 0;
    return run(p, model, "create", NULL, args, NULL, context, out, err, ok);
}

int odoo_create_one(int64_t *id, odoo_protocol *p, const char *model, json_object *vals, json_object *context,
                    odoo_rpc_error *err)
{
    if (id)
        *id = 0;
    if (p && model && !json_object_is_type(vals, json_type_object)) {
        odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "vals must be a JSON object (one record)");
        odoo__finish_error(p, err, model, "create");
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    json_object *res = NULL;
    int rc = odoo_create(&res, p, model, vals, context, err);
    if (rc)
        return rc;
    json_object *v = res;
    if (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 1)
        v = json_object_array_get_idx(v, 0); /* a list of one, as create([vals]) answers */
    if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0) {
        rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "create answered %s, not one record id",
                             res ? json_object_get_string(res) : "null");
        odoo__finish_error(p, err, model, "create");
    } else if (id) {
        *id = json_object_get_int64(v);
    }
    json_object_put(res);
    return rc;
}

int odoo_write(odoo_protocol *p, const char *model, json_object *ids, json_object *vals,
               json_object *context, odoo_rpc_error *err)
{
    int rc = check_array(p, err, ids, "ids", model, "write", 1);
    if (rc)
        return rc;
    if (!vals || !json_object_is_type(vals, json_type_object)) {
        odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "vals must be a JSON object");
        odoo__finish_error(p, err, model, "write");
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    json_object *res = NULL, *args = json_object_new_array_ext(1);
    int ok = args && odoo__array_add(args, json_object_get(vals)) == 0;
    rc = run(p, model, "write", ids, args, NULL, context, &res, err, ok);
    json_object_put(res);
    return rc;
}

int odoo_unlink(odoo_protocol *p, const char *model, json_object *ids, json_object *context,
                odoo_rpc_error *err)
{
    int rc = check_array(p, err, ids, "ids", model, "unlink", 1);
    if (rc)
        return rc;
    json_object *res = NULL;
    rc = run(p, model, "unlink", ids, NULL, NULL, context, &res, err, 1);
    json_object_put(res);
    return rc;
}

int odoo_fields_get(json_object **out, odoo_protocol *p, const char *model, const char *const *allfields,
                    const char *const *attributes, json_object *context, odoo_rpc_error *err)
{
    json_object *kw = json_object_new_object();
    int ok = kw && add_strings(kw, "allfields", allfields) == 0 && add_strings(kw, "attributes", attributes) == 0;
    return run(p, model, "fields_get", NULL, NULL, kw, context, out, err, ok);
}

int odoo_name_search(json_object **out, odoo_protocol *p, const char *model, const char *name,
                     json_object *domain, const char *op, int64_t limit, json_object *context,
                     odoo_rpc_error *err)
{
    int rc = check_array(p, err, domain, "domain", model, "name_search", 0);
    if (rc)
        return rc;
    /* The domain keyword is "args" up to Odoo 18 and "domain" from 19:
     * decide from the server's version, learning it once if needed. */
    const char *domain_kw = "domain";
    if (domain && json_object_array_length(domain) > 0) {
        if (odoo_server_version(p) == 0) {
            json_object *info = NULL;
            rc = odoo_version_info(&info, p, err);
            json_object_put(info);
            if (rc)
                return rc;
        }
        if (odoo_server_version(p) < 19)
            domain_kw = "args";
    }
    json_object *kw = json_object_new_object();
    int ok = kw && odoo__object_add(kw, "name", json_object_new_string(name ? name : "")) == 0;
    if (ok && domain && json_object_array_length(domain) > 0)
        ok = odoo__object_add(kw, domain_kw, json_object_get(domain)) == 0;
    if (ok && op && *op)
        ok = odoo__object_add(kw, "operator", json_object_new_string(op)) == 0;
    if (ok && limit > 0)
        ok = odoo__object_add(kw, "limit", json_object_new_int64(limit)) == 0;
    return run(p, model, "name_search", NULL, NULL, kw, context, out, err, ok);
}

int odoo__rows_options(odoo_protocol *p, const char *model, const odoo_search_options *opts,
                       odoo_search_options *o, odoo_rpc_error *err)
{
    return check_search(p, err, opts, o, model, "search_read", S_FIELDS | S_OFFSET | S_LIMIT | S_PAGE);
}

/* search_read_each and search_read_rows: checked once, one deadline and
 * cancel flag over every page. */
static int rows_entry(odoo_protocol *p, const char *model, const odoo_search_options *opts, const odoo__rows_out *out,
                      odoo_rpc_error *err)
{
    odoo_search_options given;
    int rc = odoo__rows_options(p, model, opts, &given, err);
    opts = &given;
    if (rc)
        return rc;
    if (!out->row && !out->record) {
        odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no callback given");
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    if (!p)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "connection is NULL");
    odoo__limits lim = { opts->timeout_ms, opts->cancel };
    odoo__limits_begin(p, &lim);
    odoo__stream s;
    odoo__pages g;
    odoo__stream_init(&s, p, out);
    odoo__pages_init(&g, p, model, opts);
    rc = odoo__pages_run(&g, &s, err);
    odoo__pages_release(&g);
    odoo__stream_release(&s);
    odoo__limits_end(p);
    return rc;
}

int odoo_search_read_each(odoo_protocol *p, const char *model, const odoo_search_options *opts,
                          odoo_record_cb cb, void *payload, odoo_rpc_error *err)
{
    odoo__rows_out out = { NULL, cb, payload };
    return rows_entry(p, model, opts, &out, err);
}

int odoo_search_read_rows(odoo_protocol *p, const char *model, const odoo_search_options *opts, odoo_row_cb row,
                          void *payload, odoo_rpc_error *err)
{
    odoo__rows_out out = { row, NULL, payload };
    return rows_entry(p, model, opts, &out, err);
}
