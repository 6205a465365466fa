/* odoo-mock — HTTP plumbing (libmicrohttpd, one thread per connection,
 * keep-alive), routing, statistics and the in-process API. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "faults.h"
#include "mock_internal.h"
#include "seed.h"

#define MAX_BODY (64u * 1024 * 1024)

typedef struct conn_ctx {
    strbuf body;
    int too_big;
} conn_ctx;

/* ------------------------------------------------------------------ */

int om_sleep_ms(odoo_mock *m, long ms)
{
    if (ms <= 0)
        return m->stopping;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&m->stop_lock);
    while (!m->stopping) {
        if (pthread_cond_timedwait(&m->stop_cond, &m->stop_lock, &ts) == ETIMEDOUT)
            break;
    }
    int stopping = m->stopping;
    pthread_mutex_unlock(&m->stop_lock);
    return stopping;
}

static char *cookie_value(const char *header, const char *name)
{
    size_t nl = strlen(name);
    const char *p = header;
    while (p && *p) {
        while (*p == ' ' || *p == ';')
            p++;
        if (!strncmp(p, name, nl) && p[nl] == '=') {
            const char *v = p + nl + 1;
            size_t n = strcspn(v, ";");
            while (n && v[n - 1] == ' ')
                n--;
            if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
                v++;
                n -= 2;
            }
            return om_xstrndup(v, n);
        }
        p = strchr(p, ';');
    }
    return NULL;
}

static enum MHD_Result sec_fetch_iter(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind, (void)value;
    if (!strncasecmp(key, "Sec-Fetch-", 10)) {
        *(int *)cls = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

static void client_ip(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    om_str_copy(out, size, "unknown");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
}

static void route(mock_req *q, mock_resp *r)
{
    odoo_mock *m = q->m;
    const char *p = q->path;
    if (om_str_startswith(p, "/xmlrpc/")) {
        atomic_fetch_add(&m->n_xmlrpc, 1);
        om_proto_xmlrpc(q, r);
    } else if (!strcmp(p, "/jsonrpc")) {
        atomic_fetch_add(&m->n_jsonrpc, 1);
        om_proto_jsonrpc(q, r);
    } else if (!strcmp(p, "/web/version") || !strcmp(p, "/json") || om_str_startswith(p, "/json/")) {
        atomic_fetch_add(&m->n_json2, 1);
        om_proto_json2(q, r);
    } else if (om_is_doc_bearer_path(p) && m->version >= 19) {
        atomic_fetch_add(&m->n_json2, 1); /* a json2 route */
        om_proto_doc_bearer(q, r);
    } else if (om_str_startswith(p, "/web/")) {
        atomic_fetch_add(&m->n_web, 1);
        om_proto_web(q, r);
    } else if (om_odx_is_gateway_path(p)) {
        atomic_fetch_add(&m->n_odxproxy, 1);
        om_proto_odxproxy(q, r);
    } else {
        atomic_fetch_add(&m->n_other, 1);
        om_resp_not_found(r);
    }
}

static struct MHD_Response *plain_response(mock_resp *r)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(r->len, r->body ? r->body : om_xstrdup(""), free);
    r->body = NULL;
    MHD_add_response_header(resp, "Server", r->server ? r->server : "odoo-mock (Werkzeug/2.2.2 Python/3.11.2)");
    MHD_add_response_header(resp, "Content-Type",
                            r->content_type[0] ? r->content_type : "text/html; charset=utf-8");
    if (r->nosniff)
        MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    return resp;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *upload_data,
                               size_t *upload_data_size, void **con_cls)
{
    odoo_mock *m = cls;
    (void)version;
    conn_ctx *ctx = *con_cls;
    if (!ctx) {
        ctx = om_xcalloc(1, sizeof *ctx);
        om_sb_init(&ctx->body);
        *con_cls = ctx;
        return MHD_YES;
    }
    if (*upload_data_size) {
        if (ctx->body.len + *upload_data_size > MAX_BODY)
            ctx->too_big = 1;
        else
            om_sb_addn(&ctx->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }

    atomic_fetch_add(&m->n_requests, 1);
    mock_req q;
    memset(&q, 0, sizeof q);
    q.m = m;
    q.conn = conn;
    q.method = method;
    q.path = url;
    q.body = ctx->body.buf ? ctx->body.buf : "";
    q.body_len = ctx->body.len;
    q.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
    q.authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    q.x_odoo_db = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Odoo-Database");
    const char *cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
    if (cookie) {
        q.cookie_sid = cookie_value(cookie, "session_id");
        q.has_cookie = q.cookie_sid != NULL;
    }
    MHD_get_connection_values(conn, MHD_HEADER_KIND, sec_fetch_iter, &q.sec_fetch);
    client_ip(conn, q.client_ip, sizeof q.client_ip);
    q.x_api_key = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "x-api-key");
    q.x_request_timeout = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "x-request-timeout");
    q.proxy_fault = -1;

    mock_resp r;
    om_resp_init(&r);
    struct MHD_Response *resp = NULL;
    int status = 200;
    if (om_str_startswith(url, "/__mock__/")) {
        atomic_fetch_add(&m->n_control, 1);
        om_proto_control(&q, &r);
    } else {
        fault_plan plan;
        om_fault_pick(m, url, &plan);
        int pre = plan.kind >= 0 && om_fault_is_pre(&plan);
        /* on a gateway call, latency delays the upstream call (so that
         * it can exceed x-request-timeout), not the whole answer */
        if (plan.latency_ms > 0 && !pre && om_odx_is_upstream_path(url))
            q.upstream_latency_ms = plan.latency_ms;
        else if (plan.latency_ms > 0)
            om_sleep_ms(m, plan.latency_ms);
        q.proxy_fault = plan.proxy_kind;
        if (plan.kind >= 0 || plan.latency_ms > 0 || plan.proxy_kind >= 0)
            atomic_fetch_add(&m->n_faults, 1);
        if (pre) {
            resp = om_fault_make_response(m, conn, &plan, url, &r, &status);
        } else {
            if (ctx->too_big)
                om_resp_html(&r, 413, "<!doctype html>\n<html lang=en>\n<title>413 Request Entity Too "
                                   "Large</title>\n<h1>Request Entity Too Large</h1>\n<p>The data "
                                   "value transmitted exceeds the capacity limit.</p>\n");
            else
                route(&q, &r);
            if (plan.kind >= 0)
                resp = om_fault_make_response(m, conn, &plan, url, &r, &status);
        }
    }
    size_t len = r.len;
    if (!resp) {
        status = r.status;
        resp = plain_response(&r);
    }
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    if (!m->quiet)
        fprintf(stderr, "odoo-mock: %s \"%s %s\" %d %zu\n", q.client_ip, method, url, status, len);
    om_resp_free(&r);
    free(q.cookie_sid);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    conn_ctx *ctx = *con_cls;
    if (ctx) {
        om_sb_free(&ctx->body);
        free(ctx);
        *con_cls = NULL;
    }
}

static void notify_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                              enum MHD_ConnectionNotificationCode toe)
{
    odoo_mock *m = cls;
    (void)conn, (void)socket_context;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        atomic_fetch_add(&m->n_connections, 1);
        atomic_fetch_add(&m->n_active, 1);
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        atomic_fetch_sub(&m->n_active, 1);
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    odoo_mock *m = cls;
    if (m->quiet)
        return;
    fputs("odoo-mock: mhd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ------------------------------------------------------------------ */

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb;
    om_sb_init(&sb);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        om_sb_addn(&sb, buf, n);
    fclose(f);
    return om_sb_detach(&sb, NULL);
}

static void add_key(odoo_mock *m, const char *key, const char *login, const char *scope, int expired)
{
    m->keys = om_xrealloc(m->keys, (m->nkeys + 1) * sizeof(api_key));
    api_key *k = &m->keys[m->nkeys++];
    k->key = om_xstrdup(key);
    k->login = om_xstrdup(login);
    k->scope = scope ? om_xstrdup(scope) : NULL;
    k->expired = expired;
}

static void seed(odoo_mock *m)
{
    seed_params sp = {m->version, m->partners, m->db, m->url};
    om_store_init(&m->st, m->version);
    om_seed_store(&m->st, &sp);
}

void om_reseed(odoo_mock *m)
{
    pthread_rwlock_wrlock(&m->store_lock);
    om_store_destroy(&m->st);
    seed(m);
    pthread_rwlock_unlock(&m->store_lock);
}

static void free_mock(odoo_mock *m)
{
    om_store_destroy(&m->st);
    om_session_clear_all(m);
    om_auth_cooldown_clear(m);
    om_faults_free(m);
    for (size_t i = 0; i < m->nkeys; i++) {
        free(m->keys[i].key);
        free(m->keys[i].login);
        free(m->keys[i].scope);
    }
    free(m->keys);
    pthread_rwlock_destroy(&m->store_lock);
    pthread_mutex_destroy(&m->auth_lock);
    pthread_mutex_destroy(&m->fault_lock);
    pthread_mutex_destroy(&m->stop_lock);
    pthread_cond_destroy(&m->stop_cond);
    free(m->db);
    free(m->proxy_key);
    free(m->tls_cert);
    free(m->tls_key);
    free(m);
}

int odoo_mock_start(odoo_mock **out, const odoo_mock_config *cfg_in)
{
    odoo_mock_config cfg;
    memset(&cfg, 0, sizeof cfg);
    if (cfg_in)
        cfg = *cfg_in;
    *out = NULL;
    int version = cfg.odoo_version ? cfg.odoo_version : 19;
    if (version < 16 || version > 19) {
        fprintf(stderr, "odoo-mock: unsupported Odoo version %d (16..19)\n", version);
        return -1;
    }
    odoo_mock *m = om_xcalloc(1, sizeof *m);
    m->version = version;
    m->db = om_xstrdup(cfg.db && *cfg.db ? cfg.db : "odoo");
    m->proxy_key = om_xstrdup(cfg.proxy_key && *cfg.proxy_key ? cfg.proxy_key : ODOO_MOCK_PROXY_KEY);
    m->partners = cfg.partners == 0 ? 50 : (cfg.partners < 0 ? 0 : cfg.partners);
    m->quiet = cfg.quiet;
    m->tls = cfg.tls;
    m->rng = (uint64_t)time(NULL) ^ ((uint64_t)(uintptr_t)m << 16) ^ 0x5DEECE66DULL;
    pthread_rwlock_init(&m->store_lock, NULL);
    pthread_mutex_init(&m->auth_lock, NULL);
    pthread_mutex_init(&m->fault_lock, NULL);
    pthread_mutex_init(&m->stop_lock, NULL);
    pthread_cond_init(&m->stop_cond, NULL);

    add_key(m, ODOO_MOCK_ADMIN_API_KEY, "admin", NULL, 0);
    add_key(m, ODOO_MOCK_ADMIN_RPC_API_KEY, "admin", "rpc", 0);
    add_key(m, ODOO_MOCK_LIMITED_API_KEY, "limited", NULL, 0);
    add_key(m, ODOO_MOCK_EXPIRED_API_KEY, "admin", NULL, 1);
    add_key(m, ODOO_MOCK_OTHER_SCOPE_API_KEY, "admin", "totp_device", 0);
    for (size_t i = 0; i < cfg.n_extra_keys; i++)
        if (cfg.extra_keys[i].key && cfg.extra_keys[i].login)
            add_key(m, cfg.extra_keys[i].key, cfg.extra_keys[i].login, cfg.extra_keys[i].scope,
                    cfg.extra_keys[i].expired);

    char *cert = NULL, *key = NULL;
    if (cfg.tls) {
        if (!cfg.tls_cert_file || !cfg.tls_key_file || !(cert = read_file(cfg.tls_cert_file)) ||
            !(key = read_file(cfg.tls_key_file))) {
            fprintf(stderr, "odoo-mock: TLS needs readable --tls-cert and --tls-key PEM files\n");
            free(cert);
            free_mock(m);
            return -1;
        }
        m->tls_cert = cert;
        m->tls_key = key;
    }

    /* hold the store until it is seeded: requests wait for it */
    om_store_init(&m->st, m->version);
    pthread_rwlock_wrlock(&m->store_lock);

    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(cfg.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* one thread per connection (handlers may sleep for faults), poll()
     * rather than select() so descriptors above FD_SETSIZE work */
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                     MHD_USE_POLL | MHD_USE_ERROR_LOG | (cfg.tls ? MHD_USE_TLS : 0);
    struct MHD_OptionItem tls_opts[] = {
        {cfg.tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, m->tls_key},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, m->tls_cert},
        {MHD_OPTION_END, 0, NULL}};
    m->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handler, m,
                                 MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, completed, m,
                                 MHD_OPTION_NOTIFY_CONNECTION, notify_connection, m,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)2048,
                                 MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300,
                                 MHD_OPTION_EXTERNAL_LOGGER, mhd_log, m,
                                 MHD_OPTION_ARRAY, tls_opts,
                                 MHD_OPTION_END);
    if (!m->daemon) {
        fprintf(stderr, "odoo-mock: cannot listen on 127.0.0.1:%u: %s\n", cfg.port, strerror(errno));
        pthread_rwlock_unlock(&m->store_lock);
        free_mock(m);
        return -1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(m->daemon, MHD_DAEMON_INFO_BIND_PORT);
    m->port = di ? di->port : cfg.port;
    snprintf(m->url, sizeof m->url, "%s://127.0.0.1:%u", cfg.tls ? "https" : "http", m->port);
    om_store_destroy(&m->st);
    seed(m);
    pthread_rwlock_unlock(&m->store_lock);
    *out = m;
    return 0;
}

const char *odoo_mock_url(const odoo_mock *m)
{
    return m->url;
}

unsigned short odoo_mock_port(const odoo_mock *m)
{
    return m->port;
}

int odoo_mock_version(const odoo_mock *m)
{
    return m->version;
}

const char *odoo_mock_db(const odoo_mock *m)
{
    return m->db;
}

int odoo_mock_limited_uid(const odoo_mock *m)
{
    return om_seed_limited_uid(m->version);
}

const char *odoo_mock_proxy_key(const odoo_mock *m)
{
    return m->proxy_key;
}

int odoo_mock_inject(odoo_mock *m, const char *fault_spec)
{
    char err[256];
    if (om_fault_add(m, fault_spec, err, sizeof err)) {
        if (!m->quiet)
            fprintf(stderr, "odoo-mock: %s\n", err);
        return -1;
    }
    return 0;
}

void odoo_mock_clear_faults(odoo_mock *m)
{
    om_faults_clear(m);
}

void odoo_mock_reset(odoo_mock *m)
{
    om_faults_clear(m);
    om_session_clear_all(m);
    om_auth_cooldown_clear(m);
    om_reseed(m);
}

void odoo_mock_get_stats(const odoo_mock *mc, odoo_mock_stats *s)
{
    odoo_mock *m = (odoo_mock *)mc;
    s->requests = atomic_load(&m->n_requests);
    s->xmlrpc = atomic_load(&m->n_xmlrpc);
    s->jsonrpc = atomic_load(&m->n_jsonrpc);
    s->web = atomic_load(&m->n_web);
    s->json2 = atomic_load(&m->n_json2);
    s->other = atomic_load(&m->n_other);
    s->control = atomic_load(&m->n_control);
    s->odxproxy = atomic_load(&m->n_odxproxy);
    s->connections = atomic_load(&m->n_connections);
    s->active_connections = atomic_load(&m->n_active);
    s->faults = atomic_load(&m->n_faults);
}

void odoo_mock_stop(odoo_mock *m)
{
    if (!m)
        return;
    pthread_mutex_lock(&m->stop_lock);
    m->stopping = 1;
    pthread_cond_broadcast(&m->stop_cond);
    pthread_mutex_unlock(&m->stop_lock);
    if (m->daemon)
        MHD_stop_daemon(m->daemon);
    free_mock(m);
}
