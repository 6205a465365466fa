/* Private: the library's names for the public buffer (odoo/sys/buf.h).
 *
 * The request envelopes are mostly constant text around a few strings and
 * the caller's arguments: writing them directly costs a fraction of
 * building json-c objects only to serialise them again. */
#ifndef ODOO_JSONBUF_H
#define ODOO_JSONBUF_H

#include <stddef.h>
#include <json-c/json_object.h>

#include "odoo/sys/buf.h"

typedef odoo_buf odoo_jsonbuf;

#define ODOO_JSONBUF_INIT ODOO_BUF_INIT
#define odoo__jb_raw odoo_buf_append
#define odoo__jb_lit odoo_buf_lit
#define odoo__jb_str odoo_buf_json_string
#define odoo__jb_int odoo_buf_int
#define odoo__jb_value odoo_buf_json_value
#define odoo__jb_reset odoo_buf_reset
#define odoo__jb_free odoo_buf_free

#endif
