/* The one growable buffer (odoo/sys/buf.h), with its JSON writers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/errors.h"
#include "jsonbuf.h"
#include "value.h"

static int grow(odoo_buf *b, size_t add)
{
    if (b->failed)
        return -1;
    if (b->len + add + 1 <= b->cap)
        return 0;
    if (add > SIZE_MAX / 8 - b->len) {
        b->failed = 1;
        return -1;
    }
    size_t cap = b->cap ? b->cap : 512;
    while (cap < b->len + add + 1)
        cap *= 2;
    /* Never realloc: the old block would go back to the heap with what
     * it held (a password). Copy, wipe, free. */
    char *d = malloc(cap);
    if (!d) {
        b->failed = 1;
        return -1;
    }
    if (b->data) {
        memcpy(d, b->data, b->len + 1);
        explicit_bzero(b->data, b->cap);
        free(b->data);
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

int odoo_buf_reserve(odoo_buf *b, size_t n)
{
    return grow(b, n) ? ODOO_ERR_NOMEM : 0;
}

void odoo_buf_append(odoo_buf *b, const char *s, size_t n)
{
    if (grow(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* Bytes that must be escaped inside a JSON string: '"', '\\' and the
 * control characters. Everything else, UTF-8 included, goes as is. */
static int needs_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

void odoo_buf_json_string(odoo_buf *b, const char *s)
{
    size_t n = strlen(s);
    /* worst case every byte becomes \u00XX */
    if (grow(b, n * 6 + 2))
        return;
    char *w = b->data + b->len;
    *w++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (!needs_escape(*p)) {
            *w++ = (char)*p;
            continue;
        }
        *w++ = '\\';
        switch (*p) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '\n': *w++ = 'n'; break;
        case '\r': *w++ = 'r'; break;
        case '\t': *w++ = 't'; break;
        case '\b': *w++ = 'b'; break;
        case '\f': *w++ = 'f'; break;
        default:
            w += sprintf(w, "u%04x", *p);
            break;
        }
    }
    *w++ = '"';
    b->len = (size_t)(w - b->data);
    b->data[b->len] = '\0';
}

void odoo_buf_int(odoo_buf *b, long long v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof(tmp), "%lld", v);
    odoo__jb_raw(b, tmp, (size_t)n);
}

void odoo_buf_json_value(odoo_buf *b, json_object *v)
{
    if (!v) {
        odoo__jb_lit(b, "null");
        return;
    }
    size_t n = 0;
    const char *text = odoo__json_to_string(v, &n);
    if (!text) {
        b->failed = 1;
        return;
    }
    odoo__jb_raw(b, text, n);
}

void odoo_buf_reset(odoo_buf *b, int wipe)
{
    /* A body holding a secret is reset with wipe after each send, so only
     * its len bytes can hold one (grow copies no more); _free wipes all. */
    if (wipe && b->data)
        explicit_bzero(b->data, b->len);
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

void odoo_buf_free(odoo_buf *b)
{
    if (b->data)
        explicit_bzero(b->data, b->cap);
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}
