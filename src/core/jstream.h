/* Private: the incremental JSON decoder (issue 12, streaming reads).
 *
 * Sans-I/O, pull: feed() hands it a window of bytes (any split points),
 * next() returns one event at a time until it needs more (ODOO_JS_MORE:
 * the whole window was read, feed the next one) or, after finish(), the
 * end of the document. The transport feeds it from curl's write callback:
 *
 *     odoo__js_feed(&js, chunk, n);
 *     while ((ev = odoo__js_next(&js)) > ODOO_JS_MORE) handle(ev, &js.tok);
 *     if (ev < 0) fail(js.why);
 *
 * It accepts what json-c 0.16 in strict mode with the library's checks
 * accepted (the DOM path before this decoder, kept as the tests' oracle
 * in tests/support/json_oracle.c): NaN and Infinity taken, "1." and "-01"
 * too, "01" not; and the same refusals: nesting beyond the depth limit,
 * an integer beyond 64 bits (refused, never clamped), invalid UTF-8, a
 * NUL byte, a \u0000 in an object key. But a key in single quotes, which
 * json-c takes ({'a': 1}), is refused, and an escaped surrogate pair that
 * json-c 0.16 turns into U+FFFD (U+1D800-U+1DFFF ... U+10D800-U+10DFFF)
 * gives its character. Errors carry the byte offset in the document.
 *
 * Why a hand-written scanner and not yajl (Debian libyajl-dev 2.1, SAX),
 * measured on the 20,000 partners x 8 fields search_read body (4.8 MB,
 * bench/stream-decode, Release build, one decode; MB/s best of 10 on a
 * shared 2-core machine, instructions from callgrind):
 *
 *     stream-decode-bench        # every decoder, MB/s, in one run
 *     valgrind --tool=callgrind --toggle-collect=run_events stream-decode-bench - events
 *                                # instructions of 10 decodes: divide by 10
 *
 * this scanner's events 1204 MB/s and 66.9 M instructions (the row
 * cursor over every field on it 726 MB/s and 109 M), json_tokener_parse
 * 107 MB/s and 474 M, Python's json.loads 60-97 MB/s; yajl's bare SAX
 * parse with no-op callbacks 348 MB/s and 160 M (measured against this
 * scanner's first version: 700 MB/s, 94.5 M). yajl would also still
 * need the library's own checks on top (64-bit integers, \u0000 in
 * keys, json-c 0.16's number quirks, to refuse what odoo__json_parse
 * refuses): a new dependency at a quarter of the speed buys nothing.
 *
 * Where the time goes: one dispatch on the state per call, the grammar
 * then as code (labels); strings scanned 16 bytes at a time (SSE2; SWAR 8
 * elsewhere) for '"', '\\', NUL and bytes >= 0x80, a clean string a view
 * of the window; integers of up to 18 digits, decimals of up to 15 and
 * the literals decoded where they lie, every other word by word_token. */
#ifndef ODOO_JSTREAM_H
#define ODOO_JSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "odoo/common.h"
#include "odoo/sys/buf.h"

/* Named limits; 0 in a field of odoo__js_limits means the default. */
#define ODOO_JS_MAX_DEPTH ODOO_MAX_NESTING        /* open arrays/objects around a value */
#define ODOO_JS_MAX_STRING ((size_t)INT32_MAX - 1)  /* decoded bytes of one string or key */
#define ODOO_JS_MAX_DOCUMENT ((size_t)INT32_MAX - 1) /* bytes of the document (json-c's own cap) */

typedef struct odoo__js_limits {
    size_t max_depth;     /* at most ODOO_JS_MAX_DEPTH */
    size_t max_string;
    size_t max_document;
} odoo__js_limits;

typedef enum odoo__js_event {
    ODOO_JS_ERROR = -1, /* js.why, js.err_off; js.refused: a limit, not a syntax error */
    ODOO_JS_MORE = 0,   /* the window is read: feed more, or finish */
    ODOO_JS_END,        /* the document is complete (only after finish) */
    ODOO_JS_OBJ_BEGIN,
    ODOO_JS_OBJ_END,
    ODOO_JS_ARR_BEGIN,
    ODOO_JS_ARR_END,
    ODOO_JS_KEY,        /* tok.str, tok.len */
    ODOO_JS_STRING,     /* tok.str, tok.len (UTF-8, may hold NUL bytes) */
    ODOO_JS_INT,        /* tok.i */
    ODOO_JS_DOUBLE,     /* tok.d; tok.str/len the text as sent (json-c keeps it to print) */
    ODOO_JS_TRUE,
    ODOO_JS_FALSE,
    ODOO_JS_NULL
} odoo__js_event;

/* The current event's value. str is borrowed: it points into the window
 * or the decoder's buffers, valid until the next call to next or feed. */
typedef struct odoo__js_token {
    const char *str;
    size_t len;
    int64_t i;
    double d;
    size_t off;      /* byte offset of the token in the document */
} odoo__js_token;

typedef struct odoo__jstream {
    /* the window: bytes [pos, len) of base are still to read */
    const unsigned char *base;
    size_t len, pos;
    size_t doc_off;          /* document offset of base[0] */
    int finished;
    /* the grammar */
    int state;
    size_t depth;            /* open containers */
    unsigned char stack[ODOO_JS_MAX_DEPTH + 2]; /* 1 object, 0 array */
    /* a token cut by the end of a window: its raw bytes so far */
    int partial;             /* 0, or the token kind being accumulated */
    int partial_key, partial_esc;
    size_t partial_off;
    odoo_buf pend;
    odoo_buf sbuf;           /* decoded strings that held escapes */
    odoo__js_limits lim;
    odoo__js_token tok;
    /* the error */
    int refused;             /* 1: a limit of the library (not a syntax error); -2: no memory */
    size_t err_off;
    char why[160];
} odoo__jstream;

void odoo__js_init(odoo__jstream *js, const odoo__js_limits *lim);
/* Free what it holds; js may be initialised again. */
void odoo__js_free(odoo__jstream *js);
/* The next window: its first byte follows the last one read. data is
 * borrowed until next returns ODOO_JS_MORE (or the caller feeds the
 * unread rest again, moved, with more after it). */
void odoo__js_feed(odoo__jstream *js, const char *data, size_t len);
/* No more input: next then completes or refuses the document. */
void odoo__js_finish(odoo__jstream *js);
odoo__js_event odoo__js_next(odoo__jstream *js);
/* A reader of its own for the object just begun (ODOO_JS_OBJ_BEGIN the
 * last event, nothing of it read yet), as the row cursor reads a record
 * in one pass: its part in the window, [*p, *end); 0 when the decoder
 * does not stand there. odoo__js_object_read then tells where the
 * object's '}' was read (after: the byte after it, in the window), and
 * the decoder goes on from there as if it had read the object itself.
 * The reader must hold the decoder's rules and limits for what it takes;
 * what it does not take, it leaves to odoo__js_next. */
int odoo__js_object_window(const odoo__jstream *js, const unsigned char **p, const unsigned char **end);
void odoo__js_object_read(odoo__jstream *js, const unsigned char *after);

/* Bytes of the document read so far (the offset of the next byte). */
static inline size_t odoo__js_offset(const odoo__jstream *js)
{
    return js->doc_off + js->pos;
}
/* Open containers (1 inside the top-level array or object). */
static inline size_t odoo__js_depth(const odoo__jstream *js)
{
    return js->depth;
}

/* ---- the DOM builder on the decoder (jstream_dom.c) ---- */

typedef struct odoo__jdom {
    json_object *root;
    json_object *stack[ODOO_JS_MAX_DEPTH + 2];
    size_t depth;
    odoo_buf key;          /* the pending key, NUL-terminated */
    int have_key, done, nomem;
} odoo__jdom;

void odoo__jdom_init(odoo__jdom *d);
/* Take one event; returns 1 when the value is complete (d->root),
 * 0 to go on, -1 out of memory. */
int odoo__jdom_event(odoo__jdom *d, odoo__js_event ev, const odoo__js_token *tok);
/* Start inside a container already begun (obj, a new reference the
 * builder takes): the cursor's fallback for a field it cannot type. */
void odoo__jdom_resume(odoo__jdom *d, json_object *container);
/* The finished value (the builder's reference) and reset. */
json_object *odoo__jdom_take(odoo__jdom *d);
void odoo__jdom_free(odoo__jdom *d);

/* Parse a whole document through the decoder into json-c, fed in chunks
 * of chunk bytes (0: whole). Returns as odoo__json_parse: 0 and *out,
 * -1 not JSON or refused (why), ODOO_ERR_NOMEM. */
int odoo__jstream_parse(const char *text, size_t len, size_t chunk, json_object **out, char *why, size_t whylen);

#endif
