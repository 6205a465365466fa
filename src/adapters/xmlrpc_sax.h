/* Private: the expat XML-RPC decoder (xmlrpc_sax.c), expat events
 * straight to json-c in one pass: a <methodResponse> (the fallback of
 * the default decoder, xmlrpc_scan.h) or a <methodCall> (odoo-bridge
 * reads its clients' requests with it). */
#ifndef ODOO_XMLRPC_SAX_H
#define ODOO_XMLRPC_SAX_H

#include <stddef.h>

#include <json-c/json_object.h>
#include "xmlrpc_values.h"

/* A <methodResponse> (an odoo_xmlrpc_parse_fn). */
int odoo__xmlrpc_parse_expat(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen);

/* A <methodCall>: *method (free()) and *params (a new JSON array, empty
 * when the call has no <params>). Returns 0, ODOO_ERR_NOMEM or
 * ODOO_ERR_PROTOCOL with the reason in why, *method and *params NULL
 * then. The buffers that held the text (the caller's secret) are wiped
 * before they are freed. */
int odoo__xmlrpc_parse_call_expat(const char *xml, size_t len, char **method, json_object **params, char *why,
                                  size_t whylen);

#endif
