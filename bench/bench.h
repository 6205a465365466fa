/* odoo-bench: shared declarations.
 *
 * Where things are: workloads.c (the calls, the only file besides
 * measure.c, parallel.c and floor.c that calls libodoo), decode.c (decode
 * rates of a streamed workload's answer), measure.c (timing
 * one client on one workload), parallel.c (the parallel workload: many
 * connections through one odoo_multi), floor.c (the bare libcurl floor), peers.c (the Python
 * and Node peers), mock.c (starting odoo-mock), env.c (the run's header:
 * date, commit, machine), report.c (units, columns, lookups shared by the
 * reports), verdict.c (the verdict derived from the numbers),
 * report_md.c, report_csv.c, report_svg.c (the outputs), main.c. */
#ifndef ODOO_BENCH_H
#define ODOO_BENCH_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>
#include <json-c/json.h>
#include <odoo.h>
#include <odoo/cursor.h>

#define MAX_SAMPLES 20000
#define MAX_RESULTS 160
#define MAX_RUNS 9

/* The parallel workload's own figures (parallel.c); NAN elsewhere. */
#define PAR_CONNS 16
/* Its batch behind nginx (h2.c): H2_CALLS calls at once on json2. */
#define H2_CALLS 64
typedef struct h2_side {
    double batch_ms;           /* a batch of H2_CALLS from cold: median wall time */
    double connections;        /* TCP connections (each a TLS handshake) one batch opened: the most of any */
    long http2, http11;        /* the batches' requests nginx logged as HTTP/2.0, HTTP/1.1 */
} h2_side;
typedef struct h2_result {
    int tried;                 /* 0: not on this row (json2's only) */
    char note[160];            /* why not measured; "" when measured */
    long rounds;               /* measured batches per nginx */
    h2_side h2, h1;            /* nginx offering h2 (ALPN), nginx with HTTP/1.1 only */
} h2_result;
typedef struct par_result {
    double latency_ms;         /* the latency injected into odoo-mock for it; NAN: the server's own (--url) */
    long seq_calls;            /* sequential calls on one connection */
    long batch_rounds;         /* batches of PAR_CONNS calls at once, one per connection */
    long many_calls;           /* calls in one multi, PAR_CONNS in flight (PAR_CONNS connections) */
    double one_ms;             /* one call alone: median of the sequential calls */
    double batch_ms;           /* a batch of PAR_CONNS: median */
    double scaling;            /* PAR_CONNS x one_ms / batch_ms: PAR_CONNS is perfect */
    double seq_rate, many_rate; /* calls per second, sequential and many_calls with PAR_CONNS in flight */
    double rate_x;             /* many_rate / seq_rate */
    double conn_setup;         /* TCP connections opened by the logins and warm-up (each a TCP handshake) */
    double conn_measured;      /* opened during the measurement (0: every call reused one) */
    double cpu_multi_us, cpu_seq_us; /* client CPU per call: in the many_calls multi, sequential */
    h2_result nginx;           /* behind nginx, json2 only */
} par_result;

/* The decode rates of one captured answer of a WL_STREAM workload
 * (decode.c), MB/s of 10^6 B, best of DEC_RUNS; NAN when not measured. */
#define DEC_RUNS 10
typedef struct dec_result {
    double body_bytes;         /* the answer's body, as the floor received it */
    double cursor_wall, cursor_cpu;   /* odoo_cursor and the workload's row callback */
    double tokener_wall, tokener_cpu; /* json_tokener_parse */
    double python_wall, python_cpu;   /* python3's json.loads (a subprocess) */
} dec_result;

/* The export workload's own figures (export.c); NAN elsewhere. */
typedef struct exp_result {
    int partners;              /* the second odoo-mock's generated partners */
    double records;            /* NDJSON lines odoo-rpc wrote */
    double count;              /* odoo-rpc count res.partner '[]' */
    double bytes;              /* its output */
    double base_mb;            /* peak RSS of the same command with --limit 1 */
} exp_result;

/* One client on one workload. Numbers are NAN when not measured. */
typedef struct result {
    const char *client;        /* "libodoo" or a peer's id ("py-xmlrpc", ...), static or owned by the run */
    const char *protocol;      /* wire protocol: "xmlrpc", "jsonrpc", "jsonrpc-stateless", "json2", "odxproxy" */
    const char *workload;      /* workload name (static) */
    int ok;                    /* 0: not measured, the reason is in note */
    char note[160];
    long calls;                /* HTTP requests measured */
    double median_ms, p95_ms;  /* wall latency per request */
    double cpu_us;             /* client CPU per request: user + system of the client process */
    int runs;                  /* runs that measured it (--runs); cpu_us is the median one's */
    double cpu_lo_us, cpu_hi_us; /* the lowest and highest cpu_us of those runs (NAN: one run) */
    double sent_bytes, recv_bytes; /* per request, on the wire, headers included */
    double peak_mb;            /* big workloads: the first call's own peak RSS */
    double floor_curl_us;      /* CPU per request of the same bytes on a bare libcurl handle */
    double floor_parse_us;     /* the same plus a bare json-c / xmlrpc-c parse (>= floor_curl_us) */
    par_result par;            /* the parallel workload only */
    dec_result dec;            /* WL_STREAM on the JSON protocols only */
    exp_result exp;            /* WL_EXPORT only */
} result;

void result_init(result *r, const char *client, const char *protocol, const char *wname);
/* 1 when r is one of libodoo's own rows. */
int result_is_libodoo(const result *r);

typedef struct bench_config {
    odoo_options opts;
    int write;
    int quick;
    double budget_s;           /* per client x workload (x3 for big ones) */
    long max_calls;
    long warmup;               /* calls before measuring (small workloads) */
    long big_runs;             /* measured calls of a big workload */
    int big_records;
    int no_floor;
    double floor_share;        /* requests replayed on the floor per library request (1; --quick 1/3) */
    double latency_ms;         /* the parallel workload's mock latency (--latency; 50 by default) */
    int runs;                  /* --runs: the whole measurement repeated (1 to MAX_RUNS) */
    const char *mock_url;      /* odoo-mock's URL, to inject faults; NULL with --url */
    const char *mock_path;     /* the odoo-mock program (--mock) and its --odoo-version */
    int mock_version;
} bench_config;

/* Workload flags. To add a workload, add an entry to workloads[] with its
 * flags; the measurement reads only these (measure.c), the peers run the
 * ones marked WL_PEERS by name (peers/peers.py, peers/node/odoo-await.js). */
#define WL_BIG       (1u << 0)  /* large result: peak memory in a child process, fewer runs */
#define WL_WRITE     (1u << 1)  /* changes data: only with --write (always on odoo-mock) */
#define WL_NO_LOGIN  (1u << 2)  /* measured without logging in first (version, login) */
#define WL_NO_FLOOR  (1u << 3)  /* no bare-libcurl floor (several requests per run, or login) */
#define WL_PAGED     (1u << 4)  /* several requests per run: the floor is scaled to the average page */
#define WL_PEERS     (1u << 5)  /* the peers run it too */
#define WL_PARALLEL  (1u << 6)  /* PAR_CONNS connections at once through odoo_multi, under a mock latency:
                                   parallel.c measures it (run is NULL); not in the verdict's scores */
#define WL_STREAM    (1u << 7)  /* records through odoo_search_read_rows' row cursor: the decode rates of
                                   its answer (decode.c) and issue 12's targets (report_md.c, verdict.c) */
#define WL_EXPORT    (1u << 8)  /* odoo-rpc search-read --all of a second, larger odoo-mock: export.c measures
                                   it (run is NULL); not in the verdict's scores nor the chart */

typedef struct workload {
    const char *name;
    const char *title;
    unsigned flags;
    /* one run; returns 0 or a negative odoo_error_kind */
    int (*run)(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err);
    int calls_per_run;         /* library calls made by one run */
    const char *peer;          /* WL_PEERS: the peers' workload it is compared with (NULL: its own name) */
} workload;

extern const workload workloads[];
const workload *workload_find(const char *name);
/* The peers' workload w is compared with: w->peer or w->name. */
const char *workload_peer(const workload *w);
/* The title with the run's record counts in it. */
void workload_title(const workload *w, int records, char *out, size_t n);

/* The libodoo protocols measured, in report order. */
typedef struct protocol_info {
    odoo_protocol_kind kind;
    const char *name;          /* odoo_protocol_kind_name() */
    const char *label;         /* for people: "json2 (API key)" */
} protocol_info;
extern const protocol_info protocols[];
extern const size_t nprotocols;

/* --- libodoo calls (workloads.c, measure.c, floor.c) --- */

/* Options for one protocol kind: the gateway members for ODXProxy. */
void bench_options_for(odoo_options *o, const bench_config *cfg, odoo_protocol_kind kind);
/* A connection of that kind, with bench_options_for's options. */
int bench_connect(odoo_protocol **p, const bench_config *cfg, odoo_protocol_kind kind, odoo_rpc_error *err);
/* The server's version as odoo_version_info answers it ("19.0"), through
 * the first protocol that answers; 0 or -1. */
int bench_server_version(const bench_config *cfg, char *out, size_t n);

/* Measure one protocol on one workload (r filled). */
void bench_measure(const bench_config *cfg, const protocol_info *pi, const workload *w, result *r);
/* The parallel workload (parallel.c), called by bench_measure. */
void parallel_measure(const bench_config *cfg, const protocol_info *pi, const workload *w, result *r);
/* Its batch behind nginx (h2.c), on odoo-mock only; the reason in out->note when not measured. */
void h2_measure(const bench_config *cfg, h2_result *out);
/* The median of v[0..n-1] (sorts v; parallel.c). */
double bench_median(double *v, long n);
/* The call of the parallel workload: read 1 record x 2 fields as
 * odoo_call / odoo_multi_add arguments (workloads.c; new references). */
void parallel_call_args(json_object **ids, json_object **args, json_object **kwargs);

/* The export workload (export.c), called by bench_measure; the partners
 * of its odoo-mock (200,000; --quick 20,000). */
void export_measure(const bench_config *cfg, const protocol_info *pi, const workload *w, result *r);
int export_partners(const bench_config *cfg);

/* The floor: one captured request replayed on a bare libcurl handle. */
typedef struct bench_floor bench_floor;
/* Make the floor of the request w's last run sent on p (NULL: none). */
bench_floor *floor_new(odoo_protocol *p, odoo_protocol_kind kind, const bench_config *cfg, const workload *w);
/* Replay it calls times, adding up the CPU spent in curl and in the parse. */
long floor_done(const bench_floor *f);    /* requests replayed so far */
int floor_run(bench_floor *f, long calls);
/* Per request, into r (scaled to r->recv_bytes for paged workloads). */
void floor_result(const bench_floor *f, int paged, result *r);
void floor_free(bench_floor *f);
/* The body of the last answer the floor received (NULL before any). */
const char *floor_answer(const bench_floor *f, size_t *len);

/* The decode rates of body (NUL-terminated) into r->dec (decode.c). */
void decode_measure(const char *body, size_t len, result *r);
/* The row callback of the streamed workload: every field of a
 * res.partner record through its typed accessor (workloads.c). */
typedef struct bench_rows {
    long idx[8];               /* the fields' indices, looked up on each answer's first record */
    long rows, unset;          /* records read, fields false or null */
    unsigned long long sum;    /* of the values read, so that none is optimised away */
} bench_rows;
int bench_read_row(const odoo_cursor *row, void *payload); /* payload: a bench_rows, zeroed */

/* --- the run --- */

typedef struct run_info {
    char date[32];             /* UTC, ISO 8601 */
    char commit[64];
    char machine[256];         /* uname -srm */
    char cpu[160];             /* /proc/cpuinfo model name */
    long cores;
    char client[192];          /* libodoo's version and the libcurl loaded (it moves the multi's cost) */
    char server_url[256];
    char server_kind[64];      /* "odoo-mock (started by odoo-bench)" or "given with --url" */
    char server_version[64];   /* as odoo_version_info answers, "n/a" */
    int odoo_major;            /* 0: unknown */
    char gateway[256];         /* ODXProxy gateway URL or "n/a" */
    int big_records;           /* records of the big reads */
    char command[1024];        /* the command line */
    char budget[512];          /* calls and budget, in words */
    char peers_note[512];      /* what the peers said (missing packages...) */
    char pinning[256];         /* where the client and the server ran */
} run_info;

void run_info_fill(run_info *ri, int argc, char **argv, const bench_config *cfg);
/* Pin this process (and so odoo-mock and the peers it starts) to one CPU:
 * no cross-core wake-ups in the numbers. The CPU, or -1. */
int pin_one_cpu(void);

/* Peers (Python and Node), appended to rs; returns how many. */
size_t peers_run(const bench_config *cfg, const char *only, result *rs, size_t room, run_info *ri);
void peers_free(result *rs, size_t n);

/* odoo-mock (mock.c). */
typedef struct mock_info {
    char url[128], db[64], api_key[64], proxy_key[64];
} mock_info;
int mock_start(const char *path, int version, int partners, mock_info *out);
/* Another odoo-mock, its process in *pid (the caller stops it with SIGTERM
 * and waitpid); 0 or -1. mock_start's is stopped by mock_stop. */
int mock_spawn(const char *path, int version, int partners, mock_info *out, pid_t *pid);
void mock_stop(void);
/* Through odoo-mock's control endpoint at url: add a fault (its JSON
 * spec), or with spec NULL clear them all; 0 or -1. */
int mock_fault(const char *url, const char *spec);

/* --runs (runs.c): runs[r][0..counts[r]) the results of run r, merged
 * into out (at most room rows, in run 0's order): each row the copy of
 * the run with the median client CPU, the spread in cpu_lo_us/cpu_hi_us.
 * The copies borrow their strings from the runs' arrays. */
size_t runs_merge(result *out, size_t room, result *const *runs, const size_t *counts, int nruns);

/* --- reports --- */

void report_markdown(const run_info *ri, const result *rs, size_t n, FILE *f);
int report_csv(const run_info *ri, const result *rs, size_t n, const char *path);
int report_svg(const run_info *ri, const result *rs, size_t n, const char *path);

/* Progress on stderr, only when it is a terminal. */
void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void progress_done(void);

double now_s(void);
double cpu_s(void);

#endif
