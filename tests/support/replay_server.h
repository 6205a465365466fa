/* A loopback HTTP server that answers from recorded exchanges (curl's
 * data-driven test server, in small): each test queues the fixtures
 * that answer its next requests, runs the library, then checks the
 * requests the server received. */
#ifndef REPLAY_SERVER_H
#define REPLAY_SERVER_H

#include <stddef.h>
#include <json-c/json.h>

#include "fixtures.h"

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
/* Answer the next request with this response, as is (headers: "Name:
 * value" strings, NULL-terminated, or NULL). */
void replay_expect_raw(replay_server *s, int status, const char *content_type, const char *body,
                       const char *const *headers);

/* Requests received so far (in order), and the total. */
size_t replay_count(replay_server *s);
const replay_request *replay_request_at(replay_server *s, size_t i);
/* Number of responses queued but not used yet. */
size_t replay_pending(replay_server *s);

/* Compare the i-th request received with the request recorded in a
 * fixture: method, path, and the body as JSON (a JSON-RPC "id" member is
 * ignored) or byte for byte when it is not JSON. Returns 1 when they
 * match; otherwise 0 with a reason in why. */
int replay_matches_fixture(replay_server *s, size_t i, const char *fixture, char *why, size_t whylen);
/* The value of header name (lower case) on the i-th request, or NULL;
 * borrowed from the server. */
const char *replay_sent_header(replay_server *s, size_t i, const char *name);

/* In a Criterion test: expect the i-th request to match the fixture's. */
#define EXPECT_SENT(srv, i, fixture)                                                                \
    do {                                                                                            \
        char why_[4096];                                                                            \
        cr_expect(replay_matches_fixture((srv), (i), (fixture), why_, sizeof(why_)), "%s: %s",      \
                  (fixture), why_);                                                                 \
    } while (0)

#endif
