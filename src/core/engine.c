/* The blocking drivers of the core's sequences (task.c has the
 * sequences themselves: one state machine for these and for odoo_multi),
 * the per-call limits, the logout, and the base's accessors. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "odoo/client.h"
#include "../errors/error_internal.h"
#include "base.h"
#include "registry.h"
#include "rows.h"
#include "secret.h"
#include "task.h"

/* A logout must not hold a closing program for the 120 s of a call:
 * it gets this much, or the caller's timeout when that is shorter. */
#define LOGOUT_TIMEOUT_MS 2000L

long long odoo__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void odoo__limits_begin(odoo_protocol *p, const odoo__limits *lim)
{
    odoo__limits_begin_at(p, lim, 0);
}

void odoo__limits_begin_at(odoo_protocol *p, const odoo__limits *lim, long long started_ms)
{
    if (!p || p->limits_depth++ > 0)
        return; /* an outer call's limits hold (search_read_each's pages) */
    p->cancel = lim ? lim->cancel : NULL;
    p->deadline_ms = 0;
    p->call_timeout_ms = 0;
    if (lim && lim->timeout_ms > 0) {
        p->call_timeout_ms = lim->timeout_ms;
        p->deadline_ms = (started_ms ? started_ms : odoo__now_ms()) + lim->timeout_ms;
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

int odoo__limits_expired(const volatile int *cancel, long long deadline_ms, long timeout_ms, odoo_rpc_error *err)
{
    if (cancel && *cancel)
        return odoo__error_set(err, ODOO_ERR_CANCELLED, "the call was cancelled (its cancel flag is set)");
    if (deadline_ms && deadline_ms - odoo__now_ms() <= 0)
        return odoo__error_set(err, ODOO_ERR_TIMEOUT, "the call's timeout of %ld ms expired", timeout_ms);
    return 0;
}

/* Before each exchange: the caller's cancel flag and the call's deadline
 * (the transport gets what is left of it). */
int odoo__check_limits(odoo_protocol *p, odoo_rpc_error *err)
{
    int rc = odoo__limits_expired(p->cancel, p->deadline_ms, p->call_timeout_ms, err);
    if (rc || !p->deadline_ms)
        return rc;
    long long left = p->deadline_ms - odoo__now_ms();
    long saved = odoo__http_set_timeout(p->http, left > 0 ? (long)left : 1L);
    if (!p->timeout_saved) {
        p->saved_timeout_ms = saved;
        p->timeout_saved = 1;
    }
    return 0;
}

/* The blocking drivers: one task each, sent with odoo_http_send. */
int odoo__exchange(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    odoo__task t;
    odoo__task_init(&t, p, ODOO__TASK_EXCHANGE, err);
    t.x = x;
    return odoo__task_run(&t);
}

int odoo__ensure_prepared(odoo_protocol *p, odoo_rpc_error *err)
{
    odoo__task t;
    odoo__task_init(&t, p, ODOO__TASK_PREPARE, err);
    return odoo__task_run(&t);
}

int odoo__login(odoo_protocol *p, odoo_rpc_error *err)
{
    odoo__task t;
    odoo__task_init(&t, p, ODOO__TASK_LOGIN, err);
    return odoo__task_run(&t);
}

int odoo__ensure_login(odoo_protocol *p, odoo_rpc_error *err)
{
    odoo__task t;
    odoo__task_init(&t, p, ODOO__TASK_ENSURE_LOGIN, err);
    return odoo__task_run(&t);
}

static int run_call(odoo_protocol *p, const odoo_call_spec *spec, odoo__stream *stream, json_object **out,
                    odoo_rpc_error *err)
{
    if (p->busy) /* an odoo_multi runs a call on it: one exchange at a time per connection */
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "the connection has a call in progress in an odoo_multi");
    odoo__task t;
    odoo__task_init(&t, p, ODOO__TASK_CALL, err);
    t.spec = spec;
    t.stream = stream;
    int rc = odoo__task_run(&t);
    if (rc == 0 && out)
        *out = t.result;
    else
        json_object_put(t.result);
    return rc;
}

int odoo__run_call(odoo_protocol *p, const odoo_call_spec *spec, json_object **out, odoo_rpc_error *err)
{
    return run_call(p, spec, NULL, out, err);
}

int odoo__run_call_stream(odoo_protocol *p, const odoo_call_spec *spec, odoo__stream *s, odoo_rpc_error *err)
{
    return run_call(p, spec, s, NULL, err);
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
