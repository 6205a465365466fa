/* The default XML-RPC response decoder: expat events straight to json-c
 * values in one pass, with no tree of its own in between.
 *
 * A stack of frames mirrors the open elements. A container frame owns
 * the json object it fills; a <value> frame owns its result until the
 * closing tag hands it to the parent (a param, a fault, an array or a
 * struct member). Text is collected only where it means something: in
 * scalar elements, in <name>, and in a <value> with no type element (an
 * implicit string). Member names wait on a small stack of their own, as
 * a nested value reuses the text buffer before the member is complete.
 *
 * Compared with xmlrpc-c 1.33 it also takes characters beyond U+FFFF,
 * integers beyond 32 bits in <int>, and &#13; as CR; it refuses DOCTYPE
 * declarations (XML-RPC has no use for them, entity expansion is a
 * classic attack) and malformed base64. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>
#include <json-c/json.h>

#include "../errors/error_internal.h"
#include "xmlrpc_codec.h"

enum tag {
    T_ROOT,       /* the document, before <methodResponse> */
    T_RESPONSE,
    T_PARAMS,
    T_PARAM,
    T_FAULT,
    T_STRUCT,
    T_MEMBER,
    T_ARRAY,
    T_DATA,
    T_NIL,
    /* from here on the element's text is collected */
    T_VALUE,
    T_NAME,
    T_STRING,
    T_INT,        /* int and i4 */
    T_I8,
    T_BOOLEAN,
    T_DOUBLE,
    T_DATETIME,
    T_BASE64,
    T_UNKNOWN
};

static const char *const tag_names[] = {
    "document", "methodResponse", "params", "param", "fault", "struct", "member", "array", "data", "nil",
    "value", "name", "string", "int", "i8", "boolean", "double", "dateTime.iso8601", "base64", "?",
};

#define SEEN_CHILD 1u   /* the one child it may have (type, value, data, params/fault) */
#define SEEN_NAME  2u   /* member: <name> */
#define SEEN_VALUE 4u   /* member: <value> */
#define NO_KEY ((size_t)-1)

typedef struct {
    unsigned char tag;
    unsigned char seen;
    unsigned count;      /* params: <param> children */
    json_object *obj;    /* owned: container, value result, or a member's value waiting for its name */
    size_t key;          /* member: offset of its name in keys, or NO_KEY */
} frame;

typedef struct {
    char *data;
    size_t len, cap;
} strbuf;

typedef struct {
    XML_Parser parser;
    frame *frames;
    size_t top, cap;     /* frames[top] is the innermost open element */
    int depth;           /* open arrays and structs */
    strbuf text;         /* text of the innermost collecting element */
    strbuf keys;         /* member names waiting for their value, NUL-separated */
    odoo_xmlrpc_reply *reply;
    int failed;          /* 0, ODOO_ERR_PROTOCOL or ODOO_ERR_NOMEM */
    char *why;
    size_t whylen;
} sax;

static int tag_of(const char *n)
{
    switch (n[0]) {
    case 'v': return strcmp(n, "value") == 0 ? T_VALUE : T_UNKNOWN;
    case 'n': return strcmp(n, "name") == 0 ? T_NAME : strcmp(n, "nil") == 0 ? T_NIL : T_UNKNOWN;
    case 'm': return strcmp(n, "member") == 0 ? T_MEMBER : strcmp(n, "methodResponse") == 0 ? T_RESPONSE : T_UNKNOWN;
    case 's': return strcmp(n, "string") == 0 ? T_STRING : strcmp(n, "struct") == 0 ? T_STRUCT : T_UNKNOWN;
    case 'i':
        if (strcmp(n, "int") == 0 || strcmp(n, "i4") == 0)
            return T_INT;
        return strcmp(n, "i8") == 0 ? T_I8 : T_UNKNOWN;
    case 'a': return strcmp(n, "array") == 0 ? T_ARRAY : T_UNKNOWN;
    case 'd':
        if (strcmp(n, "data") == 0)
            return T_DATA;
        if (strcmp(n, "double") == 0)
            return T_DOUBLE;
        return strcmp(n, "dateTime.iso8601") == 0 ? T_DATETIME : T_UNKNOWN;
    case 'b': return strcmp(n, "boolean") == 0 ? T_BOOLEAN : strcmp(n, "base64") == 0 ? T_BASE64 : T_UNKNOWN;
    case 'p': return strcmp(n, "param") == 0 ? T_PARAM : strcmp(n, "params") == 0 ? T_PARAMS : T_UNKNOWN;
    case 'f': return strcmp(n, "fault") == 0 ? T_FAULT : T_UNKNOWN;
    case 'e': /* Apache's extension namespace, as xmlrpc-c reads it */
        return strcmp(n, "ex:nil") == 0 ? T_NIL : strcmp(n, "ex:i8") == 0 ? T_I8 : T_UNKNOWN;
    default: return T_UNKNOWN;
    }
}

static int is_type(int tag)
{
    return tag == T_STRUCT || tag == T_ARRAY || tag == T_NIL || (tag >= T_STRING && tag < T_UNKNOWN);
}

/* Stop the parse with a reason; the first failure wins. */
static void fail(sax *x, int kind, const char *fmt, ...) ODOO_PRINTF(3, 4);
static void fail(sax *x, int kind, const char *fmt, ...)
{
    if (x->failed)
        return;
    x->failed = kind;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(x->why, x->whylen, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < x->whylen)
        snprintf(x->why + n, x->whylen - (size_t)n, " (line %lu)",
                 (unsigned long)XML_GetCurrentLineNumber(x->parser));
    XML_StopParser(x->parser, XML_FALSE);
}

static void nomem(sax *x)
{
    fail(x, ODOO_ERR_NOMEM, "out of memory");
}

/* Room for n more bytes and a NUL. */
static int strbuf_reserve(strbuf *b, size_t n)
{
    if (b->cap - b->len > n)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= n) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d)
        return -1;
    b->data = d;
    b->cap = cap;
    return 0;
}

/* ---------------------------------------------------------------------
 * Scalars: text -> json
 * ------------------------------------------------------------------ */

static int parse_int(const char *s, size_t n, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (n && (s[0] == '+' || s[0] == '-'))
        neg = s[i++] == '-';
    if (i == n)
        return -1;
    uint64_t v = 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)((unsigned char)s[i] - '0');
        if (d > 9 || v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if (v > (uint64_t)INT64_MAX + (uint64_t)neg)
        return -1;
    *out = neg ? (v ? -(int64_t)(v - 1) - 1 : 0) : (int64_t)v;
    return 0;
}

static int parse_double(const char *s, size_t n, double *out)
{
    /* strtod would skip leading space and read "1,5" in a German locale. */
    if (n == 0 || s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')
        return -1;
    char *end;
    locale_t c = odoo__xmlrpc_c_locale();
    *out = c ? strtod_l(s, &end, c) : strtod(s, &end);
    return end == s + n ? 0 : -1;
}

static int digits(const char **p, const char *end, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (*p >= end || **p < '0' || **p > '9')
            return -1;
        v = v * 10 + (unsigned)(**p - '0');
    }
    *out = v;
    return 0;
}

/* The forms xmlrpc-c reads: YYYYMMDDTHH:MM:SS, dashes and colons optional,
 * 't' for 'T', an optional fraction (microseconds kept) and 'Z'. */
static int parse_datetime(const char *s, size_t n, char *text, size_t textlen)
{
    const char *p = s, *end = s + n;
    unsigned Y, M, D, h, m, sec, usec = 0;
    if (digits(&p, end, 4, &Y))
        return -1;
    if (p < end && *p == '-')
        p++;
    if (digits(&p, end, 2, &M))
        return -1;
    if (p < end && *p == '-')
        p++;
    if (digits(&p, end, 2, &D) || p >= end || (*p != 'T' && *p != 't'))
        return -1;
    p++;
    if (digits(&p, end, 2, &h))
        return -1;
    if (p < end && *p == ':')
        p++;
    if (digits(&p, end, 2, &m))
        return -1;
    if (p < end && *p == ':')
        p++;
    if (digits(&p, end, 2, &sec))
        return -1;
    if (p < end && *p == '.') {
        unsigned scale = 100000;
        for (p++; p < end && *p >= '0' && *p <= '9'; p++, scale /= 10)
            usec += (unsigned)(*p - '0') * scale;
    }
    if (p < end && *p == 'Z')
        p++;
    if (p != end || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 59)
        return -1;
    odoo__xmlrpc_datetime_text(text, textlen, Y, M, D, h, m, sec, usec);
    return 0;
}

static int b64_digit(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decode (RFC 4648, padded; whitespace ignored) and encode again, so the
 * text is the same the xmlrpc-c decoder gives from the bytes. */
static int canonical_base64(sax *x, const char *s, size_t n, json_object **out)
{
    unsigned char *bytes = malloc(n / 4 * 3 + 3);
    if (!bytes) {
        nomem(x);
        return -1;
    }
    size_t nb = 0, quad = 0, pad = 0;
    unsigned acc = 0;
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        int d = c == '=' ? 0 : b64_digit(c);
        if (d < 0 || (pad && c != '=') || (c == '=' && quad < 2)) {
            bad = 1;
            break;
        }
        pad += c == '=';
        acc = acc << 6 | (unsigned)d;
        if (++quad == 4) {
            bytes[nb++] = (unsigned char)(acc >> 16);
            if (pad < 2)
                bytes[nb++] = (unsigned char)(acc >> 8);
            if (pad < 1)
                bytes[nb++] = (unsigned char)acc;
            quad = 0;
            acc = 0;
            if (pad)
                bad = i + 1 < n && strspn(s + i + 1, " \t\r\n") != n - i - 1;
        }
    }
    if (bad || quad != 0) {
        free(bytes);
        fail(x, ODOO_ERR_PROTOCOL, "a <base64> value is not valid base64");
        return -1;
    }
    *out = odoo__xmlrpc_base64_string(bytes, nb);
    free(bytes);
    if (!*out)
        nomem(x);
    return *out ? 0 : -1;
}

/* The json value of a closed scalar element, from the collected text.
 * Returns 0 (with *out, NULL for nil) or -1 after fail(). */
static int scalar(sax *x, int tag, json_object **out)
{
    const char *s = x->text.data;
    size_t n = x->text.len;
    int64_t i;
    double d;
    char text[40];
    *out = NULL;
    x->text.data[n] = '\0';   /* strbuf_reserve() keeps room for it */
    switch (tag) {
    case T_NIL:
        return 0;
    case T_STRING:
    case T_VALUE:
        if (n > INT_MAX) {   /* json-c counts in int */
            fail(x, ODOO_ERR_PROTOCOL, "a string of %zu bytes is too long", n);
            return -1;
        }
        *out = json_object_new_string_len(s, (int)n);
        break;
    case T_INT:
    case T_I8:
        if (parse_int(s, n, &i) != 0) {
            fail(x, ODOO_ERR_PROTOCOL, "<%s> '%.32s' is not a 64-bit integer", tag_names[tag], s);
            return -1;
        }
        *out = json_object_new_int64(i);
        break;
    case T_BOOLEAN:
        if (n != 1 || (s[0] != '0' && s[0] != '1')) {
            fail(x, ODOO_ERR_PROTOCOL, "<boolean> '%.32s' is neither 0 nor 1", s);
            return -1;
        }
        *out = json_object_new_boolean(s[0] == '1');
        break;
    case T_DOUBLE:
        if (parse_double(s, n, &d) != 0) {
            fail(x, ODOO_ERR_PROTOCOL, "<double> '%.32s' is not a number", s);
            return -1;
        }
        *out = json_object_new_double(d);
        break;
    case T_DATETIME:
        if (parse_datetime(s, n, text, sizeof(text)) != 0) {
            fail(x, ODOO_ERR_PROTOCOL, "<dateTime.iso8601> '%.32s' is not a date and time", s);
            return -1;
        }
        *out = json_object_new_string(text);
        break;
    case T_BASE64:
        return canonical_base64(x, s, n, out);
    default:
        return 0;
    }
    if (!*out) {
        nomem(x);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Structure
 * ------------------------------------------------------------------ */

/* May child open inside parent (whose first children are recorded)? */
static int admit(frame *parent, int child)
{
    switch (parent->tag) {
    case T_ROOT:
        return child == T_RESPONSE;
    case T_RESPONSE:
    case T_PARAM:
    case T_FAULT:
    case T_VALUE:
    case T_ARRAY:
        if (parent->seen & SEEN_CHILD)
            return 0;
        parent->seen |= SEEN_CHILD;
        switch (parent->tag) {
        case T_RESPONSE: return child == T_PARAMS || child == T_FAULT;
        case T_VALUE: return is_type(child);
        case T_ARRAY: return child == T_DATA;
        default: return child == T_VALUE;
        }
    case T_PARAMS:
        return child == T_PARAM && ++parent->count == 1;
    case T_STRUCT:
        return child == T_MEMBER;
    case T_DATA:
        return child == T_VALUE;
    case T_MEMBER: {
        unsigned bit = child == T_NAME ? SEEN_NAME : child == T_VALUE ? SEEN_VALUE : 0;
        if (!bit || (parent->seen & bit))
            return 0;
        parent->seen |= bit;
        return 1;
    }
    default:
        return 0;
    }
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    sax *x = ud;
    (void)attrs;
    if (x->failed)
        return;
    int tag = tag_of(name);
    frame *parent = &x->frames[x->top];
    if (tag == T_UNKNOWN || !admit(parent, tag)) {
        if (parent->tag == T_PARAMS && tag == T_PARAM)
            fail(x, ODOO_ERR_PROTOCOL, "<params> holds more than one <param>");
        else
            fail(x, ODOO_ERR_PROTOCOL, "unexpected <%s> in <%s>", name, tag_names[parent->tag]);
        return;
    }
    if (x->top + 1 == x->cap) {
        frame *f = realloc(x->frames, 2 * x->cap * sizeof(*f));
        if (!f) {
            nomem(x);
            return;
        }
        x->frames = f;
        x->cap *= 2;
    }
    frame *f = &x->frames[++x->top];
    f->tag = (unsigned char)tag;
    f->seen = 0;
    f->count = 0;
    f->obj = NULL;
    f->key = NO_KEY;
    if (tag == T_STRUCT || tag == T_ARRAY) {
        if (++x->depth > ODOO_XMLRPC_MAX_DEPTH) {
            fail(x, ODOO_ERR_PROTOCOL, "values nested deeper than %d levels", ODOO_XMLRPC_MAX_DEPTH);
            return;
        }
        f->obj = tag == T_STRUCT ? json_object_new_object() : json_object_new_array();
        if (!f->obj)
            nomem(x);
    } else if (tag >= T_VALUE) {
        x->text.len = 0;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int n)
{
    sax *x = ud;
    const frame *f = &x->frames[x->top];
    /* A <value>'s text counts only while it has no type element. */
    if (f->tag < T_VALUE || (f->tag == T_VALUE && f->seen) || x->failed)
        return;
    if (strbuf_reserve(&x->text, (size_t)n) != 0) {
        nomem(x);
        return;
    }
    memcpy(x->text.data + x->text.len, s, (size_t)n);
    x->text.len += (size_t)n;
}

/* A member's name is known: remember it until its value closes. */
static void end_name(sax *x, frame *member, frame *strct)
{
    x->text.data[x->text.len] = '\0';
    if (member->seen & SEEN_VALUE) {
        /* The value came first: it waits in the member. */
        if (json_object_object_add(strct->obj, x->text.data, member->obj) != 0) {
            json_object_put(member->obj);
            nomem(x);
        }
        member->obj = NULL;
        return;
    }
    if (strbuf_reserve(&x->keys, x->text.len) != 0) {
        nomem(x);
        return;
    }
    member->key = x->keys.len;
    memcpy(x->keys.data + x->keys.len, x->text.data, x->text.len + 1);
    x->keys.len += x->text.len + 1;
}

/* A value is complete: hand it to whatever holds it. */
static void end_value(sax *x, json_object *v)
{
    frame *parent = &x->frames[x->top - 1];
    int added = 0;
    switch (parent->tag) {
    case T_PARAM:
    case T_FAULT:
        x->reply->value = v;
        x->reply->fault = parent->tag == T_FAULT;
        return;
    case T_DATA:
        added = json_object_array_add(x->frames[x->top - 2].obj, v) == 0;
        break;
    case T_MEMBER:
        if (parent->key == NO_KEY) {
            parent->obj = v;   /* the name comes after */
            return;
        }
        added = json_object_object_add(x->frames[x->top - 2].obj, x->keys.data + parent->key, v) == 0;
        break;
    default:
        break;
    }
    if (!added) {
        json_object_put(v);
        nomem(x);
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    sax *x = ud;
    (void)name;
    if (x->failed)
        return;
    frame *f = &x->frames[x->top];
    frame *parent = &x->frames[x->top - 1];
    json_object *v = NULL;
    switch (f->tag) {
    case T_RESPONSE:
        if (!f->seen)
            fail(x, ODOO_ERR_PROTOCOL, "<methodResponse> holds neither <params> nor <fault>");
        break;
    case T_PARAMS:
        if (f->count != 1)
            fail(x, ODOO_ERR_PROTOCOL, "<params> holds no <param>");
        break;
    case T_PARAM:
    case T_FAULT:
    case T_ARRAY:
        if (!f->seen) {
            fail(x, ODOO_ERR_PROTOCOL, "<%s> is empty", tag_names[f->tag]);
            break;
        }
        if (f->tag != T_ARRAY)
            break;
        /* A complete array goes to its value, as a struct does. */
        /* fall through */
    case T_STRUCT:
        parent->obj = f->obj;
        f->obj = NULL;
        x->depth--;
        break;
    case T_MEMBER:
        if ((f->seen & (SEEN_NAME | SEEN_VALUE)) != (SEEN_NAME | SEEN_VALUE))
            fail(x, ODOO_ERR_PROTOCOL, "<member> without a <name> and a <value>");
        else if (f->key != NO_KEY)
            x->keys.len = f->key;
        break;
    case T_NAME:
        end_name(x, parent, &x->frames[x->top - 2]);
        break;
    case T_VALUE:
        if (f->seen) {
            v = f->obj;
            f->obj = NULL;
        } else if (scalar(x, T_VALUE, &v) != 0) {
            break;
        }
        end_value(x, v);
        break;
    case T_DATA:
        break;
    default:
        if (scalar(x, f->tag, &v) == 0)
            parent->obj = v;
        break;
    }
    if (!x->failed)
        x->top--;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    fail(ud, ODOO_ERR_PROTOCOL, "a DOCTYPE declaration is not allowed in an XML-RPC response");
}

/* ---------------------------------------------------------------------
 * Driver
 * ------------------------------------------------------------------ */

static void release(sax *x)
{
    for (size_t i = 0; x->frames && i <= x->top; i++)
        json_object_put(x->frames[i].obj);
    free(x->frames);
    free(x->text.data);
    free(x->keys.data);
    if (x->parser)
        XML_ParserFree(x->parser);
}

int odoo__xmlrpc_parse_expat(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen)
{
    out->value = NULL;
    out->fault = 0;
    sax x = { .reply = out, .why = why, .whylen = whylen, .cap = 32 };
    x.frames = calloc(x.cap, sizeof(*x.frames));   /* frames[0]: T_ROOT, no object */
    x.parser = XML_ParserCreate(NULL);
    if (!x.frames || !x.parser || strbuf_reserve(&x.text, 0) != 0) {
        release(&x);
        return ODOO_ERR_NOMEM;
    }
    x.frames[0].key = NO_KEY;
    XML_SetUserData(x.parser, &x);
    XML_SetElementHandler(x.parser, on_start, on_end);
    XML_SetCharacterDataHandler(x.parser, on_text);
    XML_SetStartDoctypeDeclHandler(x.parser, on_doctype);

    enum XML_Status st = XML_STATUS_OK;
    do {
        int chunk = len > INT_MAX / 2 ? INT_MAX / 2 : (int)len;
        len -= (size_t)chunk;
        st = XML_Parse(x.parser, xml, chunk, len == 0);
        xml += chunk;
    } while (st == XML_STATUS_OK && len > 0);

    int rc = x.failed;
    if (!rc && st != XML_STATUS_OK) {
        enum XML_Error code = XML_GetErrorCode(x.parser);
        rc = code == XML_ERROR_NO_MEMORY ? ODOO_ERR_NOMEM : ODOO_ERR_PROTOCOL;
        snprintf(why, whylen, "%s at line %lu, column %lu", XML_ErrorString(code),
                 (unsigned long)XML_GetCurrentLineNumber(x.parser),
                 (unsigned long)XML_GetCurrentColumnNumber(x.parser));
    }
    if (rc) {
        json_object_put(out->value);
        out->value = NULL;
        out->fault = 0;
    }
    release(&x);
    return rc;
}
