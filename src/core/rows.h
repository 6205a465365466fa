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
 * connection is then closed and reopened by the next exchange). */
#ifndef ODOO_ROWS_H
#define ODOO_ROWS_H

#include "odoo/cursor.h"
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
} odoo__stream;

/* A stream delivering to out, for calls on p. Release with odoo__stream_release. */
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
 * callback, as the streamed ones: 0, the callback's stop or an error. */
int odoo__stream_deliver_dom(odoo__stream *s, json_object *rows, odoo_rpc_error *err);

/* The answer a cursor read, for the adapter's decode (cursor.c): *whole
 * when no records began (the answer as read, at most 1 MiB), otherwise
 * the answer with its records left out (the envelope, "[]" in place of
 * the list). Borrowed from c. */
const char *odoo__cursor_envelope(const odoo_cursor *c, size_t *len, int *whole);

/* Run a prepared call whose answer is streamed into s (engine.c): the
 * task's policies (PREPARE, login, re-login, retries) as for any call. */
int odoo__run_call_stream(odoo_protocol *p, const odoo_call_spec *spec, odoo__stream *s, odoo_rpc_error *err);

#endif
