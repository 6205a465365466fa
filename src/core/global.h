/* Private: process-wide set-up, done once. */
#ifndef ODOO_GLOBAL_H
#define ODOO_GLOBAL_H

/* Initialise libcurl (with allocators that wipe what it frees).
 * Thread-safe, idempotent. Returns 0 or -1. */
int odoo__global_init(void);

#endif
