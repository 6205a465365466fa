/* odoo_rows (odoo/rows.h): a streamed read pulled record by record. It is
 * one read in an odoo_multi of its own, whose driver (odoo__multi_pull)
 * runs the transfer only as far as the next record needs: the pages, the
 * login, the retries and the error mapping are the multi's call task's,
 * the same as every other call's. */
#include <stdlib.h>
#include <string.h>

#include "odoo/rows.h"
#include "../errors/error_internal.h"
#include "base.h"
#include "rows.h"

struct odoo_rows {
    odoo_multi *m;
    void *call;          /* the read in m, until its done ran */
    int rc;              /* ODOO_CURSOR_DONE or the error kind, once done ran */
    int done;
    odoo_rpc_error err;  /* the read's error, copied out on every next that gives it */
};

/* The read's error again into err (every next after it says it). */
static int give_error(const odoo_rows *r, odoo_rpc_error *err)
{
    const odoo_rpc_error *e = &r->err;
    if (!err)
        return e->kind;
    odoo__error_set(err, e->kind, "%s", e->message ? e->message : odoo_strerror(e->kind));
    err->code = e->code;
    err->http_status = e->http_status;
    err->retry_after = e->retry_after;
    if (e->error_class)
        odoo__error_set_class(err, e->error_class);
    if (e->debug)
        odoo__error_set_debug(err, e->debug, strlen(e->debug));
    odoo__error_set_call(err, e->model, e->method);
    return e->kind;
}

static void on_done(json_object *result, const odoo_rpc_error *err, void *userdata)
{
    odoo_rows *r = userdata;
    json_object_put(result);
    r->call = NULL;
    r->done = 1;
    r->rc = !err ? ODOO_CURSOR_DONE : err->kind != ODOO_OK ? (int)err->kind : ODOO_ERR_PROTOCOL;
}

int odoo_rows_open(odoo_rows **out, odoo_protocol *p, const char *model, const odoo_search_options *opts,
                   odoo_rpc_error *err)
{
    odoo__error_reset(err);
    if (!out)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "out is NULL");
    *out = NULL;
    if (!p || !model)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "connection or model is NULL");
    if (p->busy) /* its multi would queue the read behind a call no one drives */
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "the connection has a call in progress in an odoo_multi or an odoo_rows");
    odoo_rows *r = calloc(1, sizeof(*r));
    if (!r)
        return odoo__error_nomem(err);
    r->err = (odoo_rpc_error)ODOO_RPC_ERROR_INIT;
    int rc = odoo_multi_new(&r->m, NULL, err);
    if (rc == 0)
        rc = odoo__multi_add_pull(&r->call, r->m, p, model, opts, on_done, r, &r->err, err);
    if (rc) {
        odoo_rows_close(r);
        return rc;
    }
    *out = r;
    return 0;
}

int odoo_rows_next(odoo_rows *r, const odoo_cursor **row, odoo_rpc_error *err)
{
    odoo__error_reset(err);
    if (!r || !row)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "rows reader or row is NULL");
    *row = NULL;
    if (!r->done) {
        int rc = odoo__multi_pull(r->m, &r->call, row, err);
        if (rc == ODOO_CURSOR_ROW)
            return rc;
        if (rc < 0) /* the multi itself failed (poll, libcurl): the read cannot go on */
            return rc;
    }
    return r->rc < 0 ? give_error(r, err) : r->rc;
}

void odoo_rows_close(odoo_rows *r)
{
    if (!r)
        return;
    odoo_multi_free(r->m); /* a read still running ends cancelled: on_done */
    odoo_rpc_error_clear(&r->err);
    free(r);
}
