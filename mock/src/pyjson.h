/* odoo-mock — JSON the way Python's json module writes it (default
 * separators ", " and ": ", ensure_ascii=False, float repr), plus a
 * strict parser that reports errors like json.decoder does. */
#ifndef MOCK_PYJSON_H
#define MOCK_PYJSON_H

#include <json-c/json.h>
#include <stddef.h>

#include "util.h"

/* Python repr() of a float. json_mode: NaN/Infinity spelled as JSON-ish
 * Python does ("NaN", "Infinity"); otherwise "nan"/"inf". out >= 40. */
void om_py_float_repr(double x, int json_mode, char *out);

/* Append the Python json.dumps() text of v (NULL = null). */
void om_pyjson_dump(strbuf *sb, json_object *v);
/* Same, returned as a malloc'd string. */
char *om_pyjson_dumps(json_object *v, size_t *len);

/* Compact JSON (separators "," and ":", like serde_json), malloc'd. */
char *om_json_dumps_compact(json_object *v, size_t *len);

/* Parse text (len bytes). Returns 0 and *out (a new reference; NULL for
 * the JSON null) or -1 with a Python-style message such as
 * "Expecting value: line 1 column 30 (char 29)" in errmsg. */
int om_pyjson_parse(const char *text, size_t len, json_object **out, char *errmsg, size_t errsize);

/* Python repr() of a JSON value (str -> 'x', True, False, None, lists,
 * tuples not distinguished). Used for error messages. */
void om_py_repr(strbuf *sb, json_object *v);

#endif
