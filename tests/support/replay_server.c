/* Loopback replay server on libmicrohttpd. */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>

#include <microhttpd.h>

#include "replay_server.h"

#define MAX_QUEUE 256

typedef struct {
    int status;
    char *content_type;
    char *body;
    char **headers; /* "Name: value" */
    size_t nheaders;
    int rewrite_id;   /* recorded answers: echo the request's JSON-RPC id */
} canned;

struct replay_server {
    struct MHD_Daemon *daemon;
    char url[64];
    pthread_mutex_t lock;
    canned queue[MAX_QUEUE];
    size_t head, tail;
    replay_request reqs[MAX_QUEUE];
    size_t nreqs;
    char *cert, *key;
};

typedef struct {
    char *data;
    size_t len;
} upload;

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static void add_header(canned *c, const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *line = malloc(n);
    snprintf(line, n, "%s: %s", name, value);
    c->headers = realloc(c->headers, (c->nheaders + 1) * sizeof(char *));
    c->headers[c->nheaders++] = line;
}

static void enqueue(replay_server *s, canned c)
{
    pthread_mutex_lock(&s->lock);
    if (s->tail - s->head < MAX_QUEUE)
        s->queue[s->tail++ % MAX_QUEUE] = c;
    pthread_mutex_unlock(&s->lock);
}

void replay_expect(replay_server *s, const char *fixture)
{
    json_object *fx = fixture_load(fixture), *resp, *headers, *v;
    canned c = { 0 };
    json_object_object_get_ex(fx, "response", &resp);
    json_object_object_get_ex(resp, "status", &v);
    c.status = json_object_get_int(v);
    c.rewrite_id = 1;
    json_object_object_get_ex(resp, "body", &v);
    c.body = strdup(json_object_get_string(v));
    if (json_object_object_get_ex(resp, "headers", &headers)) {
        json_object_object_foreach(headers, name, val) {
            if (strcasecmp(name, "Content-Type") == 0) {
                c.content_type = strdup(json_object_get_string(val));
            } else if (strcasecmp(name, "Content-Length") == 0 || strcasecmp(name, "Connection") == 0 ||
                       strcasecmp(name, "Server") == 0 || strcasecmp(name, "Date") == 0) {
                continue;
            } else if (json_object_is_type(val, json_type_array)) {
                for (size_t i = 0; i < json_object_array_length(val); i++)
                    add_header(&c, name, json_object_get_string(json_object_array_get_idx(val, i)));
            } else {
                add_header(&c, name, json_object_get_string(val));
            }
        }
    }
    json_object_put(fx);
    enqueue(s, c);
}

void replay_expect_raw(replay_server *s, int status, const char *content_type, const char *body,
                       const char *const *headers)
{
    canned c = { 0 };
    c.status = status;
    c.content_type = content_type ? strdup(content_type) : NULL;
    c.body = strdup(body ? body : "");
    for (const char *const *h = headers; h && *h; h++) {
        const char *colon = strchr(*h, ':');
        char *name = dup_n(*h, (size_t)(colon - *h));
        const char *value = colon + 1;
        while (*value == ' ')
            value++;
        add_header(&c, name, value);
        free(name);
    }
    enqueue(s, c);
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    json_object *h = cls;
    char lower[128];
    size_t i = 0;
    for (; key[i] && i < sizeof(lower) - 1; i++)
        lower[i] = (char)tolower((unsigned char)key[i]);
    lower[i] = '\0';
    json_object_object_add(h, lower, json_object_new_string(value ? value : ""));
    return MHD_YES;
}

/* Replace the recorded JSON-RPC id with the one of the request. */
static char *rewrite_id(const char *body, const char *req_body, size_t req_len)
{
    json_object *req = json_tokener_parse(req_body ? req_body : ""), *id;
    char *out = NULL;
    (void)req_len;
    if (req && json_object_is_type(req, json_type_object) && json_object_object_get_ex(req, "id", &id)) {
        const char *hit = strstr(body, "\"id\": ");
        if (hit && hit - body < 40) {
            const char *end = hit + 6;
            if (*end == '"') {
                end = strchr(end + 1, '"');
                end = end ? end + 1 : hit + 6;
            } else {
                while (*end && *end != ',' && *end != '}')
                    end++;
            }
            const char *idtext = json_object_to_json_string_ext(id, JSON_C_TO_STRING_PLAIN);
            size_t n = strlen(body) + strlen(idtext) + 8;
            out = malloc(n);
            snprintf(out, n, "%.*s\"id\": %s%s", (int)(hit - body), body, idtext, end);
        }
    }
    json_object_put(req);
    return out;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    replay_server *s = cls;
    upload *up = *con_cls;
    if (!up) {
        up = calloc(1, sizeof(*up));
        *con_cls = up;
        return MHD_YES;
    }
    if (*upload_size) {
        up->data = realloc(up->data, up->len + *upload_size + 1);
        memcpy(up->data + up->len, upload_data, *upload_size);
        up->len += *upload_size;
        up->data[up->len] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }

    canned c = { 0 };
    int have = 0;
    pthread_mutex_lock(&s->lock);
    if (s->nreqs < MAX_QUEUE) {
        replay_request *r = &s->reqs[s->nreqs++];
        r->method = strdup(method);
        r->path = strdup(url);
        r->body = up->data ? dup_n(up->data, up->len) : strdup("");
        r->body_len = up->len;
        r->headers = json_object_new_object();
        MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, r->headers);
    }
    if (s->head < s->tail) {
        c = s->queue[s->head++ % MAX_QUEUE];
        have = 1;
    }
    pthread_mutex_unlock(&s->lock);

    struct MHD_Response *resp;
    enum MHD_Result ret;
    if (!have) {
        static const char msg[] = "replay server: no response queued";
        resp = MHD_create_response_from_buffer(sizeof(msg) - 1, (void *)msg, MHD_RESPMEM_PERSISTENT);
        ret = MHD_queue_response(conn, 500, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    char *body = c.body;
    if (c.rewrite_id && c.content_type && strstr(c.content_type, "json")) {
        char *rewritten = rewrite_id(c.body, up->data, up->len);
        if (rewritten) {
            free(c.body);
            body = rewritten;
        }
    }
    resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    if (c.content_type)
        MHD_add_response_header(resp, "Content-Type", c.content_type);
    for (size_t i = 0; i < c.nheaders; i++) {
        char *colon = strchr(c.headers[i], ':');
        *colon = '\0';
        MHD_add_response_header(resp, c.headers[i], colon + 2);
        free(c.headers[i]);
    }
    free(c.headers);
    free(c.content_type);
    ret = MHD_queue_response(conn, (unsigned)c.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    upload *up = *con_cls;
    if (up) {
        free(up->data);
        free(up);
        *con_cls = NULL;
    }
}

replay_server *replay_start(const char *cert_file, const char *key_file)
{
    replay_server *s = calloc(1, sizeof(*s));
    pthread_mutex_init(&s->lock, NULL);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
    struct sockaddr_in addr = { 0 };
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (cert_file && key_file) {
        s->cert = fixture_read_file(cert_file, NULL);
        s->key = fixture_read_file(key_file, NULL);
        flags |= MHD_USE_TLS;
        s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &addr,
                                     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
                                     MHD_OPTION_HTTPS_MEM_KEY, s->key, MHD_OPTION_HTTPS_MEM_CERT, s->cert,
                                     MHD_OPTION_END);
    } else {
        s->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, s, MHD_OPTION_SOCK_ADDR, &addr,
                                     MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
    }
    if (!s->daemon) {
        free(s->cert);
        free(s->key);
        free(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(s->url, sizeof(s->url), "%s://127.0.0.1:%u", cert_file ? "https" : "http",
             (unsigned)info->port);
    return s;
}

const char *replay_url(const replay_server *s)
{
    return s->url;
}

size_t replay_count(replay_server *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->nreqs;
    pthread_mutex_unlock(&s->lock);
    return n;
}

size_t replay_pending(replay_server *s)
{
    pthread_mutex_lock(&s->lock);
    size_t n = s->tail - s->head;
    pthread_mutex_unlock(&s->lock);
    return n;
}

const replay_request *replay_request_at(replay_server *s, size_t i)
{
    return i < s->nreqs ? &s->reqs[i] : NULL;
}

void replay_stop(replay_server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    for (size_t i = 0; i < s->nreqs; i++) {
        free(s->reqs[i].method);
        free(s->reqs[i].path);
        free(s->reqs[i].body);
        json_object_put(s->reqs[i].headers);
    }
    while (s->head < s->tail) {
        canned *c = &s->queue[s->head++ % MAX_QUEUE];
        free(c->body);
        free(c->content_type);
        for (size_t i = 0; i < c->nheaders; i++)
            free(c->headers[i]);
        free(c->headers);
    }
    pthread_mutex_destroy(&s->lock);
    free(s->cert);
    free(s->key);
    free(s);
}

int replay_matches_fixture(replay_server *s, size_t i, const char *fixture, char *why, size_t whylen)
{
    const replay_request *r = replay_request_at(s, i);
    if (!r) {
        snprintf(why, whylen, "request %zu was never received", i);
        return 0;
    }
    json_object *fx = fixture_load(fixture);
    const char *method = fixture_str(fx, "request", "method");
    const char *path = fixture_str(fx, "request", "path");
    const char *body = fixture_str(fx, "request", "body");
    int ok = 1;
    if (strcmp(method, r->method) != 0 || strcmp(path, r->path) != 0) {
        snprintf(why, whylen, "sent %s %s, recorded %s %s", r->method, r->path, method, path);
        ok = 0;
    } else {
        json_object *a = json_tokener_parse(r->body), *b = json_tokener_parse(body ? body : "");
        if (a && b) {
            if (json_object_is_type(a, json_type_object))
                json_object_object_del(a, "id");
            if (json_object_is_type(b, json_type_object))
                json_object_object_del(b, "id");
            if (!json_object_equal(a, b)) {
                snprintf(why, whylen, "body differs:\n sent     %s\n", json_object_to_json_string(a));
                size_t used = strlen(why);
                snprintf(why + used, whylen - used, " recorded %s", json_object_to_json_string(b));
                ok = 0;
            }
        } else if (strcmp(r->body, body ? body : "") != 0) {
            snprintf(why, whylen, "body differs: sent %.200s", r->body);
            ok = 0;
        }
        json_object_put(a);
        json_object_put(b);
    }
    json_object_put(fx);
    return ok;
}

const char *replay_sent_header(replay_server *s, size_t i, const char *name)
{
    json_object *v;
    const replay_request *r = replay_request_at(s, i);
    return r && json_object_object_get_ex(r->headers, name, &v) ? json_object_get_string(v) : NULL;
}
