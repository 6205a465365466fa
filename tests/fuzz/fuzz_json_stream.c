/* libFuzzer harness: the incremental JSON decoder (core/jstream.h) and
 * its DOM builder, fed whole, a byte at a time, and in chunks whose size
 * the input's length picks, against the oracle: json_tokener in strict
 * mode with the library's checks, the DOM path before issue 12
 * (tests/support/json_oracle.h). The same acceptance and the same value
 * (compared as printed too: json_object_equal says NaN != NaN), or the
 * same failure, but for the differences json_oracle_compare allows
 * (test_json_dom_equiv.c counts them). Every split gives the very same
 * result as the whole text, which odoo__json_parse gives too, and every
 * refusal says where. */
#include <stdio.h>

#include <json-c/json.h>

#include "core/value.h"
#include "fuzz_common.h"
#include "json_oracle.h"

static int same_result(const json_oracle_result *a, const json_oracle_result *b)
{
    if (a->rc != b->rc)
        return 0;
    if (a->rc != 0)
        return strcmp(a->why, b->why) == 0;
    size_t alen = 0, blen = 0;
    const char *as = odoo__json_to_string(a->value, &alen), *bs = odoo__json_to_string(b->value, &blen);
    return as && bs && alen == blen && memcmp(as, bs, alen) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_oracle_result want, got[3];
    char detail[1024];
    json_oracle_reference(&want, text, size);
    size_t chunks[] = { 0, 1, size % 13 + 2 };
    for (size_t k = 0; k < 3; k++) {
        json_oracle_jstream(&got[k], text, size, chunks[k]);
        if (json_oracle_compare(text, size, &want, &got[k], detail, sizeof(detail)) == JSON_ORACLE_DIFFER) {
            fprintf(stderr, "chunk %zu: %s: %s\n", chunks[k], detail, json_oracle_shown(text, size));
            abort();
        }
        if (got[k].rc != 0 && !strstr(got[k].why, "byte ") && !strstr(got[k].why, "out of memory"))
            abort(); /* every refusal says where */
        if (k > 0 && !same_result(&got[k], &got[0]))
            abort();
    }
    json_oracle_result lib = { .rc = 0 };
    if ((odoo__json_parse(text, size, &lib.value) == 0) != (got[0].rc == 0) ||
        (got[0].rc == 0 && !same_result(&lib, &got[0])))
        abort();
    json_oracle_result_free(&lib);
    json_oracle_result_free(&want);
    for (size_t k = 0; k < 3; k++)
        json_oracle_result_free(&got[k]);
    return 0;
}
