/* A real nginx in front of an upstream, for tests (see nginx.h). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "nginx.h"
#include "tlscerts.h"

#define START_ATTEMPTS 5     /* ports tried when another process takes ours first */
#define READY_TIMEOUT_MS 5000
#define STOP_TIMEOUT_MS 3000

struct nginx_proxy {
    pid_t pid;
    unsigned short port;
    int have_certs;
    tls_certs certs;
    char dir[256];
    char conf[300], pidfile[300], error_log[300], stderr_log[300];
    char url[64];
};

/* ---- small helpers ---- */

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* The binary: $NGINX, /usr/sbin/nginx (not on a normal user's PATH on
 * Debian), then PATH. 0 and the path in out, or -1. */
static int find_nginx(char *out, size_t size)
{
    const char *env = getenv("NGINX");
    if (env && *env) {
        if (access(env, X_OK) != 0)
            return -1;
        snprintf(out, size, "%s", env);
        return 0;
    }
    if (access("/usr/sbin/nginx", X_OK) == 0) {
        snprintf(out, size, "/usr/sbin/nginx");
        return 0;
    }
    const char *path = getenv("PATH");
    while (path && *path) {
        const char *end = strchr(path, ':');
        size_t len = end ? (size_t)(end - path) : strlen(path);
        if (len > 0 && len < size - 7) {
            snprintf(out, size, "%.*s/nginx", (int)len, path);
            if (access(out, X_OK) == 0)
                return 0;
        }
        path = end ? end + 1 : NULL;
    }
    return -1;
}

int nginx_available(void)
{
    char bin[512];
    return find_nginx(bin, sizeof(bin)) == 0;
}

/* A port the kernel says is free right now. Another process can take it
 * before nginx binds it: nginx_start() then retries with another. */
static unsigned short free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    unsigned short port = 0;
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

static int can_connect(unsigned short port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    int ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    close(fd);
    return ok;
}

/* The whole of a small file (a log), NUL-terminated; NULL if unreadable. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

static int file_contains(const char *path, const char *needle)
{
    char *s = slurp(path);
    int found = s && strstr(s, needle) != NULL;
    free(s);
    return found;
}

static void dump_file(const char *label, const char *path)
{
    char *s = slurp(path);
    if (s && *s)
        fprintf(stderr, "--- %s (%s) ---\n%s", label, path, s);
    free(s);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Only ever our own mkdtemp() directory: nothing else can be removed. */
static void remove_dir(const char *dir)
{
    if (dir[0] && strncmp(dir, "/tmp/libodoo-nginx-", 19) == 0)
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* "http://HOST:PORT[/...]" -> scheme and authority. The authority goes
 * into nginx.conf verbatim, so only characters of a host and port are
 * accepted (no ';', '{', spaces or quotes that would change the file). */
static int parse_upstream(const char *url, char *scheme, size_t ssize, char *auth, size_t asize)
{
    const char *rest;
    if (!url)
        return -1;
    if (strncmp(url, "http://", 7) == 0) {
        snprintf(scheme, ssize, "http");
        rest = url + 7;
    } else if (strncmp(url, "https://", 8) == 0) {
        snprintf(scheme, ssize, "https");
        rest = url + 8;
    } else {
        return -1;
    }
    size_t len = strcspn(rest, "/?#");
    if (len == 0 || len >= asize)
        return -1;
    for (size_t i = 0; i < len; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]", rest[i]))
            return -1;
    memcpy(auth, rest, len);
    auth[len] = '\0';
    return 0;
}

/* ---- the configuration ---- */

static int write_conf(const nginx_proxy *n, const nginx_config *cfg, const char *scheme, const char *upstream)
{
    FILE *f = fopen(n->conf, "w");
    if (!f)
        return -1;
    /* One foreground process, a child of the test: nothing to daemonize,
     * no workers to orphan, SIGTERM stops all of it. Every path nginx
     * would otherwise take from its build (/run, /var/log/nginx,
     * /var/lib/nginx) is set to the prefix, so it needs no privilege. */
    fprintf(f, "daemon off;\nmaster_process off;\nworker_processes 1;\n");
    /* As root, nginx looks up its build's default user ("nobody") and
     * chowns the temp directories to it; naming root avoids depending on
     * that account (master_process off never drops privileges anyway). */
    if (geteuid() == 0)
        fprintf(f, "user root;\n");
    fprintf(f,
            "pid %s;\nlock_file %s/nginx.lock;\nerror_log %s warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "  access_log %s/access.log;\n"
            "  client_body_temp_path %s/tmp/body;\n  proxy_temp_path %s/tmp/proxy;\n"
            "  fastcgi_temp_path %s/tmp/fastcgi;\n  uwsgi_temp_path %s/tmp/uwsgi;\n"
            "  scgi_temp_path %s/tmp/scgi;\n"
            "  default_type application/octet-stream;\n"
            "  keepalive_requests 10000;\n"
            "  client_max_body_size 64m;\n"
            "  http2_max_concurrent_streams 128;\n",
            n->pidfile, n->dir, n->error_log, n->dir, n->dir, n->dir, n->dir, n->dir, n->dir);
    if (cfg->gzip)
        /* gzip_proxied any: compress also when the request came through
         * another proxy (it has a Via header), as a front proxy must. */
        fprintf(f, "  gzip on;\n  gzip_types application/json text/xml application/xml;\n"
                   "  gzip_min_length 256;\n  gzip_proxied any;\n");
    /* The Host the client asked for, with its port (Odoo builds URLs from
     * it); nginx's own host name when a client sent none. */
    fprintf(f, "  map $http_host $odoo_host { \"\" $host; default $http_host; }\n");
    fprintf(f, "  upstream odoo_upstream {\n    server %s;\n", upstream);
    if (cfg->upstream_keepalive)
        fprintf(f, "    keepalive 32;\n");
    fprintf(f, "  }\n  server {\n    listen 127.0.0.1:%u%s%s;\n    server_name localhost 127.0.0.1;\n",
            (unsigned)n->port, cfg->tls ? " ssl" : "", cfg->http2 ? " http2" : "");
    if (cfg->tls) {
        fprintf(f, "    ssl_certificate %s;\n    ssl_certificate_key %s;\n    ssl_protocols TLSv1.2 TLSv1.3;\n",
                n->certs.cert, n->certs.key);
        if (cfg->client_cert)
            fprintf(f, "    ssl_client_certificate %s;\n    ssl_verify_client on;\n", n->certs.ca);
    }
    fprintf(f, "    location / {\n      proxy_pass %s://odoo_upstream;\n", scheme);
    if (cfg->upstream_keepalive)
        /* nginx speaks HTTP/1.0 with "Connection: close" upstream by
         * default; keepalive needs 1.1 and no Connection header. */
        fprintf(f, "      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n");
    fprintf(f, "      proxy_set_header Host $odoo_host;\n"
               "      proxy_set_header X-Real-IP $remote_addr;\n"
               "      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
               "      proxy_set_header X-Forwarded-Proto $scheme;\n"
               "      proxy_set_header X-Forwarded-Host $odoo_host;\n");
    if (cfg->upstream_timeout_ms > 0)
        fprintf(f, "      proxy_read_timeout %ldms;\n", cfg->upstream_timeout_ms);
    fprintf(f, "    }\n  }\n}\n");
    return fclose(f) == 0 ? 0 : -1;
}

/* ---- the process ---- */

static pid_t spawn(const char *bin, const nginx_proxy *n)
{
    /* Everything the child needs is ready before fork(): the test process
     * may have threads (odoo-mock's), so the child only makes
     * async-signal-safe calls until execv(). */
    char prefix[300];
    snprintf(prefix, sizeof(prefix), "%s/", n->dir);
    char *const argv[] = { "nginx", "-p", prefix, "-c", (char *)n->conf, "-e", (char *)n->error_log, NULL };
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* Die with the test: a test killed by Criterion's timeout or a crash
     * leaves no nginx behind. SIGTERM is nginx's fast shutdown. */
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
        _exit(127);
    /* The test may block signals; nginx in single-process mode never
     * unblocks them itself, and then would not see SIGTERM. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    int in = open("/dev/null", O_RDONLY);
    int out = open(n->stderr_log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(127);
    /* No inherited descriptor may stay open in nginx: an upstream's
     * listening socket kept open here would keep its port accepting
     * (into a backlog nobody reads) after the upstream stopped, and
     * nginx would time out instead of answering 502. */
    if (close_range(3, ~0U, 0) != 0)
        for (int fd = 3; fd < 4096; fd++)
            close(fd);
    execv(bin, argv);
    _exit(127);
}

/* Wait for pid up to ms; 1 if it was reaped. */
static int reap(pid_t pid, long ms, int *status)
{
    long deadline = now_ms() + ms;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid || (r < 0 && errno == ECHILD))
            return 1;
        if (now_ms() >= deadline)
            return 0;
        sleep_ms(10);
    }
}

static void kill_and_reap(pid_t pid)
{
    int status;
    kill(pid, SIGTERM);
    if (!reap(pid, STOP_TIMEOUT_MS, &status)) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
}

enum { READY, PORT_TAKEN, FAILED };

/* Ready when the pid file exists (nginx writes it only after every
 * listen socket is bound, so it is ours and not another process on the
 * port) and a connection is accepted. */
static int wait_ready(nginx_proxy *n)
{
    long deadline = now_ms() + READY_TIMEOUT_MS;
    for (;;) {
        int status;
        pid_t r = waitpid(n->pid, &status, WNOHANG);
        if (r == n->pid) {
            n->pid = 0;
            return file_contains(n->error_log, "Address already in use") ? PORT_TAKEN : FAILED;
        }
        /* nginx retries a busy port for 2.5 s: do not wait for that */
        if (file_contains(n->error_log, "Address already in use")) {
            kill_and_reap(n->pid);
            n->pid = 0;
            return PORT_TAKEN;
        }
        if (access(n->pidfile, F_OK) == 0 && can_connect(n->port))
            return READY;
        if (now_ms() >= deadline) {
            fprintf(stderr, "nginx: not accepting connections on 127.0.0.1:%u after %d ms\n", (unsigned)n->port,
                    READY_TIMEOUT_MS);
            kill_and_reap(n->pid);
            n->pid = 0;
            return FAILED;
        }
        sleep_ms(10);
    }
}

nginx_proxy *nginx_start(const nginx_config *cfg)
{
    char bin[512], scheme[8], upstream[128];
    if (find_nginx(bin, sizeof(bin)) != 0) {
        fprintf(stderr, "nginx: no nginx binary ($NGINX, /usr/sbin/nginx or PATH): "
                        "apt-get install nginx\n");
        return NULL;
    }
    if (parse_upstream(cfg->upstream_url, scheme, sizeof(scheme), upstream, sizeof(upstream)) != 0) {
        fprintf(stderr, "nginx: upstream_url must be http(s)://HOST:PORT, not %s\n",
                cfg->upstream_url ? cfg->upstream_url : "NULL");
        return NULL;
    }
    if ((cfg->http2 || cfg->client_cert) && !cfg->tls) {
        fprintf(stderr, "nginx: http2 and client_cert need tls\n");
        return NULL;
    }
    nginx_proxy *n = calloc(1, sizeof(*n));
    if (!n)
        return NULL;
    snprintf(n->dir, sizeof(n->dir), "/tmp/libodoo-nginx-XXXXXX");
    if (!mkdtemp(n->dir)) {
        fprintf(stderr, "nginx: mkdtemp: %s\n", strerror(errno));
        free(n);
        return NULL;
    }
    snprintf(n->conf, sizeof(n->conf), "%s/nginx.conf", n->dir);
    snprintf(n->pidfile, sizeof(n->pidfile), "%s/nginx.pid", n->dir);
    snprintf(n->error_log, sizeof(n->error_log), "%s/error.log", n->dir);
    snprintf(n->stderr_log, sizeof(n->stderr_log), "%s/stderr.log", n->dir);
    char tmp[300];
    snprintf(tmp, sizeof(tmp), "%s/tmp", n->dir);
    if (mkdir(tmp, 0700) != 0) {
        fprintf(stderr, "nginx: mkdir %s: %s\n", tmp, strerror(errno));
        goto fail;
    }
    if (cfg->tls) {
        if (tls_certs_make(&n->certs) != 0 || tls_certs_make_client(&n->certs) != 0) {
            fprintf(stderr, "nginx: openssl could not make the test certificates\n");
            if (n->certs.dir[0])
                tls_certs_remove(&n->certs);
            goto fail;
        }
        n->have_certs = 1;
    }
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        n->port = free_port();
        if (n->port == 0) {
            fprintf(stderr, "nginx: no free port on 127.0.0.1: %s\n", strerror(errno));
            goto fail;
        }
        remove(n->error_log);
        remove(n->pidfile);
        if (write_conf(n, cfg, scheme, upstream) != 0) {
            fprintf(stderr, "nginx: cannot write %s: %s\n", n->conf, strerror(errno));
            goto fail;
        }
        n->pid = spawn(bin, n);
        if (n->pid < 0) {
            n->pid = 0;
            fprintf(stderr, "nginx: fork: %s\n", strerror(errno));
            goto fail;
        }
        int r = wait_ready(n);
        if (r == READY) {
            snprintf(n->url, sizeof(n->url), "%s://127.0.0.1:%u", cfg->tls ? "https" : "http", (unsigned)n->port);
            return n;
        }
        if (r == FAILED) {
            fprintf(stderr, "nginx: %s did not start\n", bin);
            dump_file("nginx error log", n->error_log);
            dump_file("nginx stderr", n->stderr_log);
            dump_file("nginx.conf", n->conf);
            goto fail;
        }
        /* PORT_TAKEN: someone bound it between free_port() and nginx */
    }
    fprintf(stderr, "nginx: every port tried was taken before nginx could bind it\n");
fail:
    if (n->have_certs)
        tls_certs_remove(&n->certs);
    remove_dir(n->dir);
    free(n);
    return NULL;
}

const char *nginx_url(const nginx_proxy *n)
{
    return n->url;
}

unsigned short nginx_port(const nginx_proxy *n)
{
    return n->port;
}

const char *nginx_ca_file(const nginx_proxy *n)
{
    return n->have_certs ? n->certs.ca : NULL;
}

const char *nginx_client_cert(const nginx_proxy *n)
{
    return n->have_certs ? n->certs.client_cert : NULL;
}

const char *nginx_client_key(const nginx_proxy *n)
{
    return n->have_certs ? n->certs.client_key : NULL;
}

const char *nginx_error_log(const nginx_proxy *n)
{
    return n->error_log;
}

void nginx_stop(nginx_proxy *n)
{
    if (!n)
        return;
    if (n->pid > 0)
        kill_and_reap(n->pid);
    if (n->have_certs)
        tls_certs_remove(&n->certs);
    remove_dir(n->dir);
    free(n);
}
