/* Reading the recorded exchanges in tests/fixtures. */
#ifndef TEST_FIXTURES_H
#define TEST_FIXTURES_H

#include <stddef.h>
#include <json-c/json.h>

/* The whole fixture document for a path relative to tests/fixtures
 * ("odoo19/json2/03-search_read.json"); new reference; aborts if missing. */
json_object *fixture_load(const char *rel);

/* A string member of the fixture's "request" or "response" ("body",
 * "path", "method"); borrowed from fx. */
const char *fixture_str(json_object *fx, const char *part, const char *key);
/* The response status. */
int fixture_status(json_object *fx);
/* A response or request header (first value when repeated), or NULL. */
const char *fixture_header(json_object *fx, const char *part, const char *name);

/* The sorted file names (not paths) in a fixture folder ("odoo19/xmlrpc");
 * returns the count; free with fixture_list_free. */
size_t fixture_list(const char *folder, char ***names);
void fixture_list_free(char **names, size_t n);

/* Parse a JSON text (new reference; NULL if invalid). */
json_object *json_parse(const char *text);

/* Semantic JSON equality (object key order ignored). */
int json_equal(json_object *a, json_object *b);

/* Read a whole file; NULL if it cannot. Caller frees. */
char *fixture_read_file(const char *path, size_t *len);

#endif
