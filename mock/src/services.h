/* odoo-mock — the RPC services behind XML-RPC and /jsonrpc
 * (odoo.http.dispatch_rpc): common, db and object. */
#ifndef MOCK_SERVICES_H
#define MOCK_SERVICES_H

#include <json-c/json.h>

#include "errors.h"
#include "mock_internal.h"

/* *result is a new reference or NULL for None. */
int om_rpc_dispatch(odoo_mock *m, const char *service, const char *method, json_object *params,
                 json_object **result, mock_err *err);

/* Run one ORM call as uid with the right lock; shared with web/json2. */
int om_orm_call(odoo_mock *m, int uid, int flavor, const char *model, const char *method,
                  json_object *args, json_object *kwargs, json_object *context,
                  json_object *json2_ids, json_object *json2_params, json_object **result,
                  mock_err *err);

/* Python's int(x) for the uid parameter. */
int om_py_int(json_object *v, int64_t *out, mock_err *err);

#endif
