/* libFuzzer harness: the JSON-RPC 2.0 envelope decoder of /web/... and
 * /jsonrpc (odoo__jsonrpc_decode), under every status and content type
 * the selector byte picks (fuzz_common.h). A result and an error never
 * come together; the error keeps its invariants. */
#include <json-c/json.h>

#include "core/envelope.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    if (fuzz_split(data, size, &in) != 0)
        return 0;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_object *out = (json_object *)&in; /* must be overwritten */
    int rc = odoo__jsonrpc_decode(in.body, in.len, in.status, in.content_type, in.check_id ? 1 : -1,
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
