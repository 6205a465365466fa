/* Private: the core's sequences as resumable state machines.
 *
 * A task is one sequence of the engine (an operation's exchanges, the
 * PREPARE once, a login with the key then the password, a call with its
 * implicit login, one re-login and its retries) stopped wherever it needs
 * the outside world: an HTTP exchange, or the end of a retry's backoff.
 * Whoever drives it does that I/O and steps it again. The policies live
 * here only; the blocking API (engine.c) drives one task with
 * odoo_http_send and nanosleep, odoo_multi (multi.c) many with libcurl's
 * multi interface.
 *
 *     odoo__task t;
 *     odoo__task_init(&t, p, ODOO__TASK_CALL, err);
 *     t.spec = &spec;
 *     for (;;) switch (odoo__task_step(&t)) {
 *     case ODOO__TASK_SEND: ... send t.x->request on p's transport ...
 *                           odoo__task_answer(&t, rc, &resp); break;
 *     case ODOO__TASK_WAIT: ... until t.wake_ms ...; break;
 *     default: return t.rc;   // ODOO__TASK_DONE; t.result for a call
 *     }
 *
 * A task holds no allocation of its own (t.result aside, which is the
 * caller's): abandoning it between steps leaks nothing. */
#ifndef ODOO_TASK_H
#define ODOO_TASK_H

#include "base.h"

struct odoo__stream;

typedef enum odoo__task_kind {
    ODOO__TASK_EXCHANGE = 1,  /* t.x's exchanges only (the caller's exchange, op and inputs set) */
    ODOO__TASK_PREPARE,       /* PREPARE once (odoo__ensure_prepared) */
    ODOO__TASK_LOGIN,         /* log in now (odoo__login) */
    ODOO__TASK_ENSURE_LOGIN,  /* PREPARE, then log in when needed and not yet done */
    ODOO__TASK_CALL           /* odoo__run_call: t.spec */
} odoo__task_kind;

/* What odoo__task_step says the task waits for. */
#define ODOO__TASK_DONE 0  /* finished: t.rc is 0 or the error kind (t.err filled, not finished) */
#define ODOO__TASK_SEND 1  /* send t.x->request on the connection's transport, then odoo__task_answer */
#define ODOO__TASK_WAIT 2  /* step again at t.wake_ms (CLOCK_MONOTONIC ms) or later */

#define ODOO__TASK_DEPTH 5

typedef struct odoo__task {
    odoo_protocol *p;
    odoo_rpc_error *err;          /* where the sequence reports (borrowed) */
    int phase;
    int depth;
    int stack[ODOO__TASK_DEPTH];  /* where each running subsequence returns */
    int rc;                       /* the last subsequence's result, then the task's */
    odoo_exchange *x;             /* the exchange in progress: own, or the caller's */
    odoo_exchange own;
    const odoo_call_spec *spec;   /* CALL: borrowed until done */
    struct odoo__stream *stream;  /* CALL: its answer read as it arrives (rows.h), or NULL; borrowed.
                                     No retry once the stream delivered a record */
    json_object *result;          /* CALL: the result once done with 0 (a new reference, the caller's) */
    int secret, tried, given;     /* LOGIN: the secret being tried; bits of those tried, given */
    int attempt, retries, renewed;
    long delay;                   /* CALL: the next backoff */
    long long wait_until;         /* CALL: the end of the backoff */
    long long wake_ms;            /* WAIT: when to step again */
} odoo__task;

/* Start kind on p, reporting into err. Set t->x (EXCHANGE) or t->spec
 * (CALL) before the first step. */
void odoo__task_init(odoo__task *t, odoo_protocol *p, odoo__task_kind kind, odoo_rpc_error *err);

/* Run until the task needs I/O or is done: ODOO__TASK_*. */
int odoo__task_step(odoo__task *t);

/* The exchange asked for finished: rc is odoo_http_send's (0 with resp
 * filled, or the transport's error kind). */
void odoo__task_answer(odoo__task *t, int rc, const odoo_http_response *resp);

/* Drive the task to its end with blocking sends and sleeps: t->rc. */
int odoo__task_run(odoo__task *t);

#endif
