/* odoo-bridge: the XML-RPC front, /xmlrpc/2/<service> (integer fault
 * codes) and the historical /xmlrpc/<service> (string fault codes).
 *
 * Requests are read, and answers written, by libodoo's own XML-RPC codec
 * (src/adapters/xmlrpc_sax.h reads a <methodCall> with expat, as Odoo
 * does; src/adapters/xmlrpc_write.h writes): the bridge links the static
 * library for these private symbols rather than carry a second codec.
 *
 * What goes back is what Odoo's marshaller would send (addons/rpc/
 * controllers/xmlrpc.py, allow_none=False): a None anywhere in a result is
 * the fault "TypeError: cannot marshal None unless allow_none is enabled"
 * and an integer outside 32 bits "OverflowError: int exceeds XML-RPC
 * limits" (both faultCode 1; like Odoo, the call has run and committed by
 * then), ASCII control characters other than TAB, LF and CR are deleted
 * from strings, dates and datetimes are strings, binaries base64 text in
 * <string>. A client's allow_none only concerns what that client accepts;
 * the server never knows it, so the bridge faults exactly as Odoo does. */
#include <stdlib.h>
#include <string.h>

#include "adapters/xmlrpc_sax.h"
#include "adapters/xmlrpc_values.h"
#include "adapters/xmlrpc_write.h"
#include "bridge.h"

/* ------------------------------------------------------------------ */
/* Writing a <methodResponse> with the codec's <methodCall> writer: the
 * value is written as the one parameter of a call, then the call's frame
 * is swapped for a response's. (A response writer exported by the codec
 * would save that one copy.) */

static const char CALL_HEAD[] = "<?xml version=\"1.0\"?>\n<methodCall><methodName>r</methodName><params><param>";
static const char CALL_TAIL[] = "</param></params></methodCall>\n";

static int write_reply(json_object *value, int fault, char **out, size_t *outlen, char *why, size_t whylen)
{
    odoo_buf b = ODOO_BUF_INIT;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    int rc = odoo__xmlrpc_call_begin(&b, "r", &err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_param(&b, value, &err);
    if (rc == 0)
        rc = odoo__xmlrpc_call_end(&b, &err);
    size_t head = sizeof(CALL_HEAD) - 1, tail = sizeof(CALL_TAIL) - 1;
    if (rc == 0 && (b.len < head + tail || memcmp(b.data, CALL_HEAD, head) != 0 ||
                    memcmp(b.data + b.len - tail, CALL_TAIL, tail) != 0)) {
        rc = ODOO_ERR_PROTOCOL;
        snprintf(why, whylen, "odoo-bridge: the XML-RPC writer's frame is not the expected one");
    } else if (rc != 0) {
        snprintf(why, whylen, "%s", err.message ? err.message : "cannot write the answer");
    }
    odoo_rpc_error_clear(&err);
    if (rc != 0) {
        odoo_buf_free(&b);
        return rc;
    }
    const char *open = fault ? "<?xml version=\"1.0\"?>\n<methodResponse>\n<fault>\n"
                             : "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n";
    const char *close = fault ? "\n</fault>\n</methodResponse>\n" : "\n</param>\n</params>\n</methodResponse>\n";
    size_t vlen = b.len - head - tail, olen = strlen(open), clen = strlen(close);
    char *r = malloc(olen + vlen + clen + 1);
    if (!r) {
        odoo_buf_free(&b);
        snprintf(why, whylen, "out of memory");
        return ODOO_ERR_NOMEM;
    }
    memcpy(r, open, olen);
    memcpy(r + olen, b.data + head, vlen);
    memcpy(r + olen + vlen, close, clen + 1);
    odoo_buf_free(&b);
    *out = r;
    *outlen = olen + vlen + clen;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Odoo's marshaller rules on a result                                 */

enum { OK_VALUE = 0, HAS_NONE, HAS_BIGINT };

/* Deletes control characters in strings (as Odoo's dump_unicode does);
 * reports the first None or too-wide integer, in Python's dump order. */
static int marshal_check(json_object *v, int depth)
{
    if (depth > ODOO_XMLRPC_MAX_DEPTH)
        return OK_VALUE;   /* the writer refuses it with its own message */
    switch (json_object_get_type(v)) {
    case json_type_null:
        return HAS_NONE;
    case json_type_int: {
        int64_t i = json_object_get_int64(v);
        return i < INT32_MIN || i > INT32_MAX ? HAS_BIGINT : OK_VALUE;
    }
    case json_type_string: {
        const char *s = json_object_get_string(v);
        size_t n = (size_t)json_object_get_string_len(v), k = 0;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
                k++;
        if (k) {
            char *t = malloc(n - k + 1);
            if (t) {
                size_t j = 0;
                for (size_t i = 0; i < n; i++)
                    if (!((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r'))
                        t[j++] = s[i];
                json_object_set_string_len(v, t, (int)j);
                free(t);
            }
        }
        return OK_VALUE;
    }
    case json_type_array: {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) {
            int r = marshal_check(json_object_array_get_idx(v, i), depth + 1);
            if (r)
                return r;
        }
        return OK_VALUE;
    }
    case json_type_object: {
        json_object_object_foreach(v, key, val) {
            (void)key;
            int r = marshal_check(val, depth + 1);
            if (r)
                return r;
        }
        return OK_VALUE;
    }
    default:
        return OK_VALUE;
    }
}

/* ------------------------------------------------------------------ */
/* faults                                                              */

/* The fault value Odoo's /xmlrpc/2 (legacy = 0: /xmlrpc) gives for e. */
static json_object *fault_value(const br_exc *e, int v2)
{
    json_object *f = json_object_new_object();
    if (!f)
        return NULL;
    const char *msg = e->message ? e->message : "";
    char *str_e = NULL;   /* Python's str(e) */
    if (e->cls && !strcmp(e->cls, "builtins.KeyError")) {
        if (asprintf(&str_e, "'%s'", msg) < 0)
            str_e = NULL;
    }
    const char *s = str_e ? str_e : msg;
    if (v2) {
        json_object_object_add(f, "faultCode", json_object_new_int(e->fault_code));
        json_object_object_add(f, "faultString", json_object_new_string(e->fault_code == 1 && e->debug ? e->debug : s));
    } else {
        const char *label = NULL;
        const char *cls = e->cls ? e->cls : "";
        if (!strcmp(cls, "odoo.exceptions.RedirectWarning"))
            label = "Warning";
        else if (!strcmp(cls, "odoo.exceptions.MissingError"))
            label = "MissingError";
        else if (!strcmp(cls, "odoo.exceptions.AccessError"))
            label = "AccessError";
        else if (e->fault_code == 2)
            label = "UserError";
        char *code = NULL;
        if (label && asprintf(&code, "warning -- %s\n\n%s", label, s) >= 0) {
            json_object_object_add(f, "faultCode", json_object_new_string(code));
            json_object_object_add(f, "faultString", json_object_new_string(""));
        } else if (!strcmp(cls, "odoo.exceptions.AccessDenied")) {
            json_object_object_add(f, "faultCode", json_object_new_string("AccessDenied"));
            json_object_object_add(f, "faultString", json_object_new_string(s));
        } else {
            json_object_object_add(f, "faultCode", json_object_new_string(s));
            json_object_object_add(f, "faultString", json_object_new_string(e->debug ? e->debug : s));
        }
        free(code);
    }
    free(str_e);
    return f;
}

static int reply_fault(const br_exc *e, int v2, char **out, size_t *outlen)
{
    json_object *f = fault_value(e, v2);
    char why[256];
    int rc = f ? write_reply(f, 1, out, outlen, why, sizeof(why)) : ODOO_ERR_NOMEM;
    json_object_put(f);
    if (rc != 0) {
        /* a fault text the writer refused (not UTF-8...): a plain one */
        br_exc plain = { 0 };
        br_exc_set(&plain, "builtins.ValueError", "odoo-bridge: the error cannot be sent over XML-RPC");
        f = fault_value(&plain, v2);
        rc = f ? write_reply(f, 1, out, outlen, why, sizeof(why)) : ODOO_ERR_NOMEM;
        json_object_put(f);
        br_exc_clear(&plain);
    }
    return rc;
}

/* ------------------------------------------------------------------ */

int br_xmlrpc_handle(bridge *b, const char *path, const char *body, size_t len, char **out, size_t *outlen,
                     const char **ctype, char *what, size_t whatlen)
{
    *out = NULL;
    *outlen = 0;
    *ctype = "text/xml; charset=utf-8";
    int v2 = strncmp(path, "/xmlrpc/2/", 10) == 0;
    const char *service = path + (v2 ? 10 : 8);
    snprintf(what, whatlen, "xmlrpc %s", service);

    br_exc e = { 0 };
    char *method = NULL;
    json_object *params = NULL, *result = NULL;
    char why[512] = "";
    int status = 200;
    int rc = odoo__xmlrpc_parse_call_expat(body, len, &method, &params, why, sizeof(why));
    if (rc == ODOO_ERR_NOMEM) {
        br_exc_set(&e, "builtins.MemoryError", "out of memory");
    } else if (rc != 0) {
        /* Odoo answers a body it cannot parse with expat's complaint. A
         * bad scalar's reason quotes its text ("<int> 'x' is not ..."): it
         * may be the password, so the reason stops before the first quote. */
        why[strcspn(why, "'")] = '\0';
        br_exc_set(&e, "xml.parsers.expat.ExpatError", "%s", why[0] ? why : "not an XML-RPC call");
    } else if (br_dispatch(b, service, method, params, &result, &e, what, whatlen) == 0) {
        int m = marshal_check(result, 0);
        if (m == HAS_NONE)
            br_exc_set(&e, "builtins.TypeError", "cannot marshal None unless allow_none is enabled");
        else if (m == HAS_BIGINT)
            br_exc_set(&e, "builtins.OverflowError", "int exceeds XML-RPC limits");
        else if (write_reply(result, 0, out, outlen, why, sizeof(why)) != 0)
            br_exc_set(&e, "builtins.ValueError", "%s", why);
    }
    if (!*out) {
        if (e.http_status)
            status = e.http_status;
        if (reply_fault(&e, v2, out, outlen) != 0)
            status = 500;
        size_t used = strlen(what);
        snprintf(what + used, whatlen - used, " -> fault %d %s", e.fault_code, e.cls ? e.cls : "");
    }
    if (params)
        br_wipe_json_string(json_object_array_get_idx(params, 2));
    json_object_put(params);
    json_object_put(result);
    free(method);
    br_exc_clear(&e);
    return status;
}
