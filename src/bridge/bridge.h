/* odoo-bridge (private): legacy XML-RPC and /jsonrpc clients in front,
 * libodoo behind, towards an Odoo that may speak JSON-2 only.
 *
 * The fronts (front_xmlrpc.c, front_jsonrpc.c) decode a request into
 * (service, method, params) exactly as Odoo's dispatch_rpc receives it,
 * call br_dispatch() and encode its answer: a value, or a br_exc, which
 * is the Python exception Odoo's RPC services would have raised (class,
 * message, traceback), whatever protocol the upstream answered with. */
#ifndef ODOO_BRIDGE_H
#define ODOO_BRIDGE_H

#include <pthread.h>
#include <stdio.h>

#include <json-c/json.h>
#include <odoo.h>

/* An exception as Odoo's RPC layer raises it. All strings owned. */
typedef struct br_exc {
    char *cls;        /* "odoo.exceptions.UserError", "builtins.TypeError", ... */
    char *message;    /* str(exc) */
    char *debug;      /* the traceback text, last line "Class: message\n" */
    int fault_code;   /* XML-RPC /xmlrpc/2 faultCode: 1, 2, 3 or 4 */
    int http_status;  /* 0: an Odoo answer (HTTP 200); 502/504: the upstream failed */
} br_exc;

void br_exc_clear(br_exc *e);
/* Set e from a class and a message; the traceback is synthesised (the
 * bridge's own errors have no Python frames). Returns -1. */
int br_exc_set(br_exc *e, const char *cls, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

typedef struct br_pool br_pool;

typedef struct bridge {
    char *upstream;                 /* base URL as given (for display: no credentials in it) */
    odoo_options base;              /* url, TLS, timeouts; no credentials */
    odoo_protocol_kind forced;      /* ODOO_PROTOCOL_AUTO unless --upstream-protocol */
    odoo_protocol_kind key_kind;    /* upstream protocol for API keys */
    odoo_protocol_kind pw_kind;     /* upstream protocol for passwords */
    int major;                      /* upstream major version */
    json_object *version;           /* common.version's answer, built once */
    br_pool *pool;
    FILE *log;                      /* --log, or NULL */
    pthread_mutex_t log_lock;
    size_t max_body;                /* request bodies above are refused (413) */
} bridge;

/* Run service.method(*params) (params: a JSON array, borrowed; a password
 * in it is wiped once used). 0 with *out (NULL for None), or -1 with *e.
 * what (may be NULL) receives a short description for the log
 * ("object.execute_kw res.partner.search_read db=x uid=2"). */
int br_dispatch(bridge *b, const char *service, const char *method, json_object *params, json_object **out,
                br_exc *e, char *what, size_t whatlen);

/* The upstream connection pool (upstream.c). */
int br_pool_new(br_pool **out, size_t max_idle);
void br_pool_free(br_pool *p);

/* Fronts: answer one request body. *out and *outlen receive a malloc'd answer,
 * *ctype its content type; the HTTP status is returned. */
int br_xmlrpc_handle(bridge *b, const char *path, const char *body, size_t len, char **out, size_t *outlen,
                     const char **ctype, char *what, size_t whatlen);
int br_jsonrpc_handle(bridge *b, const char *body, size_t len, char **out, size_t *outlen, const char **ctype,
                      char *what, size_t whatlen);

/* Overwrite n bytes (a request body holds the password). */
void br_wipe(void *p, size_t n);
/* Wipe the text of a json string in place (the password of a call). */
void br_wipe_json_string(json_object *s);

#endif
