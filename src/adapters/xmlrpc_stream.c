/* The incremental XML-RPC decoder (xmlrpc_stream.h): the bytes of a
 * <methodResponse> as they arrive, to the JSON decoder's events, for the
 * row cursor.
 *
 * feed reads the bytes at once and queues the events they complete,
 * their strings in one arena; next pops them. Two readers feed the same
 * callbacks (start, text, end: what expat calls):
 *   - a scanner of the subset Python's xmlrpc.client (so Odoo) writes,
 *     as xmlrpc_scan.c reads it: tags without attributes, text checked
 *     and decoded by xmlrpc_scan.c's own check (odoo__xmlrpc_scan_text).
 *     A token cut by the end of the bytes waits in the window for the
 *     next ones;
 *   - expat, from the first token the scanner does not read (a comment,
 *     CDATA, an attribute, a space in a tag, another encoding, any
 *     error). Before the root element it reads the document from its
 *     start; inside, it is first given the start tags of the elements
 *     open at that point, muted, then the rest, so it judges the rest as
 *     it would in one pass. So what is accepted is what expat accepts,
 *     however far the records have come (xmlrpc_scan.c can give up and
 *     start again; a stream whose records are delivered cannot).
 * Memory: the window (the bytes fed and not yet read: a cut token) and
 * the events of one feed not yet pulled; with curl's 16 KiB writes, one
 * chunk's, plus a record held back (below). The queue and the arena
 * start again empty once read.
 *
 * The grammar is xmlrpc_sax.c's for a <methodResponse>, from
 * xmlrpc_grammar.h: a stack of frames mirrors the open elements and
 * says what may open where, with the same messages. Scalars go through xmlrpc_values.c (integers by its
 * odoo__xmlrpc_parse_int, the rest as the json-c value odoo__xmlrpc_scalar
 * makes, read into the token and released), so a value is exactly the
 * DOM decoders'; the text of a string is its value, as is.
 *
 * A member whose <value> opens before its <name> (xmlrpc_sax.c takes
 * it) holds the queue back from that point: its events wait until the
 * name comes, and the KEY is put in front of them.
 *
 * Measured (issue 12's target: the cursor on the 20,000 x 8 search_read
 * answer at most 0.25x Python xmlrpc.client's client CPU), Debian 12,
 * gcc 12.2 -O2 -g, expat 2.5.0, on gen.py's body (17.5 MB) and on
 * odoo-mock --partners 20000's (17.7 MB, 19,316 records):
 *
 *     python3 bench/xmlrpc-decode/gen.py 20000 /tmp/xd
 *     valgrind --tool=callgrind --toggle-collect=run_cursor \
 *         build/bench/xmlrpc-decode-bench cursor /tmp/xd/bench-20000.xml
 *     (scan: --toggle-collect=odoo__xmlrpc_parse_scan, expat: ..._expat)
 *     build/bench/xmlrpc-decode-bench cursor /tmp/xd/bench-20000.xml 10
 *
 *                                      instructions          wall (quiet)
 *                                      gen.py    mock        gen.py
 *     the cursor, 16 KiB feeds         612 M     637 M       60 ms
 *     DOM: the scanner (default)       323 M     338 M       83-102 ms
 *     DOM: expat                      1829 M    1894 M      276-525 ms
 *     expat alone under this decoder  2082 M       -        289 ms  (ab4941c)
 *     Python xmlrpc.client.loads, CPU: 1170-1230 ms (gen.py), 1280-1460 ms (mock)
 *
 * The cursor runs more instructions than the DOM scanner (the events are
 * queued, then read again by the cursor) but fewer cache misses (no tree:
 * about 1 record in memory), hence less time. End to end against
 * odoo-mock --partners 20000, client CPU of one search_read of the 8
 * fields (bench/xmlrpc-decode/search-read-cpu.c and .py):
 *     odoo_search_read_rows (XML-RPC, streamed)   60-82 ms
 *     odoo_search_read (XML-RPC, DOM)            120-160 ms
 *     Python ServerProxy.execute_kw             1263-1630 ms
 * (two runs of 3 each): 0.04-0.06x Python's, the target being 0.25x.
 * Expat alone (289 ms against loads' 1200) was 0.24x: hence the scanner
 * in front of it. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <json-c/json.h>

#include "odoo/errors.h"
#include "../errors/error_internal.h"
#include "xmlrpc_grammar.h"
#include "xmlrpc_scan.h"
#include "xmlrpc_stream.h"
#include "xmlrpc_values.h"

#define NO_HOLD ((size_t)-1)
/* Frames: four around the value, three per level of nesting, a scalar. */
#define MAX_FRAMES (4 + 3 * (ODOO_XMLRPC_MAX_DEPTH + 1) + 2)
/* expat is given at most this much at a time (it counts in int). */
#define SLICE (INT_MAX / 2)

typedef struct {
    odoo__xmlrpc_open el; /* tag, seen, count: xmlrpc_grammar.h */
    size_t qstart;      /* member whose value came first: where its KEY goes */
    const char *name;   /* as written (i8 or ex:i8): the scanner's end tag, expat's prefix */
    size_t name_len;
} frame;

typedef struct {
    odoo__js_event ev;
    size_t depth, off;
    int64_t i;
    double d;
    size_t s, len;      /* the string, in the arena */
} qevent;

struct odoo__xs_impl {
    XML_Parser parser;          /* once expat reads (NULL while the scanner does) */
    int mute;                   /* expat reads the prefix that reopens the scanner's elements */
    long long base;             /* document offset of expat's byte 0 */
    /* the scanner: the bytes fed and not yet read, [wpos, win.len) */
    odoo_xmlrpc_text win, scratch;
    size_t wpos, lt_from;       /* lt_from: bytes after wpos known to hold no '<' */
    size_t doc_off;             /* document offset of win.data[0] */
    size_t at;                  /* document offset of the token being read */
    int root_closed;
    frame frames[MAX_FRAMES];
    size_t top;                 /* frames[top] is the innermost open element */
    size_t depth;               /* open arrays and structs */
    odoo_xmlrpc_text text;      /* the innermost collecting element's text */
    qevent *q;
    size_t head, n, cap;        /* events [head, n) are still to pull */
    size_t hold, hold_frame;    /* events from hold wait for frames[hold_frame]'s name */
    odoo_xmlrpc_text arena;     /* the queued events' strings */
    size_t fed, max_string, max_document;
    int failed, finished, done;
};

/* The document offset of what is being read. */
static size_t where(const odoo__xs_impl *x)
{
    return x->parser ? (size_t)(x->base + XML_GetCurrentByteIndex(x->parser)) : x->at;
}

/* Stop with a reason (the first one wins); kind -2 no memory, 1 a limit. */
static void fail(odoo__xmlrpc_stream *xs, int kind, const char *fmt, ...) ODOO_PRINTF(3, 4);
static void fail(odoo__xmlrpc_stream *xs, int kind, const char *fmt, ...)
{
    odoo__xs_impl *x = xs->impl;
    if (x->failed)
        return;
    x->failed = 1;
    xs->refused = kind;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(xs->why, sizeof(xs->why), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < sizeof(xs->why))
        snprintf(xs->why + n, sizeof(xs->why) - (size_t)n, " (byte %zu)", where(x));
    if (x->parser)
        XML_StopParser(x->parser, XML_FALSE);
}

static void nomem(odoo__xmlrpc_stream *xs)
{
    fail(xs, -2, "out of memory");
}

/* ---- the queue ---- */

static qevent *slot(odoo__xmlrpc_stream *xs, size_t at)
{
    odoo__xs_impl *x = xs->impl;
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 256;
        qevent *q = realloc(x->q, cap * sizeof(*q));
        if (!q) {
            nomem(xs);
            return NULL;
        }
        x->q = q;
        x->cap = cap;
    }
    if (at < x->n)
        memmove(&x->q[at + 1], &x->q[at], (x->n - at) * sizeof(*x->q));
    x->n++;
    qevent *e = &x->q[at];
    memset(e, 0, sizeof(*e));
    e->ev = ODOO_JS_NULL;
    e->depth = x->depth;
    e->off = where(x);
    return e;
}

static qevent *push(odoo__xmlrpc_stream *xs, odoo__js_event ev)
{
    qevent *e = slot(xs, xs->impl->n);
    if (e)
        e->ev = ev;
    return e;
}

/* An event with a string (copied into the arena). */
static void push_str(odoo__xmlrpc_stream *xs, size_t at, odoo__js_event ev, const char *s, size_t n)
{
    odoo__xs_impl *x = xs->impl;
    if (odoo__xmlrpc_text_reserve(&x->arena, n) != 0) {
        nomem(xs);
        return;
    }
    qevent *e = slot(xs, at);
    if (!e)
        return;
    e->ev = ev;
    e->s = x->arena.len;
    e->len = n;
    memcpy(x->arena.data + x->arena.len, s, n);
    x->arena.data[x->arena.len + n] = '\0';
    x->arena.len += n + 1;
}

/* ---- the elements (the grammar: xmlrpc_grammar.h, as a response has it) ---- */

/* An element opens (tag_name: its name from the table, NULL if unknown). */
static void start(odoo__xmlrpc_stream *xs, int tag, const char *name, const char *tag_name)
{
    odoo__xs_impl *x = xs->impl;
    frame *parent = &x->frames[x->top];
    if (tag == XT_UNKNOWN || !odoo__xmlrpc_admit(&parent->el, tag, 0)) {
        if (parent->el.tag == XT_PARAMS && tag == XT_PARAM)
            fail(xs, 0, "<params> holds more than one <param>");
        else
            fail(xs, 0, "unexpected <%s> in <%s>", name, odoo__xmlrpc_tag_names[parent->el.tag]);
        return;
    }
    if ((tag == XT_STRUCT || tag == XT_ARRAY) && x->depth + 1 > ODOO_XMLRPC_MAX_DEPTH) {
        fail(xs, 0, "nesting deeper than %d levels", ODOO_XMLRPC_MAX_DEPTH);
        return;
    }
    if (tag == XT_VALUE && parent->el.tag == XT_MEMBER && !(parent->el.seen & XT_SEEN_NAME)) {
        /* the value before the name: hold its events back */
        parent->qstart = x->n;
        if (x->hold == NO_HOLD) {
            x->hold = x->n;
            x->hold_frame = x->top;
        }
    }
    frame *f = &x->frames[++x->top]; /* MAX_FRAMES bounds what the depth limit lets open */
    f->el.tag = (unsigned char)tag;
    f->el.seen = 0;
    f->el.count = 0;
    f->qstart = 0;
    f->name = tag_name;
    f->name_len = tag_name ? strlen(tag_name) : 0;
    if (tag == XT_STRUCT || tag == XT_ARRAY) {
        x->depth++;
        push(xs, tag == XT_STRUCT ? ODOO_JS_OBJ_BEGIN : ODOO_JS_ARR_BEGIN);
    } else if (tag == XT_FAULT) {
        xs->fault = 1;
    } else if (tag >= XT_VALUE) {
        x->text.len = 0;
    }
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    odoo__xmlrpc_stream *xs = ud;
    const char *tag_name = NULL;
    (void)attrs;
    if (!xs->impl->failed && !xs->impl->mute)
        start(xs, odoo__xmlrpc_tag_of(name, strlen(name), &tag_name), name, tag_name);
}

static void text(odoo__xmlrpc_stream *xs, const char *s, size_t n)
{
    odoo__xs_impl *x = xs->impl;
    const frame *f = &x->frames[x->top];
    if (odoo__xmlrpc_ignores_text(&f->el) || x->failed)
        return;
    if (x->text.len + (size_t)n > x->max_string) {
        fail(xs, 1, "a string or name longer than %zu bytes", x->max_string);
        return;
    }
    if (odoo__xmlrpc_text_reserve(&x->text, (size_t)n) != 0) {
        nomem(xs);
        return;
    }
    memcpy(x->text.data + x->text.len, s, n);
    x->text.len += n;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int n)
{
    odoo__xmlrpc_stream *xs = ud;
    if (!xs->impl->mute)
        text(xs, s, (size_t)n);
}

/* A closed scalar element: its value as the DOM decoders make it. */
static void scalar(odoo__xmlrpc_stream *xs, int tag)
{
    odoo__xs_impl *x = xs->impl;
    if (tag == XT_NIL) {
        push(xs, ODOO_JS_NULL);
        return;
    }
    x->text.data[x->text.len] = '\0'; /* odoo__xmlrpc_text_reserve keeps room for it */
    odoo_xmlrpc_scalar type = tag == XT_VALUE ? ODOO_XMLRPC_STRING : (odoo_xmlrpc_scalar)(tag - XT_STRING);
    if (type == ODOO_XMLRPC_STRING) { /* the text is the value (json-c's int length: max_string bounds it) */
        push_str(xs, x->n, ODOO_JS_STRING, x->text.data, x->text.len);
        return;
    }
    qevent *e;
    int64_t i;
    if ((type == ODOO_XMLRPC_INT || type == ODOO_XMLRPC_I8) && odoo__xmlrpc_parse_int(x->text.data, x->text.len, &i) == 0) {
        if ((e = push(xs, ODOO_JS_INT)))
            e->i = i;
        return;
    } /* a refused one: the conversion below words it */
    char why[160];
    json_object *v = NULL;
    int rc = odoo__xmlrpc_scalar(type, x->text.data, x->text.len, &v, why, sizeof(why));
    if (rc != 0) {
        fail(xs, rc == ODOO_ERR_NOMEM ? -2 : 0, "%s", why);
        return;
    }
    size_t len;
    const char *s;
    switch (json_object_get_type(v)) {
    case json_type_int:
        if ((e = push(xs, ODOO_JS_INT)))
            e->i = json_object_get_int64(v);
        break;
    case json_type_boolean:
        push(xs, json_object_get_boolean(v) ? ODOO_JS_TRUE : ODOO_JS_FALSE);
        break;
    case json_type_double:
        /* the text json-c prints: the server's when it is a JSON number */
        if (!(s = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN, &len))) {
            nomem(xs);
            break;
        }
        push_str(xs, x->n, ODOO_JS_DOUBLE, s, len);
        if (!x->failed)
            x->q[x->n - 1].d = json_object_get_double(v);
        break;
    default: /* a date, base64: their text */
        push_str(xs, x->n, ODOO_JS_STRING, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        break;
    }
    json_object_put(v);
}

static void end(odoo__xmlrpc_stream *xs)
{
    odoo__xs_impl *x = xs->impl;
    frame *f = &x->frames[x->top];
    frame *parent = &x->frames[x->top - 1];
    const char *lacks = odoo__xmlrpc_lacks(&f->el, 0);
    if (lacks) {
        fail(xs, 0, "%s", lacks);
        return;
    }
    switch (f->el.tag) {
    case XT_RESPONSE:
    case XT_PARAMS:
    case XT_PARAM:
    case XT_FAULT:
    case XT_MEMBER:
    case XT_DATA:
        break;
    case XT_ARRAY:
    case XT_STRUCT:
        x->depth--;
        push(xs, f->el.tag == XT_STRUCT ? ODOO_JS_OBJ_END : ODOO_JS_ARR_END);
        break;
    case XT_NAME:
        if (!(parent->el.seen & XT_SEEN_VALUE)) {
            push_str(xs, x->n, ODOO_JS_KEY, x->text.data, x->text.len);
            break;
        }
        /* its value was read first: the key goes in front of it */
        push_str(xs, parent->qstart, ODOO_JS_KEY, x->text.data, x->text.len);
        if (!x->failed) {
            x->q[parent->qstart].depth = x->depth;
            if (x->hold_frame == x->top - 1 && x->hold == parent->qstart)
                x->hold = NO_HOLD;
        }
        break;
    case XT_VALUE:
        if (!f->el.seen)
            scalar(xs, XT_VALUE); /* text alone: a string */
        break;
    default:
        scalar(xs, f->el.tag);
        break;
    }
    if (!x->failed && --x->top == 0)
        x->root_closed = 1;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    odoo__xmlrpc_stream *xs = ud;
    (void)name;
    if (!xs->impl->failed && !xs->impl->mute)
        end(xs);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    fail(ud, 0, "a DOCTYPE declaration is not allowed in XML-RPC");
}

/* ---- the driver ---- */

odoo__xmlrpc_stream *odoo__xs_new(const odoo__js_limits *lim)
{
    odoo__xmlrpc_stream *xs = calloc(1, sizeof(*xs));
    odoo__xs_impl *x = xs ? calloc(1, sizeof(*x)) : NULL;
    if (!x) {
        free(xs);
        return NULL;
    }
    xs->impl = x;
    x->max_string = lim && lim->max_string ? lim->max_string : ODOO_JS_MAX_STRING;
    x->max_document = lim && lim->max_document ? lim->max_document : ODOO_JS_MAX_DOCUMENT;
    if (x->max_string > ODOO_JS_MAX_STRING)
        x->max_string = ODOO_JS_MAX_STRING;
    x->hold = NO_HOLD;
    if (odoo__xmlrpc_text_reserve(&x->text, 0) != 0) {
        odoo__xs_free(xs);
        return NULL;
    }
    return xs;
}

void odoo__xs_free(odoo__xmlrpc_stream *xs)
{
    if (!xs)
        return;
    odoo__xs_impl *x = xs->impl;
    if (x->parser)
        XML_ParserFree(x->parser);
    free(x->text.data);
    free(x->arena.data);
    free(x->win.data);
    free(x->scratch.data);
    free(x->q);
    free(x);
    free(xs);
}

/* expat over the bytes (final: the end of the document). */
static void parse(odoo__xmlrpc_stream *xs, const char *data, size_t len, int final)
{
    odoo__xs_impl *x = xs->impl;
    enum XML_Status st = XML_STATUS_OK;
    do {
        int chunk = len > SLICE ? SLICE : (int)len;
        len -= (size_t)chunk;
        st = XML_Parse(x->parser, data, chunk, final && len == 0);
        data += chunk;
    } while (st == XML_STATUS_OK && len > 0);
    if (x->failed || st == XML_STATUS_OK) {
        x->done = final && !x->failed;
        return;
    }
    enum XML_Error code = XML_GetErrorCode(x->parser);
    x->failed = 1;
    xs->refused = code == XML_ERROR_NO_MEMORY ? -2 : 0;
    snprintf(xs->why, sizeof(xs->why), "%s (byte %zu)", XML_ErrorString(code), where(x));
}

/* The scanner met what it does not read (or the end): expat reads the
 * rest. Before the root element it reads the document from its start
 * (the window holds it all then); inside, it is first given, muted, the
 * start tags of the elements open now, then the bytes from the position,
 * so that it judges them as it would have in one pass. */
static void hand_over(odoo__xmlrpc_stream *xs)
{
    odoo__xs_impl *x = xs->impl;
    if (!(x->parser = XML_ParserCreate(NULL))) {
        nomem(xs);
        return;
    }
    XML_SetUserData(x->parser, xs);
    XML_SetElementHandler(x->parser, on_start, on_end);
    XML_SetCharacterDataHandler(x->parser, on_text);
    XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);
    size_t from = 0;
    if (x->top || x->root_closed) {
        odoo_xmlrpc_text prefix = { 0 };
        for (size_t i = 1; i <= x->top; i++) {
            size_t n = strlen(x->frames[i].name);
            if (odoo__xmlrpc_text_reserve(&prefix, n + 2) != 0) {
                free(prefix.data);
                nomem(xs);
                return;
            }
            prefix.data[prefix.len] = '<';
            memcpy(prefix.data + prefix.len + 1, x->frames[i].name, n);
            prefix.data[prefix.len + n + 1] = '>';
            prefix.len += n + 2;
        }
        const char *p = x->root_closed ? "<methodResponse/>" : prefix.data;
        size_t n = x->root_closed ? 17 : prefix.len;
        x->mute = 1;
        enum XML_Status st = XML_Parse(x->parser, p, (int)n, 0);
        x->mute = 0;
        free(prefix.data);
        if (st != XML_STATUS_OK) {
            nomem(xs); /* expat took these tags from the scanner: only memory can fail */
            return;
        }
        from = x->wpos;
        x->base = (long long)(x->doc_off + from) - (long long)n;
    }
    x->wpos = x->win.len;
    parse(xs, x->win.data ? x->win.data + from : "", x->win.len - from, x->finished);
}

static int is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* The XML declarations Python's xmlrpc.client and its like write. */
static int declaration(const char *p, const char *gt)
{
    static const char *const known[] = {
        "<?xml version='1.0'?>", "<?xml version=\"1.0\"?>", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<?xml version='1.0' encoding='UTF-8'?>",
        "<?xml version='1.0' encoding='utf-8'?>",
    };
    size_t n = (size_t)(gt - p) + 1;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strlen(known[i]) == n && memcmp(p, known[i], n) == 0)
            return 1;
    return 0;
}

#define GAVE_UP 1
#define LONGEST_TAG 20 /* "</dateTime.iso8601>" */

/* The scanner (xmlrpc_scan.c's subset: what Python's xmlrpc.client
 * writes): the complete tokens of the window, to the callbacks expat
 * would call. It stops at a token cut by the end of the window (0), or
 * returns GAVE_UP with wpos at one it does not read: an attribute, a
 * space in a tag, a comment, CDATA, a processing instruction, DOCTYPE,
 * an unknown or mismatched element, text expat would refuse or outside
 * the root, anything after it. */
static int scan(odoo__xmlrpc_stream *xs)
{
    odoo__xs_impl *x = xs->impl;
    const char *w = x->win.data, *e = w + x->win.len;
    while (x->wpos < x->win.len && !x->failed) {
        const char *p = w + x->wpos;
        x->at = x->doc_off + x->wpos;
        if (*p != '<') {
            if (p[0] == '\n' && p + 1 < e && p[1] == '<') { /* what Python writes between elements */
                text(xs, p, 1);
                x->wpos++;
                continue;
            }
            const char *lt = memchr(p + x->lt_from, '<', (size_t)(e - p) - x->lt_from);
            if (!lt) {
                x->lt_from = (size_t)(e - p);
                return 0;
            }
            x->lt_from = 0;
            if (x->top == 0) { /* outside the root: spaces only */
                while (p < lt && is_space(*p))
                    p++;
                if (p != lt)
                    return GAVE_UP;
            } else {
                const char *t;
                size_t n;
                int rc = odoo__xmlrpc_scan_text(p, lt, &x->scratch, &t, &n);
                if (rc == ODOO_ERR_NOMEM) {
                    nomem(xs);
                    return 0;
                }
                if (rc != 0)
                    return GAVE_UP;
                text(xs, t, n);
            }
            x->wpos = (size_t)(lt - w);
            continue;
        }
        const char *gt = memchr(p, '>', (size_t)(e - p) < LONGEST_TAG + 40 ? (size_t)(e - p) : LONGEST_TAG + 40);
        if (!gt)
            return e - p < LONGEST_TAG + 40 ? 0 : GAVE_UP;
        if (p[1] == '?') {
            if (x->doc_off + x->wpos != 0 || !declaration(p, gt))
                return GAVE_UP;
            x->wpos = (size_t)(gt + 1 - w);
            continue;
        }
        if (p[1] == '/') { /* the end tag of the open element, or expat says what it is */
            const frame *f = &x->frames[x->top];
            if (x->top == 0 || (size_t)(gt - p) != f->name_len + 2 || memcmp(p + 2, f->name, f->name_len) != 0)
                return GAVE_UP;
            x->wpos = (size_t)(gt + 1 - w);
            end(xs);
            continue;
        }
        int empty = gt[-1] == '/';
        const char *name = p + 1;
        const char *tag_name = NULL;
        int tag =
            gt - empty > name ? odoo__xmlrpc_tag_of(name, (size_t)(gt - empty - name), &tag_name) : XT_UNKNOWN;
        if (tag == XT_UNKNOWN || x->root_closed)
            return GAVE_UP;
        x->wpos = (size_t)(gt + 1 - w);
        start(xs, tag, tag_name, tag_name);
        if (empty && !x->failed)
            end(xs);
    }
    return 0;
}

/* Everything queued was pulled (and nothing is held): start again empty. */
static void restart_queue(odoo__xs_impl *x)
{
    if (x->head == x->n && x->hold == NO_HOLD) {
        x->head = x->n = 0;
        x->arena.len = 0;
    }
}

int odoo__xs_feed(odoo__xmlrpc_stream *xs, const char *data, size_t len)
{
    odoo__xs_impl *x = xs->impl;
    if (x->failed || x->finished || !len)
        return 0;
    restart_queue(x);
    if (len > x->max_document - x->fed) {
        fail(xs, 1, "the answer is longer than %zu bytes", x->max_document);
        return 0;
    }
    x->fed += len;
    if (x->parser) {
        parse(xs, data, len, 0);
    } else {
        /* the window: its unread rest, then the bytes (all of it until
         * the root element opens, for expat to read from the start) */
        if (x->wpos && (x->top || x->root_closed)) {
            memmove(x->win.data, x->win.data + x->wpos, x->win.len - x->wpos);
            x->win.len -= x->wpos;
            x->doc_off += x->wpos;
            x->wpos = 0;
        }
        if (odoo__xmlrpc_text_reserve(&x->win, len) != 0) {
            nomem(xs);
        } else {
            memcpy(x->win.data + x->win.len, data, len);
            x->win.len += len;
            if (scan(xs) == GAVE_UP && !x->failed)
                hand_over(xs);
        }
    }
    return x->failed && xs->refused == -2 ? ODOO_ERR_NOMEM : 0;
}

void odoo__xs_finish(odoo__xmlrpc_stream *xs)
{
    xs->impl->finished = 1;
}

/* The end of the bytes: complete, or expat says what is wrong. */
static void end_of_document(odoo__xmlrpc_stream *xs)
{
    odoo__xs_impl *x = xs->impl;
    if (x->parser) {
        parse(xs, "", 0, 1);
        return;
    }
    const char *p = x->win.data ? x->win.data + x->wpos : "", *e = p + (x->win.len - x->wpos);
    while (p < e && is_space(*p))
        p++;
    if (x->root_closed && p == e)
        x->done = 1;
    else
        hand_over(xs); /* finished: it parses to the end */
}

odoo__js_event odoo__xs_next(odoo__xmlrpc_stream *xs)
{
    odoo__xs_impl *x = xs->impl;
    for (;;) {
        size_t limit = x->hold == NO_HOLD ? x->n : x->hold;
        if (x->head < limit) {
            const qevent *e = &x->q[x->head++];
            xs->tok.str = e->len || e->ev == ODOO_JS_STRING || e->ev == ODOO_JS_KEY || e->ev == ODOO_JS_DOUBLE
                              ? x->arena.data + e->s
                              : NULL;
            xs->tok.len = e->len;
            xs->tok.i = e->i;
            xs->tok.d = e->d;
            xs->tok.off = e->off;
            xs->depth = e->depth;
            return e->ev;
        }
        if (x->failed)
            return ODOO_JS_ERROR;
        if (x->done)
            return ODOO_JS_END;
        if (!x->finished)
            return ODOO_JS_MORE;
        restart_queue(x);
        end_of_document(xs); /* sets done or failed */
    }
}
