/* A search_read answer read as it arrives (rows.h): the transport's body
 * sink feeds a cursor, each record goes to the caller from inside the
 * transfer, and the adapter's decode still reads what the answer says
 * around the records. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/cursor.h"
#include "../errors/error_internal.h"
#include "registry.h"
#include "rows.h"
#include "value.h"

#define GIVE_STOP 1 /* give(): the callback asked to stop */
#define GIVE_ROW 2  /* give(): pulled, the record waits for its consumer */

/* Records per page when they are decoded whole (an adapter without
 * ODOO_CAP_STREAM_ROWS, a third party's): a page in memory. */
#define DOM_PAGE_SIZE 1000

int odoo__stream_supported(const odoo_protocol *p)
{
    unsigned caps = p->ops->caps;
    return (caps & ODOO_CAP_STREAM_ROWS) && ODOO_CAP_ROWS_SHAPE_OF(caps) != ODOO_CURSOR_AUTO;
}

static void drop_cursor(odoo__stream *s)
{
    odoo_cursor_free(s->cur);
    s->cur = NULL;
    s->id_at = -1;
}

/* One record to the caller (c the cursor on it, or rec a json-c object),
 * after its id: keyset paging needs ids that only grow. */
static int give(odoo__stream *s, const odoo_cursor *c, json_object *rec, odoo_rpc_error *err)
{
    int64_t id = 0;
    int ok;
    if (c) {
        if (s->id_at < 0)
            s->id_at = odoo_cursor_field_index(c, "id");
        ok = odoo_cursor_int64(c, s->id_at, &id) == ODOO_FIELD_OK;
    } else {
        json_object *v = NULL;
        ok = json_object_object_get_ex(rec, "id", &v) && json_object_is_type(v, json_type_int);
        id = ok ? json_object_get_int64(v) : 0;
    }
    if (!ok || id <= s->last_id)
        return odoo__error_set(err, ODOO_ERR_PROTOCOL, "search_read answered records out of id order");
    s->last_id = id;
    s->delivered++;
    s->total++;
    if (s->pull)
        return GIVE_ROW;
    int rc;
    if (s->out->row) {
        rc = s->out->row(c, s->out->payload);
    } else if (rec) {
        rc = s->out->record(rec, s->out->payload);
    } else {
        json_object *o = odoo_cursor_record(c);
        if (!o)
            return odoo__error_nomem(err);
        rc = s->out->record(o, s->out->payload);
        json_object_put(o);
    }
    if (rc == 0)
        return 0;
    s->stop = 1;
    s->stop_rc = rc;
    return GIVE_STOP;
}

/* Hand out what the cursor has: 0 when it wants more or is done (or, once
 * finished, read no records: the adapter says what the answer is),
 * GIVE_STOP, GIVE_ROW (pulled: one record at a time), or an error kind. */
static int pump(odoo__stream *s, odoo_cursor *c, int finished, odoo_rpc_error *err)
{
    for (;;) {
        int rc = odoo_cursor_next(c, err);
        if (rc == ODOO_CURSOR_ROW) {
            if ((rc = give(s, c, NULL, err)) != 0)
                return rc;
            continue;
        }
        if (rc >= 0)
            return 0; /* MORE, DONE */
        size_t n;
        int whole;
        odoo__cursor_envelope(c, &n, &whole);
        if (whole && finished) {
            odoo_rpc_error_clear(err);
            return 0;
        }
        return rc;
    }
}

/* The sink's halves: a cursor for a 2xx JSON answer, then its bytes. */
static int on_begin(void *payload, long status, const char *content_type)
{
    odoo__stream *s = payload;
    odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
    o.shape = ODOO_CAP_ROWS_SHAPE_OF(s->p->ops->caps);
    o.http_status = status;
    o.content_type = content_type;
    o.expected_id = o.shape == ODOO_CURSOR_JSONRPC ? s->p->request_id : 0;
    drop_cursor(s);
    s->cur = odoo_cursor_new(&o);
    return s->cur ? 0 : 1; /* without memory for a cursor, the buffered path */
}

static int on_write(void *payload, const char *data, size_t len)
{
    odoo__stream *s = payload;
    if (s->pull) { /* only feed: the consumer reads, one chunk at a time */
        if (s->stop || s->failed || s->discard) /* closed, or what was read is wrong: the rest goes nowhere */
            return 1;
        if (s->pending) {
            s->paused = 1;
            return ODOO__SINK_PAUSE;
        }
        if (odoo_cursor_feed(s->cur, data, len) != 0) {
            s->failed = odoo__error_nomem(&s->cerr);
            return 1;
        }
        s->pending = 1;
        return 0;
    }
    int rc = odoo_cursor_feed(s->cur, data, len);
    if (rc == 0)
        rc = pump(s, s->cur, 0, &s->cerr);
    else
        rc = odoo__error_nomem(&s->cerr);
    if (rc < 0)
        s->failed = rc;
    return rc != 0;
}

void odoo__stream_init(odoo__stream *s, odoo_protocol *p, const odoo__rows_out *out)
{
    memset(s, 0, sizeof(*s));
    s->p = p;
    s->out = out;
    s->pull = out == NULL;
    s->id_at = -1;
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    s->cerr = e;
    s->sink.begin = on_begin;
    s->sink.write = on_write;
    s->sink.payload = s;
}

void odoo__stream_release(odoo__stream *s)
{
    odoo__http_arm_sink(s->p->http, NULL); /* an exchange armed and never sent */
    drop_cursor(s);
    odoo_cursor_free(s->dom);
    s->dom = NULL;
    odoo_rpc_error_clear(&s->cerr);
}

void odoo__stream_arm(odoo__stream *s, odoo_exchange *x)
{
    s->x = x;
    s->failed = 0;
    s->pending = s->paused = s->discard = s->body_done = 0;
    odoo_rpc_error_clear(&s->cerr);
    drop_cursor(s);
    odoo__http_arm_sink(s->p->http, &s->sink);
}

int odoo__stream_deliver_dom(odoo__stream *s, json_object *rows, odoo_rpc_error *err)
{
    if (!rows)
        return 0;
    if (!json_object_is_type(rows, json_type_array))
        return odoo__error_set(err, ODOO_ERR_PROTOCOL, "search_read answered %.80s, not a list of records",
                               json_object_get_string(rows));
    size_t n = json_object_array_length(rows);
    int rc = 0;
    if (!s->pull && !s->out->row) {
        for (size_t i = 0; i < n && rc == 0; i++)
            rc = give(s, NULL, json_object_array_get_idx(rows, i), err);
        return rc == GIVE_STOP ? 0 : rc;
    }
    /* a row callback reads a cursor: the page's, over its JSON text */
    size_t len = 0;
    const char *text = json_object_to_json_string_length(rows, JSON_C_TO_STRING_PLAIN, &len);
    odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
    o.shape = ODOO_CURSOR_JSON2;
    odoo_cursor *c = text ? odoo_cursor_new(&o) : NULL;
    if (!c || odoo_cursor_feed(c, text, len) != 0) {
        odoo_cursor_free(c);
        return odoo__error_nomem(err);
    }
    odoo_cursor_finish(c);
    s->id_at = -1;
    if (s->pull) { /* its records wait for odoo__stream_pull */
        odoo_cursor_free(s->dom);
        s->dom = c;
        return 0;
    }
    rc = pump(s, c, 1, err);
    odoo_cursor_free(c);
    s->id_at = -1;
    return rc == GIVE_STOP ? 0 : rc;
}

int odoo__stream_pull(odoo__stream *s, const odoo_cursor **row)
{
    odoo_cursor *c = s->dom ? s->dom : s->cur;
    if (!c || s->failed)
        return s->failed;
    int rc = pump(s, c, s->dom || s->body_done, &s->cerr);
    if (rc == GIVE_ROW) {
        *row = c;
        return ODOO_CURSOR_ROW;
    }
    if (rc < 0) {
        s->failed = rc;
        return rc;
    }
    if (s->dom) { /* the page is read: the stream's own cursor is the next one's */
        odoo_cursor_free(s->dom);
        s->dom = NULL;
        s->id_at = -1;
    }
    s->pending = 0; /* the cursor wants more: the next chunk may come */
    return 0;
}

/* What decode made of an answer the cursor did not read records from. */
static int take_dom(odoo__stream *s, odoo_exchange *x, odoo_rpc_error *err)
{
    json_object *rows = x->result;
    x->result = NULL;
    int rc = odoo__stream_deliver_dom(s, rows, err);
    json_object_put(rows);
    return rc;
}

/* The exchange ends without decode: the adapter releases its request. */
static void abandon(odoo__stream *s, odoo_exchange *x, int kind, odoo_rpc_error *err)
{
    const odoo_protocol_ops *ops = s->p->ops;
    if (ops->failed)
        ops->failed(s->p, x, kind, err);
}

int odoo__stream_answer(odoo__stream *s, odoo_exchange *x, int rc, const odoo_http_response *resp,
                        odoo_rpc_error *err)
{
    odoo_protocol *p = s->p;
    const odoo_protocol_ops *ops = p->ops;
    if (!s->cur && !s->stop && !s->failed) { /* buffered (or failed before any body): as without a stream */
        if (rc)
            return ops->failed ? ops->failed(p, x, rc, err) : rc;
        rc = ops->decode(p, x, resp, err);
        return rc ? rc : take_dom(s, x, err);
    }
    if (rc == 0 && !s->stop && !s->failed) {
        odoo_cursor_finish(s->cur);
        int r = pump(s, s->cur, 1, &s->cerr);
        if (r < 0)
            s->failed = r;
    }
    if (s->stop) { /* the caller has what it wanted */
        abandon(s, x, ODOO_ERR_CANCELLED, err);
        odoo__error_reset(err);
        return 0;
    }
    if (s->failed) { /* inside the body: the cursor's (or the callback's) error */
        abandon(s, x, s->failed, err);
        if (err) {
            odoo_rpc_error_clear(err);
            *err = s->cerr;
            odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
            s->cerr = e;
        }
        return s->failed;
    }
    if (rc) /* the transport failed inside the body: a reset, a truncated answer */
        return ops->failed ? ops->failed(p, x, rc, err) : rc;
    /* Complete: the adapter reads the envelope, records left out, or the
     * whole answer when it had none (an error envelope). */
    size_t n;
    int whole;
    const char *env = odoo__cursor_envelope(s->cur, &n, &whole);
    odoo_http_response r = *resp;
    r.body = (char *)env;
    r.body_len = n;
    rc = ops->decode(p, x, &r, err);
    if (rc)
        return rc;
    if (whole)
        return take_dom(s, x, err);
    json_object_put(x->result); /* the "[]" standing for the records */
    x->result = NULL;
    return 0;
}

/* ----- the keyset pages (rows.h) ----- */

void odoo__pages_init(odoo__pages *g, odoo_protocol *p, const char *model, const odoo_search_options *checked)
{
    memset(g, 0, sizeof(*g));
    g->p = p;
    g->model = model;
    g->o = *checked;
    g->streamed = odoo__stream_supported(p);
    g->page_size = checked->page_size > 0 ? checked->page_size : g->streamed ? ODOO_ROWS_PAGE_SIZE : DOM_PAGE_SIZE;
    g->left = checked->limit;
}

static void page_release(odoo__pages *g)
{
    if (g->prepared)
        odoo__call_release(&g->pc);
    g->prepared = 0;
    json_object_put(g->domain);
    json_object_put(g->args);
    json_object_put(g->kwargs);
    g->domain = g->args = g->kwargs = NULL;
}

void odoo__pages_release(odoo__pages *g)
{
    page_release(g);
}

int odoo__pages_next(odoo__pages *g, odoo__stream *s, odoo_rpc_error *err)
{
    page_release(g);
    if (g->started) {
        int64_t n = (int64_t)s->delivered;
        if (s->stop || n < g->asked || (g->o.limit > 0 && (g->left -= n) <= 0))
            return 0;
    }
    const odoo_search_options *o = &g->o;
    odoo_search_options page = *o;
    json_object *term = json_object_new_array_ext(3);
    if (!term || odoo__array_add(term, json_object_new_string("id")) ||
        odoo__array_add(term, json_object_new_string(">")) || odoo__array_add(term, json_object_new_int64(s->last_id))) {
        json_object_put(term);
        return odoo__error_nomem(err);
    }
    g->domain = o->domain ? odoo__array_copy(o->domain) : json_object_new_array();
    if (!g->domain || odoo__array_add(g->domain, term)) { /* term is the domain's, even on failure */
        if (!g->domain)
            json_object_put(term);
        return odoo__error_nomem(err);
    }
    page.domain = g->domain;
    page.page_size = 0;
    page.order = "id asc";
    page.offset = g->started ? 0 : o->offset;
    page.limit = g->asked = o->limit > 0 && g->left < g->page_size ? g->left : g->page_size;
    if (!odoo__search_args(&page, &g->args, &g->kwargs))
        return odoo__error_nomem(err);
    int rc = odoo__call_prepare(&g->pc, g->p, g->model, "search_read", NULL, g->args, g->kwargs, o->context, err);
    if (rc)
        return rc;
    g->prepared = 1;
    g->started = 1;
    s->delivered = 0;
    return 1;
}

int odoo__pages_run(odoo__pages *g, odoo__stream *s, odoo_rpc_error *err)
{
    int rc;
    while ((rc = odoo__pages_next(g, s, err)) == 1) {
        if (g->streamed) {
            rc = odoo__run_call_stream(g->p, &g->pc.spec, s, err);
        } else {
            json_object *rows = NULL;
            rc = odoo__run_call(g->p, &g->pc.spec, &rows, err);
            if (rc == 0)
                rc = odoo__stream_deliver_dom(s, rows, err);
            json_object_put(rows);
        }
        if (rc)
            break;
    }
    if (rc)
        odoo__finish_error(g->p, err, g->model, "search_read");
    else if (s->stop)
        rc = s->stop_rc;
    return rc;
}
