/* odoo-mock tests — minimal HTTP/1.1 client. */
#include "http_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int http_connect(http_conn *c, unsigned short port)
{
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    c->port = port;
    if (c->fd < 0)
        return HTTP_ERR_CONNECT;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {60, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(c->fd);
        c->fd = -1;
        return HTTP_ERR_CONNECT;
    }
    return 0;
}

void http_close(http_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

typedef struct rbuf {
    char *data;
    size_t len, cap, pos;
} rbuf;

static int fill(int fd, rbuf *b)
{
    if (b->cap - b->len < 65536) {
        b->cap = b->cap ? b->cap * 2 : 131072;
        while (b->cap - b->len < 65536)
            b->cap *= 2;
        b->data = realloc(b->data, b->cap);
    }
    for (;;) {
        ssize_t n = recv(fd, b->data + b->len, b->cap - b->len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == ECONNRESET ? HTTP_ERR_RESET
                   : (errno == EAGAIN || errno == EWOULDBLOCK) ? HTTP_ERR_TIMEOUT
                                                                : HTTP_ERR_PROTOCOL;
        if (n == 0)
            return 1; /* EOF */
        b->len += (size_t)n;
        return 0;
    }
}

static void add_header(http_response *r, const char *line, size_t n)
{
    const char *colon = memchr(line, ':', n);
    if (!colon)
        return;
    r->headers = realloc(r->headers, (size_t)(r->nheaders + 1) * sizeof(http_header));
    http_header *h = &r->headers[r->nheaders++];
    h->name = strndup(line, (size_t)(colon - line));
    const char *v = colon + 1;
    while (v < line + n && *v == ' ')
        v++;
    h->value = strndup(v, (size_t)(line + n - v));
}

int http_request_ex(http_conn *c, const char *method, const char *path, const char *const *headers,
                    const char *body, size_t body_len, size_t max_body, http_response *r)
{
    memset(r, 0, sizeof *r);
    r->content_length = (size_t)-1;
    char *req = NULL;
    size_t reqlen = 0;
    FILE *f = open_memstream(&req, &reqlen);
    fprintf(f, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n", method, path, c->port);
    for (int i = 0; headers && headers[i]; i++)
        fprintf(f, "%s\r\n", headers[i]);
    if (body || !strcmp(method, "POST"))
        fprintf(f, "Content-Length: %zu\r\n", body ? body_len : 0);
    fputs("\r\n", f);
    fclose(f);
    int rc = send_all(c->fd, req, reqlen);
    free(req);
    if (!rc && body && body_len)
        rc = send_all(c->fd, body, body_len);
    if (rc)
        return r->error = HTTP_ERR_CONNECT;
    rbuf b = {0};
    char *hend = NULL;
    for (;;) {
        if (b.len) {
            hend = memmem(b.data, b.len, "\r\n\r\n", 4);
            if (hend)
                break;
        }
        int e = fill(c->fd, &b);
        if (e) {
            free(b.data);
            return r->error = (e == 1 ? (b.len ? HTTP_ERR_PROTOCOL : HTTP_ERR_RESET) : e);
        }
    }
    size_t hlen = (size_t)(hend - b.data) + 4;
    char *line = b.data, *end = hend + 2;
    char *eol = memmem(line, (size_t)(end - line), "\r\n", 2);
    /* sscanf wants a C string and the buffer holds no NUL: a bounded copy
     * of the status line (valgrind saw the read run off the end). */
    char status_line[64] = "";
    if (eol)
        memcpy(status_line, line, (size_t)(eol - line) < sizeof status_line - 1 ? (size_t)(eol - line)
                                                                               : sizeof status_line - 1);
    if (!eol || sscanf(status_line, "HTTP/1.%*d %d", &r->status) != 1) {
        free(b.data);
        return r->error = HTTP_ERR_PROTOCOL;
    }
    line = eol + 2;
    int chunked = 0;
    while (line < hend) {
        eol = memmem(line, (size_t)(end - line), "\r\n", 2);
        if (!eol)
            break;
        add_header(r, line, (size_t)(eol - line));
        line = eol + 2;
    }
    const char *cl = http_get_header(r, "Content-Length");
    const char *te = http_get_header(r, "Transfer-Encoding");
    if (cl)
        r->content_length = strtoull(cl, NULL, 10);
    if (te && strcasestr(te, "chunked"))
        chunked = 1;
    int head = !strcmp(method, "HEAD") || r->status == 204 || r->status == 304;
    /* body */
    size_t have = b.len - hlen;
    char *bodyp = b.data + hlen;
    size_t stored = 0, total = 0;
    char *out = NULL;
    size_t outcap = 0;
#define STORE(p, n)                                                           \
    do {                                                                      \
        size_t _n = (n);                                                      \
        size_t _keep = _n;                                                    \
        if (max_body && stored + _keep > max_body)                            \
            _keep = stored < max_body ? max_body - stored : 0;                \
        if (_keep) {                                                          \
            if (stored + _keep + 1 > outcap) {                                \
                outcap = (stored + _keep + 1) * 2;                            \
                out = realloc(out, outcap);                                   \
            }                                                                 \
            memcpy(out + stored, (p), _keep);                                 \
            stored += _keep;                                                  \
        }                                                                     \
        total += _n;                                                          \
    } while (0)
    int err = 0;
    if (head) {
        /* nothing */
    } else if (chunked) {
        /* re-buffer what we have and parse chunks */
        rbuf cb = {0};
        cb.cap = have + 131072;
        cb.data = malloc(cb.cap);
        memcpy(cb.data, bodyp, have);
        cb.len = have;
        size_t pos = 0;
        for (;;) {
            char *nl;
            while (!(nl = memmem(cb.data + pos, cb.len - pos, "\r\n", 2))) {
                int e = fill(c->fd, &cb);
                if (e) {
                    err = e == 1 ? HTTP_ERR_TRUNCATED : e;
                    goto chunk_done;
                }
            }
            size_t sz = strtoull(cb.data + pos, NULL, 16);
            pos = (size_t)(nl - cb.data) + 2;
            while (cb.len - pos < sz + 2) {
                int e = fill(c->fd, &cb);
                if (e) {
                    err = e == 1 ? HTTP_ERR_TRUNCATED : e;
                    goto chunk_done;
                }
            }
            if (sz == 0)
                break;
            STORE(cb.data + pos, sz);
            pos += sz + 2;
            if (pos > (1u << 20)) { /* compact */
                memmove(cb.data, cb.data + pos, cb.len - pos);
                cb.len -= pos;
                pos = 0;
            }
        }
    chunk_done:
        free(cb.data);
    } else if (r->content_length != (size_t)-1) {
        size_t want = r->content_length;
        size_t take = have < want ? have : want;
        STORE(bodyp, take);
        b.len = 0; /* reuse the buffer for the rest */
        while (total < want) {
            int e = fill(c->fd, &b);
            if (e) {
                err = e == 1 ? HTTP_ERR_TRUNCATED : e;
                break;
            }
            size_t n = b.len;
            if (total + n > want)
                n = want - total;
            STORE(b.data, n);
            b.len = 0;
        }
    } else {
        STORE(bodyp, have);
        b.len = 0;
        for (;;) {
            int e = fill(c->fd, &b);
            if (e) {
                if (e != 1)
                    err = e;
                break;
            }
            STORE(b.data, b.len);
            b.len = 0;
        }
    }
#undef STORE
    free(b.data);
    if (!out)
        out = calloc(1, 1);
    out[stored] = '\0';
    r->body = out;
    r->body_len = max_body ? total : stored;
    r->error = err;
    return err;
}

int http_request(http_conn *c, const char *method, const char *path, const char *const *headers,
                 const char *body, size_t body_len, http_response *r)
{
    return http_request_ex(c, method, path, headers, body, body_len, 0, r);
}

int http_do(unsigned short port, const char *method, const char *path, const char *const *headers,
            const char *body, http_response *r)
{
    http_conn c;
    if (http_connect(&c, port)) {
        memset(r, 0, sizeof *r);
        return r->error = HTTP_ERR_CONNECT;
    }
    int rc = http_request(&c, method, path, headers, body, body ? strlen(body) : 0, r);
    http_close(&c);
    return rc;
}

void http_response_free(http_response *r)
{
    for (int i = 0; i < r->nheaders; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

const char *http_get_header(const http_response *r, const char *name)
{
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, name))
            return r->headers[i].value;
    return NULL;
}

int http_count_header(const http_response *r, const char *name)
{
    int n = 0;
    for (int i = 0; i < r->nheaders; i++)
        if (!strcasecmp(r->headers[i].name, name))
            n++;
    return n;
}
