/* odoo-bridge: the services (common, object, db) as Odoo's dispatch_rpc
 * runs them, each call forwarded through libodoo, and the pool of
 * upstream connections they use.
 *
 * Credentials. A legacy call carries (db, uid or login, secret). A secret
 * shaped like an Odoo API key (40 lowercase hex digits) is tried as the
 * bearer key first (JSON-2 on 19+); otherwise, or when the upstream
 * refuses it as a key, it is a password, and the bridge logs in once with
 * it (a web session on 19+) and keeps that session. execute_kw carries a
 * uid, not a login: a password session needs the login, which the bridge
 * learns from an earlier authenticate/login of that uid (a key needs
 * nothing: the uid behind it is asked from the server and compared, as
 * Odoo compares it).
 *
 * Pool. Connections are keyed by HMAC-SHA256(process-random salt, kind,
 * db, login, secret): the key string never holds the secret, and the
 * digest is useless outside this process. A connection serves one
 * request at a time (libodoo connections are not thread-safe); several
 * may exist for the same credentials. libodoo wipes the secret it copied
 * when a connection closes. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <odoo/sys/http.h>

#include "bridge.h"
#include "core/select.h"
#include "core/value.h"

/* ------------------------------------------------------------------ */
/* exceptions                                                          */

void br_wipe(void *p, size_t n)
{
    if (p)
        OPENSSL_cleanse(p, n);
}

void br_wipe_json_string(json_object *s)
{
    if (s && json_object_is_type(s, json_type_string))
        br_wipe((char *)json_object_get_string(s), (size_t)json_object_get_string_len(s));
}

void br_exc_clear(br_exc *e)
{
    if (!e)
        return;
    free(e->cls);
    free(e->message);
    free(e->debug);
    memset(e, 0, sizeof(*e));
}

static const char *short_class(const char *cls)
{
    /* Python prints builtins without their module */
    return strncmp(cls, "builtins.", 9) == 0 ? cls + 9 : cls;
}

/* Odoo's /xmlrpc/2 mapping (addons/rpc/controllers/xmlrpc.py), by class. */
static int fault_code_for(const char *cls)
{
    if (!strcmp(cls, "odoo.exceptions.RedirectWarning"))
        return 2;
    if (!strcmp(cls, "odoo.exceptions.AccessError"))
        return 4;
    if (!strcmp(cls, "odoo.exceptions.AccessDenied"))
        return 3;
    if (!strcmp(cls, "odoo.exceptions.UserError") || !strcmp(cls, "odoo.exceptions.ValidationError") ||
        !strcmp(cls, "odoo.exceptions.MissingError"))
        return 2;
    return 1;
}

/* Sets e; debug NULL: a one-frame traceback ending "Class: message". */
static int exc_fill(br_exc *e, const char *cls, const char *message, const char *debug)
{
    /* str(KeyError(x)) is repr(x); message keeps args[0], as Odoo's JSON does */
    const char *q = !strcmp(cls, "builtins.KeyError") ? "'" : "";
    br_exc_clear(e);
    e->cls = strdup(cls);
    e->message = strdup(message ? message : "");
    if (debug && *debug) {
        e->debug = strdup(debug);
    } else if (!strcmp(cls, "odoo.exceptions.AccessDenied")) {
        /* Odoo 19 sends AccessDenied without its traceback */
        if (asprintf(&e->debug, "%s: %s\n", cls, e->message ? e->message : "") < 0)
            e->debug = NULL;
    } else if (asprintf(&e->debug, "Traceback (most recent call last):\n  File \"odoo-bridge\", in dispatch\n%s: %s%s%s\n",
                        short_class(cls), q, e->message ? e->message : "", q) < 0) {
        e->debug = NULL;
    }
    e->fault_code = fault_code_for(cls);
    return -1;
}

int br_exc_set(br_exc *e, const char *cls, const char *fmt, ...)
{
    char *m = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&m, fmt, ap) < 0)
        m = NULL;
    va_end(ap);
    exc_fill(e, cls, m ? m : "out of memory", NULL);
    free(m);
    return -1;
}

static int access_denied(br_exc *e)
{
    return br_exc_set(e, "odoo.exceptions.AccessDenied", "Access Denied");
}

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The upstream's error as the RPC services would have raised it. JSON-2
 * words a few of them differently from call_kw (routing errors of the
 * controller): those are put back in call_kw's words. */
static int exc_from_error(br_exc *e, const odoo_rpc_error *err, const char *model, const char *method)
{
    const char *cls = err->error_class, *msg = err->message ? err->message : odoo_strerror(err->kind);
    switch (err->kind) {
    case ODOO_ERR_AUTH:
    case ODOO_ERR_SESSION_EXPIRED:
        return access_denied(e);
    case ODOO_ERR_CONNECT: case ODOO_ERR_DNS: case ODOO_ERR_TLS: case ODOO_ERR_NETWORK:
    case ODOO_ERR_TIMEOUT: case ODOO_ERR_TOO_LARGE:
        br_exc_set(e, "odoo_bridge.UpstreamError", "odoo-bridge: the upstream Odoo did not answer: %s", msg);
        e->http_status = err->kind == ODOO_ERR_TIMEOUT ? 504 : 502;
        return -1;
    default:
        break;
    }
    if (cls && !strcmp(cls, "werkzeug.exceptions.NotFound") && model && method) {
        /* JSON-2: "the model 'x' does not exist" / "The method 'm.x' does
         * not exist"; the web session's call_kw: a bare 404 for a model */
        if (starts_with(msg, "The method "))
            return exc_fill(e, "builtins.AttributeError", msg, NULL);
        return br_exc_set(e, "odoo.exceptions.UserError", "Object %s doesn't exist", model);
    }
    if (cls && !strcmp(cls, "werkzeug.exceptions.UnprocessableEntity"))
        return exc_fill(e, "builtins.TypeError", msg, NULL);
    if (cls && *cls)
        return exc_fill(e, cls, msg, err->debug);
    if (err->kind == ODOO_ERR_NOT_FOUND && !err->http_status && model && method)
        /* refused before sending: the server's description lists no such method */
        return br_exc_set(e, "builtins.AttributeError", "The method '%s.%s' does not exist", model, method);
    if ((err->kind == ODOO_ERR_PROTOCOL || err->kind == ODOO_ERR_NOT_FOUND) && err->http_status == 404 && model)
        /* JSON-2's db-less 404 page: X-Odoo-Database named no database */
        return br_exc_set(e, "psycopg2.OperationalError",
                          "odoo-bridge: the upstream has no database by that name (%s)", msg);
    if (err->kind == ODOO_ERR_PROTOCOL || err->kind == ODOO_ERR_SERVER) {
        br_exc_set(e, "odoo_bridge.UpstreamError", "odoo-bridge: unexpected answer from the upstream: %s", msg);
        e->http_status = 502;
        return -1;
    }
    /* refused by libodoo before sending: say why, as a server error */
    return br_exc_set(e, err->kind == ODOO_ERR_INVALID_ARGUMENT ? "builtins.TypeError" : "builtins.NotImplementedError",
                      "%s", msg);
}

/* ------------------------------------------------------------------ */
/* pool                                                                */

typedef struct br_conn {
    unsigned char digest[32];
    odoo_protocol *p;
    long uid;
    char *login;     /* the user's login, or NULL when unknown */
    int busy;
    time_t used;
    struct br_conn *next;
} br_conn;

typedef struct br_login {
    char *db;
    long uid;
    char *login;
    struct br_login *next;
} br_login;

#define BR_MAX_LOGINS 4096

struct br_pool {
    pthread_mutex_t lock;
    br_conn *conns;
    size_t idle, max_idle;
    br_login *logins;
    size_t nlogins;
    unsigned char salt[32];
};

int br_pool_new(br_pool **out, size_t max_idle)
{
    br_pool *p = calloc(1, sizeof(*p));
    if (!p || RAND_bytes(p->salt, sizeof(p->salt)) != 1) {
        free(p);
        return -1;
    }
    pthread_mutex_init(&p->lock, NULL);
    p->max_idle = max_idle ? max_idle : 64;
    *out = p;
    return 0;
}

static void conn_free(br_conn *c)
{
    if (!c)
        return;
    odoo_close(c->p);
    free(c->login);
    br_wipe(c->digest, sizeof(c->digest));
    free(c);
}

void br_pool_free(br_pool *p)
{
    if (!p)
        return;
    for (br_conn *c = p->conns, *n; c; c = n) {
        n = c->next;
        conn_free(c);
    }
    for (br_login *l = p->logins, *n; l; l = n) {
        n = l->next;
        free(l->db);
        free(l->login);
        free(l);
    }
    pthread_mutex_destroy(&p->lock);
    br_wipe(p->salt, sizeof(p->salt));
    free(p);
}

static void digest_of(const br_pool *p, char tag, const char *db, const char *login, const char *secret,
                      unsigned char out[32])
{
    /* fields separated by NUL, which no name or secret holds */
    const char *parts[] = { db ? db : "", login ? login : "", secret ? secret : "" };
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
                            OSSL_PARAM_construct_end() };
    size_t len = 0;
    if (ctx && EVP_MAC_init(ctx, p->salt, sizeof(p->salt), params) == 1) {
        EVP_MAC_update(ctx, (const unsigned char *)&tag, 1);
        for (size_t i = 0; i < 3; i++)
            EVP_MAC_update(ctx, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
        if (EVP_MAC_final(ctx, out, &len, 32) != 1)
            len = 0;
    }
    if (len != 32)
        RAND_bytes(out, 32);   /* no MAC: a digest that matches nothing (no pooling) */
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
}

/* An idle connection for digest, now busy, or NULL. */
static br_conn *pool_take(br_pool *p, const unsigned char digest[32])
{
    pthread_mutex_lock(&p->lock);
    br_conn *found = NULL;
    for (br_conn *c = p->conns; c; c = c->next)
        if (!c->busy && CRYPTO_memcmp(c->digest, digest, 32) == 0) {
            c->busy = 1;
            p->idle--;
            found = c;
            break;
        }
    pthread_mutex_unlock(&p->lock);
    return found;
}

static void pool_add_busy(br_pool *p, br_conn *c)
{
    pthread_mutex_lock(&p->lock);
    c->busy = 1;
    c->next = p->conns;
    p->conns = c;
    pthread_mutex_unlock(&p->lock);
}

/* Give c back (keep) or close it; beyond max_idle the least recently
 * used idle connection is closed. */
static void pool_put(br_pool *p, br_conn *c, int keep)
{
    br_conn *drop = NULL;
    pthread_mutex_lock(&p->lock);
    if (keep) {
        c->busy = 0;
        c->used = time(NULL);
        p->idle++;
        if (p->idle > p->max_idle) {
            for (br_conn *x = p->conns; x; x = x->next)
                if (!x->busy && (!drop || x->used < drop->used))
                    drop = x;
        }
    } else {
        drop = c;
        p->idle++;   /* balanced below */
    }
    if (drop) {
        for (br_conn **pp = &p->conns; *pp; pp = &(*pp)->next)
            if (*pp == drop) {
                *pp = drop->next;
                break;
            }
        p->idle--;
    }
    pthread_mutex_unlock(&p->lock);
    conn_free(drop);
}

static void remember_login(br_pool *p, const char *db, long uid, const char *login)
{
    if (!login || uid <= 0)
        return;
    pthread_mutex_lock(&p->lock);
    br_login *l;
    for (l = p->logins; l; l = l->next)
        if (l->uid == uid && !strcmp(l->db, db))
            break;
    if (l) {
        if (strcmp(l->login, login)) {
            char *s = strdup(login);
            if (s) {
                free(l->login);
                l->login = s;
            }
        }
    } else if (p->nlogins < BR_MAX_LOGINS && (l = calloc(1, sizeof(*l)))) {
        l->db = strdup(db);
        l->login = strdup(login);
        l->uid = uid;
        if (l->db && l->login) {
            l->next = p->logins;
            p->logins = l;
            p->nlogins++;
        } else {
            free(l->db);
            free(l->login);
            free(l);
        }
    }
    pthread_mutex_unlock(&p->lock);
}

/* A copy of the login of (db, uid), or NULL. */
static char *login_of(br_pool *p, const char *db, long uid)
{
    char *s = NULL;
    pthread_mutex_lock(&p->lock);
    for (br_login *l = p->logins; l; l = l->next)
        if (l->uid == uid && !strcmp(l->db, db)) {
            s = strdup(l->login);
            break;
        }
    pthread_mutex_unlock(&p->lock);
    return s;
}

/* ------------------------------------------------------------------ */
/* credentials -> a connection                                         */

static int key_shaped(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isdigit((unsigned char)s[n]) && !(s[n] >= 'a' && s[n] <= 'f'))
            return 0;
    return n == 40;
}

/* The login of the user behind a key connection (one read, at open). */
static char *read_login(odoo_protocol *p, long uid)
{
    json_object *args = json_object_new_array(), *ids = json_object_new_array(),
                *fields = json_object_new_array(), *out = NULL, *login;
    char *s = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    if (args && ids && fields && json_object_array_add(ids, json_object_new_int64(uid)) == 0 &&
        json_object_array_add(fields, json_object_new_string("login")) == 0 &&
        json_object_array_add(args, ids) == 0) {
        ids = NULL;
        if (json_object_array_add(args, fields) == 0) {
            fields = NULL;
            if (odoo_execute_kw(&out, p, "res.users", "read", args, NULL, NULL, &err) == 0 &&
                json_object_array_length(out) == 1 &&
                json_object_object_get_ex(json_object_array_get_idx(out, 0), "login", &login) &&
                json_object_is_type(login, json_type_string))
                s = strdup(json_object_get_string(login));
        }
    }
    json_object_put(out);
    json_object_put(args);
    json_object_put(ids);
    json_object_put(fields);
    odoo_rpc_error_clear(&err);
    return s;
}

/* Open and log in. 0, or the error kind with err filled. */
static int conn_open(bridge *b, odoo_protocol_kind kind, const char *db, const char *login, const char *secret,
                     int as_key, br_conn **out, odoo_rpc_error *err)
{
    *out = NULL;
    odoo_options o = b->base;
    o.db = db;
    o.login = login;
    if (as_key)
        o.api_key = secret;
    else
        o.password = secret;
    br_conn *c = calloc(1, sizeof(*c));
    if (!c)
        return ODOO_ERR_NOMEM;
    int rc = odoo_connect(&c->p, kind, &o, err);
    if (rc == 0)
        rc = odoo_authenticate(&c->uid, c->p, err);
    if (rc == 0 && c->uid <= 0)
        rc = ODOO_ERR_AUTH;
    if (rc == 0) {
        c->login = login ? strdup(login) : read_login(c->p, c->uid);
        *out = c;
        return 0;
    }
    odoo_close(c->p);
    free(c);
    return rc;
}

typedef struct br_cred {
    const char *db;
    const char *login;    /* authenticate/login: the login; execute_kw: NULL */
    long uid;             /* execute_kw: the uid; authenticate: 0 */
    const char *secret;
} br_cred;

/* A login's error that is not a refused credential. A database the
 * upstream does not have is, over XML-RPC, psycopg2's complaint (fault 1);
 * the web login says AccessError "Database not found.", JSON-2 answers its
 * db-less 404 page. */
static int login_error(br_exc *e, const odoo_rpc_error *err, const char *db)
{
    if ((err->error_class && !strcmp(err->error_class, "odoo.exceptions.AccessError") && err->message &&
         !strcmp(err->message, "Database not found.")) ||
        (!err->error_class && err->http_status == 404))
        return br_exc_set(e, "psycopg2.OperationalError",
                          "FATAL:  database \"%s\" does not exist (odoo-bridge: the upstream has no such database)",
                          db);
    return exc_from_error(e, err, "res.users", "authenticate");
}

/* A busy connection for cred, or -1 with e (AccessDenied when refused). */
static int checkout(bridge *b, const br_cred *cr, br_conn **out, br_exc *e)
{
    *out = NULL;
    odoo_protocol_kind kk = b->forced != ODOO_PROTOCOL_AUTO ? b->forced : b->key_kind;
    odoo_protocol_kind pk = b->forced != ODOO_PROTOCOL_AUTO ? b->forced : b->pw_kind;
    unsigned char d[32];
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    char *known = cr->login ? NULL : login_of(b->pool, cr->db, cr->uid);
    const char *login = cr->login ? cr->login : known;
    int rc = 0;
    br_conn *c = NULL;

    if (key_shaped(cr->secret) && kk != ODOO_PROTOCOL_JSONRPC) {
        digest_of(b->pool, 'k', cr->db, "", cr->secret, d);
        c = pool_take(b->pool, d);
        if (!c) {
            rc = conn_open(b, kk, cr->db, login, cr->secret, 1, &c, &err);
            if (rc == 0) {
                memcpy(c->digest, d, 32);
                pool_add_busy(b->pool, c);
            }
        }
        if (c) {
            int match = cr->login ? (c->login && !strcmp(c->login, cr->login)) : c->uid == cr->uid;
            if (!match) {
                pool_put(b->pool, c, 1);
                free(known);
                return access_denied(e);
            }
            remember_login(b->pool, cr->db, c->uid, c->login);
            *out = c;
            free(known);
            return 0;
        }
        if (rc != ODOO_ERR_AUTH && rc != ODOO_ERR_INVALID_ARGUMENT) {
            login_error(e, &err, cr->db);
            odoo_rpc_error_clear(&err);
            free(known);
            return -1;
        }
        odoo_rpc_error_clear(&err);   /* not a key: try it as a password */
    }
    if (pk == ODOO_PROTOCOL_JSON2 || !login) {
        free(known);
        if (!login)
            return br_exc_set(e, "odoo.exceptions.AccessDenied",
                              "Access Denied (odoo-bridge: uid %ld has not logged in through this bridge with "
                              "a password; call common.authenticate first, or use an API key)", cr->uid);
        return access_denied(e);
    }
    digest_of(b->pool, 'p', cr->db, login, cr->secret, d);
    c = pool_take(b->pool, d);
    if (!c) {
        rc = conn_open(b, pk, cr->db, login, cr->secret, 0, &c, &err);
        if (rc != 0) {
            free(known);
            if (rc == ODOO_ERR_AUTH || rc == ODOO_ERR_INVALID_ARGUMENT || rc == ODOO_ERR_RATE_LIMITED) {
                odoo_rpc_error_clear(&err);
                return access_denied(e);
            }
            login_error(e, &err, cr->db);
            odoo_rpc_error_clear(&err);
            return -1;
        }
        memcpy(c->digest, d, 32);
        pool_add_busy(b->pool, c);
    }
    free(known);
    if (cr->uid && c->uid != cr->uid) {
        pool_put(b->pool, c, 1);
        return access_denied(e);
    }
    remember_login(b->pool, cr->db, c->uid, c->login);
    *out = c;
    return 0;
}

/* ------------------------------------------------------------------ */
/* services                                                            */

static const char *type_name(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return "NoneType";
    case json_type_boolean: return "bool";
    case json_type_int: return "int";
    case json_type_double: return "float";
    case json_type_string: return "str";
    case json_type_array: return "list";
    case json_type_object: return "dict";
    }
    return "object";
}

/* Python's messages for a call with the wrong number of arguments. */
static int arity(br_exc *e, const char *fn, const char *const *names, size_t min, size_t max, size_t n)
{
    if (n > max) {
        if (min == max)
            return br_exc_set(e, "builtins.TypeError", "%s() takes %zu positional argument%s but %zu were given",
                              fn, max, max == 1 ? "" : "s", n);
        return br_exc_set(e, "builtins.TypeError", "%s() takes from %zu to %zu positional arguments but %zu were given",
                          fn, min, max, n);
    }
    if (n >= min)
        return 0;
    char list[256] = "";
    size_t k = min - n;
    for (size_t i = n; i < min; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof(list) - used, "%s'%s'",
                 i == n ? "" : (k == 2 ? " and " : (i == min - 1 ? ", and " : ", ")), names[i]);
    }
    return br_exc_set(e, "builtins.TypeError", "%s() missing %zu required positional argument%s: %s", fn, k,
                      k == 1 ? "" : "s", list);
}

static const char *str_at(json_object *params, size_t i)
{
    json_object *v = json_object_array_get_idx(params, i);
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* Python's int() of a uid. */
static int py_int(json_object *v, long *out, br_exc *e)
{
    switch (json_object_get_type(v)) {
    case json_type_int: *out = (long)json_object_get_int64(v); return 0;
    case json_type_boolean: *out = json_object_get_boolean(v); return 0;
    case json_type_double: *out = (long)json_object_get_double(v); return 0;
    case json_type_string: {
        const char *s = json_object_get_string(v);
        char *end;
        while (*s == ' ')
            s++;
        long x = strtol(s, &end, 10);
        while (*end == ' ')
            end++;
        if (!*s || *end)
            return br_exc_set(e, "builtins.ValueError", "invalid literal for int() with base 10: '%s'",
                              json_object_get_string(v));
        *out = x;
        return 0;
    }
    default:
        return br_exc_set(e, "builtins.TypeError",
                          "int() argument must be a string, a bytes-like object or a real number, not '%s'",
                          type_name(v));
    }
}

static int svc_common(bridge *b, const char *method, json_object *params, json_object **out, br_exc *e,
                      char *what, size_t whatlen)
{
    size_t n = json_object_array_length(params);
    if (!strcmp(method, "version")) {
        if (n)
            return arity(e, "exp_version", NULL, 0, 0, n);
        *out = json_object_get(b->version);
        return 0;
    }
    if (!strcmp(method, "login") || !strcmp(method, "authenticate")) {
        static const char *const names[] = { "db", "login", "password", "user_agent_env" };
        size_t want = !strcmp(method, "login") ? 3 : 4;
        if (arity(e, want == 3 ? "exp_login" : "exp_authenticate", names, want, want, n))
            return -1;
        const char *db = str_at(params, 0), *login = str_at(params, 1), *pw = str_at(params, 2);
        snprintf(what, whatlen, "common.%s db=%s login=%s", method, db ? db : "?", login ? login : "?");
        if (!db || !login || !pw || !*pw) {
            *out = json_object_new_boolean(0);
            return 0;
        }
        br_cred cr = { db, login, 0, pw };
        br_conn *c;
        if (checkout(b, &cr, &c, e) != 0) {
            if (e->fault_code != 3)
                return -1;
            br_exc_clear(e);   /* a refused login is False, not a fault */
            *out = json_object_new_boolean(0);
            return 0;
        }
        *out = json_object_new_int64(c->uid);
        pool_put(b->pool, c, 1);
        return 0;
    }
    if (!strcmp(method, "about")) {
        if (n > 1)
            return arity(e, "exp_about", NULL, 0, 1, n);
        *out = json_object_new_string("See http://openerp.com");
        return 0;
    }
    return br_exc_set(e, "builtins.KeyError", "exp_%s", method);
}

/* db.list from the upstream: the /jsonrpc db service while Odoo has it,
 * else the web client's /web/database/list. */
static int db_list(bridge *b, json_object **out, br_exc *e)
{
    static const char *const tries[][2] = {
        { "/jsonrpc", "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"service\":\"db\",\"method\":\"list\","
                      "\"args\":[]},\"id\":1}" },
        { "/web/database/list", "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{},\"id\":1}" },
    };
    odoo_http *h = NULL;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    if (odoo_http_new(&h, b->base.url, &b->base, &err) != 0) {
        exc_from_error(e, &err, NULL, NULL);
        odoo_rpc_error_clear(&err);
        return -1;
    }
    json_object *error = NULL;
    for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
        odoo_http_request rq = { "POST", tries[i][0], "application/json", NULL, tries[i][1], strlen(tries[i][1]) };
        odoo_http_response rs;
        if (odoo_http_send(h, &rq, &rs, &err) != 0) {
            exc_from_error(e, &err, NULL, NULL);
            odoo_rpc_error_clear(&err);
            odoo_http_free(h);
            json_object_put(error);
            return -1;
        }
        /* read as the library reads every answer: its limits and refusals */
        json_object *doc = NULL, *r, *er;
        if (rs.status == 200)
            (void)odoo__json_parse(rs.body, rs.body_len, &doc);
        if (json_object_object_get_ex(doc, "result", &r) && json_object_is_type(r, json_type_array)) {
            *out = json_object_get(r);
            json_object_put(doc);
            json_object_put(error);
            odoo_http_free(h);
            return 0;
        }
        if (!error && json_object_object_get_ex(doc, "error", &er))
            error = json_object_get(er);
        json_object_put(doc);
    }
    odoo_http_free(h);
    json_object *data = NULL, *name = NULL, *msg = NULL, *dbg = NULL;
    if (error && json_object_object_get_ex(error, "data", &data) && json_object_object_get_ex(data, "name", &name)) {
        json_object_object_get_ex(data, "message", &msg);
        json_object_object_get_ex(data, "debug", &dbg);
        exc_fill(e, json_object_get_string(name), json_object_get_string(msg), json_object_get_string(dbg));
    } else {
        br_exc_set(e, "odoo.exceptions.AccessDenied", "odoo-bridge: the upstream does not list its databases");
    }
    json_object_put(error);
    return -1;
}

static int svc_db(bridge *b, const char *method, json_object *params, json_object **out, br_exc *e,
                  char *what, size_t whatlen)
{
    size_t n = json_object_array_length(params);
    snprintf(what, whatlen, "db.%s", method);
    if (!strcmp(method, "server_version")) {
        if (n)
            return arity(e, "exp_server_version", NULL, 0, 0, n);
        json_object *v = NULL;
        json_object_object_get_ex(b->version, "server_version", &v);
        *out = json_object_get(v);
        return 0;
    }
    if (!strcmp(method, "list")) {
        if (n > 1)
            return arity(e, "exp_list", NULL, 0, 1, n);
        return db_list(b, out, e);
    }
    if (!strcmp(method, "db_exist")) {
        static const char *const names[] = { "db_name" };
        if (arity(e, "exp_db_exist", names, 1, 1, n))
            return -1;
        json_object *l = NULL;
        if (db_list(b, &l, e) != 0)
            return -1;
        const char *want = str_at(params, 0);
        int found = 0;
        for (size_t i = 0; want && i < json_object_array_length(l); i++)
            found |= !strcmp(json_object_get_string(json_object_array_get_idx(l, i)), want);
        json_object_put(l);
        *out = json_object_new_boolean(found);
        return 0;
    }
    static const char *const known[] = { "create_database", "duplicate_database", "drop", "dump", "restore",
                                         "rename", "change_admin_password", "migrate_databases", "list_lang",
                                         "list_countries", NULL };
    for (int i = 0; known[i]; i++)
        if (!strcmp(method, known[i]))
            return br_exc_set(e, "builtins.NotImplementedError",
                              "odoo-bridge does not forward db.%s: manage databases on the server itself", method);
    return br_exc_set(e, "builtins.KeyError", "exp_%s", method);
}

static int svc_object(bridge *b, const char *method, json_object *params, json_object **out, br_exc *e,
                      char *what, size_t whatlen)
{
    size_t n = json_object_array_length(params);
    int is_kw = !strcmp(method, "execute_kw"), is_exec = !strcmp(method, "execute");
    if (n < 5)
        return br_exc_set(e, "builtins.ValueError", "not enough values to unpack (expected at least 5, got %zu)", n);
    if (!is_kw && !is_exec)
        return br_exc_set(e, "builtins.NameError", "Method not available %s", method);
    long uid = 0;
    if (py_int(json_object_array_get_idx(params, 1), &uid, e))
        return -1;
    static const char *const names[] = { "db", "uid", "passwd", "obj", "method", "args" };
    json_object *args = NULL, *kwargs = NULL, *owned = NULL;
    if (is_kw) {
        if (arity(e, "execute_kw", names, 6, 7, n))
            return -1;
        args = json_object_array_get_idx(params, 5);
        kwargs = n > 6 ? json_object_array_get_idx(params, 6) : NULL;
        if (json_object_is_type(kwargs, json_type_null))
            kwargs = NULL;
        if (kwargs && !json_object_is_type(kwargs, json_type_object))
            return br_exc_set(e, "builtins.TypeError",
                              "odoo.service.model.execute_kw() argument after ** must be a mapping, not %s",
                              type_name(kwargs));
        if (!json_object_is_type(args, json_type_array))
            return br_exc_set(e, "builtins.TypeError", "odoo.service.model.execute_kw() argument after * must be "
                              "an iterable, not %s", type_name(args));
    } else {
        if (!(owned = json_object_new_array()))
            return br_exc_set(e, "builtins.MemoryError", "out of memory");
        for (size_t i = 5; i < n; i++)
            json_object_array_add(owned, json_object_get(json_object_array_get_idx(params, i)));
        args = owned;
    }
    const char *db = str_at(params, 0), *pw = str_at(params, 2), *model = str_at(params, 3),
               *meth = str_at(params, 4);
    snprintf(what, whatlen, "object.%s %s.%s db=%s uid=%ld", method, model ? model : "?", meth ? meth : "?",
             db ? db : "?", uid);
    int rc = -1;
    br_conn *c = NULL;
    if (!db || !pw || uid <= 0) {
        rc = access_denied(e);
        goto out;
    }
    br_cred cr = { db, NULL, uid, pw };
    if (checkout(b, &cr, &c, e) != 0)
        goto out;
    if (!model || !meth) {
        rc = br_exc_set(e, "builtins.TypeError", "model and method names must be strings");
        pool_put(b->pool, c, 1);
        goto out;
    }
    if (meth[0] == '_') {
        /* get_public_method's words, which changed in 19 */
        rc = b->major >= 19 ? br_exc_set(e, "odoo.exceptions.AccessError",
                                         "Private methods (such as '%s.%s') cannot be called remotely.", model, meth)
                            : br_exc_set(e, "odoo.exceptions.AccessError",
                                         "Private methods (such as %s) cannot be called remotely.", meth);
        pool_put(b->pool, c, 1);
        goto out;
    }
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    rc = odoo_execute_kw(out, c->p, model, meth, args, kwargs, NULL, &err);
    if (rc != 0) {
        exc_from_error(e, &err, model, meth);
        /* a refused credential or a broken transport: do not keep it */
        int keep = !(err.kind == ODOO_ERR_AUTH || err.kind == ODOO_ERR_SESSION_EXPIRED || e->http_status);
        pool_put(b->pool, c, keep);
        rc = -1;
    } else {
        pool_put(b->pool, c, 1);
    }
    odoo_rpc_error_clear(&err);
out:
    json_object_put(owned);
    return rc;
}

int br_dispatch(bridge *b, const char *service, const char *method, json_object *params, json_object **out,
                br_exc *e, char *what, size_t whatlen)
{
    char scratch[8];
    if (!what) {
        what = scratch;
        whatlen = sizeof(scratch);
    }
    snprintf(what, whatlen, "%s.%s", service, method ? method : "");
    *out = NULL;
    if (!method)
        method = "";
    if (!json_object_is_type(params, json_type_array))
        return br_exc_set(e, "builtins.TypeError", "params must be a list");
    int rc;
    if (!strcmp(service, "common"))
        rc = svc_common(b, method, params, out, e, what, whatlen);
    else if (!strcmp(service, "object"))
        rc = svc_object(b, method, params, out, e, what, whatlen);
    else if (!strcmp(service, "db"))
        rc = svc_db(b, method, params, out, e, what, whatlen);
    else
        rc = br_exc_set(e, "builtins.KeyError", "%s", service);
    /* the secret is in the third parameter of common and object calls */
    br_wipe_json_string(json_object_array_get_idx(params, 2));
    return rc;
}
