/* odoo-mock — the documents of Odoo 19's module api_doc
 * (/doc-bearer/<model>.json and /doc-bearer/index.json): every public
 * method the mock runs, with the parameter names, order, defaults and
 * api flags of the real server, and fields_get of every field. */
#ifndef MOCK_API_DOC_H
#define MOCK_API_DOC_H

#include <json-c/json.h>

#include "store.h"

/* {"model", "name", "doc", "fields", "methods"}, or NULL when the model
 * does not exist. Store lock held (read). */
json_object *om_doc_model(store *st, const char *model_name);

/* {"modules", "models": [{"model", "name", "fields", "methods"}]}. */
json_object *om_doc_index(store *st);

/* For the tests: every ORM method is either documented or deliberately
 * left out (as Odoo 19 leaves it out), never both. */
int om_doc_is_documented(const char *method);
int om_doc_is_undocumented(const char *method);

#endif
