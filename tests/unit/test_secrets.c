/* Secrets never leave the library, whatever their bytes: passwords and
 * keys made of every character a wire encoding changes (JSON escapes, XML
 * entities, percent-encoding, base64) are masked in traces, in error
 * messages and in odoo-rpc --verbose, on every protocol. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo/sys/protocol.h>
#include <odoo_mock.h>

#include "core/secret.h"
#include "errors/error_internal.h"

/* Every byte an encoding rewrites, a space, UTF-8, and a marker (Q...7MARK)
 * that no encoding touches: if any form of a secret leaks, its marker does. */
#define PW "pw\"\\&<>' \r\n\t\xc3\xa9%+ /Qpw7MARK"
#define PW_WRONG "bad\"\\&<>' \r\n\t\xc3\xa9%+ /Qbad7MARK"
#define KEY_ALL "k\"\\&<>' \r\n\t\xc3\xa9%+ /Qkey7MARK"   /* travels in bodies */
/* in a header (JSON-2; the gateway passes it on as one): no control characters */
#define KEY_HDR "h\"\\&<>' \xc3\xa9%+ /Qhdr7MARK"
#define PROXY "x\"\\&<>' \xc3\xa9%+ /Qprx7MARK"            /* the gateway's x-api-key */

static const char *const all_secrets[] = { PW, PW_WRONG, KEY_ALL, KEY_HDR, PROXY };
static const char *const markers[] = { "Qpw7MARK", "Qbad7MARK", "Qkey7MARK", "Qhdr7MARK", "Qprx7MARK" };
#define NSECRETS (sizeof(all_secrets) / sizeof(all_secrets[0]))

/* ---- encodings, written independently of the library's matcher ---- */

static void enc_json(char *out, const char *s, int slash, int ascii)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            out += sprintf(out, "\\%c", *p);
        else if (*p == '/' && slash)
            out += sprintf(out, "\\/");
        else if (*p == '\n')
            out += sprintf(out, "\\n");
        else if (*p == '\r')
            out += sprintf(out, "\\r");
        else if (*p == '\t')
            out += sprintf(out, "\\t");
        else if (*p < 0x20)
            out += sprintf(out, "\\u%04x", *p);
        else if (*p >= 0xc0 && ascii) { /* two-byte UTF-8 only in these secrets */
            out += sprintf(out, "\\u%04x", ((p[0] & 0x1f) << 6) | (p[1] & 0x3f));
            p++;
        } else
            *out++ = (char)*p;
    }
    *out = '\0';
}

static void enc_xml(char *out, const char *s, int cr_entity)
{
    for (const char *p = s; *p; p++) {
        if (*p == '&')
            out += sprintf(out, "&amp;");
        else if (*p == '<')
            out += sprintf(out, "&lt;");
        else if (*p == '>')
            out += sprintf(out, "&gt;");
        else if (*p == '\r' && cr_entity)
            out += sprintf(out, "&#13;");
        else
            *out++ = *p;
    }
    *out = '\0';
}

static void enc_url(char *out, const char *s, int lower)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
            *out++ = (char)*p;
        else
            out += sprintf(out, lower ? "%%%02x" : "%%%02X", *p);
    }
    *out = '\0';
}

/* No form of any secret in text. */
static void expect_clean(const char *what, const char *text)
{
    if (!text)
        return;
    char e[512];
    for (size_t i = 0; i < NSECRETS; i++) {
        const char *s = all_secrets[i];
        cr_expect(strstr(text, markers[i]) == NULL, "%s shows a secret (%s): %s", what, markers[i], text);
        cr_expect(strstr(text, s) == NULL, "%s: raw secret", what);
        for (int v = 0; v < 4; v++) {
            enc_json(e, s, v & 1, v >> 1);
            cr_expect(strstr(text, e) == NULL, "%s: JSON form %s", what, e);
        }
        for (int v = 0; v < 2; v++) {
            enc_xml(e, s, v);
            cr_expect(strstr(text, e) == NULL, "%s: XML form %s", what, e);
            enc_url(e, s, v);
            cr_expect(strstr(text, e) == NULL, "%s: URL form %s", what, e);
        }
        char *b64 = odoo__base64((const unsigned char *)s, strlen(s));
        cr_expect(strstr(text, b64) == NULL, "%s: base64 form", what);
        free(b64);
    }
}

/* ---- the matcher itself ---- */

Test(secrets, matcher_sees_every_encoding)
{
    const char *const secrets[] = { PW };
    char e[512], text[600];
    const char *forms[8];
    char store[8][512];
    int nf = 0;
    for (int v = 0; v < 4; v++) {
        enc_json(store[nf], PW, v & 1, v >> 1);
        forms[nf] = store[nf];
        nf++;
    }
    for (int v = 0; v < 2; v++) {
        enc_xml(store[nf], PW, v);
        forms[nf] = store[nf];
        nf++;
        enc_url(store[nf], PW, v);
        forms[nf] = store[nf];
        nf++;
    }
    for (int i = 0; i < nf; i++) {
        snprintf(text, sizeof(text), "<x>%s</x>", forms[i]);
        char *m = odoo__redact_string(text, strlen(text), secrets, 1);
        cr_assert_not_null(m);
        cr_expect_str_eq(m, "<x>***</x>", "form %s gave %s", forms[i], m);
        free(m);
    }
    /* XML numeric references, hex or decimal, any case; Python's repr */
    const char *more[] = { "pw\"\\&#x26;&lt;&#62;&apos; &#xD;&#10;&#9;&#233;%+ &#x2F;Qpw7MARK",
                           "pw\\\"\\\\&<>\\' \\r\\n\\t\\xe9%+ /Qpw7MARK" };
    for (size_t i = 0; i < 2; i++) {
        char *m = odoo__redact_string(more[i], strlen(more[i]), secrets, 1);
        cr_expect_str_eq(m, "***", "%s gave %s", more[i], m);
        free(m);
    }
    /* Neighbours of the secret are left alone. */
    enc_json(e, PW, 0, 0);
    snprintf(text, sizeof(text), "a\\n%s\\nb", e);
    char *m = odoo__redact_string(text, strlen(text), secrets, 1);
    cr_expect_str_eq(m, "a\\n***\\nb");
    free(m);
    /* A near miss is not masked. */
    const char *const one[] = { "s3cr3t" };
    m = odoo__redact_string("s3cr3 s3cr3t% s3cr%33t", 22, one, 1);
    cr_expect_str_eq(m, "s3cr3 ***% ***");
    free(m);
}

Test(secrets, error_messages_are_masked_in_every_encoding)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    char e[512];
    enc_xml(e, PW, 1);
    odoo__error_set(&err, ODOO_ERR_PROTOCOL, "unexpected page: <p>%s</p>", e);
    enc_json(e, PW, 1, 1);
    odoo__error_set_debug(&err, e, strlen(e));
    const char *const secrets[] = { PW };
    odoo__error_redact(&err, secrets, 1);
    cr_expect_str_eq(err.message, "unexpected page: <p>***</p>");
    cr_expect_str_eq(err.debug, "***");
    odoo_rpc_error_clear(&err);
}

/* ---- every protocol against the mock ---- */

static odoo_mock *mock;
static char *trace;
static size_t trace_len;

static void collect(const char *line, void *payload)
{
    (void)payload;
    size_t n = strlen(line);
    trace = realloc(trace, trace_len + n + 2);
    memcpy(trace + trace_len, line, n);
    trace_len += n;
    trace[trace_len++] = '\n';
    trace[trace_len] = '\0';
}

static void start_mock(void)
{
    static const odoo_mock_key keys[] = { { KEY_ALL, "admin", NULL, 0 }, { KEY_HDR, "admin", NULL, 0 } };
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cfg.extra_keys = keys;
    cfg.n_extra_keys = 2;
    cfg.proxy_key = PROXY;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0);
    /* The admin's password becomes PW. */
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(mock);
    o.db = odoo_mock_db(mock);
    o.login = ODOO_MOCK_ADMIN_LOGIN;
    o.password = ODOO_MOCK_ADMIN_PASSWORD;
    odoo_protocol *p = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_JSONRPC_STATELESS, &o, &err), 0, "%s", err.message);
    json_object *ids = json_object_new_array(), *vals = json_object_new_object();
    json_object_array_add(ids, json_object_new_int(ODOO_MOCK_ADMIN_UID));
    json_object_object_add(vals, "password", json_object_new_string(PW));
    cr_assert_eq(odoo_write(p, "res.users", ids, vals, NULL, &err), 0, "%s", err.message);
    json_object_put(ids);
    json_object_put(vals);
    odoo_close(p);
    odoo_rpc_error_clear(&err);
}

static void stop_mock(void)
{
    odoo_mock_stop(mock);
    free(trace);
    trace = NULL;
    trace_len = 0;
}

static odoo_protocol *open_traced(odoo_protocol_kind kind, const char *password)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(mock);
    o.db = odoo_mock_db(mock);
    o.login = ODOO_MOCK_ADMIN_LOGIN;
    o.password = password;
    o.api_key = kind == ODOO_PROTOCOL_JSON2 || kind == ODOO_PROTOCOL_ODXPROXY ? KEY_HDR : KEY_ALL;
    if (kind == ODOO_PROTOCOL_JSONRPC)
        o.api_key = NULL; /* the web session takes only passwords */
    if (kind == ODOO_PROTOCOL_ODXPROXY) {
        o.proxy_url = odoo_mock_url(mock);
        o.proxy_api_key = PROXY;
        o.user_id = ODOO_MOCK_ADMIN_UID;
    }
    o.trace = collect;
    odoo_protocol *p = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo_connect(&p, kind, &o, &err), 0, "%s: %s", odoo_protocol_kind_name(kind), err.message);
    odoo_rpc_error_clear(&err);
    return p;
}

static const odoo_protocol_kind kinds[] = {
    ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC, ODOO_PROTOCOL_JSONRPC_STATELESS, ODOO_PROTOCOL_JSON2,
    ODOO_PROTOCOL_ODXPROXY,
};

Test(secrets, every_protocol_masks_special_secrets, .init = start_mock, .fini = stop_mock, .timeout = 60)
{
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        const char *name = odoo_protocol_kind_name(kinds[k]);
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        trace_len = 0;
        odoo_protocol *p = open_traced(kinds[k], PW);
        int64_t uid = 0;
        cr_expect_eq(odoo_authenticate(&uid, p, &err), 0, "%s: %s", name, err.message);
        int64_t n = 0;
        cr_expect_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s: %s", name, err.message);
        /* The secret travels back in the server's own encoding. */
        json_object *vals = json_object_new_object(), *id = NULL;
        json_object_object_add(vals, "name", json_object_new_string(PW));
        cr_expect_eq(odoo_create(&id, p, "res.partner", vals, NULL, &err), 0, "%s: %s", name, err.message);
        json_object_put(vals);
        json_object *ids = json_object_new_array(), *recs = NULL;
        json_object_array_add(ids, json_object_get(id));
        static const char *const fields[] = { "name", NULL };
        cr_expect_eq(odoo_read(&recs, p, "res.partner", ids, fields, NULL, &err), 0, "%s: %s", name, err.message);
        json_object_put(recs);
        json_object_put(ids);
        json_object_put(id);
        /* ... and in an error that quotes it. */
        json_object *domain = json_object_new_array(), *leaf = json_object_new_array();
        json_object_array_add(leaf, json_object_new_string("no_such_field"));
        json_object_array_add(leaf, json_object_new_string("="));
        json_object_array_add(leaf, json_object_new_string(PW));
        json_object_array_add(domain, leaf);
        cr_expect_neq(odoo_search_count(&n, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain }, &err), 0, "%s", name);
        json_object_put(domain);
        expect_clean(name, err.message);
        expect_clean(name, err.debug);
        odoo_rpc_error_clear(&err);
        odoo_close(p);

        /* A refused secret is as secret as an accepted one. */
        p = open_traced(kinds[k], PW_WRONG);
        if (kinds[k] == ODOO_PROTOCOL_JSONRPC) {
            cr_expect_neq(odoo_authenticate(&uid, p, &err), 0, "%s", name);
            expect_clean(name, err.message);
            expect_clean(name, err.debug);
        }
        odoo_rpc_error_clear(&err);
        odoo_close(p);

        cr_expect(trace && strstr(trace, "> POST") != NULL, "%s: no trace", name);
        expect_clean(name, trace);
    }
}

Test(secrets, json2_refuses_a_key_with_control_characters_without_showing_it, .init = start_mock,
     .fini = stop_mock)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(mock);
    o.api_key = KEY_ALL;
    o.trace = collect;
    odoo_protocol *p = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_expect_eq(odoo_connect(&p, ODOO_PROTOCOL_JSON2, &o, &err), ODOO_ERR_INVALID_ARGUMENT);
    expect_clean("json2 open", err.message);
    odoo_rpc_error_clear(&err);
}

/* ---- odoo-rpc --verbose ---- */

#ifdef ODOO_RPC_PATH
static char *run_cli(const char *const *env, const char *const *words, int *status)
{
    const char *argv[32];
    int n = 0;
    argv[n++] = ODOO_RPC_PATH;
    for (; *words && n < 31; words++)
        argv[n++] = *words;
    argv[n] = NULL;
    char path[] = "/tmp/odoo-secrets-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    unlink(path);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        execve(ODOO_RPC_PATH, (char *const *)argv, (char *const *)env);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    *status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    off_t size = lseek(fd, 0, SEEK_END);
    char *out = calloc(1, (size_t)size + 1);
    if (pread(fd, out, (size_t)size, 0) < 0)
        out[0] = '\0';
    close(fd);
    return out;
}

Test(secrets, odoo_rpc_verbose_masks_special_secrets, .init = start_mock, .fini = stop_mock, .timeout = 60)
{
    char url[160], db[80], proxy[160];
    snprintf(url, sizeof(url), "ODOO_URL=%s", odoo_mock_url(mock));
    snprintf(db, sizeof(db), "ODOO_DB=%s", odoo_mock_db(mock));
    snprintf(proxy, sizeof(proxy), "ODXPROXY_URL=%s", odoo_mock_url(mock));
    static const char *const protos[] = { "xmlrpc", "jsonrpc", "jsonrpc-stateless", "json2", "odxproxy" };
    for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
        int json2 = strcmp(protos[i], "json2") == 0 || strcmp(protos[i], "odxproxy") == 0, session = strcmp(protos[i], "jsonrpc") == 0;
        const char *env[] = { url, db, "ODOO_USER=admin", "ODOO_PASSWORD=" PW,
                              json2 ? "ODOO_API_KEY=" KEY_HDR : session ? "ODOO_X=1" : "ODOO_API_KEY=" KEY_ALL,
                              proxy, "ODXPROXY_API_KEY=" PROXY, "ODXPROXY_USER_ID=2", NULL };
        const char *words[] = { "--verbose", "--protocol", protos[i], "count", "res.partner", NULL };
        int status = 0;
        char *out = run_cli(env, words, &status);
        cr_expect_eq(status, 0, "%s: %s", protos[i], out);
        cr_expect(strstr(out, "> POST") != NULL, "%s: %s", protos[i], out);
        expect_clean(protos[i], out);
        free(out);
        /* a refused password, shown nowhere either */
        env[3] = "ODOO_PASSWORD=" PW_WRONG;
        if (!session)
            env[4] = "ODOO_X=1";
        const char *login[] = { "--verbose", "--protocol", protos[i], "login", NULL };
        out = run_cli(env, login, &status);
        cr_expect_neq(status, 0, "%s: %s", protos[i], out);
        expect_clean(protos[i], out);
        free(out);
    }
}
#endif

/* ---- D8: the session cookie and URL credentials ---- */

#include <microhttpd.h>

/* A server that logs a web session in (with a cookie), then answers every
 * other request with an HTML error page that echoes the request headers,
 * as some proxies' and frameworks' debug pages do. */
#define SID "5e551011c00c1e5ecre7Qsid7MARK"

static enum MHD_Result echo_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    char *page = cls;
    size_t n = strlen(page);
    snprintf(page + n, 8192 - n, "<li>%s: %s</li>", key, value ? value : "");
    return MHD_YES;
}

static enum MHD_Result echo_answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                   const char *version, const char *data, size_t *size, void **state)
{
    (void)cls, (void)method, (void)version, (void)data;
    if (!*state) { /* first call: headers only */
        *state = c;
        return MHD_YES;
    }
    if (*size) { /* body bytes: ignored */
        *size = 0;
        return MHD_YES;
    }
    struct MHD_Response *r;
    unsigned status;
    if (strcmp(url, "/web/session/authenticate") == 0) {
        static const char ok[] = "{\"jsonrpc\":\"2.0\",\"result\":{\"uid\":2}}";
        r = MHD_create_response_from_buffer(sizeof(ok) - 1, (void *)ok, MHD_RESPMEM_PERSISTENT);
        MHD_add_response_header(r, "Set-Cookie", "session_id=" SID "; Path=/; HttpOnly");
        MHD_add_response_header(r, "Content-Type", "application/json");
        status = 200;
    } else {
        char page[8192] = "<html><body><h1>Internal Server Error</h1><ul>";
        MHD_get_connection_values(c, MHD_HEADER_KIND, echo_header, page);
        strncat(page, "</ul></body></html>", sizeof(page) - strlen(page) - 1);
        r = MHD_create_response_from_buffer(strlen(page), page, MHD_RESPMEM_MUST_COPY);
        MHD_add_response_header(r, "Content-Type", "text/html");
        status = 500;
    }
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static struct MHD_Daemon *echo;
static char echo_url[128], echo_url_creds[160];

static void start_echo(void)
{
    echo = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, echo_answer, NULL,
                            MHD_OPTION_SOCK_ADDR, NULL, MHD_OPTION_END);
    cr_assert_not_null(echo);
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(echo, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(echo_url, sizeof(echo_url), "http://127.0.0.1:%u", (unsigned)info->port);
    /* ':' and '@' of the password percent-encoded, as a URL needs */
    snprintf(echo_url_creds, sizeof(echo_url_creds), "http://me:p%%40ss%%3AQurl7MARK@127.0.0.1:%u",
             (unsigned)info->port);
}

static void stop_echo(void)
{
    MHD_stop_daemon(echo);
    free(trace);
    trace = NULL;
    trace_len = 0;
}

/* Neither the cookie nor the URL's credentials, in any form. */
static void expect_no_session(const char *what, const char *text)
{
    if (!text)
        return;
    cr_expect(strstr(text, "Qsid7MARK") == NULL, "%s shows the session cookie: %s", what, text);
    cr_expect(strstr(text, "Qurl7MARK") == NULL, "%s shows the URL password: %s", what, text);
    char *b64 = odoo__base64((const unsigned char *)"me:p@ss:Qurl7MARK", 17);
    cr_expect(strstr(text, b64) == NULL, "%s shows the Basic credentials (%s): %s", what, b64, text);
    free(b64);
}

Test(secrets, session_cookie_is_masked_in_echoed_pages, .init = start_echo, .fini = stop_echo, .timeout = 30)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = echo_url;
    o.db = "odoo";
    o.login = "admin";
    o.password = "a-password";
    o.trace = collect;
    odoo_protocol *p = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_JSONRPC, &o, &err), 0, "%s", err.message);
    int64_t uid = 0;
    cr_assert_eq(odoo_authenticate(&uid, p, &err), 0, "%s", err.message);
    int64_t n = 0;
    cr_expect_neq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0);
    cr_expect(err.message != NULL);
    /* the page did come back (so the test can fail) */
    cr_expect(trace && strstr(trace, "Internal Server Error") != NULL, "%s", trace);
    expect_no_session("error message", err.message);
    expect_no_session("error debug", err.debug);
    odoo_rpc_error_clear(&err);
    odoo_close(p);
    expect_no_session("trace", trace);
}

Test(secrets, url_credentials_are_masked_in_echoed_pages, .init = start_echo, .fini = stop_echo, .timeout = 30)
{
    static const odoo_protocol_kind ks[] = { ODOO_PROTOCOL_XMLRPC, ODOO_PROTOCOL_JSONRPC_STATELESS };
    for (size_t i = 0; i < 2; i++) {
        odoo_options o = ODOO_OPTIONS_INIT;
        o.url = echo_url_creds;
        o.db = "odoo";
        o.login = "admin";
        o.password = "a-password";
        o.trace = collect;
        odoo_protocol *p = NULL;
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        trace_len = 0;
        cr_assert_eq(odoo_connect(&p, ks[i], &o, &err), 0, "%s", err.message);
        json_object *v = NULL;
        cr_expect_neq(odoo_version_info(&v, p, &err), 0);
        cr_expect(trace && strstr(trace, "Authorization") != NULL, "%s", trace);
        expect_no_session("error message", err.message);
        expect_no_session("error debug", err.debug);
        odoo_rpc_error_clear(&err);
        odoo_close(p);
        expect_no_session("trace", trace);
    }
}
