/* Private: the default XML-RPC response decoder (xmlrpc_scan.c), a
 * scanner for the XML Python's xmlrpc.client writes, with the expat
 * decoder (xmlrpc_sax.h) behind it for everything else. */
#ifndef ODOO_XMLRPC_SCAN_H
#define ODOO_XMLRPC_SCAN_H

#include <stddef.h>

#include "xmlrpc_values.h"

/* The default decoder (an odoo_xmlrpc_parse_fn): the scanner, then expat
 * if it gave up. */
int odoo__xmlrpc_parse(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen);

/* The scanner alone. It takes a document only when it is well-formed
 * XML in the subset Python's xmlrpc.client writes (an optional UTF-8
 * declaration; methodResponse, params, param, fault, value, struct,
 * member, name, array, data and the scalar types, without attributes;
 * the five predefined entities and character references; any text expat
 * would ignore) and decodes exactly as odoo__xmlrpc_parse_expat would.
 * Anything else, errors included, returns ODOO_XMLRPC_SCAN_GAVE_UP with
 * the reason and its byte offset in why, and *out empty: decode the
 * document with expat then. Otherwise 0 or ODOO_ERR_NOMEM. */
#define ODOO_XMLRPC_SCAN_GAVE_UP 1
int odoo__xmlrpc_parse_scan(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen);

/* The scanner's character data check, for the incremental decoder
 * (xmlrpc_stream.c): the text [p, lt), lt pointing at its '<', checked
 * as expat checks it. 0 with *t and *n the text (at p, or decoded into
 * scratch when it held references or CRs), ODOO_XMLRPC_SCAN_GAVE_UP
 * when expat would refuse it or the scanner does not read it, or
 * ODOO_ERR_NOMEM. */
int odoo__xmlrpc_scan_text(const char *p, const char *lt, odoo_xmlrpc_text *scratch, const char **t, size_t *n);

#endif
