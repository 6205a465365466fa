/*
 * libodoo — compatibility header: odoo_error_to_json, odoo_error_is_business
 * and odoo_rpc_error_new/free/kind are declared in <odoo/errors.h> now.
 * Text returned by odoo_error_to_json is freed with odoo_free (memory.h).
 */
#ifndef ODOO_ERROR_JSON_H
#define ODOO_ERROR_JSON_H

#include "errors.h"
#include "memory.h"

#endif
