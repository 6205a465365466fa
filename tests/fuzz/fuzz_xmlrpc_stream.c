/* libFuzzer harness: the incremental XML-RPC decoder (xmlrpc_stream.h)
 * and the row cursor on it (ODOO_CURSOR_XMLRPC), against the expat DOM
 * decoder, the input fed in chunks its length picks. Aborts when the
 * events take a document expat refuses or refuse one it takes, when
 * they build another value (doubles bit for bit) or fault flag, and when
 * the cursor ends DONE on a refused document or does not give an
 * accepted list of structs record for record; the cursor's errors keep
 * fuzz_check_error's promises. Build and run: see tests/fuzz/README.md. */
#include <stdint.h>
#include <stdlib.h>

#include <json-c/json.h>
#include <odoo/cursor.h>

#include "adapters/xmlrpc_sax.h"
#include "adapters/xmlrpc_stream.h"
#include "core/jstream.h"
#include "fuzz_common.h"
#include "xmlrpc_samples.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The events of the input, built into json-c: 0 with *out, or -1. */
static int events(const uint8_t *data, size_t size, size_t step, json_object **out, int *fault)
{
    odoo__xmlrpc_stream *xs = odoo__xs_new(NULL);
    odoo__jdom d;
    if (!xs)
        abort();
    odoo__jdom_init(&d);
    size_t at = 0;
    int rc = -1;
    *out = NULL;
    for (;;) {
        odoo__js_event ev = odoo__xs_next(xs);
        if (ev == ODOO_JS_MORE) {
            size_t n = size - at < step ? size - at : step;
            if (n == 0)
                odoo__xs_finish(xs);
            else if (odoo__xs_feed(xs, (const char *)data + at, n) != 0)
                abort();
            at += n;
            continue;
        }
        if (ev == ODOO_JS_ERROR) {
            if (xs->refused == -2 || !xs->why[0])
                abort(); /* out of memory on a fuzzer's input, or no reason */
            break;
        }
        if (ev == ODOO_JS_END) {
            *out = odoo__jdom_take(&d);
            *fault = xs->fault;
            rc = 0;
            break;
        }
        if (odoo__jdom_event(&d, ev, &xs->tok) < 0)
            abort();
    }
    odoo__jdom_free(&d);
    odoo__xs_free(xs);
    return rc;
}

static int is_records(json_object *v)
{
    if (!json_object_is_type(v, json_type_array))
        return 0;
    for (size_t i = 0; i < json_object_array_length(v); i++)
        if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_object))
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    odoo_xmlrpc_reply e;
    char we[256];
    int re = odoo__xmlrpc_parse_expat((const char *)data, size, &e, we, sizeof(we));
    if (re != 0 && re != ODOO_ERR_PROTOCOL)
        abort();
    size_t step = size % 7 + 1;
    json_object *v = NULL;
    int fault = 0;
    int rs = events(data, size, step, &v, &fault);
    if ((rs == 0) != (re == 0) || (re == 0 && (fault != e.fault || !json_identical(v, e.value))))
        abort();
    json_object_put(v);

    /* the cursor: the records of an accepted list, an error otherwise */
    json_object *rows = re == 0 && !e.fault && is_records(e.value) ? e.value : NULL;
    odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
    o.shape = ODOO_CURSOR_XMLRPC;
    odoo_cursor *c = odoo_cursor_new(&o);
    if (!c)
        abort();
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    size_t at = 0, row = 0;
    step = size % 13 + 1;
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
        if (!rec || (rows && (row >= json_object_array_length(rows) ||
                              !json_identical(rec, json_object_array_get_idx(rows, row)))))
            abort();
        row++;
        json_object_put(rec);
    }
    if (!rows && rc == ODOO_CURSOR_DONE)
        abort();
    if (rows && (rc != ODOO_CURSOR_DONE || row != json_object_array_length(rows)))
        abort();
    fuzz_check_error(rc, &err);
    odoo_cursor_free(c);
    json_object_put(e.value);
    return 0;
}
