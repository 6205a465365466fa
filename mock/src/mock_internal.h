/* odoo-mock — the mock instance and the request/response types shared by
 * the protocol handlers. */
#ifndef MOCK_INTERNAL_H
#define MOCK_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "odoo_mock.h"
#include "errors.h"
#include "store.h"
#include "util.h"

struct MHD_Daemon;
struct MHD_Connection;

typedef struct api_key {
    char *key;
    char *login;
    char *scope; /* NULL = no scope */
    int expired;
} api_key;

typedef struct session {
    char sid[88];
    int uid;
    int64_t sec_gen;
    long calls;
    struct session *next;
} session;

#define SESSION_BUCKETS 4096

typedef struct cooldown_entry {
    char ip[64];
    int failures;
    double last; /* monotonic seconds */
    struct cooldown_entry *next;
} cooldown_entry;

typedef struct fault fault; /* faults.h */

struct odoo_mock {
    /* configuration */
    int version;
    char *db;
    int partners;
    int quiet;
    int tls;
    char *tls_cert, *tls_key;
    unsigned short port;
    char url[64];

    struct MHD_Daemon *daemon;

    /* data: rwlock for the store (read: read-only ORM calls) */
    pthread_rwlock_t store_lock;
    store st;

    /* auth state: API keys (immutable after start), sessions, cooldown */
    api_key *keys;
    size_t nkeys;
    pthread_mutex_t auth_lock;
    session *sessions[SESSION_BUCKETS];
    cooldown_entry *cooldown;
    uint64_t rng;

    /* faults */
    pthread_mutex_t fault_lock;
    fault *faults;
    long session_expiry_calls; /* 0 = off */

    /* stopping: sleeping handlers wake up early */
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
    atomic_int stopping;

    /* statistics */
    atomic_ulong n_requests, n_xmlrpc, n_jsonrpc, n_web, n_json2, n_other, n_control;
    atomic_ulong n_odxproxy;
    atomic_ulong n_connections, n_active, n_faults;

    /* ODXProxy gateway (proto_odxproxy.c) */
    char *proxy_key;
    atomic_ulong gw_calls;       /* execute/version calls that reached the handler */
    atomic_ulong gw_success;     /* answered with a result */
    atomic_ulong gw_odoo_error;  /* Odoo error passed through on HTTP 200 */
    atomic_ulong gw_code[9];     /* gateway errors: [0] code 0, [k] code -32000-(k-1) */
    atomic_ulong gw_415, gw_422; /* bodies refused (content type, undecodable) */
};

/* ------------------------------------------------------------------ */
/* request / response */

enum resp_kind { RK_HTML = 0, RK_XML, RK_JSONRPC, RK_JSON2, RK_TEXT };

typedef struct mock_req {
    odoo_mock *m;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    const char *body;
    size_t body_len;
    const char *content_type; /* NULL when absent */
    const char *authorization;
    const char *x_odoo_db;
    char *cookie_sid; /* session_id cookie value or NULL */
    int has_cookie;
    int sec_fetch;    /* a Sec-Fetch-* header is present */
    char client_ip[64];
    /* gateway routes */
    const char *x_api_key, *x_request_timeout;
    long upstream_latency_ms; /* `latency` fault moved onto the upstream call */
    int proxy_fault;          /* fault_kind of a proxy_* fault, or -1 */
} mock_req;

typedef struct resp_header {
    char *name, *value;
} resp_header;

typedef struct mock_resp {
    int status;
    char *body;
    size_t len;
    char content_type[64];
    resp_header headers[8];
    int nheaders;
    int nosniff;
    int kind; /* enum resp_kind, for fault rendering */
    const char *server; /* Server header (static string); NULL = Odoo's */
} mock_resp;

void om_resp_init(mock_resp *r);
void om_resp_free(mock_resp *r);
void om_resp_set(mock_resp *r, int status, const char *ctype, char *body, size_t len); /* takes body */
void om_resp_add_header(mock_resp *r, const char *name, const char *value);
void om_resp_html(mock_resp *r, int status, const char *html);
void om_resp_text_html(mock_resp *r, int status, const char *text); /* "Invalid JSON data" */
/* Python json.dumps of v (NULL = null), application/json. */
void om_resp_json(mock_resp *r, int status, json_object *v);
void om_resp_not_found(mock_resp *r);
void om_resp_method_not_allowed(mock_resp *r, int version);
void om_resp_method_not_allowed_allow(mock_resp *r, const char *allow);
/* 415 (19) / 400 (<= 18) for a JSON route hit with another content type */
void om_resp_bad_content_type(mock_resp *r, int version, const char *route, const char *route_type,
                           int no_body, const char *accept);
/* Set-Cookie: session_id=...; Expires=...; Max-Age=604800; HttpOnly; Path=/ */
void om_resp_session_cookie(mock_resp *r, const char *sid);

/* media type check: application/json (and application/json-rpc if rpc) */
int om_req_is_json(const mock_req *q, int allow_jsonrpc);

/* ------------------------------------------------------------------ */
/* auth (auth.c). Functions taking the store need the store lock held. */

int om_auth_db_ok(odoo_mock *m, const char *db);
int om_auth_user_by_login(odoo_mock *m, const char *login); /* active users only; 0 = none */
/* Non-interactive check (XML-RPC, /jsonrpc): password or valid API key. */
int om_auth_check_uid(odoo_mock *m, int uid, const char *password);
/* common.authenticate / login: uid or 0 */
int om_auth_login_rpc(odoo_mock *m, const char *login, const char *password);
/* web login (interactive): password only; uid or 0 */
int om_auth_login_web(odoo_mock *m, const char *login, const char *password);
/* bearer key -> uid or 0 */
int om_auth_key_uid(odoo_mock *m, const char *key);
/* per-address web login cooldown */
int om_auth_cooldown_blocked(odoo_mock *m, const char *ip);
void om_auth_cooldown_failure(odoo_mock *m, const char *ip);
void om_auth_cooldown_success(odoo_mock *m, const char *ip);
void om_auth_cooldown_clear(odoo_mock *m);
int64_t om_auth_user_sec_gen(odoo_mock *m, int uid); /* -1 if no such active user */

/* sessions (sessions.c) */
void om_session_new_sid(odoo_mock *m, char out[88]);
void om_session_create(odoo_mock *m, int uid, int64_t sec_gen, char out_sid[88]);
/* Returns uid of a valid session (and counts a call if count_call), 0
 * if the session is unknown, expired or invalidated. Store lock held. */
int om_session_check(odoo_mock *m, const char *sid, int count_call);
void om_session_destroy(odoo_mock *m, const char *sid);
void om_session_clear_all(odoo_mock *m);

/* ------------------------------------------------------------------ */
/* protocol handlers */
void om_proto_xmlrpc(mock_req *q, mock_resp *r);
void om_proto_jsonrpc(mock_req *q, mock_resp *r);
void om_proto_web(mock_req *q, mock_resp *r);
void om_proto_json2(mock_req *q, mock_resp *r);
/* /doc-bearer/<model>.json, /doc-bearer/index.json (19 only) */
void om_proto_doc_bearer(mock_req *q, mock_resp *r);
int om_is_doc_bearer_path(const char *path);
void om_proto_control(mock_req *q, mock_resp *r);
void om_proto_odxproxy(mock_req *q, mock_resp *r);
/* path is served by the gateway (/api/odoo/..., /v2/odoo/..., /_/...) */
int om_odx_is_gateway_path(const char *path);
/* path is a gateway call that contacts "Odoo" (execute, version) */
int om_odx_is_upstream_path(const char *path);

/* JSON-2 call as POST /json/2/<model>/<method> runs it, with the body
 * already parsed (NULL = no body): ids and context taken out of it. */
int om_json2_run(odoo_mock *m, int uid, const char *model, const char *method, json_object *body,
                 json_object **result, mock_err *err);
/* {"server_version", "server_version_info", "server_serie", "protocol_version"} */
json_object *om_version_info_dict(int version);
/* GET /json/version body: {"version_info", "version"} */
json_object *om_json_version_dict(int version);

/* version helpers */
const char *om_version_string(int version); /* "19.0" */
json_object *om_version_info(int version);   /* [19, 0, 0, "final", 0, ""] */

/* sleep up to ms, returning early (non-zero) when the mock stops */
int om_sleep_ms(odoo_mock *m, long ms);

/* data reset (server.c) */
void om_reseed(odoo_mock *m);

#endif
