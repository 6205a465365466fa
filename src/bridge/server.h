/* odoo-bridge (private): the HTTP server. */
#ifndef ODOO_BRIDGE_SERVER_H
#define ODOO_BRIDGE_SERVER_H

#include <sys/socket.h>

#include "bridge.h"

struct MHD_Daemon;

/* Serve b on addr (port 0: a free one, written to *port) with at most
 * max_clients connections at once, one thread each. NULL on failure.
 * Stop with MHD_stop_daemon(), which waits for the requests in flight. */
struct MHD_Daemon *br_server_start(bridge *b, const struct sockaddr *addr, unsigned max_clients,
                                   unsigned short *port);

#endif
