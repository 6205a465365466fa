/* libFuzzer harness: the incremental JSON decoder (core/jstream.h) and
 * its DOM builder against odoo__json_parse. Both must accept and refuse
 * the same inputs, and what they accept must be the same value (compared
 * as printed: json_object_equal says NaN != NaN), fed whole, a byte at a
 * time, and in chunks whose size the input's length picks. */
#include <json-c/json.h>

#include "core/jstream.h"
#include "core/value.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_object *want = NULL;
    int wrc = odoo__json_parse(text, size, &want);
    const char *ws = NULL;
    size_t wlen = 0;
    if (wrc == 0 && !(ws = odoo__json_to_string(want, &wlen)))
        abort();
    size_t chunks[] = { 0, 1, size % 13 + 2 };
    for (size_t k = 0; k < 3; k++) {
        json_object *got = NULL;
        char why[200];
        int rc = odoo__jstream_parse(text, size, chunks[k], &got, why, sizeof(why));
        if ((rc == 0) != (wrc == 0))
            abort();
        if (rc == 0) {
            size_t glen = 0;
            const char *gs = odoo__json_to_string(got, &glen);
            if (!gs || glen != wlen || memcmp(gs, ws, wlen) != 0)
                abort();
        } else if (!strstr(why, "byte ") && !strstr(why, "out of memory")) {
            abort(); /* every refusal says where */
        }
        json_object_put(got);
    }
    json_object_put(want);
    return 0;
}
