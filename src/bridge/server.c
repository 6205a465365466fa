/* odoo-bridge: the HTTP side (libmicrohttpd, one thread per connection,
 * at most max_clients at once), routing and the request log. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bridge.h"
#include "server.h"

typedef struct req_ctx {
    char *buf;
    size_t len, cap;
    int too_big;
    struct timespec t0;
} req_ctx;

static const char PAGE_405[] = "<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n"
                               "<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n";
static const char PAGE_404[] = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
                               "<p>The requested URL was not found on the server. If you entered the URL manually "
                               "please check your spelling and try again.</p>\n";
static const char PAGE_413[] = "<!doctype html>\n<html lang=en>\n<title>413 Request Entity Too Large</title>\n"
                               "<h1>Request Entity Too Large</h1>\n<p>The data value transmitted exceeds the capacity "
                               "limit.</p>\n";
static const char PAGE_415[] = "<!doctype html>\n<html lang=en>\n<title>415 Unsupported Media Type</title>\n"
                               "<h1>Unsupported Media Type</h1>\n<p>The server does not support the media type "
                               "transmitted in the request.</p>\n";

static void log_request(bridge *b, struct MHD_Connection *conn, const char *method, const char *url, int status,
                        const char *what, const req_ctx *rc)
{
    if (!b->log)
        return;
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - rc->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - rc->t0.tv_nsec) / 1e6;
    char peer[INET6_ADDRSTRLEN] = "?";
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, peer, sizeof(peer));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, peer, sizeof(peer));
    }
    char when[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    /* what names services, models, methods, db, uid and login: never a
     * password or key (those are never copied into it) */
    pthread_mutex_lock(&b->log_lock);
    fprintf(b->log, "%s %s \"%s %s\" %d %.1fms %s\n", when, peer, method, url, status, ms, what ? what : "-");
    fflush(b->log);
    pthread_mutex_unlock(&b->log_lock);
}

static enum MHD_Result send_answer(struct MHD_Connection *conn, int status, char *body, size_t len,
                                   const char *ctype, const char *allow)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    if (allow)
        MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_page(struct MHD_Connection *conn, int status, const char *page, const char *allow)
{
    char *copy = strdup(page);
    return copy ? send_answer(conn, status, copy, strlen(page), "text/html; charset=utf-8", allow) : MHD_NO;
}

static int json_content_type(const char *ct)
{
    if (!ct)
        return 0;
    size_t n = strcspn(ct, ";");
    while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    return (n == 16 && !strncasecmp(ct, "application/json", 16)) ||
           (n == 20 && !strncasecmp(ct, "application/json-rpc", 20));
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                               const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    bridge *b = cls;
    req_ctx *rc = *con_cls;
    if (!rc) {
        if (!(rc = calloc(1, sizeof(*rc))))
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &rc->t0);
        *con_cls = rc;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!rc->too_big && rc->len + *upload_size > b->max_body) {
            rc->too_big = 1;
            br_wipe(rc->buf, rc->len);
        }
        if (!rc->too_big) {
            if (rc->len + *upload_size + 1 > rc->cap) {
                size_t cap = rc->cap ? rc->cap : 4096;
                while (cap < rc->len + *upload_size + 1)
                    cap *= 2;
                /* not realloc: the old block may hold a password */
                char *nb = malloc(cap);
                if (!nb)
                    return MHD_NO;
                if (rc->len)
                    memcpy(nb, rc->buf, rc->len);
                br_wipe(rc->buf, rc->len);
                free(rc->buf);
                rc->buf = nb;
                rc->cap = cap;
            }
            memcpy(rc->buf + rc->len, upload, *upload_size);
            rc->len += *upload_size;
            rc->buf[rc->len] = '\0';
        }
        *upload_size = 0;
        return MHD_YES;
    }

    char what[512] = "-";
    int status;
    enum MHD_Result ok;
    const char *svc = !strncmp(url, "/xmlrpc/2/", 10) ? url + 10 : !strncmp(url, "/xmlrpc/", 8) ? url + 8 : NULL;
    int is_xmlrpc = svc && *svc && !strchr(svc, '/');   /* /xmlrpc/2/<service> or /xmlrpc/<service> */
    int is_jsonrpc = strcmp(url, "/jsonrpc") == 0;
    if (rc->too_big) {
        status = 413;
        ok = send_page(conn, status, PAGE_413, NULL);
    } else if (!is_xmlrpc && !is_jsonrpc) {
        status = 404;
        ok = send_page(conn, status, PAGE_404, NULL);
    } else if (is_xmlrpc && strcmp(method, "POST") != 0) {
        status = 405;
        ok = send_page(conn, status, PAGE_405, "POST, OPTIONS");
    } else if (is_jsonrpc && (strcmp(method, "POST") != 0 ||
                              !json_content_type(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                                             MHD_HTTP_HEADER_CONTENT_TYPE)))) {
        status = 415;
        ok = send_page(conn, status, PAGE_415, NULL);
    } else {
        char *out = NULL;
        size_t outlen = 0;
        const char *ctype = "text/plain";
        const char *body = rc->buf ? rc->buf : "";
        if (is_xmlrpc)
            status = br_xmlrpc_handle(b, url, body, rc->len, &out, &outlen, &ctype, what, sizeof(what));
        else
            status = br_jsonrpc_handle(b, body, rc->len, &out, &outlen, &ctype, what, sizeof(what));
        if (out)
            ok = send_answer(conn, status, out, outlen, ctype, NULL);
        else
            ok = send_page(conn, status = 500, "<!doctype html>\n<title>500 Internal Server Error</title>\n", NULL);
    }
    log_request(b, conn, method, url, status, what, rc);
    (void)version;
    return ok;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    req_ctx *rc = *con_cls;
    if (rc) {
        br_wipe(rc->buf, rc->len);
        free(rc->buf);
        free(rc);
        *con_cls = NULL;
    }
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    /* libmicrohttpd's own complaints (never a request body) */
    vfprintf(stderr, fmt, ap);
}

struct MHD_Daemon *br_server_start(bridge *b, const struct sockaddr *addr, unsigned max_clients,
                                   unsigned short *port)
{
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                     MHD_USE_ERROR_LOG | (addr->sa_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, handler, b,
                                            MHD_OPTION_EXTERNAL_LOGGER, mhd_log, b,
                                            MHD_OPTION_SOCK_ADDR, addr,
                                            MHD_OPTION_NOTIFY_COMPLETED, completed, b,
                                            MHD_OPTION_CONNECTION_LIMIT, max_clients,
                                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)300,
                                            MHD_OPTION_END);
    if (!d)
        return NULL;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *port = di ? di->port : 0;
    return d;
}
