/* Thread safety as the README states it: a plain program (ctest threads)
 * that CI also runs under ThreadSanitizer (scripts/tsan.sh), which cannot
 * run Criterion's runner (its shared arena clashes with TSan's memory
 * layout):
 *
 *   - the library's global set-up (libcurl, OpenSSL, the registry of
 *     built-in adapters) happens once, whichever thread connects first;
 *   - connections share nothing: one per thread, at the same time, on
 *     every protocol;
 *   - a connection may move to another thread between calls;
 *   - a multi and its connections belong to one thread at a time, and
 *     several threads may each run their own;
 *   - the adapter registry takes registrations while other threads look
 *     adapters up and connect.
 *
 * Each thread keeps its own odoo_rpc_error; results are checked in the
 * thread and summed under no lock (each thread writes only its slot). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>
#include <odoo.h>
#include <odoo/multi.h>
#include <odoo/sys/errors.h>
#include <odoo/sys/protocol.h>
#include <odoo_mock.h>

#include "../unit/scenario.h"

static odoo_mock *mock;
static int checks, failures;

/* A check that can fail: counted, and printed when it does. */
#define EXPECT(cond, ...)                                              \
    do {                                                               \
        checks++;                                                      \
        if (!(cond)) {                                                 \
            failures++;                                                \
            fprintf(stderr, "FAIL %s:%d: ", __func__, __LINE__);       \
            fprintf(stderr, __VA_ARGS__);                              \
            fputc('\n', stderr);                                       \
        }                                                              \
    } while (0)
/* The same, leaving the function when it fails; cond is evaluated once. */
#define REQUIRE(cond, ...)                                             \
    do {                                                               \
        int ok_ = (cond);                                              \
        EXPECT(ok_, __VA_ARGS__);                                      \
        if (!ok_)                                                      \
            return;                                                    \
    } while (0)

typedef struct job {
    odoo_protocol_kind kind;
    int gateway_api;
    odoo_protocol *p;      /* given (moved in) or NULL: the thread opens its own */
    int calls;
    int ok;                /* calls that gave the right answer */
    char why[256];         /* the first failure */
} job;

static void fail(job *j, const char *what, const odoo_rpc_error *err)
{
    if (!j->why[0])
        snprintf(j->why, sizeof(j->why), "%s %s: %s %s", odoo_protocol_kind_name(j->kind), what,
                 odoo_error_kind_name(err->kind), err->message ? err->message : "");
}

static odoo_protocol *open_job(job *j, odoo_rpc_error *err)
{
    test_target t = { mock, NULL, NULL, j->gateway_api, NULL, NULL };
    odoo_options o = ODOO_OPTIONS_INIT;
    test_target_options(&t, j->kind, &o, ODOO_MOCK_ADMIN_LOGIN, ODOO_MOCK_ADMIN_PASSWORD, ODOO_MOCK_ADMIN_API_KEY,
                        ODOO_MOCK_ADMIN_UID);
    odoo_protocol *p = NULL;
    if (odoo_connect(&p, j->kind, &o, err) != 0) {
        fail(j, "connect", err);
        return NULL;
    }
    return p;
}

/* search_read of the first 3 partners by id, whose ids the mock gives
 * in order: the answer is checked, not just the return code. */
static void *run_calls(void *arg)
{
    job *j = arg;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = j->p ? j->p : open_job(j, &err);
    static const char *const fields[] = { "name", NULL };
    for (int i = 0; p && i < j->calls; i++) {
        odoo_search_options so = ODOO_SEARCH_OPTIONS_INIT;
        so.fields = fields;
        so.limit = 3;
        so.order = "id";
        so.offset = i % 5;
        json_object *rows = NULL;
        if (odoo_search_read(&rows, p, "res.partner", &so, &err) != 0) {
            fail(j, "search_read", &err);
            continue;
        }
        json_object *first = json_object_array_get_idx(rows, 0), *id = NULL;
        if (json_object_array_length(rows) == 3 && json_object_object_get_ex(first, "id", &id) &&
            json_object_get_int64(id) > 0)
            j->ok++;
        json_object_put(rows);
    }
    if (!j->p)
        odoo_close(p);
    odoo_rpc_error_clear(&err);
    return NULL;
}

static const job kinds[] = {
    { ODOO_PROTOCOL_XMLRPC, 0, NULL, 0, 0, "" },
    { ODOO_PROTOCOL_JSONRPC, 0, NULL, 0, 0, "" },
    { ODOO_PROTOCOL_JSONRPC_STATELESS, 0, NULL, 0, 0, "" },
    { ODOO_PROTOCOL_JSON2, 0, NULL, 0, 0, "" },
    { ODOO_PROTOCOL_ODXPROXY, 1, NULL, 0, 0, "" },
    { ODOO_PROTOCOL_ODXPROXY, 2, NULL, 0, 0, "" },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

/* Two threads per protocol, all started together: the first connects
 * race for the library's global set-up. */
static void one_connection_per_thread_on_every_protocol(void)
{
    enum { PER = 2, CALLS = 25 };
    job jobs[NKINDS * PER];
    pthread_t th[NKINDS * PER];
    for (size_t i = 0; i < NKINDS * PER; i++) {
        jobs[i] = kinds[i % NKINDS];
        jobs[i].calls = CALLS;
    }
    for (size_t i = 0; i < NKINDS * PER; i++)
        REQUIRE(pthread_create(&th[i], NULL, run_calls, &jobs[i]) == 0, "pthread_create");
    for (size_t i = 0; i < NKINDS * PER; i++)
        pthread_join(th[i], NULL);
    for (size_t i = 0; i < NKINDS * PER; i++)
        EXPECT(jobs[i].ok == CALLS, "thread %zu (%s): %d of %d right; %s", i,
                     odoo_protocol_kind_name(jobs[i].kind), jobs[i].ok, CALLS, jobs[i].why);
}

/* A connection opened (and logged in) in one thread, used in another,
 * then in a third: allowed, one thread at a time. */
static void a_connection_moves_between_threads(void)
{
    for (size_t k = 0; k < NKINDS; k++) {
        job j = kinds[k];
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        j.p = open_job(&j, &err);
        REQUIRE(j.p != NULL, "%s", j.why);
        j.calls = 5;
        for (int hop = 0; hop < 3; hop++) {
            pthread_t t;
            REQUIRE(pthread_create(&t, NULL, run_calls, &j) == 0, "pthread_create");
            pthread_join(t, NULL);
        }
        EXPECT(j.ok == 15, "%s: %d of 15; %s", odoo_protocol_kind_name(j.kind), j.ok, j.why);
        odoo_close(j.p);
        odoo_rpc_error_clear(&err);
    }
}

typedef struct multi_job {
    int done, ok;
    char why[256];
} multi_job;

static void on_count(json_object *result, const odoo_rpc_error *e, void *userdata)
{
    multi_job *mj = userdata;
    mj->done++;
    if (!e && json_object_is_type(result, json_type_int) && json_object_get_int64(result) > 0)
        mj->ok++;
    else if (e && !mj->why[0])
        snprintf(mj->why, sizeof(mj->why), "%s: %s", odoo_error_kind_name(e->kind), e->message ? e->message : "");
    json_object_put(result);
}

/* Each thread: its own multi, one connection per protocol, 4 calls on each. */
static void *run_multi(void *arg)
{
    multi_job *mj = arg;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_multi *m = NULL;
    odoo_protocol *p[NKINDS] = { 0 };
    json_object *args = json_tokener_parse("[[]]");
    if (odoo_multi_new(&m, NULL, &err) != 0)
        goto out;
    for (size_t k = 0; k < NKINDS; k++) {
        job j = kinds[k];
        if (!(p[k] = open_job(&j, &err))) {
            snprintf(mj->why, sizeof(mj->why), "%s", j.why);
            goto out;
        }
        for (int i = 0; i < 4; i++)
            if (odoo_multi_add(m, p[k], "res.partner", "search_count", NULL, args, NULL, NULL, on_count, mj,
                               &err) != 0)
                goto out;
    }
    if (odoo_multi_perform(m, 60000, &err) != 0)
        snprintf(mj->why, sizeof(mj->why), "perform: %s", err.message ? err.message : "");
out:
    odoo_multi_free(m);
    for (size_t k = 0; k < NKINDS; k++)
        odoo_close(p[k]);
    json_object_put(args);
    odoo_rpc_error_clear(&err);
    return NULL;
}

static void a_multi_per_thread(void)
{
    enum { T = 4 };
    multi_job mj[T];
    pthread_t th[T];
    memset(mj, 0, sizeof(mj));
    for (int i = 0; i < T; i++)
        REQUIRE(pthread_create(&th[i], NULL, run_multi, &mj[i]) == 0, "pthread_create");
    for (int i = 0; i < T; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < T; i++)
        EXPECT(mj[i].ok == (int)NKINDS * 4, "thread %d: %d of %d right (%d done); %s", i, mj[i].ok,
                     (int)NKINDS * 4, mj[i].done, mj[i].why);
}

/* ---- the registry under concurrent registration and lookup ---- */

/* Adapters that are never used to send: registration and lookup only. */
static int never_encode(odoo_protocol *p, odoo_exchange *x, odoo_rpc_error *err)
{
    return odoo_error_set(err, ODOO_ERR_UNSUPPORTED, "test adapter");
}

static int never_decode(odoo_protocol *p, odoo_exchange *x, const odoo_http_response *r, odoo_rpc_error *err)
{
    return odoo_error_set(err, ODOO_ERR_UNSUPPORTED, "test adapter");
}

static const odoo_protocol_ops idle_ops = {
    ODOO_PROTOCOL_OPS_VERSION, "idle", 0, 0, NULL, NULL, never_encode, never_decode, NULL,
};

#define NREG 8
static char reg_names[NREG][16];
static odoo_adapter reg[NREG];

static void *register_one(void *arg)
{
    odoo_adapter *a = arg;
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_adapter_register(a, &err); /* a name taken by an earlier run is refused: fine */
    odoo_rpc_error_clear(&err);
    return NULL;
}

static void *look_up(void *arg)
{
    int *found = arg;
    for (int round = 0; round < 200; round++)
        for (size_t i = 0; odoo_adapter_at(i); i++)
            if (odoo_adapter_find(odoo_adapter_at(i)->name))
                (*found)++;
    return NULL;
}

static void registry_takes_registrations_while_others_look_up_and_connect(void)
{
    pthread_t th[NREG + 2 + 2];
    int found[2] = { 0, 0 };
    job conn[2] = { kinds[3], kinds[2] };
    conn[0].calls = conn[1].calls = 10;
    size_t n = 0;
    for (int i = 0; i < NREG; i++) {
        snprintf(reg_names[i], sizeof(reg_names[i]), "idle-%d", i);
        reg[i] = (odoo_adapter){ ODOO_ADAPTER_VERSION, reg_names[i], &idle_ops, ODOO_PROTOCOL_AUTO, 0, 0, NULL,
                                 NULL };
        REQUIRE(pthread_create(&th[n++], NULL, register_one, &reg[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < 2; i++)
        REQUIRE(pthread_create(&th[n++], NULL, look_up, &found[i]) == 0, "pthread_create");
    for (int i = 0; i < 2; i++)
        REQUIRE(pthread_create(&th[n++], NULL, run_calls, &conn[i]) == 0, "pthread_create");
    for (size_t i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < NREG; i++)
        EXPECT(odoo_adapter_find(reg_names[i]) != NULL, "%s registered", reg_names[i]);
    EXPECT(found[0] + found[1] > 0, "lookups found the built-in adapters");
    for (int i = 0; i < 2; i++)
        EXPECT(conn[i].ok == 10, "%s while registering: %s", odoo_protocol_kind_name(conn[i].kind), conn[i].why);
}

int main(void)
{
    odoo_mock_config cfg = { 0 };
    cfg.odoo_version = 19;
    cfg.quiet = 1;
    if (odoo_mock_start(&mock, &cfg) != 0) {
        fprintf(stderr, "odoo-mock did not start\n");
        return 2;
    }
    one_connection_per_thread_on_every_protocol();
    a_connection_moves_between_threads();
    a_multi_per_thread();
    registry_takes_registrations_while_others_look_up_and_connect();
    odoo_mock_stop(mock);
    printf("threads: %d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
