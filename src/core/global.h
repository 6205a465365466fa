/* Private: process-wide set-up, done once. */
#ifndef ODOO_GLOBAL_H
#define ODOO_GLOBAL_H

/* Initialise libcurl and lift xmlrpc-c's process-wide XML size limit
 * (512 KiB by default) so the connection's own max_response_bytes is the
 * limit that applies. Thread-safe, idempotent. Returns 0 or -1. */
int odoo__global_init(void);

#endif
