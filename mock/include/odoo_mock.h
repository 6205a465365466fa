/*
 * odoo-mock — a stateful Odoo emulator (XML-RPC, web-session JSON-RPC,
 * stateless /jsonrpc, JSON-2) for tests, demos and benchmarks.
 *
 * In-process API: start a mock on 127.0.0.1 (a free port by default),
 * talk to it over HTTP, inject faults, stop it. A mock is thread-safe.
 *
 *     odoo_mock_config cfg = {0};          // all defaults: Odoo 19, db "odoo"
 *     cfg.quiet = 1;
 *     odoo_mock *m;
 *     if (odoo_mock_start(&m, &cfg) != 0) abort();
 *     const char *url = odoo_mock_url(m);  // "http://127.0.0.1:PORT"
 *     odoo_mock_inject(m, "{\"fault\":\"html500\",\"count\":1}");
 *     ...
 *     odoo_mock_stop(m);
 */
#ifndef ODOO_MOCK_H
#define ODOO_MOCK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- credentials of the generated database (same on every version) ---- */
#define ODOO_MOCK_ADMIN_LOGIN "admin"
#define ODOO_MOCK_ADMIN_PASSWORD "admin"
#define ODOO_MOCK_ADMIN_UID 2
#define ODOO_MOCK_LIMITED_LOGIN "limited"
#define ODOO_MOCK_LIMITED_PASSWORD "limited"
/* uid of the limited user: 7 on Odoo 19, 8 on 16-18 (as in real databases,
 * where 18 has one more template user). See odoo_mock_limited_uid(). */
#define ODOO_MOCK_LIMITED_UID_19 7
#define ODOO_MOCK_LIMITED_UID_18 8

/* API keys: 40 lowercase hex characters, like real Odoo keys. */
/* admin, scope NULL (accepted everywhere keys are) */
#define ODOO_MOCK_ADMIN_API_KEY "a87201d88cd553879415e35748ceb0b34f7ce614"
/* admin, scope 'rpc' (accepted) */
#define ODOO_MOCK_ADMIN_RPC_API_KEY "69bc36f72ad981068bbf746fc9e498d2ed09a9a1"
/* limited user, scope NULL */
#define ODOO_MOCK_LIMITED_API_KEY "18c0515f2dabded908133bc8af2eabe1db468a4f"
/* admin, expired: refused (authenticate -> False, JSON-2 -> 401) */
#define ODOO_MOCK_EXPIRED_API_KEY "4d4f2efc0c9ff150020a0b43239e87130b09b1f9"
/* admin, scope 'totp_device': refused for RPC */
#define ODOO_MOCK_OTHER_SCOPE_API_KEY "de63fbb608dcc3a8dd65d3aa300adede549b7c73"

/* An additional API key (e.g. to replay recorded traffic). */
typedef struct odoo_mock_key {
    const char *key;   /* the secret the client sends */
    const char *login; /* owner: "admin", "limited", ... */
    const char *scope; /* NULL or "rpc" are accepted; anything else refused */
    int expired;       /* non-zero: already expired */
} odoo_mock_key;

typedef struct odoo_mock_config {
    int odoo_version;     /* 16..19; 0 = 19 */
    unsigned short port;  /* 0 = a free port */
    int partners;         /* generated res.partner records; 0 = 50, <0 = none */
    const char *db;       /* database name; NULL = "odoo" */
    int tls;              /* serve HTTPS (needs the two files below) */
    const char *tls_cert_file, *tls_key_file; /* PEM */
    int quiet;            /* no per-request log lines on stderr */
    const odoo_mock_key *extra_keys; /* optional additional API keys */
    size_t n_extra_keys;
} odoo_mock_config;

typedef struct odoo_mock odoo_mock;

/* Start a mock. Returns 0 and *out, or -1 (message on stderr). */
int odoo_mock_start(odoo_mock **out, const odoo_mock_config *cfg);

/* "http://127.0.0.1:PORT" (or https://...). Valid until odoo_mock_stop(). */
const char *odoo_mock_url(const odoo_mock *m);
unsigned short odoo_mock_port(const odoo_mock *m);
int odoo_mock_version(const odoo_mock *m);
const char *odoo_mock_db(const odoo_mock *m);
int odoo_mock_limited_uid(const odoo_mock *m);

/* Inject a fault. spec is either the JSON body of POST /__mock__/fault,
 * e.g. {"fault":"html500","count":1,"path":"/jsonrpc"}, or the compact
 * form "html500:count=1,path=/jsonrpc". Returns 0, or -1 if invalid.
 * Faults: latency(ms), html500, truncated, malformed, reset, huge(mb),
 * trickle(ms), ratelimit(retry_after), session_expiry(calls). */
int odoo_mock_inject(odoo_mock *m, const char *fault_spec);
void odoo_mock_clear_faults(odoo_mock *m);

/* Restore the initial state: data, sessions, login cooldown, faults. */
void odoo_mock_reset(odoo_mock *m);

typedef struct odoo_mock_stats {
    unsigned long requests;      /* all requests, control endpoints included */
    unsigned long xmlrpc, jsonrpc, web, json2, other, control;
    unsigned long connections;   /* TCP connections accepted */
    unsigned long active_connections;
    unsigned long faults;        /* requests that received a fault */
} odoo_mock_stats;
void odoo_mock_get_stats(const odoo_mock *m, odoo_mock_stats *out);

/* Stop serving and free everything. NULL is a no-op. */
void odoo_mock_stop(odoo_mock *m);

#ifdef __cplusplus
}
#endif

#endif
