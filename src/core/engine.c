/* The core's sequences of exchanges: every adapter only encodes one
 * request and decodes one answer at a time; what comes before and after
 * (preparation, login, re-login, retries, logout) is decided here, once
 * for every protocol. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "odoo/client.h"
#include "../errors/error_internal.h"
#include "base.h"
#include "registry.h"
#include "secret.h"

/* A logout must not hold a closing program for the 120 s of a call. */
#define LOGOUT_TIMEOUT_MS 2000L
#define RETRY_CAP_MS 10000L

int odoo__exchange(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    const odoo_protocol_ops *ops = p->ops;
    for (x->step = 0;; x->step++) {
        if (x->step >= ODOO_EXCHANGE_MAX_STEPS)
            return odoo__error_set(err, ODOO_ERR_PROTOCOL, "the %s adapter asked for more than %d exchanges "
                                   "for one operation", ops->name, ODOO_EXCHANGE_MAX_STEPS);
        memset(&x->request, 0, sizeof(x->request));
        int rc = ops->encode(p, x, err);
        if (rc == ODOO_EXCHANGE_DONE)
            return 0;
        if (rc != 0)
            return rc < 0 ? rc : odoo__error_set(err, ODOO_ERR_PROTOCOL, "the %s adapter's encode returned %d",
                                                 ops->name, rc);
        odoo_http_response resp;
        rc = odoo_http_send(p->http, &x->request, &resp, err);
        if (rc != 0)
            return ops->failed ? ops->failed(p, x, rc, err) : rc;
        rc = ops->decode(p, x, &resp, err);
        if (rc != ODOO_EXCHANGE_AGAIN)
            return rc > 0 ? odoo__error_set(err, ODOO_ERR_PROTOCOL, "the %s adapter's decode returned %d",
                                            ops->name, rc) : rc;
        json_object_put(x->result); /* a step's result is not the operation's */
        x->result = NULL;
    }
}

int odoo_protocol_run(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    if (!p || !x)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "connection or exchange is NULL");
    odoo__error_reset(err);
    x->result = NULL;
    int needs = x->op == ODOO_OP_PREPARE || x->op == ODOO_OP_LOGIN || x->op == ODOO_OP_CALL;
    int rc = needs ? odoo__ensure_prepared(p, err) : 0;
    if (rc == 0 && x->op == ODOO_OP_CALL)
        rc = odoo__ensure_login(p, err);
    if (rc == 0 && x->op != ODOO_OP_PREPARE)
        rc = odoo__exchange(p, x, err);
    if (rc != 0) {
        json_object_put(x->result);
        x->result = NULL;
        odoo__finish_error(p, err, x->call ? x->call->model : NULL, x->call ? x->call->method : NULL);
    }
    return rc;
}

int odoo__ensure_prepared(odoo_protocol *p, odoo_rpc_error *err)
{
    if (p->prepared || !(p->ops->caps & ODOO_CAP_PREPARE))
        return 0;
    odoo_exchange x = { 0 };
    x.op = ODOO_OP_PREPARE;
    int rc = odoo__exchange(p, &x, err);
    json_object_put(x.result);
    if (rc == 0)
        p->prepared = 1;
    return rc;
}

/* The API key first, the password when the key is refused; only the
 * secrets the adapter takes (REQ-02b-14). */
int odoo__login(odoo_protocol *p, odoo_rpc_error *err)
{
    const unsigned caps = p->ops->caps;
    p->logged_in = 0;
    p->login_secret = NULL;
    int rc = odoo__ensure_prepared(p, err);
    if (rc)
        return rc;
    /* A login that opens a uid (not a key checked per call) names a
     * database and a user. */
    if (caps & ODOO_CAP_NEEDS_LOGIN) {
        if (!p->db || !*p->db)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no database given (options.db)");
        if (!p->login || !*p->login)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no login given (options.login)");
    }
    struct { odoo_secret_kind kind; const char *value; unsigned cap; } secrets[2] = {
        { ODOO_SECRET_API_KEY, p->api_key, ODOO_CAP_API_KEY },
        { ODOO_SECRET_PASSWORD, p->password, ODOO_CAP_PASSWORD },
    };
    int tried = 0, given = 0;
    for (int i = 0; i < 2; i++) {
        if (!secrets[i].value || !*secrets[i].value)
            continue;
        given |= 1 << i;
        if (!(caps & secrets[i].cap))
            continue;
        tried |= 1 << i;
        odoo_exchange x = { 0 };
        x.op = ODOO_OP_LOGIN;
        x.secret_kind = secrets[i].kind;
        x.secret = secrets[i].value;
        rc = odoo__exchange(p, &x, err);
        json_object_put(x.result);
        /* AccessDenied raised instead of False (some versions, 2FA): try the
         * next. A bare 401/403 is a proxy in front refusing us: say so. */
        if (rc == ODOO_ERR_AUTH && !(err && (err->http_status == 401 || err->http_status == 403)) && i == 0 &&
            p->password && *p->password && (caps & ODOO_CAP_PASSWORD))
            continue;
        if (rc != 0)
            return rc;
        if (x.uid > 0) {
            odoo__error_reset(err);
            p->uid = x.uid;
            p->logged_in = 1;
            p->login_secret = secrets[i].value;
            return 0;
        }
    }
    if (!tried) {
        if (given == 1)
            return odoo__error_set(err, ODOO_ERR_AUTH, "the %s login refuses API keys; give a password%s",
                                   p->ops->name, (caps & ODOO_CAP_SESSION)
                                   ? ", or use a protocol that takes keys: json2 (Odoo 19+), jsonrpc-stateless or xmlrpc"
                                   : "");
        if (given == 2)
            return odoo__error_set(err, ODOO_ERR_AUTH, "the %s protocol needs an API key (options.api_key); "
                                   "passwords are refused", p->ops->name);
        return odoo__error_set(err, ODOO_ERR_AUTH, "no password or API key given");
    }
    return odoo__error_set(err, ODOO_ERR_AUTH,
                           "login refused for user '%s' on database '%s' (%s)", p->login ? p->login : "",
                           p->db ? p->db : "",
                           tried == 3 ? "tried the API key, then the password"
                           : tried == 1 ? "with the API key: wrong, expired or not an RPC key"
                                        : "with the password");
}

int odoo__ensure_login(odoo_protocol *p, odoo_rpc_error *err)
{
    int rc = odoo__ensure_prepared(p, err);
    if (rc || !(p->ops->caps & ODOO_CAP_NEEDS_LOGIN) || p->logged_in)
        return rc;
    return odoo__login(p, err);
}

/* Reads that can be sent again after a timeout or a lost connection: the
 * first attempt may have run on the server, and running a read twice
 * changes nothing. */
static const char *const reads[] = {
    "check_access_rights", "context_get", "default_get", "exists", "fields_get", "formatted_read_group",
    "get_metadata", "name_search", "read", "read_group", "search", "search_count", "search_fetch",
    "search_read", "web_read", "web_search_read",
};

int odoo__method_is_read(const char *method)
{
    for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
        if (strcmp(method, reads[i]) == 0)
            return 1;
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0)
        ;
}

int odoo__run_call(odoo_protocol *p, const odoo_call_spec *spec, json_object **out, odoo_rpc_error *err)
{
    int rc = odoo__ensure_login(p, err);
    if (rc)
        return rc;
    /* No retries unless asked for, and then only for reads. */
    int retries = p->retries > 0 && odoo__method_is_read(spec->method) ? p->retries : 0;
    int renewed = 0;
    long delay = p->backoff_ms;
    for (int attempt = 0;; attempt++) {
        odoo_exchange x = { 0 };
        x.op = ODOO_OP_CALL;
        x.call = spec;
        rc = odoo__exchange(p, &x, err);
        if (rc == 0) {
            *out = x.result;
            return 0;
        }
        json_object_put(x.result);
        /* An expired web session: the server refused the call before
         * running it, so logging in again and repeating it is safe. */
        if (rc == ODOO_ERR_SESSION_EXPIRED && (p->ops->caps & ODOO_CAP_SESSION) && !renewed &&
            p->password && *p->password) {
            renewed = 1;
            odoo__error_reset(err);
            if ((rc = odoo__login(p, err)) != 0)
                return rc;
            attempt--;
            continue;
        }
        if (!odoo_error_is_transient((odoo_error_kind)rc) || attempt >= retries)
            return rc;
        long wait = delay;
        long after = odoo_http_retry_after(p->http);
        if (after >= 0 && after * 1000 > wait)
            wait = after * 1000 > RETRY_CAP_MS ? RETRY_CAP_MS : after * 1000;
        sleep_ms(wait);
        delay = delay * 2 > RETRY_CAP_MS ? RETRY_CAP_MS : delay * 2;
        odoo__error_reset(err);
    }
}

void odoo__logout(odoo_protocol *p)
{
    if (!p->logged_in || !(p->ops->caps & ODOO_CAP_LOGOUT))
        return;
    odoo_exchange x = { 0 };
    x.op = ODOO_OP_LOGOUT;
    /* Ending the session changes nothing for a caller who is closing:
     * its failure is ignored, and it may not take long. */
    long saved = odoo__http_set_timeout(p->http, LOGOUT_TIMEOUT_MS);
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo__exchange(p, &x, &err);
    odoo__http_set_timeout(p->http, saved);
    json_object_put(x.result);
    odoo_rpc_error_clear(&err);
    p->logged_in = 0;
}

/* ----- accessors of odoo/sys/protocol.h ----- */

const odoo_options *odoo_protocol_options(const odoo_protocol *p) { return p ? &p->opts : NULL; }
void *odoo_protocol_state(const odoo_protocol *p) { return p ? p->state : NULL; }
const char *odoo_protocol_url(const odoo_protocol *p) { return p && p->url ? p->url : ""; }
const char *odoo_protocol_db(const odoo_protocol *p) { return p && p->db ? p->db : ""; }
const char *odoo_protocol_login(const odoo_protocol *p) { return p && p->login ? p->login : ""; }
const char *odoo_protocol_login_secret(const odoo_protocol *p) { return p ? p->login_secret : NULL; }
json_object *odoo_protocol_context(const odoo_protocol *p) { return p ? p->context : NULL; }
int64_t odoo_protocol_uid(const odoo_protocol *p) { return p ? p->uid : 0; }
int odoo_protocol_server_major(const odoo_protocol *p) { return p ? p->server_major : 0; }
long odoo_protocol_next_id(odoo_protocol *p) { return p ? ++p->request_id : 0; }
int odoo_protocol_is(const odoo_protocol *p, const odoo_protocol_ops *ops) { return p && ops && p->ops == ops; }

void odoo_protocol_set_server_major(odoo_protocol *p, int major)
{
    if (p && major >= 0)
        p->server_major = major;
}

int odoo_protocol_add_secret(odoo_protocol *p, const char *secret)
{
    return p ? odoo_http_add_secret(p->http, secret) : ODOO_ERR_INVALID_ARGUMENT;
}

int odoo_protocol_set_session_secret(odoo_protocol *p, const char *token)
{
    return p ? odoo__http_set_session_secret(p->http, token) : ODOO_ERR_INVALID_ARGUMENT;
}

char *odoo_protocol_cookie(odoo_protocol *p, const char *name)
{
    return p ? odoo_http_cookie(p->http, name) : NULL;
}

const char *odoo_protocol_redirect_location(const odoo_protocol *p)
{
    return p ? odoo_http_redirect_location(p->http) : NULL;
}

const char *odoo_protocol_transport_url(const odoo_protocol *p)
{
    return p ? odoo_http_base_url(p->http) : NULL;
}
