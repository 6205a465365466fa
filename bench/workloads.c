/* The workloads: the same calls on every protocol, through the helpers.
 * Each library call is in a small function of its own, so that a change
 * of the library's signatures is a change here only.
 *
 * A workload the peers have no call for may name the peers' workload it
 * is compared with (workload.peer): sr20kx8rows against their sr20kx8. */
#include <string.h>

#include "bench.h"

static const char *const fields2[] = { "name", "email", NULL };
static const char *const fields8[] = { "name", "email", "phone", "is_company", "country_id", "city",
                                       "partner_latitude", "write_date", NULL };

#define PAGES 10 /* the paged big read: its records in ten pages (2,000 each by default) */

static int w_version(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    json_object *out = NULL;
    int rc = odoo_version_info(&out, p, err);
    json_object_put(out);
    return rc;
}

static int w_login(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    return odoo_authenticate(NULL, p, err);
}

static int w_count(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    int64_t n;
    return odoo_search_count(&n, p, "res.partner", NULL, err);
}

static int search_read(odoo_protocol *p, const char *const *fields, long offset, long limit, odoo_rpc_error *err)
{
    json_object *out = NULL;
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.fields = fields;
    o.offset = offset;
    o.limit = limit;
    o.order = "id";
    int rc = odoo_search_read(&out, p, "res.partner", &o, err);
    json_object_put(out);
    return rc;
}

static int w_sr1(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    return search_read(p, fields2, 0, 1, err);
}

static int w_sr80(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    return search_read(p, fields8, 0, 80, err);
}

static int w_read1(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    int64_t id = 10;
    json_object *ids = odoo_ids_new(&id, 1), *out = NULL;
    int rc = odoo_read(&out, p, "res.partner", ids, NULL, NULL, err);
    json_object_put(out);
    json_object_put(ids);
    return rc;
}

static int w_big(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    return search_read(p, fields8, 0, cfg->big_records, err);
}

typedef struct {
    long seen, want;
} counter;

static int count_until(json_object *rec, void *payload)
{
    counter *c = payload;
    (void)rec;
    return ++c->seen == c->want ? 1 : 0;
}

/* The same records through odoo_search_read_each: ten pages by id (2,000
 * records each by default), one page in memory at a time. */
static int w_big_paged(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    counter c = { 0, cfg->big_records };
    long page = cfg->big_records / PAGES > 0 ? cfg->big_records / PAGES : 1;
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.fields = fields8;
    o.page_size = page;
    int rc = odoo_search_read_each(p, "res.partner", &o, count_until, &c, err);
    return rc == 1 ? 0 : rc < 0 ? rc : 0;
}

/* Every field of a fields8 record through its typed accessor: strings as
 * views, many2one as id + name, Odoo's false (an empty field) as unset. */
int bench_read_row(const odoo_cursor *row, void *payload)
{
    bench_rows *b = payload;
    if (odoo_cursor_row_count(row) <= 1 || b->rows == 0)
        for (int i = 0; i < 8; i++)
            b->idx[i] = odoo_cursor_field_index(row, fields8[i]);
    const char *s;
    size_t len;
    int64_t id;
    int t;
    double d;
    static const int strings[] = { 0, 1, 2, 5, 7 }; /* name, email, phone, city, write_date */
    for (int i = 0; i < 5; i++) {
        if (odoo_cursor_string(row, b->idx[strings[i]], &s, &len) == ODOO_FIELD_OK)
            b->sum += len + (unsigned char)s[0];
        else
            b->unset++;
    }
    if (odoo_cursor_bool(row, b->idx[3], &t) == ODOO_FIELD_OK)
        b->sum += (unsigned)t;
    else
        b->unset++;
    if (odoo_cursor_many2one(row, b->idx[4], &id, &s, &len) == ODOO_FIELD_OK)
        b->sum += (unsigned long long)id + len;
    else
        b->unset++;
    if (odoo_cursor_double(row, b->idx[6], &d) == ODOO_FIELD_OK)
        b->sum += (unsigned long long)(d * 1e3);
    else
        b->unset++;
    b->rows++;
    return 0;
}

/* The big read through odoo_search_read_rows, one page of all its records
 * (page_size = limit): the request and the answer of sr20kx8, decoded as
 * it arrives instead of whole, so its numbers sit beside sr20kx8's. */
static int w_big_rows(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    bench_rows b = { { 0 }, 0, 0, 0 };
    odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
    o.fields = fields8;
    o.limit = cfg->big_records;
    o.page_size = cfg->big_records;
    int rc = odoo_search_read_rows(p, "res.partner", &o, bench_read_row, &b, err);
    return rc == 0 && b.rows == 0 ? ODOO_ERR_PROTOCOL : rc; /* odoo-mock's archived partners are left out */
}

#define AMORTISED_CALLS 10

/* What a short-lived client pays (a cron job, a CGI script, a device that
 * wakes up): a new connection, its login where the protocol has one, and
 * ten small reads, then close. Where the login is a round trip of its own
 * (XML-RPC, /jsonrpc, the web session) it is spread over the ten calls;
 * JSON-2 has none, but checks the key on every call (on a real Odoo 19
 * that check costs server time; odoo-mock's is free). */
static int w_amortised(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    odoo_options o;
    odoo_protocol_kind kind = odoo_protocol_kind_of(p);
    bench_options_for(&o, cfg, kind);
    odoo_protocol *fresh = NULL;
    int rc = odoo_connect(&fresh, kind, &o, err);
    for (int i = 0; rc == 0 && i < AMORTISED_CALLS; i++)
        rc = search_read(fresh, fields2, 0, 1, err);
    odoo_close(fresh);
    return rc;
}

/* The parallel workload's call, as odoo_call and odoo_multi_add take it:
 * read of one record, 2 fields; cheap on the server (odoo-mock's search
 * over all partners in sr1x2 takes 2 ms, which 16 calls at once would
 * queue for on the CPU the bench is pinned to). */
void parallel_call_args(json_object **ids, json_object **args, json_object **kwargs)
{
    *ids = json_tokener_parse("[10]");
    *args = json_tokener_parse("[]");
    *kwargs = json_tokener_parse("{\"fields\": [\"name\", \"email\"]}");
}

static int w_cud(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    json_object *vals = json_tokener_parse("{\"name\": \"odoo-bench\", \"email\": \"bench@example.com\"}");
    json_object *upd = json_tokener_parse("{\"phone\": \"+32 2 555 00 00\"}"), *id = NULL;
    int rc = odoo_create(&id, p, "res.partner", vals, NULL, err);
    if (rc == 0) {
        int64_t v = (long)json_object_get_int64(id);
        json_object *ids = odoo_ids_new(&v, 1);
        rc = odoo_write(p, "res.partner", ids, upd, NULL, err);
        if (rc == 0)
            rc = odoo_unlink(p, "res.partner", ids, NULL, err);
        json_object_put(ids);
    }
    json_object_put(id);
    json_object_put(vals);
    json_object_put(upd);
    return rc;
}

const workload workloads[] = {
    { "version", "version_info", WL_NO_LOGIN | WL_PEERS, w_version, 1, NULL },
    { "login", "login", WL_NO_LOGIN | WL_NO_FLOOR | WL_PEERS, w_login, 1, NULL },
    { "count", "search_count", WL_PEERS, w_count, 1, NULL },
    { "sr1x2", "search_read 1 record x 2 fields", WL_PEERS, w_sr1, 1, NULL },
    { "sr80x8", "search_read 80 records x 8 fields", WL_PEERS, w_sr80, 1, NULL },
    { "read1all", "read 1 record, all fields", WL_PEERS, w_read1, 1, NULL },
    { "sr20kx8", "search_read {records} records x 8 fields", WL_BIG | WL_PEERS, w_big, 1, NULL },
    /* The peers decode whole: their sr20kx8 is the comparison. */
    { "sr20kx8rows", "search_read_rows: {records} records x 8 fields through the row cursor, every field typed",
      WL_BIG | WL_PEERS | WL_STREAM, w_big_rows, 1, "sr20kx8" },
    { "sr20kx8paged", "search_read_each: {records} records x 8 fields, pages of {page}", WL_BIG | WL_PAGED, w_big_paged,
      PAGES, NULL },
    /* Measured per session (calls_per_run 1), as the peers measure it;
     * its traffic is the fresh connection's, which the counters of the
     * measured one do not see. */
    { "login10", "a new connection: login + 10 x search_read 1 x 2 fields", WL_NO_LOGIN | WL_NO_FLOOR | WL_PEERS,
      w_amortised, 1, NULL },
    { "cud", "create + write + unlink", WL_WRITE | WL_NO_FLOOR, w_cud, 3, NULL },
    /* Measured by parallel.c: sequential calls, batches of 16 at once,
     * many with 16 in flight, under odoo-mock's latency (--latency). */
    { "parallel", "16 connections: read 1 record x 2 fields, 16 at once and 16 in flight vs sequential",
      WL_PARALLEL | WL_NO_FLOOR, NULL, 1, NULL },
    /* Measured by export.c: the CLI's streamed export, against a second
     * odoo-mock of export_partners() records. */
    { "export", "odoo-rpc search-read --all --format ndjson: every partner x 8 fields of a second odoo-mock (200,000; "
      "--quick 20,000)", WL_EXPORT | WL_NO_FLOOR,
      NULL, 1, NULL },
    { NULL, NULL, 0, NULL, 0, NULL },
};

/* 20000 -> "20,000" */
static void thousands(int64_t v, char *out, size_t n)
{
    char digits[32];
    int len = snprintf(digits, sizeof(digits), "%ld", v), k = 0;
    for (int i = 0; i < len && (size_t)k + 2 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
}

void workload_title(const workload *w, int records, char *out, size_t n)
{
    char rec[32], page[32];
    thousands(records, rec, sizeof(rec));
    thousands(records / PAGES > 0 ? records / PAGES : 1, page, sizeof(page));
    size_t k = 0;
    for (const char *t = w->title; *t && k + 1 < n;) {
        const char *v = strncmp(t, "{records}", 9) == 0 ? rec : strncmp(t, "{page}", 6) == 0 ? page : NULL;
        if (v) {
            k += (size_t)snprintf(out + k, n - k, "%s", v);
            if (k >= n)
                k = n - 1;
            t += v == rec ? 9 : 6;
        } else {
            out[k++] = *t++;
        }
    }
    out[k] = '\0';
}

const char *workload_peer(const workload *w)
{
    return w->peer ? w->peer : w->name;
}

const workload *workload_find(const char *name)
{
    for (const workload *w = workloads; w->name; w++)
        if (strcmp(w->name, name) == 0)
            return w;
    return NULL;
}
