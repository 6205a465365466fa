/* Private: json-c helpers shared by the base and the codecs. */
#ifndef ODOO_VALUE_H
#define ODOO_VALUE_H

#include <stddef.h>
#include <json-c/json_object.h>
#include "odoo/common.h"

/* Serialise compactly, without escaping '/'. Borrowed from obj (valid
 * until obj changes or is freed); *len receives the length. */
const char *odoo__json_to_string(json_object *obj, size_t *len);

/* Parse exactly len bytes as one JSON document. Returns 0 and a new
 * reference in *out (NULL for a JSON null), ODOO_ERR_NOMEM when memory ran
 * out, or -1 when the text is not
 * (exactly) JSON; a trailing newline or spaces are fine. Also -1 for JSON
 * the library refuses rather than decode wrongly: nesting deeper than
 * ODOO_MAX_NESTING, an integer beyond 64 bits (json-c would clamp it
 * silently: refused, as the XML-RPC decoder refuses one), invalid UTF-8,
 * or a \u0000 in an object key (json-c would cut the key there; in a
 * string value it is kept). What json-c 0.16 in strict mode takes, but a
 * key in single quotes (json-c takes {'a': 1}), as json-c reads it, but
 * the escaped pairs json-c turns into U+FFFD (U+1D800-U+1DFFF, U+2D800-
 * U+2DFFF, ...: it tests the pair's code point as one more surrogate):
 * one pass of the incremental decoder (jstream.h), the checks on the way. */
int odoo__json_parse(const char *text, size_t len, json_object **out);

/* Replace each byte of s[0..n) that is not part of a UTF-8 character by
 * '?', so that a server's text can go into a message as it is. */
void odoo__utf8_sanitize(char *s, size_t n);

/* 1 when the first fault odoo__json_parse finds in text is one of those
 * limits, with the reason and its byte offset in why; else 0 (why then
 * says why it is not JSON). For error messages: parses again. */
int odoo__json_refusal(const char *text, size_t len, char *why, size_t whylen);

/* A new object with the keys of each non-NULL source in turn (later
 * sources win). Values are shared (reference-counted), not copied.
 * Returns NULL when every source is NULL or empty, or on no memory
 * (*nomem set). */
json_object *odoo__merge_objects(json_object *const *sources, size_t n, int *nomem);

/* A new object with obj's keys except `skip` (values shared). */
json_object *odoo__object_without(json_object *obj, const char *skip);

/* A new array of the strings of a NULL-terminated list. */
json_object *odoo__string_array(const char *const *list);

/* Add key -> val to obj, taking ownership of val even on failure.
 * Returns 0 or -1. val NULL is a failure (a json_object_new_* out of
 * memory); a value that may be JSON null goes in with _add_value. */
int odoo__object_add(json_object *obj, const char *key, json_object *val);
int odoo__object_add_value(json_object *obj, const char *key, json_object *val);

/* Append val to arr, as odoo__object_add (NULL refused) and
 * odoo__array_add_value (NULL is JSON null). */
int odoo__array_add(json_object *arr, json_object *val);
int odoo__array_add_value(json_object *arr, json_object *val);

/* Shallow copy of an array (elements shared), or NULL. */
json_object *odoo__array_copy(json_object *arr);

/* Nonzero when name is a valid Odoo model name ("res.partner") or
 * method name ("search_read"): letters, digits, '_' ('.' for models),
 * 1 to 127 characters. Such names may go into a URL or header as-is. */
int odoo__valid_model_name(const char *name);
int odoo__valid_method_name(const char *name);

/* Nonzero when s can go into an HTTP header value as-is (no control
 * characters that could end the header or inject another one). */
int odoo__header_safe(const char *s);

/* A new "Name: value" header line, or NULL (no memory). The caller frees
 * it; lines holding secrets should be wiped first (odoo__free_secret). */
char *odoo__header_line(const char *name, const char *value);

/* A copy of url fit for messages and output: "user:password@" in the
 * authority becomes "***@". Caller frees; NULL when out of memory. */
char *odoo__url_for_display(const char *url);

/* Overwrite a string with zeros, then free it. NULL is fine. */
void odoo__free_secret(char *s);

#endif
