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

/* A logout must not hold a closing program for the 120 s of a call:
 * it gets this much, or the caller's timeout when that is shorter. */
#define LOGOUT_TIMEOUT_MS 2000L
#define RETRY_CAP_MS 10000L

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void odoo__limits_begin(odoo_protocol *p, const odoo__limits *lim)
{
    if (!p || p->limits_depth++ > 0)
        return; /* an outer call's limits hold (search_read_each's pages) */
    p->cancel = lim ? lim->cancel : NULL;
    p->deadline_ms = 0;
    p->call_timeout_ms = 0;
    if (lim && lim->timeout_ms > 0) {
        p->call_timeout_ms = lim->timeout_ms;
        p->deadline_ms = now_ms() + lim->timeout_ms;
    }
    odoo__http_set_cancel(p->http, p->cancel);
    if (lim && lim->timeout_ms < 0) { /* no limit for this call */
        p->saved_timeout_ms = odoo__http_set_timeout(p->http, 0);
        p->timeout_saved = 1;
    }
}

void odoo__limits_end(odoo_protocol *p)
{
    if (!p || --p->limits_depth > 0)
        return;
    if (p->timeout_saved)
        odoo__http_set_timeout(p->http, p->saved_timeout_ms);
    p->timeout_saved = 0;
    p->cancel = NULL;
    p->deadline_ms = 0;
    odoo__http_set_cancel(p->http, NULL);
}

/* Before each exchange: the caller's cancel flag and the call's deadline
 * (the transport gets what is left of it). */
static int check_limits(odoo_protocol *p, odoo_rpc_error *err)
{
    if (p->cancel && *p->cancel)
        return odoo__error_set(err, ODOO_ERR_CANCELLED, "the call was cancelled (its cancel flag is set)");
    if (!p->deadline_ms)
        return 0;
    long long left = p->deadline_ms - now_ms();
    if (left <= 0)
        return odoo__error_set(err, ODOO_ERR_TIMEOUT, "the call's timeout of %ld ms expired", p->call_timeout_ms);
    long saved = odoo__http_set_timeout(p->http, (long)left);
    if (!p->timeout_saved) {
        p->saved_timeout_ms = saved;
        p->timeout_saved = 1;
    }
    return 0;
}

int odoo__exchange(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    const odoo_protocol_ops *ops = p->ops;
    for (x->step = 0;; x->step++) {
        if (x->step >= ODOO_EXCHANGE_MAX_STEPS)
            return odoo__error_set(err, ODOO_ERR_PROTOCOL, "the %s adapter asked for more than %d exchanges "
                                   "for one operation", ops->name, ODOO_EXCHANGE_MAX_STEPS);
        memset(&x->request, 0, sizeof(x->request));
        /* The limits first: encode may read the time left (a gateway passes it on). */
        int rc = (p->cancel || p->deadline_ms) ? check_limits(p, err) : 0;
        if (rc)
            return rc;
        rc = ops->encode(p, x, err);
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

/* Wait ms between retries, in slices so that a cancel flag or the
 * call's deadline stops the wait. */
static int wait_ms(odoo_protocol *p, long ms, odoo_rpc_error *err)
{
    while (ms > 0) {
        long slice = ms > 50 ? 50 : ms;
        struct timespec ts = { 0, slice * 1000000L };
        while (nanosleep(&ts, &ts) != 0)
            ;
        ms -= slice;
        int rc = (p->cancel || p->deadline_ms) ? check_limits(p, err) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

int odoo__run_call(odoo_protocol *p, const odoo_call_spec *spec, json_object **out, odoo_rpc_error *err)
{
    /* No retries unless asked for, and then only for reads: the login a
     * read needs first (PREPARE included) is retried with it, since
     * logging in twice changes nothing either. */
    int retries = p->retries > 0 && odoo__method_is_read(spec->method) ? p->retries : 0;
    int renewed = 0;
    long delay = p->backoff_ms;
    for (int attempt = 0;; attempt++) {
        int rc = odoo__ensure_login(p, err);
        if (rc == 0) {
            odoo_exchange x = { 0 };
            x.op = ODOO_OP_CALL;
            x.call = spec;
            rc = odoo__exchange(p, &x, err);
            if (rc == 0) {
                *out = x.result;
                return 0;
            }
            json_object_put(x.result);
        }
        /* An expired web session: the server refused the call before
         * running it, so logging in again (at the top of the loop) and
         * repeating it is safe. Once: a second expiry is an error. */
        if (rc == ODOO_ERR_SESSION_EXPIRED && (p->ops->caps & ODOO_CAP_SESSION) && !renewed &&
            p->password && *p->password) {
            renewed = 1;
            p->logged_in = 0;
            odoo__error_reset(err);
            attempt--;
            continue;
        }
        if (!odoo_error_is_transient((odoo_error_kind)rc) || attempt >= retries)
            return rc;
        long wait = delay;
        long after = odoo_http_retry_after(p->http);
        if (after >= 0 && after * 1000 > wait)
            wait = after * 1000 > RETRY_CAP_MS ? RETRY_CAP_MS : after * 1000;
        odoo__error_reset(err);
        if ((rc = wait_ms(p, wait, err)) != 0)
            return rc;
        delay = delay * 2 > RETRY_CAP_MS ? RETRY_CAP_MS : delay * 2;
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
    if (saved > 0 && saved < LOGOUT_TIMEOUT_MS) /* a shorter timeout of the caller's holds */
        odoo__http_set_timeout(p->http, saved);
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

long odoo_protocol_timeout_ms(const odoo_protocol *p)
{
    if (!p)
        return 0;
    if (p->deadline_ms) /* check_limits gave the transport what is left */
        return odoo__http_timeout(p->http);
    return p->opts.timeout_ms > 0 ? p->opts.timeout_ms : 0;
}

const char *odoo_protocol_transport_url(const odoo_protocol *p)
{
    return p ? odoo_http_base_url(p->http) : NULL;
}
