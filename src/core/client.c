/* The base of every connection: open (options copied, transport made,
 * adapter bound) and close, a call's validation and context merge before
 * the engine (engine.c) runs it, version and stats. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/client.h"
#include "odoo/sys/protocol.h"
#include "../errors/error_internal.h"
#include "registry.h"
#include "base.h"
#include "secret.h"
#include "select.h"
#include "value.h"

const char *odoo_version_string(void)
{
    return ODOO_VERSION_STRING;
}

size_t odoo__options_size(unsigned int version)
{
    /* Each version appended members: an older caller's struct ends
     * before the first member of the next version. */
    switch (version) {
    case 1: return offsetof(odoo_options, tls_min_version);
    case 2: return offsetof(odoo_options, cert_file);
    case ODOO_OPTIONS_VERSION: return sizeof(odoo_options);
    default: return 0;
    }
}

int odoo_options_init(odoo_options *opts, unsigned int version)
{
    size_t n = odoo__options_size(version);
    if (!opts || n == 0)
        return ODOO_ERR_INVALID_ARGUMENT;
    memset(opts, 0, n);
    opts->version = version;
    return 0;
}

const char *odoo_protocol_kind_name(odoo_protocol_kind kind)
{
    if (kind == ODOO_PROTOCOL_AUTO)
        return "auto";
    const odoo_adapter *a = odoo__adapter_for_kind(kind);
    return a ? a->name : "unknown";
}

int odoo_protocol_kind_from_name(odoo_protocol_kind *out, const char *name)
{
    const odoo_adapter *a = name ? odoo_adapter_find(name) : NULL;
    if (!(name && strcmp(name, "auto") == 0) && !(a && a->kind != ODOO_PROTOCOL_AUTO))
        return ODOO_ERR_INVALID_ARGUMENT;
    if (out)
        *out = a ? a->kind : ODOO_PROTOCOL_AUTO;
    return 0;
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

static void state_free(odoo_protocol *p)
{
    /* close only once the state it releases exists */
    if (p->ops && p->ops->close && (p->state || !p->ops->state_size))
        p->ops->close(p);
    if (p->state && p->ops)
        explicit_bzero(p->state, p->ops->state_size); /* it may hold a header with a key */
    free(p->state);
    p->state = NULL;
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
    free(p->user_agent);
    free(p->ca_file);
    free(p->cert_file);
    free(p->key_file);
    free(p->ca_path);
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

static int check_ops(const odoo_protocol_ops *ops, odoo_rpc_error *err)
{
    if (!ops || ops->version == 0 || ops->version > ODOO_PROTOCOL_OPS_VERSION || ops->version < 2 ||
        !ops->encode || !ops->decode || !ops->name)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "invalid protocol table (version %u, this library knows %d; encode and "
                               "decode are required)", ops ? ops->version : 0, ODOO_PROTOCOL_OPS_VERSION);
    return 0;
}

/* The adapter's state, then its open. */
static int bind_adapter(odoo_protocol *p, const odoo_protocol_ops *ops, odoo_rpc_error *err)
{
    p->ops = ops;
    if (ops->state_size && !(p->state = calloc(1, ops->state_size)))
        return odoo__error_nomem(err);
    if ((ops->caps & ODOO_CAP_SESSION) && odoo_http_enable_cookies(p->http) != 0)
        return odoo__error_set(err, ODOO_ERR_NOMEM, "libcurl could not start its cookie store");
    return ops->open ? ops->open(p, err) : 0;
}

/* The transport goes to the gateway for a gateway adapter. */
static const char *transport_url(const odoo_protocol *p, const odoo_protocol_ops *ops)
{
    return (ops->caps & ODOO_CAP_GATEWAY) ? p->proxy_url : p->url;
}

static int open_with(odoo_protocol **out, const odoo_adapter *adapter, const odoo_protocol_ops *ops,
                     const odoo_options *opts, odoo_rpc_error *err)
{
    if (!out) { /* NULL out: open (checks the options) and close again */
        odoo_protocol *discard = NULL;
        int rc = open_with(&discard, adapter, ops, opts, err);
        odoo_close(discard);
        return rc;
    }
    *out = NULL;
    int rc = check_ops(ops, err);
    if (rc)
        return rc;
    if (!opts || opts->version == 0 || opts->version > ODOO_OPTIONS_VERSION)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "options version %u is not supported (use ODOO_OPTIONS_INIT)",
                               opts ? opts->version : 0);
    if (!opts->url || !*opts->url)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no Odoo URL given (options.url)");
    if (opts->context && !json_object_is_type(opts->context, json_type_object))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "options.context must be a JSON object");
    if ((ops->caps & ODOO_CAP_GATEWAY) && (!opts->proxy_url || !*opts->proxy_url))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no gateway URL given (options.proxy_url)");

    odoo_protocol *p = calloc(1, sizeof(*p));
    if (!p)
        return odoo__error_nomem(err);
    p->adapter = adapter;
    int ok = 1;
    /* An older caller's struct ends before the later members. */
    odoo_options_init(&p->opts, ODOO_OPTIONS_VERSION);
    memcpy(&p->opts, opts, odoo__options_size(opts->version));
    p->opts.version = ODOO_OPTIONS_VERSION;
    p->url = copy(opts->url, &ok);
    p->db = copy(opts->db, &ok);
    p->login = copy(opts->login, &ok);
    p->password = copy(opts->password, &ok);
    p->api_key = copy(opts->api_key, &ok);
    p->proxy_url = copy(opts->proxy_url, &ok);
    p->proxy_api_key = copy(opts->proxy_api_key, &ok);
    p->user_agent = copy(opts->user_agent, &ok);
    p->ca_file = copy(opts->ca_file, &ok);
    p->ca_path = copy(opts->ca_path, &ok);
    p->cert_file = copy(p->opts.cert_file, &ok);
    p->key_file = copy(p->opts.key_file, &ok);
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
    p->opts.url = p->url;
    p->opts.db = p->db;
    p->opts.login = p->login;
    p->opts.password = p->password;
    p->opts.api_key = p->api_key;
    p->opts.proxy_url = p->proxy_url;
    p->opts.proxy_api_key = p->proxy_api_key;
    p->opts.user_agent = p->user_agent;
    p->opts.ca_file = p->ca_file;
    p->opts.ca_path = p->ca_path;
    p->opts.cert_file = p->cert_file;
    p->opts.key_file = p->key_file;
    p->opts.context = p->context;
    /* One retry policy for every protocol; proxy_retries is its older name. */
    p->retries = opts->proxy_retries > 0 ? opts->proxy_retries : 0;
    p->backoff_ms = opts->proxy_retry_backoff_ms > 0 ? opts->proxy_retry_backoff_ms : 200;

    rc = odoo_http_new(&p->http, transport_url(p, ops), &p->opts, err);
    if (rc == 0 && (odoo_http_add_secret(p->http, p->password) || odoo_http_add_secret(p->http, p->api_key) ||
                    odoo_http_add_secret(p->http, p->proxy_api_key)))
        rc = odoo__error_nomem(err);
    if (rc == 0)
        rc = bind_adapter(p, ops, err);
    if (rc != 0) {
        odoo__finish_error(p, err, NULL, NULL);
        state_free(p);
        base_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int odoo_open(odoo_protocol **out, const odoo_protocol_ops *ops, const odoo_options *opts, odoo_rpc_error *err)
{
    return open_with(out, NULL, ops, opts, err);
}

int odoo__open_adapter(odoo_protocol **out, const odoo_adapter *a, const odoo_options *opts, odoo_rpc_error *err)
{
    return open_with(out, a, a->ops, opts, err);
}

int odoo__rebind(odoo_protocol *p, const odoo_adapter *a, odoo_rpc_error *err)
{
    if (transport_url(p, a->ops) != transport_url(p, p->ops))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "another transport is needed");
    state_free(p);
    odoo_http_clear_cookies(p->http);
    p->adapter = a;
    p->uid = 0;
    p->logged_in = 0;
    p->prepared = 0;
    p->login_secret = NULL;
    int rc = bind_adapter(p, a->ops, err);
    if (rc)
        odoo__finish_error(p, err, NULL, NULL);
    return rc;
}

int odoo_connect(odoo_protocol **out, odoo_protocol_kind kind, const odoo_options *opts, odoo_rpc_error *err)
{
    if (!out) { /* NULL out: connect (AUTO probes) and close again */
        odoo_protocol *discard = NULL;
        int rc = odoo_connect(&discard, kind, opts, err);
        odoo_close(discard);
        return rc;
    }
    *out = NULL;
    if (kind == ODOO_PROTOCOL_AUTO)
        return odoo__select_and_open(out, opts, err);
    const odoo_adapter *a = odoo__adapter_for_kind(kind);
    if (!a)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "unknown protocol kind %d", (int)kind);
    return odoo__open_adapter(out, a, opts, err);
}

int odoo_connect_name(odoo_protocol **out, const char *name, const odoo_options *opts, odoo_rpc_error *err)
{
    if (name && strcmp(name, "auto") == 0)
        return odoo_connect(out, ODOO_PROTOCOL_AUTO, opts, err);
    const odoo_adapter *a = odoo_adapter_find(name);
    if (!a) {
        if (out)
            *out = NULL;
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no adapter called '%s' is registered",
                               name ? name : "(null)");
    }
    return odoo__open_adapter(out, a, opts, err);
}

void odoo_close(odoo_protocol *p)
{
    if (!p)
        return;
    odoo__logout(p);
    state_free(p);
    base_free(p);
}

int odoo_authenticate(int64_t *uid, odoo_protocol *p, odoo_rpc_error *err)
{
    if (!p)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "connection is NULL");
    odoo__error_reset(err);
    int rc = odoo__login(p, err);
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
    odoo_exchange x = { 0 };
    x.op = ODOO_OP_VERSION;
    /* No PREPARE: the version needs no negotiation (it is often how one starts). */
    int rc = odoo__exchange(p, &x, err);
    if (rc != 0) {
        json_object_put(x.result);
        odoo__finish_error(p, err, NULL, "version_info");
        return rc;
    }
    *out = x.result;
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

int odoo__call_prepare(odoo__prepared_call *c, odoo_protocol *p, const char *model, const char *method,
                       json_object *ids, json_object *args, json_object *kwargs, json_object *context,
                       odoo_rpc_error *err)
{
    memset(c, 0, sizeof(*c));
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
    c->spec = spec;
    c->stripped = stripped;
    c->merged = merged;
    return 0;
}

void odoo__call_release(odoo__prepared_call *c)
{
    json_object_put(c->stripped);
    json_object_put(c->merged);
    c->stripped = c->merged = NULL;
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
    odoo__prepared_call c;
    int rc = odoo__call_prepare(&c, p, model, method, ids, args, kwargs, context, err);
    if (rc)
        return rc;
    rc = odoo__run_call(p, &c.spec, out, err);
    odoo__call_release(&c);
    if (rc != 0)
        odoo__finish_error(p, err, model, method);
    return rc;
}

int odoo_execute_kw(json_object **out, odoo_protocol *p, const char *model, const char *method,
                    json_object *args, json_object *kwargs, json_object *context, odoo_rpc_error *err)
{
    return odoo__dispatch(p, model, method, NULL, args, kwargs, context, out, err);
}

const odoo_call_options *odoo__call_options(const odoo_call_options *opts, odoo_rpc_error *err)
{
    static const odoo_call_options none = ODOO_CALL_OPTIONS_INIT;
    if (!opts)
        return &none;
    if (opts->version != ODOO_CALL_OPTIONS_VERSION) {
        odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                        "odoo_call_options.version is unknown (start from ODOO_CALL_OPTIONS_INIT)");
        return NULL;
    }
    return opts;
}

int odoo_call_with(json_object **out, odoo_protocol *p, const char *model, const char *method, json_object *ids,
                   json_object *args, json_object *kwargs, const odoo_call_options *opts, odoo_rpc_error *err)
{
    if (!(opts = odoo__call_options(opts, err))) {
        if (out)
            *out = NULL;
        odoo__finish_error(p, err, model, method);
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    odoo__limits lim = { opts->timeout_ms, opts->cancel };
    odoo__limits_begin(p, &lim);
    int rc = odoo__dispatch(p, model, method, ids, args, kwargs, opts->context, out, err);
    odoo__limits_end(p);
    return rc;
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
    return p && p->adapter ? p->adapter->kind : ODOO_PROTOCOL_AUTO;
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

int odoo_stats_get(odoo_stats *out, const odoo_protocol *p)
{
    if (!out || !p)
        return ODOO_ERR_INVALID_ARGUMENT;
    odoo_http_stats s;
    odoo_http_get_stats(p->http, &s);
    out->requests = s.requests;
    out->connections = s.connections;
    out->bytes_sent = s.bytes_sent;
    out->bytes_received = s.bytes_received;
    return 0;
}
