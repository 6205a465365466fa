/* JSON text in, JSON text out: odoo_call_json for bindings, and odoo_free
 * for what the library hands out. */
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <json-c/json.h>

#include "odoo/client.h"
#include "odoo/dsn.h"
#include "../errors/error_internal.h"
#include "secret.h"
#include "value.h"

void odoo_free(void *ptr)
{
    if (!ptr)
        return;
#if defined(__GLIBC__)
    odoo__wipe(ptr, malloc_usable_size(ptr));
#endif
    free(ptr);
}

/* Parse an argument given as JSON text: NULL or blank is *out = NULL. */
static int json_arg(json_object **out, const char *what, const char *text, json_type want, odoo_rpc_error *err)
{
    *out = NULL;
    if (!text || !text[strspn(text, " \t\r\n")])
        return 0;
    size_t len = strlen(text);
    if (odoo__json_parse(text, len, out) < 0) {
        char why[200];
        odoo__json_refusal(text, len, why, sizeof why);
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "%s is not valid JSON: %s", what, why);
    }
    if (!json_object_is_type(*out, want)) {
        json_object_put(*out);
        *out = NULL;
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "%s must be a JSON %s", what,
                               want == json_type_array ? "array" : "object");
    }
    return 0;
}

int odoo_call_json(char **out, odoo_protocol *p, const char *model, const char *method,
                   const char *args_json, const char *kwargs_json, odoo_rpc_error *err)
{
    if (out)
        *out = NULL;
    json_object *args = NULL, *kwargs = NULL, *res = NULL;
    int rc = json_arg(&args, "args", args_json, json_type_array, err);
    if (!rc)
        rc = json_arg(&kwargs, "kwargs", kwargs_json, json_type_object, err);
    if (!rc)
        rc = odoo_execute_kw(out ? &res : NULL, p, model, method, args, kwargs, NULL, err);
    json_object_put(args);
    json_object_put(kwargs);
    if (rc || !out) {
        json_object_put(res);
        return rc;
    }
    size_t len = 0;
    const char *text = res ? odoo__json_to_string(res, &len) : "null";
    if (!res)
        len = 4;
    *out = text ? odoo__strndup(text, len) : NULL;
    json_object_put(res);
    if (!*out)
        return odoo__error_nomem(err);
    return 0;
}
