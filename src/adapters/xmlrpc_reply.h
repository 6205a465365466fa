/* Private: from the bytes of an XML-RPC answer to the caller's result or
 * error (xmlrpc_reply.c), whichever decoder reads them.
 *
 * Two decoders. The default is a hand-written scanner for the subset of
 * XML that Python's xmlrpc.client (hence Odoo) writes (xmlrpc_scan.c); it
 * gives up on anything else - a comment, an attribute, CDATA, another
 * encoding, any error - and the one-pass expat decoder (xmlrpc_sax.c)
 * decodes the document again, with the final say on values and errors.
 * The tests compare both with xmlrpc-c (tests/support/xmlrpc_oracle.h):
 * they agree on every recorded Odoo answer but one double, which
 * xmlrpc-c reads 0.01 one unit in the last place high. */
#ifndef ODOO_XMLRPC_REPLY_H
#define ODOO_XMLRPC_REPLY_H

#include <stddef.h>

#include <json-c/json_object.h>
#include "odoo/errors.h"
#include "xmlrpc_values.h"

typedef enum odoo_xmlrpc_decoder {
    ODOO_XMLRPC_DECODER_SCAN = 0,   /* the default: the scanner, expat when it gives up */
    ODOO_XMLRPC_DECODER_EXPAT       /* expat alone, one pass, straight to json-c */
} odoo_xmlrpc_decoder;

/* Decode one HTTP answer of an XML-RPC endpoint (/xmlrpc/2/<service>).
 * On success *out is the result (a new reference; NULL for <nil/>). A
 * fault {faultCode: int, faultString} becomes the error
 * odoo__error_from_fault() makes of it; a body that is no XML-RPC answer
 * (HTML 405 page, truncated or malformed XML, empty body) is
 * odoo__error_from_http()'s error, keeping the status and the first
 * bytes. The status is recorded in err either way. */
int odoo__xmlrpc_decode_response(const char *xml, size_t len, long http_status, const char *content_type,
                                 json_object **out, odoo_rpc_error *err);
int odoo__xmlrpc_decode_response_with(odoo_xmlrpc_decoder decoder, const char *xml, size_t len,
                                      long http_status, const char *content_type, json_object **out,
                                      odoo_rpc_error *err);
/* The same with any decoder: the tests' xmlrpc-c oracle goes through the
 * same interpretation. */
int odoo__xmlrpc_decode_response_by(odoo_xmlrpc_parse_fn *parse, const char *xml, size_t len, long http_status,
                                    const char *content_type, json_object **out, odoo_rpc_error *err);

#endif
