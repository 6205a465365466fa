/*
 * libodoo — a streamed read pulled one record at a time.
 *
 * odoo_search_read_rows hands each record to a callback from inside the
 * transfer; odoo_rows gives the same records to a loop that asks for
 * them, with the same pages, policies and errors:
 *
 *     odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
 *     o.fields = (const char *const[]){ "name", "email", NULL };
 *     odoo_rows *r = NULL;
 *     const odoo_cursor *row;
 *     int rc = odoo_rows_open(&r, conn, "res.partner", &o, &err);
 *     while (rc == 0 && (rc = odoo_rows_next(r, &row, &err)) == ODOO_CURSOR_ROW) {
 *         const char *name; size_t len;
 *         if (odoo_cursor_string(row, odoo_cursor_field_index(row, "name"), &name, &len) == ODOO_FIELD_OK)
 *             printf("%.*s\n", (int)len, name);
 *     }
 *     odoo_rows_close(r);   // rc: ODOO_CURSOR_DONE (0) when every record came, else the error
 *
 * The transfer runs only as far as the next record needs (libcurl's multi
 * interface, non-blocking, under the hood): curl's write callback only
 * feeds the cursor, and the next chunk waits until the consumer read the
 * one before. Memory stays at one chunk and one record whatever the
 * number of records on every built-in protocol (JSON-2, JSON-RPC web
 * session and stateless, ODXProxy, XML-RPC); an adapter that cannot
 * stream its answers (a third party's) holds one page, 1000 records by
 * default, decoded whole.
 *
 * The reader uses its connection for its whole life: a call on the
 * connection while a reader is open on it is ODOO_ERR_INVALID_ARGUMENT.
 * One thread at a time. The transfer goes through a connection of the
 * reader's own (a new TCP connection, closed by odoo_rows_close).
 */
#ifndef ODOO_ROWS_H
#define ODOO_ROWS_H

#include "common.h"
#include "cursor.h"
#include "errors.h"
#include "helpers.h"

ODOO_BEGIN_DECLS

typedef struct odoo_rows odoo_rows;

/** Open a read of model's records matching opts (NULL: every record),
 *  paged as odoo_search_read_rows pages them: keyset pages by id of
 *  opts->page_size records (0: ODOO_ROWS_PAGE_SIZE where the answer is
 *  read as it arrives, else 1000), opts->offset skipped first, at most opts->limit,
 *  the order by id (opts->order NULL, "id" or "id asc"); opts->timeout_ms
 *  and opts->cancel cover the whole read, from now. opts and what it
 *  points to are borrowed for this call only (the reader copies what it
 *  keeps). Nothing is sent yet: the first odoo_rows_next sends. Refused
 *  with ODOO_ERR_INVALID_ARGUMENT before anything is sent: NULL out, p or
 *  model, the options odoo_search_read_rows refuses, a connection with a
 *  call in progress. *out is NULL on failure; close it otherwise. */
ODOO_EXTERN(int) odoo_rows_open(odoo_rows **out, odoo_protocol *p, const char *model,
                                const odoo_search_options *opts, odoo_rpc_error *err);

/** The next record: ODOO_CURSOR_ROW with *row the cursor on it (the typed
 *  accessors of odoo/cursor.h; odoo_cursor_record for a json-c object),
 *  valid until the next odoo_rows_next or odoo_rows_close;
 *  ODOO_CURSOR_DONE (0) once every record came; or an error kind (< 0),
 *  err filled: an error answer (an unknown model, an access error) as
 *  odoo_search_read reports it, a failure after some records (a reset, a
 *  truncated body) never a short success, the timeout, the cancel flag.
 *  Reads are retried (options.proxy_retries) only while no record of the
 *  page was given. After DONE or an error every further call gives the
 *  same again (an error with its message). NULL r or row:
 *  ODOO_ERR_INVALID_ARGUMENT. */
ODOO_EXTERN(int) odoo_rows_next(odoo_rows *r, const odoo_cursor **row, odoo_rpc_error *err);

/** Close the reader (NULL is fine). A transfer still running is aborted
 *  (its connection closed); the connection takes calls again. */
ODOO_EXTERN(void) odoo_rows_close(odoo_rows *r);

ODOO_END_DECLS

#endif
