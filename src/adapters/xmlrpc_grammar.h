/* Private: the XML-RPC grammar of the two expat decoders, xmlrpc_sax.c
 * (a <methodResponse> or a <methodCall>, whole) and xmlrpc_stream.c (a
 * <methodResponse>, as its bytes arrive): the elements, their names, and
 * which may open inside which. Each decoder keeps a stack of frames that
 * starts with an odoo__xmlrpc_open; this says what a frame admits.
 *
 * The lookup and admit are inline: they run for every start tag, in
 * both decoders' innermost loop. xmlrpc_scan.c's type_of still spells
 * the type names itself: it answers in odoo_xmlrpc_scalar, knows where
 * it is without a frame, and is the default decoder's hottest line. */
#ifndef ODOO_XMLRPC_GRAMMAR_H
#define ODOO_XMLRPC_GRAMMAR_H

#include <stddef.h>
#include <string.h>

#include "xmlrpc_values.h"

typedef enum odoo__xmlrpc_tag {
    XT_ROOT, /* the document, before <methodResponse> or <methodCall> */
    XT_RESPONSE,
    XT_CALL,
    XT_PARAMS,
    XT_PARAM,
    XT_FAULT,
    XT_STRUCT,
    XT_MEMBER,
    XT_ARRAY,
    XT_DATA,
    XT_NIL,
    /* from here on the element's text is collected */
    XT_VALUE,
    XT_NAME,
    XT_METHODNAME,
    XT_STRING, /* the scalars, in odoo_xmlrpc_scalar's order */
    XT_INT,    /* int and i4 */
    XT_I8,     /* i8 and ex:i8 */
    XT_BOOLEAN,
    XT_DOUBLE,
    XT_DATETIME,
    XT_BASE64,
    XT_UNKNOWN
} odoo__xmlrpc_tag;

_Static_assert(XT_INT - XT_STRING == ODOO_XMLRPC_INT && XT_I8 - XT_STRING == ODOO_XMLRPC_I8 &&
                   XT_BOOLEAN - XT_STRING == ODOO_XMLRPC_BOOLEAN && XT_DOUBLE - XT_STRING == ODOO_XMLRPC_DOUBLE &&
                   XT_DATETIME - XT_STRING == ODOO_XMLRPC_DATETIME && XT_BASE64 - XT_STRING == ODOO_XMLRPC_BASE64,
               "scalar tags and odoo_xmlrpc_scalar agree");

/* Each tag's name, for the messages ("document" for XT_ROOT, "?" for XT_UNKNOWN). */
extern const char *const odoo__xmlrpc_tag_names[XT_UNKNOWN + 1];

/* What a frame has seen of its children. */
#define XT_SEEN_CHILD 1u /* the one child it may have (type, value, data, params/fault; a call's params) */
#define XT_SEEN_NAME 2u  /* member: <name>; call: <methodName> */
#define XT_SEEN_VALUE 4u /* member: <value> */

/* The grammar's part of an open element: a decoder's frame starts with it. */
typedef struct odoo__xmlrpc_open {
    unsigned char tag, seen; /* odoo__xmlrpc_tag, XT_SEEN_* */
    unsigned count;          /* params: <param> children */
} odoo__xmlrpc_open;

/* The tag of the element named n (len bytes, no NUL needed); *name is
 * then the name as written, a string literal (so "i4", "ex:nil").
 * XT_UNKNOWN, *name untouched, for any other name. The names of a
 * <methodCall> (methodCall, methodName) are known to both decoders,
 * though the streaming one reads responses only: admit (call 0) refuses
 * them wherever they come, with the words and byte an unknown element
 * gets there from expat (its scanner now refuses them itself instead of
 * handing the document to expat, which refused them the same way). */
static inline odoo__xmlrpc_tag odoo__xmlrpc_tag_of(const char *n, size_t len, const char **name)
{
    odoo__xmlrpc_tag t = XT_UNKNOWN;
    /* each name once: compared, then handed out as written */
#define IS(k, s) (memcmp(n, s, sizeof(s) - 1) == 0 && (*name = s, t = k, 1))
    switch (len) { /* fixed-length compares: inlined */
    case 2: (void)(IS(XT_INT, "i4") || IS(XT_I8, "i8")); break;
    case 3: (void)(IS(XT_INT, "int") || IS(XT_NIL, "nil")); break;
    case 4: (void)(IS(XT_NAME, "name") || IS(XT_DATA, "data")); break;
    case 5:
        (void)(IS(XT_VALUE, "value") || IS(XT_ARRAY, "array") || IS(XT_PARAM, "param") || IS(XT_FAULT, "fault") ||
               IS(XT_I8, "ex:i8")); /* Apache's extension namespace, as xmlrpc-c reads it */
        break;
    case 6:
        (void)(IS(XT_MEMBER, "member") || IS(XT_STRING, "string") || IS(XT_STRUCT, "struct") ||
               IS(XT_DOUBLE, "double") || IS(XT_BASE64, "base64") || IS(XT_PARAMS, "params") || IS(XT_NIL, "ex:nil"));
        break;
    case 7: (void)IS(XT_BOOLEAN, "boolean"); break;
    case 10: (void)(IS(XT_CALL, "methodCall") || IS(XT_METHODNAME, "methodName")); break;
    case 14: (void)IS(XT_RESPONSE, "methodResponse"); break;
    case 16: (void)IS(XT_DATETIME, "dateTime.iso8601"); break;
    default: break;
    }
#undef IS
    return t;
}

/* A type element: what a <value> may hold. */
static inline int odoo__xmlrpc_is_type(int tag)
{
    return tag == XT_STRUCT || tag == XT_ARRAY || tag == XT_NIL || (tag >= XT_STRING && tag < XT_UNKNOWN);
}

/* Is the element's text ignored? A <value>'s counts only while it has
 * no type element. (Asked in this order: most text lies between elements.) */
static inline int odoo__xmlrpc_ignores_text(const odoo__xmlrpc_open *f)
{
    return f->tag < XT_VALUE || (f->tag == XT_VALUE && f->seen);
}

/* May child open inside parent? If so, parent records it. call: the
 * document is a <methodCall> (xmlrpc_sax.c reading a request), which
 * makes the two differences between a call and a response: the root
 * element, and any number of <param> in <params> (a response has one).
 * The streaming decoder always passes 0. */
static inline int odoo__xmlrpc_admit(odoo__xmlrpc_open *parent, int child, int call)
{
    switch (parent->tag) {
    case XT_ROOT:
        return child == (call ? XT_CALL : XT_RESPONSE);
    case XT_CALL:
        /* <methodName>, then <params> if the call has any */
        if (child == XT_METHODNAME && !parent->seen)
            parent->seen = XT_SEEN_NAME;
        else if (child == XT_PARAMS && parent->seen == XT_SEEN_NAME)
            parent->seen |= XT_SEEN_CHILD;
        else
            return 0;
        return 1;
    case XT_RESPONSE:
    case XT_PARAM:
    case XT_FAULT:
    case XT_VALUE:
    case XT_ARRAY:
        if (parent->seen & XT_SEEN_CHILD)
            return 0;
        parent->seen |= XT_SEEN_CHILD;
        switch (parent->tag) {
        case XT_RESPONSE: return child == XT_PARAMS || child == XT_FAULT;
        case XT_VALUE: return odoo__xmlrpc_is_type(child);
        case XT_ARRAY: return child == XT_DATA;
        default: return child == XT_VALUE;
        }
    case XT_PARAMS:
        return child == XT_PARAM && (++parent->count == 1 || call);
    case XT_STRUCT:
        return child == XT_MEMBER;
    case XT_DATA:
        return child == XT_VALUE;
    case XT_MEMBER: {
        unsigned bit = child == XT_NAME ? XT_SEEN_NAME : child == XT_VALUE ? XT_SEEN_VALUE : 0;
        if (!bit || (parent->seen & bit))
            return 0;
        parent->seen |= (unsigned char)bit;
        return 1;
    }
    default:
        return 0;
    }
}

/* What a closing element lacks, as both decoders say it, or NULL when it
 * is whole; call as for admit (a call's <params> may be empty). */
static inline const char *odoo__xmlrpc_lacks(const odoo__xmlrpc_open *f, int call)
{
    switch (f->tag) {
    case XT_RESPONSE: return f->seen ? NULL : "<methodResponse> holds neither <params> nor <fault>";
    case XT_CALL: return f->seen ? NULL : "<methodCall> holds no <methodName>";
    case XT_PARAMS: return call || f->count == 1 ? NULL : "<params> holds no <param>";
    case XT_PARAM: return f->seen ? NULL : "<param> is empty";
    case XT_FAULT: return f->seen ? NULL : "<fault> is empty";
    case XT_ARRAY: return f->seen ? NULL : "<array> is empty";
    case XT_MEMBER:
        return (f->seen & (XT_SEEN_NAME | XT_SEEN_VALUE)) == (XT_SEEN_NAME | XT_SEEN_VALUE)
                   ? NULL
                   : "<member> without a <name> and a <value>";
    default: return NULL;
    }
}

#endif
