/* secret-scan: no secret survives in memory the library has freed.
 *
 * This binary replaces malloc, calloc, realloc and free (glibc allows it;
 * the real ones are __libc_*). While armed, every block the test thread
 * allocates is zeroed first, and every block it frees is kept aside
 * (quarantined, never reused) with the stack that freed it. A realloc
 * always moves, so the block it leaves counts as freed. After a login, a
 * call and a close over every protocol against the in-process odoo-mock,
 * the quarantine is searched for every secret: the password, the Odoo
 * API keys, the gateway key and the web session's cookie, in every wire
 * encoding (each secret carries a marker that no encoding changes), and
 * the base64 "user:password" of URL credentials. Any hit fails the run
 * and prints the stack of the free.
 *
 * Only the test thread is watched: odoo-mock serves from its own threads
 * and of course holds the same secrets. */
#include <execinfo.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <odoo.h>
#include <odoo/sys/protocol.h>
#include <odoo_mock.h>

#include "core/secret.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

/* ---- the allocator hook ---- */

#define MAX_KEPT 400000
#define FRAMES 12

typedef struct {
    void *p;
    size_t size;
    int nframes;
    void *frames[FRAMES];
} kept_block;

static kept_block kept[MAX_KEPT];
static size_t nkept, overflow;
static volatile int armed;
static pthread_t watched;
static __thread int inside; /* backtrace() may allocate: do not recurse */

static int watching(void)
{
    return armed && !inside && pthread_equal(pthread_self(), watched);
}

void *malloc(size_t n)
{
    void *p = __libc_malloc(n);
    if (p && watching())
        memset(p, 0, malloc_usable_size(p));
    return p;
}

void *calloc(size_t n, size_t m)
{
    return __libc_calloc(n, m);
}

void free(void *p)
{
    if (!p)
        return;
    if (!watching()) {
        __libc_free(p);
        return;
    }
    if (nkept == MAX_KEPT) {
        overflow++;
        __libc_free(p);
        return;
    }
    inside = 1;
    kept_block *k = &kept[nkept++];
    k->p = p;
    k->size = malloc_usable_size(p);
    k->nframes = backtrace(k->frames, FRAMES);
    inside = 0;
}

void *realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    if (!watching())
        return __libc_realloc(p, n);
    void *q = malloc(n ? n : 1);
    if (!q)
        return NULL;
    size_t have = malloc_usable_size(p);
    memcpy(q, p, have < n ? have : n);
    free(p);
    return q;
}

/* ---- secrets ---- */

#define PW "pw\"\\&<>' \r\n\t\xc3\xa9%+ /Qpw7MARK"
#define KEY_ALL "k\"\\&<>' \r\n\t\xc3\xa9%+ /Qkey7MARK"
#define KEY_HDR "h\"\\&<>' \xc3\xa9%+ /Qhdr7MARK"
#define PROXY "x\"\\&<>' \xc3\xa9%+ /Qprx7MARK"
#define URL_USER "scan"
#define URL_PW "u:rl%40pw-Qurl7MARK" /* decoded: "u:rl@pw-Qurl7MARK" */

typedef struct {
    const char *what;
    char text[256];
} pattern;

static pattern patterns[16];
static size_t npatterns;

static void add_pattern(const char *what, const char *text)
{
    patterns[npatterns].what = what;
    snprintf(patterns[npatterns].text, sizeof(patterns[npatterns].text), "%s", text);
    npatterns++;
}

static size_t scan(void)
{
    size_t hits = 0;
    for (size_t i = 0; i < nkept; i++) {
        kept_block *k = &kept[i];
        for (size_t j = 0; j < npatterns; j++) {
            const char *pat = patterns[j].text;
            char *at = memmem(k->p, k->size, pat, strlen(pat));
            if (!at)
                continue;
            hits++;
            if (hits <= 12) {
                fprintf(stderr, "\nsecret-scan: a freed %zu-byte block holds the %s at offset %zu; freed by:\n",
                        k->size, patterns[j].what, (size_t)(at - (char *)k->p));
                backtrace_symbols_fd(k->frames, k->nframes, 2);
            }
        }
    }
    return hits;
}

/* ---- the run ---- */

static odoo_mock *mock;
static char session_cookie[256];
static int failures;

static void check(int ok, const char *what, const odoo_rpc_error *err)
{
    if (!ok) {
        fprintf(stderr, "secret-scan: %s failed: %s\n", what, err && err->message ? err->message : "");
        failures++;
    }
}

static void run(odoo_protocol_kind kind, const char *url)
{
    const char *name = odoo_protocol_kind_name(kind);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = url;
    o.db = odoo_mock_db(mock);
    o.login = ODOO_MOCK_ADMIN_LOGIN;
    o.password = PW;
    o.api_key = kind == ODOO_PROTOCOL_JSONRPC ? NULL
              : kind == ODOO_PROTOCOL_JSON2 || kind == ODOO_PROTOCOL_ODXPROXY ? KEY_HDR : KEY_ALL;
    if (kind == ODOO_PROTOCOL_ODXPROXY) {
        o.proxy_url = odoo_mock_url(mock);
        o.proxy_api_key = PROXY;
        o.user_id = ODOO_MOCK_ADMIN_UID;
    }
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = NULL;
    if (odoo_connect(&p, kind, &o, &err) != 0) {
        check(0, name, &err);
        odoo_rpc_error_clear(&err);
        return;
    }
    int64_t uid = 0;
    check(odoo_authenticate(&uid, p, &err) == 0, name, &err);
    if (kind == ODOO_PROTOCOL_JSONRPC && !session_cookie[0]) {
        char *sid = odoo_protocol_cookie(p, "session_id");
        check(sid != NULL, "reading the session cookie", NULL);
        if (sid) {
            snprintf(session_cookie, sizeof(session_cookie), "%s", sid);
            explicit_bzero(sid, strlen(sid)); /* the test's own copy */
            free(sid);
        }
    }
    int64_t n = 0;
    check(odoo_search_count(&n, p, "res.partner", NULL, &err) == 0 && n > 0, name, &err);
    odoo_rpc_error_clear(&err);
    odoo_close(p);
}

int main(void)
{
    static const odoo_mock_key keys[] = { { KEY_ALL, "admin", NULL, 0 }, { KEY_HDR, "admin", NULL, 0 } };
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cfg.extra_keys = keys;
    cfg.n_extra_keys = 2;
    cfg.proxy_key = PROXY;
    if (odoo_mock_start(&mock, &cfg) != 0)
        return 1;
    void *warm[1];
    backtrace(warm, 1); /* loads the unwinder now, not inside free() */

    /* The admin's password becomes PW (before arming: this connection
     * uses the mock's default password). */
    {
        odoo_options o = ODOO_OPTIONS_INIT;
        o.url = odoo_mock_url(mock);
        o.db = odoo_mock_db(mock);
        o.login = ODOO_MOCK_ADMIN_LOGIN;
        o.password = ODOO_MOCK_ADMIN_PASSWORD;
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        odoo_protocol *p = NULL;
        json_object *ids = json_object_new_array(), *vals = json_object_new_object();
        json_object_array_add(ids, json_object_new_int(ODOO_MOCK_ADMIN_UID));
        json_object_object_add(vals, "password", json_object_new_string(PW));
        if (odoo_connect(&p, ODOO_PROTOCOL_JSONRPC_STATELESS, &o, &err) != 0 ||
            odoo_write(p, "res.users", ids, vals, NULL, &err) != 0) {
            fprintf(stderr, "secret-scan: setting the password failed: %s\n", err.message);
            return 1;
        }
        json_object_put(ids);
        json_object_put(vals);
        odoo_close(p);
        odoo_rpc_error_clear(&err);
    }

    /* The same mock behind credentials in the URL: odoo-mock ignores the
     * Basic header, the library must still treat it as a secret. */
    static char url_creds[256];
    const char *base = odoo_mock_url(mock);
    snprintf(url_creds, sizeof(url_creds), "http://%s:%s@%s", URL_USER, URL_PW, base + strlen("http://"));

    watched = pthread_self();
    armed = 1;
    static const odoo_protocol_kind kinds[] = {
        ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC, ODOO_PROTOCOL_JSONRPC_STATELESS, ODOO_PROTOCOL_JSON2,
        ODOO_PROTOCOL_ODXPROXY,
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        run(kinds[i], base);
    run(ODOO_PROTOCOL_JSON2, url_creds);
    run(ODOO_PROTOCOL_JSONRPC_STATELESS, url_creds);
    armed = 0;

    add_pattern("password", "Qpw7MARK");
    add_pattern("API key", "Qkey7MARK");
    add_pattern("header API key", "Qhdr7MARK");
    add_pattern("gateway key", "Qprx7MARK");
    add_pattern("URL password", "Qurl7MARK");
    add_pattern("URL password (decoded)", "u:rl@pw-Qurl7MARK");
    {
        static const char basic[] = URL_USER ":u:rl@pw-Qurl7MARK";
        char *b64 = odoo__base64((const unsigned char *)basic, strlen(basic));
        /* drop the padding and the last group: a base64 run inside a header */
        b64[strlen(b64) - 4] = '\0';
        add_pattern("URL credentials (Basic base64)", b64);
        __libc_free(b64);
    }
    if (session_cookie[0])
        add_pattern("session cookie", session_cookie);
    else
        failures++;

    size_t hits = scan();
    fprintf(stderr, "secret-scan: %zu freed blocks scanned%s, %zu patterns, %zu hit(s), %d failed step(s)\n", nkept,
            overflow ? " (quarantine full: some were not)" : "", npatterns, hits, failures);
    for (size_t i = 0; i < nkept; i++)
        __libc_free(kept[i].p);
    odoo_mock_stop(mock);
    return hits || failures || overflow ? 1 : 0;
}
