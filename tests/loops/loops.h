/* The event-loop adapters' tests (include/odoo/adapters/): one body per
 * behaviour, run by each loop through a small driver. */
#ifndef ODOO_TEST_LOOPS_H
#define ODOO_TEST_LOOPS_H

#include <odoo.h>

/* What a body needs from a loop. */
typedef struct loop_driver {
    const char *name;
    void *(*open)(void);
    int (*attach)(odoo_multi *m, void *loop, odoo_rpc_error *err);
    void (*detach)(odoo_multi *m);
    int (*run)(void *loop);           /* until nothing is left to wait for: 0 when it ran dry */
    void (*run_for)(void *loop, long ms);
    int (*close)(void *loop);         /* 0: nothing was left in the loop */
} loop_driver;

/* The other loop's driver, to check that a multi attached to one loop is
 * refused by the other (NULL when it is not built). */
extern const loop_driver *loops_uv, *loops_event;

void loops_hundred_calls(const loop_driver *d);
void loops_attach_twice_and_detach(const loop_driver *d, const loop_driver *other);
void loops_free_inside_callback(const loop_driver *d);
void loops_free_while_attached(const loop_driver *d);
void loops_call_timeouts(const loop_driver *d);
void loops_calls_overlap(const loop_driver *d);

#endif
