/*
 * libodoo — the ORM helpers, the same on every protocol.
 *
 * Common arguments: model is e.g. "res.partner"; domain is an array of
 * Odoo domain terms (NULL means [] — every record); fields is a
 * NULL-terminated array of field names (NULL: all fields); limit <= 0
 * means no limit; order is e.g. "name asc, id desc" or NULL; context is
 * an object merged over the connection's base context, or NULL. All
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
#include "errors.h"

ODOO_BEGIN_DECLS

/** Ids of the records matching domain: an array of integers. */
ODOO_EXTERN(int) odoo_search(json_object **out, odoo_protocol *p, const char *model,
                             json_object *domain, long offset, long limit, const char *order,
                             json_object *context, odoo_rpc_error *err);

/** Records matching domain, as an array of objects with "id" and the fields. */
ODOO_EXTERN(int) odoo_search_read(json_object **out, odoo_protocol *p, const char *model,
                                  json_object *domain, const char *const *fields,
                                  long offset, long limit, const char *order,
                                  json_object *context, odoo_rpc_error *err);

/** Number of records matching domain. */
ODOO_EXTERN(int) odoo_search_count(long long *out, odoo_protocol *p, const char *model,
                                   json_object *domain, json_object *context, odoo_rpc_error *err);

/** The records with these ids (an array of integers); ids that no longer
 *  exist are silently left out, as Odoo does. */
ODOO_EXTERN(int) odoo_read(json_object **out, odoo_protocol *p, const char *model,
                           json_object *ids, const char *const *fields,
                           json_object *context, odoo_rpc_error *err);

/** Create records. vals is one object (*out: the new id, an integer) or an
 *  array of objects (*out: an array of ids) — on every protocol. */
ODOO_EXTERN(int) odoo_create(json_object **out, odoo_protocol *p, const char *model,
                             json_object *vals, json_object *context, odoo_rpc_error *err);

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
                                  long limit, json_object *context, odoo_rpc_error *err);

/** Called once per record by odoo_search_read_each: record is borrowed
 *  (valid during the call; take a reference to keep it). Return 0 to go
 *  on, anything else to stop (odoo_search_read_each then returns it). */
typedef int (*odoo_record_cb)(json_object *record, void *payload);

/** Every record matching domain, one at a time, fetched page by page so
 *  memory stays at one page however large the result: pages follow the
 *  record id (keyset paging: each page asks for ids above the last one
 *  seen), so records created or deleted meanwhile neither repeat nor
 *  shift the rest. page_size <= 0: 1000. */
ODOO_EXTERN(int) odoo_search_read_each(odoo_protocol *p, const char *model, json_object *domain,
                                       const char *const *fields, long page_size, json_object *context,
                                       odoo_record_cb cb, void *payload, odoo_rpc_error *err);

/** A new JSON array of integer ids from a C array (NULL when out of memory,
 *  or when ids is NULL with n > 0). The caller owns it. */
ODOO_EXTERN(json_object *) odoo_ids_new(const long *ids, size_t n);

ODOO_END_DECLS

#endif
