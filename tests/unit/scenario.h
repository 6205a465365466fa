/* The integration scenario (tests/unit/scenario.c), shared by the tests that run it
 * against odoo-mock directly and through a reverse proxy. */
#ifndef TEST_SCENARIO_H
#define TEST_SCENARIO_H

#include <stdint.h>
#include <odoo.h>
#include <odoo_mock.h>

/* Assert that a call returned 0; needs `name` (the protocol) and `err`
 * in scope. */
#define CHECK(call)                                                                                      \
    cr_assert_eq((call), 0, "%s: %s failed: %s %s", name, #call, odoo_error_kind_name(err.kind), err.message)

/* Where the scenario runs: odoo-mock itself, or url in front of it. */
typedef struct test_target {
    odoo_mock *mock;      /* the mock behind (its db, its limited user) */
    const char *url;      /* NULL: the mock's own URL; else e.g. nginx's */
    const char *ca_file;  /* the CA to trust for an https url, or NULL */
    int gateway_api;      /* ODXProxy: 0 (choose), 1 or 2; the gateway is url, the Odoo behind it the mock */
    const char *cert_file, *key_file; /* a client certificate to present, or NULL */
} test_target;

/* Every protocol once, the gateway's two APIs apart, with the path its
 * calls go to (for faults scoped to calls, so that a login or a
 * negotiation never meets them). */
typedef struct test_proto {
    const char *name;
    odoo_protocol_kind kind;
    int gateway_api;        /* ODXProxy: 1 (/api/odoo) or 2 (/v2/odoo) */
    const char *call_path;
} test_proto;
#define TEST_NPROTOS 6
extern const test_proto test_protos[TEST_NPROTOS];

/* Options for the mock's admin (password and API key) on pr, directly to
 * the mock (the mock as its own gateway for ODXProxy). Strings borrowed. */
void test_proto_options(odoo_mock *m, const test_proto *pr, odoo_options *o);

/* The in-process odoo-mock fixture (mock_fixture.c; Criterion asserts).
 * test_mock_start: quiet, Odoo version and partners as given (0: the
 * mock's defaults); the caller stops it. test_mock_stop: stops *m, NULL
 * after, and clears *err (a suite's end). test_proto_connect: the admin's
 * connection on pr (test_proto_options), with these retries of a
 * transient failure and first backoff (0: the library's); the caller
 * closes it. */
odoo_mock *test_mock_start(int version, int partners);
void test_mock_stop(odoo_mock **m, odoo_rpc_error *err);
odoo_protocol *test_proto_connect(odoo_mock *m, const test_proto *pr, int retries, long backoff_ms,
                                  odoo_rpc_error *err);

/* CLOCK_MONOTONIC in milliseconds, for the tests' loose timing bounds. */
long test_now_ms(void);

/* Connection options for t as the given user (the gateway's options too
 * for ODOO_PROTOCOL_ODXPROXY). Strings are borrowed. In target.c, which
 * programs without Criterion (tests/threads) compile too. */
void test_target_options(const test_target *t, odoo_protocol_kind kind, odoo_options *o, const char *login,
                         const char *password, const char *api_key, int64_t uid);

/* Run the scenario on kind; asserts every step. New reference: what it saw. */
json_object *test_scenario(const test_target *t, odoo_protocol_kind kind);

#endif
