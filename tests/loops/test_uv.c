/* The libuv adapter (<odoo/adapters/libuv.h>) through the bodies of loops.c. */
#include <stdlib.h>

#include <criterion/criterion.h>
#include <odoo/adapters/libuv.h>

#include "loops.h"

static void *uv_open(void)
{
    uv_loop_t *loop = malloc(sizeof(*loop));
    cr_assert(loop && uv_loop_init(loop) == 0);
    return loop;
}

static int uv_attach(odoo_multi *m, void *loop, odoo_rpc_error *err)
{
    return odoo_uv_attach(m, (uv_loop_t *)loop, err);
}

static int uv_run_dry(void *loop)
{
    return uv_run((uv_loop_t *)loop, UV_RUN_DEFAULT);
}

static void stop_loop(uv_timer_t *t)
{
    uv_stop(t->loop);
}

static void uv_run_for(void *loop, long ms)
{
    uv_timer_t t;
    uv_timer_init((uv_loop_t *)loop, &t);
    uv_timer_start(&t, stop_loop, (uint64_t)ms, 0);
    uv_run((uv_loop_t *)loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&t, NULL);
    uv_run((uv_loop_t *)loop, UV_RUN_NOWAIT); /* t's close */
}

/* The close callbacks of the adapter's handles run, then the loop closes:
 * UV_EBUSY if a handle is left. */
static int uv_close_loop(void *loop)
{
    uv_run((uv_loop_t *)loop, UV_RUN_DEFAULT);
    int rc = uv_loop_close((uv_loop_t *)loop);
    if (rc == 0)
        free(loop);
    return rc;
}

static const loop_driver uv = {
    "libuv", uv_open, uv_attach, odoo_uv_detach, uv_run_dry, uv_run_for, uv_close_loop,
};
const loop_driver *loops_uv = &uv;

Test(uv, hundred_calls_on_every_protocol, .timeout = 60) { loops_hundred_calls(&uv); }
Test(uv, attach_twice_refused_detach_then_free, .timeout = 30) { loops_attach_twice_and_detach(&uv, loops_event); }
Test(uv, multi_freed_inside_a_callback, .timeout = 30) { loops_free_inside_callback(&uv); }
Test(uv, multi_freed_while_attached, .timeout = 30) { loops_free_while_attached(&uv); }
Test(uv, call_timeouts_through_the_loop_timer, .timeout = 30) { loops_call_timeouts(&uv); }
Test(uv, sixteen_calls_overlap, .timeout = 30) { loops_calls_overlap(&uv); }
