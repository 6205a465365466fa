/* A real nginx (Debian's nginx-light) in front of an upstream such as
 * odoo-mock, started by a test and stopped by it.
 *
 * Each nginx_start() makes its own prefix /tmp/libodoo-nginx-XXXXXX with
 * the configuration, pid file, error and access logs and temp paths in
 * it, so nothing outside it is touched and it works as root or not. nginx
 * runs in the foreground as one process (daemon off, master_process off)
 * that is a child of the test; it listens on a free port of 127.0.0.1 and
 * is ready when nginx_start() returns. It also dies with the test process
 * (PR_SET_PDEATHSIG), so a test killed by a timeout leaves none behind.
 *
 *     nginx_config cfg = { .upstream_url = odoo_mock_url(m), .tls = 1, .http2 = 1 };
 *     nginx_proxy *n = nginx_start(&cfg);
 *     if (!n) ...                  // message on stderr
 *     ... talk to nginx_url(n), trusting nginx_ca_file(n) ...
 *     nginx_stop(n);
 *
 * The binary is $NGINX if set, else /usr/sbin/nginx, else nginx on PATH.
 */
#ifndef TEST_NGINX_H
#define TEST_NGINX_H

typedef struct nginx_config {
    const char *upstream_url; /* http://HOST:PORT (e.g. odoo-mock's URL); a path is ignored */
    int tls;                  /* listen with TLS (throwaway CA from tls_certs) */
    int http2;                /* offer h2 via ALPN (needs tls) */
    int gzip;                 /* gzip application/json, text/xml and application/xml answers */
    int client_cert;          /* require a client certificate signed by the throwaway CA (needs tls) */
    int upstream_keepalive;   /* keep connections to the upstream open (keepalive 32, HTTP/1.1) */
    long upstream_timeout_ms; /* proxy_read_timeout; 0 = nginx's default (60 s). Small values
                                 make nginx answer its own 504 */
} nginx_config;

typedef struct nginx_proxy nginx_proxy;

/* Start nginx; NULL with a message on stderr when nginx is missing, the
 * configuration is refused or it does not come up within ~5 s. */
nginx_proxy *nginx_start(const nginx_config *cfg);

/* "https://127.0.0.1:PORT" (or http:// without tls). Valid until nginx_stop(). */
const char *nginx_url(const nginx_proxy *n);
unsigned short nginx_port(const nginx_proxy *n);
/* The CA the client must trust; NULL without tls. */
const char *nginx_ca_file(const nginx_proxy *n);
/* A client certificate and its key (PEM files) signed by that CA, for
 * client_cert; NULL without tls. Made whenever tls is on, so a test can
 * also present one to a server that does not ask. */
const char *nginx_client_cert(const nginx_proxy *n);
const char *nginx_client_key(const nginx_proxy *n);
/* nginx's error log, for a failing test to show. */
const char *nginx_error_log(const nginx_proxy *n);

/* Stop nginx (SIGTERM, then SIGKILL after 3 s), reap it and delete its
 * directory and certificates. NULL is a no-op. */
void nginx_stop(nginx_proxy *n);

/* Non-zero when an nginx binary is there to run. */
int nginx_available(void);

#endif
