/* A connection from one URL: the DSN is taken apart by libcurl's URL
 * parser (curl_url), never by hand, then laid over odoo_options. */
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "odoo/dsn.h"
#include "odoo/client.h"
#include "../errors/error_internal.h"
#include "base.h"
#include "global.h"
#include "secret.h"
#include "value.h"

struct odoo_dsn {
    char *url;           /* scheme://host[:port], no credentials */
    char *db;
    char *login;
    char *secret;        /* the userinfo's password part, wiped on free */
    int secret_is_key;
    odoo_protocol_kind kind;
    int has_timeout, has_connect_timeout, has_insecure, has_tls_min, has_proxy_api, has_user_id;
    long timeout_ms, connect_timeout_ms;
    int insecure, tls_min, proxy_api;
    long user_id;
    char *ca_file, *ca_path, *proxy_url, *cert_file, *key_file;
};

void odoo_dsn_free(odoo_dsn *d)
{
    if (!d)
        return;
    free(d->url);
    free(d->db);
    odoo__free_secret(d->login);
    odoo__free_secret(d->secret);
    free(d->ca_file);
    free(d->cert_file);
    free(d->key_file);
    free(d->ca_path);
    free(d->proxy_url);
    odoo__wipe(d, sizeof *d);
    free(d);
}

/* A malloc'd copy of a curl string (freed here, through curl's wiping
 * allocator), or NULL with *nomem set. */
static char *take(char *curl_str, int *nomem)
{
    if (!curl_str)
        return NULL;
    char *s = odoo__strdup(curl_str);
    if (!s)
        *nomem = 1;
    odoo__wipe(curl_str, strlen(curl_str));
    curl_free(curl_str);
    return s;
}

/* Percent-decode len bytes (curl_easy_unescape); NULL when out of memory
 * or when the result holds a NUL byte (*bad set). */
static char *unescape(const char *s, size_t len, int *bad)
{
    int n = 0;
    char *d = curl_easy_unescape(NULL, s, (int)len, &n);
    if (!d)
        return NULL;
    char *out = NULL;
    if (memchr(d, '\0', (size_t)n))
        *bad = 1;
    else
        out = odoo__strndup(d, (size_t)n);
    odoo__wipe(d, (size_t)n);
    curl_free(d);
    return out;
}

/* Seconds (decimals allowed, > 0, at most a year) in milliseconds, or -1. */
static long seconds_ms(const char *v)
{
    char *end = NULL;
    errno = 0;
    double s = strtod(v, &end);
    if (!*v || *end || errno || !isfinite(s) || s <= 0 || s > 366.0 * 86400)
        return -1;
    long ms = (long)(s * 1000 + 0.5);
    return ms > 0 ? ms : 1;
}

static int flag(const char *v)
{
    if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on"))
        return 1;
    if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcasecmp(v, "off"))
        return 0;
    return -1;
}

/* One query option. name and value are decoded. Returns 0 or an error. */
static int option(odoo_dsn *d, const char *name, const char *value, unsigned *seen, int *auth,
                  odoo_rpc_error *err)
{
    static const char *const names[] = {"protocol", "auth", "timeout", "connect_timeout", "insecure",
                                        "ca_file", "ca_path", "tls_min", "proxy", "proxy_api",
                                        "user_id", "cert_file", "key_file", NULL};
    static const char *const secrets[] = {"password", "api_key", "key", "apikey", "secret", "token",
                                          "proxy_key", "proxy_api_key", NULL};
    for (int i = 0; secrets[i]; i++)
        if (!strcasecmp(name, secrets[i]))
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                   "DSN: credentials are not taken from the query (%s=): put the secret in "
                                   "the userinfo, scheme://login:secret@host/db, or in the options",
                                   secrets[i]);
    int idx = -1;
    for (int i = 0; names[i]; i++)
        if (!strcmp(name, names[i]))
            idx = i;
    if (idx < 0)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "DSN: unknown option \"%.40s\" (known: protocol, auth, timeout, connect_timeout, "
                               "insecure, ca_file, ca_path, tls_min, proxy, proxy_api, user_id, cert_file, key_file)",
                               name);
    if (*seen & (1u << idx))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: option %s is given twice", name);
    *seen |= 1u << idx;
    int nomem = 0;
    switch (idx) {
    case 0:
        if (odoo_protocol_kind_from_name(&d->kind, value) < 0)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                   "DSN: protocol must be auto, xmlrpc, jsonrpc, jsonrpc-stateless, json2 or "
                                   "odxproxy");
        break;
    case 1:
        if (!strcmp(value, "key"))
            *auth = 1;
        else if (!strcmp(value, "password"))
            *auth = 0;
        else
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: auth must be password or key");
        break;
    case 2:
    case 3: {
        long ms = seconds_ms(value);
        if (ms < 0)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                   "DSN: %s must be a number of seconds above 0", name);
        if (idx == 2) {
            d->timeout_ms = ms;
            d->has_timeout = 1;
        } else {
            d->connect_timeout_ms = ms;
            d->has_connect_timeout = 1;
        }
        break;
    }
    case 4:
        if ((d->insecure = flag(value)) < 0)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: insecure must be 1 or 0");
        d->has_insecure = 1;
        break;
    case 5:
    case 6:
    case 8:
    case 11:
    case 12: {
        if (!*value)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: %s is empty", name);
        char **slot = idx == 5 ? &d->ca_file : idx == 6 ? &d->ca_path : idx == 8 ? &d->proxy_url
                    : idx == 11 ? &d->cert_file : &d->key_file;
        if (!(*slot = odoo__strdup(value)))
            nomem = 1;
        break;
    }
    case 7:
        if (!strcmp(value, "1.2"))
            d->tls_min = ODOO_TLS_1_2;
        else if (!strcmp(value, "1.3"))
            d->tls_min = ODOO_TLS_1_3;
        else
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: tls_min must be 1.2 or 1.3");
        d->has_tls_min = 1;
        break;
    case 9:
        if (strcmp(value, "1") && strcmp(value, "2"))
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: proxy_api must be 1 or 2");
        d->proxy_api = value[0] - '0';
        d->has_proxy_api = 1;
        break;
    case 10: {
        char *end = NULL;
        errno = 0;
        long v = strtol(value, &end, 10);
        if (!*value || *end || errno || v <= 0)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: user_id must be a positive integer");
        d->user_id = v;
        d->has_user_id = 1;
        break;
    }
    }
    return nomem ? odoo__error_nomem(err) : 0;
}

static int parse_query(odoo_dsn *d, const char *q, int *auth, odoo_rpc_error *err)
{
    unsigned seen = 0;
    while (*q) {
        size_t len = strcspn(q, "&");
        if (len) {
            const char *eq = memchr(q, '=', len);
            if (!eq || eq == q)
                return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                                       "DSN: each option of the query is name=value");
            int bad = 0;
            char *name = unescape(q, (size_t)(eq - q), &bad);
            char *value = name ? unescape(eq + 1, len - (size_t)(eq - q) - 1, &bad) : NULL;
            int rc;
            if (bad)
                rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: a NUL byte (%%00) in the query");
            else if (!name || !value)
                rc = odoo__error_nomem(err);
            else
                rc = option(d, name, value, &seen, auth, err);
            free(name);
            odoo__free_secret(value);
            if (rc)
                return rc;
        }
        q += len;
        if (*q == '&')
            q++;
    }
    return 0;
}

/* The database from the path: "" or "/" none, "/db" or "/db/" the name. */
static int parse_path(odoo_dsn *d, const char *path, odoo_rpc_error *err)
{
    if (!path || !*path || !strcmp(path, "/"))
        return 0;
    const char *s = path + (*path == '/');
    size_t len = strcspn(s, "/");
    if (s[len] && strcmp(s + len, "/"))
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "DSN: the path names the database alone (/dbname); a server under a path "
                               "prefix is not supported");
    int bad = 0;
    d->db = unescape(s, len, &bad);
    if (bad)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: a NUL byte (%%00) in the database name");
    return d->db ? 0 : odoo__error_nomem(err);
}

static int url_error(odoo_rpc_error *err, CURLUcode uc)
{
    if (uc == CURLUE_OUT_OF_MEMORY)
        return odoo__error_nomem(err);
    /* curl's text says what is wrong without quoting the input (which may
     * hold the secret). */
    return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: not a valid URL (%s)", curl_url_strerror(uc));
}

int odoo_dsn_parse(odoo_dsn **out, const char *text, odoo_rpc_error *err)
{
    if (out)
        *out = NULL;
    if (!text)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN is NULL");
    if (odoo__global_init() < 0)
        return odoo__error_set(err, ODOO_ERR_NOMEM, "libcurl could not be initialised");
    odoo_dsn *d = calloc(1, sizeof *d);
    CURLU *u = curl_url();
    int rc = 0, nomem = 0, auth = -1;
    char *part = NULL;
    if (!d || !u) {
        rc = odoo__error_nomem(err);
        goto done;
    }
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, text, CURLU_NON_SUPPORT_SCHEME);
    if (uc) {
        rc = url_error(err, uc);
        goto done;
    }
    if ((uc = curl_url_get(u, CURLUPART_SCHEME, &part, 0))) {
        rc = url_error(err, uc);
        goto done;
    }
    int scheme_ok = !strcmp(part, "http") || !strcmp(part, "https");
    curl_free(part);
    part = NULL;
    if (!scheme_ok) {
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: the scheme is http or https");
        goto done;
    }
    if (curl_url_get(u, CURLUPART_FRAGMENT, &part, 0) == CURLUE_OK) {
        curl_free(part);
        part = NULL;
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "DSN: a fragment (#...) is not allowed");
        goto done;
    }
    if (curl_url_get(u, CURLUPART_USER, &part, CURLU_URLDECODE) == CURLUE_OK) {
        d->login = take(part, &nomem);
        part = NULL;
    }
    if (curl_url_get(u, CURLUPART_PASSWORD, &part, CURLU_URLDECODE) == CURLUE_OK) {
        d->secret = take(part, &nomem);
        part = NULL;
    }
    if (nomem) {
        rc = odoo__error_nomem(err);
        goto done;
    }
    if (d->login && !*d->login) {
        odoo__free_secret(d->login); /* "://:KEY@" : no login */
        d->login = NULL;
    }
    if (d->secret && !*d->secret) {
        odoo__free_secret(d->secret);
        d->secret = NULL;
    }
    if (curl_url_get(u, CURLUPART_PATH, &part, 0) == CURLUE_OK) {
        rc = parse_path(d, part, err);
        curl_free(part);
        part = NULL;
        if (rc)
            goto done;
    }
    d->kind = ODOO_PROTOCOL_AUTO;
    if (curl_url_get(u, CURLUPART_QUERY, &part, 0) == CURLUE_OK) {
        rc = parse_query(d, part, &auth, err);
        curl_free(part);
        part = NULL;
        if (rc)
            goto done;
    }
    /* JSON-2 takes an API key and nothing else; elsewhere the userinfo
     * secret is what it looks like in a URL, a password, unless auth=key. */
    d->secret_is_key = auth >= 0 ? auth : d->kind == ODOO_PROTOCOL_JSON2;
    /* The base URL: the same handle without credentials, path and query. */
    curl_url_set(u, CURLUPART_USER, NULL, 0);
    curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
    curl_url_set(u, CURLUPART_OPTIONS, NULL, 0);
    curl_url_set(u, CURLUPART_QUERY, NULL, 0);
    curl_url_set(u, CURLUPART_PATH, "/", 0);
    if ((uc = curl_url_get(u, CURLUPART_URL, &part, 0))) {
        rc = url_error(err, uc);
        goto done;
    }
    size_t n = strlen(part);
    while (n && part[n - 1] == '/')
        n--;
    d->url = odoo__strndup(part, n);
    curl_free(part);
    part = NULL;
    if (!d->url)
        rc = odoo__error_nomem(err);
done:
    curl_url_cleanup(u);
    if (rc) {
        odoo_dsn_free(d);
        return rc;
    }
    if (out)
        *out = d;
    else
        odoo_dsn_free(d);
    return 0;
}

int odoo_dsn_apply(const odoo_dsn *d, odoo_options *opts, odoo_protocol_kind *kind)
{
    if (!d || !opts)
        return ODOO_ERR_INVALID_ARGUMENT;
    /* A member the caller's struct does not have is refused, not dropped. */
    if ((d->has_tls_min && opts->version < 2) || ((d->cert_file || d->key_file) && opts->version < 3))
        return ODOO_ERR_INVALID_ARGUMENT;
    opts->url = d->url;
    if (d->db)
        opts->db = d->db;
    if (d->login)
        opts->login = d->login;
    if (d->secret) {
        if (d->secret_is_key)
            opts->api_key = d->secret;
        else
            opts->password = d->secret;
    }
    if (d->has_timeout)
        opts->timeout_ms = d->timeout_ms;
    if (d->has_connect_timeout)
        opts->connect_timeout_ms = d->connect_timeout_ms;
    if (d->has_insecure)
        opts->tls_insecure = d->insecure;
    if (d->ca_file)
        opts->ca_file = d->ca_file;
    if (d->ca_path)
        opts->ca_path = d->ca_path;
    if (d->has_tls_min)
        opts->tls_min_version = d->tls_min;
    if (d->cert_file)
        opts->cert_file = d->cert_file;
    if (d->key_file)
        opts->key_file = d->key_file;
    if (d->proxy_url)
        opts->proxy_url = d->proxy_url;
    if (d->has_proxy_api)
        opts->proxy_api = d->proxy_api;
    if (d->has_user_id)
        opts->user_id = d->user_id;
    if (kind)
        *kind = d->kind;
    return 0;
}

int odoo_connect_url(odoo_protocol **out, const char *dsn, const odoo_options *base, odoo_rpc_error *err)
{
    if (out)
        *out = NULL;
    odoo_options opts = ODOO_OPTIONS_INIT;
    if (base) {
        /* Only the members a struct of that version has. */
        size_t n = odoo__options_size(base->version);
        if (n == 0)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "options: unknown version %u", base->version);
        memcpy(&opts, base, n);
        opts.version = ODOO_OPTIONS_VERSION;
    }
    odoo_dsn *d = NULL;
    int rc = odoo_dsn_parse(&d, dsn, err);
    if (rc)
        return rc;
    odoo_protocol_kind kind = ODOO_PROTOCOL_AUTO;
    odoo_dsn_apply(d, &opts, &kind);
    rc = odoo_connect(out, kind, &opts, err);
    odoo_dsn_free(d); /* odoo_connect copied what it keeps */
    odoo__wipe(&opts, sizeof opts);
    return rc;
}
