/*
 * echo_adapter.c — a complete libodoo adapter in one file, for adapter
 * authors (in the spirit of SQLite's src/test_demovfs.c).
 *
 * "echo" hands every call on to the server unchanged, in the form of
 * Odoo's stateless /jsonrpc: POST /jsonrpc with {"service", "method",
 * "args"} inside a JSON-RPC 2.0 envelope, the credentials in every call
 * (service "common": version, authenticate; service "object": execute_kw).
 * It is written with nothing but the installed headers — <odoo.h> and
 * <odoo/sys/...> — and the toolkit they publish: odoo_buf_* to write a
 * request, odoo_buf_call_args/kwargs for Odoo's call convention,
 * odoo_jsonrpc_begin/end/decode for the envelope, odoo_error_set for
 * errors, odoo_protocol_* to read the connection.
 *
 * An adapter translates; it never sends. The core asks it to encode one
 * HTTP exchange for an operation (a login, a call, the version), sends it
 * on the connection's transport, then asks it to decode the answer. The
 * core owns everything around that: logging in before the first call
 * (the API key first, then the password), retries, context merging,
 * validation of model and method names, masking secrets in errors.
 *
 * Build against an installed libodoo, and run against odoo-mock:
 *     cc -std=c11 echo_adapter.c $(pkg-config --cflags --libs libodoo) -o echo-adapter
 *     odoo-mock --port 8069 &
 *     ./echo-adapter http://127.0.0.1:8069 odoo admin admin
 * tests/unit/test_echo_adapter.c includes this file (ECHO_ADAPTER_NO_MAIN)
 * and passes every helper of <odoo/helpers.h> through it.
 */
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <odoo.h>
#include <odoo/sys/buf.h>
#include <odoo/sys/callconv.h>
#include <odoo/sys/errors.h>
#include <odoo/sys/jsonrpc.h>
#include <odoo/sys/protocol.h>

/* The adapter's public face: what a program calls (declared here; an
 * adapter shipped as a library would put these in its own header). */
int echo_adapter_register(odoo_rpc_error *err);
int echo_db_exist(int *out, odoo_protocol *p, const char *db, odoo_rpc_error *err);
long echo_exchanges(const odoo_protocol *p);

/* The adapter's state, one per connection: the core allocates
 * ops.state_size zeroed bytes and odoo_protocol_state() gives them. */
typedef struct echo_state {
    odoo_buf body;      /* the request in flight: it holds the secret, so it is wiped once answered */
    long id;            /* its JSON-RPC id, checked against the answer's */
    long exchanges;     /* answers decoded (echo_exchanges) */
} echo_state;

/* ODOO_OP_CUSTOM codes: exchanges of the adapter's own, run through
 * odoo_protocol_run() by its public functions (echo_db_exist). */
enum { ECHO_DB_EXIST = 1 };

/* {"jsonrpc":"2.0","method":"call","params":{"service":S,"method":M,"args":[
 * — the caller writes the args, end_call() closes everything. */
static void begin_call(odoo_buf *b, const char *service, const char *method)
{
    odoo_jsonrpc_begin(b); /* empties b first */
    odoo_buf_lit(b, "{\"service\":");
    odoo_buf_json_string(b, service);
    odoo_buf_lit(b, ",\"method\":");
    odoo_buf_json_string(b, method);
    odoo_buf_lit(b, ",\"args\":[");
}

static int end_call(odoo_protocol *p, echo_state *s, odoo_exchange *x, odoo_rpc_error *err)
{
    odoo_buf_lit(&s->body, "]}");
    odoo_jsonrpc_end(&s->body, s->id = odoo_protocol_next_id(p));
    /* Appends never fail loudly: one check at the end. */
    if (s->body.failed) {
        odoo_buf_reset(&s->body, 1);
        return odoo_error_nomem(err);
    }
    /* The request points into the state: it must stay valid until decode
     * (or failed) returns, and the state lives as long as the connection. */
    x->request.method = "POST";
    x->request.path = "/jsonrpc";
    x->request.content_type = "application/json";
    x->request.body = s->body.data;
    x->request.body_len = s->body.len;
    return 0;
}

/* ops.open: after the core has checked and copied the options and made
 * the transport. Check what the core cannot know: options this adapter
 * would otherwise silently ignore are refused. (The state is already
 * zeroed; an adapter with resources would set them up here.) */
static int echo_open(odoo_protocol *p, odoo_rpc_error *err)
{
    const odoo_options *o = odoo_protocol_options(p);
    if (o->proxy_url && *o->proxy_url)
        return odoo_error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                              "echo talks to Odoo itself: options.proxy_url is not used, leave it empty");
    return 0;
}

/* ops.close: release what the state points to (the core frees the state
 * itself). Called once, also after a failed open. */
static void echo_close(odoo_protocol *p)
{
    echo_state *s = odoo_protocol_state(p);
    odoo_buf_free(&s->body); /* wipes, then frees */
}

/* ops.encode: describe the next exchange of x->op in x->request. Return
 * 0 (send it), ODOO_EXCHANGE_DONE (x->result is already the answer:
 * nothing to send) or an error (nothing is sent). The core only asks for
 * the ops the caps promise: no PREPARE (no ODOO_CAP_PREPARE), no LOGOUT
 * (no ODOO_CAP_LOGOUT, there is no session to end). */
static int echo_encode(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    echo_state *s = odoo_protocol_state(p);
    odoo_buf *b = &s->body;
    switch (x->op) {
    case ODOO_OP_VERSION:
        /* common.version(): no login needed. */
        begin_call(b, "common", "version");
        break;
    case ODOO_OP_LOGIN:
        /* common.authenticate(db, login, secret, user_agent_env): a uid or
         * False. x->secret is the API key or the password; the core tries
         * the key first and the password when the key is refused, because
         * the caps say the login takes both. */
        begin_call(b, "common", "authenticate");
        odoo_buf_json_string(b, odoo_protocol_db(p));
        odoo_buf_lit(b, ",");
        odoo_buf_json_string(b, odoo_protocol_login(p));
        odoo_buf_lit(b, ",");
        odoo_buf_json_string(b, x->secret);
        odoo_buf_lit(b, ",{}");
        break;
    case ODOO_OP_CALL: {
        /* object.execute_kw(db, uid, secret, model, method, args[, kwargs]).
         * The core has logged in (ODOO_CAP_NEEDS_LOGIN), validated model and
         * method, and merged the context; the toolkit writes Odoo's
         * positional convention: the record ids first in args, the context
         * inside kwargs. kwargs is left out when empty, as Python does. */
        const char *secret = odoo_protocol_login_secret(p); /* the one the login accepted */
        begin_call(b, "object", "execute_kw");
        odoo_buf_json_string(b, odoo_protocol_db(p));
        odoo_buf_lit(b, ",");
        odoo_buf_int(b, odoo_protocol_uid(p));
        odoo_buf_lit(b, ",");
        odoo_buf_json_string(b, secret ? secret : "");
        odoo_buf_lit(b, ",");
        odoo_buf_json_string(b, x->call->model);
        odoo_buf_lit(b, ",");
        odoo_buf_json_string(b, x->call->method);
        odoo_buf_lit(b, ",");
        odoo_buf_call_args(b, x->call);
        if (odoo_call_has_kwargs(x->call)) {
            odoo_buf_lit(b, ",");
            odoo_buf_call_kwargs(b, x->call);
        }
        break;
    }
    case ODOO_OP_CUSTOM:
        /* The adapter's own exchange: db.db_exist(name). */
        if (x->custom != ECHO_DB_EXIST || !x->custom_arg)
            return odoo_error_set(err, ODOO_ERR_INVALID_ARGUMENT, "echo: unknown custom exchange %d", x->custom);
        begin_call(b, "db", "db_exist");
        odoo_buf_json_string(b, (const char *)x->custom_arg);
        break;
    default:
        return odoo_error_set(err, ODOO_ERR_UNSUPPORTED, "echo has no exchange for operation %d", (int)x->op);
    }
    return end_call(p, s, x, err);
}

/* ops.decode: read the answer to the request encode described, whatever
 * its HTTP status (the adapter decides what a status means). Fill
 * x->result (a new reference; NULL for None) and, for a login, x->uid;
 * return 0, ODOO_EXCHANGE_AGAIN (encode another exchange for the same
 * operation, x->step + 1) or an error. */
static int echo_decode(odoo_protocol *p, odoo_exchange *x, const odoo_http_response *resp, odoo_rpc_error *err)
{
    echo_state *s = odoo_protocol_state(p);
    odoo_buf_reset(&s->body, 1); /* sent: wipe the secret now */
    s->exchanges++;
    /* The envelope reader: the result, or Odoo's error member read into err
     * with the right kind (an unknown model is ODOO_ERR_NOT_FOUND, a
     * deleted record ODOO_ERR_MISSING, ...); an HTML page or a proxy's
     * error keeps its status and first bytes; a wrong id is a protocol
     * error. */
    odoo_jsonrpc_id id = { 1, s->id, NULL };
    int rc = odoo_jsonrpc_decode(&x->result, resp, ODOO_JSONRPC_ODOO, &id, err);
    if (rc != 0)
        return rc;
    if (x->op == ODOO_OP_LOGIN)
        /* A uid, or False: 0 tells the core the secret was refused (it
         * then tries the next one, or reports ODOO_ERR_AUTH); anything else
         * is a protocol error. The toolkit reads it as every built-in does. */
        return odoo_authenticate_uid(&x->uid, x->result, err);
    /* ODOO_OP_VERSION: the core records the server's version from the
     * dictionary itself (odoo_protocol_learn_version). */
    return 0;
}

/* ops.failed: the transport failed the exchange (connect, timeout, a
 * refused redirect, ...): err says how. Refine err with what the adapter
 * knows and return the kind to report; here only the request, which holds
 * the secret, is wiped. May be NULL when there is nothing to do. */
static int echo_failed(odoo_protocol *p, odoo_exchange *x, int kind, odoo_rpc_error *err)
{
    (void)x;
    (void)err;
    odoo_buf_reset(&((echo_state *)odoo_protocol_state(p))->body, 1);
    return kind;
}

/* The vtable. The core reads a table by its version: new slots are only
 * appended, so this table keeps working with later libraries. */
static const odoo_protocol_ops echo_ops = {
    ODOO_PROTOCOL_OPS_VERSION,
    "echo",
    /* Each bit changes what the core does: NEEDS_LOGIN, a login before the
     * first call (calls carry the uid); API_KEY and PASSWORD, which
     * secrets the login takes, the key tried first. No SESSION (no cookie,
     * nothing expires), no PREPARE, no LOGOUT, no GATEWAY. */
    ODOO_CAP_NEEDS_LOGIN | ODOO_CAP_API_KEY | ODOO_CAP_PASSWORD,
    sizeof(echo_state),
    echo_open,
    echo_close,
    echo_encode,
    echo_decode,
    echo_failed,
};

/* How ODOO_PROTOCOL_AUTO weighs echo against the other adapters, from
 * what it learned of the server (its version, which secrets were given,
 * options.prefer): the highest rank wins and 0 is never chosen. The
 * built-ins rank 10 and above for the servers they suit; a rank above
 * theirs would make AUTO pick echo. Echo says 0: it is only used when
 * asked for by name (odoo_connect_name(&p, "echo", ...)). */
static int echo_rank(const odoo_server_facts *facts, const char **why)
{
    (void)facts;
    *why = "echo is only used by name";
    return 0;
}

/* The descriptor: how the library finds the adapter. kind is
 * ODOO_PROTOCOL_AUTO because the public enum only names the built-ins.
 * probe_order 0: AUTO never sends its version probe through echo (a
 * positive order would put echo among the probes, lowest first, until one
 * answers; flags could make such a probe decisive, ODOO_ADAPTER_SOLE_ANSWER).
 * Static storage: the registry keeps the pointer until the process ends. */
static const odoo_adapter echo_adapter = {
    ODOO_ADAPTER_VERSION,
    "echo",
    &echo_ops,
    ODOO_PROTOCOL_AUTO,
    0,                              /* flags */
    0,                              /* probe_order */
    "POST /jsonrpc common.version", /* probe_what: the probe in words, for AUTO's messages */
    echo_rank,
};

/* Register once per process (a second registration is refused: the name
 * is taken). Thread-safe. */
int echo_adapter_register(odoo_rpc_error *err)
{
    return odoo_adapter_register(&echo_adapter, err);
}

/* An adapter's own public function: odoo_protocol_is() checks it was given
 * one of its connections, odoo_protocol_run() runs the exchange with the
 * core's policies (the error finished and masked) — no login needed for
 * the db service. */
int echo_db_exist(int *out, odoo_protocol *p, const char *db, odoo_rpc_error *err)
{
    if (!odoo_protocol_is(p, &echo_ops) || !db)
        return odoo_error_set(err, ODOO_ERR_INVALID_ARGUMENT, "echo_db_exist needs an echo connection and a name");
    odoo_exchange x;
    memset(&x, 0, sizeof x);
    x.op = ODOO_OP_CUSTOM;
    x.custom = ECHO_DB_EXIST;
    x.custom_arg = db;
    int rc = odoo_protocol_run(p, &x, err);
    if (rc == 0 && !json_object_is_type(x.result, json_type_boolean))
        rc = odoo_error_set(err, ODOO_ERR_PROTOCOL, "db_exist answered something else than a boolean");
    if (rc == 0 && out)
        *out = json_object_get_boolean(x.result);
    json_object_put(x.result); /* the caller's after odoo_protocol_run */
    return rc;
}

/* How many answers echo decoded on p (-1 for another adapter's connection). */
long echo_exchanges(const odoo_protocol *p)
{
    return odoo_protocol_is(p, &echo_ops) ? ((const echo_state *)odoo_protocol_state(p))->exchanges : -1;
}

#ifndef ECHO_ADAPTER_NO_MAIN
/* A program: register echo, connect by name, and use it like any other
 * connection. */
int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s URL DB LOGIN PASSWORD\n", argv[0]);
        return 2;
    }
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = argv[1];
    o.db = argv[2];
    o.login = argv[3];
    o.password = argv[4];
    odoo_protocol *p = NULL;
    json_object *info = NULL, *rows = NULL;
    int64_t uid = 0, n = 0;
    int exists = 0;
    const char *fields[] = { "name", NULL };
    odoo_search_options q = ODOO_SEARCH_OPTIONS_INIT;
    q.fields = fields;
    q.limit = 3;
    q.order = "id";
    int rc = echo_adapter_register(&err);
    if (rc == 0)
        rc = odoo_connect_name(&p, "echo", &o, &err);
    if (rc == 0)
        rc = odoo_version_info(&info, p, &err);
    if (rc == 0)
        rc = echo_db_exist(&exists, p, o.db, &err);
    if (rc == 0)
        rc = odoo_authenticate(&uid, p, &err);
    if (rc == 0)
        rc = odoo_search_count(&n, p, "res.partner", NULL, &err);
    if (rc == 0)
        rc = odoo_search_read(&rows, p, "res.partner", &q, &err);
    if (rc == 0) {
        json_object *v = NULL;
        json_object_object_get_ex(info, "server_version", &v);
        printf("%s: Odoo %s, database %s %s, uid %lld, %lld partners, the first: %s (%ld exchanges)\n",
               odoo_protocol_name(p), json_object_get_string(v), o.db, exists ? "exists" : "is unknown",
               (long long)uid, (long long)n, json_object_to_json_string_ext(rows, JSON_C_TO_STRING_PLAIN),
               echo_exchanges(p));
    } else {
        fprintf(stderr, "echo-adapter: %s: %s\n", odoo_error_kind_name(err.kind), err.message);
    }
    json_object_put(info);
    json_object_put(rows);
    odoo_close(p);
    odoo_rpc_error_clear(&err);
    return rc == 0 ? 0 : 1;
}
#endif
