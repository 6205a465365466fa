/* odoo-mock tests — a tiny blocking HTTP/1.1 client over raw sockets, so
 * the tests control connections exactly (keep-alive, truncation, resets). */
#ifndef MOCK_TEST_HTTP_CLIENT_H
#define MOCK_TEST_HTTP_CLIENT_H

#include <stddef.h>

typedef struct http_header {
    char *name, *value;
} http_header;

typedef struct http_response {
    int status;
    http_header *headers;
    int nheaders;
    char *body;
    size_t body_len;
    size_t content_length; /* declared, (size_t)-1 if none */
    int error;             /* 0 ok, HTTP_ERR_* */
} http_response;

enum {
    HTTP_OK = 0,
    HTTP_ERR_CONNECT = -1,
    HTTP_ERR_TRUNCATED = -2, /* EOF before Content-Length bytes */
    HTTP_ERR_RESET = -3,     /* ECONNRESET */
    HTTP_ERR_TIMEOUT = -4,
    HTTP_ERR_PROTOCOL = -5,
};

typedef struct http_conn {
    int fd;
    unsigned short port;
} http_conn;

int http_connect(http_conn *c, unsigned short port);
void http_close(http_conn *c);
/* headers: NULL-terminated array of "Name: value" strings. Keeps the
 * connection open. max_body: stop storing after this many bytes (counts
 * the rest); 0 = unlimited. Returns 0 or an HTTP_ERR_* (also in r->error). */
int http_request_ex(http_conn *c, const char *method, const char *path, const char *const *headers,
                    const char *body, size_t body_len, size_t max_body, http_response *r);
int http_request(http_conn *c, const char *method, const char *path, const char *const *headers,
                 const char *body, size_t body_len, http_response *r);
/* one request on a fresh connection */
int http_do(unsigned short port, const char *method, const char *path, const char *const *headers,
            const char *body, http_response *r);
void http_response_free(http_response *r);
const char *http_get_header(const http_response *r, const char *name);
int http_count_header(const http_response *r, const char *name);

#endif
