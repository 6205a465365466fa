/*
 * libodoo — releasing memory the library allocated for the caller.
 *
 * Text and buffers handed out by the library (odoo_error_to_json,
 * odoo_call_json, odoo_binary_decode, ...) come from the library's own
 * allocator: release them with odoo_free(), never with another free()
 * (a binding or a program linked against another C runtime cannot assume
 * they share one). json-c values are released with json_object_put().
 */
#ifndef ODOO_MEMORY_H
#define ODOO_MEMORY_H

#include "common.h"

ODOO_BEGIN_DECLS

/** Free a buffer or string the library allocated for the caller. On glibc
 *  the bytes are wiped first (call results may hold data the caller wants
 *  gone). NULL is fine. */
ODOO_EXTERN(void) odoo_free(void *ptr);

ODOO_END_DECLS

#endif
