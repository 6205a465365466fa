/* The element names of xmlrpc_grammar.h, for the decoders' messages. */
#include "xmlrpc_grammar.h"

const char *const odoo__xmlrpc_tag_names[XT_UNKNOWN + 1] = {
    [XT_ROOT] = "document",
    [XT_RESPONSE] = "methodResponse",
    [XT_CALL] = "methodCall",
    [XT_PARAMS] = "params",
    [XT_PARAM] = "param",
    [XT_FAULT] = "fault",
    [XT_STRUCT] = "struct",
    [XT_MEMBER] = "member",
    [XT_ARRAY] = "array",
    [XT_DATA] = "data",
    [XT_NIL] = "nil",
    [XT_VALUE] = "value",
    [XT_NAME] = "name",
    [XT_METHODNAME] = "methodName",
    [XT_STRING] = "string",
    [XT_INT] = "int",
    [XT_I8] = "i8",
    [XT_BOOLEAN] = "boolean",
    [XT_DOUBLE] = "double",
    [XT_DATETIME] = "dateTime.iso8601",
    [XT_BASE64] = "base64",
    [XT_UNKNOWN] = "?",
};
