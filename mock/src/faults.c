/* odoo-mock — fault injection. */
#include "faults.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pyjson.h"

static const char *const NAMES[] = {"latency",       "html500",           "truncated",
                                    "malformed",     "reset",             "huge",
                                    "trickle",       "ratelimit",         "session_expiry",
                                    "proxy_timeout", "proxy_unreachable", "proxy_internal",
                                    "proxy_license"};

static int kind_from_name(const char *s)
{
    for (int i = 0; i < (int)(sizeof NAMES / sizeof NAMES[0]); i++)
        if (!strcmp(NAMES[i], s))
            return i;
    /* a few aliases */
    if (!strcmp(s, "500") || !strcmp(s, "html_500"))
        return FK_HTML500;
    if (!strcmp(s, "429") || !strcmp(s, "rate_limit"))
        return FK_RATELIMIT;
    if (!strcmp(s, "proxy_licence"))
        return FK_PROXY_LICENSE;
    return -1;
}

static int set_field(fault *f, const char *key, const char *sval, long ival, int is_num, char *err,
                     size_t errsize)
{
    if (!strcmp(key, "path")) {
        free(f->path);
        f->path = sval ? om_xstrdup(sval) : NULL;
        return 0;
    }
    long v = is_num ? ival : (sval ? strtol(sval, NULL, 10) : 0);
    if (!strcmp(key, "count") || !strcmp(key, "times"))
        f->count = v;
    else if (!strcmp(key, "ms") || !strcmp(key, "interval_ms") || !strcmp(key, "delay_ms"))
        f->ms = v;
    else if (!strcmp(key, "mb") || !strcmp(key, "size_mb"))
        f->mb = v;
    else if (!strcmp(key, "retry_after") || !strcmp(key, "seconds"))
        f->retry_after = v;
    else if (!strcmp(key, "calls") || !strcmp(key, "after"))
        f->calls = v;
    else if (strcmp(key, "fault")) {
        snprintf(err, errsize, "unknown fault parameter '%s'", key);
        return -1;
    }
    return 0;
}

static fault *parse_spec(const char *spec, char *err, size_t errsize)
{
    fault *f = om_xcalloc(1, sizeof *f);
    f->count = 1;
    f->ms = -1;
    f->mb = 160;
    f->retry_after = 1;
    f->calls = 1;
    int kind = -1;
    while (*spec == ' ' || *spec == '\t' || *spec == '\n')
        spec++;
    if (*spec == '{') {
        json_object *o = NULL;
        char msg[200];
        if (om_pyjson_parse(spec, strlen(spec), &o, msg, sizeof msg) ||
            json_object_get_type(o) != json_type_object) {
            snprintf(err, errsize, "invalid fault JSON: %s", o ? "not an object" : msg);
            json_object_put(o);
            free(f);
            return NULL;
        }
        json_object *name = NULL;
        if (json_object_object_get_ex(o, "fault", &name) && json_object_get_type(name) == json_type_string)
            kind = kind_from_name(json_object_get_string(name));
        json_object_object_foreach(o, key, val)
        {
            int isnum = json_object_get_type(val) == json_type_int ||
                        json_object_get_type(val) == json_type_double;
            const char *s = json_object_get_type(val) == json_type_string ? json_object_get_string(val) : NULL;
            if (set_field(f, key, s, isnum ? (long)json_object_get_int64(val) : 0, isnum, err, errsize)) {
                json_object_put(o);
                free(f->path);
                free(f);
                return NULL;
            }
        }
        json_object_put(o);
    } else {
        char *copy = om_xstrdup(spec);
        char *colon = strchr(copy, ':');
        if (colon)
            *colon = '\0';
        kind = kind_from_name(copy);
        char *save = NULL;
        for (char *kv = colon ? strtok_r(colon + 1, ",", &save) : NULL; kv; kv = strtok_r(NULL, ",", &save)) {
            char *eq = strchr(kv, '=');
            if (!eq) {
                snprintf(err, errsize, "expected key=value in '%s'", kv);
                free(copy);
                free(f->path);
                free(f);
                return NULL;
            }
            *eq = '\0';
            if (set_field(f, kv, eq + 1, 0, 0, err, errsize)) {
                free(copy);
                free(f->path);
                free(f);
                return NULL;
            }
        }
        free(copy);
    }
    if (kind < 0) {
        snprintf(err, errsize,
                 "unknown fault (expected one of latency, html500, truncated, malformed, reset, "
                 "huge, trickle, ratelimit, session_expiry, proxy_timeout, proxy_unreachable, "
                 "proxy_internal, proxy_license)");
        free(f->path);
        free(f);
        return NULL;
    }
    f->kind = (fault_kind)kind;
    if (f->ms < 0)
        f->ms = f->kind == FK_LATENCY ? 200 : 100;
    if (f->mb <= 0)
        f->mb = 160;
    return f;
}

int om_fault_add(odoo_mock *m, const char *spec, char *err, size_t errsize)
{
    fault *f = parse_spec(spec ? spec : "", err, errsize);
    if (!f)
        return -1;
    if (f->kind == FK_SESSION_EXPIRY) {
        pthread_mutex_lock(&m->auth_lock);
        m->session_expiry_calls = f->calls > 0 ? f->calls : 0;
        pthread_mutex_unlock(&m->auth_lock);
        free(f->path);
        free(f);
        return 0;
    }
    pthread_mutex_lock(&m->fault_lock);
    fault **pp = &m->faults;
    while (*pp)
        pp = &(*pp)->next;
    *pp = f;
    pthread_mutex_unlock(&m->fault_lock);
    return 0;
}

void om_faults_free(odoo_mock *m)
{
    while (m->faults) {
        fault *f = m->faults;
        m->faults = f->next;
        free(f->path);
        free(f);
    }
}

void om_faults_clear(odoo_mock *m)
{
    pthread_mutex_lock(&m->fault_lock);
    om_faults_free(m);
    pthread_mutex_unlock(&m->fault_lock);
    pthread_mutex_lock(&m->auth_lock);
    m->session_expiry_calls = 0;
    pthread_mutex_unlock(&m->auth_lock);
}

json_object *om_faults_describe(odoo_mock *m)
{
    json_object *l = json_object_new_array();
    pthread_mutex_lock(&m->fault_lock);
    for (fault *f = m->faults; f; f = f->next) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "fault", json_object_new_string(NAMES[f->kind]));
        json_object_object_add(o, "count", json_object_new_int64(f->count));
        json_object_object_add(o, "path", f->path ? json_object_new_string(f->path) : NULL);
        if (f->kind == FK_LATENCY || f->kind == FK_TRICKLE)
            json_object_object_add(o, "ms", json_object_new_int64(f->ms));
        if (f->kind == FK_HUGE)
            json_object_object_add(o, "mb", json_object_new_int64(f->mb));
        if (f->kind == FK_RATELIMIT)
            json_object_object_add(o, "retry_after", json_object_new_int64(f->retry_after));
        json_object_array_add(l, o);
    }
    pthread_mutex_unlock(&m->fault_lock);
    return l;
}

void om_fault_pick(odoo_mock *m, const char *path, fault_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->kind = -1;
    plan->proxy_kind = -1;
    int gateway_call = om_odx_is_upstream_path(path);
    pthread_mutex_lock(&m->fault_lock);
    fault **pp = &m->faults;
    while (*pp) {
        fault *f = *pp;
        int match = !f->path || om_str_startswith(path, f->path);
        int used = 0;
        if (match) {
            if (FK_IS_PROXY(f->kind)) {
                /* waits for a gateway call */
                if (gateway_call && plan->proxy_kind < 0) {
                    plan->proxy_kind = (int)f->kind;
                    used = 1;
                }
            } else if (f->kind == FK_LATENCY) {
                plan->latency_ms += f->ms;
                used = 1;
            } else if (plan->kind < 0) {
                plan->kind = (int)f->kind;
                plan->ms = f->ms;
                plan->mb = f->mb;
                plan->retry_after = f->retry_after;
                used = 1;
            }
        }
        if (used && f->count > 0 && --f->count == 0) {
            *pp = f->next;
            free(f->path);
            free(f);
            continue;
        }
        pp = &f->next;
    }
    pthread_mutex_unlock(&m->fault_lock);
}

int om_fault_pending(odoo_mock *m, fault_kind kind)
{
    int found = 0;
    pthread_mutex_lock(&m->fault_lock);
    for (fault *f = m->faults; f && !found; f = f->next)
        found = f->kind == kind;
    pthread_mutex_unlock(&m->fault_lock);
    return found;
}

int om_fault_is_pre(const fault_plan *plan)
{
    return plan->kind == FK_HTML500 || plan->kind == FK_RATELIMIT || plan->kind == FK_HUGE;
}

/* ------------------------------------------------------------------ */
/* streaming callbacks */

typedef struct stream {
    odoo_mock *m;
    struct MHD_Connection *conn;
    char *body;
    size_t len;  /* bytes we have */
    size_t send; /* bytes we will actually send */
    int reset;   /* abort with RST after `send` bytes */
    long interval_ms;
    /* huge */
    const char *prefix, *suffix;
    uint64_t total;
} stream;

static void stream_free(void *cls)
{
    stream *s = cls;
    free(s->body);
    free(s);
}

/* Close the TCP connection with a RST. MHD shuts sockets down gracefully
 * (FIN) before closing them, so the real socket is swapped for a fresh,
 * unconnected one under the same descriptor number: dup2() drops the last
 * reference to the connected socket, which has SO_LINGER {1, 0}, and the
 * kernel answers with a reset. MHD later closes the placeholder. */
static void abort_connection(stream *s)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(s->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci)
        return;
    int fd = ci->connect_fd;
    struct linger lg = {1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    int placeholder = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (placeholder >= 0) {
        dup2(placeholder, fd);
        close(placeholder);
    }
}

static ssize_t cut_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *s = cls;
    if (pos >= s->send) {
        if (s->reset)
            abort_connection(s);
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    size_t n = s->send - (size_t)pos;
    if (n > max)
        n = max;
    memcpy(buf, s->body + pos, n);
    return (ssize_t)n;
}

static ssize_t trickle_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *s = cls;
    if (pos >= s->len)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (max < 1)
        return 0;
    if (pos > 0 && om_sleep_ms(s->m, s->interval_ms))
        return MHD_CONTENT_READER_END_WITH_ERROR;
    buf[0] = s->body[pos];
    return 1;
}

static ssize_t huge_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    stream *s = cls;
    if (s->m->stopping)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    if (pos >= s->total)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t plen = strlen(s->prefix), slen = strlen(s->suffix);
    size_t n = 0;
    while (n < max && pos + n < s->total) {
        uint64_t p = pos + n;
        if (p < plen) {
            buf[n++] = s->prefix[p];
        } else if (p >= s->total - slen) {
            buf[n++] = s->suffix[p - (s->total - slen)];
        } else {
            /* bulk fill with 'x' up to the suffix */
            uint64_t end = s->total - slen;
            size_t k = (size_t)(end - p);
            if (k > max - n)
                k = max - n;
            memset(buf + n, 'x', k);
            n += k;
        }
    }
    return (ssize_t)n;
}

static int path_kind(const char *path)
{
    if (om_str_startswith(path, "/xmlrpc"))
        return RK_XML;
    if (om_str_startswith(path, "/jsonrpc") || om_str_startswith(path, "/web/") ||
        om_odx_is_gateway_path(path))
        return RK_JSONRPC;
    return RK_JSON2;
}

static const char *kind_ctype(int kind)
{
    switch (kind) {
    case RK_XML: return "text/xml; charset=utf-8";
    case RK_JSONRPC:
    case RK_JSON2: return "application/json; charset=utf-8";
    default: return "text/html; charset=utf-8";
    }
}

static void common_headers(struct MHD_Response *resp, const char *ctype)
{
    MHD_add_response_header(resp, "Server", "odoo-mock (Werkzeug/2.2.2 Python/3.11.2)");
    MHD_add_response_header(resp, "Content-Type", ctype);
}

static struct MHD_Response *buffer_response(char *body, size_t len)
{
    return MHD_create_response_from_buffer_with_free_callback(len, body, free);
}

struct MHD_Response *om_fault_make_response(odoo_mock *m, struct MHD_Connection *conn,
                                         const fault_plan *plan, const char *path,
                                         mock_resp *resp, int *status)
{
    struct MHD_Response *r = NULL;
    int kind = path_kind(path);
    switch ((fault_kind)plan->kind) {
    case FK_HTML500: {
        const char *html =
            "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal "
            "Server Error</h1>\n<p>The server encountered an internal error and was unable to "
            "complete your request. Either the server is overloaded or there is an error in the "
            "application.</p>\n";
        r = buffer_response(om_xstrdup(html), strlen(html));
        common_headers(r, "text/html; charset=utf-8");
        *status = 500;
        break;
    }
    case FK_RATELIMIT: {
        const char *html = "<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n"
                           "<h1>Too Many Requests</h1>\n<p>This user has exceeded an allotted "
                           "request count. Try again later.</p>\n";
        r = buffer_response(om_xstrdup(html), strlen(html));
        common_headers(r, "text/html; charset=utf-8");
        char ra[32];
        snprintf(ra, sizeof ra, "%ld", plan->retry_after);
        MHD_add_response_header(r, "Retry-After", ra);
        *status = 429;
        break;
    }
    case FK_HUGE: {
        stream *s = om_xcalloc(1, sizeof *s);
        s->m = m;
        s->conn = conn;
        if (kind == RK_XML) {
            s->prefix = "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n<value><string>";
            s->suffix = "</string></value>\n</param>\n</params>\n\n</methodResponse>\n";
        } else if (kind == RK_JSONRPC) {
            s->prefix = "{\"jsonrpc\": \"2.0\", \"id\": null, \"result\": \"";
            s->suffix = "\"}";
        } else {
            s->prefix = "\"";
            s->suffix = "\"";
        }
        s->total = (uint64_t)plan->mb * 1024 * 1024;
        r = MHD_create_response_from_callback(s->total, 64 * 1024, huge_reader, s, stream_free);
        common_headers(r, kind_ctype(kind));
        *status = 200;
        break;
    }
    case FK_MALFORMED: {
        /* the real answer cut in the middle, then broken syntax */
        size_t half = resp->len / 2;
        strbuf sb;
        om_sb_init(&sb);
        om_sb_addn(&sb, resp->body ? resp->body : "", half);
        om_sb_adds(&sb, kind == RK_XML ? "<broken" : "{\"broken\": ");
        size_t len;
        char *body = om_sb_detach(&sb, &len);
        r = buffer_response(body, len);
        common_headers(r, kind_ctype(kind));
        *status = 200;
        break;
    }
    case FK_TRUNCATED:
    case FK_RESET:
    case FK_TRICKLE: {
        stream *s = om_xcalloc(1, sizeof *s);
        s->m = m;
        s->conn = conn;
        s->body = resp->body ? resp->body : om_xstrdup("");
        s->len = resp->len;
        resp->body = NULL;
        resp->len = 0;
        s->interval_ms = plan->ms;
        uint64_t declared = s->len;
        if (plan->kind == FK_TRICKLE) {
            r = MHD_create_response_from_callback(declared, 1, trickle_reader, s, stream_free);
        } else {
            s->reset = plan->kind == FK_RESET;
            s->send = s->len / 2;
            if (s->len < 2) { /* make sure something is missing */
                declared = s->len + 16;
                s->send = s->len;
            }
            r = MHD_create_response_from_callback(declared, 4096, cut_reader, s, stream_free);
        }
        common_headers(r, resp->content_type[0] ? resp->content_type : kind_ctype(kind));
        for (int i = 0; i < resp->nheaders; i++)
            MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
        *status = resp->status;
        break;
    }
    default:
        break;
    }
    return r;
}
