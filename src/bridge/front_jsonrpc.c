/* odoo-bridge: the stateless /jsonrpc front (service common/object/db),
 * with Odoo's envelope: {"jsonrpc": "2.0", "id": ..., "result": ...}, the
 * result member left out for None, errors as {"code", "message": "Odoo
 * Server Error", "data": {name, message, arguments, context, debug}} with
 * the code and key order of the upstream's version (0 and name, message,
 * arguments, context, debug on 19; 200 and name, debug, message,
 * arguments, context before). Integers of any size and None travel as
 * they are: JSON has no XML-RPC limits. */
#include <stdlib.h>
#include <string.h>

#include "bridge.h"

#define BR_JSON_MAX_DEPTH 256

static int text_reply(const char *text, char **out, size_t *outlen, const char **ctype)
{
    *out = strdup(text);
    *outlen = *out ? strlen(text) : 0;
    *ctype = "text/html; charset=utf-8";
    return 400;
}

static json_object *error_object(const bridge *b, const br_exc *e)
{
    json_object *err = json_object_new_object(), *data = json_object_new_object(), *args = json_object_new_array();
    if (!err || !data || !args) {
        json_object_put(err);
        json_object_put(data);
        json_object_put(args);
        return NULL;
    }
    const char *msg = e->message ? e->message : "";
    json_object_array_add(args, json_object_new_string(msg));
    json_object_object_add(data, "name", json_object_new_string(e->cls ? e->cls : "builtins.Exception"));
    if (b->major >= 19) {
        json_object_object_add(data, "message", json_object_new_string(msg));
        json_object_object_add(data, "arguments", args);
        json_object_object_add(data, "context", json_object_new_object());
        json_object_object_add(data, "debug", json_object_new_string(e->debug ? e->debug : ""));
    } else {
        json_object_object_add(data, "debug", json_object_new_string(e->debug ? e->debug : ""));
        json_object_object_add(data, "message", json_object_new_string(msg));
        json_object_object_add(data, "arguments", args);
        json_object_object_add(data, "context", json_object_new_object());
    }
    json_object_object_add(err, "code", json_object_new_int(b->major >= 19 ? 0 : 200));
    json_object_object_add(err, "message", json_object_new_string("Odoo Server Error"));
    json_object_object_add(err, "data", data);
    return err;
}

int br_jsonrpc_handle(bridge *b, const char *body, size_t len, char **out, size_t *outlen, const char **ctype,
                      char *what, size_t whatlen)
{
    *out = NULL;
    *outlen = 0;
    snprintf(what, whatlen, "jsonrpc");
    json_tokener *tok = json_tokener_new_ex(BR_JSON_MAX_DEPTH);
    if (!tok)
        return 500;
    json_object *req = json_tokener_parse_ex(tok, body, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!req || jerr != json_tokener_success || len > (size_t)INT32_MAX) {
        json_object_put(req);
        return text_reply("Invalid JSON data", out, outlen, ctype);
    }
    for (; used < len; used++)
        if (!strchr(" \t\r\n", body[used])) {
            json_object_put(req);
            return text_reply("Invalid JSON data", out, outlen, ctype);
        }
    if (!json_object_is_type(req, json_type_object)) {
        json_object_put(req);
        return text_reply("Invalid JSON-RPC data", out, outlen, ctype);
    }
    *ctype = "application/json; charset=utf-8";
    json_object *id = NULL, *params = NULL, *service = NULL, *method = NULL, *args = NULL, *result = NULL;
    json_object_object_get_ex(req, "id", &id);
    json_object_object_get_ex(req, "params", &params);
    br_exc e = { 0 };
    int rc = -1;
    if (params && !json_object_is_type(params, json_type_object)) {
        br_exc_set(&e, "builtins.ValueError", "dictionary update sequence element #0 is not a pair");
    } else {
        json_object_object_get_ex(params, "service", &service);
        json_object_object_get_ex(params, "method", &method);
        json_object_object_get_ex(params, "args", &args);
        const char *missing[3];
        size_t k = 0;
        if (!service)
            missing[k++] = "service";
        if (!method)
            missing[k++] = "method";
        if (!args)
            missing[k++] = "args";
        if (k == 1)
            br_exc_set(&e, "builtins.TypeError", "JSONRPC.jsonrpc() missing 1 required positional argument: '%s'",
                       missing[0]);
        else if (k == 2)
            br_exc_set(&e, "builtins.TypeError",
                       "JSONRPC.jsonrpc() missing 2 required positional arguments: '%s' and '%s'", missing[0],
                       missing[1]);
        else if (k == 3)
            br_exc_set(&e, "builtins.TypeError", "JSONRPC.jsonrpc() missing 3 required positional arguments: "
                       "'service', 'method', and 'args'");
        else if (!json_object_is_type(service, json_type_string) || !json_object_is_type(method, json_type_string))
            br_exc_set(&e, "builtins.TypeError", "service and method must be strings");
        else if (!json_object_is_type(args, json_type_array))
            br_exc_set(&e, "builtins.TypeError", "odoo.http.dispatch_rpc() argument after * must be a list");
        else
            rc = br_dispatch(b, json_object_get_string(service), json_object_get_string(method), args, &result, &e,
                             what, whatlen);
    }
    json_object *resp = json_object_new_object();
    int status = 200;
    if (resp) {
        json_object_object_add(resp, "jsonrpc", json_object_new_string("2.0"));
        json_object_object_add(resp, "id", json_object_get(id));
        if (rc == 0) {
            if (result)
                json_object_object_add(resp, "result", json_object_get(result));
        } else {
            if (e.http_status)
                status = e.http_status;
            json_object_object_add(resp, "error", error_object(b, &e));
            size_t n = strlen(what);
            snprintf(what + n, whatlen - n, " -> error %s", e.cls ? e.cls : "");
        }
        size_t slen;
        const char *s = json_object_to_json_string_length(resp, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
                                                          &slen);
        if (s && (*out = malloc(slen + 1))) {
            memcpy(*out, s, slen + 1);
            *outlen = slen;
        }
    }
    if (!*out)
        status = 500;
    if (args)
        br_wipe_json_string(json_object_array_get_idx(args, 2));
    json_object_put(resp);
    json_object_put(result);
    json_object_put(req);
    br_exc_clear(&e);
    return status;
}
