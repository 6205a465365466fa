/* XML-RPC response bodies shared by the codec and scanner tests. */
#ifndef TEST_XMLRPC_SAMPLES_H
#define TEST_XMLRPC_SAMPLES_H

#include <stddef.h>

#include <json-c/json.h>

/* A <methodResponse> around one value, and a fault around struct members. */
#define RESP(v) "<?xml version=\"1.0\"?><methodResponse><params><param><value>" v "</value></param></params></methodResponse>"
#define FAULT(m) "<?xml version=\"1.0\"?><methodResponse><fault><value><struct>" m "</struct></value></fault></methodResponse>"

/* Bodies every decoder must refuse with ODOO_ERR_PROTOCOL. */
extern const char *const xmlrpc_malformed[];
extern const size_t xmlrpc_malformed_count;

/* Same json types and values, doubles compared bit for bit (-0.0, NaN):
 * stricter than json_object_equal. */
int json_identical(json_object *a, json_object *b);

#endif
