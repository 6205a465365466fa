/* The row cursor (odoo/cursor.h) on the incremental decoder (jstream.h).
 *
 * Until the records begin, the bytes read are kept (up to
 * CURSOR_MAX_PRELUDE): an answer that holds no records (an error
 * envelope, a JSON-2 error body, an HTML page) then goes whole to the DOM
 * path's readers (odoo_jsonrpc_decode, odoo__error_from_json2), so every
 * error is mapped once, there. The current record's strings are views
 * of the window where they lie whole in it (the record then costs no
 * copy), else copies in one arena; a feed copies the views of a record
 * half read into the arena, so a record may span any number of feeds.
 * A record that lies whole in the window and holds only what Odoo's
 * records hold is read in one pass (record_flat); any other, event by
 * event (record_read), into the same fields. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/cursor.h"
#include "odoo/sys/jsonrpc.h"
#include "../errors/error_internal.h"
#include "../errors/parse.h"
#include "../adapters/xmlrpc_reply.h"
#include "../adapters/xmlrpc_stream.h"
#include "cursor_internal.h"
#include "jstream.h"
#include "jstream_scan.h"
#include "rows.h"

#define CURSOR_MAX_PRELUDE (1u << 20) /* an error answer larger than this is cut (not JSON then) */
/* XML-RPC's answer with its records left out: nothing else in it to check */
#define XMLRPC_NO_ROWS "<?xml version='1.0'?>\n<methodResponse><params><param><value><array><data>" \
                       "</data></array></value></param></params></methodResponse>"

enum { C_START, C_ENV, C_ENV_VALUE, C_ROWS, C_REC, C_REC_ARRAY, C_REC_JSON, C_TAIL, C_SKIP, C_DONE, C_FAILED };

/* A field of the current record. Its key and string (a string, a
 * many2one's name, a double's text) are each a view (key, s) of the
 * window c->in, or NULL and a copy in the arena at koff, soff (fkey,
 * fstr). A view of a key or string ends with a NUL written over its
 * closing quote, which the decoder has read; a double's text has none. */
typedef struct cfield {
    const char *key;
    size_t koff, klen;
    odoo_field_type type;
    int64_t i;
    double d;
    const char *s;
    size_t soff, slen;
    size_t ids, nids;   /* in c->ids */
    json_object *json;  /* ODOO_FIELD_TYPE_OTHER */
} cfield;

struct odoo_cursor {
    odoo__jstream js;
    odoo__xmlrpc_stream *xs; /* ODOO_CURSOR_XMLRPC's decoder instead of js */
    odoo_cursor_options o;
    char *ctype, *idstr;
    odoo_buf in;        /* the window the decoder reads */
    odoo_buf prelude;   /* the bytes before the records */
    int keep_prelude, keep_tail, raw_only, row_current, same_order, state, rows_depth, finished, id_seen_bad, rc;
    int order_ok;       /* the record's keys so far are the first record's, in its order */
    size_t fast_n;      /* fields found by position alone: nnames with a current record in order, else 0 */
    size_t njson;       /* fields of the record holding a json-c value */
    size_t rows;
    size_t flat;        /* of them, read by record_flat */
    /* the current record */
    cfield *f;
    size_t nf, capf;
    odoo_buf arena;
    int64_t *ids;
    size_t nids, capids;
    odoo__jdom dom;
    size_t skip_depth;
    int env_key;        /* 1 result, 2 error, 3 id, 0 other */
    /* the first record's field names */
    odoo_buf names;
    size_t *name_off, *name_len, nnames;
};

odoo_cursor *odoo_cursor_new(const odoo_cursor_options *opts)
{
    odoo_cursor *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    odoo_cursor_options d = ODOO_CURSOR_OPTIONS_INIT;
    c->o = opts ? *opts : d;
    if (!c->o.http_status)
        c->o.http_status = 200;
    if ((opts && opts->content_type && !(c->ctype = strdup(opts->content_type))) ||
        (opts && opts->expected_id_str && !(c->idstr = strdup(opts->expected_id_str)))) {
        odoo_cursor_free(c);
        return NULL;
    }
    c->o.content_type = c->ctype;
    c->o.expected_id_str = c->idstr;
    odoo__js_limits lim = { 0, c->o.max_string, c->o.max_document };
    odoo__js_init(&c->js, &lim);
    if (c->o.shape == ODOO_CURSOR_XMLRPC && !(c->xs = odoo__xs_new(&lim))) {
        odoo_cursor_free(c);
        return NULL;
    }
    odoo__jdom_init(&c->dom);
    c->keep_prelude = 1;
    return c;
}

static void record_clear(odoo_cursor *c)
{
    for (size_t i = 0; c->njson && i < c->nf; i++)
        if (c->f[i].type == ODOO_FIELD_TYPE_OTHER)
            json_object_put(c->f[i].json);
    c->njson = 0;
    c->nf = 0;
    c->nids = 0;
    c->fast_n = 0;
    if (c->arena.len)
        odoo_buf_reset(&c->arena, 0);
}

static size_t arena_copy(odoo_cursor *c, const char *s, size_t len)
{
    size_t at = c->arena.len;
    odoo_buf_append(&c->arena, s, len);
    odoo_buf_append(&c->arena, "", 1);
    return at;
}

static inline const char *fkey(const odoo_cursor *c, const cfield *f)
{
    return f->key ? f->key : c->arena.data + f->koff;
}

static inline const char *fstr(const odoo_cursor *c, const cfield *f)
{
    return f->s ? f->s : c->arena.data + f->soff;
}

/* The record's views of the window become copies: the window is about to
 * move (a feed). 0, or -1 without memory. */
static int record_detach(odoo_cursor *c)
{
    for (size_t i = 0; i < c->nf; i++) {
        cfield *f = &c->f[i];
        if (f->key)
            f->koff = arena_copy(c, f->key, f->klen), f->key = NULL;
        if (f->s)
            f->soff = arena_copy(c, f->s, f->slen), f->s = NULL;
    }
    return c->arena.failed ? -1 : 0;
}

void odoo_cursor_free(odoo_cursor *c)
{
    if (!c)
        return;
    record_clear(c);
    odoo__js_free(&c->js);
    odoo__xs_free(c->xs);
    odoo__jdom_free(&c->dom);
    odoo_buf_free(&c->in);
    odoo_buf_free(&c->prelude);
    odoo_buf_free(&c->arena);
    odoo_buf_free(&c->names);
    free(c->f);
    free(c->ids);
    free(c->name_off);
    free(c->name_len);
    free(c->ctype);
    free(c->idstr);
    free(c);
}

int odoo_cursor_feed(odoo_cursor *c, const char *data, size_t len)
{
    if (!c || (!data && len))
        return ODOO_ERR_INVALID_ARGUMENT;
    if (c->raw_only) {
        /* not JSON: the rest is only for the error report */
        size_t n = c->prelude.len + len > CURSOR_MAX_PRELUDE ? CURSOR_MAX_PRELUDE - c->prelude.len : len;
        odoo_buf_append(&c->prelude, data, n);
        return c->prelude.failed ? ODOO_ERR_NOMEM : 0;
    }
    if (c->xs) { /* it parses the bytes at once: the prelude is what was fed before the records */
        if (c->keep_prelude)
            odoo_buf_append(&c->prelude, data,
                            c->prelude.len + len > CURSOR_MAX_PRELUDE ? CURSOR_MAX_PRELUDE - c->prelude.len : len);
        return c->prelude.failed ? ODOO_ERR_NOMEM : odoo__xs_feed(c->xs, data, len);
    }
    /* The decoder's window is c->in: keep its unread rest, add the new
     * bytes after it, and hand it the whole again. */
    if (record_detach(c) != 0)
        return ODOO_ERR_NOMEM;
    size_t unread = c->js.base ? c->js.len - c->js.pos : 0;
    if (unread && c->js.pos)
        memmove(c->in.data, c->in.data + c->js.pos, unread);
    c->in.len = unread;
    odoo_buf_append(&c->in, data, len);
    if (c->in.failed)
        return ODOO_ERR_NOMEM;
    odoo__js_feed(&c->js, c->in.data, c->in.len);
    return 0;
}

void odoo_cursor_finish(odoo_cursor *c)
{
    if (!c)
        return;
    c->finished = 1;
    odoo__js_finish(&c->js);
    if (c->xs)
        odoo__xs_finish(c->xs);
}

size_t odoo_cursor_row_count(const odoo_cursor *c)
{
    return c ? c->rows : 0;
}

size_t odoo__cursor_flat_records(const odoo_cursor *c)
{
    return c ? c->flat : 0;
}

static int fail(odoo_cursor *c, odoo_rpc_error *err, int rc)
{
    (void)err; /* filled by the caller's mapper */
    c->state = C_FAILED;
    c->fast_n = 0;
    c->rc = rc;
    return rc;
}

/* No records came: the DOM path reads what was kept and maps the error. */
static int decode_whole(odoo_cursor *c, odoo_rpc_error *err)
{
    int rc;
    char *body = c->prelude.data ? c->prelude.data : (char *)"";
    if (c->xs) {
        json_object *result = NULL;
        rc = odoo__xmlrpc_decode_response(body, c->prelude.len, c->o.http_status, c->ctype, &result, err);
        json_object_put(result);
        if (rc == 0) /* a result that is no list, or one the cursor refused (a limit) */
            rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "the XML-RPC result is not a list of records%s%s",
                                 c->xs->why[0] ? ": " : "", c->xs->why);
        return fail(c, err, rc);
    }
    if (c->o.shape == ODOO_CURSOR_JSON2) {
        if (c->o.http_status != 200)
            return fail(c, err, odoo__error_from_json2(err, c->o.http_status, c->ctype, body, c->prelude.len));
        return fail(c, err, odoo__error_set(err, ODOO_ERR_PROTOCOL, "the JSON-2 answer is not a list of records"));
    }
    odoo_http_response resp = { c->o.http_status, c->ctype, body, c->prelude.len, -1 };
    odoo_jsonrpc_id id = { c->idstr ? 2 : c->o.expected_id > 0 ? 1 : 0, c->o.expected_id, c->idstr };
    json_object *result = NULL;
    rc = odoo_jsonrpc_decode(&result, &resp, c->o.shape == ODOO_CURSOR_GATEWAY ? ODOO_JSONRPC_GATEWAY : ODOO_JSONRPC_ODOO,
                             &id, err);
    json_object_put(result);
    if (rc == 0)
        rc = odoo__error_set(err, ODOO_ERR_PROTOCOL, "the JSON-RPC result is not a list of records");
    return fail(c, err, rc);
}

static int status_ok(const odoo_cursor *c)
{
    long s = c->o.http_status;
    return c->o.shape == ODOO_CURSOR_GATEWAY ? s >= 200 && s < 300 : s == 200;
}

/* A view of the token's text where it lies whole in the window (nul: end
 * it with a NUL, over the string's closing quote), or NULL. The JSON
 * decoder's own buffers (a string with escapes, one cut by a feed) and
 * another event source's are not the window: those are copied. */
static inline const char *borrow(odoo_cursor *c, const odoo__js_token *t, int nul)
{
    size_t at = (size_t)((uintptr_t)t->str - (uintptr_t)c->in.data);
    if (c->xs || at >= c->in.len)
        return NULL;
    if (nul)
        c->in.data[at + t->len] = '\0';
    return t->str;
}

/* a == b, n bytes: keys are short, and a call to memcmp costs more than
 * two overlapping loads of each (none reads beyond the n bytes). */
static inline int key_eq(const char *a, const char *b, size_t n)
{
    uint64_t x, y, u, v;
    uint32_t x4, y4, u4, v4;
    uint16_t x2, y2, u2, v2;
    if (n >= 8 && n <= 16) {
        memcpy(&x, a, 8), memcpy(&y, b, 8), memcpy(&u, a + n - 8, 8), memcpy(&v, b + n - 8, 8);
        return ((x ^ y) | (u ^ v)) == 0;
    }
    if (n >= 4 && n < 8) {
        memcpy(&x4, a, 4), memcpy(&y4, b, 4), memcpy(&u4, a + n - 4, 4), memcpy(&v4, b + n - 4, 4);
        return ((x4 ^ y4) | (u4 ^ v4)) == 0;
    }
    if (n >= 2 && n < 4) {
        memcpy(&x2, a, 2), memcpy(&y2, b, 2), memcpy(&u2, a + n - 2, 2), memcpy(&v2, b + n - 2, 2);
        return ((x2 ^ y2) | (u2 ^ v2)) == 0;
    }
    return n < 2 ? n == 0 || *a == *b : memcmp(a, b, n) == 0;
}

/* The next field of the record, its key (key, len) compared with the
 * first record's at the same place. NULL: no memory. */
static inline __attribute__((always_inline)) cfield *field_slot(odoo_cursor *c, const char *key, size_t len)
{
    if (c->nf == c->capf) {
        size_t cap = c->capf ? c->capf * 2 : 16;
        cfield *f = realloc(c->f, cap * sizeof(*f));
        if (!f)
            return NULL;
        c->f = f;
        c->capf = cap;
    }
    size_t i = c->nf++;
    cfield *f = &c->f[i];
    if (c->order_ok && !(i < c->nnames && len == c->name_len[i] && key_eq(key, c->names.data + c->name_off[i], len)))
        c->order_ok = 0;
    f->type = ODOO_FIELD_ABSENT;
    f->s = NULL;
    f->klen = len;
    return f;
}

static cfield *field_new(odoo_cursor *c, const odoo__js_token *t)
{
    cfield *f = field_slot(c, t->str, t->len);
    if (!f)
        return NULL;
    if (!(f->key = borrow(c, t, 1)))
        f->koff = arena_copy(c, t->str, t->len);
    return c->arena.failed ? NULL : f;
}

static int ids_push(odoo_cursor *c, int64_t v)
{
    if (c->nids == c->capids) {
        size_t cap = c->capids ? c->capids * 2 : 64;
        int64_t *n = realloc(c->ids, cap * sizeof(*n));
        if (!n)
            return -1;
        c->ids = n;
        c->capids = cap;
    }
    c->ids[c->nids++] = v;
    return 0;
}

/* The token's text into f->s (a view or a copy); nul as borrow's. */
static void field_str(odoo_cursor *c, cfield *f, const odoo__js_token *t, int nul)
{
    f->slen = t->len;
    if (!(f->s = borrow(c, t, nul)))
        f->soff = arena_copy(c, t->str, t->len);
}

static void scalar_into(odoo_cursor *c, cfield *f, odoo__js_event ev, const odoo__js_token *t)
{
    switch (ev) {
    case ODOO_JS_STRING: f->type = ODOO_FIELD_TYPE_STRING; field_str(c, f, t, 1); break;
    case ODOO_JS_INT: f->type = ODOO_FIELD_TYPE_INT; f->i = t->i; break;
    case ODOO_JS_DOUBLE:
        f->type = ODOO_FIELD_TYPE_DOUBLE;
        f->d = t->d;
        field_str(c, f, t, 0); /* the text, for the json-c view */
        break;
    case ODOO_JS_TRUE: f->type = ODOO_FIELD_TYPE_TRUE; break;
    case ODOO_JS_FALSE: f->type = ODOO_FIELD_TYPE_FALSE; break;
    default: f->type = ODOO_FIELD_TYPE_NULL; break;
    }
}

/* The array of the current field is not ids or a many2one: what was
 * read of it becomes json-c and the DOM builder goes on from there. */
static int array_to_json(odoo_cursor *c, cfield *f)
{
    json_object *a = json_object_new_array();
    if (!a)
        return -1;
    for (size_t i = 0; i < f->nids; i++)
        if (json_object_array_add(a, json_object_new_int64(c->ids[f->ids + i])) != 0)
            return json_object_put(a), -1;
    if (f->type == ODOO_FIELD_TYPE_MANY2ONE &&
        json_object_array_add(a, json_object_new_string_len(fstr(c, f), (int)f->slen)) != 0)
        return json_object_put(a), -1;
    f->type = ODOO_FIELD_TYPE_OTHER;
    f->json = NULL;
    c->njson++;
    odoo__jdom_resume(&c->dom, a);
    return 0;
}

/* One event inside a record (the record object itself at rows_depth+1). */
static int record_event(odoo_cursor *c, odoo__js_event ev, const odoo__js_token *t)
{
    if (c->state == C_REC && ev == ODOO_JS_KEY)
        return field_new(c, t) ? 0 : -1;
    if (c->state == C_REC && ev == ODOO_JS_OBJ_END)
        return 1; /* the record is complete */
    cfield *f = &c->f[c->nf - 1]; /* a value: its key came */
    switch (c->state) {
    case C_REC:
        if (ev == ODOO_JS_ARR_BEGIN) {
            f->type = ODOO_FIELD_TYPE_IDS;
            f->ids = c->nids;
            f->nids = 0;
            c->state = C_REC_ARRAY;
            return 0;
        }
        if (ev == ODOO_JS_OBJ_BEGIN) {
            f->type = ODOO_FIELD_TYPE_OTHER;
            f->json = NULL;
            c->njson++;
            c->state = C_REC_JSON;
            return odoo__jdom_event(&c->dom, ev, t) < 0 ? -1 : 0;
        }
        scalar_into(c, f, ev, t);
        return c->arena.failed ? -1 : 0;
    case C_REC_ARRAY:
        if (ev == ODOO_JS_ARR_END) {
            c->state = C_REC;
            return 0;
        }
        if (ev == ODOO_JS_INT && f->type == ODOO_FIELD_TYPE_IDS) {
            f->nids++;
            return ids_push(c, t->i);
        }
        if (ev == ODOO_JS_STRING && f->type == ODOO_FIELD_TYPE_IDS && f->nids == 1) {
            f->type = ODOO_FIELD_TYPE_MANY2ONE;
            f->i = c->ids[f->ids];
            field_str(c, f, t, 1);
            return c->arena.failed ? -1 : 0;
        }
        if (array_to_json(c, f) < 0)
            return -1;
        c->state = C_REC_JSON;
        /* fall through: the event goes to the builder */
        __attribute__((fallthrough));
    case C_REC_JSON: {
        int done = odoo__jdom_event(&c->dom, ev, t);
        if (done < 0)
            return -1;
        if (done) {
            f->json = odoo__jdom_take(&c->dom);
            c->state = C_REC;
        }
        return 0;
    }
    }
    return 0;
}

static void remember_names(odoo_cursor *c)
{
    if (c->rows != 1)
        return;
    c->name_off = malloc((c->nf ? c->nf : 1) * sizeof(size_t));
    c->name_len = malloc((c->nf ? c->nf : 1) * sizeof(size_t));
    if (!c->name_off || !c->name_len)
        return;
    for (size_t i = 0; i < c->nf; i++) {
        c->name_off[i] = c->names.len;
        c->name_len[i] = c->f[i].klen;
        odoo_buf_append(&c->names, fkey(c, &c->f[i]), c->f[i].klen + 1);
    }
    c->nnames = c->names.failed ? 0 : c->nf;
}

/* The record is complete. Whether it has the first record's fields in
 * its order (the rule with Odoo; field_new compared each key): then
 * field i is slot i, without a look. */
static int record_done(odoo_cursor *c)
{
    c->state = C_ROWS;
    c->rows++;
    remember_names(c);
    c->same_order = c->nf == c->nnames && (c->rows == 1 || c->order_ok);
    c->fast_n = c->same_order ? c->nnames : 0;
    c->row_current = 1;
    return ODOO_CURSOR_ROW;
}

static int id_matches(const odoo_cursor *c, odoo__js_event ev, const odoo__js_token *t)
{
    if (c->idstr)
        return ev == ODOO_JS_STRING && t->len == strlen(c->idstr) && memcmp(t->str, c->idstr, t->len) == 0;
    if (c->o.expected_id > 0)
        return ev == ODOO_JS_INT && t->i == c->o.expected_id;
    return 1;
}

/* The record whose '{' the decoder just read, in one pass, when it lies
 * whole in the window and holds only what Odoo's records hold: keys and
 * strings without an escape, the numbers and literals the decoder takes
 * where they lie (odoo__js_word_fast), arrays of integers (x2many) or an
 * integer and a string (many2one). c->f then holds what record_event
 * would have made of its events (1), views of the window each, their
 * NULs written only then. 0: anything else (an escape, a nested object,
 * an empty record, a rare number, the window ending first, a string over
 * the limit): the decoder reads the record from its '{' event by event,
 * and says what is wrong with it; nothing was changed here that it does
 * not reset. -1: no memory. */
static int record_flat(odoo_cursor *c)
{
    const unsigned char *p, *end, *q;
    int clean;
    odoo__js_token t;
    /* the arrays open one level below the record: the decoder's check */
    if (c->xs || !odoo__js_object_window(&c->js, &p, &end) || c->js.depth + 1 > c->js.lim.max_depth)
        return 0;
    const size_t max = c->js.lim.max_string;
#define WS()                                                                                                          \
    do {                                                                                                              \
        while (p < end && is_ws(*p))                                                                                  \
            p++;                                                                                                      \
        if (p == end)                                                                                                 \
            goto not_here;                                                                                            \
    } while (0)
/* a string without escapes at p, whole in the window: q its closing quote */
#define STRING()                                                                                                      \
    do {                                                                                                              \
        q = string_end(p + 1, end, &clean);                                                                           \
        if (!q || !clean || (size_t)(q - p - 1) > max)                                                                \
            goto not_here;                                                                                            \
    } while (0)
    for (;;) {
        WS();
        if (*p != '"')
            goto not_here;
        STRING();
        cfield *f = field_slot(c, (const char *)p + 1, (size_t)(q - p - 1));
        if (!f)
            return -1;
        f->key = (const char *)p + 1;
        p = q + 1;
        WS();
        if (*p != ':')
            goto not_here;
        p++;
        WS();
        if (*p == '"') {
            STRING();
            f->type = ODOO_FIELD_TYPE_STRING;
            f->s = (const char *)p + 1;
            f->slen = (size_t)(q - p - 1);
            p = q + 1;
        } else if (*p == '[') {
            f->type = ODOO_FIELD_TYPE_IDS;
            f->ids = c->nids;
            f->nids = 0;
            p++;
            WS();
            if (*p != ']') {
                for (;;) {
                    if (*p == '"' && f->nids == 1) { /* a many2one's name: the array ends after it */
                        STRING();
                        f->type = ODOO_FIELD_TYPE_MANY2ONE;
                        f->i = c->ids[f->ids];
                        f->s = (const char *)p + 1;
                        f->slen = (size_t)(q - p - 1);
                        p = q + 1;
                        WS();
                        if (*p != ']')
                            goto not_here;
                        break;
                    }
                    if (odoo__js_word_fast(&t, p, end, &q) != ODOO_JS_INT)
                        goto not_here;
                    if (ids_push(c, t.i) != 0)
                        return -1;
                    f->nids++;
                    p = q;
                    WS();
                    if (*p == ']')
                        break;
                    if (*p != ',')
                        goto not_here;
                    p++;
                    WS();
                }
            }
            p++;
        } else {
            odoo__js_event ev = odoo__js_word_fast(&t, p, end, &q);
            switch (ev) {
            case ODOO_JS_INT: f->type = ODOO_FIELD_TYPE_INT; f->i = t.i; break;
            case ODOO_JS_DOUBLE: /* the text too, for the json-c view (no NUL) */
                f->type = ODOO_FIELD_TYPE_DOUBLE;
                f->d = t.d;
                f->s = (const char *)p;
                f->slen = (size_t)(q - p);
                break;
            case ODOO_JS_TRUE: f->type = ODOO_FIELD_TYPE_TRUE; break;
            case ODOO_JS_FALSE: f->type = ODOO_FIELD_TYPE_FALSE; break;
            case ODOO_JS_NULL: f->type = ODOO_FIELD_TYPE_NULL; break;
            default: goto not_here; /* '{', a rare number, not JSON */
            }
            p = q;
        }
        WS();
        if (*p == '}')
            break;
        if (*p != ',')
            goto not_here;
        p++;
    }
#undef WS
#undef STRING
    /* every view ends with a NUL over its closing quote, as borrow's */
    for (size_t i = 0; i < c->nf; i++) {
        cfield *f = &c->f[i];
        ((char *)f->key)[f->klen] = '\0';
        if (f->type == ODOO_FIELD_TYPE_STRING || f->type == ODOO_FIELD_TYPE_MANY2ONE)
            ((char *)f->s)[f->slen] = '\0';
    }
    odoo__js_object_read(&c->js, p + 1);
    c->flat++;
    return 1;
not_here:
    c->nf = 0;
    c->nids = 0;
    c->order_ok = 1;
    return 0;
}

/* The event source: the JSON decoder, or XML-RPC's. */
static inline odoo__js_event next_event(odoo_cursor *c)
{
    return c->xs ? odoo__xs_next(c->xs) : odoo__js_next(&c->js);
}

static inline const odoo__js_token *event_token(const odoo_cursor *c)
{
    return c->xs ? &c->xs->tok : &c->js.tok;
}

/* Events into the current record until it is complete (1), or an event
 * that is not the record's (0, *last: MORE, END, ERROR), or no memory. No
 * prelude is kept while records are read: nothing else to look at. */
static int record_read(odoo_cursor *c, odoo__js_event *last)
{
    const odoo__js_token *t = event_token(c);
    for (;;) {
        odoo__js_event ev = next_event(c);
        if (ev <= ODOO_JS_END) {
            *last = ev;
            return 0;
        }
        int r = record_event(c, ev, t);
        if (r)
            return r;
    }
}

int odoo_cursor_next(odoo_cursor *c, odoo_rpc_error *err)
{
    if (!c)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "no cursor");
    if (c->state == C_FAILED)
        return c->rc;
    if (c->state == C_DONE)
        return ODOO_CURSOR_DONE;
    if (c->row_current) {
        record_clear(c); /* a record half read stays across MORE */
        c->row_current = 0;
    }
    odoo_rpc_error_clear(err);
    if (c->raw_only)
        return c->finished ? decode_whole(c, err) : ODOO_CURSOR_MORE;
    for (;;) {
        size_t before = c->js.pos;
        odoo__js_event ev = ODOO_JS_ERROR; /* set by record_read or next_event when not returned before */
        if (c->state >= C_REC && c->state <= C_REC_JSON) {
            int r = c->state == C_REC && c->nf == 0 ? record_flat(c) : 0;
            if (r == 0)
                r = record_read(c, &ev);
            if (r < 0)
                return fail(c, err, odoo__error_nomem(err));
            if (r == 1)
                return record_done(c);
        } else {
            ev = next_event(c);
        }
        if ((c->keep_prelude || c->keep_tail) && c->js.base && c->prelude.len < CURSOR_MAX_PRELUDE) {
            size_t upto = ev == ODOO_JS_MORE || ev == ODOO_JS_ERROR ? c->js.len : c->js.pos;
            size_t n = upto - before;
            if (c->prelude.len + n > CURSOR_MAX_PRELUDE)
                n = CURSOR_MAX_PRELUDE - c->prelude.len;
            odoo_buf_append(&c->prelude, (const char *)c->js.base + before, n);
        }
        if (ev == ODOO_JS_MORE)
            return ODOO_CURSOR_MORE;
        if (ev == ODOO_JS_ERROR) {
            if ((c->xs ? c->xs->refused : c->js.refused) == -2)
                return fail(c, err, odoo__error_nomem(err));
            if (c->keep_prelude) {
                c->raw_only = 1;
                return c->finished ? decode_whole(c, err) : ODOO_CURSOR_MORE;
            }
            return fail(c, err, odoo__error_set(err, ODOO_ERR_PROTOCOL, "the answer broke off after %zu records: %s",
                                                c->rows, c->xs ? c->xs->why : c->js.why));
        }
        if (ev == ODOO_JS_END) {
            if (c->keep_prelude)
                return decode_whole(c, err);
            if (c->id_seen_bad)
                return fail(c, err, odoo__error_set(err, ODOO_ERR_PROTOCOL, "the answer's id does not match the request's"));
            c->state = C_DONE;
            return ODOO_CURSOR_DONE;
        }
        const odoo__js_token *t = event_token(c);
        size_t depth = c->xs ? c->xs->depth : odoo__js_depth(&c->js);
        switch (c->state) {
        case C_START:
            if (c->o.shape == ODOO_CURSOR_AUTO)
                c->o.shape = ev == ODOO_JS_ARR_BEGIN ? ODOO_CURSOR_JSON2 : ODOO_CURSOR_JSONRPC;
            if (!status_ok(c) || (ev != ODOO_JS_ARR_BEGIN && ev != ODOO_JS_OBJ_BEGIN)) {
                c->state = C_SKIP; /* read it all, then the DOM path says why */
            } else if (c->o.shape == ODOO_CURSOR_JSON2 || c->xs) { /* XML-RPC: the decoder gives the result alone */
                c->state = ev == ODOO_JS_ARR_BEGIN ? C_ROWS : C_SKIP;
                c->rows_depth = 1;
            } else {
                c->state = ev == ODOO_JS_OBJ_BEGIN ? C_ENV : C_SKIP;
            }
            if (c->state == C_ROWS)
                c->keep_prelude = 0; /* what came before stays: the envelope (rows.h) */
            if (c->state == C_ROWS && c->xs) {
                odoo_buf_reset(&c->prelude, 0);
                odoo_buf_lit(&c->prelude, XMLRPC_NO_ROWS);
            }
            break;
        case C_ENV:
            if (ev == ODOO_JS_OBJ_END)
                break; /* END follows */
            /* a key of the envelope */
            c->env_key = t->len == 6 && memcmp(t->str, "result", 6) == 0 ? 1
                       : t->len == 5 && memcmp(t->str, "error", 5) == 0  ? 2
                       : t->len == 2 && memcmp(t->str, "id", 2) == 0     ? 3
                                                                          : 0;
            c->state = C_ENV_VALUE;
            break;
        case C_ENV_VALUE:
            if (c->env_key == 1 && ev == ODOO_JS_ARR_BEGIN && c->keep_prelude && !c->id_seen_bad) {
                c->state = C_ROWS;
                c->rows_depth = 2;
                c->keep_prelude = 0;
                break;
            }
            if (c->env_key == 2 || c->env_key == 1) {
                /* an error, or a result that is no list: the DOM path reads it all */
                c->state = C_SKIP;
                break;
            }
            if (c->env_key == 3 && !id_matches(c, ev, t) && ev != ODOO_JS_NULL)
                c->id_seen_bad = 1;
            if (ev == ODOO_JS_OBJ_BEGIN || ev == ODOO_JS_ARR_BEGIN) {
                c->skip_depth = depth - 1;
                c->state = C_TAIL;
            } else {
                c->state = C_ENV;
            }
            break;
        case C_TAIL: /* a member's value being skipped */
            if (depth == c->skip_depth)
                c->state = C_ENV;
            break;
        case C_ROWS:
            if (ev == ODOO_JS_ARR_END) {
                c->state = c->rows_depth == 1 ? C_SKIP : C_ENV;
                if (!c->xs)
                    odoo_buf_append(&c->prelude, "]", 1); /* the envelope goes on after the records */
                c->keep_tail = 1;
                break;
            }
            if (ev != ODOO_JS_OBJ_BEGIN)
                return fail(c, err, odoo__error_set(err, ODOO_ERR_PROTOCOL, "record %zu is not an object", c->rows + 1));
            c->state = C_REC;
            c->order_ok = 1;
            break;
        default: /* C_SKIP: read to the end (the records' states are above) */
            break;
        }
    }
}

/* ---- field access ---- */

size_t odoo_cursor_field_count(const odoo_cursor *c)
{
    return c ? c->nnames : 0;
}

const char *odoo_cursor_field_name(const odoo_cursor *c, size_t index, size_t *len)
{
    if (!c || index >= c->nnames)
        return NULL;
    if (len)
        *len = c->name_len[index];
    return c->names.data + c->name_off[index];
}

long odoo_cursor_field_index(const odoo_cursor *c, const char *name)
{
    if (!c || !name)
        return -1;
    size_t n = strlen(name);
    for (size_t i = 0; i < c->nnames; i++)
        if (c->name_len[i] == n && memcmp(c->names.data + c->name_off[i], name, n) == 0)
            return (long)i;
    return -1;
}

/* The current record's value of field index (first record's order), in
 * a record that has not the first record's order. */
static const cfield *field_find(const odoo_cursor *c, long index)
{
    if (!c || index < 0 || (size_t)index >= c->nnames || c->state == C_FAILED || !c->row_current)
        return NULL;
    const char *name = c->names.data + c->name_off[index];
    size_t len = c->name_len[index];
    if ((size_t)index < c->nf) {
        const cfield *f = &c->f[index];
        if (f->klen == len && memcmp(fkey(c, f), name, len) == 0)
            return f;
    }
    for (size_t i = 0; i < c->nf; i++)
        if (c->f[i].klen == len && memcmp(fkey(c, &c->f[i]), name, len) == 0)
            return &c->f[i];
    return NULL;
}

static inline const cfield *field_at(const odoo_cursor *c, long index)
{
    return c && (size_t)index < c->fast_n ? &c->f[index] : field_find(c, index);
}

odoo_field_type odoo_cursor_type(const odoo_cursor *c, long index)
{
    const cfield *f = field_at(c, index);
    return f ? f->type : ODOO_FIELD_ABSENT;
}

/* The status for a field that is not of the wanted type. */
static odoo_field_status not_it(const cfield *f)
{
    if (!f)
        return ODOO_FIELD_MISSING;
    if (f->type == ODOO_FIELD_TYPE_FALSE)
        return ODOO_FIELD_UNSET;
    if (f->type == ODOO_FIELD_TYPE_NULL)
        return ODOO_FIELD_NULL;
    return ODOO_FIELD_WRONG_TYPE;
}

odoo_field_status odoo_cursor_int64(const odoo_cursor *c, long index, int64_t *out)
{
    const cfield *f = field_at(c, index);
    if (!f || f->type != ODOO_FIELD_TYPE_INT)
        return not_it(f);
    if (out)
        *out = f->i;
    return ODOO_FIELD_OK;
}

odoo_field_status odoo_cursor_double(const odoo_cursor *c, long index, double *out)
{
    const cfield *f = field_at(c, index);
    if (!f || (f->type != ODOO_FIELD_TYPE_DOUBLE && f->type != ODOO_FIELD_TYPE_INT))
        return not_it(f);
    if (out)
        *out = f->type == ODOO_FIELD_TYPE_INT ? (double)f->i : f->d;
    return ODOO_FIELD_OK;
}

odoo_field_status odoo_cursor_string(const odoo_cursor *c, long index, const char **s, size_t *len)
{
    const cfield *f = field_at(c, index);
    if (!f || f->type != ODOO_FIELD_TYPE_STRING)
        return not_it(f);
    if (s)
        *s = fstr(c, f);
    if (len)
        *len = f->slen;
    return ODOO_FIELD_OK;
}

odoo_field_status odoo_cursor_bool(const odoo_cursor *c, long index, int *out)
{
    const cfield *f = field_at(c, index);
    if (!f)
        return ODOO_FIELD_MISSING;
    if (f->type != ODOO_FIELD_TYPE_TRUE && f->type != ODOO_FIELD_TYPE_FALSE)
        return f->type == ODOO_FIELD_TYPE_NULL ? ODOO_FIELD_NULL : ODOO_FIELD_WRONG_TYPE;
    if (out)
        *out = f->type == ODOO_FIELD_TYPE_TRUE;
    return ODOO_FIELD_OK;
}

odoo_field_status odoo_cursor_many2one(const odoo_cursor *c, long index, int64_t *id, const char **name, size_t *len)
{
    const cfield *f = field_at(c, index);
    if (!f || f->type != ODOO_FIELD_TYPE_MANY2ONE)
        return not_it(f);
    if (id)
        *id = f->i;
    if (name)
        *name = fstr(c, f);
    if (len)
        *len = f->slen;
    return ODOO_FIELD_OK;
}

odoo_field_status odoo_cursor_ids(const odoo_cursor *c, long index, const int64_t **ids, size_t *n)
{
    const cfield *f = field_at(c, index);
    if (!f || f->type != ODOO_FIELD_TYPE_IDS)
        return not_it(f);
    if (ids)
        *ids = f->nids ? c->ids + f->ids : NULL;
    if (n)
        *n = f->nids;
    return ODOO_FIELD_OK;
}

static json_object *field_json(const odoo_cursor *c, const cfield *f, int *nomem)
{
    json_object *v = NULL;
    switch (f->type) {
    case ODOO_FIELD_TYPE_NULL: return NULL;
    case ODOO_FIELD_TYPE_FALSE: v = json_object_new_boolean(0); break;
    case ODOO_FIELD_TYPE_TRUE: v = json_object_new_boolean(1); break;
    case ODOO_FIELD_TYPE_INT: v = json_object_new_int64(f->i); break;
    case ODOO_FIELD_TYPE_DOUBLE: {
        /* json-c copies the text it prints, NUL-terminated (a view has none) */
        char small[64], *text = f->slen < sizeof(small) ? small : malloc(f->slen + 1);
        if (text) {
            memcpy(text, fstr(c, f), f->slen);
            text[f->slen] = '\0';
            v = json_object_new_double_s(f->d, text);
            if (text != small)
                free(text);
        }
        break;
    }
    case ODOO_FIELD_TYPE_STRING: v = json_object_new_string_len(fstr(c, f), (int)f->slen); break;
    case ODOO_FIELD_TYPE_MANY2ONE:
    case ODOO_FIELD_TYPE_IDS:
        v = json_object_new_array();
        for (size_t i = 0; v && i < f->nids; i++)
            if (json_object_array_add(v, json_object_new_int64(c->ids[f->ids + i])) != 0)
                json_object_put(v), v = NULL;
        if (v && f->type == ODOO_FIELD_TYPE_MANY2ONE &&
            json_object_array_add(v, json_object_new_string_len(fstr(c, f), (int)f->slen)) != 0)
            json_object_put(v), v = NULL;
        break;
    default: v = json_object_get(f->json); return v;
    }
    if (!v)
        *nomem = 1;
    return v;
}

odoo_field_status odoo_cursor_json(const odoo_cursor *c, long index, json_object **out)
{
    const cfield *f = field_at(c, index);
    if (!f)
        return ODOO_FIELD_MISSING;
    int nomem = 0;
    json_object *v = field_json(c, f, &nomem);
    if (nomem)
        return ODOO_FIELD_MISSING;
    if (out)
        *out = v;
    else
        json_object_put(v);
    return ODOO_FIELD_OK;
}

json_object *odoo_cursor_record(const odoo_cursor *c)
{
    if (!c || c->state == C_FAILED || !c->row_current)
        return NULL;
    json_object *o = json_object_new_object();
    for (size_t i = 0; o && i < c->nf; i++) {
        int nomem = 0;
        json_object *v = field_json(c, &c->f[i], &nomem);
        if (nomem || json_object_object_add(o, fkey(c, &c->f[i]), v) != 0) {
            json_object_put(v);
            json_object_put(o);
            return NULL;
        }
    }
    return o;
}

const char *odoo__cursor_envelope(const odoo_cursor *c, size_t *len, int *whole)
{
    *whole = c->keep_prelude;
    *len = c->prelude.len;
    return c->prelude.data ? c->prelude.data : "";
}
