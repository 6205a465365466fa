/*
 * libodoo — the ORM helpers, the same on every protocol.
 *
 * Common arguments: model is e.g. "res.partner"; domain is an array of
 * Odoo domain terms (NULL means [] — every record); fields is a
 * NULL-terminated array of field names (NULL: all fields); context is
 * an object merged over the connection's base context, or NULL. The
 * searches take those in an odoo_search_options. All
 * json_object arguments are borrowed. Results (*out) are new references
 * released with json_object_put().
 *
 * out may be NULL: the call still runs (a create still creates) and its
 * error is still reported, the result is discarded. A NULL connection or
 * model, or NULL where ids or vals are required, is
 * ODOO_ERR_INVALID_ARGUMENT before anything is sent.
 */
#ifndef ODOO_HELPERS_H
#define ODOO_HELPERS_H

#include "common.h"
#include "cursor.h"
#include "errors.h"

ODOO_BEGIN_DECLS

/** Which records and how, for the search helpers. Start from
 *  ODOO_SEARCH_OPTIONS_INIT (or pass NULL for every record, defaults): zero
 *  or NULL in any field means the default. Everything is borrowed for the
 *  call. Fields are appended in later versions, never reordered. */
#define ODOO_SEARCH_OPTIONS_VERSION 2   /* 2 added timeout_ms and cancel; a version-1 struct is accepted */

typedef struct odoo_search_options {
    unsigned int version;        /* ODOO_SEARCH_OPTIONS_VERSION */
    json_object *domain;         /* an array of Odoo domain terms (odoo_domain_parse); NULL: [] */
    const char *const *fields;   /* search_read(_each): NULL-terminated names; NULL: all fields */
    int64_t offset;              /* skip this many records first; 0: none */
    int64_t limit;               /* at most this many records (search_count: stop counting there,
                                    Odoo 17+); 0: no limit */
    const char *order;           /* e.g. "name asc, id desc"; NULL: the model's order */
    json_object *context;        /* merged over the connection's base context; NULL: none */
    int64_t page_size;           /* search_read_each and _rows: records per request; 0: ODOO_ROWS_PAGE_SIZE
                                    (the answers are read as they arrive) */
    /* version 2: the call's own limits, as in odoo_call_options (client.h);
     * for search_read_each they cover every page */
    long timeout_ms;             /* 0: the connection's per exchange; < 0: none */
    const volatile int *cancel;  /* NULL: none */
} odoo_search_options;

#ifdef __cplusplus
/* C++ (11 to 20): value-initialised with the version set (a partial brace
 * list warns under g++ -Wextra). */
static inline odoo_search_options odoo_search_options_init_value_(void)
{
    odoo_search_options o = {};
    o.version = ODOO_SEARCH_OPTIONS_VERSION;
    return o;
}
#  define ODOO_SEARCH_OPTIONS_INIT odoo_search_options_init_value_()
#else
#  define ODOO_SEARCH_OPTIONS_INIT { .version = ODOO_SEARCH_OPTIONS_VERSION }
#endif

/* Every search helper refuses, with ODOO_ERR_INVALID_ARGUMENT before
 * anything is sent: an unknown opts->version, a domain that is not an
 * array, a negative offset, limit or page_size, and a field the call
 * does not use (fields for search and search_count, offset and order for
 * search_count, order other than id for search_read_each) rather than
 * ignore it. */

/** Ids of the records matching opts->domain: an array of integers. */
ODOO_EXTERN(int) odoo_search(json_object **out, odoo_protocol *p, const char *model,
                             const odoo_search_options *opts, odoo_rpc_error *err);

/** Records matching opts->domain, as an array of objects with "id" and the fields. */
ODOO_EXTERN(int) odoo_search_read(json_object **out, odoo_protocol *p, const char *model,
                                  const odoo_search_options *opts, odoo_rpc_error *err);

/** Number of records matching opts->domain. */
ODOO_EXTERN(int) odoo_search_count(int64_t *out, odoo_protocol *p, const char *model,
                                   const odoo_search_options *opts, odoo_rpc_error *err);

/** The records with these ids (an array of integers); ids that no longer
 *  exist are silently left out, as Odoo does. */
ODOO_EXTERN(int) odoo_read(json_object **out, odoo_protocol *p, const char *model,
                           json_object *ids, const char *const *fields,
                           json_object *context, odoo_rpc_error *err);

/** Create records. vals is one object (*out: the new id, an integer) or an
 *  array of objects (*out: an array of ids) — on every protocol. */
ODOO_EXTERN(int) odoo_create(json_object **out, odoo_protocol *p, const char *model,
                             json_object *vals, json_object *context, odoo_rpc_error *err);

/** Create one record (vals an object) and give its id in *id (may be
 *  NULL): the same call as odoo_create, without a json-c value to unwrap.
 *  vals that is not an object is ODOO_ERR_INVALID_ARGUMENT; an answer that
 *  is not one positive integer (or a list of one) is ODOO_ERR_PROTOCOL. */
ODOO_EXTERN(int) odoo_create_one(int64_t *id, odoo_protocol *p, const char *model, json_object *vals,
                                 json_object *context, odoo_rpc_error *err);

/** Write vals (an object) on the records with these ids. */
ODOO_EXTERN(int) odoo_write(odoo_protocol *p, const char *model, json_object *ids,
                            json_object *vals, json_object *context, odoo_rpc_error *err);

/** Delete the records with these ids. */
ODOO_EXTERN(int) odoo_unlink(odoo_protocol *p, const char *model, json_object *ids,
                             json_object *context, odoo_rpc_error *err);

/** Field definitions: an object keyed by field name. allfields limits the
 *  fields described and attributes what is said of each (e.g. {"string",
 *  "type", NULL}); both NULL-terminated, NULL for all. */
ODOO_EXTERN(int) odoo_fields_get(json_object **out, odoo_protocol *p, const char *model,
                                 const char *const *allfields, const char *const *attributes,
                                 json_object *context, odoo_rpc_error *err);

/** [[id, display_name], ...] of records whose name matches name with
 *  operator op (NULL: "ilike"), within domain. limit <= 0: server default (100). */
ODOO_EXTERN(int) odoo_name_search(json_object **out, odoo_protocol *p, const char *model,
                                  const char *name, json_object *domain, const char *op,
                                  int64_t limit, json_object *context, odoo_rpc_error *err);

/** Called once per record by odoo_search_read_each: record is borrowed
 *  (valid during the call; take a reference to keep it). Return 0 to go
 *  on, anything else to stop (odoo_search_read_each then returns it). */
typedef int (*odoo_record_cb)(json_object *record, void *payload);

/** Every record matching opts->domain, one at a time, fetched page by page
 *  (opts->page_size records a request): the records of odoo_search_read_rows,
 *  each as a json-c object of its own, so memory stays at one record on every
 *  protocol however large the result: pages follow the record id (keyset paging: each page
 *  asks for ids above the last one seen), so records created or deleted
 *  meanwhile neither repeat nor shift the rest. The order is always by id
 *  (opts->order may only be NULL, "id" or "id asc"); opts->offset skips
 *  that many records first, opts->limit stops after that many. */
ODOO_EXTERN(int) odoo_search_read_each(odoo_protocol *p, const char *model, const odoo_search_options *opts,
                                       odoo_record_cb cb, void *payload, odoo_rpc_error *err);

/** Called once per record by odoo_search_read_rows, from inside the
 *  transfer: row is the cursor on the current record (odoo/cursor.h: the
 *  typed accessors, odoo_cursor_record for a json-c object), valid during
 *  the call only. Return 0 to go on, anything else to stop: the transfer
 *  is aborted (its connection closed; the next call opens another) and
 *  odoo_search_read_rows returns that value. */
typedef int (*odoo_row_cb)(const odoo_cursor *row, void *payload);

/** Records per request of odoo_search_read_rows and _each on the JSON
 *  protocols. A page costs the client one record of memory, not a page,
 *  so it can be large; it is bounded all the same because the server
 *  builds each answer whole (Odoo reads and serialises a page in its
 *  worker's memory, within its per-request time limit), and a failed
 *  request costs one page. */
#define ODOO_ROWS_PAGE_SIZE 10000

/** Every record matching opts->domain, as odoo_search_read_each pages
 *  them (keyset pages by id, opts->offset, opts->limit, opts->order NULL,
 *  "id" or "id asc"), each handed to row as it arrives: on every
 *  protocol (JSON-2, JSON-RPC web session and stateless, ODXProxy,
 *  XML-RPC) the answer is decoded while it is received and never held
 *  whole, so memory stays at one record whatever opts->page_size. An
 *  error answer (an unknown model, an access
 *  error) is reported as odoo_search_read reports it. A failure after
 *  records were delivered (a reset, a truncated body) is an error, never
 *  a short success; the read is retried (options.proxy_retries) only
 *  while no record of the page was delivered. The same read pulled one
 *  record at a time instead of pushed: odoo_rows_open (odoo/rows.h); in
 *  an odoo_multi beside other calls: odoo_multi_add_rows. */
ODOO_EXTERN(int) odoo_search_read_rows(odoo_protocol *p, const char *model, const odoo_search_options *opts,
                                       odoo_row_cb row, void *payload, odoo_rpc_error *err);

/** A new JSON array of integer ids from a C array (NULL when out of memory,
 *  or when ids is NULL with n > 0). The caller owns it. */
ODOO_EXTERN(json_object *) odoo_ids_new(const int64_t *ids, size_t n);

ODOO_END_DECLS

#endif
