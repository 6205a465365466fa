/*
 * odoo-mock — a stateful Odoo emulator (XML-RPC, web-session JSON-RPC,
 * stateless /jsonrpc, JSON-2, and on 19 api_doc's /doc-bearer/<model>.json)
 * for tests, demos and benchmarks. It also plays an ODXProxy gateway in
 * front of its own models (see below). Link libodoo_mock (find_package
 * (odoo_mock): odoo_mock::odoo_mock, or pkg-config odoo-mock).
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

/* The shared libodoo_mock.so is built with hidden visibility: only the
 * odoo_mock_* functions below are exported (its om_* internals are not). */
#if defined(__GNUC__) && !defined(ODOO_MOCK_API)
#define ODOO_MOCK_API __attribute__((visibility("default")))
#elif !defined(ODOO_MOCK_API)
#define ODOO_MOCK_API
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

/* ---- ODXProxy gateway ----
 * The mock also serves the ODXProxy gateway API, in front of its own
 * models (the Odoo behind the "gateway" is the mock itself):
 *   POST /api/odoo/execute  v1: {id, action, model_id, [fn_name], params,
 *                           keyword, odoo_instance{url, db, user_id,
 *                           api_key}} -> execute_kw as user_id, exactly as
 *                           POST /jsonrpc would run it
 *   POST /v2/odoo/execute   v2 (Odoo 19 only): {id, model_id, method,
 *                           kwargs, odoo_instance{url, db, api_key}} -> run
 *                           as POST /json/2/<model>/<method> would
 *   POST /api/odoo/version  {id, url} -> /web/webclient/version_info
 *   POST /v2/odoo/version   {id, url} -> GET /json/version (19 only)
 *   GET  /_/about, /_/license, /_/metrics   (no key needed)
 * The POST routes need the header "x-api-key: <proxy key>" and answer a
 * JSON-RPC 2.0 envelope {jsonrpc, id, result | error{code, message, data}}:
 * 401/-32000 bad key, 400/-32001 unknown action, 400/-32002 no fn_name,
 * 504/-32003 upstream timeout (x-request-timeout seconds, default 15),
 * 502/-32004 upstream unreachable (odoo_instance.url is not the mock's
 * URL), 500/-32005 internal, 403/0 licence, 200/-32006 no JSON-2 (16-18),
 * 400/-32007 model_id/method not an identifier; Odoo errors on HTTP 200.
 * Faults: proxy_timeout, proxy_unreachable, proxy_internal, proxy_license;
 * `latency` on a gateway call delays its upstream call. */
/* the default gateway key ("x-api-key"); see odoo_mock_config.proxy_key */
#define ODOO_MOCK_PROXY_KEY "0d0c9a7e5b3f1d2c4e6a8b0f9d7c5e3a1b2c4d6e"

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
    const char *proxy_key; /* ODXProxy gateway key; NULL = ODOO_MOCK_PROXY_KEY */
} odoo_mock_config;

typedef struct odoo_mock odoo_mock;

/* Start a mock. Returns 0 and *out, or -1 (message on stderr). */
ODOO_MOCK_API int odoo_mock_start(odoo_mock **out, const odoo_mock_config *cfg);

/* "http://127.0.0.1:PORT" (or https://...). Valid until odoo_mock_stop(). */
ODOO_MOCK_API const char *odoo_mock_url(const odoo_mock *m);
ODOO_MOCK_API unsigned short odoo_mock_port(const odoo_mock *m);
ODOO_MOCK_API int odoo_mock_version(const odoo_mock *m);
ODOO_MOCK_API const char *odoo_mock_db(const odoo_mock *m);
ODOO_MOCK_API int odoo_mock_limited_uid(const odoo_mock *m);
/* the key the gateway routes expect in "x-api-key" */
ODOO_MOCK_API const char *odoo_mock_proxy_key(const odoo_mock *m);

/* Inject a fault. spec is either the JSON body of POST /__mock__/fault,
 * e.g. {"fault":"html500","count":1,"path":"/jsonrpc"}, or the compact
 * form "html500:count=1,path=/jsonrpc". Returns 0, or -1 if invalid.
 * Faults: latency(ms), html500, truncated, malformed, reset, huge(mb),
 * trickle(ms), ratelimit(retry_after), session_expiry(calls), and for
 * the gateway routes proxy_timeout, proxy_unreachable, proxy_internal,
 * proxy_license. */
ODOO_MOCK_API int odoo_mock_inject(odoo_mock *m, const char *fault_spec);
ODOO_MOCK_API void odoo_mock_clear_faults(odoo_mock *m);

/* Restore the initial state: data, sessions, login cooldown, faults. */
ODOO_MOCK_API void odoo_mock_reset(odoo_mock *m);

typedef struct odoo_mock_stats {
    unsigned long requests;      /* all requests, control endpoints included */
    unsigned long xmlrpc, jsonrpc, web, json2, other, control;
    unsigned long odxproxy;      /* gateway routes (/api/odoo, /v2/odoo, /_/) */
    unsigned long connections;   /* TCP connections accepted */
    unsigned long active_connections;
    unsigned long faults;        /* requests that received a fault */
} odoo_mock_stats;
ODOO_MOCK_API void odoo_mock_get_stats(const odoo_mock *m, odoo_mock_stats *out);

/* Stop serving and free everything. NULL is a no-op. */
ODOO_MOCK_API void odoo_mock_stop(odoo_mock *m);

#ifdef __cplusplus
}
#endif

#endif
