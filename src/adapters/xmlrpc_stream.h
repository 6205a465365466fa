/* Private: the incremental XML-RPC decoder (xmlrpc_stream.c), the row
 * cursor's reader for ODOO_CURSOR_XMLRPC (odoo/cursor.h).
 *
 * Sans-I/O like the JSON one (core/jstream.h) and with its events: feed
 * gives it bytes in any split (they are read at once - by a scanner of
 * what Python's xmlrpc.client writes, expat from the first token it does
 * not read - and only a token they cut and the events not yet pulled
 * are kept), next pulls one event at a time. The events are those of the
 * <methodResponse>'s value - the result, or the fault's struct (fault
 * set): the envelope around it gives none. <array> is ARR_BEGIN, <struct>
 * OBJ_BEGIN, <name> KEY, and each scalar the event of the json-c value
 * the DOM decoders (xmlrpc_sax.c, xmlrpc_scan.c) give it: int, i4, i8,
 * ex:i8 INT; double DOUBLE (tok.str the text json-c prints); string,
 * text alone, dateTime.iso8601 (Odoo's text form) and base64 (its
 * canonical text) STRING; boolean TRUE or FALSE; nil, ex:nil NULL.
 *
 * It accepts what odoo__xmlrpc_parse_expat accepts and refuses what it
 * refuses, for the same reasons (expat's well-formedness, a DOCTYPE, an
 * element out of place, nesting beyond ODOO_XMLRPC_MAX_DEPTH, a scalar
 * xmlrpc_values.c refuses), plus the limits it is given (refused = 1).
 * A member whose <value> comes before its <name> is held back until the
 * name comes, so its KEY still comes first. */
#ifndef ODOO_XMLRPC_STREAM_H
#define ODOO_XMLRPC_STREAM_H

#include <stddef.h>

#include "../core/jstream.h"

typedef struct odoo__xs_impl odoo__xs_impl;

typedef struct odoo__xmlrpc_stream {
    odoo__js_token tok;      /* the current event's; str valid until the next next or feed */
    size_t depth;            /* open arrays and structs after the current event */
    int fault;               /* the value is a <fault>'s */
    int refused;             /* after ODOO_JS_ERROR: 1 a limit, -2 no memory, 0 the document */
    char why[200];           /* after ODOO_JS_ERROR */
    odoo__xs_impl *impl;
} odoo__xmlrpc_stream;

/* A new decoder (lim: max_string, max_document; NULL or 0: the
 * defaults), or NULL without memory. Free with odoo__xs_free. */
odoo__xmlrpc_stream *odoo__xs_new(const odoo__js_limits *lim);
void odoo__xs_free(odoo__xmlrpc_stream *xs);
/* The next bytes (copied as needed: data may be reused on return). 0, or
 * ODOO_ERR_NOMEM (the decoder has then failed: next reports it). */
int odoo__xs_feed(odoo__xmlrpc_stream *xs, const char *data, size_t len);
/* No more bytes: next then completes or refuses the document. */
void odoo__xs_finish(odoo__xmlrpc_stream *xs);
/* ODOO_JS_MORE (feed or finish), ODOO_JS_END, ODOO_JS_ERROR (why) or an event. */
odoo__js_event odoo__xs_next(odoo__xmlrpc_stream *xs);

#endif
