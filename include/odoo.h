/*
 * libodoo — a C client for Odoo's external APIs (XML-RPC, JSON-RPC with a
 * web session, stateless /jsonrpc, JSON-2, and the ODXProxy gateway)
 * behind one interface.
 *
 * This umbrella header includes the whole public API. Adapter authors
 * also include <odoo/sys/protocol.h>.
 */
#ifndef ODOO_H
#define ODOO_H

#include "odoo/common.h"
#include "odoo/errors.h"
#include "odoo/options.h"
#include "odoo/client.h"
#include "odoo/multi.h"
#include "odoo/helpers.h"
#include "odoo/odxproxy.h"
#include "odoo/memory.h"
#include "odoo/values.h"
#include "odoo/dsn.h"
#include "odoo/extra.h"
#include "odoo/cursor.h"
#include "odoo/rows.h"

#endif
