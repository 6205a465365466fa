/* Private: what the XML-RPC decoders share (xmlrpc_values.c) - the reply
 * they fill, the text of a scalar element to its json-c value, and the
 * helpers behind it: a text buffer, Odoo's datetime text, base64 text,
 * the "C" locale for numbers.
 *
 * Values map one to one: struct -> object, array -> array, int/i4/i8 ->
 * int64, double, boolean, string, nil -> null, dateTime.iso8601 ->
 * "YYYY-MM-DD HH:MM:SS" (Odoo's own text form), base64 -> base64 text.
 *
 * Who includes whom (no header includes another xmlrpc_*.h but this one):
 *   xmlrpc_values.h  <- xmlrpc_sax.h, xmlrpc_scan.h, xmlrpc_reply.h
 *   xmlrpc_write.h      (odoo/sys/buf.h only)
 * and the .c files: xmlrpc_values.c, xmlrpc_write.c (values.h, write.h),
 * xmlrpc_sax.c (sax.h), xmlrpc_scan.c (scan.h, sax.h for its fallback),
 * xmlrpc_reply.c (reply.h, scan.h, sax.h), xmlrpc.c (write.h, reply.h),
 * xmlrpc_stream.c (stream.h, scan.h, values.h; the cursor's incremental
 * decoder, whose header includes core/jstream.h for the events). */
#ifndef ODOO_XMLRPC_VALUES_H
#define ODOO_XMLRPC_VALUES_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json_object.h>
#include "odoo/common.h"
#include "odoo/errors.h"

/* Deepest nesting of arrays and structs either way: the library's one
 * limit for every decoder and the writer (odoo/common.h). */
#define ODOO_XMLRPC_MAX_DEPTH ODOO_MAX_NESTING

/* What a <methodResponse> holds, before any interpretation: the result,
 * or (fault set) the fault struct {faultCode, faultString}. */
typedef struct odoo_xmlrpc_reply {
    json_object *value;   /* owned; NULL for <nil/> */
    int fault;
} odoo_xmlrpc_reply;

/* A decoder: 0 with *out filled, ODOO_ERR_NOMEM, or ODOO_ERR_PROTOCOL
 * with the reason, never the body, in why; *out is empty on failure. */
typedef int odoo_xmlrpc_parse_fn(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen);

/* A growing text buffer; zero-initialise it, free() its data. */
typedef struct odoo_xmlrpc_text {
    char *data;
    size_t len, cap;
} odoo_xmlrpc_text;

/* Grow b to hold n more bytes and a NUL; 0 or -1 (out of memory). */
int odoo__xmlrpc_text_grow(odoo_xmlrpc_text *b, size_t n);

static inline int odoo__xmlrpc_text_reserve(odoo_xmlrpc_text *b, size_t n)
{
    return b->cap - b->len > n ? 0 : odoo__xmlrpc_text_grow(b, n);
}

/* The scalar types; the order is the one of xmlrpc_sax.c's tags. */
typedef enum odoo_xmlrpc_scalar {
    ODOO_XMLRPC_STRING,     /* <string>, and a <value> with text only */
    ODOO_XMLRPC_INT,        /* <int>, <i4>: 64 bits, as Python reads them */
    ODOO_XMLRPC_I8,         /* <i8>, <ex:i8> */
    ODOO_XMLRPC_BOOLEAN,
    ODOO_XMLRPC_DOUBLE,
    ODOO_XMLRPC_DATETIME,   /* -> "YYYY-MM-DD HH:MM:SS[.ffffff]" */
    ODOO_XMLRPC_BASE64      /* -> the canonical base64 text */
} odoo_xmlrpc_scalar;

/* The json value of a scalar element whose (entity-decoded) text is s,
 * n bytes. s[n] must be readable and end a number: a NUL, or the '<' of
 * the end tag when s points into the document. Returns 0 with *out (a
 * new reference), ODOO_ERR_NOMEM, or ODOO_ERR_PROTOCOL with the reason
 * in why (at most 32 bytes of the text quoted). */
int odoo__xmlrpc_scalar(odoo_xmlrpc_scalar type, const char *s, size_t n, json_object **out, char *why,
                        size_t whylen);

/* The integer of <int>, <i4>, <i8> (what odoo__xmlrpc_scalar reads
 * there, without a json value): 0 with *out, or -1 (not a 64-bit integer). */
int odoo__xmlrpc_parse_int(const char *s, size_t n, int64_t *out);

/* Odoo's datetime text, "YYYY-MM-DD HH:MM:SS" (".ffffff" appended only
 * when usec is not 0), into out (at least 32 bytes). */
void odoo__xmlrpc_datetime_text(char *out, size_t outlen, unsigned year, unsigned month, unsigned day,
                                unsigned hour, unsigned minute, unsigned second, unsigned usec);

/* A new json string holding the padded base64 text (no line breaks) of
 * n bytes, or NULL when out of memory. */
json_object *odoo__xmlrpc_base64_string(const unsigned char *bytes, size_t n);

/* The "C" locale for numbers, whatever the application set with
 * setlocale(): XML-RPC doubles always use '.'. (locale_t)0 if it could
 * not be created (then the current locale is used). */
locale_t odoo__xmlrpc_c_locale(void);

#endif
