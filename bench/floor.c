/* The floor beside each protocol: the very request the library sent,
 * POSTed on a bare libcurl keep-alive handle with no encoding and no
 * decoding; then the same plus a bare json-c (or xmlrpc-c) parse of the
 * answer. The library's own cost is what it spends above that. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <xmlrpc-c/base.h>
#include <odoo/sys/protocol.h>

#include "bench.h"

typedef struct {
    char *buf;
    size_t len, cap;
} sink;

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

/* The two floor loops are functions of their own so that callgrind can
 * count them apart (bench/callgrind-small.sh). */
__attribute__((noinline)) static int floor_curl_loop(CURL *c, sink *s, long calls)
{
    for (long i = 0; i < calls; i++) {
        s->len = 0;
        if (curl_easy_perform(c) != CURLE_OK)
            return -1;
    }
    return 0;
}

__attribute__((noinline)) static int floor_parse_loop(CURL *c, sink *s, long calls, int xml)
{
    for (long i = 0; i < calls; i++) {
        s->len = 0;
        if (curl_easy_perform(c) != CURLE_OK)
            return -1;
        if (xml)
            parse_xml(s);
        else
            parse_json(s);
    }
    return 0;
}

void bench_floor(odoo_protocol *p, odoo_protocol_kind kind, long calls, int paged, result *r)
{
    odoo_http_request req;
    if (odoo_http_last_request(p->http, &req) != 0)
        return;
    char url[1024];
    snprintf(url, sizeof(url), "%s%s", odoo_http_base_url(p->http), req.path);
    CURL *c = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Expect:");
    char ctype[128];
    if (req.content_type) {
        snprintf(ctype, sizeof(ctype), "Content-Type: %s", req.content_type);
        h = curl_slist_append(h, ctype);
    }
    for (const char *const *x = req.headers; x && *x; x++)
        h = curl_slist_append(h, *x);
    char *sid = odoo_http_cookie(p->http, "session_id");
    char cookie[256] = "";
    if (sid)
        snprintf(cookie, sizeof(cookie), "session_id=%s", sid);
    free(sid);
    sink s = { 0 };
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (cookie[0])
        curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
    if (strcmp(req.method, "GET") == 0) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req.body_len);
    }
    int xml = kind == ODOO_PROTOCOL_XMLRPC;
    for (int i = 0; i < 3; i++) { /* warm up: connect once */
        s.len = 0;
        curl_easy_perform(c);
    }
    double c0 = cpu_s();
    if (floor_curl_loop(c, &s, calls))
        goto done;
    double c1 = cpu_s();
    if (floor_parse_loop(c, &s, calls, xml))
        goto done;
    double c2 = cpu_s();
    r->floor_curl_us = (c1 - c0) / (double)calls * 1e6;
    r->floor_parse_us = (c2 - c1) / (double)calls * 1e6;
    /* A paged workload's last request (the one replayed) may bring back a
     * short last page: scale the floor to the average answer the library
     * decoded, so both sides handle the same number of bytes. */
    double body = (double)s.len, avg = r->resp_bytes;
    if (paged && body > 0 && avg > 0 && (avg / body > 1.05 || avg / body < 0.95)) {
        r->floor_curl_us *= avg / body;
        r->floor_parse_us *= avg / body;
    }
    r->parse_only_us = r->floor_parse_us - r->floor_curl_us;
done:
    free(s.buf);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}
