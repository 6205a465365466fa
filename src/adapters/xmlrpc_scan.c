/* The default XML-RPC response decoder: a hand-written single-pass
 * scanner for the XML that Python's xmlrpc.client (so Odoo) writes,
 * straight to json-c, falling back to the expat decoder for the rest.
 *
 * The grammar is the one of a <methodResponse>; the scanner knows at
 * every point which tags may come next, so it compares bytes with those
 * literals rather than tokenizing. Character data is found with memchr
 * and checked with one table lookup per byte: what expat would refuse
 * (a control character, invalid UTF-8, U+FFFE/U+FFFF, "]]>", a bad
 * reference) makes it give up, what needs decoding (a reference, a CR:
 * XML turns CRLF and CR into LF) is decoded into a scratch buffer, and
 * anything else is used where it lies. Arrays and structs nest on a
 * fixed stack of ODOO_XMLRPC_MAX_DEPTH levels, member names wait on a
 * stack of their own, as in xmlrpc_sax.c.
 *
 * It takes a document only when expat would, and then gives the value
 * expat's decoder gives (the scalars through the same xmlrpc_values.c).
 * It gives up on everything else: attributes, comments, CDATA, DOCTYPE,
 * processing instructions, another encoding or a BOM, an unknown or
 * namespaced element (but ex:nil and ex:i8, which xmlrpc_sax.c reads),
 * a space inside a tag, a member whose value comes before its name,
 * nesting beyond the limit, and every error - expat then decodes the
 * document again and words the error, with its line number. Text that
 * XML-RPC ignores (between elements, around a type element) is checked
 * like any text and skipped. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "xmlrpc_sax.h"
#include "xmlrpc_scan.h"
#include "xmlrpc_values.h"

#define GAVE_UP ODOO_XMLRPC_SCAN_GAVE_UP

/* An open array or struct. */
typedef struct {
    json_object *obj;   /* owned */
    size_t key;         /* struct: offset in keys of the name of the member being read */
    int is_struct;
} level;

typedef struct {
    const unsigned char *start, *p, *end;   /* the document, the position */
    odoo_xmlrpc_text scratch;   /* decoded text, when it holds references or CRs */
    odoo_xmlrpc_text keys;      /* member names waiting for their value, each NUL-terminated */
    char *why;
    size_t whylen;
} scan;

static int give_up(scan *s, const char *reason)
{
    snprintf(s->why, s->whylen, "%s at byte %zu", reason, (size_t)(s->p - s->start));
    return GAVE_UP;
}

/* ---------------------------------------------------------------------
 * Character data
 * ------------------------------------------------------------------ */

enum {
    C_TEXT,   /* taken as is */
    C_LT,     /* '<': the end of the text */
    C_AMP,    /* a reference */
    C_CR,     /* CR and CRLF read as LF */
    C_RSQB,   /* ']': "]]>" is not allowed in text */
    C_UTF8,   /* the lead byte of a multibyte character, or not UTF-8 */
    C_BAD     /* a control character XML 1.0 does not allow */
};

#define B C_BAD
#define T C_TEXT
#define U C_UTF8
static const unsigned char text_class[256] = {
    B, B, B, B, B, B, B, B, B, T, T, B, B, C_CR, B, B,          /* 0x00 */
    B, B, B, B, B, B, B, B, B, B, B, B, B, B, B, B,             /* 0x10 */
    T, T, T, T, T, T, C_AMP, T, T, T, T, T, T, T, T, T,         /* 0x20 */
    T, T, T, T, T, T, T, T, T, T, T, T, C_LT, T, T, T,          /* 0x30 */
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,             /* 0x40 */
    T, T, T, T, T, T, T, T, T, T, T, T, T, C_RSQB, T, T,        /* 0x50 */
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,             /* 0x60 */
    T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,             /* 0x70 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,             /* 0x80 */
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
    U, U, U, U, U, U, U, U, U, U, U, U, U, U, U, U,
};
#undef B
#undef T
#undef U

/* Length of the UTF-8 character whose lead byte (>= 0x80) is at p, or 0
 * when expat would refuse it: not UTF-8 (overlong, a surrogate, beyond
 * U+10FFFF, cut short) or U+FFFE/U+FFFF. Reads no byte after the first
 * that is not a continuation byte, so never past the '<' ending the text. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE))
            return 0;
        return 3;
    }
    if (c < 0xF5) {
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        return 4;
    }
    return 0;
}

/* A reference at q ('&'): its character as UTF-8 at o (never more
 * bytes than the reference takes). Returns the bytes written, *next
 * set after the ';', or 0 if expat would refuse it (an undefined entity,
 * a character XML does not allow). Reads no further than the first byte
 * that cannot continue it ('<' cannot). */
static size_t reference(const unsigned char *q, const unsigned char **next, char *o)
{
    const unsigned char *r = q + 1;
    uint32_t c = 0;
    if (*r == '#') {
        int hex = *++r == 'x';
        const unsigned char *digits = r += hex;
        for (;; r++) {
            unsigned d = (unsigned)*r - '0', x = ((unsigned)*r | 0x20) - 'a';
            if (d <= 9)
                c = c * (hex ? 16 : 10) + d;
            else if (hex && x <= 5)
                c = c * 16 + x + 10;
            else
                break;
            if (c > 0x10FFFF)
                c = 0x110000;   /* stays out of range, never overflows */
        }
        if (r == digits || *r != ';')
            return 0;
        if (!(c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) ||
              (c >= 0x10000 && c <= 0x10FFFF)))
            return 0;
    } else if (r[0] == 'l' && r[1] == 't' && r[2] == ';') {
        c = '<', r += 2;
    } else if (r[0] == 'g' && r[1] == 't' && r[2] == ';') {
        c = '>', r += 2;
    } else if (r[0] == 'a' && r[1] == 'm' && r[2] == 'p' && r[3] == ';') {
        c = '&', r += 3;
    } else if (r[0] == 'q' && r[1] == 'u' && r[2] == 'o' && r[3] == 't' && r[4] == ';') {
        c = '"', r += 4;
    } else if (r[0] == 'a' && r[1] == 'p' && r[2] == 'o' && r[3] == 's' && r[4] == ';') {
        c = '\'', r += 4;
    } else {
        return 0;
    }
    *next = r + 1;
    if (c < 0x80) {
        o[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (char)(0xC0 | c >> 6);
        o[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (char)(0xE0 | c >> 12);
        o[1] = (char)(0x80 | (c >> 6 & 0x3F));
        o[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | c >> 18);
    o[1] = (char)(0x80 | (c >> 12 & 0x3F));
    o[2] = (char)(0x80 | (c >> 6 & 0x3F));
    o[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* The rest of text() once a reference or a CR turns up at q: decode the
 * text [p, lt) into the scratch buffer (NUL-terminated). */
static int decode(scan *s, const unsigned char *p, const unsigned char *q, const unsigned char *lt, const char **t,
                  size_t *n)
{
    if (odoo__xmlrpc_text_reserve(&s->scratch, (size_t)(lt - p)) != 0)
        return ODOO_ERR_NOMEM;
    char *o = s->scratch.data;
    memcpy(o, p, (size_t)(q - p));
    o += q - p;
    while (q < lt) {
        size_t k;
        switch (text_class[*q]) {
        case C_TEXT:
            *o++ = (char)*q++;
            break;
        case C_UTF8:
            if ((k = utf8_len(q)) == 0) {
                s->p = q;
                return give_up(s, "not UTF-8, or a character XML does not allow");
            }
            memcpy(o, q, k);
            o += k;
            q += k;
            break;
        case C_AMP:
            if ((k = reference(q, &q, o)) == 0) {
                s->p = q;
                return give_up(s, "a reference expat does not take");
            }
            o += k;
            break;
        case C_CR:
            *o++ = '\n';
            q += q[1] == '\n' ? 2 : 1;
            break;
        case C_RSQB:
            if (q[1] == ']' && q[2] == '>') {
                s->p = q;
                return give_up(s, "']]>' in text");
            }
            *o++ = (char)*q++;
            break;
        default:
            s->p = q;
            return give_up(s, "a control character XML does not allow");
        }
    }
    *o = '\0';
    *t = s->scratch.data;
    *n = (size_t)(o - s->scratch.data);
    s->p = lt;
    return 0;
}

/* The character data from the position up to the next '<', checked as
 * expat checks it; the position moves to that '<'. *t and *n are the
 * text, in the document itself unless it needed decoding (then in the
 * scratch buffer, valid until the next call). */
static int text(scan *s, const char **t, size_t *n)
{
    const unsigned char *p = s->p, *q = p, *lt = memchr(p, '<', (size_t)(s->end - p));
    if (!lt)
        return give_up(s, "the document ends in text");
    for (;;) {
        /* lt stops the loop: '<' is not C_TEXT. */
        while (text_class[*q] == C_TEXT)
            q++;
        size_t k;
        switch (text_class[*q]) {
        case C_LT:   /* q == lt */
            *t = (const char *)p;
            *n = (size_t)(lt - p);
            s->p = lt;
            return 0;
        case C_UTF8:
            if ((k = utf8_len(q)) == 0) {
                s->p = q;
                return give_up(s, "not UTF-8, or a character XML does not allow");
            }
            q += k;
            break;
        case C_RSQB:
            if (q[1] == ']' && q[2] == '>') {
                s->p = q;
                return give_up(s, "']]>' in text");
            }
            q++;
            break;
        case C_AMP:
        case C_CR:
            return decode(s, p, q, lt, t, n);
        default:
            s->p = q;
            return give_up(s, "a control character XML does not allow");
        }
    }
}

/* ---------------------------------------------------------------------
 * Markup
 * ------------------------------------------------------------------ */

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

/* Skip the literal (markup without variation) if it is next. */
static inline int lit(scan *s, const char *l, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, l, n) != 0)
        return 0;
    s->p += n;
    return 1;
}

#define LIT(s, l) lit((s), (l), sizeof(l) - 1)

/* "<name>" (1), "<name/>" (2) or neither (0), l being "<name". */
static inline int open_tag(scan *s, const char *l, size_t n)
{
    const unsigned char *p = s->p;
    if ((size_t)(s->end - p) < n + 2 || memcmp(p, l, n) != 0)
        return 0;
    if (p[n] == '>') {
        s->p = p + n + 1;
        return 1;
    }
    if (p[n] == '/' && p[n + 1] == '>') {
        s->p = p + n + 2;
        return 2;
    }
    return 0;
}

/* Text between elements, which XML-RPC ignores: any text expat takes. */
static int skip_text(scan *s)
{
    const unsigned char *p = s->p;
    while (p < s->end && is_space(*p))
        p++;
    s->p = p;
    if (p < s->end && *p == '<')
        return 0;
    const char *t;
    size_t n;
    return text(s, &t, &n);
}

/* The same, for what Python writes there: nothing, or a newline. */
static inline int skip(scan *s)
{
    const unsigned char *p = s->p;
    if (s->end - p >= 2) {
        if (p[0] == '<')
            return 0;
        if (p[0] == '\n' && p[1] == '<') {
            s->p = p + 1;
            return 0;
        }
    }
    return skip_text(s);
}

/* Whitespace outside the root element, where XML allows no text. */
static void spaces(scan *s)
{
    while (s->p < s->end && is_space(*s->p))
        s->p++;
}

enum {
    /* ODOO_XMLRPC_STRING ... ODOO_XMLRPC_BASE64, then: */
    V_NIL = ODOO_XMLRPC_BASE64 + 1,
    V_ARRAY,
    V_STRUCT,
    V_UNKNOWN
};

static int type_of(const unsigned char *name, size_t n)
{
#define IS(l) (memcmp(name, l, sizeof(l) - 1) == 0)
    switch (n) {
    case 2:
        return IS("i4") ? ODOO_XMLRPC_INT : IS("i8") ? ODOO_XMLRPC_I8 : V_UNKNOWN;
    case 3:
        return IS("int") ? ODOO_XMLRPC_INT : IS("nil") ? V_NIL : V_UNKNOWN;
    case 5:
        return IS("array") ? V_ARRAY : IS("ex:i8") ? ODOO_XMLRPC_I8 : V_UNKNOWN;
    case 6:
        return IS("string")   ? ODOO_XMLRPC_STRING
             : IS("struct") ? V_STRUCT
             : IS("double") ? ODOO_XMLRPC_DOUBLE
             : IS("base64") ? ODOO_XMLRPC_BASE64
             : IS("ex:nil") ? V_NIL
                            : V_UNKNOWN;
    case 7:
        return IS("boolean") ? ODOO_XMLRPC_BOOLEAN : V_UNKNOWN;
    case 16:
        return IS("dateTime.iso8601") ? ODOO_XMLRPC_DATETIME : V_UNKNOWN;
    default:
        return V_UNKNOWN;
    }
#undef IS
}

/* The type element at the position ('<'): its type, its name (for the
 * end tag) and whether it is empty ("<nil/>"). V_UNKNOWN for anything else. */
static int type_tag(scan *s, const unsigned char **name, size_t *n, int *empty)
{
    const unsigned char *p = s->p + 1, *q = p;
    const unsigned char *lim = s->end - p > 17 ? p + 17 : s->end;
    while (q < lim && *q != '>' && *q != '/')
        q++;
    if (q == lim)
        return V_UNKNOWN;
    int type = type_of(p, (size_t)(q - p));
    if (*q == '/') {
        if (q + 1 == s->end || q[1] != '>')
            return V_UNKNOWN;
        *empty = 1;
        s->p = q + 2;
    } else {
        *empty = 0;
        s->p = q + 1;
    }
    *name = p;
    *n = (size_t)(q - p);
    return type;
}

/* "</name>" */
static inline int close_tag(scan *s, const unsigned char *name, size_t n)
{
    const unsigned char *p = s->p;
    if ((size_t)(s->end - p) < n + 3 || p[0] != '<' || p[1] != '/' || memcmp(p + 2, name, n) != 0 || p[n + 2] != '>')
        return 0;
    s->p = p + n + 3;
    return 1;
}

/* ---------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------ */

/* One <value>, its arrays and structs read level by level on a fixed
 * stack. The position is at its '<' and moves past its end tag. */
static int value(scan *s, json_object **out)
{
    level stack[ODOO_XMLRPC_MAX_DEPTH];
    int top = 0, rc = 0, type, empty;
    json_object *v = NULL;
    const unsigned char *name, *p;
    const char *t;
    size_t n, namelen;

next_value:
    switch (open_tag(s, "<value", 6)) {
    case 1:
        break;
    case 2:
        t = "", n = 0;
        goto string;
    default:
        rc = give_up(s, "no <value> here");
        goto fail;
    }
    /* A type element, or text only: a string. Python writes the former,
     * with nothing before it. */
    p = s->p;
    if (!(p < s->end && *p == '<' && p + 1 < s->end && p[1] != '/')) {
        while (p < s->end && is_space(*p))
            p++;
        if (!(p < s->end && *p == '<' && p + 1 < s->end && p[1] != '/')) {
            if ((rc = text(s, &t, &n)) != 0)
                goto fail;
            if (LIT(s, "</value>"))
                goto string;
            /* text, then a type element: the text does not count */
        } else {
            s->p = p;
        }
    }
    switch (type = type_tag(s, &name, &namelen, &empty)) {
    case V_UNKNOWN:
        rc = give_up(s, "not an XML-RPC type element, or attributes");
        goto fail;
    case V_NIL:
        if (!empty && ((rc = skip(s)) != 0 || !close_tag(s, name, namelen)))
            goto bad_end;
        v = NULL;
        goto end_value;
    case V_STRUCT:
        if (top == ODOO_XMLRPC_MAX_DEPTH) {
            rc = give_up(s, "nesting deeper than the limit");
            goto fail;
        }
        if (!(v = json_object_new_object()))
            goto nomem;
        if (empty)
            goto end_value;
        stack[top++] = (level){ v, 0, 1 };
        v = NULL;
        goto next_member;
    case V_ARRAY:
        if (top == ODOO_XMLRPC_MAX_DEPTH || empty) {
            rc = give_up(s, empty ? "an empty <array/>" : "nesting deeper than the limit");
            goto fail;
        }
        if ((rc = skip(s)) != 0)
            goto fail;
        switch (open_tag(s, "<data", 5)) {
        case 1:
            if (!(v = json_object_new_array()))
                goto nomem;
            stack[top++] = (level){ v, 0, 0 };
            v = NULL;
            goto next_item;
        case 2:
            if (!(v = json_object_new_array()))
                goto nomem;
            goto end_array;
        default:
            rc = give_up(s, "no <data> in <array>");
            goto fail;
        }
    default:   /* a scalar */
        if (empty) {
            t = "", n = 0;
        } else {
            if ((rc = text(s, &t, &n)) != 0)
                goto fail;
            if (!close_tag(s, name, namelen))
                goto bad_end;
        }
        rc = odoo__xmlrpc_scalar((odoo_xmlrpc_scalar)type, t, n, &v, s->why, s->whylen);
        if (rc == ODOO_ERR_NOMEM)
            goto fail;
        if (rc != 0) {
            rc = give_up(s, "a scalar expat's decoder refuses");
            goto fail;
        }
        goto end_value;
    }

string:
    if ((rc = odoo__xmlrpc_scalar(ODOO_XMLRPC_STRING, t, n, &v, s->why, s->whylen)) != 0) {
        if (rc != ODOO_ERR_NOMEM)
            rc = give_up(s, "a string json-c cannot hold");
        goto fail;
    }
    goto have_value;

end_array:   /* after </data> */
    if ((rc = skip(s)) != 0)
        goto fail;
    if (!LIT(s, "</array>"))
        goto bad_end;
    /* fall through */
end_value:   /* after the type element */
    if ((rc = skip(s)) != 0)
        goto fail;
    if (!LIT(s, "</value>"))
        goto bad_end;
    /* fall through */
have_value:   /* v is complete: hand it to the array or struct it is in */
    if (top == 0) {
        *out = v;
        return 0;
    }
    if (!stack[top - 1].is_struct) {
        if (json_object_array_add(stack[top - 1].obj, v) != 0)
            goto nomem;
        v = NULL;
        goto next_item;
    }
    if (json_object_object_add(stack[top - 1].obj, s->keys.data + stack[top - 1].key, v) != 0)
        goto nomem;
    v = NULL;
    s->keys.len = stack[top - 1].key;
    if ((rc = skip(s)) != 0)
        goto fail;
    if (!LIT(s, "</member>"))
        goto bad_end;
    goto next_member;

next_item:   /* in <data>: a <value> or </data> */
    if ((rc = skip(s)) != 0)
        goto fail;
    if (!LIT(s, "</data>"))
        goto next_value;
    v = stack[--top].obj;
    goto end_array;

next_member:   /* in <struct>: a <member> or </struct> */
    if ((rc = skip(s)) != 0)
        goto fail;
    if (LIT(s, "</struct>")) {
        v = stack[--top].obj;
        goto end_value;
    }
    if (!LIT(s, "<member>")) {
        rc = give_up(s, "no <member> here");
        goto fail;
    }
    if ((rc = skip(s)) != 0)
        goto fail;
    switch (open_tag(s, "<name", 5)) {
    case 1:
        if ((rc = text(s, &t, &n)) != 0)
            goto fail;
        if (!LIT(s, "</name>"))
            goto bad_end;
        break;
    case 2:
        t = "", n = 0;
        break;
    default:
        rc = give_up(s, "no <name> first in <member>");
        goto fail;
    }
    if (odoo__xmlrpc_text_reserve(&s->keys, n) != 0)
        goto nomem;
    stack[top - 1].key = s->keys.len;
    memcpy(s->keys.data + s->keys.len, t, n);
    s->keys.data[s->keys.len + n] = '\0';
    s->keys.len += n + 1;
    if ((rc = skip(s)) != 0)
        goto fail;
    goto next_value;

bad_end:
    if (!rc)
        rc = give_up(s, "not the end tag expected here");
    goto fail;
nomem:
    rc = ODOO_ERR_NOMEM;
fail:
    json_object_put(v);
    while (top > 0)
        json_object_put(stack[--top].obj);
    return rc;
}

/* ---------------------------------------------------------------------
 * The document
 * ------------------------------------------------------------------ */

/* name = "value" (quoted either way) at *pp, spaces around '=' allowed. */
static int pseudo_attr(const unsigned char **pp, const unsigned char *e, const char *name, size_t n,
                       const unsigned char **val, size_t *vlen)
{
    const unsigned char *p = *pp, *q;
    if ((size_t)(e - p) < n || memcmp(p, name, n) != 0)
        return -1;
    for (p += n; p < e && is_space(*p); p++)
        ;
    if (p == e || *p != '=')
        return -1;
    for (p++; p < e && is_space(*p); p++)
        ;
    if (p == e || (*p != '"' && *p != '\'') || !(q = memchr(p + 1, *p, (size_t)(e - p - 1))))
        return -1;
    *val = p + 1;
    *vlen = (size_t)(q - p - 1);
    *pp = q + 1;
    return 0;
}

/* <?xml version="1.0" encoding="UTF-8" standalone="yes"?>, the last two
 * optional; the position is after "<?xml". */
static int declaration(scan *s)
{
    const unsigned char *p = s->p, *e = s->end, *v, *before;
    size_t n;
    if (p == e || !is_space(*p))
        return give_up(s, "a processing instruction");
    while (p < e && is_space(*p))
        p++;
    if (pseudo_attr(&p, e, "version", 7, &v, &n) != 0 || n != 3 || memcmp(v, "1.0", 3) != 0)
        return give_up(s, "an XML declaration other than version 1.0");
    for (before = p; p < e && is_space(*p); p++)
        ;
    if (p > before && pseudo_attr(&p, e, "encoding", 8, &v, &n) == 0) {
        if (n != 5 || (v[0] | 0x20) != 'u' || (v[1] | 0x20) != 't' || (v[2] | 0x20) != 'f' || v[3] != '-' ||
            v[4] != '8')
            return give_up(s, "an encoding other than UTF-8");
        for (before = p; p < e && is_space(*p); p++)
            ;
    }
    if (p > before && pseudo_attr(&p, e, "standalone", 10, &v, &n) == 0) {
        if (!(n == 3 && memcmp(v, "yes", 3) == 0) && !(n == 2 && memcmp(v, "no", 2) == 0))
            return give_up(s, "a standalone declaration expat refuses");
        while (p < e && is_space(*p))
            p++;
    }
    s->p = p;
    if (!LIT(s, "?>"))
        return give_up(s, "an XML declaration the scanner does not read");
    return 0;
}

static int document(scan *s, odoo_xmlrpc_reply *out)
{
    int rc;
    if (LIT(s, "<?xml") && (rc = declaration(s)) != 0)
        return rc;
    spaces(s);
    if (!LIT(s, "<methodResponse>"))
        return give_up(s, "no <methodResponse> here");
    if ((rc = skip(s)) != 0)
        return rc;
    if (LIT(s, "<params>")) {
        if ((rc = skip(s)) != 0)
            return rc;
        if (!LIT(s, "<param>"))
            return give_up(s, "no <param> in <params>");
        if ((rc = skip(s)) != 0 || (rc = value(s, &out->value)) != 0 || (rc = skip(s)) != 0)
            return rc;
        if (!LIT(s, "</param>"))
            return give_up(s, "no </param> here");
        if ((rc = skip(s)) != 0)
            return rc;
        if (!LIT(s, "</params>"))
            return give_up(s, "no </params> here");
    } else if (LIT(s, "<fault>")) {
        out->fault = 1;
        if ((rc = skip(s)) != 0 || (rc = value(s, &out->value)) != 0 || (rc = skip(s)) != 0)
            return rc;
        if (!LIT(s, "</fault>"))
            return give_up(s, "no </fault> here");
    } else {
        return give_up(s, "neither <params> nor <fault>");
    }
    if ((rc = skip(s)) != 0)
        return rc;
    if (!LIT(s, "</methodResponse>"))
        return give_up(s, "no </methodResponse> here");
    spaces(s);
    return s->p == s->end ? 0 : give_up(s, "more after </methodResponse>");
}

int odoo__xmlrpc_scan_text(const char *p, const char *lt, odoo_xmlrpc_text *scratch, const char **t, size_t *n)
{
    char why[80];
    scan s = { .start = (const unsigned char *)p, .p = (const unsigned char *)p, .end = (const unsigned char *)lt + 1,
               .scratch = *scratch, .why = why, .whylen = sizeof(why) };
    int rc = text(&s, t, n);
    *scratch = s.scratch; /* it may have grown */
    return rc;
}

int odoo__xmlrpc_parse_scan(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen)
{
    out->value = NULL;
    out->fault = 0;
    const unsigned char *p = (const unsigned char *)(xml ? xml : "");
    scan s = { .start = p, .p = p, .end = p + (xml ? len : 0), .why = why, .whylen = whylen };
    int rc = document(&s, out);
    free(s.scratch.data);
    free(s.keys.data);
    if (rc != 0) {
        json_object_put(out->value);
        out->value = NULL;
        out->fault = 0;
    }
    return rc;
}

int odoo__xmlrpc_parse(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen)
{
    int rc = odoo__xmlrpc_parse_scan(xml, len, out, why, whylen);
    return rc == GAVE_UP ? odoo__xmlrpc_parse_expat(xml, len, out, why, whylen) : rc;
}
