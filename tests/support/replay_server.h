/* A loopback HTTP server that answers from recorded exchanges (curl's
 * data-driven test server, in small): each test queues the fixtures
 * that answer its next requests, runs the library, then checks the
 * requests the server received. */
#ifndef REPLAY_SERVER_H
#define REPLAY_SERVER_H

#include <stddef.h>
#include <json-c/json.h>

typedef struct replay_server replay_server;

typedef struct replay_request {
    char *method;
    char *path;
    char *body;
    size_t body_len;
    json_object *headers;   /* lower-cased names -> value */
} replay_request;

/* Start on 127.0.0.1 and a free port; over TLS when cert/key (PEM files) are given. */
replay_server *replay_start(const char *tls_cert_file, const char *tls_key_file);
const char *replay_url(const replay_server *s);
void replay_stop(replay_server *s);

/* Answer the next request with the recorded response of a fixture
 * ("odoo19/json2/03-search_read.json"). A JSON-RPC id in the recorded
 * body is rewritten to the id of the request it answers. */
void replay_expect(replay_server *s, const char *fixture);
/* Answer the next request with this response (headers: "Name: value"
 * strings, NULL-terminated, or NULL). */
void replay_expect_raw(replay_server *s, int status, const char *content_type, const char *body,
                       const char *const *headers);

/* Requests received so far (in order), and the total. */
size_t replay_count(replay_server *s);
const replay_request *replay_request_at(replay_server *s, size_t i);
/* Number of responses queued but not used yet. */
size_t replay_pending(replay_server *s);

/* Fixture helpers: the whole fixture document (new reference). */
json_object *fixture_load(const char *rel);
/* request or response member ("body", "path", ...) of a fixture, borrowed from fx. */
const char *fixture_str(json_object *fx, const char *part, const char *key);

/* Semantic JSON equality (object key order ignored). */
int json_equal(json_object *a, json_object *b);

#endif
