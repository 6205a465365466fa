/* The nginx harness itself (tests/support/nginx.h), checked with libcurl
 * directly and not with libodoo, so that a libodoo bug cannot hide a
 * harness bug: a real nginx in front of odoo-mock speaks h2 over TLS and
 * multiplexes, gzips JSON and XML, enforces client certificates, keeps
 * upstream connections alive, and answers its own 502 and 504 pages. */
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <json-c/json.h>

#include "nginx.h"

#ifdef ODOO_HAVE_MOCK
#include <odoo_mock.h>

static odoo_mock *mock;
static nginx_proxy *nx;

#define SKIP_MESSAGE "nginx is not installed: apt-get install nginx (scripts/deps.sh installs it)"

static void need_nginx(void)
{
    if (!nginx_available())
        cr_skip_test(SKIP_MESSAGE);
}

static void need_http2(void)
{
    if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_HTTP2))
        cr_skip_test("libcurl was built without HTTP/2");
}

/* odoo-mock, then nginx in front of it with cfg (its upstream_url is set here). */
static void start(nginx_config cfg)
{
    odoo_mock_config mc = { 0 };
    mc.quiet = 1;
    cr_assert_eq(odoo_mock_start(&mock, &mc), 0, "odoo-mock did not start");
    cfg.upstream_url = odoo_mock_url(mock);
    nx = nginx_start(&cfg);
    cr_assert_not_null(nx, "nginx did not start (see stderr)");
}

static void setup(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* nginx first: it holds connections to the mock. */
static void teardown(void)
{
    nginx_stop(nx);
    nx = NULL;
    odoo_mock_stop(mock);
    mock = NULL;
    curl_global_cleanup();
}

TestSuite(nginx, .init = setup, .fini = teardown, .timeout = 10);

/* ---- one exchange, recorded ---- */

typedef struct {
    char *data;
    size_t len;
} buf;

typedef struct {
    buf body, headers;
    long status, http_version, connects;
    CURLcode rc;
    char error[CURL_ERROR_SIZE];
} reply;

static size_t append(char *p, size_t size, size_t n, void *userdata)
{
    buf *b = userdata;
    size_t len = size * n;
    char *bigger = realloc(b->data, b->len + len + 1);
    if (!bigger)
        return 0;
    memcpy(bigger + b->len, p, len);
    b->data = bigger;
    b->len += len;
    b->data[b->len] = '\0';
    return len;
}

static void reply_free(reply *r)
{
    free(r->body.data);
    free(r->headers.data);
    memset(r, 0, sizeof(*r));
}

static const char *body_of(const reply *r)
{
    return r->body.data ? r->body.data : "";
}

/* The value of a response header (case-insensitive: h2 sends lowercase),
 * copied into out; NULL if absent. */
static const char *header(const reply *r, const char *name, char *out, size_t size)
{
    size_t nlen = strlen(name);
    for (const char *line = r->headers.data; line && *line;) {
        const char *end = strstr(line, "\r\n");
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
            const char *v = line + nlen + 1;
            while (*v == ' ')
                v++;
            snprintf(out, size, "%.*s", (int)(line + len - v), v);
            return out;
        }
        line = end ? end + 2 : line + len;
    }
    return NULL;
}

/* A handle for PATH on nginx, recording into r, trusting the test CA. */
static CURL *handle(const char *path, reply *r)
{
    char url[256];
    snprintf(url, sizeof(url), "%s%s", nginx_url(nx), path);
    CURL *h = curl_easy_init();
    cr_assert_not_null(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->error);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, append);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r->headers);
    if (nginx_ca_file(nx)) {
        curl_easy_setopt(h, CURLOPT_CAINFO, nginx_ca_file(nx));
        curl_easy_setopt(h, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    }
    return h;
}

static void collect(CURL *h, reply *r)
{
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &r->http_version);
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &r->connects);
}

static void perform(CURL *h, reply *r)
{
    r->rc = curl_easy_perform(h);
    collect(h, r);
}

/* GET path, one handle, one exchange. */
static void get(const char *path, reply *r)
{
    CURL *h = handle(path, r);
    perform(h, r);
    curl_easy_cleanup(h);
}

static void post(const char *path, const char *content_type, const char *body, const char *auth,
                 const char *accept_encoding, reply *r)
{
    CURL *h = handle(path, r);
    char ct[128], authz[128];
    snprintf(ct, sizeof(ct), "Content-Type: %s", content_type);
    struct curl_slist *hdrs = curl_slist_append(NULL, ct);
    if (auth) {
        snprintf(authz, sizeof(authz), "Authorization: bearer %s", auth);
        hdrs = curl_slist_append(hdrs, authz);
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    /* curl sends Accept-Encoding and decodes the answer, so the body can
     * still be parsed; Content-Encoding stays in the recorded headers. */
    if (accept_encoding)
        curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, accept_encoding);
    perform(h, r);
    curl_easy_cleanup(h);
    curl_slist_free_all(hdrs);
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void assert_version_json(const reply *r)
{
    cr_assert_eq(r->rc, CURLE_OK, "curl: %s", r->error);
    cr_assert_eq(r->status, 200, "status %ld: %s", r->status, body_of(r));
    json_object *doc = json_tokener_parse(body_of(r));
    cr_assert(doc && json_object_is_type(doc, json_type_object), "not a JSON object: %s", body_of(r));
    cr_assert(json_object_object_get_ex(doc, "version_info", NULL), "no version_info: %s", body_of(r));
    json_object_put(doc);
}

/* ---- (a) h2 over TLS, one connection ---- */

Test(nginx, h2_over_tls_one_connection_sequential_and_multiplexed)
{
    need_nginx();
    need_http2();
    start((nginx_config){ .tls = 1, .http2 = 1, .upstream_keepalive = 1 });

    /* ten requests one after the other on one handle: one connection */
    reply r = { 0 };
    CURL *h = handle("/web/version", &r);
    long connects = 0;
    for (int i = 0; i < 10; i++) {
        reply_free(&r);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r.error);
        perform(h, &r);
        assert_version_json(&r);
        cr_assert_eq(r.http_version, CURL_HTTP_VERSION_2_0, "request %d: HTTP version %ld", i, r.http_version);
        connects += r.connects;
    }
    cr_assert_eq(connects, 1, "10 sequential requests used %ld connections", connects);
    curl_easy_cleanup(h);
    reply_free(&r);

    /* ten at once, each delayed 300 ms by the mock: multiplexed on one
     * connection (PIPEWAIT: wait for it rather than open more), all done
     * in about 300 ms, not ten times that */
    cr_assert_eq(odoo_mock_inject(mock, "latency:ms=300"), 0);
    enum { N = 10 };
    reply rs[N];
    CURL *hs[N];
    memset(rs, 0, sizeof(rs));
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    for (int i = 0; i < N; i++) {
        hs[i] = handle("/web/version", &rs[i]);
        curl_easy_setopt(hs[i], CURLOPT_PIPEWAIT, 1L);
        curl_multi_add_handle(multi, hs[i]);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int running = 1;
    while (running) {
        cr_assert_eq(curl_multi_perform(multi, &running), CURLM_OK);
        if (running)
            curl_multi_poll(multi, NULL, 0, 100, NULL);
    }
    long took = elapsed_ms(&t0);
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(multi, &left)))
        for (int i = 0; i < N; i++)
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == hs[i])
                rs[i].rc = msg->data.result;
    connects = 0;
    for (int i = 0; i < N; i++) {
        collect(hs[i], &rs[i]);
        assert_version_json(&rs[i]);
        cr_assert_eq(rs[i].http_version, CURL_HTTP_VERSION_2_0);
        connects += rs[i].connects;
        curl_multi_remove_handle(multi, hs[i]);
        curl_easy_cleanup(hs[i]);
        reply_free(&rs[i]);
    }
    curl_multi_cleanup(multi);
    cr_assert_eq(connects, 1, "10 concurrent requests used %ld connections", connects);
    cr_assert_lt(took, 5 * 300, "10 concurrent requests of 300 ms took %ld ms: not concurrent", took);
}

/* ---- (b) gzip ---- */

static const char SEARCH_READ[] = "{\"domain\": [], \"fields\": [\"name\"]}";

Test(nginx, gzip_json2_search_read_and_xmlrpc)
{
    need_nginx();
    start((nginx_config){ .tls = 1, .http2 = 1, .gzip = 1 });
    char v[128];

    reply r = { 0 };
    post("/json/2/res.partner/search_read", "application/json", SEARCH_READ, ODOO_MOCK_ADMIN_API_KEY, "gzip", &r);
    cr_assert_eq(r.rc, CURLE_OK, "curl: %s", r.error);
    cr_assert_eq(r.status, 200, "status %ld: %s", r.status, body_of(&r));
    cr_assert_not_null(header(&r, "Content-Encoding", v, sizeof(v)), "not compressed; headers:\n%s", r.headers.data);
    cr_assert_str_eq(v, "gzip");
    json_object *rows = json_tokener_parse(body_of(&r));
    cr_assert(rows && json_object_is_type(rows, json_type_array), "decoded body is not a JSON array");
    /* the 50 generated partners and those of the company and users */
    cr_assert_geq(json_object_array_length(rows), 50);
    cr_assert(json_object_object_get_ex(json_object_array_get_idx(rows, 0), "name", NULL));
    json_object_put(rows);
    reply_free(&r);

    /* a client that does not ask gets it plain */
    post("/json/2/res.partner/search_read", "application/json", SEARCH_READ, ODOO_MOCK_ADMIN_API_KEY, NULL, &r);
    cr_assert_eq(r.status, 200);
    cr_assert_null(header(&r, "Content-Encoding", v, sizeof(v)), "compressed without Accept-Encoding");
    reply_free(&r);

    /* text/xml (XML-RPC) too */
    static const char call[] =
        "<?xml version=\"1.0\"?><methodCall><methodName>execute_kw</methodName><params>"
        "<param><value><string>odoo</string></value></param><param><value><int>2</int></value></param>"
        "<param><value><string>admin</string></value></param>"
        "<param><value><string>res.partner</string></value></param>"
        "<param><value><string>search_read</string></value></param>"
        "<param><value><array><data><value><array><data></data></array></value></data></array></value></param>"
        "<param><value><struct><member><name>fields</name><value><array><data><value><string>name</string>"
        "</value></data></array></value></member></struct></value></param></params></methodCall>";
    post("/xmlrpc/2/object", "text/xml", call, NULL, "gzip", &r);
    cr_assert_eq(r.status, 200, "status %ld: %s", r.status, body_of(&r));
    cr_assert_not_null(header(&r, "Content-Encoding", v, sizeof(v)), "XML not compressed; headers:\n%s",
                       r.headers.data);
    cr_assert_str_eq(v, "gzip");
    cr_assert(strstr(body_of(&r), "<methodResponse>") && !strstr(body_of(&r), "<fault>"), "%s", body_of(&r));
    reply_free(&r);
}

/* ---- (c) client certificates ---- */

Test(nginx, client_certificate_required)
{
    need_nginx();
    start((nginx_config){ .tls = 1, .http2 = 1, .client_cert = 1 });

    reply r = { 0 };
    get("/web/version", &r);
    cr_assert_eq(r.rc, CURLE_OK, "curl: %s", r.error);
    cr_assert_eq(r.status, 400, "without a certificate: status %ld", r.status);
    cr_assert(strstr(body_of(&r), "No required SSL certificate was sent"), "%s", body_of(&r));
    reply_free(&r);

    CURL *h = handle("/web/version", &r);
    curl_easy_setopt(h, CURLOPT_SSLCERT, nginx_client_cert(nx));
    curl_easy_setopt(h, CURLOPT_SSLKEY, nginx_client_key(nx));
    perform(h, &r);
    curl_easy_cleanup(h);
    assert_version_json(&r);
    reply_free(&r);
}

/* ---- (d) upstream gone: nginx's own 502 ---- */

Test(nginx, upstream_down_gives_nginx_502_page)
{
    need_nginx();
    start((nginx_config){ .tls = 1, .http2 = 1, .upstream_keepalive = 1 });

    reply r = { 0 };
    get("/web/version", &r);
    assert_version_json(&r);
    reply_free(&r);

    odoo_mock_stop(mock);
    mock = NULL;
    get("/web/version", &r);
    cr_assert_eq(r.rc, CURLE_OK, "curl: %s", r.error);
    cr_assert_eq(r.status, 502, "status %ld: %s", r.status, body_of(&r));
    char v[128];
    cr_assert(header(&r, "Content-Type", v, sizeof(v)) && strncmp(v, "text/html", 9) == 0);
    cr_assert(strstr(body_of(&r), "<title>502 Bad Gateway</title>") && strstr(body_of(&r), "nginx"), "%s",
              body_of(&r));
    reply_free(&r);
}

/* ---- (e) upstream too slow: nginx's own 504 ---- */

Test(nginx, slow_upstream_gives_nginx_504_page)
{
    need_nginx();
    start((nginx_config){ .tls = 1, .http2 = 1, .upstream_timeout_ms = 200 });
    cr_assert_eq(odoo_mock_inject(mock, "latency:ms=1000"), 0);

    reply r = { 0 };
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    get("/web/version", &r);
    long took = elapsed_ms(&t0);
    cr_assert_eq(r.rc, CURLE_OK, "curl: %s", r.error);
    cr_assert_eq(r.status, 504, "status %ld: %s", r.status, body_of(&r));
    cr_assert(strstr(body_of(&r), "<title>504 Gateway Time-out</title>"), "%s", body_of(&r));
    cr_assert_lt(took, 1000, "the 504 came after %ld ms, not after proxy_read_timeout", took);
    reply_free(&r);
}

/* ---- upstream keepalive, over plain HTTP ---- */

static unsigned long upstream_connections_for(int keepalive, int requests)
{
    start((nginx_config){ .upstream_keepalive = keepalive });
    cr_assert(strncmp(nginx_url(nx), "http://", 7) == 0);
    odoo_mock_stats before, after;
    odoo_mock_get_stats(mock, &before);
    reply r = { 0 };
    CURL *h = handle("/web/version", &r);
    for (int i = 0; i < requests; i++) {
        reply_free(&r);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r.error);
        perform(h, &r);
        assert_version_json(&r);
        cr_assert_eq(r.http_version, CURL_HTTP_VERSION_1_1);
    }
    curl_easy_cleanup(h);
    reply_free(&r);
    odoo_mock_get_stats(mock, &after);
    return after.connections - before.connections;
}

Test(nginx, upstream_keepalive_reuses_connections)
{
    need_nginx();
    unsigned long n = upstream_connections_for(1, 20);
    cr_assert_leq(n, 2, "20 requests opened %lu upstream connections with keepalive", n);
}

Test(nginx, no_upstream_keepalive_one_connection_per_request)
{
    need_nginx();
    unsigned long n = upstream_connections_for(0, 20);
    cr_assert_eq(n, 20, "20 requests opened %lu upstream connections without keepalive", n);
}

#else
Test(nginx, needs_odoo_mock)
{
    cr_skip_test("built without odoo-mock (ODOO_BUILD_TOOLS=OFF): nothing to put nginx in front of");
}
#endif
