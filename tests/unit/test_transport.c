/* The one transport: failures map to kinds, limits hold, the connection
 * stays alive and usable, secrets never reach a trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>
#include <odoo/sys/protocol.h>

#include "rawserver.h"
#include "replay_server.h"

static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static int version_at(const char *url, long timeout_ms, size_t max, odoo_protocol **keep)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = url;
    o.timeout_ms = timeout_ms;
    o.max_response_bytes = max;
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_JSONRPC, &o, &err), 0, "%s", err.message);
    json_object *info = NULL;
    int rc = odoo_version_info(&info, p, &err);
    json_object_put(info);
    if (keep)
        *keep = p;
    else
        odoo_close(p);
    return rc;
}

Test(transport, connection_refused)
{
    char url[64];
    raw_closed_port_url(url, sizeof(url));
    cr_expect_eq(version_at(url, 0, 0, NULL), ODOO_ERR_CONNECT, "%s", err.message);
    cr_expect_eq(err.http_status, 0);
    cr_expect_str_eq(err.method, "version_info");
    odoo_rpc_error_clear(&err);
}

Test(transport, unknown_host)
{
    cr_expect_eq(version_at("http://nonexistent.invalid", 0, 0, NULL), ODOO_ERR_DNS, "%s", err.message);
    odoo_rpc_error_clear(&err);
}

Test(transport, timeout, .timeout = 20)
{
    raw_server *s = raw_start(RAW_SILENT);
    cr_expect_eq(version_at(raw_url(s), 300, 0, NULL), ODOO_ERR_TIMEOUT, "%s", err.message);
    raw_stop(s);
    odoo_rpc_error_clear(&err);
}

Test(transport, truncated_body_and_empty_reply)
{
    raw_server *s = raw_start(RAW_TRUNCATE);
    cr_expect_eq(version_at(raw_url(s), 5000, 0, NULL), ODOO_ERR_NETWORK, "%s", err.message);
    raw_stop(s);
    s = raw_start(RAW_CLOSE);
    cr_expect_eq(version_at(raw_url(s), 5000, 0, NULL), ODOO_ERR_NETWORK, "%s", err.message);
    raw_stop(s);
    odoo_rpc_error_clear(&err);
}

Test(transport, response_cap_then_connection_still_usable)
{
    replay_server *srv = replay_start(NULL, NULL);
    size_t n = 3 << 20;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[n] = '\0';
    replay_expect_raw(srv, 200, "application/json", big, NULL);
    odoo_protocol *p = NULL;
    cr_expect_eq(version_at(replay_url(srv), 0, 1 << 20, &p), ODOO_ERR_TOO_LARGE, "%s", err.message);
    cr_expect(strstr(err.message, "max_response_bytes") != NULL);
    /* the same connection answers the next call */
    replay_expect(srv, "odoo19/jsonrpc-session/01-version_info.json");
    json_object *info = NULL;
    cr_expect_eq(odoo_version_info(&info, p, &err), 0, "%s", err.message);
    json_object_put(info);
    odoo_close(p);
    replay_stop(srv);
    free(big);
    odoo_rpc_error_clear(&err);
}

Test(transport, keep_alive_reuses_one_connection)
{
    replay_server *srv = replay_start(NULL, NULL);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_JSONRPC, &o, &err), 0);
    for (int i = 0; i < 5; i++) {
        replay_expect(srv, "odoo19/jsonrpc-session/01-version_info.json");
        json_object *info = NULL;
        cr_assert_eq(odoo_version_info(&info, p, &err), 0, "%s", err.message);
        json_object_put(info);
    }
    odoo_stats st;
    cr_assert_eq(odoo_stats_get(&st, p), 0);
    cr_expect_eq(st.connections, 1, "one TCP connection for five calls");
    cr_expect_eq(st.requests, 5);
    odoo_close(p);
    replay_stop(srv);
}

static char trace_buf[1 << 16];

static void collect(const char *line, void *payload)
{
    (void)payload;
    strncat(trace_buf, line, sizeof(trace_buf) - strlen(trace_buf) - 2);
    strcat(trace_buf, "\n");
}

Test(transport, trace_masks_secrets)
{
    replay_server *srv = replay_start(NULL, NULL);
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = replay_url(srv);
    o.db = "odoo19";
    o.login = "admin";
    o.password = "Sup3r-S3cret";
    o.api_key = "0123456789abcdef0123456789abcdef01234567";
    o.trace = collect;
    odoo_protocol *p = NULL;
    trace_buf[0] = '\0';
    cr_assert_eq(odoo_connect(&p, ODOO_PROTOCOL_JSONRPC, &o, &err), 0);
    replay_expect(srv, "odoo19/jsonrpc-session/05-authenticate-ok.json");
    replay_expect(srv, "odoo19/jsonrpc-session/11-call_kw-search_count.json");
    int64_t n;
    cr_assert_eq(odoo_search_count(&n, p, "res.partner", NULL, &err), 0, "%s", err.message);
    odoo_close(p);
    cr_expect(strstr(trace_buf, "Sup3r-S3cret") == NULL, "%s", trace_buf);
    cr_expect(strstr(trace_buf, "0123456789abcdef") == NULL);
    cr_expect(strstr(trace_buf, "\"password\":\"***\"") != NULL, "%s", trace_buf);
    cr_expect(strstr(trace_buf, "> Cookie ***") != NULL, "%s", trace_buf);
    cr_expect(strstr(trace_buf, "/web/dataset/call_kw/res.partner/search_count") != NULL);
    cr_expect(strstr(trace_buf, "i8URLpuJ") == NULL, "the session id stays out of the trace");
    replay_stop(srv);
    odoo_rpc_error_clear(&err);
}

Test(transport, credentials_in_the_url_stay_out_of_errors)
{
    char url[96], withcreds[160];
    raw_closed_port_url(url, sizeof(url));
    snprintf(withcreds, sizeof(withcreds), "http://bob:hunter2secret@%s", url + 7);
    cr_expect_eq(version_at(withcreds, 0, 0, NULL), ODOO_ERR_CONNECT, "%s", err.message);
    cr_expect(strstr(err.message, "hunter2secret") == NULL, "%s", err.message);
    cr_expect(strstr(err.message, "***@127.0.0.1") != NULL, "%s", err.message);
    odoo_rpc_error_clear(&err);
}
