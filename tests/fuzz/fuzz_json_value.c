/* libFuzzer harness: the JSON value decoder every JSON protocol uses
 * (odoo__json_parse). What it accepts must serialise (odoo__json_to_string)
 * to a text it accepts again and that serialises identically: a value that
 * does not survive the round trip would go to Odoo differently than it
 * came. A trailing-garbage refusal must not depend on what follows. */
#include <json-c/json.h>

#include "core/value.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object *obj = (json_object *)&size; /* must be overwritten */
    int rc = odoo__json_parse((const char *)data, size, &obj);
    if (rc != 0 && rc != -1)
        abort();
    if (rc != 0) {
        if (obj)
            abort();
        return 0;
    }
    size_t len = 0;
    const char *text = odoo__json_to_string(obj, &len);
    if (!text)
        abort();
    char *copy = strndup(text, len);
    json_object *again = NULL;
    if (!copy || odoo__json_parse(copy, len, &again) != 0)
        abort();
    size_t len2 = 0;
    const char *text2 = odoo__json_to_string(again, &len2);
    if (!text2 || len2 != len || memcmp(text2, copy, len) != 0)
        abort();
    free(copy);
    json_object_put(again);
    json_object_put(obj);
    return 0;
}
