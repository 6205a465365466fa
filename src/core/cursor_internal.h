/* What the row cursor (cursor.c) shows the tests of its own workings. */
#ifndef ODOO_CURSOR_INTERNAL_H
#define ODOO_CURSOR_INTERNAL_H

#include <stddef.h>

#include "odoo/cursor.h"

/* Records read in one pass by the cursor's record reader (record_flat)
 * rather than event by event: a test of that reader checks it ran. */
size_t odoo__cursor_flat_records(const odoo_cursor *c);

#endif
