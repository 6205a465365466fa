/* The tests' JSON oracle: odoo__json_parse as it was before issue 12
 * (value.c as of 4fc5743): json_tokener in strict mode, then the
 * library's checks (UTF-8, integers beyond 64 bits, \u0000 in a key, the
 * nesting limit). Since then odoo__json_parse runs the incremental
 * decoder (core/jstream.h); the unit test test_json_dom_equiv.c and the
 * fuzz harnesses fuzz_json_stream.c and fuzz_cursor.c check it against
 * this, one copy, with the differences allowed recognised here.
 *
 * A result: rc 0 (value, a new reference; NULL for a JSON null), -1 not
 * JSON, 1 refused (a limit of the library), -2 no memory; why the reason,
 * with "at byte N" where it has a place. */
#ifndef JSON_ORACLE_H
#define JSON_ORACLE_H

#include <stddef.h>

#include <json-c/json_object.h>

typedef struct {
    int rc;
    json_object *value;
    char why[200];
} json_oracle_result;

/* The oracle itself, as odoo__json_parse was. */
int json_oracle_parse(const char *text, size_t len, json_object **out, char *why, size_t whylen);
void json_oracle_reference(json_oracle_result *r, const char *text, size_t len);
/* The library's DOM path: odoo__json_parse, its reason (and whether it
 * is a refusal) from odoo__json_refusal. */
void json_oracle_library(json_oracle_result *r, const char *text, size_t len);
/* The incremental decoder and its DOM builder, fed in chunks of chunk
 * bytes (0: whole): odoo__jstream_parse. */
void json_oracle_jstream(json_oracle_result *r, const char *text, size_t len, size_t chunk);
/* Drops r->value. */
void json_oracle_result_free(json_oracle_result *r);

typedef enum {
    JSON_ORACLE_AGREE,          /* same value (same types, member order, printed text), or the same failure */
    JSON_ORACLE_SINGLE_QUOTED,  /* json-c took a key in single quotes ({'a': 1}): refused now */
    JSON_ORACLE_EARLIER_FAULT,  /* both fail, for faults at two places: the new path names the first in the text */
    JSON_ORACLE_SURROGATE_PAIR, /* an escaped pair json-c 0.16 decodes to U+FFFD: the new path gives the character */
    JSON_ORACLE_DIFFER          /* anything else: detail says what */
} json_oracle_verdict;

/* want the oracle's result on text, got the new path's. On
 * JSON_ORACLE_DIFFER, detail (may be NULL) says how they differ. Syntax
 * errors agree when got's reason starts "not JSON (" or is want's:
 * json_tokener names the byte where it stopped, the decoder the token at
 * fault. Refusals agree when of the same kind at the same byte. */
json_oracle_verdict json_oracle_compare(const char *text, size_t len, const json_oracle_result *want,
                                        const json_oracle_result *got, char *detail, size_t detaillen);

/* The N of "at byte N" in why, or -1. */
long json_oracle_at_byte(const char *why);
/* text escaped and cut, for a failure message; a static buffer. */
const char *json_oracle_shown(const char *text, size_t len);

#endif
