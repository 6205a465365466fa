/* odoo-mock tests — helpers: start an in-process mock, and call it
 * through each protocol with json-c values. */
#ifndef MOCK_TEST_SUPPORT_H
#define MOCK_TEST_SUPPORT_H

#include <json-c/json.h>

#include "http_client.h"
#include "odoo_mock.h"

odoo_mock *ts_start(int version, int partners);

/* POST /jsonrpc {"service","method","args"}; returns the whole envelope
 * (new ref) or NULL on transport errors. args is JSON text. */
json_object *ts_jsonrpc(odoo_mock *m, const char *service, const char *method, const char *args_json);
/* execute_kw as admin via /jsonrpc; returns the envelope. */
json_object *ts_execute(odoo_mock *m, int uid, const char *password, const char *model,
                        const char *method, const char *args_json, const char *kwargs_json);
/* result member or NULL */
json_object *ts_result(json_object *envelope);
/* error.data.name or NULL */
const char *ts_error_name(json_object *envelope);

/* web session: authenticate, returns the session id (malloc'd) or NULL */
char *ts_web_login(odoo_mock *m, const char *login, const char *password, json_object **envelope);
json_object *ts_call_kw(odoo_mock *m, const char *sid, const char *model, const char *method,
                        const char *args_json, const char *kwargs_json);

/* JSON-2: returns the parsed body (new ref), status in *status */
json_object *ts_json2(odoo_mock *m, const char *key, const char *model, const char *method,
                      const char *params_json, int *status);

/* raw POST of a body, returns status (and fills r, caller frees) */
int ts_post(odoo_mock *m, const char *path, const char *ctype, const char *body, http_response *r);

#endif
