/* Private: the text of an XML-RPC scalar element to its json-c value,
 * shared by the two one-pass decoders (xmlrpc_sax.c, xmlrpc_scan.c) so
 * that they read every number, date and base64 text the same way. */
#ifndef ODOO_XMLRPC_VALUES_H
#define ODOO_XMLRPC_VALUES_H

#include <stddef.h>

#include <json-c/json_object.h>

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

#endif
