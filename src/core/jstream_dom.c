/* json-c values from the incremental decoder's events (jstream.h). A
 * container goes into its parent when it opens (json-c values are
 * references), so no key waits on a stack: one pending key at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/errors.h"
#include "jstream.h"

void odoo__jdom_init(odoo__jdom *d)
{
    memset(d, 0, sizeof(*d));
}

void odoo__jdom_free(odoo__jdom *d)
{
    json_object_put(d->root);
    odoo_buf_free(&d->key);
    memset(d, 0, sizeof(*d));
}

json_object *odoo__jdom_take(odoo__jdom *d)
{
    json_object *v = d->root;
    d->root = NULL;
    d->depth = 0;
    d->done = d->have_key = 0;
    return v;
}

void odoo__jdom_resume(odoo__jdom *d, json_object *container)
{
    d->root = container;
    d->stack[1] = container;
    d->depth = 1;
    d->done = 0;
}

/* Put v (a new reference, NULL for null) where the grammar says. */
static int place(odoo__jdom *d, json_object *v, int is_null)
{
    if (!v && !is_null)
        return d->nomem = 1, -1;
    if (d->depth == 0) {
        d->root = v;
        d->done = 1;
        return 1;
    }
    json_object *parent = d->stack[d->depth];
    int rc;
    if (json_object_is_type(parent, json_type_object)) {
        rc = json_object_object_add(parent, d->key.data ? d->key.data : "", v);
        d->have_key = 0;
    } else {
        rc = json_object_array_add(parent, v);
    }
    if (rc != 0) {
        json_object_put(v);
        return d->nomem = 1, -1;
    }
    return 0;
}

int odoo__jdom_event(odoo__jdom *d, odoo__js_event ev, const odoo__js_token *t)
{
    json_object *v;
    switch (ev) {
    case ODOO_JS_KEY:
        odoo_buf_reset(&d->key, 0);
        odoo_buf_append(&d->key, t->str, t->len);
        if (d->key.failed)
            return d->nomem = 1, -1;
        d->have_key = 1;
        return 0;
    case ODOO_JS_OBJ_BEGIN:
    case ODOO_JS_ARR_BEGIN:
        v = ev == ODOO_JS_OBJ_BEGIN ? json_object_new_object() : json_object_new_array();
        if (!v)
            return d->nomem = 1, -1;
        if (d->depth && place(d, json_object_get(v), 0) < 0) {
            json_object_put(v);
            return -1;
        }
        if (d->depth == 0)
            d->root = json_object_get(v);
        d->stack[++d->depth] = v;
        json_object_put(v); /* the parent (or root) holds it */
        return 0;
    case ODOO_JS_OBJ_END:
    case ODOO_JS_ARR_END:
        /* json-c's tokener does the same: an array keeps no room to grow
         * (32 slots by default: 240 bytes more for a many2one's pair).
         * Failing, it keeps the room: nothing is lost. */
        if (ev == ODOO_JS_ARR_END)
            (void)json_object_array_shrink(d->stack[d->depth], 0);
        if (--d->depth == 0) {
            d->done = 1;
            return 1;
        }
        return 0;
    case ODOO_JS_STRING:
        return place(d, json_object_new_string_len(t->str, (int)t->len), 0);
    case ODOO_JS_INT:
        return place(d, json_object_new_int64(t->i), 0);
    case ODOO_JS_DOUBLE: {
        /* json-c keeps the text it read to print it back the same */
        char small[64], *s = t->len < sizeof(small) ? small : malloc(t->len + 1);
        if (!s)
            return d->nomem = 1, -1;
        memcpy(s, t->str, t->len);
        s[t->len] = '\0';
        v = json_object_new_double_s(t->d, s);
        if (s != small)
            free(s);
        return place(d, v, 0);
    }
    case ODOO_JS_TRUE:
    case ODOO_JS_FALSE:
        return place(d, json_object_new_boolean(ev == ODOO_JS_TRUE), 0);
    case ODOO_JS_NULL:
        return place(d, NULL, 1);
    default:
        return 0;
    }
}

int odoo__jstream_parse(const char *text, size_t len, size_t chunk, json_object **out, char *why, size_t whylen)
{
    odoo__jstream js;
    odoo__jdom d;
    int rc = -1;
    *out = NULL;
    if (why && whylen)
        why[0] = '\0';
    odoo__js_init(&js, NULL);
    odoo__jdom_init(&d);
    size_t at = 0;
    if (!chunk)
        chunk = len ? len : 1;
    for (;;) {
        odoo__js_event ev = odoo__js_next(&js);
        if (ev == ODOO_JS_MORE) {
            if (at >= len) {
                odoo__js_finish(&js);
                continue;
            }
            size_t n = len - at < chunk ? len - at : chunk;
            odoo__js_feed(&js, text + at, n);
            at += n;
            continue;
        }
        if (ev == ODOO_JS_ERROR) {
            if (why && whylen)
                snprintf(why, whylen, "%s", js.why);
            rc = js.refused == -2 ? ODOO_ERR_NOMEM : -1;
            break;
        }
        if (ev == ODOO_JS_END) {
            *out = odoo__jdom_take(&d);
            rc = 0;
            break;
        }
        if (odoo__jdom_event(&d, ev, &js.tok) < 0) {
            rc = ODOO_ERR_NOMEM;
            break;
        }
    }
    odoo__jdom_free(&d);
    odoo__js_free(&js);
    return rc;
}
