/* libFuzzer harness: the XML-RPC scanner against the expat decoder.
 * Aborts when the scanner takes a document expat refuses, or decodes one
 * differently (doubles bit for bit); the sanitizers catch the rest.
 * Build and run: see tests/fuzz/README.md. */
#include <stdint.h>
#include <stdlib.h>

#include "adapters/xmlrpc_sax.h"
#include "adapters/xmlrpc_scan.h"
#include "xmlrpc_samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    odoo_xmlrpc_reply a, e;
    char wa[256], we[256];
    int ra = odoo__xmlrpc_parse_scan((const char *)data, size, &a, wa, sizeof(wa));
    if (ra != 0 && ra != ODOO_XMLRPC_SCAN_GAVE_UP)
        abort();   /* out of memory on a fuzzer's input: a bug */
    if (ra == 0) {
        int re = odoo__xmlrpc_parse_expat((const char *)data, size, &e, we, sizeof(we));
        if (re != 0 || a.fault != e.fault || !json_identical(a.value, e.value))
            abort();
        json_object_put(e.value);
    } else if (a.value || a.fault) {
        abort();
    }
    json_object_put(a.value);
    return 0;
}
