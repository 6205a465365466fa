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
#include "xmlrpc_sax.h"
#include "xmlrpc_values.h"

enum tag {
    T_ROOT,       /* the document, before <methodResponse> or <methodCall> */
    T_RESPONSE,
    T_CALL,
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
    T_METHODNAME,
    T_STRING,
    T_INT,        /* int and i4 */
    T_I8,
    T_BOOLEAN,
    T_DOUBLE,
    T_DATETIME,
    T_BASE64,
    T_UNKNOWN
};

/* The scalar tags, in the order of odoo_xmlrpc_scalar. */
_Static_assert(T_INT - T_STRING == ODOO_XMLRPC_INT && T_I8 - T_STRING == ODOO_XMLRPC_I8 &&
               T_BOOLEAN - T_STRING == ODOO_XMLRPC_BOOLEAN && T_DOUBLE - T_STRING == ODOO_XMLRPC_DOUBLE &&
               T_DATETIME - T_STRING == ODOO_XMLRPC_DATETIME && T_BASE64 - T_STRING == ODOO_XMLRPC_BASE64,
               "scalar tags and odoo_xmlrpc_scalar agree");

static const char *const tag_names[] = {
    "document", "methodResponse", "methodCall", "params", "param", "fault", "struct", "member", "array", "data",
    "nil", "value", "name", "methodName", "string", "int", "i8", "boolean", "double", "dateTime.iso8601",
    "base64", "?",
};

#define SEEN_CHILD 1u   /* the one child it may have (type, value, data, params/fault; a call's params) */
#define SEEN_NAME  2u   /* member: <name>; call: <methodName> */
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

static int tag_of(const char *n)
{
    switch (n[0]) {
    case 'v': return strcmp(n, "value") == 0 ? T_VALUE : T_UNKNOWN;
    case 'n': return strcmp(n, "name") == 0 ? T_NAME : strcmp(n, "nil") == 0 ? T_NIL : T_UNKNOWN;
    case 'm':
        if (strcmp(n, "member") == 0)
            return T_MEMBER;
        if (strcmp(n, "methodResponse") == 0)
            return T_RESPONSE;
        return strcmp(n, "methodCall") == 0 ? T_CALL : strcmp(n, "methodName") == 0 ? T_METHODNAME : T_UNKNOWN;
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
    if (tag == T_NIL)
        return 0;
    x->text.data[x->text.len] = '\0';   /* odoo__xmlrpc_text_reserve() keeps room for it */
    odoo_xmlrpc_scalar type = tag == T_VALUE ? ODOO_XMLRPC_STRING : (odoo_xmlrpc_scalar)(tag - T_STRING);
    int rc = odoo__xmlrpc_scalar(type, x->text.data, x->text.len, out, why, sizeof(why));
    if (rc != 0) {
        fail(x, rc, "%s", why);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Structure
 * ------------------------------------------------------------------ */

/* May child open inside parent (whose first children are recorded)? */
static int admit(const sax *x, frame *parent, int child)
{
    switch (parent->tag) {
    case T_ROOT:
        return child == (x->call ? T_CALL : T_RESPONSE);
    case T_CALL:
        /* <methodName>, then <params> if the call has any */
        if (child == T_METHODNAME && !parent->seen)
            parent->seen = SEEN_NAME;
        else if (child == T_PARAMS && parent->seen == SEEN_NAME)
            parent->seen |= SEEN_CHILD;
        else
            return 0;
        return 1;
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
        return child == T_PARAM && (++parent->count == 1 || x->call);
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
    if (tag == T_UNKNOWN || !admit(x, parent, tag)) {
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
            fail(x, ODOO_ERR_PROTOCOL, "nesting deeper than %d levels", ODOO_XMLRPC_MAX_DEPTH);
            return;
        }
        f->obj = tag == T_STRUCT ? json_object_new_object() : json_object_new_array();
        if (!f->obj)
            nomem(x);
    } else if (tag == T_PARAMS && x->call) {
        if (!(f->obj = json_object_new_array()))
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
    if (member->seen & SEEN_VALUE) {
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
    switch (parent->tag) {
    case T_PARAM:
        if (x->call) {
            added = json_object_array_add(x->frames[x->top - 2].obj, v) == 0;
            break;
        }
        /* fall through */
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
    case T_CALL:
        if (!f->seen)
            fail(x, ODOO_ERR_PROTOCOL, "<methodCall> holds no <methodName>");
        break;
    case T_METHODNAME:
        x->text.data[x->text.len] = '\0';
        if (!(x->method = strdup(x->text.data)))
            nomem(x);
        break;
    case T_PARAMS:
        if (x->call) {
            x->params = f->obj;
            f->obj = NULL;
        } else if (f->count != 1) {
            fail(x, ODOO_ERR_PROTOCOL, "<params> holds no <param>");
        }
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
    x->frames = calloc(x->cap, sizeof(*x->frames));   /* frames[0]: T_ROOT, no object */
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
