/*
 * libodoo — a row cursor over a search_read answer, read as it arrives.
 *
 * The cursor decodes the bytes of one answer incrementally and hands out
 * its records one at a time, without building a json-c tree: memory is
 * one record plus the bytes fed and not yet read, whatever the number of
 * rows. It reads a JSON-RPC envelope {"jsonrpc", "id", "result": [...]}
 * (Odoo's /jsonrpc and /web/dataset/call_kw, or the ODXProxy gateway's)
 * and a bare JSON-2 array; with ODOO_CURSOR_XMLRPC, an XML-RPC
 * <methodResponse> whose value is the array of structs (Odoo's
 * /xmlrpc/2/object), read as it arrives (a scanner of what Python's
 * xmlrpc.client writes, expat from the first construct it does not
 * read). It is sans-I/O: whoever receives the body (the transport, from
 * curl's write callback) feeds it:
 *
 *     odoo_cursor *c = odoo_cursor_new(&opts);
 *     for (;;) {
 *         int rc = odoo_cursor_next(c, &err);
 *         if (rc == ODOO_CURSOR_MORE) {          // feed the next chunk, or finish
 *             n = receive(buf, sizeof(buf));
 *             n ? odoo_cursor_feed(c, buf, n) : odoo_cursor_finish(c);
 *             continue;
 *         }
 *         if (rc != ODOO_CURSOR_ROW) break;      // ODOO_CURSOR_DONE, or an error kind (< 0)
 *         const char *name; size_t len;
 *         if (odoo_cursor_string(c, odoo_cursor_field_index(c, "name"), &name, &len) == ODOO_FIELD_OK) ...
 *     }
 *     odoo_cursor_free(c);
 *
 * Accepted and refused exactly like the DOM path (odoo_call and friends):
 * nesting beyond ODOO_MAX_NESTING, an integer beyond 64 bits, invalid
 * UTF-8 and a \u0000 in a key are refused (XML-RPC: what expat or
 * the XML-RPC decoders refuse). An error answer (the envelope's "error"
 * member, a JSON-2 error body, an XML-RPC fault, an HTML page) is
 * reported through the same mapping as the DOM path, into odoo_rpc_error.
 *
 * A cursor is not thread-safe; one per answer.
 */
#ifndef ODOO_CURSOR_H
#define ODOO_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "common.h"
#include "errors.h"

ODOO_BEGIN_DECLS

typedef struct odoo_cursor odoo_cursor;

/** Where the records are. */
typedef enum odoo_cursor_shape {
    ODOO_CURSOR_AUTO = 0,   /* by the first byte: '[' JSON-2, '{' Odoo's JSON-RPC */
    ODOO_CURSOR_JSONRPC,    /* Odoo's JSON-RPC envelope, records in "result" */
    ODOO_CURSOR_GATEWAY,    /* ODXProxy's envelope (its error codes) */
    ODOO_CURSOR_JSON2,      /* JSON-2: the body is the array of records */
    ODOO_CURSOR_XMLRPC      /* an XML-RPC <methodResponse>, records in its value (never chosen by AUTO) */
} odoo_cursor_shape;

/** The layout of odoo_cursor_options: members are appended, never
 *  reordered; 0 (a zeroed struct) is read as version 1. */
#define ODOO_CURSOR_OPTIONS_VERSION 1

typedef struct odoo_cursor_options {
    unsigned int version;       /* ODOO_CURSOR_OPTIONS_VERSION */
    odoo_cursor_shape shape;
    long http_status;           /* the answer's status; 0 is read as 200 */
    const char *content_type;   /* copied; for error reports, may be NULL */
    long expected_id;           /* the JSON-RPC request id to check; 0 or less (a zeroed struct): not checked */
    const char *expected_id_str;/* the gateway's string id instead, copied; NULL: not checked */
    size_t max_string;          /* longest string or key, decoded bytes; 0: 2 GiB - 2 */
    size_t max_document;        /* longest body; 0: 2 GiB - 2 (the DOM path's limit) */
} odoo_cursor_options;

#define ODOO_CURSOR_OPTIONS_INIT { ODOO_CURSOR_OPTIONS_VERSION, ODOO_CURSOR_AUTO, 200, NULL, -1, NULL, 0, 0 }

/** odoo_cursor_next's results besides an error kind (< 0). */
#define ODOO_CURSOR_DONE 0  /* no more records (the answer is complete) */
#define ODOO_CURSOR_ROW 1   /* a record is current */
#define ODOO_CURSOR_MORE 2  /* feed more bytes (odoo_cursor_feed) or end them (odoo_cursor_finish) */

/** A new cursor (NULL opts: the defaults), or NULL without memory.
 *  Free with odoo_cursor_free. */
ODOO_EXTERN(odoo_cursor *) odoo_cursor_new(const odoo_cursor_options *opts);
ODOO_EXTERN(void) odoo_cursor_free(odoo_cursor *c);

/** Give the next bytes of the body (any split points). The bytes are
 *  copied: data may be reused as soon as the call returns. Feeding ends
 *  the current record (its views become invalid). Returns 0 or
 *  ODOO_ERR_NOMEM; a body beyond max_document fails in odoo_cursor_next. */
ODOO_EXTERN(int) odoo_cursor_feed(odoo_cursor *c, const char *data, size_t len);
/** The body is complete. */
ODOO_EXTERN(void) odoo_cursor_finish(odoo_cursor *c);

/** Move to the next record: ODOO_CURSOR_ROW, ODOO_CURSOR_MORE,
 *  ODOO_CURSOR_DONE, or an error kind (< 0) with err filled (err may be
 *  NULL). An error answer is reported once the body is complete; a body
 *  that breaks off after some records fails with ODOO_ERR_PROTOCOL. */
ODOO_EXTERN(int) odoo_cursor_next(odoo_cursor *c, odoo_rpc_error *err);

/** Records read so far. */
ODOO_EXTERN(size_t) odoo_cursor_row_count(const odoo_cursor *c);

/* ---- the current record's fields ----
 * Fields are numbered in the order of the first record (Odoo sends every
 * record with the same fields in the same order); a later record that
 * differs is looked up by name. Views (strings, ids) are borrowed from
 * the cursor, valid until the next odoo_cursor_next or odoo_cursor_feed. */

/** Fields of the first record; their names (len may be NULL). */
ODOO_EXTERN(size_t) odoo_cursor_field_count(const odoo_cursor *c);
ODOO_EXTERN(const char *) odoo_cursor_field_name(const odoo_cursor *c, size_t index, size_t *len);
/** The index of a field by name, or -1. */
ODOO_EXTERN(long) odoo_cursor_field_index(const odoo_cursor *c, const char *name);

/** What a field accessor found. */
typedef enum odoo_field_status {
    ODOO_FIELD_OK = 0,
    ODOO_FIELD_UNSET = 1,       /* Odoo's false in a non-boolean field: no value */
    ODOO_FIELD_NULL = 2,        /* JSON null */
    ODOO_FIELD_WRONG_TYPE = 3,  /* another type (the out parameters are untouched) */
    ODOO_FIELD_MISSING = 4      /* no such field in this record, or no current record */
} odoo_field_status;

/** The JSON type of a field's value. */
typedef enum odoo_field_type {
    ODOO_FIELD_ABSENT = 0,
    ODOO_FIELD_TYPE_NULL,
    ODOO_FIELD_TYPE_FALSE,
    ODOO_FIELD_TYPE_TRUE,
    ODOO_FIELD_TYPE_INT,
    ODOO_FIELD_TYPE_DOUBLE,
    ODOO_FIELD_TYPE_STRING,
    ODOO_FIELD_TYPE_MANY2ONE,   /* [id, "display name"] */
    ODOO_FIELD_TYPE_IDS,        /* [id, ...] (x2many; also []) */
    ODOO_FIELD_TYPE_OTHER       /* any other array or object */
} odoo_field_type;

ODOO_EXTERN(odoo_field_type) odoo_cursor_type(const odoo_cursor *c, long index);
/** Integer (a double is the wrong type). */
ODOO_EXTERN(odoo_field_status) odoo_cursor_int64(const odoo_cursor *c, long index, int64_t *out);
/** Double (an integer converts). */
ODOO_EXTERN(odoo_field_status) odoo_cursor_double(const odoo_cursor *c, long index, double *out);
/** String view (UTF-8, NUL-terminated, len bytes: may hold NUL bytes). */
ODOO_EXTERN(odoo_field_status) odoo_cursor_string(const odoo_cursor *c, long index, const char **s, size_t *len);
/** Boolean: true and false (false is OK here, not unset). */
ODOO_EXTERN(odoo_field_status) odoo_cursor_bool(const odoo_cursor *c, long index, int *out);
/** Many2one: the id and the display name (a view; name/len may be NULL). */
ODOO_EXTERN(odoo_field_status) odoo_cursor_many2one(const odoo_cursor *c, long index, int64_t *id, const char **name,
                                                    size_t *len);
/** x2many: a view of the ids (n may be 0). */
ODOO_EXTERN(odoo_field_status) odoo_cursor_ids(const odoo_cursor *c, long index, const int64_t **ids, size_t *n);
/** Any field as json-c: a new reference in *out (NULL for null). */
ODOO_EXTERN(odoo_field_status) odoo_cursor_json(const odoo_cursor *c, long index, json_object **out);
/** The whole current record as a json-c object (a new reference), or
 *  NULL (no record, no memory). */
ODOO_EXTERN(json_object *) odoo_cursor_record(const odoo_cursor *c);

ODOO_END_DECLS

#endif
