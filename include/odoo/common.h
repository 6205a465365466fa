/*
 * libodoo — common definitions shared by every public header.
 *
 * Values are json-c objects (`json_object *`). Unless a prototype says
 * otherwise, arguments are borrowed (the library takes its own reference
 * when it keeps one) and results are new references that the caller
 * releases with json_object_put().
 *
 * An output parameter (out) may be NULL everywhere: the call still runs
 * and reports its error, and its result is discarded. Any other required
 * pointer that is NULL makes the call fail with ODOO_ERR_INVALID_ARGUMENT.
 */
#ifndef ODOO_COMMON_H
#define ODOO_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json_object.h>

#define ODOO_VERSION_MAJOR 0
#define ODOO_VERSION_MINOR 2
#define ODOO_VERSION_PATCH 0
#define ODOO_VERSION_STRING "0.2.0"

/** The deepest nesting of arrays and objects (XML-RPC arrays and structs)
 *  any decoder of the library accepts in an answer, counted from the
 *  outermost one of the document (a JSON-RPC envelope counts as one). A
 *  deeper answer fails with ODOO_ERR_PROTOCOL, "nesting deeper than 128".
 *  The request encoders refuse deeper values too. */
#define ODOO_MAX_NESTING 128

#if defined(__GNUC__) || defined(__clang__)
#  define ODOO_EXTERN(type) __attribute__((visibility("default"))) type
#else
#  define ODOO_EXTERN(type) type
#endif

#ifdef __cplusplus
#  define ODOO_BEGIN_DECLS extern "C" {
#  define ODOO_END_DECLS }
#else
#  define ODOO_BEGIN_DECLS
#  define ODOO_END_DECLS
#endif

ODOO_BEGIN_DECLS

/** One connection to one Odoo server through one protocol adapter.
 *  Opaque to users; adapter authors see its layout in <odoo/sys/protocol.h>.
 *  A connection is not thread-safe: use one per thread. */
typedef struct odoo_protocol odoo_protocol;

/** The library version as a string, e.g. "0.2.0". Static storage. */
ODOO_EXTERN(const char *) odoo_version_string(void);

ODOO_END_DECLS

#endif
