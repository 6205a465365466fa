/* odoo-mock — XML-RPC codec.
 *
 * Parsing follows Python's xmlrpc.client.Unmarshaller (which is what Odoo
 * uses): a flat value stack, untyped <value> means string, namespaced tags
 * such as <ex:nil/> lose their prefix, <nil/> is accepted, integers of any
 * size are accepted. <dateTime.iso8601> becomes the Odoo string form
 * "YYYY-MM-DD HH:MM:SS"; <base64> becomes a marker object (see
 * om_xr_is_binary) because the ORM does not understand Binary objects.
 *
 * Serialisation reproduces Python's Marshaller byte for byte (as seen in
 * the recorded exchanges). */
#ifndef MOCK_XMLRPC_H
#define MOCK_XMLRPC_H

#include <json-c/json.h>
#include <stddef.h>

#include "util.h"

/* Result of parsing a methodCall. */
typedef struct xr_call {
    char *method;        /* NULL when absent */
    json_object *params; /* array (never NULL on success) */
} xr_call;

enum { XR_OK = 0, XR_EXPAT = 1, XR_VALUE = 2, XR_TYPE = 3 };

/* Returns XR_OK, or an error class with a Python-style message:
 * XR_EXPAT  -> xml.parsers.expat.ExpatError "syntax error: line 1, column 0"
 * XR_VALUE  -> ValueError (e.g. bad int literal)
 * XR_TYPE   -> TypeError ("bad boolean value") */
int om_xr_parse_call(const char *body, size_t len, xr_call *out, char *err, size_t errsize);
void om_xr_call_free(xr_call *c);

/* Marker for <base64> values. */
int om_xr_is_binary(json_object *v);

/* Serialise a successful response. Returns 0, or
 *  1 -> TypeError "cannot marshal None unless allow_none is enabled"
 *  2 -> OverflowError "int exceeds XML-RPC limits"
 * in which case sb is left untouched. */
int om_xr_dump_response(strbuf *sb, json_object *result);

/* Fault with an integer code. */
void om_xr_dump_fault_int(strbuf *sb, int code, const char *fault_string);
/* Fault with a string code (legacy /xmlrpc/<service> endpoints). */
void om_xr_dump_fault_str(strbuf *sb, const char *code, const char *fault_string);

#endif
