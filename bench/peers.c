/* The peers: other Odoo clients on the same workloads against the same
 * server, measured the same way (bench/peers/peers.py runs the Python ones
 * and bench/peers/node/odoo-await.js), merged into the results. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#ifndef ODOO_PEERS_PATH
#define ODOO_PEERS_PATH "bench/peers/peers.py"
#endif

static char *slurp(FILE *f)
{
    size_t cap = 1 << 16, len = 0, got;
    char *buf = malloc(cap);
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 >= cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                return NULL;
            }
            buf = b;
        }
    }
    if (buf)
        buf[len] = '\0';
    return buf;
}

static double num(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && !json_object_is_type(v, json_type_null)
               ? json_object_get_double(v)
               : NAN;
}

static const char *str(json_object *o, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static int from_json(json_object *o, result *r)
{
    const workload *w = workload_find(str(o, "workload"));
    if (!w)
        return -1;
    char *client = strdup(str(o, "client")), *protocol = strdup(str(o, "protocol"));
    if (!client || !protocol) {
        free(client);
        free(protocol);
        return -1;
    }
    result_init(r, client, protocol, w->name);
    json_object *v;
    r->ok = json_object_object_get_ex(o, "ok", &v) && json_object_get_boolean(v);
    snprintf(r->note, sizeof(r->note), "%s", str(o, "note"));
    r->calls = json_object_object_get_ex(o, "calls", &v) ? (long)json_object_get_int64(v) : 0;
    r->median_ms = num(o, "median_ms");
    r->p95_ms = num(o, "p95_ms");
    r->cpu_us = num(o, "cpu_us");
    r->sent_bytes = num(o, "sent_bytes");
    r->recv_bytes = num(o, "recv_bytes");
    r->peak_mb = num(o, "peak_mb");
    return 0;
}

static int listed(const char *list, const char *name)
{
    size_t k = strlen(name);
    const char *p = list;
    while ((p = strstr(p, name)) && !((p == list || p[-1] == ',') && (p[k] == ',' || !p[k])))
        p += k;
    return p != NULL;
}

/* The workloads the peers run, among those asked for: a workload's peer
 * workload (sr20kx8rows: their sr20kx8), each once. */
static void peer_workloads(const char *only, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (const workload *w = workloads; w->name; w++) {
        if (!(w->flags & WL_PEERS) || listed(out, workload_peer(w)))
            continue;
        if (only && !listed(only, w->name))
            continue;
        len += (size_t)snprintf(out + len, n > len ? n - len : 0, "%s%s", len ? "," : "", workload_peer(w));
    }
}

size_t peers_run(const bench_config *cfg, const char *only, result *rs, size_t room, run_info *ri)
{
    const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    char names[256], cmd[4096];
    peer_workloads(only, names, sizeof(names));
    if (!names[0])
        return 0;
    snprintf(cmd, sizeof(cmd),
             "%s '%s' --url '%s' --db '%s' --user '%s' --password '%s' --api-key '%s' --budget %g "
             "--max-calls %ld --warmup %ld --big-runs %ld --records %d --workloads %s%s",
             py, ODOO_PEERS_PATH, cfg->opts.url, cfg->opts.db ? cfg->opts.db : "",
             cfg->opts.login ? cfg->opts.login : "admin", cfg->opts.password ? cfg->opts.password : "",
             cfg->opts.api_key ? cfg->opts.api_key : "", cfg->budget_s, cfg->max_calls, cfg->warmup, cfg->big_runs,
             cfg->big_records, names, isatty(2) ? " --progress" : "");
    FILE *f = popen(cmd, "r");
    char *buf = f ? slurp(f) : NULL;
    if (f)
        pclose(f);
    json_object *doc = buf ? json_tokener_parse(buf) : NULL, *arr, *notes;
    free(buf);
    size_t n = 0;
    if (!doc) {
        snprintf(ri->peers_note, sizeof(ri->peers_note), "the peers did not run (%s)", ODOO_PEERS_PATH);
        return 0;
    }
    if (json_object_object_get_ex(doc, "results", &arr))
        for (size_t i = 0; i < json_object_array_length(arr) && n < room; i++)
            n += from_json(json_object_array_get_idx(arr, i), &rs[n]) == 0;
    if (json_object_object_get_ex(doc, "notes", &notes)) {
        size_t len = 0;
        for (size_t i = 0; i < json_object_array_length(notes) && len < sizeof(ri->peers_note); i++)
            len += (size_t)snprintf(ri->peers_note + len, sizeof(ri->peers_note) - len, "%s%s", i ? "; " : "",
                                    json_object_get_string(json_object_array_get_idx(notes, i)));
    }
    json_object_put(doc);
    return n;
}

void peers_free(result *rs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!result_is_libodoo(&rs[i])) {
            free((char *)rs[i].client);
            free((char *)rs[i].protocol);
        }
    }
}
