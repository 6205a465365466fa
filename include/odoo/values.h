/*
 * libodoo — values without JSON text: domains and literals parsed from the
 * form people copy from Odoo code, and builders for the vals of create and
 * write.
 *
 *     json_object *dom = NULL;
 *     odoo_domain_parse(&dom, "[('is_company', '=', True), '|', "
 *                             "('name', 'ilike', 'a'), ('id', 'in', (1, 2))]", &err);
 *
 *     json_object *vals = odoo_vals_new();
 *     odoo_vals_set_string(vals, "name", "Azure Interior");
 *     odoo_vals_set_many2one(vals, "country_id", 21);
 *     odoo_vals_x2many_link(vals, "category_id", 3);
 *     odoo_create(&id, p, "res.partner", vals, NULL, &err);
 *     json_object_put(vals);
 *
 * Every value is a json-c object the caller owns (json_object_put).
 */
#ifndef ODOO_VALUES_H
#define ODOO_VALUES_H

#include "common.h"
#include "errors.h"
#include "memory.h"

ODOO_BEGIN_DECLS

/** Parse one literal: JSON, or the Python literal form of Odoo code and
 *  forum answers. Accepted, in any mix:
 *  - lists [..] and tuples (..) (both become JSON arrays; (x) is x, (x,) a
 *    one-element array, as in Python), dicts {"k": v} with string keys,
 *    trailing commas;
 *  - True/False/None and true/false/null;
 *  - strings in '..' or "..", with an optional u/r prefix, Python's
 *    escapes (\n \t \\ \' \" \xHH \uXXXX \UXXXXXXXX \ooo, line
 *    continuation) and JSON's \/; surrogate pairs are joined;
 *  - integers (64-bit; 1_000, 0x1F, a sign), floats (1.5, .5, 1e-3, -2.).
 *  Refused with ODOO_ERR_INVALID_ARGUMENT and a message naming the byte
 *  offset (and line:column): anything else (names, calls, sets, bytes
 *  b'..', triple quotes, an integer beyond 64 bits, invalid UTF-8, nesting
 *  deeper than ODOO_MAX_NESTING, text after the value). text is read up to
 *  its NUL. *out receives a new reference (NULL for None/null). */
ODOO_EXTERN(int) odoo_literal_parse(json_object **out, const char *text, odoo_rpc_error *err);

/** Parse a domain (see odoo_literal_parse for the syntax) and check its
 *  shape: a list whose items are the operators "&", "|", "!" or terms of
 *  three items (field name or path, operator, value; Odoo's TRUE_LEAF and
 *  FALSE_LEAF (1, '=', 1) / (0, '=', 1) are terms too), with every "&",
 *  "|" and "!" followed by its operands (Odoo's prefix notation; a missing
 *  operand is refused, naming the operator's offset). An empty text or
 *  "[]" gives an empty array. *out receives a new array reference. */
ODOO_EXTERN(int) odoo_domain_parse(json_object **out, const char *text, odoo_rpc_error *err);

/* ---- vals: the dict of create and write ----
 *
 * The setters replace the field's value when it is already set, and
 * return 0, ODOO_ERR_INVALID_ARGUMENT (NULL vals or field, vals not an
 * object, a string that is not UTF-8, a float that is not finite) or
 * ODOO_ERR_NOMEM. Odoo's "empty" is false, not null: to empty a field, use
 * odoo_vals_set_bool(vals, field, 0) (odoo_vals_set_null sends None, which
 * XML-RPC carries as <nil/> and Odoo reads as False in most fields). */

/** A new, empty vals object (NULL when out of memory). The caller owns it. */
ODOO_EXTERN(json_object *) odoo_vals_new(void);

/** value NULL sets false (an empty char field). The string is copied. */
ODOO_EXTERN(int) odoo_vals_set_string(json_object *vals, const char *field, const char *value);
ODOO_EXTERN(int) odoo_vals_set_int(json_object *vals, const char *field, int64_t value);
ODOO_EXTERN(int) odoo_vals_set_float(json_object *vals, const char *field, double value);
ODOO_EXTERN(int) odoo_vals_set_bool(json_object *vals, const char *field, int value);
ODOO_EXTERN(int) odoo_vals_set_null(json_object *vals, const char *field);

/** A many2one: the id, or false when id is 0 (clears the link). A negative
 *  id is ODOO_ERR_INVALID_ARGUMENT. */
ODOO_EXTERN(int) odoo_vals_set_many2one(json_object *vals, const char *field, int64_t id);

/** A plain list of ids ([1, 2, 3]). Every Odoo version since 8 reads it as
 *  "replace by these" in an x2many write, but the portable form is the
 *  command odoo_vals_x2many_set. ids may be NULL when n is 0; ids must be
 *  positive. */
ODOO_EXTERN(int) odoo_vals_set_ids(json_object *vals, const char *field, const int64_t *ids, size_t n);

/** Any json-c value (borrowed: the vals take their own reference; NULL is
 *  JSON null). */
ODOO_EXTERN(int) odoo_vals_set_value(json_object *vals, const char *field, json_object *value);

/** A binary field from bytes: base64 text (standard alphabet, padded),
 *  which is what every protocol sends for binary fields. data may be NULL
 *  when len is 0 (an empty binary: false, as Odoo stores it). */
ODOO_EXTERN(int) odoo_vals_set_binary(json_object *vals, const char *field, const void *data, size_t len);

/** Decode a binary field as read from Odoo (base64 text; false or null for
 *  none): *out receives a new buffer the caller frees with odoo_free() (NULL
 *  with *len 0 for none; one NUL byte is added after the data for text),
 *  *len its length. ODOO_ERR_INVALID_ARGUMENT when value is not a string,
 *  false or null, or not base64 (line breaks are allowed). */
ODOO_EXTERN(int) odoo_binary_decode(void **out, size_t *len, json_object *value);

/* ---- x2many commands (Odoo's Command: one2many and many2many fields) ----
 *
 * Each call appends one command to the list at vals[field] (created when
 * the field is not set yet; ODOO_ERR_INVALID_ARGUMENT when it is set to
 * something that is not a list), in Odoo's three-item form:
 *   create (0, 0, sub_vals)   update (1, id, sub_vals)   delete (2, id, 0)
 *   unlink (3, id, 0)         link   (4, id, 0)          clear  (5, 0, 0)
 *   set    (6, 0, [ids])
 * sub_vals is borrowed (the command takes its own reference); ids must be
 * positive. */
ODOO_EXTERN(int) odoo_vals_x2many_create(json_object *vals, const char *field, json_object *sub_vals);
ODOO_EXTERN(int) odoo_vals_x2many_update(json_object *vals, const char *field, int64_t id, json_object *sub_vals);
ODOO_EXTERN(int) odoo_vals_x2many_delete(json_object *vals, const char *field, int64_t id);
ODOO_EXTERN(int) odoo_vals_x2many_unlink(json_object *vals, const char *field, int64_t id);
ODOO_EXTERN(int) odoo_vals_x2many_link(json_object *vals, const char *field, int64_t id);
ODOO_EXTERN(int) odoo_vals_x2many_clear(json_object *vals, const char *field);
ODOO_EXTERN(int) odoo_vals_x2many_set(json_object *vals, const char *field, const int64_t *ids, size_t n);

ODOO_END_DECLS

#endif
