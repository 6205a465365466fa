/* libFuzzer harness: the row cursor (odoo/cursor.h) on any bytes, fed in
 * chunks the input's length picks. It agrees with odoo__json_parse: on
 * a body the DOM path refuses the cursor ends in an error, never DONE;
 * on an accepted array of records (bare, or an envelope's "result") it
 * ends DONE with the DOM's records, equal. Errors keep the promises of
 * fuzz_check_error. The DOM path itself agrees with the oracle, json-c
 * as the library read JSON before issue 12 (json_oracle.h), but for the
 * differences json_oracle_compare allows. */
#include <string.h>

#include <json-c/json.h>
#include <odoo/cursor.h>

#include "core/value.h"
#include "fuzz_common.h"
#include "json_oracle.h"

static json_object *records_of(json_object *doc)
{
    json_object *rows = NULL;
    if (json_object_is_type(doc, json_type_array))
        rows = doc;
    else if (!json_object_is_type(doc, json_type_object) || json_object_object_get_ex(doc, "error", NULL) ||
             !json_object_object_get_ex(doc, "result", &rows))
        return NULL;
    if (!json_object_is_type(rows, json_type_array))
        return NULL;
    for (size_t i = 0; i < json_object_array_length(rows); i++)
        if (!json_object_is_type(json_object_array_get_idx(rows, i), json_type_object))
            return NULL;
    return rows;
}

/* The same record: json_object_equal, or the same text where it says no
 * only because NaN is not equal to itself. */
static int same_record(json_object *a, json_object *b)
{
    if (json_object_equal(a, b))
        return 1;
    const char *x = json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN);
    const char *y = json_object_to_json_string_ext(b, JSON_C_TO_STRING_PLAIN);
    return x && y && strcmp(x, y) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_oracle_result want, lib;
    json_oracle_reference(&want, (const char *)data, size);
    json_oracle_library(&lib, (const char *)data, size);
    if (json_oracle_compare((const char *)data, size, &want, &lib, NULL, 0) == JSON_ORACLE_DIFFER)
        abort();
    json_oracle_result_free(&want);
    json_object *doc = lib.value;
    int accepted = lib.rc == 0;
    json_object *rows = accepted ? records_of(doc) : NULL;
    odoo_cursor *c = odoo_cursor_new(NULL);
    if (!c)
        abort();
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    size_t at = 0, step = size % 7 + 1, row = 0;
    int rc;
    while ((rc = odoo_cursor_next(c, &err)) == ODOO_CURSOR_MORE || rc == ODOO_CURSOR_ROW) {
        if (rc == ODOO_CURSOR_MORE) {
            size_t n = size - at < step ? size - at : step;
            if (n == 0)
                odoo_cursor_finish(c);
            else if (odoo_cursor_feed(c, (const char *)data + at, n) != 0)
                abort();
            at += n;
            continue;
        }
        json_object *rec = odoo_cursor_record(c);
        if (!rec)
            abort();
        if (rows && (row >= json_object_array_length(rows) ||
                     !same_record(rec, json_object_array_get_idx(rows, row))))
            abort();
        row++;
        json_object_put(rec);
    }
    if (!accepted && rc == ODOO_CURSOR_DONE)
        abort();
    if (rows && (rc != ODOO_CURSOR_DONE || row != json_object_array_length(rows)))
        abort();
    fuzz_check_error(rc, &err);
    odoo_cursor_free(c);
    json_object_put(doc);
    return 0;
}
