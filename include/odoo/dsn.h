/*
 * libodoo — a connection from one URL (a DSN), and JSON-text calls: the
 * surface a binding or a configuration file needs.
 *
 *     odoo_connect_url(&p, "https://admin:KEY@erp.example.com/prod?protocol=json2&timeout=30",
 *                      NULL, err);
 *
 * The DSN: scheme://[login[:secret]@]host[:port][/database][?option=value&...]
 *   - scheme: http or https. login, secret and database are percent-decoded
 *     (a '@', ':' or '/' in them is written %40, %3A, %2F).
 *   - the secret is the password, unless auth=key says it is an API key;
 *     with protocol=json2 it is the API key (JSON-2 takes nothing else).
 *     An empty login is fine for json2 ("https://:KEY@host/db?protocol=json2").
 *   - the path is the database name alone ("/prod"); none: opts->db of the
 *     base options (JSON-2 on a single-database server needs none).
 * Options (each at most once; an unknown one is refused):
 *   protocol=auto|xmlrpc|jsonrpc|jsonrpc-stateless|json2|odxproxy (default auto)
 *   auth=password|key        what the secret in the URL is
 *   timeout=SECONDS          whole exchange (decimals allowed; > 0)
 *   connect_timeout=SECONDS
 *   insecure=1|0             1 turns TLS verification off: allowed, as the
 *                            explicit opt-in of options.tls_insecure, for test
 *                            servers; never use it against a real server
 *   ca_file=PATH, ca_path=PATH
 *   cert_file=PATH, key_file=PATH   a client certificate and its key (PEM)
 *   tls_min=1.2|1.3
 *   proxy=URL                the ODXProxy gateway's base URL (not an HTTP
 *                            proxy); its key comes from the base options,
 *                            never from a URL
 *   proxy_api=1|2, user_id=N the gateway's API version and the Odoo uid it sends
 * Credentials are refused in the query (password=, api_key=, key=): they
 * go in the userinfo. Secrets never appear in an error, and the copies the
 * parser made are wiped when it is done.
 */
#ifndef ODOO_DSN_H
#define ODOO_DSN_H

#include "common.h"
#include "errors.h"
#include "options.h"
#include "memory.h"

ODOO_BEGIN_DECLS

/** A parsed DSN. Opaque; it holds copies of the secrets. */
typedef struct odoo_dsn odoo_dsn;

/** Parse a DSN. *out is released with odoo_dsn_free(). Refused with
 *  ODOO_ERR_INVALID_ARGUMENT and a message that names the part (never its
 *  secret): not a URL, another scheme, a fragment, a path of more than one
 *  segment, an unknown, repeated or malformed option. */
ODOO_EXTERN(int) odoo_dsn_parse(odoo_dsn **out, const char *dsn, odoo_rpc_error *err);

/** Overlay the DSN on opts (initialised by the caller, e.g. ODOO_OPTIONS_INIT
 *  or a copy of other options): the members the DSN gives replace opts'
 *  own, the others stay. The strings put in opts are borrowed from dsn:
 *  valid until odoo_dsn_free(). kind (may be NULL) receives the protocol.
 *  Returns 0, or ODOO_ERR_INVALID_ARGUMENT for a NULL dsn or opts, or a
 *  DSN member opts' version does not have (tls_min needs version 2,
 *  cert_file and key_file version 3): refused, never dropped. */
ODOO_EXTERN(int) odoo_dsn_apply(const odoo_dsn *dsn, odoo_options *opts, odoo_protocol_kind *kind);

/** Wipe the secrets and free. NULL is fine. */
ODOO_EXTERN(void) odoo_dsn_free(odoo_dsn *dsn);

/** Parse dsn, overlay it on base (NULL: ODOO_OPTIONS_INIT; borrowed: its
 *  trace, context, user agent, gateway key... are used as they are) and
 *  odoo_connect() with the DSN's protocol. *out is released with odoo_close(). */
ODOO_EXTERN(int) odoo_connect_url(odoo_protocol **out, const char *dsn, const odoo_options *base,
                                  odoo_rpc_error *err);

/** odoo_execute_kw with JSON text in and out, for bindings: args_json is a
 *  JSON array (NULL or "": []), kwargs_json a JSON object (NULL or "": {}).
 *  *out receives the result as JSON text ("null" for Python None), which
 *  the caller frees with odoo_free(). Text that is not JSON of the right
 *  type is ODOO_ERR_INVALID_ARGUMENT, naming the argument and the byte
 *  offset. Errors are in err as for every call (odoo_error_to_json() turns
 *  them into JSON). */
ODOO_EXTERN(int) odoo_call_json(char **out, odoo_protocol *p, const char *model, const char *method,
                                const char *args_json, const char *kwargs_json, odoo_rpc_error *err);

ODOO_END_DECLS

#endif
