/* The floor beside each protocol: the very request the library sent,
 * POSTed on a bare libcurl keep-alive handle with no encoding and no
 * decoding, each answer then parsed by bare json-c (or xmlrpc-c). The CPU
 * of the two steps is added up per request in the same loop, so the
 * "curl + parse" floor always contains the "curl alone" it was measured
 * with. The library's own cost is what it spends above that.
 *
 * The libodoo calls of this file are the small functions at the top. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <xmlrpc-c/base.h>
#include <odoo/sys/protocol.h>
#include "core/base.h"
#include "core/secret.h"

#include "bench.h"
#include "xmlrpc_oracle.h"

typedef struct sink {
    char *buf;
    size_t len, cap;
} sink;

struct bench_floor {
    CURL *curl;
    struct curl_slist *headers;
    char *url, *body;
    size_t body_len;
    int xml;
    sink s;
    long calls;
    double curl_cpu, parse_cpu, body_bytes;
};

/* ---- libodoo calls ---- */

/* One run of w with the transport keeping a copy of each request; copy the
 * last one into f. 0 or -1. */
static int capture_last_request(bench_floor *f, odoo_protocol *p, const bench_config *cfg, const workload *w)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_http_request req;
    odoo__http_capture(p->http, 1);
    int rc = w->run(p, cfg, &err) == 0 && odoo__http_last_request(p->http, &req) == 0 ? 0 : -1;
    odoo_rpc_error_clear(&err);
    if (rc == 0) {
        const char *base = odoo_http_base_url(p->http);
        size_t n = strlen(base) + strlen(req.path) + 1;
        f->url = malloc(n);
        f->body = malloc(req.body_len + 1);
        if (f->url && f->body) {
            snprintf(f->url, n, "%s%s", base, req.path);
            if (req.body_len)
                memcpy(f->body, req.body, req.body_len);
            f->body[req.body_len] = '\0';
            f->body_len = req.body_len;
        } else {
            rc = -1;
        }
        f->headers = curl_slist_append(NULL, "Expect:");
        char line[256];
        if (req.content_type) {
            snprintf(line, sizeof(line), "Content-Type: %s", req.content_type);
            f->headers = curl_slist_append(f->headers, line);
        }
        for (const char *const *x = req.headers; x && *x; x++)
            f->headers = curl_slist_append(f->headers, *x);
        char *sid = odoo_http_cookie(p->http, "session_id");
        if (sid) {
            snprintf(line, sizeof(line), "Cookie: session_id=%s", sid);
            f->headers = curl_slist_append(f->headers, line);
        }
        free(sid);
        if (strcmp(req.method, "GET") == 0) {
            free(f->body);
            f->body = NULL;
        }
    }
    odoo__http_capture(p->http, 0);
    return rc;
}

/* ---- the bare handle ---- */

static size_t on_data(char *data, size_t size, size_t n, void *userdata)
{
    sink *s = userdata;
    size_t add = size * n;
    if (s->len + add + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 65536;
        while (cap < s->len + add + 1)
            cap *= 2;
        char *b = realloc(s->buf, cap);
        if (!b)
            return 0;
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, add);
    s->len += add;
    return add;
}

static void parse_json(const sink *s)
{
    json_tokener *tok = json_tokener_new();
    json_object *o = json_tokener_parse_ex(tok, s->buf, (int)s->len);
    if (json_tokener_get_error(tok) == json_tokener_continue)
        o = json_tokener_parse_ex(tok, "", 1);
    json_object_put(o);
    json_tokener_free(tok);
}

static void parse_xml(const sink *s)
{
    xmlrpc_env env;
    xmlrpc_value *v = NULL;
    int fault_code = 0;
    const char *fault_string = NULL;
    xmlrpc_env_init(&env);
    xmlrpc_parse_response2(&env, s->buf, s->len, &v, &fault_code, &fault_string);
    if (v)
        xmlrpc_DECREF(v);
    if (fault_string)
        free((void *)fault_string);
    xmlrpc_env_clean(&env);
}

/* Functions of their own so that callgrind counts them apart
 * (bench/callgrind-small.sh): curl alone = floor_loop - floor_parse. */
__attribute__((noinline)) static void floor_parse(const sink *s, int xml)
{
    if (xml)
        parse_xml(s);
    else
        parse_json(s);
}

__attribute__((noinline)) static int floor_loop(bench_floor *f, long calls)
{
    for (long i = 0; i < calls; i++) {
        double c0 = cpu_s();
        f->s.len = 0;
        if (curl_easy_perform(f->curl) != CURLE_OK)
            return -1;
        double c1 = cpu_s();
        floor_parse(&f->s, f->xml);
        double c2 = cpu_s();
        f->curl_cpu += c1 - c0;
        f->parse_cpu += c2 - c1;
        f->body_bytes += (double)f->s.len;
        f->calls++;
    }
    return 0;
}

void floor_free(bench_floor *f)
{
    if (!f)
        return;
    if (f->curl)
        curl_easy_cleanup(f->curl);
    curl_slist_free_all(f->headers);
    free(f->url);
    free(f->body);
    free(f->s.buf);
    free(f);
}

bench_floor *floor_new(odoo_protocol *p, odoo_protocol_kind kind, const bench_config *cfg, const workload *w)
{
    bench_floor *f = calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    if (capture_last_request(f, p, cfg, w) != 0 || !(f->curl = curl_easy_init())) {
        floor_free(f);
        return NULL;
    }
    f->xml = kind == ODOO_PROTOCOL_XMLRPC;
    if (f->xml)
        xmlrpc_oracle_init();   /* xmlrpc-c refuses answers over 512 KiB unless told otherwise */
    CURL *c = f->curl;
    curl_easy_setopt(c, CURLOPT_URL, f->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, f->headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &f->s);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (f->body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, f->body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)f->body_len);
    } else {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    for (int i = 0; i < 3; i++) { /* warm up: connect once */
        f->s.len = 0;
        if (curl_easy_perform(c) != CURLE_OK) {
            floor_free(f);
            return NULL;
        }
    }
    return f;
}

const char *floor_answer(const bench_floor *f, size_t *len)
{
    if (!f || !f->s.buf || f->s.len == 0)
        return NULL;
    f->s.buf[f->s.len] = '\0'; /* on_data keeps room for it */
    *len = f->s.len;
    return f->s.buf;
}

long floor_done(const bench_floor *f)
{
    return f->calls;
}

int floor_run(bench_floor *f, long calls)
{
    return f && calls > 0 ? floor_loop(f, calls) : 0;
}

void floor_result(const bench_floor *f, int paged, result *r)
{
    if (!f || f->calls <= 0)
        return;
    double n = (double)f->calls;
    r->floor_curl_us = f->curl_cpu / n * 1e6;
    r->floor_parse_us = (f->curl_cpu + f->parse_cpu) / n * 1e6;
    /* A paged workload's replayed request is its last page, which may be
     * short: scale the floor to the average answer the library decoded,
     * so both sides handle the same number of bytes. */
    double body = f->body_bytes / n, avg = r->recv_bytes;
    if (paged && body > 0 && avg > 0 && (avg / body > 1.05 || avg / body < 0.95)) {
        r->floor_curl_us *= avg / body;
        r->floor_parse_us *= avg / body;
    }
}
