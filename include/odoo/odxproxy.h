/*
 * libodoo — the ODXProxy gateway's operations endpoints.
 *
 * A connection of kind ODOO_PROTOCOL_ODXPROXY sends Odoo calls through
 * the gateway (options.proxy_url, options.proxy_api_key); these functions
 * reach the gateway's own endpoints on that connection. They fail with
 * ODOO_ERR_INVALID_ARGUMENT on a connection of another kind.
 */
#ifndef ODOO_ODXPROXY_H
#define ODOO_ODXPROXY_H

#include "common.h"
#include "errors.h"

ODOO_BEGIN_DECLS

/** GET /_/about: the gateway's build, e.g. {"build": "...", "version": "0.9.0"}
 *  (accepted enveloped or flat). Caller releases *out. */
ODOO_EXTERN(int) odoo_odxproxy_about(json_object **out, odoo_protocol *p, odoo_rpc_error *err);

/** GET /_/license: {"licensee": ..., "valid_until": ..., "is_valid": bool}. */
ODOO_EXTERN(int) odoo_odxproxy_license(json_object **out, odoo_protocol *p, odoo_rpc_error *err);

/** GET /_/metrics: Prometheus text. *out is a NUL-terminated string the
 *  caller frees with free(). */
ODOO_EXTERN(int) odoo_odxproxy_metrics(char **out, odoo_protocol *p, odoo_rpc_error *err);

/** POST /api/odoo/version (v1) or /v2/odoo/version (v2, Odoo 19+ through
 *  JSON-2): the version of the Odoo behind the gateway (options.url).
 *  api is 1 or 2. Caller releases *out. */
ODOO_EXTERN(int) odoo_odxproxy_odoo_version(json_object **out, odoo_protocol *p, int api, odoo_rpc_error *err);

/** The gateway API generation in use (1 or 2), choosing it now if needed. */
ODOO_EXTERN(int) odoo_odxproxy_api(odoo_protocol *p, odoo_rpc_error *err);

ODOO_END_DECLS

#endif
