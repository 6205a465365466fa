/* Private: the XML-RPC request writer (xmlrpc_write.c), a call to bytes.
 *
 * An integer within 32 bits is an <int>, a wider one an <i8>; every
 * string, binary field values included, is a <string> (Odoo's ORM does
 * not understand <base64>); null is <nil/>.
 *
 * Written here rather than by xmlrpc-c 1.33, whose serializer rejects
 * characters beyond U+FFFF, sends CR raw (the server's parser turns it
 * into LF), sends control characters raw (invalid XML) and prints doubles
 * to 16 digits (-4.3517103 goes out as -4.351710299999999). */
#ifndef ODOO_XMLRPC_WRITE_H
#define ODOO_XMLRPC_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json_object.h>
#include "odoo/errors.h"
#include "odoo/sys/buf.h"

/* Write a call into b in three steps: begin (empties b, wiping what it
 * held: the last request's password), one param_* per parameter, end.
 * The caller owns b (ODOO_BUF_INIT; odoo_buf_reset(b, 1) after the send,
 * odoo_buf_free at the end, both wipe) and reuses its memory for every
 * call; b->data is NUL-terminated. Each returns 0, ODOO_ERR_NOMEM,
 * ODOO_ERR_INVALID_ARGUMENT (not UTF-8, nested too deeply) or
 * ODOO_ERR_UNSUPPORTED (a control character or U+FFFE/U+FFFF, which XML
 * 1.0 cannot carry). Error messages never quote the offending text: it
 * may be a secret. */
int odoo__xmlrpc_call_begin(odoo_buf *b, const char *method, odoo_rpc_error *err);
int odoo__xmlrpc_call_param(odoo_buf *b, json_object *value, odoo_rpc_error *err);
int odoo__xmlrpc_call_param_string(odoo_buf *b, const char *s, odoo_rpc_error *err);
int odoo__xmlrpc_call_param_int(odoo_buf *b, int64_t v, odoo_rpc_error *err);
int odoo__xmlrpc_call_end(odoo_buf *b, odoo_rpc_error *err);

/* The whole <methodCall> for method(*params), params a JSON array
 * (borrowed). *xml receives a new NUL-terminated buffer the caller frees
 * with free(), *len its length. */
int odoo__xmlrpc_encode_call(const char *method, json_object *params, char **xml, size_t *len,
                             odoo_rpc_error *err);

#endif
