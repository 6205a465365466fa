/* The expat XML-RPC decoder: expat events straight to json-c values in
 * one pass, with no tree of its own in between. The default response
 * decoder (xmlrpc_scan.c) hands it every document it does not take
 * itself, so this one has the last word on what is an error; it reads
 * odoo-bridge's requests too (a <methodCall>: its name, then any number
 * of params), as Odoo reads them with expat.
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
#include "xmlrpc_grammar.h"
#include "xmlrpc_sax.h"
#include "xmlrpc_values.h"

#define NO_KEY ((size_t)-1)

typedef struct {
    odoo__xmlrpc_open el; /* tag, seen, count: xmlrpc_grammar.h */
    json_object *obj;    /* owned: container, value result, or a member's value waiting for its name */
    size_t key;          /* member: offset of its name in keys, or NO_KEY */
} frame;

typedef struct {
    XML_Parser parser;
    frame *frames;
    size_t top, cap;     /* frames[top] is the innermost open element */
    int depth;           /* open arrays and structs */
    odoo_xmlrpc_text text;         /* text of the innermost collecting element */
    odoo_xmlrpc_text keys;         /* member names waiting for their value, NUL-separated */
    odoo_xmlrpc_reply *reply;   /* a response's value */
    int call;            /* reading a <methodCall>: */
    char *method;        /*   its name (owned) */
    json_object *params; /*   its params (owned), once </params> is read */
    int failed;          /* 0, ODOO_ERR_PROTOCOL or ODOO_ERR_NOMEM */
    char *why;
    size_t whylen;
} sax;

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
        snprintf(x->why + n, x->whylen - (size_t)n, " (line %lu, byte %ld)",
                 (unsigned long)XML_GetCurrentLineNumber(x->parser), (long)XML_GetCurrentByteIndex(x->parser));
    XML_StopParser(x->parser, XML_FALSE);
}

static void nomem(sax *x)
{
    fail(x, ODOO_ERR_NOMEM, "out of memory");
}

/* ---------------------------------------------------------------------
 * Scalars: text -> json (xmlrpc_values.c)
 * ------------------------------------------------------------------ */

/* The json value of a closed scalar element, from the collected text.
 * Returns 0 (with *out, NULL for nil) or -1 after fail(). */
static int scalar(sax *x, int tag, json_object **out)
{
    char why[256];
    *out = NULL;
    if (tag == XT_NIL)
        return 0;
    x->text.data[x->text.len] = '\0';   /* odoo__xmlrpc_text_reserve() keeps room for it */
    odoo_xmlrpc_scalar type = tag == XT_VALUE ? ODOO_XMLRPC_STRING : (odoo_xmlrpc_scalar)(tag - XT_STRING);
    int rc = odoo__xmlrpc_scalar(type, x->text.data, x->text.len, out, why, sizeof(why));
    if (rc != 0) {
        fail(x, rc, "%s", why);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Structure (what may open where: xmlrpc_grammar.h)
 * ------------------------------------------------------------------ */

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    sax *x = ud;
    (void)attrs;
    if (x->failed)
        return;
    const char *written; /* the name itself: unused */
    int tag = odoo__xmlrpc_tag_of(name, strlen(name), &written);
    frame *parent = &x->frames[x->top];
    if (tag == XT_UNKNOWN || !odoo__xmlrpc_admit(&parent->el, tag, x->call)) {
        if (parent->el.tag == XT_PARAMS && tag == XT_PARAM)
            fail(x, ODOO_ERR_PROTOCOL, "<params> holds more than one <param>");
        else
            fail(x, ODOO_ERR_PROTOCOL, "unexpected <%s> in <%s>", name, odoo__xmlrpc_tag_names[parent->el.tag]);
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
    f->el.tag = (unsigned char)tag;
    f->el.seen = 0;
    f->el.count = 0;
    f->obj = NULL;
    f->key = NO_KEY;
    if (tag == XT_STRUCT || tag == XT_ARRAY) {
        if (++x->depth > ODOO_XMLRPC_MAX_DEPTH) {
            fail(x, ODOO_ERR_PROTOCOL, "nesting deeper than %d levels", ODOO_XMLRPC_MAX_DEPTH);
            return;
        }
        f->obj = tag == XT_STRUCT ? json_object_new_object() : json_object_new_array();
        if (!f->obj)
            nomem(x);
    } else if (tag == XT_PARAMS && x->call) {
        if (!(f->obj = json_object_new_array()))
            nomem(x);
    } else if (tag >= XT_VALUE) {
        x->text.len = 0;
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int n)
{
    sax *x = ud;
    const frame *f = &x->frames[x->top];
    if (odoo__xmlrpc_ignores_text(&f->el) || x->failed)
        return;
    if (odoo__xmlrpc_text_reserve(&x->text, (size_t)n) != 0) {
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
    if (member->el.seen & XT_SEEN_VALUE) {
        /* The value came first: it waits in the member. */
        if (json_object_object_add(strct->obj, x->text.data, member->obj) != 0) {
            json_object_put(member->obj);
            nomem(x);
        }
        member->obj = NULL;
        return;
    }
    if (odoo__xmlrpc_text_reserve(&x->keys, x->text.len) != 0) {
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
    switch (parent->el.tag) {
    case XT_PARAM:
        if (x->call) {
            added = json_object_array_add(x->frames[x->top - 2].obj, v) == 0;
            break;
        }
        /* fall through */
    case XT_FAULT:
        x->reply->value = v;
        x->reply->fault = parent->el.tag == XT_FAULT;
        return;
    case XT_DATA:
        added = json_object_array_add(x->frames[x->top - 2].obj, v) == 0;
        break;
    case XT_MEMBER:
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
    const char *lacks = odoo__xmlrpc_lacks(&f->el, x->call);
    if (lacks) {
        fail(x, ODOO_ERR_PROTOCOL, "%s", lacks);
        return;
    }
    switch (f->el.tag) {
    case XT_RESPONSE:
    case XT_CALL:
    case XT_PARAM:
    case XT_FAULT:
    case XT_DATA:
        break;
    case XT_METHODNAME:
        x->text.data[x->text.len] = '\0';
        if (!(x->method = strdup(x->text.data)))
            nomem(x);
        break;
    case XT_PARAMS:
        if (x->call) {
            x->params = f->obj;
            f->obj = NULL;
        }
        break;
    case XT_ARRAY: /* a complete array goes to its value, as a struct does */
    case XT_STRUCT:
        parent->obj = f->obj;
        f->obj = NULL;
        x->depth--;
        break;
    case XT_MEMBER:
        if (f->key != NO_KEY)
            x->keys.len = f->key;
        break;
    case XT_NAME:
        end_name(x, parent, &x->frames[x->top - 2]);
        break;
    case XT_VALUE:
        if (f->el.seen) {
            v = f->obj;
            f->obj = NULL;
        } else if (scalar(x, XT_VALUE, &v) != 0) {
            break;
        }
        end_value(x, v);
        break;
    default:
        if (scalar(x, f->el.tag, &v) == 0)
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
    fail(ud, ODOO_ERR_PROTOCOL, "a DOCTYPE declaration is not allowed in XML-RPC");
}

/* ---------------------------------------------------------------------
 * Driver
 * ------------------------------------------------------------------ */

/* Wipe, then free: a request's text held the caller's secret. */
static void free_text(odoo_xmlrpc_text *t, int wipe)
{
    if (wipe && t->data)
        explicit_bzero(t->data, t->cap);
    free(t->data);
}

static void release(sax *x)
{
    for (size_t i = 0; x->frames && i <= x->top; i++)
        json_object_put(x->frames[i].obj);
    free(x->frames);
    free_text(&x->text, x->call);
    free_text(&x->keys, x->call);
    if (x->parser)
        XML_ParserFree(x->parser);
}

/* Parse the document into x (set up but for the parser); 0 or the failure. */
static int run(sax *x, const char *xml, size_t len)
{
    x->cap = 32;
    x->frames = calloc(x->cap, sizeof(*x->frames));   /* frames[0]: XT_ROOT, no object */
    x->parser = XML_ParserCreate(NULL);
    if (!x->frames || !x->parser || odoo__xmlrpc_text_reserve(&x->text, 0) != 0)
        return ODOO_ERR_NOMEM;
    x->frames[0].key = NO_KEY;
    XML_SetUserData(x->parser, x);
    XML_SetElementHandler(x->parser, on_start, on_end);
    XML_SetCharacterDataHandler(x->parser, on_text);
    XML_SetStartDoctypeDeclHandler(x->parser, on_doctype);

    enum XML_Status st = XML_STATUS_OK;
    do {
        int chunk = len > INT_MAX / 2 ? INT_MAX / 2 : (int)len;
        len -= (size_t)chunk;
        st = XML_Parse(x->parser, xml, chunk, len == 0);
        xml += chunk;
    } while (st == XML_STATUS_OK && len > 0);

    if (x->failed || st == XML_STATUS_OK)
        return x->failed;
    enum XML_Error code = XML_GetErrorCode(x->parser);
    snprintf(x->why, x->whylen, "%s at line %lu, column %lu (byte %ld)", XML_ErrorString(code),
             (unsigned long)XML_GetCurrentLineNumber(x->parser), (unsigned long)XML_GetCurrentColumnNumber(x->parser),
             (long)XML_GetCurrentByteIndex(x->parser));
    return code == XML_ERROR_NO_MEMORY ? ODOO_ERR_NOMEM : ODOO_ERR_PROTOCOL;
}

int odoo__xmlrpc_parse_expat(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen)
{
    out->value = NULL;
    out->fault = 0;
    sax x = { .reply = out, .why = why, .whylen = whylen };
    int rc = run(&x, xml, len);
    if (rc) {
        json_object_put(out->value);
        out->value = NULL;
        out->fault = 0;
    }
    release(&x);
    return rc;
}

int odoo__xmlrpc_parse_call_expat(const char *xml, size_t len, char **method, json_object **params, char *why,
                                  size_t whylen)
{
    odoo_xmlrpc_reply unused = { NULL, 0 };
    sax x = { .reply = &unused, .call = 1, .why = why, .whylen = whylen };
    int rc = run(&x, xml ? xml : "", xml ? len : 0);
    if (rc == 0 && !x.params && !(x.params = json_object_new_array()))
        rc = ODOO_ERR_NOMEM;
    if (rc) {
        if (x.method)
            explicit_bzero(x.method, strlen(x.method));
        free(x.method);
        json_object_put(x.params);
        x.method = NULL;
        x.params = NULL;
    }
    *method = x.method;
    *params = x.params;
    release(&x);
    return rc;
}
