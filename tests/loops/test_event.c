/* The libevent adapter (<odoo/adapters/libevent.h>) through the bodies of loops.c. */
#include <criterion/criterion.h>
#include <odoo/adapters/libevent.h>

#include "loops.h"

static void *ev_open(void)
{
    struct event_base *base = event_base_new();
    cr_assert(base);
    return base;
}

static int ev_attach(odoo_multi *m, void *base, odoo_rpc_error *err)
{
    return odoo_event_attach(m, (struct event_base *)base, err);
}

/* event_base_loop says 1 when no event is pending or active. */
static int ev_run_dry(void *base)
{
    int rc = event_base_loop((struct event_base *)base, 0);
    return rc == 1 ? 0 : rc == 0 ? -1 : rc;
}

static void ev_run_for(void *base, long ms)
{
    struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
    event_base_loopexit((struct event_base *)base, &tv);
    event_base_dispatch((struct event_base *)base);
}

static int ev_close(void *base)
{
    int left = event_base_get_num_events((struct event_base *)base,
                                         EVENT_BASE_COUNT_ADDED | EVENT_BASE_COUNT_ACTIVE);
    event_base_free((struct event_base *)base);
    return left;
}

static const loop_driver ev = {
    "libevent", ev_open, ev_attach, odoo_event_detach, ev_run_dry, ev_run_for, ev_close,
};
const loop_driver *loops_event = &ev;

Test(event, hundred_calls_on_every_protocol, .timeout = 60) { loops_hundred_calls(&ev); }
Test(event, attach_twice_refused_detach_then_free, .timeout = 30) { loops_attach_twice_and_detach(&ev, loops_uv); }
Test(event, multi_freed_inside_a_callback, .timeout = 30) { loops_free_inside_callback(&ev); }
Test(event, multi_freed_while_attached, .timeout = 30) { loops_free_while_attached(&ev); }
Test(event, call_timeouts_through_the_loop_timer, .timeout = 30) { loops_call_timeouts(&ev); }
Test(event, sixteen_calls_overlap, .timeout = 30) { loops_calls_overlap(&ev); }
