/* Private: writing JSON text straight into a reusable buffer.
 *
 * The request envelopes are mostly constant text around a few strings and
 * the caller's arguments: writing them directly costs a fraction of
 * building json-c objects only to serialise them again. */
#ifndef ODOO_JSONBUF_H
#define ODOO_JSONBUF_H

#include <stddef.h>
#include <json-c/json_object.h>

typedef struct odoo_jsonbuf {
    char *data;
    size_t len, cap;
    int failed;     /* set when an append ran out of memory; checked once at the end */
} odoo_jsonbuf;

#define ODOO_JSONBUF_INIT { NULL, 0, 0, 0 }

/* Appends. On allocation failure they set b->failed and do nothing more. */
void odoo__jb_raw(odoo_jsonbuf *b, const char *s, size_t n);
#define odoo__jb_lit(b, lit) odoo__jb_raw((b), (lit), sizeof(lit) - 1)
void odoo__jb_str(odoo_jsonbuf *b, const char *s);      /* a quoted, escaped JSON string */
void odoo__jb_int(odoo_jsonbuf *b, long long v);
void odoo__jb_value(odoo_jsonbuf *b, json_object *v);   /* any json-c value; NULL is null */

/* Empty it for the next request; the memory is kept (and zeroed when it
 * may hold a secret). */
void odoo__jb_reset(odoo_jsonbuf *b, int wipe);
void odoo__jb_free(odoo_jsonbuf *b);

#endif
