/* XML-RPC response bodies shared by the codec and scanner tests. */
#include <string.h>

#include "xmlrpc_samples.h"

const char *const xmlrpc_malformed[] = {
    "",
    " ",
    "<",
    "this is not xml",
    "<html><head><title>502 Bad Gateway</title></head></html>",
    "<?xml version=\"1.0\"?>",
    "<?xml version=\"1.0\"?><methodResponse/>",
    "<?xml version=\"1.0\"?><methodResponse></methodResponse>",
    "<?xml version=\"1.0\"?><methodResponse><params></params></methodResponse>",
    "<?xml version=\"1.0\"?><methodResponse><params><param></param></params></methodResponse>",
    "<?xml version=\"1.0\"?><methodResponse><params><param><value>1</value></param><param><value>2</value>"
    "</param></params></methodResponse>",
    "<?xml version=\"1.0\"?><methodCall><methodName>x</methodName><params></params></methodCall>",
    RESP("<int>1</int>") "trailing",
    RESP("<int></int>"),
    RESP("<int>1.5</int>"),
    RESP("<int> 1</int>"),
    RESP("<i4>x</i4>"),
    RESP("<i8>99999999999999999999</i8>"),
    RESP("<i8>1a</i8>"),      /* xmlrpc-c 1.33 would crash on these two: refused before */
    RESP("<i8>+</i8>"),
    RESP("<boolean>2</boolean>"),
    RESP("<boolean>true</boolean>"),
    RESP("<double></double>"),
    RESP("<double>1.5x</double>"),
    RESP("<dateTime.iso8601>2026-11-23 10:24:28</dateTime.iso8601>"),
    RESP("<dateTime.iso8601>20261323T10:24:28</dateTime.iso8601>"),
    RESP("<dateTime.iso8601>20261123T24:00:00</dateTime.iso8601>"),
    RESP("<base64>a!b</base64>"),
    RESP("<base64>aGVsbA</base64>"),
    RESP("<foo>1</foo>"),
    RESP("<int>1</int><int>2</int>"),
    RESP("<array></array>"),
    RESP("<array><value>1</value></array>"),
    RESP("<struct><member><name>a</name></member></struct>"),
    RESP("<struct><member><value>1</value></member></struct>"),
    RESP("<struct><value>1</value></struct>"),
    RESP("<string>a\xff</string>"),
    RESP("<string>&#1;</string>"),
    RESP("<string>&undefined;</string>"),
    RESP("<string>a</strin>"),
    FAULT("<member><name>faultCode</name><value><int>1</int></value></member>"),
    FAULT("<member><name>faultString</name><value><string>x</string></value></member>"),
    FAULT("<member><name>faultCode</name><value><double>1.5</double></value></member>"
          "<member><name>faultString</name><value><string>x</string></value></member>"),
    "<?xml version=\"1.0\"?><methodResponse><fault><value><int>1</int></value></fault></methodResponse>",
    "<?xml version=\"1.0\"?><methodResponse><params><param><value><int>1</int></value></param></params>"
    "<fault><value><struct></struct></value></fault></methodResponse>",
};

const size_t xmlrpc_malformed_count = sizeof(xmlrpc_malformed) / sizeof(xmlrpc_malformed[0]);

/* Same json types and values, doubles compared bit for bit (-0.0, NaN). */
int json_identical(json_object *a, json_object *b)
{
    if (!a || !b)
        return a == b;
    json_type t = json_object_get_type(a);
    if (t != json_object_get_type(b))
        return 0;
    switch (t) {
    case json_type_double: {
        double x = json_object_get_double(a), y = json_object_get_double(b);
        return memcmp(&x, &y, sizeof(x)) == 0;
    }
    case json_type_string:
        return json_object_get_string_len(a) == json_object_get_string_len(b) &&
               memcmp(json_object_get_string(a), json_object_get_string(b),
                      (size_t)json_object_get_string_len(a)) == 0;
    case json_type_array: {
        size_t n = json_object_array_length(a);
        if (n != json_object_array_length(b))
            return 0;
        for (size_t i = 0; i < n; i++)
            if (!json_identical(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
                return 0;
        return 1;
    }
    case json_type_object: {
        if (json_object_object_length(a) != json_object_object_length(b))
            return 0;
        json_object_object_foreach(a, key, va) {
            json_object *vb;
            if (!json_object_object_get_ex(b, key, &vb) || !json_identical(va, vb))
                return 0;
        }
        return 1;
    }
    default:
        return json_object_equal(a, b);
    }
}
