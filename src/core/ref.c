/* External IDs through ir.model.data, and the database list. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/client.h"
#include "odoo/extra.h"
#include "odoo/memory.h"
#include "odoo/sys/protocol.h"
#include "../errors/error_internal.h"
#include "base.h"
#include "envelope.h"
#include "jsonbuf.h"
#include "value.h"

int odoo_ref_model(int64_t *out, char **model, odoo_protocol *p, const char *xmlid, odoo_rpc_error *err)
{
    if (out)
        *out = 0;
    if (model)
        *model = NULL;
    if (!p)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "ref: the connection is NULL");
    const char *dot = xmlid ? strchr(xmlid, '.') : NULL;
    if (!dot || dot == xmlid || !dot[1])
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "ref: an external ID is module.name (e.g. base.main_company)");
    /* [[["module", "=", m], ["name", "=", n]]], {"fields": ["model", "res_id"], "limit": 1},
     * written as text: one allocation to check instead of a dozen. */
    json_object *args = NULL, *kwargs = NULL, *res = NULL;
    char *module = odoo__strndup(xmlid, (size_t)(dot - xmlid));
    odoo_jsonbuf b = ODOO_JSONBUF_INIT;
    int rc;
    if (!module)
        return odoo__error_nomem(err);
    odoo__jb_lit(&b, "[[[\"module\",\"=\",");
    odoo__jb_str(&b, module);
    odoo__jb_lit(&b, "],[\"name\",\"=\",");
    odoo__jb_str(&b, dot + 1);
    odoo__jb_lit(&b, "]]]");
    free(module);
    rc = b.failed ? ODOO_ERR_NOMEM : odoo__json_parse(b.data, b.len, &args);
    odoo__jb_free(&b);
    if (!rc)
        rc = odoo__json_parse("{\"fields\":[\"model\",\"res_id\"],\"limit\":1}", 39, &kwargs);
    if (rc) {
        rc = rc == ODOO_ERR_NOMEM || b.failed ? odoo__error_nomem(err)
                                              : odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                                                "ref: the external ID is not UTF-8 text");
        goto done;
    }
    rc = odoo_execute_kw(&res, p, "ir.model.data", "search_read", args, kwargs, NULL, err);
    if (rc)
        goto done;
    json_object *row = json_object_is_type(res, json_type_array) && json_object_array_length(res)
                     ? json_object_array_get_idx(res, 0) : NULL;
    if (!json_object_is_type(res, json_type_array)) {
        rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "ref: ir.model.data search_read answered no list");
        goto done;
    }
    if (!row) {
        /* Odoo's own words (env.ref raises ValueError with them) */
        rc = odoo__error_set(err, ODOO_ERR_MISSING, "External ID not found in the system: %s", xmlid);
        goto done;
    }
    json_object *rid = NULL, *rmodel = NULL;
    if (!json_object_object_get_ex(row, "res_id", &rid) || !json_object_is_type(rid, json_type_int) ||
        json_object_get_int64(rid) <= 0 || !json_object_object_get_ex(row, "model", &rmodel) ||
        !json_object_is_type(rmodel, json_type_string)) {
        rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "ref: ir.model.data answered a row without model and res_id");
        goto done;
    }
    if (model && !(*model = odoo__strdup(json_object_get_string(rmodel)))) {
        rc = odoo__error_nomem(err);
        goto done;
    }
    if (out)
        *out = json_object_get_int64(rid);
done:
    json_object_put(args);
    json_object_put(kwargs);
    json_object_put(res);
    return rc;
}

int odoo_ref(int64_t *out, odoo_protocol *p, const char *xmlid, odoo_rpc_error *err)
{
    return odoo_ref_model(out, NULL, p, xmlid, err);
}

int odoo_db_list(json_object **out, odoo_protocol *p, odoo_rpc_error *err)
{
    if (out)
        *out = NULL;
    if (!p)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "db_list: the connection is NULL");
    if (p->ops->caps & ODOO_CAP_GATEWAY)
        return odoo__error_set(err, ODOO_ERR_UNSUPPORTED, "db_list: the gateway (%s) lists no databases", p->ops->name);
    json_object *params = json_object_new_object(), *res = NULL;
    if (!params || odoo__object_add(params, "service", json_object_new_string("db")) ||
        odoo__object_add(params, "method", json_object_new_string("list")) ||
        odoo__object_add(params, "args", json_object_new_array())) {
        json_object_put(params);
        return odoo__error_nomem(err);
    }
    /* Into a local error first: the HTTP status decides, even when the
     * caller passed no err. */
    odoo_rpc_error first = ODOO_RPC_ERROR_INIT;
    int rc = odoo__jsonrpc_call(p, "/jsonrpc", params, &res, &first);
    json_object_put(params);
    if (rc && first.http_status == 404) {
        /* No /jsonrpc (a JSON-2-only server, Odoo 20): the web client's route. */
        rc = odoo__jsonrpc_call(p, "/web/database/list", NULL, &res, err);
    } else if (rc && err) {
        odoo_rpc_error_clear(err);
        *err = first; /* moved: the strings now belong to err */
        first = (odoo_rpc_error)ODOO_RPC_ERROR_INIT;
    }
    odoo_rpc_error_clear(&first);
    if (rc == ODOO_ERR_AUTH || rc == ODOO_ERR_ACCESS) {
        /* list_db = False: Odoo raises AccessDenied, which reads as a login failure. */
        rc = ODOO_ERR_ACCESS;
        if (err) {
            err->kind = ODOO_ERR_ACCESS;
            odoo__error_set_message(err, "the server does not list its databases (list_db = False in its "
                                         "configuration): give the database name instead");
        }
    }
    if (rc) {
        json_object_put(res);
        return rc;
    }
    size_t n = json_object_is_type(res, json_type_array) ? json_object_array_length(res) : 0;
    int ok = json_object_is_type(res, json_type_array);
    for (size_t i = 0; ok && i < n; i++)
        ok = json_object_is_type(json_object_array_get_idx(res, i), json_type_string);
    if (!ok) {
        json_object_put(res);
        return odoo__error_set(err, ODOO_ERR_PROTOCOL, "db_list: the server answered something else than a list of names");
    }
    if (out)
        *out = res;
    else
        json_object_put(res);
    return 0;
}
