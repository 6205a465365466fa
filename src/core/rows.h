/* Private: a search_read answer read as it arrives, its records handed
 * to a callback from inside the transfer (rows.c).
 *
 * A CALL task with t->stream set (task.h) arms the stream's body sink on
 * the transport before the call's exchange and gives the stream its
 * answer instead of the adapter's decode; the stream then calls the
 * adapter itself, so the adapter stays the one place an answer's meaning
 * is decided:
 *   - a 2xx JSON answer is fed to an odoo_cursor (in the shape the
 *     adapter's caps name) as curl delivers it; each record goes to the
 *     callback at once. At the end the adapter's decode reads the same
 *     answer with its records left out (it checks the envelope and id,
 *     releases what it keeps for the request);
 *   - an answer whose records never began (an error envelope: an unknown
 *     model, an access error) goes whole to the adapter's decode, which
 *     maps it as it always does; so does every answer the transport
 *     buffered (error statuses, HTML), and a result there is delivered
 *     from the DOM;
 *   - a failure after records were delivered (a reset, a truncated body,
 *     JSON that breaks off) is an error, never a short success; the task
 *     retries a read only while no record was delivered.
 * The callback's nonzero return stops the transfer (curl aborts it; the
 * connection is then closed and reopened by the next exchange).
 *
 * A pulled stream (no callback: odoo_rows, through a multi) only feeds
 * the cursor from the write callback, one chunk at a time: while the
 * consumer has not read a chunk to its end the next is refused with
 * ODOO__SINK_PAUSE (curl keeps it) and the multi resumes the transfer
 * when the cursor wants more (odoo__multi_pull). A page decoded whole
 * waits in s->dom. */
#ifndef ODOO_CORE_ROWS_H
#define ODOO_CORE_ROWS_H

#include "odoo/cursor.h"
#include "odoo/helpers.h"
#include "odoo/multi.h"
#include "base.h"
#include "secret.h"

/* Where rows go: row gets the cursor on the current record; record (when
 * row is NULL) a json-c object (borrowed for the call). */
typedef struct odoo__rows_out {
    int (*row)(const odoo_cursor *row, void *payload);
    int (*record)(json_object *record, void *payload);
    void *payload;
} odoo__rows_out;

typedef struct odoo__stream {
    odoo_protocol *p;
    odoo_exchange *x;            /* the call's exchange in flight */
    const odoo__rows_out *out;
    odoo_cursor *cur;            /* this attempt's, from the first body bytes */
    odoo__http_sink sink;
    size_t delivered;            /* records given to the callback in this call */
    int64_t last_id;             /* the last one's id (keyset paging), 0 before */
    long id_at;                  /* the cursor's index of "id", -1 until looked up */
    int stop, stop_rc;           /* the callback asked to stop, with this nonzero value */
    int failed;                  /* an error kind met inside the transfer, or 0 */
    odoo_rpc_error cerr;         /* its message */
    size_t total;                /* records given in every page */
    /* pulled (out NULL: odoo_rows, a multi's transfer): the consumer asks
     * for each record (odoo__stream_pull) and the transfer waits for it */
    int pull;
    int pending;                 /* the last chunk fed is not read to its end: the next waits (paused) */
    int paused;                  /* a chunk was refused with ODOO__SINK_PAUSE: curl holds it */
    int discard;                 /* the transfer is ending: what curl gives back goes nowhere */
    int body_done;               /* the transfer ended well: the cursor has its last bytes */
    odoo_cursor *dom;            /* a page decoded whole (an adapter that does not stream, an answer the cursor did not read) */
} odoo__stream;

/* A stream delivering to out (NULL: pulled), for calls on p. Release with
 * odoo__stream_release. */
void odoo__stream_init(odoo__stream *s, odoo_protocol *p, const odoo__rows_out *out);
void odoo__stream_release(odoo__stream *s);

/* Whether p's adapter answers a search_read in a shape the cursor reads. */
int odoo__stream_supported(const odoo_protocol *p);

/* task.c: before the call's exchange is sent / with its outcome (rc the
 * transport's, resp its answer): what the adapter's decode would return. */
void odoo__stream_arm(odoo__stream *s, odoo_exchange *x);
int odoo__stream_answer(odoo__stream *s, odoo_exchange *x, int rc, const odoo_http_response *resp,
                        odoo_rpc_error *err);

/* Deliver the records of a DOM result (an array of objects) to s's
 * callback, as the streamed ones: 0, the callback's stop or an error.
 * Pulled: they wait in s->dom for odoo__stream_pull. */
int odoo__stream_deliver_dom(odoo__stream *s, json_object *rows, odoo_rpc_error *err);

/* A pulled stream's next record, from s->dom or the transfer's cursor:
 * ODOO_CURSOR_ROW (*row on it, valid until the next pull), 0 when the
 * cursor needs more bytes or is done (s->dom then released), or an error
 * kind (s->failed and s->cerr set). */
int odoo__stream_pull(odoo__stream *s, const odoo_cursor **row);

/* The keyset pages of a streamed read: domain AND id > the last id
 * delivered, ordered by id, opts->offset on the first page only, until a
 * page comes back short or opts->limit records were delivered. One
 * sequence for every driver (odoo_search_read_rows and _each, odoo_rows,
 * odoo_multi_add_rows). */
typedef struct odoo__pages {
    odoo_protocol *p;
    const char *model;           /* borrowed */
    odoo_search_options o;       /* checked (odoo__rows_options); what it points to borrowed */
    int64_t page_size, left, asked;
    int started;
    int streamed;                /* the answers go through the stream (odoo__stream_supported) */
    json_object *domain, *args, *kwargs;
    odoo__prepared_call pc;      /* the page's call, from odoo__pages_next to the next */
    int prepared;
} odoo__pages;

void odoo__pages_init(odoo__pages *g, odoo_protocol *p, const char *model, const odoo_search_options *checked);
/* After the page before (s->delivered records of it, s->stop): 1 with
 * g->pc.spec the next page's call, 0 when the read is complete, or an
 * error kind (not finished). */
int odoo__pages_next(odoo__pages *g, odoo__stream *s, odoo_rpc_error *err);
void odoo__pages_release(odoo__pages *g);

/* Every page into s with blocking calls (search_read_rows and _each):
 * 0, the callback's stop value, or the error (finished). */
int odoo__pages_run(odoo__pages *g, odoo__stream *s, odoo_rpc_error *err);

/* helpers.c: opts read by its version and checked as search_read_each
 * checks it, into *o (the order "id" dropped); the error finished. */
int odoo__rows_options(odoo_protocol *p, const char *model, const odoo_search_options *opts,
                       odoo_search_options *o, odoo_rpc_error *err);
/* helpers.c: search_read's [domain] and keywords for o: 1, or 0 without
 * memory (*args and *kwargs released by the caller either way). */
int odoo__search_args(const odoo_search_options *o, json_object **args, json_object **kwargs);

/* multi.c, for odoo_rows (rows_pull.c): a streamed read in m whose records
 * are pulled; *call names it until done ran (done sets it to NULL). */
int odoo__multi_add_pull(void **call, odoo_multi *m, odoo_protocol *p, const char *model,
                         const odoo_search_options *opts, odoo_multi_callback done, void *userdata,
                         odoo_rpc_error *report, odoo_rpc_error *err);
/* Drive m only as far as the call needs for its next record:
 * ODOO_CURSOR_ROW with *row set, 0 once *call is NULL (done ran), or m's
 * own failure (< 0, into err, which the caller reset). */
int odoo__multi_pull(odoo_multi *m, void *const *call, const odoo_cursor **row, odoo_rpc_error *err);

/* The answer a cursor read, for the adapter's decode (cursor.c): *whole
 * when no records began (the answer as read, at most 1 MiB), otherwise
 * the answer with its records left out (the envelope, "[]" in place of
 * the list). Borrowed from c. */
const char *odoo__cursor_envelope(const odoo_cursor *c, size_t *len, int *whole);

/* Run a prepared call whose answer is streamed into s (engine.c): the
 * task's policies (PREPARE, login, re-login, retries) as for any call. */
int odoo__run_call_stream(odoo_protocol *p, const odoo_call_spec *spec, odoo__stream *s, odoo_rpc_error *err);

#endif
