/* The core's sequences of exchanges, once for every protocol and every
 * driver: an adapter only encodes one request and decodes one answer at a
 * time; what comes before and after (preparation, login, re-login,
 * retries) is decided here. Each sequence is a subsequence of phases with
 * a small return stack, so that it can stop at any exchange or backoff
 * and go on when the driver steps it again (task.h). */
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "../errors/error_internal.h"
#include "rows.h"
#include "task.h"

#define RETRY_CAP_MS 10000L
#define WAIT_SLICE_MS 50L  /* a backoff looks at the cancel flag and the deadline this often */

enum phase {
    P_DONE,
    P_X_BEGIN, P_X_STEP, P_X_SENT,                   /* one operation's exchanges (t->x) */
    P_PREPARE, P_PREPARE_DONE,                       /* PREPARE once */
    P_LOGIN, P_LOGIN_READY, P_LOGIN_NEXT, P_LOGIN_ANSWER,
    P_ENSURE_LOGIN, P_ENSURE_LOGIN_READY,
    P_CALL, P_CALL_ATTEMPT, P_CALL_LOGGED, P_CALL_ANSWER, P_CALL_FAILED, P_CALL_WAIT,
};

/* Run the subsequence sub; it returns to phase back with t->rc. */
static void sub(odoo__task *t, int sub_phase, int back)
{
    t->stack[t->depth++] = back;
    t->phase = sub_phase;
}

static void ret(odoo__task *t, int rc)
{
    t->rc = rc;
    t->phase = t->stack[--t->depth];
}

/* The task's own exchange for op, zeroed. */
static odoo_exchange *fresh(odoo__task *t, odoo_op op)
{
    memset(&t->own, 0, sizeof(t->own));
    t->own.op = op;
    t->x = &t->own;
    return &t->own;
}

static void drop_result(odoo_exchange *x)
{
    json_object_put(x->result);
    x->result = NULL;
}

void odoo__task_init(odoo__task *t, odoo_protocol *p, odoo__task_kind kind, odoo_rpc_error *err)
{
    static const int entry[] = {
        [ODOO__TASK_EXCHANGE] = P_X_BEGIN, [ODOO__TASK_PREPARE] = P_PREPARE, [ODOO__TASK_LOGIN] = P_LOGIN,
        [ODOO__TASK_ENSURE_LOGIN] = P_ENSURE_LOGIN, [ODOO__TASK_CALL] = P_CALL,
    };
    t->p = p;
    t->err = err;
    t->depth = 1;
    t->stack[0] = P_DONE;
    t->phase = entry[kind];
    t->rc = 0;
    t->x = NULL;
    t->spec = NULL;
    t->stream = NULL;
    t->result = NULL;
    t->own.result = NULL;
}

/* The login's secrets in the order tried: the API key first. */
static const char *login_secret(const odoo_protocol *p, int i, odoo_secret_kind *kind, unsigned *cap)
{
    *kind = i == 0 ? ODOO_SECRET_API_KEY : ODOO_SECRET_PASSWORD;
    *cap = i == 0 ? ODOO_CAP_API_KEY : ODOO_CAP_PASSWORD;
    return i == 0 ? p->api_key : p->password;
}

/* Why no login could succeed, once every secret was tried or skipped
 * (REQ-02b-14: only the secrets the adapter takes). */
static int login_refused(odoo__task *t)
{
    odoo_protocol *p = t->p;
    odoo_rpc_error *err = t->err;
    if (!t->tried) {
        if (t->given == 1)
            return odoo__error_set(err, ODOO_ERR_AUTH, "the %s login refuses API keys; give a password%s",
                                   p->ops->name, (p->ops->caps & ODOO_CAP_SESSION)
                                   ? ", or use a protocol that takes keys: json2 (Odoo 19+), jsonrpc-stateless or xmlrpc"
                                   : "");
        if (t->given == 2)
            return odoo__error_set(err, ODOO_ERR_AUTH, "the %s protocol needs an API key (options.api_key); "
                                   "passwords are refused", p->ops->name);
        return odoo__error_set(err, ODOO_ERR_AUTH, "no password or API key given");
    }
    return odoo__error_set(err, ODOO_ERR_AUTH,
                           "login refused for user '%s' on database '%s' (%s)", p->login ? p->login : "",
                           p->db ? p->db : "",
                           t->tried == 3 ? "tried the API key, then the password"
                           : t->tried == 1 ? "with the API key: wrong, expired or not an RPC key"
                                           : "with the password");
}

/* The next backoff slice: the whole rest when no limit can end it early. */
static long long next_wake(const odoo__task *t, long long now)
{
    if (!t->p->cancel && !t->p->deadline_ms)
        return t->wait_until;
    return t->wait_until - now > WAIT_SLICE_MS ? now + WAIT_SLICE_MS : t->wait_until;
}

int odoo__task_step(odoo__task *t)
{
    odoo_protocol *p = t->p;
    const odoo_protocol_ops *ops = p->ops;
    odoo_rpc_error *err = t->err;
    for (;;) {
        switch (t->phase) {
        case P_DONE:
            return ODOO__TASK_DONE;

        /* ----- one operation: encode, send, decode, again while asked ----- */
        case P_X_BEGIN:
            t->x->step = 0;
            t->phase = P_X_STEP;
            break;
        case P_X_STEP: {
            odoo_exchange *x = t->x;
            if (x->step >= ODOO_EXCHANGE_MAX_STEPS) {
                ret(t, odoo__error_set(err, ODOO_ERR_PROTOCOL, "the %s adapter asked for more than %d "
                                       "exchanges for one operation", ops->name, ODOO_EXCHANGE_MAX_STEPS));
                break;
            }
            memset(&x->request, 0, sizeof(x->request));
            /* The limits first: encode may read the time left (a gateway passes it on). */
            int rc = (p->cancel || p->deadline_ms) ? odoo__check_limits(p, err) : 0;
            if (rc) {
                ret(t, rc);
                break;
            }
            rc = ops->encode(p, x, err);
            if (rc == ODOO_EXCHANGE_DONE) {
                ret(t, 0);
                break;
            }
            if (rc != 0) {
                ret(t, rc < 0 ? rc : odoo__error_set(err, ODOO_ERR_PROTOCOL, "the %s adapter's encode returned %d",
                                                     ops->name, rc));
                break;
            }
            if (t->stream && x->op == ODOO_OP_CALL)
                odoo__stream_arm(t->stream, x);
            t->phase = P_X_SENT;
            return ODOO__TASK_SEND;
        }
        case P_X_SENT:
            return ODOO__TASK_SEND; /* still waiting for odoo__task_answer */

        /* ----- PREPARE once per connection ----- */
        case P_PREPARE:
            if (p->prepared || !(ops->caps & ODOO_CAP_PREPARE)) {
                ret(t, 0);
                break;
            }
            fresh(t, ODOO_OP_PREPARE);
            sub(t, P_X_BEGIN, P_PREPARE_DONE);
            break;
        case P_PREPARE_DONE:
            drop_result(&t->own);
            if (t->rc == 0)
                p->prepared = 1;
            ret(t, t->rc);
            break;

        /* ----- log in: the API key first, the password when the key is refused ----- */
        case P_LOGIN:
            p->logged_in = 0;
            p->login_secret = NULL;
            sub(t, P_PREPARE, P_LOGIN_READY);
            break;
        case P_LOGIN_READY:
            if (t->rc) {
                ret(t, t->rc);
                break;
            }
            /* A login that opens a uid (not a key checked per call) names a
             * database and a user. */
            if (ops->caps & ODOO_CAP_NEEDS_LOGIN) {
                if (!p->db || !*p->db) {
                    ret(t, odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no database given (options.db)"));
                    break;
                }
                if (!p->login || !*p->login) {
                    ret(t, odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no login given (options.login)"));
                    break;
                }
            }
            t->secret = 0;
            t->tried = t->given = 0;
            t->phase = P_LOGIN_NEXT;
            break;
        case P_LOGIN_NEXT:
            for (; t->secret < 2; t->secret++) {
                odoo_secret_kind kind;
                unsigned cap;
                const char *value = login_secret(p, t->secret, &kind, &cap);
                if (!value || !*value)
                    continue;
                t->given |= 1 << t->secret;
                if (!(ops->caps & cap))
                    continue;
                t->tried |= 1 << t->secret;
                odoo_exchange *x = fresh(t, ODOO_OP_LOGIN);
                x->secret_kind = kind;
                x->secret = value;
                sub(t, P_X_BEGIN, P_LOGIN_ANSWER);
                break;
            }
            if (t->phase == P_LOGIN_NEXT) /* every secret tried or skipped */
                ret(t, login_refused(t));
            break;
        case P_LOGIN_ANSWER: {
            int rc = t->rc;
            drop_result(&t->own);
            /* AccessDenied raised instead of False (some versions, 2FA): try the
             * next. A bare 401/403 is a proxy in front refusing us: say so. */
            if (rc == ODOO_ERR_AUTH && !(err && (err->http_status == 401 || err->http_status == 403)) &&
                t->secret == 0 && p->password && *p->password && (ops->caps & ODOO_CAP_PASSWORD)) {
                t->secret++;
                t->phase = P_LOGIN_NEXT;
                break;
            }
            if (rc != 0) {
                ret(t, rc);
                break;
            }
            if (t->own.uid > 0) {
                odoo__error_reset(err);
                p->uid = t->own.uid;
                p->logged_in = 1;
                p->login_secret = t->secret == 0 ? p->api_key : p->password;
                ret(t, 0);
                break;
            }
            t->secret++;
            t->phase = P_LOGIN_NEXT;
            break;
        }

        /* ----- PREPARE, then a login when the adapter needs a uid and has none ----- */
        case P_ENSURE_LOGIN:
            sub(t, P_PREPARE, P_ENSURE_LOGIN_READY);
            break;
        case P_ENSURE_LOGIN_READY:
            if (t->rc || !(ops->caps & ODOO_CAP_NEEDS_LOGIN) || p->logged_in)
                ret(t, t->rc);
            else
                t->phase = P_LOGIN; /* returns where we would have */
            break;

        /* ----- a call: implicit login, one re-login, retries of reads ----- */
        case P_CALL:
            /* No retries unless asked for, and then only for reads: the login a
             * read needs first (PREPARE included) is retried with it, since
             * logging in twice changes nothing either. */
            t->retries = p->retries > 0 && odoo__method_is_read(t->spec->method) ? p->retries : 0;
            t->renewed = 0;
            t->delay = p->backoff_ms;
            t->attempt = 0;
            t->phase = P_CALL_ATTEMPT;
            break;
        case P_CALL_ATTEMPT:
            sub(t, P_ENSURE_LOGIN, P_CALL_LOGGED);
            break;
        case P_CALL_LOGGED:
            if (t->rc) {
                t->phase = P_CALL_FAILED;
                break;
            }
            fresh(t, ODOO_OP_CALL)->call = t->spec;
            sub(t, P_X_BEGIN, P_CALL_ANSWER);
            break;
        case P_CALL_ANSWER:
            if (t->rc == 0) {
                t->result = t->own.result;
                t->own.result = NULL;
                ret(t, 0);
                break;
            }
            drop_result(&t->own);
            t->phase = P_CALL_FAILED;
            break;
        case P_CALL_FAILED: {
            int rc = t->rc;
            /* Records already went to the caller: sending the read again
             * would give them twice. */
            if (t->stream && t->stream->delivered) {
                ret(t, rc);
                break;
            }
            /* An expired web session: the server refused the call before
             * running it, so logging in again and repeating it is safe.
             * Once: a second expiry is an error. */
            if (rc == ODOO_ERR_SESSION_EXPIRED && (ops->caps & ODOO_CAP_SESSION) && !t->renewed &&
                p->password && *p->password) {
                t->renewed = 1;
                p->logged_in = 0;
                odoo__error_reset(err);
                t->phase = P_CALL_ATTEMPT;
                break;
            }
            if (!odoo_error_is_transient((odoo_error_kind)rc) || t->attempt >= t->retries) {
                ret(t, rc);
                break;
            }
            long wait = t->delay;
            long after = odoo_http_retry_after(p->http);
            if (after >= 0 && after * 1000 > wait)
                wait = after * 1000 > RETRY_CAP_MS ? RETRY_CAP_MS : after * 1000;
            odoo__error_reset(err);
            long long now = odoo__now_ms();
            t->wait_until = now + wait;
            t->wake_ms = next_wake(t, now);
            t->phase = P_CALL_WAIT;
            return ODOO__TASK_WAIT;
        }
        case P_CALL_WAIT: {
            long long now = odoo__now_ms();
            if (now < t->wake_ms)
                return ODOO__TASK_WAIT; /* stepped early */
            /* the cancel flag and the deadline end a backoff too */
            int rc = (p->cancel || p->deadline_ms) ? odoo__check_limits(p, err) : 0;
            if (rc) {
                ret(t, rc);
                break;
            }
            if (now < t->wait_until) {
                t->wake_ms = next_wake(t, now);
                return ODOO__TASK_WAIT;
            }
            t->delay = t->delay * 2 > RETRY_CAP_MS ? RETRY_CAP_MS : t->delay * 2;
            t->attempt++;
            t->phase = P_CALL_ATTEMPT;
            break;
        }
        }
    }
}

void odoo__task_answer(odoo__task *t, int rc, const odoo_http_response *resp)
{
    odoo_protocol *p = t->p;
    const odoo_protocol_ops *ops = p->ops;
    odoo_exchange *x = t->x;
    if (t->phase != P_X_SENT)
        return;
    if (t->stream && x->op == ODOO_OP_CALL) {
        rc = odoo__stream_answer(t->stream, x, rc, resp, t->err); /* calls decode or failed itself */
    } else if (rc != 0) {
        ret(t, ops->failed ? ops->failed(p, x, rc, t->err) : rc);
        return;
    } else {
        rc = ops->decode(p, x, resp, t->err);
    }
    if (rc != ODOO_EXCHANGE_AGAIN) {
        ret(t, rc > 0 ? odoo__error_set(t->err, ODOO_ERR_PROTOCOL, "the %s adapter's decode returned %d",
                                        ops->name, rc) : rc);
        return;
    }
    drop_result(x); /* a step's result is not the operation's */
    x->step++;
    t->phase = P_X_STEP;
}

int odoo__task_run(odoo__task *t)
{
    for (;;) {
        switch (odoo__task_step(t)) {
        case ODOO__TASK_SEND: {
            odoo_http_response resp;
            int rc = odoo_http_send(t->p->http, &t->x->request, &resp, t->err);
            odoo__task_answer(t, rc, &resp);
            break;
        }
        case ODOO__TASK_WAIT: {
            long long left = t->wake_ms - odoo__now_ms();
            if (left > 0) {
                struct timespec ts = { (time_t)(left / 1000), (long)(left % 1000) * 1000000L };
                while (nanosleep(&ts, &ts) != 0)
                    ;
            }
            break;
        }
        default:
            return t->rc;
        }
    }
}
