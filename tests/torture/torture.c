/* Allocation-failure torture (curl's `runtests -t`): for each protocol,
 * one whole call (connect + authenticate + search_read + close) is run
 * with its n-th allocation failing, for n = 1, 2, ... until a run makes
 * fewer than n allocations. Every run must end in success or a clean
 * ODOO_ERR_NOMEM (kind and message), must not crash, and must leave no
 * allocation behind.
 *
 * malloc, calloc, realloc, free, strdup and strndup are interposed here
 * (the executable's definitions win over libc's for every library in the
 * process: libodoo, json-c, libcurl, expat, OpenSSL). Arming is
 * thread-local: only the thread running the scenario sees failures and
 * has its allocations tracked, so the in-process odoo-mock (its own
 * libmicrohttpd threads) keeps working. A leak is an allocation made by
 * the armed thread during a run that is still live after it; one
 * unarmed run before the torture fills the process-wide caches that are
 * meant to stay (curl_global_init, OpenSSL's per-thread DRBG), so they
 * are not counted.
 *
 * usage: odoo-torture [--step K] [--from N] [--to N] [PROTOCOL...]
 * Prints one line per protocol and "torture: P passed, F failed". */
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <odoo.h>
#include <odoo_mock.h>

/* ---------------------------------------------------------------------------
 * The interposed allocator
 * ------------------------------------------------------------------------- */

/* The allocator runs before AddressSanitizer has mapped its shadow (its
 * own start-up frees through here): never instrumented. */
#if defined(__GNUC__)
#define RAW __attribute__((no_sanitize_address))
#else
#define RAW
#endif

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

/* dlsym() itself may allocate: serve it from a static arena. */
static _Alignas(16) char boot[1 << 16];
static size_t boot_used;
static int resolving;

RAW static int in_boot(const void *p)
{
    return (const char *)p >= boot && (const char *)p < boot + sizeof(boot);
}

RAW static void *boot_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (boot_used + n > sizeof(boot))
        return NULL;
    void *p = boot + boot_used;
    boot_used += n;
    return p;
}

RAW static void resolve(void)
{
    if (real_malloc || resolving)
        return;
    resolving = 1;
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    resolving = 0;
    if (!real_malloc || !real_calloc || !real_realloc || !real_free)
        abort();
}

#define BT_DEPTH 12

/* Per thread: tracking on, allocations seen, which one fails. */
static __thread int t_armed;
static __thread unsigned long t_seq;
static __thread unsigned long t_fail_at; /* 0: none */
static __thread int t_failed;
static __thread void *t_fail_bt[BT_DEPTH]; /* where the failed allocation was made */
static __thread int t_fail_bt_n;

/* Live allocations made by an armed thread: an open-addressing set. */
#define SLOTS (1u << 17)
typedef struct {
    void *p;             /* NULL empty, TOMB deleted */
    size_t size;
    unsigned long seq;
    void *bt[BT_DEPTH];
    int bt_n;
} slot;
#define TOMB ((void *)1)
static slot table[SLOTS];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_long live;
static atomic_int table_full;

RAW static size_t hash(const void *p)
{
    return (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull >> (64 - 17));
}

RAW static void track_add(void *p, size_t size)
{
    void *bt[BT_DEPTH];
    int bt_n = 0;
    {
        t_armed = 0; /* backtrace() may allocate once (libgcc_s) */
        bt_n = backtrace(bt, BT_DEPTH);
        t_armed = 1;
    }
    pthread_mutex_lock(&table_lock);
    size_t i = hash(p);
    for (size_t n = 0; n < SLOTS; n++, i = (i + 1) & (SLOTS - 1)) {
        if (table[i].p == NULL || table[i].p == TOMB) {
            table[i].p = p;
            table[i].size = size;
            table[i].seq = t_seq;
            table[i].bt_n = bt_n;
            if (bt_n)
                memcpy(table[i].bt, bt, sizeof(bt));
            live++;
            pthread_mutex_unlock(&table_lock);
            return;
        }
    }
    table_full = 1;
    pthread_mutex_unlock(&table_lock);
}

/* 1 when p was tracked (now forgotten). */
RAW static int track_del(void *p)
{
    if (live == 0)
        return 0;
    pthread_mutex_lock(&table_lock);
    size_t i = hash(p);
    for (size_t n = 0; n < SLOTS && table[i].p != NULL; n++, i = (i + 1) & (SLOTS - 1)) {
        if (table[i].p == p) {
            table[i].p = TOMB;
            live--;
            pthread_mutex_unlock(&table_lock);
            return 1;
        }
    }
    pthread_mutex_unlock(&table_lock);
    return 0;
}

RAW static const char *frame_sym(void *addr)
{
    Dl_info info;
    return dladdr(addr, &info) && info.dli_sname ? info.dli_sname : "";
}

static const char *frame_lib(void *addr)
{
    Dl_info info;
    return dladdr(addr, &info) && info.dli_fname ? info.dli_fname : "";
}

/* Allocations that are never made to fail, because the library making
 * them crashes then (not libodoo's to fix): json-c 0.16's tokener uses
 * the strdup() of an object key unchecked (strlen(NULL) in
 * json_object_object_add_ex). Counted, and the next allocation fails
 * instead. */
static unsigned long skipped_foreign;

static int bt_has(void *const *bt, int n, const char *sym)
{
    for (int i = 1; i < n; i++)
        if (strcmp(frame_sym(bt[i]), sym) == 0)
            return 1;
    return 0;
}

/* Made inside json-c: its tokener, or a member added (lh_table_insert_w_hash
 * loses the key json_object_object_add_ex copied when the table cannot
 * grow, a tail call: its frame is gone; the DOM builder of
 * src/core/jstream_dom.c adds through it). */
static int in_json_c(void *const *bt, int n)
{
    return bt_has(bt, n, "json_tokener_parse_ex") || bt_has(bt, n, "json_object_object_add_ex") ||
           bt_has(bt, n, "lh_table_insert_w_hash");
}

RAW static int never_fail(void *const *bt, int n)
{
    for (int i = 1; i + 1 < n; i++)
        if (strcmp(frame_sym(bt[i]), "strdup") == 0)
            return strcmp(frame_sym(bt[i + 1]), "json_tokener_parse_ex") == 0;
    return 0;
}

/* This allocation of the armed thread is the one that fails. */
RAW static int fail_now(void)
{
    if (!t_armed)
        return 0;
    if (++t_seq == t_fail_at) {
        t_armed = 0;
        t_fail_bt_n = backtrace(t_fail_bt, BT_DEPTH);
        int skip = never_fail(t_fail_bt, t_fail_bt_n);
        t_armed = 1;
        if (skip) {
            skipped_foreign++;
            t_fail_at++;
            return 0;
        }
        t_failed = 1;
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

/* Outcomes other than NOMEM that a library below libodoo makes, when the
 * failed allocation was its own, and that libodoo cannot tell from what
 * they claim to be (README.md here lists them). NULL when libodoo's. */
static const char *foreign_outcome(int kind, const char *message)
{
    const char *lib = "";
    int in_tokener = 0;
    for (int i = 1; i < t_fail_bt_n; i++) {
        const char *l = frame_lib(t_fail_bt[i]);
        if (!*lib && !strstr(l, "odoo-torture"))
            lib = l;
        in_tokener |= strcmp(frame_sym(t_fail_bt[i]), "json_tokener_parse_ex") == 0;
    }
    if (strstr(lib, "libcurl") && kind == ODOO_ERR_DNS)
        return "libcurl: out of memory in its resolver is 'Could not resolve host'";
    if (strstr(lib, "libcurl") && kind == ODOO_ERR_PROTOCOL && message && strstr(message, "header line"))
        return "libcurl 7.88: out of memory in its header buffer is the same error as a header line over 100 KB";
    if (in_tokener && kind == ODOO_ERR_PROTOCOL)
        return "json-c 0.16: out of memory while parsing is a syntax error (no json_tokener_error_memory)";
    if (in_tokener && kind >= 0)
        return "json-c 0.16: its tokener drops a member it has no memory for and succeeds";
    if (in_tokener && kind == ODOO_ERR_AUTH)
        return "json-c 0.16: its tokener dropped the uid member, so the login answer has none";
    return NULL;
}

RAW void *malloc(size_t n)
{
    resolve();
    if (resolving)
        return boot_alloc(n);
    if (fail_now())
        return NULL;
    void *p = real_malloc(n);
    if (p && t_armed)
        track_add(p, n);
    return p;
}

RAW void *calloc(size_t a, size_t b)
{
    resolve();
    if (resolving) {
        void *p = boot_alloc(a * b);
        return p ? memset(p, 0, a * b) : NULL;
    }
    if (fail_now())
        return NULL;
    void *p = real_calloc(a, b);
    if (p && t_armed)
        track_add(p, a * b);
    return p;
}

RAW void free(void *p)
{
    if (!p || in_boot(p))
        return;
    resolve();
    track_del(p);
    real_free(p);
}

RAW void *realloc(void *p, size_t n)
{
    resolve();
    if (!p)
        return malloc(n);
    if (in_boot(p)) {
        void *q = malloc(n);
        if (q)
            memcpy(q, p, (size_t)(boot + sizeof(boot) - (char *)p) < n ? (size_t)(boot + sizeof(boot) - (char *)p) : n);
        return q;
    }
    if (n == 0) {
        free(p);
        return NULL;
    }
    if (fail_now())
        return NULL; /* p untouched, as realloc promises */
    void *q = real_realloc(p, n);
    if (q) {
        int was = track_del(p);
        if (was || t_armed)
            track_add(q, n);
    }
    return q;
}

RAW char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

RAW char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *d = malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Forget every tracked allocation; returns how many were live (and their
 * bytes in *bytes), printing up to `show` of them with backtraces. */
static int bt_has(void *const *bt, int n, const char *sym);

static long sweep_foreign; /* of the last sweep: leaks made inside json-c (in_json_c) */
static long sweep_kept;    /* of the last sweep: blocks counted as kept (a half-made tokener, TLS) */

static long sweep(size_t *bytes, int show)
{
    long n = 0;
    sweep_foreign = sweep_kept = 0;
    *bytes = 0;
    pthread_mutex_lock(&table_lock);
    if (live) {
        for (size_t i = 0; i < SLOTS; i++) {
            if (table[i].p && table[i].p != TOMB) {
                /* Counted apart as kept, not leaked (README.md):
                 * - json-c 0.16's own leak when a tokener's creation fails
                 *   half-way (it frees the tokener, not its stack). Leaked
                 *   tokeners are LeakSanitizer's to catch in the ASan run
                 *   of the whole suite;
                 * - glibc keeping a finished thread's TLS block for the next
                 *   pthread_create (libcurl's resolver threads). */
                if (bt_has(table[i].bt, table[i].bt_n, "json_tokener_new_ex") ||
                    bt_has(table[i].bt, table[i].bt_n, "_dl_allocate_tls")) {
                    sweep_kept++;
                    continue;
                }
                int foreign = in_json_c(table[i].bt, table[i].bt_n);
                if (foreign && getenv("TORTURE_SHOW_FOREIGN")) {
                    fprintf(stderr, "    foreign: %zu bytes, allocation #%lu, from:\n", table[i].size, table[i].seq);
                    backtrace_symbols_fd(table[i].bt, table[i].bt_n, 2);
                }
                if (foreign && bt_has(table[i].bt, table[i].bt_n, "printbuf_memappend")) {
                    sweep_kept++;
                    continue;
                }
                if (foreign)
                    sweep_foreign++;
                else
                    n++;
                *bytes += table[i].size;
                if (!foreign && show-- > 0) {
                    fprintf(stderr, "    leaked: %zu bytes, allocation #%lu, from:\n", table[i].size, table[i].seq);
                    backtrace_symbols_fd(table[i].bt, table[i].bt_n, 2);
                }
            }
        }
    }
    memset(table, 0, sizeof(table));
    live = 0;
    pthread_mutex_unlock(&table_lock);
    return n;
}

/* Under LeakSanitizer: this binary counts leaks itself, run by run, and
 * tells json-c's known ones (README.md) from libodoo's; LSan's exit-time
 * report would only repeat json-c's. */
int __lsan_is_turned_off(void);
int __lsan_is_turned_off(void)
{
    return 1;
}

/* ---------------------------------------------------------------------------
 * The scenario
 * ------------------------------------------------------------------------- */

static odoo_mock *mock;

typedef struct {
    const char *name;
    odoo_protocol_kind kind;
} protocol;

static const protocol protocols[] = {
    { "xmlrpc", ODOO_PROTOCOL_XMLRPC },
    { "jsonrpc", ODOO_PROTOCOL_JSONRPC },
    { "jsonrpc-stateless", ODOO_PROTOCOL_JSONRPC_STATELESS },
    { "json2", ODOO_PROTOCOL_JSON2 },
    { "odxproxy", ODOO_PROTOCOL_ODXPROXY },
};
#define NPROTOCOLS (sizeof(protocols) / sizeof(protocols[0]))

/* Made before arming, freed after: the scenario borrows them. */
static json_object *domain;
static const char *const fields[] = { "name", "email", NULL };

/* One whole call. Returns its status; *stage says which step failed. */
static int scenario(const protocol *pr, odoo_rpc_error *err, const char **stage)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = odoo_mock_url(mock);
    o.db = odoo_mock_db(mock);
    o.login = ODOO_MOCK_ADMIN_LOGIN;
    o.password = ODOO_MOCK_ADMIN_PASSWORD;
    o.api_key = ODOO_MOCK_ADMIN_API_KEY;
    o.timeout_ms = 10000;
    if (pr->kind == ODOO_PROTOCOL_ODXPROXY) {
        o.proxy_url = odoo_mock_url(mock); /* the mock is its own gateway */
        o.proxy_api_key = ODOO_MOCK_PROXY_KEY;
        o.user_id = ODOO_MOCK_ADMIN_UID;
    }
    odoo_protocol *p = NULL;
    json_object *out = NULL;
    int64_t uid = 0;
    *stage = "connect";
    int rc = odoo_connect(&p, pr->kind, &o, err);
    if (rc == 0) {
        *stage = "authenticate";
        rc = odoo_authenticate(&uid, p, err);
    }
    if (rc == 0) {
        *stage = "search_read";
        rc = odoo_search_read(&out, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = domain, .fields = fields, .limit = 3, .order = "id" }, err);
        if (rc == 0 && (!json_object_is_type(out, json_type_array) || json_object_array_length(out) != 3)) {
            fprintf(stderr, "    search_read succeeded with a wrong result: %s\n", json_object_to_json_string(out));
            rc = 1;
        }
    }
    json_object_put(out);
    odoo_close(p);
    return rc;
}

typedef struct {
    unsigned long allocations; /* of the run without failure */
    unsigned long runs, ok, nomem, foreign, bad, leaky, foreign_leaks;
} tally;

/* Run the scenario on this thread with allocation fail_at failing (0:
 * none). Returns 1 when the failure happened (or fail_at is 0). */
static int one_run(const protocol *pr, unsigned long fail_at, tally *t)
{
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    const char *stage = "";
    size_t bytes;
    sweep(&bytes, 0);
    t_seq = 0;
    t_fail_at = fail_at;
    t_failed = 0;
    t_armed = 1;
    int rc = scenario(pr, &err, &stage);
    int nomem_ok = rc == ODOO_ERR_NOMEM && err.kind == ODOO_ERR_NOMEM && err.message;
    const char *foreign = rc != 0 && !nomem_ok && fail_at ? foreign_outcome(rc, err.message) : NULL;
    if (rc == 0 && fail_at && t_failed)
        foreign = foreign_outcome(0, NULL); /* NULL: a tolerated failure (retried, or optional) */
    char what[400];
    snprintf(what, sizeof(what), "%s: %s (%s)", stage, odoo_error_kind_name(err.kind),
             err.message ? err.message : "no message");
    odoo_rpc_error_clear(&err);
    t_armed = 0;
    unsigned long seen = t_seq;
    int failed = t_failed;
    long leaked = sweep(&bytes, t->leaky < 2 ? 3 : 0);
    /* json-c 0.16's tokener leaks the value it could not attach, and
     * json_object_object_add_ex the key it copied when the table cannot
     * grow: only when the failed allocation was its own are its leftovers
     * its leaks. */
    t->foreign_leaks += sweep_kept;
    if (failed && in_json_c(t_fail_bt, t_fail_bt_n))
        t->foreign_leaks += sweep_foreign;
    else
        leaked += sweep_foreign;
    if (fail_at && !failed)
        return 0;
    if (!fail_at)
        t->allocations = seen;
    t->runs++;
    if (rc == 0 && !foreign)
        t->ok++;
    else if (nomem_ok)
        t->nomem++;
    else if (foreign) {
        if (t->foreign++ < 3)
            fprintf(stderr, "  %s n=%lu: %s -- %s\n", pr->name, fail_at, what, foreign);
    } else {
        if (t->bad++ < 15) {
            fprintf(stderr, "  %s n=%lu: %s; the failed allocation:\n", pr->name, fail_at, what);
            backtrace_symbols_fd(t_fail_bt, t_fail_bt_n, 2);
        }
    }
    if (leaked && t->leaky++ < 5)
        fprintf(stderr, "  %s n=%lu: %ld allocations (%zu bytes) leaked (%s)\n", pr->name, fail_at, leaked, bytes,
                rc ? what : "call succeeded");
    return 1;
}

int main(int argc, char **argv)
{
    unsigned long step = 1, from = 1, to = 0;
    const char *only[NPROTOCOLS + 1] = { 0 };
    size_t nonly = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--step") == 0 && i + 1 < argc)
            step = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            from = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            to = strtoul(argv[++i], NULL, 10);
        else if (nonly < NPROTOCOLS)
            only[nonly++] = argv[i];
    }
    if (step == 0)
        step = 1;
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    if (odoo_mock_start(&mock, &cfg) != 0) {
        fprintf(stderr, "odoo-torture: odoo-mock did not start\n");
        return 1;
    }
    void *prime[2];
    backtrace(prime, 2); /* loads libgcc_s now, not inside a run */
    domain = json_tokener_parse("[[\"id\", \">\", 0]]");
    int passed = 0, failed = 0;
    for (size_t k = 0; k < NPROTOCOLS; k++) {
        const protocol *pr = &protocols[k];
        int wanted = nonly == 0;
        for (size_t j = 0; j < nonly; j++)
            wanted |= strcmp(only[j], pr->name) == 0;
        if (!wanted)
            continue;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        tally t = { 0 };
        /* Unarmed first: the caches meant to stay are filled here. */
        odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
        const char *stage;
        int rc = scenario(pr, &err, &stage);
        if (rc != 0) {
            fprintf(stderr, "  %s: the scenario fails without torture: %s: %s\n", pr->name, stage,
                    err.message ? err.message : "");
            odoo_rpc_error_clear(&err);
            failed++;
            continue;
        }
        one_run(pr, 0, &t);
        unsigned long n;
        for (n = from; (!to || n <= to) && one_run(pr, n, &t); n += step)
            ;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        int ok = t.bad == 0 && t.leaky == 0 && !table_full;
        printf("%-18s N=%lu allocations, %lu runs: %lu succeeded, %lu out of memory, %lu misreported below"
               " libodoo, %lu wrong, %lu leaking (+%lu json-c leaks) (%.1f s)%s\n", pr->name, t.allocations, t.runs,
               t.ok, t.nomem, t.foreign, t.bad, t.leaky, t.foreign_leaks,
               (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, ok ? "" : "  FAILED");
        fflush(stdout);
        ok ? passed++ : failed++;
    }
    json_object_put(domain);
    odoo_mock_stop(mock);
    if (skipped_foreign)
        printf("(%lu allocations not failed: json-c 0.16's tokener crashes when its strdup of a key fails)\n",
               skipped_foreign);
    printf("torture: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
