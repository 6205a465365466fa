/* libFuzzer harness: the JSON-2 error parser (odoo__error_from_json2),
 * which reads Odoo's bare exception object or any other body (HTML 404s,
 * proxy pages) on a non-200 status picked by the selector byte. It
 * always reports an error, with its invariants. */
#include "errors/parse.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    if (fuzz_split(data, size, &in) != 0)
        return 0;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    int rc = odoo__error_from_json2(&err, in.status, in.content_type, in.body, in.len);
    if (rc == 0 || err.http_status != in.status)
        abort();
    fuzz_check_error(rc, &err);
    /* err may be NULL: the kind alone. */
    odoo__error_from_json2(NULL, in.status, in.content_type, in.body, in.len);
    free(in.body);
    return 0;
}
