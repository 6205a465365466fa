/* From the bytes of an XML-RPC answer to the caller's result or error:
 * a decoder reads the <methodResponse>, then a fault becomes the error
 * Odoo's code says and a body that is no XML-RPC answer an HTTP error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "../errors/error_internal.h"
#include "../errors/parse.h"
#include "xmlrpc_reply.h"
#include "xmlrpc_sax.h"
#include "xmlrpc_scan.h"

/* A body that is not an XML-RPC answer; for a 2xx status the decoder's
 * reason is added to the message (the status says nothing then). */
static int not_xmlrpc(odoo_rpc_error *err, long status, const char *ctype, const char *body, size_t len,
                      const char *why)
{
    int kind = odoo__error_from_http(err, status, ctype, body, len, "an XML-RPC response");
    if (err && err->message && why && *why && len && status >= 200 && status < 300) {
        size_t n = strlen(err->message) + strlen(why) + 3;
        char *m = malloc(n);
        if (m) {
            snprintf(m, n, "%s: %s", err->message, why);
            if (odoo__error_set_message(err, m) != 0)
                kind = odoo__error_nomem(err);
            free(m);
        }
    }
    return kind;
}

/* A fault of /xmlrpc/2: {faultCode: int, faultString: string}. A string
 * faultCode is the legacy /xmlrpc/<service>'s, which libodoo never calls. */
static int fault_error(json_object *fault, long status, odoo_rpc_error *err)
{
    json_object *code = NULL, *text = NULL;
    int kind;
    if (!json_object_object_get_ex(fault, "faultCode", &code) ||
        !json_object_object_get_ex(fault, "faultString", &text) || !json_object_is_type(text, json_type_string))
        kind = odoo__error_set(err, ODOO_ERR_PROTOCOL, "malformed XML-RPC fault (no faultCode or faultString)");
    else if (json_object_is_type(code, json_type_int) && json_object_get_int64(code) >= INT32_MIN &&
             json_object_get_int64(code) <= INT32_MAX)
        return odoo__error_from_fault(err, (int)json_object_get_int64(code), json_object_get_string(text), status);
    else
        kind = odoo__error_set(err, ODOO_ERR_PROTOCOL, "malformed XML-RPC fault (faultCode is not an integer)");
    if (err)
        err->http_status = status;
    return kind;
}

int odoo__xmlrpc_decode_response_by(odoo_xmlrpc_parse_fn *parse, const char *xml, size_t len, long status,
                                    const char *ctype, json_object **out, odoo_rpc_error *err)
{
    *out = NULL;
    odoo_xmlrpc_reply reply = { NULL, 0 };
    char why[256] = "";
    int rc = xml && len ? parse(xml, len, &reply, why, sizeof(why)) : ODOO_ERR_PROTOCOL;
    if (rc == ODOO_ERR_NOMEM)
        return odoo__error_nomem(err);
    if (rc != 0)
        return not_xmlrpc(err, status, ctype, xml, xml ? len : 0, why);
    if (reply.fault) {
        rc = fault_error(reply.value, status, err);
        json_object_put(reply.value);
        return rc;
    }
    if (status < 200 || status >= 300) {
        json_object_put(reply.value);
        return not_xmlrpc(err, status, ctype, xml, len, NULL);
    }
    *out = reply.value;
    return 0;
}

int odoo__xmlrpc_decode_response_with(odoo_xmlrpc_decoder decoder, const char *xml, size_t len, long status,
                                      const char *ctype, json_object **out, odoo_rpc_error *err)
{
    return odoo__xmlrpc_decode_response_by(decoder == ODOO_XMLRPC_DECODER_EXPAT ? odoo__xmlrpc_parse_expat
                                                                                : odoo__xmlrpc_parse,
                                           xml, len, status, ctype, out, err);
}

int odoo__xmlrpc_decode_response(const char *xml, size_t len, long status, const char *ctype,
                                 json_object **out, odoo_rpc_error *err)
{
    return odoo__xmlrpc_decode_response_by(odoo__xmlrpc_parse, xml, len, status, ctype, out, err);
}
