/* libFuzzer harness: the wire-error parsers behind every protocol
 * (src/errors/parse.c). The selector byte's bit 7 picks the family:
 *  - JSON (bit 7 clear): the body is parsed with json-c and its object
 *    given to the JSON-RPC error parser (odoo__error_from_jsonrpc), the
 *    exception parser (odoo__error_from_exception) and the ODXProxy one
 *    (odoo__error_from_proxy); non-objects to odoo__error_from_http;
 *  - text (bit 7 set): the body after its first NUL (all of it when it
 *    has none) is a faultString for the XML-RPC fault parser
 *    (odoo__error_from_fault, with the integer codes 0..4) and for
 *    odoo__traceback_tail.
 * Each always reports an error (never success), with its invariants. */
#include <json-c/json.h>

#include "errors/parse.h"
#include "fuzz_common.h"

static void expect_error(int rc, odoo_rpc_error *err)
{
    if (rc == 0)
        abort();
    fuzz_check_error(rc, err);
}

static void json_family(const fuzz_input *in)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    json_tokener *tok = json_tokener_new();
    if (!tok)
        abort();
    json_object *obj = json_tokener_parse_ex(tok, in->body, (int)in->len);
    json_tokener_free(tok);
    if (json_object_is_type(obj, json_type_object)) {
        expect_error(odoo__error_from_jsonrpc(&err, obj, in->status), &err);
        expect_error(odoo__error_from_exception(&err, obj, in->status, 200), &err);
        expect_error(odoo__error_from_proxy(&err, in->status, obj), &err);
        /* The same with err NULL: the kind alone, no crash. */
        odoo__error_from_jsonrpc(NULL, obj, in->status);
        odoo__error_from_exception(NULL, obj, in->status, 0);
        odoo__error_from_proxy(NULL, in->status, obj);
    } else {
        expect_error(odoo__error_from_http(&err, in->status, in->content_type, in->body, in->len,
                                           "a fuzzed answer"), &err);
    }
    json_object_put(obj);
}

static void text_family(const fuzz_input *in)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    size_t first = strlen(in->body);
    const char *fs = first < in->len ? in->body + first + 1 : in->body;
    for (int code = 0; code <= 4; code++)
        expect_error(odoo__error_from_fault(&err, code, fs, in->status), &err);
    odoo__error_from_fault(NULL, 1, fs, in->status);
    char *cls = NULL, *msg = NULL;
    if (odoo__traceback_tail(fs, &cls, &msg) == 0) {
        if (!cls || !msg || !*cls)
            abort();
    } else if (cls || msg) {
        abort();
    }
    free(cls);
    free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_input in;
    if (fuzz_split(data, size, &in) != 0)
        return 0;
    if (data[0] & 0x80)
        text_family(&in);
    else
        json_family(&in);
    free(in.body);
    return 0;
}
