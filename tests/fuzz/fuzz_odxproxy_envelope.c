/* libFuzzer harness: the ODXProxy gateway envelope decoder (read before
 * the status: Odoo's errors come on 200), through its private entry
 * odoo__odxproxy_decode. Bit 6 of the selector byte asks for the request
 * id check against the fixed id used in the seeds. */
#include <json-c/json.h>

#include "adapters/adapters.h"
#include "fuzz_common.h"

#define SEED_ID "8c3e2a1f-4b5d-4e6f-8a7b-9c0d1e2f3a4b"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    if (fuzz_split(data, size, &in) != 0)
        return 0;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_object *out = (json_object *)&in; /* must be overwritten */
    int rc = odoo__odxproxy_decode(in.body, in.len, in.status, in.content_type, in.check_id ? SEED_ID : NULL,
                                   &out, &err);
    if (rc != 0 && out)
        abort();
    if (out)
        (void)json_object_to_json_string(out);
    fuzz_check_error(rc, &err);
    json_object_put(out);
    free(in.body);
    return 0;
}
