/* The base of every connection: open/close, dispatch through the vtable,
 * context merge, login-before-call, session renewal, error finishing. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/client.h"
#include "odoo/sys/protocol.h"
#include "../errors/error_internal.h"
#include "../adapters/adapters.h"
#include "base.h"
#include "secret.h"
#include "select.h"
#include "value.h"

const char *odoo_version_string(void)
{
    return ODOO_VERSION_STRING;
}

int odoo_options_init(odoo_options *opts, unsigned int version)
{
    if (!opts || version == 0 || version > ODOO_OPTIONS_VERSION)
        return ODOO_ERR_INVALID_ARGUMENT;
    /* a version-1 caller's struct ends before the version-2 members */
    memset(opts, 0, version == 1 ? offsetof(odoo_options, tls_min_version) : sizeof(*opts));
    opts->version = version;
    return 0;
}

static const char *const kind_names[] = {
    "auto", "xmlrpc", "jsonrpc", "jsonrpc-stateless", "json2", "odxproxy",
};

const char *odoo_protocol_kind_name(odoo_protocol_kind kind)
{
    if ((unsigned)kind < sizeof(kind_names) / sizeof(kind_names[0]))
        return kind_names[kind];
    return "unknown";
}

int odoo_protocol_kind_from_name(odoo_protocol_kind *out, const char *name)
{
    for (size_t i = 0; name && i < sizeof(kind_names) / sizeof(kind_names[0]); i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            if (out)
                *out = (odoo_protocol_kind)i;
            return 0;
        }
    }
    return ODOO_ERR_INVALID_ARGUMENT;
}

/* Copy a secret or setting; *ok cleared on allocation failure. */
static char *copy(const char *s, int *ok)
{
    if (!s)
        return NULL;
    char *d = odoo__strdup(s);
    if (!d)
        *ok = 0;
    return d;
}

static void base_free(odoo_protocol *p)
{
    odoo_http_free(p->http);
    odoo__free_secret(p->url); /* URLs may carry user:password@ */
    free(p->db);
    free(p->login);
    odoo__free_secret(p->password);
    odoo__free_secret(p->api_key);
    odoo__free_secret(p->proxy_url);
    odoo__free_secret(p->proxy_api_key);
    free(p->reason);
    json_object_put(p->context);
    free(p);
}

void odoo__finish_error(odoo_protocol *p, odoo_rpc_error *err, const char *model, const char *method)
{
    if (!err || err->kind == ODOO_OK)
        return;
    odoo__error_set_call(err, model, method);
    if (p && err->retry_after < 0 && p->http)
        err->retry_after = odoo_http_retry_after(p->http);
    if (p) {
        /* The transport's table adds the session cookie and the URL's
         * credentials (decoded, and as Basic base64) to the options'. */
        const char *secrets[16] = { p->password, p->api_key, p->proxy_api_key };
        size_t n = 0, k = 3;
        const char *const *more = odoo__http_secrets(p->http, &n);
        for (size_t i = 0; i < n && k < 16; i++)
            secrets[k++] = more[i];
        odoo__error_redact(err, secrets, k);
    }
}

int odoo_open(odoo_protocol **out, const odoo_protocol_ops *ops, const odoo_options *opts, odoo_rpc_error *err)
{
    if (!out) { /* NULL out: open (checks the options) and close again */
        odoo_protocol *discard = NULL;
        int rc = odoo_open(&discard, ops, opts, err);
        odoo_close(discard);
        return rc;
    }
    *out = NULL;
    if (!ops || ops->version == 0 || ops->version > ODOO_PROTOCOL_OPS_VERSION ||
        ops->size < sizeof(odoo_protocol) || !ops->authenticate || !ops->execute_kw || !ops->version_info)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "invalid protocol table (version %u, this library knows %d)",
                               ops ? ops->version : 0, ODOO_PROTOCOL_OPS_VERSION);
    if (!opts || opts->version == 0 || opts->version > ODOO_OPTIONS_VERSION)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "options version %u is not supported (use ODOO_OPTIONS_INIT)",
                               opts ? opts->version : 0);
    if (!opts->url || !*opts->url)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no Odoo URL given (options.url)");
    if (opts->context && !json_object_is_type(opts->context, json_type_object))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "options.context must be a JSON object");

    odoo_protocol *p = calloc(1, ops->size);
    if (!p)
        return odoo__error_nomem(err);
    p->ops = ops;
    int ok = 1;
    p->url = copy(opts->url, &ok);
    p->db = copy(opts->db, &ok);
    p->login = copy(opts->login, &ok);
    p->password = copy(opts->password, &ok);
    p->api_key = copy(opts->api_key, &ok);
    p->proxy_url = copy(opts->proxy_url, &ok);
    p->proxy_api_key = copy(opts->proxy_api_key, &ok);
    p->proxy_user_id = opts->user_id;
    p->proxy_api = opts->proxy_api;
    p->timeout_ms = opts->timeout_ms;
    if (opts->context && json_object_object_length(opts->context) > 0 &&
        json_object_deep_copy(opts->context, &p->context, NULL) != 0)
        ok = 0;
    if (!ok) {
        base_free(p);
        return odoo__error_nomem(err);
    }
    if (p->url) {
        size_t n = strlen(p->url);
        while (n > 0 && p->url[n - 1] == '/')
            p->url[--n] = '\0';
    }

    int rc = odoo_http_new(&p->http, opts->url, opts, err);
    if (rc == 0 && (odoo_http_add_secret(p->http, p->password) || odoo_http_add_secret(p->http, p->api_key) ||
                    odoo_http_add_secret(p->http, p->proxy_api_key)))
        rc = odoo__error_nomem(err);
    if (rc == 0 && ops->open)
        rc = ops->open(p, opts, err);
    if (rc != 0) {
        odoo__finish_error(p, err, NULL, NULL);
        if (ops->close && p->http)
            ops->close(p);
        base_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int odoo_connect(odoo_protocol **out, odoo_protocol_kind kind, const odoo_options *opts, odoo_rpc_error *err)
{
    if (!out) { /* NULL out: connect (AUTO probes) and close again */
        odoo_protocol *discard = NULL;
        int rc = odoo_connect(&discard, kind, opts, err);
        odoo_close(discard);
        return rc;
    }
    if (kind == ODOO_PROTOCOL_AUTO)
        return odoo__select_and_open(out, opts, err);
    const odoo_protocol_ops *ops = odoo__adapter_ops(kind);
    if (!ops) {
        if (out)
            *out = NULL;
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "unknown protocol kind %d", (int)kind);
    }
    return odoo_open(out, ops, opts, err);
}

void odoo_close(odoo_protocol *p)
{
    if (!p)
        return;
    if (p->ops->close)
        p->ops->close(p);
    base_free(p);
}

int odoo__ensure_login(odoo_protocol *p, odoo_rpc_error *err)
{
    if (!(p->ops->caps & ODOO_CAP_NEEDS_LOGIN) || p->logged_in)
        return 0;
    return p->ops->authenticate(p, err);
}

int odoo_authenticate(int64_t *uid, odoo_protocol *p, odoo_rpc_error *err)
{
    if (!p)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "connection is NULL");
    odoo__error_reset(err);
    p->logged_in = 0;
    int rc = p->ops->authenticate(p, err);
    if (rc != 0) {
        odoo__finish_error(p, err, NULL, "authenticate");
        return rc;
    }
    if (uid)
        *uid = p->uid;
    return 0;
}

int odoo_version_info(json_object **out, odoo_protocol *p, odoo_rpc_error *err)
{
    if (!out) { /* NULL out: ask anyway (the version is learned) and discard the answer */
        json_object *discard = NULL;
        int rc = odoo_version_info(&discard, p, err);
        json_object_put(discard);
        return rc;
    }
    *out = NULL;
    if (!p)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "connection is NULL");
    odoo__error_reset(err);
    int rc = p->ops->version_info(p, out, err);
    if (rc != 0) {
        odoo__finish_error(p, err, NULL, "version_info");
        return rc;
    }
    odoo_protocol_learn_version(p, *out);
    return 0;
}

void odoo_protocol_learn_version(odoo_protocol *p, json_object *info)
{
    json_object *v;
    if (!p || !info || !json_object_is_type(info, json_type_object))
        return;
    if (json_object_object_get_ex(info, "server_version_info", &v) && json_object_is_type(v, json_type_array) &&
        json_object_array_length(v) > 0) {
        json_object *major = json_object_array_get_idx(v, 0);
        if (json_object_is_type(major, json_type_int)) {
            p->server_major = json_object_get_int(major);
            return;
        }
        /* SaaS builds say "saas~18.2" as the first element. */
        if (json_object_is_type(major, json_type_string)) {
            const char *s = json_object_get_string(major);
            if (strncmp(s, "saas~", 5) == 0)
                s += 5;
            p->server_major = atoi(s);
            return;
        }
    }
    if (json_object_object_get_ex(info, "server_version", &v) && json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        if (strncmp(s, "saas~", 5) == 0)
            s += 5;
        p->server_major = atoi(s);
    }
}

/* An id beyond int64 (json-c keeps integers up to 2^64 - 1) would be
 * clamped or misread on the way: refuse it by name. */
static int check_ids(json_object *ids, odoo_rpc_error *err)
{
    size_t n = json_object_array_length(ids);
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_array_get_idx(ids, i);
        if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) == INT64_MAX &&
            json_object_get_uint64(v) > (uint64_t)INT64_MAX)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "id %llu does not fit in 64 bits (signed)",
                                   (unsigned long long)json_object_get_uint64(v));
    }
    return 0;
}

/* Validate, merge contexts, log in when needed, run; renew an expired
 * web session once (the server refused the call before running it, so
 * repeating it is safe). */
int odoo__dispatch(odoo_protocol *p, const char *model, const char *method, json_object *ids,
                   json_object *args, json_object *kwargs, json_object *context,
                   json_object **out, odoo_rpc_error *err)
{
    if (!out) { /* NULL out: the call runs, its result is discarded */
        json_object *discard = NULL;
        int rc = odoo__dispatch(p, model, method, ids, args, kwargs, context, &discard, err);
        json_object_put(discard);
        return rc;
    }
    *out = NULL;
    odoo__error_reset(err);
    if (!p)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "connection is NULL");
    int rc = 0;
    if (!odoo__valid_model_name(model))
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "invalid model name");
    else if (!odoo__valid_method_name(method))
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "invalid method name");
    else if (args && !json_object_is_type(args, json_type_array))
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "args must be a JSON array");
    else if (kwargs && !json_object_is_type(kwargs, json_type_object))
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "kwargs must be a JSON object");
    else if (ids && !json_object_is_type(ids, json_type_array))
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "ids must be a JSON array of integers");
    else if (context && !json_object_is_type(context, json_type_object))
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "context must be a JSON object");
    if (rc == 0 && ids)
        rc = check_ids(ids, err);
    if (rc) {
        odoo__finish_error(p, err, model, method);
        return rc;
    }

    /* Base context < kwargs["context"] < the call's context. */
    json_object *kw_ctx = NULL, *stripped = NULL;
    if (kwargs && json_object_object_get_ex(kwargs, "context", &kw_ctx)) {
        if (kw_ctx && !json_object_is_type(kw_ctx, json_type_object)) {
            rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "kwargs.context must be a JSON object");
            odoo__finish_error(p, err, model, method);
            return rc;
        }
        if (!(stripped = odoo__object_without(kwargs, "context"))) {
            odoo__error_nomem(err);
            return ODOO_ERR_NOMEM;
        }
    }
    json_object *sources[] = { p->context, kw_ctx, context };
    int nomem = 0;
    json_object *merged = odoo__merge_objects(sources, 3, &nomem);
    if (nomem) {
        json_object_put(stripped);
        return odoo__error_nomem(err);
    }

    odoo_call_spec spec = { model, method, ids, args, stripped ? stripped : kwargs, merged };
    rc = odoo__ensure_login(p, err);
    if (rc == 0) {
        rc = p->ops->execute_kw(p, &spec, out, err);
        if (rc == ODOO_ERR_SESSION_EXPIRED && (p->ops->caps & ODOO_CAP_SESSION) && p->password) {
            p->logged_in = 0;
            odoo__error_reset(err);
            rc = p->ops->authenticate(p, err);
            if (rc == 0)
                rc = p->ops->execute_kw(p, &spec, out, err);
        }
    }
    json_object_put(stripped);
    json_object_put(merged);
    if (rc != 0)
        odoo__finish_error(p, err, model, method);
    return rc;
}

int odoo_execute_kw(json_object **out, odoo_protocol *p, const char *model, const char *method,
                    json_object *args, json_object *kwargs, json_object *context, odoo_rpc_error *err)
{
    return odoo__dispatch(p, model, method, NULL, args, kwargs, context, out, err);
}

int odoo_call(json_object **out, odoo_protocol *p, const char *model, const char *method,
              json_object *ids, json_object *args, json_object *kwargs, json_object *context,
              odoo_rpc_error *err)
{
    return odoo__dispatch(p, model, method, ids, args, kwargs, context, out, err);
}

const char *odoo_protocol_name(const odoo_protocol *p)
{
    return p ? p->ops->name : "";
}

odoo_protocol_kind odoo_protocol_kind_of(const odoo_protocol *p)
{
    return p ? p->ops->kind : ODOO_PROTOCOL_AUTO;
}

const char *odoo_protocol_reason(const odoo_protocol *p)
{
    return p && p->reason ? p->reason : "";
}

int64_t odoo_uid(const odoo_protocol *p)
{
    return p && p->logged_in ? p->uid : 0;
}

int odoo_server_version(const odoo_protocol *p)
{
    return p ? p->server_major : 0;
}

int odoo_tls_verified(const odoo_protocol *p)
{
    return p ? odoo_http_tls_verified(p->http) : 1;
}
