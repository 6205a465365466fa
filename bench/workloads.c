/* The workloads: the same calls on every protocol, through the helpers. */
#include "bench.h"

static const char *const fields2[] = { "name", "email", NULL };
static const char *const fields8[] = { "name", "email", "phone", "is_company", "country_id", "city",
                                       "partner_latitude", "write_date", NULL };

#define PAGE 2000

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
    long long n;
    return odoo_search_count(&n, p, "res.partner", NULL, NULL, err);
}

static int search_read(odoo_protocol *p, const char *const *fields, long offset, long limit, odoo_rpc_error *err)
{
    json_object *out = NULL;
    int rc = odoo_search_read(&out, p, "res.partner", NULL, fields, offset, limit, "id", NULL, err);
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
    long id = 10;
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

/* The same records through odoo_search_read_each: pages of 2,000 by id,
 * one page in memory at a time. */
static int w_big_paged(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    counter c = { 0, cfg->big_records };
    int rc = odoo_search_read_each(p, "res.partner", NULL, fields8, PAGE, NULL, count_until, &c, err);
    return rc == 1 ? 0 : rc < 0 ? rc : 0;
}

static int w_cud(odoo_protocol *p, const bench_config *cfg, odoo_rpc_error *err)
{
    json_object *vals = json_tokener_parse("{\"name\": \"odoo-bench\", \"email\": \"bench@example.com\"}");
    json_object *upd = json_tokener_parse("{\"phone\": \"+32 2 555 00 00\"}"), *id = NULL;
    int rc = odoo_create(&id, p, "res.partner", vals, NULL, err);
    if (rc == 0) {
        long v = (long)json_object_get_int64(id);
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
    { "version", "version_info", 0, 0, w_version, 1 },
    { "login", "login", 0, 0, w_login, 1 },
    { "count", "search_count", 0, 0, w_count, 1 },
    { "sr1x2", "search_read 1 record x 2 fields", 0, 0, w_sr1, 1 },
    { "sr80x8", "search_read 80 records x 8 fields", 0, 0, w_sr80, 1 },
    { "read1all", "read 1 record, all fields", 0, 0, w_read1, 1 },
    { "sr20kx8", "search_read 20,000 records x 8 fields", 1, 0, w_big, 1 },
    { "sr20kx8paged", "search_read_each: 20,000 records x 8 fields in pages of 2,000", 1, 0, w_big_paged, 10 },
    { "cud", "create + write + unlink", 0, 1, w_cud, 3 },
    { NULL, NULL, 0, 0, NULL, 0 },
};
