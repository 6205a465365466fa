/* The one HTTP transport: a libcurl easy handle per connection, reused
 * across calls so the TCP/TLS connection stays alive. An exchange is two
 * halves, begin (the request onto the handle) and finish (the answer, the
 * counters, the trace, the error): odoo_http_send runs curl_easy_perform
 * between them, a multi (multi.c) its curl_multi transfer. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "odoo/sys/http.h"
#include "../errors/error_internal.h"
#include "ascii.h"
#include "global.h"
#include "odoo/sys/buf.h"
#include "secret.h"
#include "value.h"

#define DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define DEFAULT_TIMEOUT_MS 120000L
#define DEFAULT_MAX_RESPONSE ((size_t)64 << 20)
#define KEEP_BUFFER_BYTES ((size_t)1 << 20)  /* larger buffers are released after use */
#define TRACE_BODY_BYTES 2048
/* All header lines of one answer together; Odoo sends about 1 KB. curl
 * refuses a single line over 100 KB itself; this bounds a flood of small
 * ones (cookies) whatever curl's version. */
#define MAX_HEADER_BYTES ((size_t)256 << 10)
#define MAX_LOCATION_SHOWN 300
#define MAX_SECRETS 8

struct odoo_http {
    CURL *curl;
    char *base;                 /* base URL without trailing slash */
    char *shown;                /* the same for messages: user:password@ replaced by ***@ */
    odoo_buf url;               /* scratch: base + path (wiped: it may hold user:password@) */
    odoo_buf body;              /* the response body */
    size_t max;                 /* response cap */
    int too_large;
    int hdr_state;              /* 0 before a status line, 1 in the header lines, 2 after them */
    size_t hdr_bytes;
    int hdr_too_large;
    char *location;             /* a refused redirect's target, for messages (credentials stripped) */
    long retry_after;
    int verify;
    char *secrets[MAX_SECRETS];
    size_t nsecrets;
    char *session_secret;       /* the session cookie's value, apart: it changes at each login */
    const char *all_secrets[MAX_SECRETS + 1];  /* secrets then session_secret, for masking */
    odoo_trace_cb trace;
    void *trace_payload;
    odoo_http_stats stats;
    long timeout_ms;            /* the total timeout in force (0: none) */
    const volatile int *cancel; /* the caller's cancel flag, or NULL */
    int capture;                /* keep a copy of each request */
    char *cap_method, *cap_path, *cap_ctype, *cap_body;
    size_t cap_len;
    char **cap_headers;
    struct curl_slist *headers; /* the header lines of the request in flight (begin to finish) */
    const odoo__http_sink *armed; /* the sink for the next exchange (odoo__http_arm_sink) */
    const odoo__http_sink *sink;  /* the exchange in flight's, begin to finish */
    int sink_state;             /* 0 undecided, 1 the body goes to the sink, 2 to the buffer */
    int sink_stopped;           /* the sink's write aborted the transfer */
    int streamed;               /* the last answer went to its sink */
    unsigned long long sunk;    /* bytes the sink took */
    int uncapped;               /* CURLOPT_MAXFILESIZE is off (the exchange has a sink) */
    char errbuf[CURL_ERROR_SIZE];
};

/* Whether a media type ends in suffix, parameters aside: "json" takes
 * application/json and "+json" suffixes, "xml" text/xml and application/xml. */
static int media_type_is(const char *ct, const char *suffix)
{
    if (!ct)
        return 0;
    size_t n = strcspn(ct, ";"), k = strlen(suffix);
    while (n > 0 && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
        n--;
    return n >= k && strncasecmp(ct + n - k, suffix, k) == 0;
}

/* At the first body bytes: whether the sink takes this answer. */
static int sink_decide(odoo_http *h)
{
    long status = 0;
    char *ct = NULL;
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(h->curl, CURLINFO_CONTENT_TYPE, &ct);
    if (status >= 200 && status < 300 && (media_type_is(ct, "json") || media_type_is(ct, "xml")) &&
        h->sink->begin(h->sink->payload, status, ct) == 0)
        return 1;
    return 2;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    odoo_http *h = userdata;
    size_t n = size * nmemb;
    if (h->sink && h->sink_state == 0)
        h->sink_state = sink_decide(h);
    if (h->sink_state == 1) {
        int w = h->sink->write(h->sink->payload, data, n);
        if (w == ODOO__SINK_PAUSE)
            return CURL_WRITEFUNC_PAUSE;
        if (w != 0) {
            h->sink_stopped = 1;
            return 0; /* CURLE_WRITE_ERROR */
        }
        h->sunk += n;
        return n;
    }
    if (h->body.len + n > h->max) {
        h->too_large = 1;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    odoo_buf_append(&h->body, data, n);
    return h->body.failed ? 0 : n;
}

/* Retry-After is a delay in seconds or an HTTP date (RFC 9110 10.2.3);
 * either is clamped to 0..ODOO_RETRY_AFTER_MAX. -1 when unreadable. */
static long parse_retry_after(const char *v, size_t n)
{
    char text[64];
    while (n > 0 && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
        n--;
    if (n == 0 || n >= sizeof(text))
        return -1;
    memcpy(text, v, n);
    text[n] = '\0';
    long secs;
    if (isdigit((unsigned char)text[0])) {
        size_t i = 0;
        while (isdigit((unsigned char)text[i]))
            i++;
        if (text[i] != '\0')
            return -1;
        secs = i > 6 ? ODOO_RETRY_AFTER_MAX : strtol(text, NULL, 10); /* 7 digits already exceed the cap */
    } else {
        time_t when = curl_getdate(text, NULL);
        if (when == (time_t)-1)
            return -1;
        time_t now = time(NULL);
        secs = when <= now ? 0 : when - now > ODOO_RETRY_AFTER_MAX ? ODOO_RETRY_AFTER_MAX : (long)(when - now);
    }
    return secs > ODOO_RETRY_AFTER_MAX ? ODOO_RETRY_AFTER_MAX : secs;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    odoo_http *h = userdata;
    size_t n = size * nmemb;
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        h->hdr_state = 1; /* a new answer (after a 1xx, the real one) */
        h->hdr_bytes = 0;
    } else if (n <= 2 && (data[0] == '\r' || data[0] == '\n')) {
        h->hdr_state = 2;
    }
    if ((h->hdr_bytes += n) > MAX_HEADER_BYTES) {
        h->hdr_too_large = 1;
        return 0;
    }
    if (n > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
        h->retry_after = parse_retry_after(data + 12, n - 12);
    } else if (n > 15 && strncasecmp(data, "Content-Length:", 15) == 0 && !h->sink) {
        /* (with a sink the body may never be buffered: on_body caps what is) */
        /* Size the buffer once, and refuse early what would not fit. */
        unsigned long long cl = strtoull(data + 15, NULL, 10);
        if (cl > h->max) {
            h->too_large = 1;
            return 0;
        }
        if (odoo_buf_reserve(&h->body, (size_t)cl) != 0)
            return 0;
    }
    return n;
}

static void trace_line(odoo_http *h, const char *dir, const char *text, size_t len)
{
    size_t n;
    const char *const *secrets = odoo__http_secrets(h, &n);
    char *masked = odoo__redact_string(text, len, secrets, n);
    if (!masked)
        return;
    size_t mlen = strlen(masked);
    char *line = malloc(mlen + 48);
    if (line) {
        if (mlen > TRACE_BODY_BYTES)
            snprintf(line, mlen + 48, "%s %.*s... (%zu bytes)", dir, TRACE_BODY_BYTES, masked, mlen);
        else
            snprintf(line, mlen + 48, "%s %s", dir, masked);
        h->trace(line, h->trace_payload);
        free(line);
    }
    free(masked);
}

/* One header line as it went over the wire; credentials and cookies are
 * replaced by *** whatever their value. */
static void trace_header(odoo_http *h, const char *dir, const char *header, size_t len)
{
    static const char *const hidden[] = { "authorization:", "x-api-key:", "cookie:", "set-cookie:" };
    while (len > 0 && (header[len - 1] == '\r' || header[len - 1] == '\n'))
        len--;
    if (len == 0)
        return;
    for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
        size_t n = strlen(hidden[i]);
        if (len >= n && strncasecmp(header, hidden[i], n) == 0) {
            char line[64];
            snprintf(line, sizeof(line), "%s %.*s ***", dir, (int)(n - 1), header);
            h->trace(line, h->trace_payload);
            return;
        }
    }
    trace_line(h, dir, header, len);
}

/* libcurl shows us the headers exactly as sent and received (cookies
 * included); bodies are traced by odoo_http_send itself, whole. */
static int on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *userdata)
{
    odoo_http *h = userdata;
    (void)c;
    if (type == CURLINFO_HEADER_OUT) {
        const char *p = data, *end = data + size;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            trace_header(h, ">", p, n);
            p += n + 1;
        }
    } else if (type == CURLINFO_HEADER_IN) {
        trace_header(h, "<", data, size);
    }
    return 0;
}

/* The TLS floor: 1.2 unless the options raise it. */
static int tls_floor(const odoo_options *opts, long *out, odoo_rpc_error *err)
{
    int v = opts && opts->version >= 2 ? opts->tls_min_version : 0;
    if (v == 0 || v == ODOO_TLS_1_2)
        *out = CURL_SSLVERSION_TLSv1_2;
    else if (v == ODOO_TLS_1_3)
        *out = CURL_SSLVERSION_TLSv1_3;
    else
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "options.tls_min_version %d is not ODOO_TLS_1_2 (12) or ODOO_TLS_1_3 (13): "
                               "nothing below TLS 1.2 is spoken", v);
    return 0;
}

/* 1 when a setopt failed; string options are copied, so they may fail
 * for lack of memory (*nomem set). */
static int opt_failed(CURLcode rc, int *nomem)
{
    *nomem |= rc == CURLE_OUT_OF_MEMORY;
    return rc != CURLE_OK;
}

int odoo_http_new(odoo_http **out, const char *base_url, const odoo_options *opts, odoo_rpc_error *err)
{
    if (!out)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!base_url || !*base_url)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no URL given");
    if (strncasecmp(base_url, "http://", 7) != 0 && strncasecmp(base_url, "https://", 8) != 0)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "the URL must start with http:// or https://");
    /* Request paths are appended to the base: a query or fragment in it
     * would send every call to the wrong place. */
    if (base_url[strcspn(base_url, "?#")])
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "the URL must be the server's base URL, without a query (?) or fragment (#)");
    for (const char *c = base_url; *c; c++)
        if ((unsigned char)*c <= 0x20 || *c == 0x7f)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                   "the URL contains a space or a control character");
    if (opts && opts->user_agent && !odoo__header_safe(opts->user_agent))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "options.user_agent contains a line break or control character");
    long tls_version;
    if (tls_floor(opts, &tls_version, err))
        return ODOO_ERR_INVALID_ARGUMENT;
    if (odoo__global_init() != 0)
        return odoo__error_set(err, ODOO_ERR_NOMEM, "libcurl could not be initialised");

    odoo_http *h = calloc(1, sizeof(*h));
    if (!h)
        return odoo__error_nomem(err);
    h->base = odoo__strdup(base_url);
    h->curl = curl_easy_init();
    if (!h->base || !h->curl) {
        odoo_http_free(h);
        return odoo__error_nomem(err);
    }
    size_t blen = strlen(h->base);
    while (blen > 0 && h->base[blen - 1] == '/')
        h->base[--blen] = '\0';
    /* Errors name the server; credentials in the URL must not come with it. */
    if (!(h->shown = odoo__url_for_display(h->base))) {
        odoo_http_free(h);
        return odoo__error_nomem(err);
    }
    /* ... nor go out in a trace or an echoed page, decoded or as Basic. */
    if (odoo__http_add_url_secrets(h, h->base)) {
        odoo_http_free(h);
        return odoo__error_nomem(err);
    }

    h->max = opts && opts->max_response_bytes ? opts->max_response_bytes : DEFAULT_MAX_RESPONSE;
    h->verify = !(opts && opts->tls_insecure);
    h->retry_after = -1;
    if (opts) {
        h->trace = opts->trace;
        h->trace_payload = opts->trace_payload;
    }
    long cto = opts && opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : DEFAULT_CONNECT_TIMEOUT_MS;
    long to = opts && opts->timeout_ms ? opts->timeout_ms : DEFAULT_TIMEOUT_MS;
    char ua[64];
    snprintf(ua, sizeof(ua), "libodoo/%s", ODOO_VERSION_STRING);

    CURL *c = h->curl;
    int bad = 0, nomem = 0;
    bad |= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_WRITEDATA, h) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_HEADERDATA, h) != CURLE_OK;
    bad |= opt_failed(curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""), &nomem); /* what curl supports */
    bad |= opt_failed(curl_easy_setopt(c, CURLOPT_USERAGENT, opts && opts->user_agent ? opts->user_agent : ua), &nomem);
    bad |= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cto) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, to > 0 ? to : 0L) != CURLE_OK;
    h->timeout_ms = to > 0 ? to : 0L;
    bad |= curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK;
    /* HTTP/2 over TLS when the server offers it (ALPN), 1.1 otherwise and
     * over plain HTTP (a bare Odoo speaks 1.1 only). */
    if (curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_HTTP2)
        bad |= curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK;
    bad |= opt_failed(curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https"), &nomem);
    bad |= curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->max) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, h->verify ? 1L : 0L) != CURLE_OK;
    bad |= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, h->verify ? 2L : 0L) != CURLE_OK;
    /* Whatever the system's OpenSSL policy allows, never below TLS 1.2. */
    bad |= curl_easy_setopt(c, CURLOPT_SSLVERSION, tls_version) != CURLE_OK;
    if (opts && opts->ca_file)
        bad |= opt_failed(curl_easy_setopt(c, CURLOPT_CAINFO, opts->ca_file), &nomem);
    if (opts && opts->ca_path)
        bad |= opt_failed(curl_easy_setopt(c, CURLOPT_CAPATH, opts->ca_path), &nomem);
    /* A client certificate (version-3 options; the caller's struct was
     * widened by the base). */
    if (opts && opts->version >= 3 && opts->cert_file) {
        bad |= opt_failed(curl_easy_setopt(c, CURLOPT_SSLCERT, opts->cert_file), &nomem);
        bad |= opt_failed(curl_easy_setopt(c, CURLOPT_SSLKEY, opts->key_file ? opts->key_file : opts->cert_file),
                          &nomem);
    }
    if (h->trace) {
        bad |= curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug) != CURLE_OK;
        bad |= curl_easy_setopt(c, CURLOPT_DEBUGDATA, h) != CURLE_OK;
        bad |= curl_easy_setopt(c, CURLOPT_VERBOSE, 1L) != CURLE_OK;
    }
    if (bad) {
        odoo_http_free(h);
        if (nomem)
            return odoo__error_nomem(err);
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "libcurl refused an option (is it built with TLS and cookies?)");
    }
    *out = h;
    return 0;
}

static void capture_clear(odoo_http *h)
{
    free(h->cap_method);
    free(h->cap_path);
    free(h->cap_ctype);
    if (h->cap_body) /* bodies and headers carry the credentials */
        explicit_bzero(h->cap_body, h->cap_len);
    free(h->cap_body);
    for (char **x = h->cap_headers; x && *x; x++)
        odoo__free_secret(*x);
    free(h->cap_headers);
    h->cap_method = h->cap_path = h->cap_ctype = h->cap_body = NULL;
    h->cap_headers = NULL;
    h->cap_len = 0;
}

static void capture_request(odoo_http *h, const odoo_http_request *req)
{
    capture_clear(h);
    size_t n = 0;
    while (req->headers && req->headers[n])
        n++;
    h->cap_headers = calloc(n + 1, sizeof(char *));
    for (size_t i = 0; h->cap_headers && i < n; i++)
        h->cap_headers[i] = odoo__strdup(req->headers[i]);
    h->cap_method = odoo__strdup(req->method ? req->method : "POST");
    h->cap_path = odoo__strdup(req->path ? req->path : "/");
    h->cap_ctype = odoo__strdup(req->content_type);
    h->cap_body = odoo__strndup(req->body ? req->body : "", req->body_len);
    h->cap_len = req->body_len;
}

void odoo__http_capture(odoo_http *h, int on)
{
    if (!h)
        return;
    h->capture = on;
    if (!on)
        capture_clear(h);
}

int odoo__http_last_request(odoo_http *h, odoo_http_request *out)
{
    if (!h || !out || !h->cap_path)
        return -1;
    out->method = h->cap_method;
    out->path = h->cap_path;
    out->content_type = h->cap_ctype;
    out->headers = (const char *const *)h->cap_headers;
    out->body = h->cap_body;
    out->body_len = h->cap_len;
    return 0;
}

void odoo_http_get_stats(odoo_http *h, odoo_http_stats *out)
{
    if (!out)
        return;
    if (h)
        *out = h->stats;
    else
        memset(out, 0, sizeof(*out));
}

void odoo_http_free(odoo_http *h)
{
    if (!h)
        return;
    capture_clear(h);
    if (h->curl)
        curl_easy_cleanup(h->curl);
    curl_slist_free_all(h->headers); /* a multi freed with the transfer in flight */
    for (size_t i = 0; i < h->nsecrets; i++)
        odoo__free_secret(h->secrets[i]);
    odoo__free_secret(h->session_secret);
    /* The URL may carry user:password@; the last answer may hold anything. */
    odoo__free_secret(h->base);
    free(h->shown);
    odoo_buf_free(&h->url);
    odoo_buf_free(&h->body);
    free(h->location);
    free(h);
}

int odoo_http_add_secret(odoo_http *h, const char *secret)
{
    if (!secret || !*secret)
        return 0;
    if (h->nsecrets == MAX_SECRETS)
        return ODOO_ERR_INVALID_ARGUMENT;
    if (!(h->secrets[h->nsecrets] = odoo__strdup(secret)))
        return ODOO_ERR_NOMEM;
    h->all_secrets[h->nsecrets] = h->secrets[h->nsecrets];
    h->nsecrets++;
    h->all_secrets[h->nsecrets] = h->session_secret;
    return 0;
}

const char *const *odoo__http_secrets(const odoo_http *h, size_t *n)
{
    *n = h ? h->nsecrets + (h->session_secret != NULL) : 0;
    return h ? h->all_secrets : NULL;
}

/* Percent-decoded copy of n bytes, or NULL. */
static char *url_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *w = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = odoo__hexval(s[i + 1])) >= 0 &&
            (lo = odoo__hexval(s[i + 2])) >= 0) {
            *w++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *w++ = s[i];
        }
    }
    *w = '\0';
    return out;
}

int odoo__http_add_url_secrets(odoo_http *h, const char *url)
{
    const char *scheme = strstr(url, "://");
    const char *auth = scheme ? scheme + 3 : url;
    size_t alen = strcspn(auth, "/?#");
    const char *at = NULL;
    for (const char *c = auth; c < auth + alen; c++)
        if (*c == '@')
            at = c;
    if (!at)
        return 0;
    const char *colon = memchr(auth, ':', (size_t)(at - auth));
    if (!colon)
        return 0; /* a user name alone is no secret */
    /* As libcurl sends it: both parts decoded, in Basic's base64. */
    char *user = url_decode(auth, (size_t)(colon - auth));
    char *pw = url_decode(colon + 1, (size_t)(at - colon - 1));
    char *pair = NULL, *b64 = NULL;
    int rc = ODOO_ERR_NOMEM;
    if (user && pw && (pair = malloc(strlen(user) + strlen(pw) + 2))) {
        snprintf(pair, strlen(user) + strlen(pw) + 2, "%s:%s", user, pw);
        if ((b64 = odoo__base64((const unsigned char *)pair, strlen(pair))))
            rc = odoo_http_add_secret(h, pw);
        if (rc == 0)
            rc = odoo_http_add_secret(h, b64);
    }
    odoo__free_secret(user);
    odoo__free_secret(pw);
    odoo__free_secret(pair);
    odoo__free_secret(b64);
    return rc;
}

/* libcurl asks about once a second, and on every chunk of data. */
static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    const odoo_http *h = userdata;
    (void)dltotal; (void)dlnow; (void)ultotal; (void)ulnow;
    return h->cancel && *h->cancel ? 1 : 0;
}

void odoo__http_set_cancel(odoo_http *h, const volatile int *flag)
{
    if (!h || h->cancel == flag)
        return;
    h->cancel = flag;
    curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, flag ? on_progress : NULL);
    curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, flag ? (void *)h : NULL);
    curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, flag ? 0L : 1L);
}

long odoo__http_timeout(const odoo_http *h)
{
    return h ? h->timeout_ms : 0;
}

long odoo__http_set_timeout(odoo_http *h, long ms)
{
    long old = h->timeout_ms;
    if (curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 0L) == CURLE_OK)
        h->timeout_ms = ms > 0 ? ms : 0L;
    return old;
}

int odoo__http_set_session_secret(odoo_http *h, const char *value)
{
    if (h->session_secret && value && strcmp(h->session_secret, value) == 0)
        return 0;
    odoo__free_secret(h->session_secret);
    h->session_secret = NULL;
    if (value && *value && !(h->session_secret = odoo__strdup(value)))
        return ODOO_ERR_NOMEM;
    h->all_secrets[h->nsecrets] = h->session_secret;
    return 0;
}

const char *odoo_http_base_url(const odoo_http *h)
{
    return h ? h->base : NULL;
}

int odoo_http_tls_verified(const odoo_http *h)
{
    return h ? h->verify : 0;
}

long odoo_http_retry_after(const odoo_http *h)
{
    return h ? h->retry_after : -1;
}

const char *odoo_http_redirect_location(const odoo_http *h)
{
    return h ? h->location : NULL;
}

long odoo_http_connections(odoo_http *h)
{
    return h ? h->stats.connections : 0;
}

int odoo_http_enable_cookies(odoo_http *h)
{
    /* "" = an in-memory store, read from no file */
    return curl_easy_setopt(h->curl, CURLOPT_COOKIEFILE, "") == CURLE_OK ? 0 : ODOO_ERR_NOMEM;
}

void odoo_http_clear_cookies(odoo_http *h)
{
    curl_easy_setopt(h->curl, CURLOPT_COOKIELIST, "ALL");
}

char *odoo_http_cookie(odoo_http *h, const char *name)
{
    struct curl_slist *list = NULL, *it;
    char *value = NULL;
    if (curl_easy_getinfo(h->curl, CURLINFO_COOKIELIST, &list) != CURLE_OK)
        return NULL;
    /* Netscape format: domain, tailmatch, path, secure, expires, name, value. */
    for (it = list; it; it = it->next) {
        const char *f = it->data;
        for (int tab = 0; tab < 5 && f; tab++) {
            f = strchr(f, '\t');
            if (f)
                f++;
        }
        if (!f)
            continue;
        size_t nlen = strlen(name);
        if (strncmp(f, name, nlen) == 0 && f[nlen] == '\t') {
            free(value);
            value = odoo__strdup(f + nlen + 1);
        }
    }
    curl_slist_free_all(list);
    return value;
}

#define ODOO__CURLE_TOO_LARGE 100 /* CURLE_TOO_LARGE, libcurl 8.6 and later */

static int header_line_error(const odoo_http *h, odoo_rpc_error *err)
{
    return odoo__error_set(err, ODOO_ERR_PROTOCOL,
                           "a response header line from %s is larger than libcurl accepts (100 KB): "
                           "not an Odoo answer", h->shown);
}

static int map_curl_error(odoo_http *h, CURLcode rc, odoo_rpc_error *err)
{
    const char *detail = h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return odoo__error_set(err, ODOO_ERR_DNS, "could not resolve %s: %s", h->shown, detail);
    case CURLE_COULDNT_CONNECT:
        return odoo__error_set(err, ODOO_ERR_CONNECT, "could not connect to %s: %s", h->shown, detail);
    case CURLE_OPERATION_TIMEDOUT:
        return odoo__error_set(err, ODOO_ERR_TIMEOUT, "%s: %s", h->shown, detail);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
        return odoo__error_set(err, ODOO_ERR_TLS, "TLS with %s failed: %s", h->shown, detail);
    case CURLE_FILESIZE_EXCEEDED:
        return odoo__error_set(err, ODOO_ERR_TOO_LARGE,
                               "the response is larger than the %zu-byte limit (max_response_bytes)", h->max);
    case CURLE_ABORTED_BY_CALLBACK:
        return odoo__error_set(err, ODOO_ERR_CANCELLED, "%s: the call was cancelled (its cancel flag is set)",
                               h->shown);
    case CURLE_WRITE_ERROR:
        if (h->sink_stopped)
            return odoo__error_set(err, ODOO_ERR_CANCELLED, "%s: the reader of the answer stopped the transfer",
                                   h->shown);
        if (h->too_large)
            return odoo__error_set(err, ODOO_ERR_TOO_LARGE,
                                   "the response is larger than the %zu-byte limit (max_response_bytes)", h->max);
        if (h->hdr_too_large)
            return odoo__error_set(err, ODOO_ERR_PROTOCOL,
                                   "the response headers from %s exceed %zu KB in all: not an Odoo answer",
                                   h->shown, MAX_HEADER_BYTES >> 10);
        return odoo__error_nomem(err);
    case CURLE_OUT_OF_MEMORY:
        /* libcurl 7.x reports a header line over its 100 KB limit as out of
         * memory: after a status line and before the blank line, it is that. */
        if (h->hdr_state == 1)
            return header_line_error(h, err);
        return odoo__error_nomem(err);
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_WEIRD_SERVER_REPLY:
        /* The URL's scheme was checked at odoo_http_new: here it is the answer. */
        return odoo__error_set(err, ODOO_ERR_PROTOCOL, "the answer from %s is not HTTP: %s", h->shown, detail);
    case CURLE_URL_MALFORMAT:
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "bad URL %s: %s", h->shown, detail);
    default:
        /* libcurl >= 8.6 reports that header line as CURLE_TOO_LARGE, a code
         * that 7.88's headers do not name: the library is built against
         * one and may run against the other. */
        if ((int)rc == ODOO__CURLE_TOO_LARGE && h->hdr_state == 1)
            return header_line_error(h, err);
        /* Resets, truncated bodies, empty replies, broken chunking. */
        return odoo__error_set(err, ODOO_ERR_NETWORK, "exchange with %s failed: %s", h->shown, detail);
    }
}

/* An adapter's request goes on the wire as given: refuse what would
 * change its meaning there (an injected header, a body that is not). */
static int check_request(const odoo_http_request *req, odoo_rpc_error *err)
{
    if (req->method && strcmp(req->method, "GET") != 0 && strcmp(req->method, "POST") != 0)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "HTTP method must be GET or POST");
    if (req->path) {
        if (req->path[0] != '/')
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "request path must start with '/'");
        for (const char *c = req->path; *c; c++)
            if ((unsigned char)*c <= 0x20 || *c == 0x7f || *c == '#')
                return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                       "request path contains a space, '#' or a control character");
    }
    if (req->content_type && (!odoo__header_safe(req->content_type) || strlen(req->content_type) > 100))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "content type contains a control character or is too long");
    for (const char *const *x = req->headers; x && *x; x++) {
        const char *colon = strchr(*x, ':');
        size_t name = colon ? (size_t)(colon - *x) : 0;
        if (name == 0 || strcspn(*x, " \t") < name || !odoo__header_safe(*x))
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                   "extra header line %zu is not one \"Name: value\" line",
                                   (size_t)(x - req->headers));
    }
    if (!req->body && req->body_len)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "request body is NULL but its length is %zu",
                               req->body_len);
    return 0;
}

/* libodoo follows no redirect (a POST would lose its body, credentials
 * would go to another host): a 3xx is a refusal that names its target. */
static int refuse_redirect(odoo_http *h, long status, odoo_rpc_error *err)
{
    char *target = NULL;
    const char *shown = "no Location";
    free(h->location);
    h->location = NULL;
    if (curl_easy_getinfo(h->curl, CURLINFO_REDIRECT_URL, &target) == CURLE_OK && target && *target) {
        if (!(h->location = odoo__url_for_display(target)))
            return odoo__error_nomem(err);
        /* as text in a message: no control bytes, bounded */
        for (char *c = h->location; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?';
        if (strlen(h->location) > MAX_LOCATION_SHOWN)
            strcpy(h->location + MAX_LOCATION_SHOWN - 3, "...");
        shown = h->location;
    }
    odoo__error_set(err, ODOO_ERR_PROTOCOL,
                    "HTTP %ld from %s redirects to %s; libodoo follows no redirect (if that is the server's "
                    "address, use it as the base URL)", status, h->shown, shown);
    if (err)
        err->http_status = status;
    return ODOO_ERR_PROTOCOL;
}

int odoo__http_begin(odoo_http *h, const odoo_http_request *req, odoo_http_response *resp, odoo_rpc_error *err)
{
    if (!h || !req || !resp)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "handle, request or response is NULL");
    const odoo__http_sink *armed = h->armed; /* this exchange's, even when it fails here */
    h->armed = NULL;
    memset(resp, 0, sizeof(*resp));
    resp->retry_after = -1;
    if (check_request(req, err))
        return ODOO_ERR_INVALID_ARGUMENT;
    const char *method = req->method ? req->method : "POST";
    int is_get = strcmp(method, "GET") == 0;
    const char *path = req->path ? req->path : "/";

    odoo_buf_reset(&h->url, 1);
    odoo_buf_append(&h->url, h->base, strlen(h->base));
    odoo_buf_append(&h->url, path, strlen(path));
    if (h->url.failed)
        return odoo__error_nomem(err);

    if (h->body.cap > KEEP_BUFFER_BYTES)
        odoo_buf_free(&h->body);
    odoo_buf_reset(&h->body, 0);
    h->too_large = 0;
    h->hdr_state = 0;
    h->hdr_bytes = 0;
    h->hdr_too_large = 0;
    h->retry_after = -1;
    h->errbuf[0] = '\0';
    /* the armed sink is this exchange's; a streamed body has no cap */
    h->sink = armed;
    h->sink_state = 0;
    h->sink_stopped = 0;
    h->streamed = 0;
    h->sunk = 0;
    if ((h->sink != NULL) != h->uncapped) { /* only when it changes: nothing for a plain call */
        h->uncapped = h->sink != NULL;
        curl_easy_setopt(h->curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)(h->uncapped ? 0 : h->max));
    }

    struct curl_slist *headers = NULL, *tmp;
    char ctype[128];
    int nomem = 0;
    if (req->content_type) {
        snprintf(ctype, sizeof(ctype), "Content-Type: %s", req->content_type);
        nomem |= !(tmp = curl_slist_append(headers, ctype));
        headers = tmp ? tmp : headers;
    }
    /* No "Expect: 100-continue" round trip before large bodies. */
    nomem |= !(tmp = curl_slist_append(headers, "Expect:"));
    headers = tmp ? tmp : headers;
    for (const char *const *x = req->headers; x && *x; x++) {
        nomem |= !(tmp = curl_slist_append(headers, *x));
        headers = tmp ? tmp : headers;
    }
    if (nomem) {
        curl_slist_free_all(headers);
        return odoo__error_nomem(err);
    }

    CURL *c = h->curl;
    if (curl_easy_setopt(c, CURLOPT_URL, h->url.data) != CURLE_OK) { /* copied: fails for lack of memory */
        curl_slist_free_all(headers);
        return odoo__error_nomem(err);
    }
    curl_slist_free_all(h->headers);
    h->headers = headers;
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    if (is_get) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(c, CURLOPT_POST, 1L);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body ? req->body : "");
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    }
    return 0;
}

void *odoo__http_easy(odoo_http *h)
{
    return h ? h->curl : NULL;
}

void odoo__http_arm_sink(odoo_http *h, const odoo__http_sink *sink)
{
    if (h)
        h->armed = sink;
}

int odoo__http_streamed(const odoo_http *h)
{
    return h ? h->streamed : 0;
}

int odoo__http_finish(odoo_http *h, const odoo_http_request *req, int code, odoo_http_response *resp,
                      odoo_rpc_error *err)
{
    CURLcode rc = (CURLcode)code;
    CURL *c = h->curl;
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(h->headers);
    h->headers = NULL;
    if (h->sink) {
        h->streamed = h->sink_state == 1;
        h->sink = NULL;
    }
    long nconn = 0, req_size = 0, hdr_size = 0;
    curl_off_t down = 0;
    if (curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &nconn) == CURLE_OK)
        h->stats.connections += nconn;
    curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &req_size);
    curl_easy_getinfo(c, CURLINFO_HEADER_SIZE, &hdr_size);
    curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &down);
    h->stats.requests++;
    /* libcurl counts a small body inside the request size (it goes out in
     * the same buffer as the headers) and a large one apart. */
    h->stats.bytes_sent += (unsigned long long)req_size +
                           ((size_t)req_size < req->body_len ? req->body_len : 0);
    h->stats.bytes_received += (unsigned long long)hdr_size + (unsigned long long)down;
    if (h->capture)
        capture_request(h, req);

    if (h->trace && req->body_len)
        trace_line(h, ">", req->body, req->body_len);
    if (rc != CURLE_OK) {
        int kind = map_curl_error(h, rc, err);
        if (h->trace) {
            char line[CURL_ERROR_SIZE + 32];
            snprintf(line, sizeof(line), "failed: %s", h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc));
            trace_line(h, "!", line, strlen(line));
        }
        return kind;
    }
    /* an empty body: data is NUL-terminated once anything was appended */
    if (!h->body.data && (odoo_buf_append(&h->body, "", 0), h->body.failed))
        return odoo__error_nomem(err);

    char *ct = NULL;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
    resp->content_type = ct;
    resp->body = h->body.data;
    resp->body_len = h->body.len;
    resp->retry_after = h->retry_after;
    if (resp->status >= 300 && resp->status < 400)
        return refuse_redirect(h, resp->status, err);
    if (h->location) {
        free(h->location);
        h->location = NULL;
    }

    if (h->trace && h->streamed) {
        char line[96];
        snprintf(line, sizeof(line), "(%llu bytes, read as they arrived)", h->sunk);
        trace_line(h, "<", line, strlen(line));
    } else if (h->trace && h->body.len) {
        trace_line(h, "<", h->body.data, h->body.len);
    }
    return 0;
}

int odoo_http_send(odoo_http *h, const odoo_http_request *req, odoo_http_response *resp, odoo_rpc_error *err)
{
    /* The same two halves a multi runs with its transfer in between. */
    int rc = odoo__http_begin(h, req, resp, err);
    if (rc != 0)
        return rc;
    return odoo__http_finish(h, req, curl_easy_perform(h->curl), resp, err);
}
