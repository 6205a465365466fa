/* odoo-mock tests — comparing a /doc-bearer 200 document of the mock with
 * a real Odoo 19 recording. The generic shape comparison cannot be used:
 * the real server documents ~50 methods and ~100 fields per model, the
 * mock only what it implements. What is compared (and why) is written
 * in doc_compare.c. */
#ifndef MOCK_TEST_DOC_COMPARE_H
#define MOCK_TEST_DOC_COMPARE_H

#include <json-c/json.h>
#include <stddef.h>

/* Where to ask the mock whether it runs a method it does not document:
 * its port and the request headers of the recording ("Authorization:
 * bearer ...", "X-Odoo-Database: ..."), NULL-terminated. */
typedef struct doc_probe {
    unsigned short port;
    const char *const *headers;
} doc_probe;

/* 1 when act (the mock's document) agrees with rec (the recording),
 * 0 otherwise with the reason in why. Model documents and the index. */
int doc_compare(const doc_probe *probe, json_object *rec, json_object *act, char *why, size_t ws);

#endif
