/* ODOO_PROTOCOL_AUTO: probe the server's version once and pick a protocol.
 *
 * What the numbers measured on real Odoo 19 say: JSON-2 needs no login
 * but re-hashes the bearer key on every request (~3.5 ms a call), while a
 * web-session login costs ~350 ms once and then each call is the cheapest
 * of all protocols. COMPAT picks what the version recommends; THROUGHPUT
 * picks the session when a password allows it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/client.h"
#include "registry.h"
#include "../errors/error_internal.h"
#include "base.h"
#include "select.h"
#include "value.h"

const odoo_adapter *odoo__choose(const odoo_server_facts *facts, const char **rule)
{
    const odoo_adapter *best = NULL;
    int best_rank = 0;
    *rule = "";
    /* The probe that answered alone, when it is the only protocol that
     * server speaks among those probed first. */
    if (facts->answered && (facts->answered->flags & ODOO_ADAPTER_SOLE_ANSWER)) {
        *rule = "only it answered";
        return facts->answered;
    }
    for (size_t i = 0;; i++) {
        const odoo_adapter *a = odoo_adapter_at(i);
        if (!a)
            break;
        const char *why = "";
        int r = a->rank && !(a->flags & ODOO_ADAPTER_GATEWAY) ? a->rank(facts, &why) : 0;
        if (r > best_rank) {
            best_rank = r;
            best = a;
            *rule = why ? why : "";
        }
    }
    return best;
}

/* A probe failure that is not "this protocol is not spoken here": the
 * server (or what stands in front of it) would answer every other probe
 * the same way, so it is reported as what it is, with its kind, status
 * and Retry-After, instead of "no Odoo protocol answered". */
static int transport_failure(int kind)
{
    return odoo_error_is_transient((odoo_error_kind)kind) || kind == ODOO_ERR_DNS || kind == ODOO_ERR_TLS ||
           kind == ODOO_ERR_INVALID_ARGUMENT || kind == ODOO_ERR_NOMEM || kind == ODOO_ERR_AUTH ||
           kind == ODOO_ERR_TOO_LARGE;
}

/* Say which probe met the failure, keeping everything else of err. */
static void name_probe(odoo_rpc_error *err, const char *what)
{
    if (!err || !err->message)
        return;
    size_t n = strlen(err->message) + strlen(what) + 32;
    char *m = malloc(n);
    if (m) {
        snprintf(m, n, "%s (AUTO probe: %s)", err->message, what);
        odoo__error_set_message(err, m); /* keeps the old text when out of memory */
        free(m);
    }
}

/* Ask one adapter for the version; on success *conn keeps the open
 * connection (so it can be reused) and *info the answer. */
static int probe(const odoo_adapter *a, const odoo_options *opts, odoo_protocol **conn,
                 json_object **info, odoo_rpc_error *err)
{
    *info = NULL;
    /* One transport for every probe and the chosen protocol: one TCP and
     * TLS connection instead of one per probe. */
    int rc = *conn ? odoo__rebind(*conn, a, err) : odoo__open_adapter(conn, a, opts, err);
    if (rc == 0)
        rc = odoo_version_info(info, *conn, err);
    if (rc == 0 && !json_object_is_type(*info, json_type_object))
        rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "the version answer is not an object");
    if (rc != 0) {
        json_object_put(*info);
        *info = NULL;
    }
    return rc;
}

int odoo__select_and_open(odoo_protocol **out, const odoo_options *opts, odoo_rpc_error *err)
{
    if (!out)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!opts)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "opts is NULL");
    if (opts->proxy_url && *opts->proxy_url) {
        /* A gateway was named: everything goes through it. */
        const odoo_adapter *gw = NULL;
        for (size_t i = 0; !gw && odoo_adapter_at(i); i++)
            if (odoo_adapter_at(i)->flags & ODOO_ADAPTER_GATEWAY)
                gw = odoo_adapter_at(i);
        if (!gw)
            return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "a gateway URL is given but no gateway adapter "
                                   "is registered");
        int rc = odoo__open_adapter(out, gw, opts, err);
        char reason[128];
        snprintf(reason, sizeof(reason), "a gateway URL is given: calls go through %s", gw->name);
        if (rc == 0 && !((*out)->reason = odoo__strdup(reason))) {
            odoo_close(*out);
            *out = NULL;
            return odoo__error_nomem(err);
        }
        return rc;
    }
    /* The probes, lowest probe_order first. */
    const odoo_adapter *probes[32];
    size_t np = 0;
    for (size_t i = 0; odoo_adapter_at(i) && np < 32; i++) {
        const odoo_adapter *a = odoo_adapter_at(i);
        if (a->probe_order <= 0 || (a->flags & ODOO_ADAPTER_GATEWAY))
            continue;
        size_t j = np++;
        for (; j > 0 && probes[j - 1]->probe_order > a->probe_order; j--)
            probes[j] = probes[j - 1];
        probes[j] = a;
    }
    char tried[1024] = "";
    odoo_protocol *conn = NULL;
    json_object *info = NULL;
    size_t i;
    int rc = ODOO_ERR_PROTOCOL;
    for (i = 0; i < np; i++) {
        const char *what = probes[i]->probe_what ? probes[i]->probe_what : probes[i]->name;
        rc = probe(probes[i], opts, &conn, &info, err);
        if (rc == 0)
            break;
        size_t used = strlen(tried);
        snprintf(tried + used, sizeof(tried) - used, "%s%s: %s", used ? "; " : "", what,
                 err && err->message ? err->message : odoo_error_kind_name(rc));
        if (transport_failure(rc) || !conn) {
            name_probe(err, what);
            odoo_close(conn);
            return rc; /* nothing else will answer either */
        }
    }
    if (rc != 0) {
        odoo_close(conn);
        odoo_error_kind kind = (odoo_error_kind)rc;
        char *shown = odoo__url_for_display(opts->url);
        odoo__error_set(err, kind == ODOO_ERR_NOMEM ? kind : ODOO_ERR_PROTOCOL,
                        "no Odoo protocol answered at %s (tried %s)", shown ? shown : "the URL", tried);
        free(shown);
        return kind == ODOO_ERR_NOMEM ? kind : ODOO_ERR_PROTOCOL;
    }

    odoo_server_facts facts = { odoo_server_version(conn), opts->api_key && *opts->api_key,
                                opts->password && *opts->password, opts->prefer, probes[i] };
    const char *rule = "";
    const odoo_adapter *chosen = odoo__choose(&facts, &rule);
    if (!chosen)
        chosen = probes[i];
    char reason[512], sole[96];
    snprintf(sole, sizeof(sole), "only %s answered", probes[i]->probe_what ? probes[i]->probe_what : probes[i]->name);
    json_object *sv = NULL;
    json_object_object_get_ex(info, "server_version", &sv);
    snprintf(reason, sizeof(reason), "Odoo %s answered %s; %s (%s)",
             sv ? json_object_get_string(sv) : "(unknown version)",
             probes[i]->probe_what ? probes[i]->probe_what : probes[i]->name,
             chosen == probes[i] && (probes[i]->flags & ODOO_ADAPTER_SOLE_ANSWER) ? sole : rule,
             opts->prefer == ODOO_PREFER_THROUGHPUT ? "prefer throughput" : "prefer compatibility");
    json_object_put(info);

    if (chosen != probes[i]) {
        int major = facts.server_major;
        if ((rc = odoo__rebind(conn, chosen, err)) != 0) {
            odoo_close(conn);
            return rc;
        }
        conn->server_major = major;
    }
    if (!(conn->reason = odoo__strdup(reason))) {
        odoo_close(conn);
        return odoo__error_nomem(err);
    }
    *out = conn;
    return 0;
}

static int add_str(json_object *o, const char *k, const char *v)
{
    return odoo__object_add(o, k, v ? json_object_new_string(v) : NULL);
}

int odoo_probe(json_object **out, const odoo_options *opts, odoo_rpc_error *err)
{
    if (!out) { /* NULL out: probe anyway, discard the answer */
        json_object *discard = NULL;
        int rc = odoo_probe(&discard, opts, err);
        json_object_put(discard);
        return rc;
    }
    *out = NULL;
    if (!opts)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "opts is NULL");
    json_object *doc = json_object_new_object(), *protocols = json_object_new_object();
    char *shown = odoo__url_for_display(opts->url ? opts->url : "");
    int bad = !doc || !protocols || !shown || odoo__object_add(doc, "url", json_object_new_string(shown));
    free(shown);
    if (bad || odoo__object_add(doc, "protocols", protocols)) {
        if (bad)
            json_object_put(protocols); /* not attached to doc yet */
        json_object_put(doc);
        return odoo__error_nomem(err);
    }
    const char *server_version = NULL;
    int answered = 0, rc = 0;
    /* Every registered adapter that talks to Odoo itself (a gateway
     * needs its own URL), each on its own connection: a report. */
    for (size_t i = 0; odoo_adapter_at(i); i++) {
        const odoo_adapter *a = odoo_adapter_at(i);
        if (a->flags & ODOO_ADAPTER_GATEWAY)
            continue;
        odoo_protocol *conn = NULL;
        json_object *info = NULL, *entry = json_object_new_object();
        odoo_rpc_error perr = ODOO_RPC_ERROR_INIT;
        if (!entry || odoo__object_add(protocols, a->name, entry)) {
            json_object_put(doc);
            return odoo__error_nomem(err);
        }
        rc = probe(a, opts, &conn, &info, &perr);
        if (rc == 0) {
            json_object *v = NULL;
            json_object_object_get_ex(info, "server_version", &v);
            answered++;
            odoo__object_add(entry, "available", json_object_new_boolean(1));
            odoo__object_add_value(entry, "server_version", v ? json_object_get(v) : NULL);
            if (!server_version && v)
                add_str(doc, "server_version", server_version = json_object_get_string(v));
        } else {
            json_object *e = json_object_new_object();
            odoo__object_add(entry, "available", json_object_new_boolean(0));
            if (e) {
                add_str(e, "kind", odoo_error_kind_name(perr.kind));
                add_str(e, "message", perr.message);
                if (perr.http_status)
                    odoo__object_add(e, "http_status", json_object_new_int64(perr.http_status));
                odoo__object_add(entry, "error", e);
            }
        }
        json_object_put(info);
        odoo_close(conn);
        if (rc != 0 && transport_failure(rc) && answered == 0) {
            /* Nothing listens there (or TLS fails): no point asking again. */
            odoo__error_set(err, perr.kind, "%s", perr.message ? perr.message : odoo_strerror(perr.kind));
            if (err)
                err->http_status = perr.http_status;
            odoo_rpc_error_clear(&perr);
            json_object_put(doc);
            return rc;
        }
        odoo_rpc_error_clear(&perr);
    }
    *out = doc;
    return 0;
}
