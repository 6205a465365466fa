/* xmlrpc-c as the tests' and benchmarks' oracle: an XML-RPC reader that
 * is not libodoo's, to check its decoders and its writer against.
 * libodoo itself does not link xmlrpc-c; this static library
 * (odoo_xmlrpc_oracle, defined in the top-level CMakeLists.txt) does.
 *
 * xmlrpc-c refuses documents over 512 KiB unless told otherwise, through
 * a process-wide limit: the oracle lifts it for its own process on first
 * use (xmlrpc_oracle_init). It keeps xmlrpc-c's nesting limit of 64. */
#ifndef XMLRPC_ORACLE_H
#define XMLRPC_ORACLE_H

#include <stddef.h>

#include <json-c/json_object.h>
#include "odoo/errors.h"
#include "adapters/xmlrpc_values.h"

/* Lift xmlrpc-c's size limit for this process. Idempotent, thread-safe;
 * every function below calls it. For a program that calls xmlrpc-c
 * itself (bench/floor.c). */
void xmlrpc_oracle_init(void);

/* A <methodResponse> read by xmlrpc_parse_response2, then converted to
 * json-c: an odoo_xmlrpc_parse_fn, as libodoo's own decoders. Returns 0,
 * ODOO_ERR_NOMEM or ODOO_ERR_PROTOCOL with xmlrpc-c's reason in why. */
int xmlrpc_oracle_parse(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen);

/* libodoo's interpretation of an answer (odoo__xmlrpc_decode_response_by)
 * on xmlrpc-c's reading of it. */
int xmlrpc_oracle_decode_response(const char *xml, size_t len, long http_status, const char *content_type,
                                  json_object **out, odoo_rpc_error *err);

/* A <methodCall> read by xmlrpc-c: *method (free()) and *params (a new
 * JSON array). Same returns as xmlrpc_oracle_parse. */
int xmlrpc_oracle_parse_call(const char *xml, size_t len, char **method, json_object **params, char *why,
                             size_t whylen);

#endif
