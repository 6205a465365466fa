/*
 * libodoo — the growable byte buffer adapters write requests into.
 *
 *     odoo_buf b = ODOO_BUF_INIT;
 *     odoo_buf_lit(&b, "{\"db\":");
 *     odoo_buf_json_string(&b, db);
 *     ...
 *     if (b.failed) return odoo_error_nomem(err);
 *     odoo_buf_reset(&b, 1);   // wipe: it held a password
 *     odoo_buf_free(&b);
 *
 * Appends never fail loudly: out of memory sets b->failed once and later
 * appends do nothing, so a writer checks once at the end. The buffer never
 * reallocs (the old block would go back to the heap holding what it held,
 * a password): it copies, wipes and frees. data is NUL-terminated after
 * any append.
 */
#ifndef ODOO_SYS_BUF_H
#define ODOO_SYS_BUF_H

#include <stddef.h>
#include "../common.h"

ODOO_BEGIN_DECLS

typedef struct odoo_buf {
    char *data;     /* owned; NULL until the first append */
    size_t len, cap;
    int failed;     /* an append ran out of memory */
} odoo_buf;

#define ODOO_BUF_INIT { NULL, 0, 0, 0 }

ODOO_EXTERN(void) odoo_buf_append(odoo_buf *b, const char *s, size_t n);
/** Make room for n more bytes at once (one allocation for a known size).
 *  Returns 0, or ODOO_ERR_NOMEM (b->failed set). */
ODOO_EXTERN(int) odoo_buf_reserve(odoo_buf *b, size_t n);
#define odoo_buf_lit(b, lit) odoo_buf_append((b), (lit), sizeof(lit) - 1)
/** s (NUL-terminated UTF-8) as a quoted, escaped JSON string. */
ODOO_EXTERN(void) odoo_buf_json_string(odoo_buf *b, const char *s);
ODOO_EXTERN(void) odoo_buf_int(odoo_buf *b, long long v);
/** Any json-c value as JSON text; NULL is null. */
ODOO_EXTERN(void) odoo_buf_json_value(odoo_buf *b, json_object *v);
/** Empty it, keeping the memory; wipe zeroes the bytes written first. */
ODOO_EXTERN(void) odoo_buf_reset(odoo_buf *b, int wipe);
/** Wipe and free; b is empty and reusable afterwards. */
ODOO_EXTERN(void) odoo_buf_free(odoo_buf *b);

ODOO_END_DECLS

#endif
