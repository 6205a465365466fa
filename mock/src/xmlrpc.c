/* odoo-mock — XML-RPC codec (expat based parser, Python-style writer). */
#include "xmlrpc.h"

#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyjson.h"

#define BINARY_MARK "__xmlrpc_binary__"
#define MAX_DEPTH 256

typedef struct {
    json_object *stack; /* array */
    int marks[MAX_DEPTH];
    int nmarks;
    strbuf data;
    int value_flag;
    char *method;
    int err;
    char errmsg[256];
    XML_Parser parser;
} unmarshaller;

static const char *strip_ns(const char *tag)
{
    const char *c = strchr(tag, ':');
    return c ? c + 1 : tag;
}

static void push(unmarshaller *u, json_object *v)
{
    json_object_array_add(u->stack, v);
}

static void fail(unmarshaller *u, int code, const char *fmt, ...) MOCK_PRINTF(3, 4);
static void fail(unmarshaller *u, int code, const char *fmt, ...)
{
    if (u->err)
        return;
    u->err = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->errmsg, sizeof u->errmsg, fmt, ap);
    va_end(ap);
    XML_StopParser(u->parser, XML_FALSE);
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    unmarshaller *u = ud;
    (void)atts;
    const char *tag = strip_ns(name);
    if (!strcmp(tag, "array") || !strcmp(tag, "struct")) {
        if (u->nmarks >= MAX_DEPTH) {
            fail(u, XR_VALUE, "%s", "maximum nesting depth exceeded");
            return;
        }
        u->marks[u->nmarks++] = (int)json_object_array_length(u->stack);
    }
    u->data.len = 0;
    if (u->data.buf)
        u->data.buf[0] = '\0';
    u->value_flag = !strcmp(tag, "value");
}

static void XMLCALL on_data(void *ud, const XML_Char *s, int len)
{
    unmarshaller *u = ud;
    om_sb_addn(&u->data, s, (size_t)len);
}

static char *trimmed(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return om_xstrndup(s, n);
}

/* Convert XML-RPC dateTime text to Odoo's "YYYY-MM-DD HH:MM:SS". */
static int convert_datetime(const char *in, char out[20])
{
    int Y, M, D, h, m, s;
    if (sscanf(in, "%4d%2d%2dT%2d:%2d:%2d", &Y, &M, &D, &h, &m, &s) == 6 ||
        sscanf(in, "%4d-%2d-%2dT%2d:%2d:%2d", &Y, &M, &D, &h, &m, &s) == 6) {
        if (Y < 0 || Y > 9999 || M < 0 || M > 99 || D < 0 || D > 99 || h < 0 || h > 99 || m < 0 ||
            m > 99 || s < 0 || s > 99)
            return -1;
        char buf[32];
        snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", Y, M, D, h, m, s);
        memcpy(out, buf, 20);
        out[19] = '\0';
        return 0;
    }
    return -1;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    unmarshaller *u = ud;
    const char *tag = strip_ns(name);
    const char *data = u->data.buf ? u->data.buf : "";
    if (!strcmp(tag, "nil")) {
        push(u, NULL);
    } else if (!strcmp(tag, "boolean")) {
        if (!strcmp(data, "0"))
            push(u, json_object_new_boolean(0));
        else if (!strcmp(data, "1"))
            push(u, json_object_new_boolean(1));
        else
            fail(u, XR_TYPE, "%s", "bad boolean value");
    } else if (!strcmp(tag, "int") || !strcmp(tag, "i4") || !strcmp(tag, "i8") ||
               !strcmp(tag, "i1") || !strcmp(tag, "i2") || !strcmp(tag, "bigint") ||
               !strcmp(tag, "byte") || !strcmp(tag, "short") || !strcmp(tag, "long")) {
        char *t = trimmed(data);
        char *endp = NULL;
        errno = 0;
        long long v = strtoll(t, &endp, 10);
        if (!*t || *endp || errno) {
            fail(u, XR_VALUE, "invalid literal for int() with base 10: '%s'", data);
        } else {
            push(u, json_object_new_int64(v));
        }
        free(t);
    } else if (!strcmp(tag, "double") || !strcmp(tag, "float") || !strcmp(tag, "bigdecimal")) {
        char *t = trimmed(data);
        char *endp = NULL;
        double v = strtod(t, &endp);
        if (!*t || *endp)
            fail(u, XR_VALUE, "could not convert string to float: '%s'", data);
        else
            push(u, json_object_new_double(v));
        free(t);
    } else if (!strcmp(tag, "string") || !strcmp(tag, "name")) {
        push(u, json_object_new_string_len(data, (int)u->data.len));
    } else if (!strcmp(tag, "array")) {
        if (u->nmarks <= 0)
            return;
        int mark = u->marks[--u->nmarks];
        json_object *arr = json_object_new_array();
        size_t n = json_object_array_length(u->stack);
        for (size_t i = (size_t)mark; i < n; i++)
            json_object_array_add(arr, json_object_get(json_object_array_get_idx(u->stack, i)));
        json_object_array_del_idx(u->stack, (size_t)mark, n - (size_t)mark);
        push(u, arr);
    } else if (!strcmp(tag, "struct")) {
        if (u->nmarks <= 0)
            return;
        int mark = u->marks[--u->nmarks];
        json_object *obj = json_object_new_object();
        size_t n = json_object_array_length(u->stack);
        for (size_t i = (size_t)mark; i + 1 < n; i += 2) {
            json_object *k = json_object_array_get_idx(u->stack, i);
            json_object *v = json_object_array_get_idx(u->stack, i + 1);
            if (json_object_get_type(k) == json_type_string)
                json_object_object_add(obj, json_object_get_string(k), json_object_get(v));
        }
        json_object_array_del_idx(u->stack, (size_t)mark, n - (size_t)mark);
        push(u, obj);
    } else if (!strcmp(tag, "base64")) {
        json_object *o = json_object_new_object();
        char *t = trimmed(data);
        json_object_object_add(o, BINARY_MARK, json_object_new_string(t));
        free(t);
        push(u, o);
    } else if (!strcmp(tag, "dateTime.iso8601")) {
        char buf[20];
        char *t = trimmed(data);
        if (convert_datetime(t, buf) == 0)
            push(u, json_object_new_string(buf));
        else
            fail(u, XR_VALUE, "time data '%s' does not match format '%%Y%%m%%dT%%H:%%M:%%S'", t);
        free(t);
    } else if (!strcmp(tag, "value")) {
        if (u->value_flag)
            push(u, json_object_new_string_len(data, (int)u->data.len));
    } else if (!strcmp(tag, "methodName")) {
        free(u->method);
        u->method = om_xstrdup(data);
    }
    /* params, param, data, member, methodCall, fault...: nothing to do.
     * Like Python's end_* handlers, any end tag closes the "untyped value"
     * window. */
    u->value_flag = 0;
    u->data.len = 0;
    if (u->data.buf)
        u->data.buf[0] = '\0';
}

int om_xr_parse_call(const char *body, size_t len, xr_call *out, char *err, size_t errsize)
{
    unmarshaller u;
    memset(&u, 0, sizeof u);
    om_sb_init(&u.data);
    u.stack = json_object_new_array();
    u.parser = XML_ParserCreate(NULL);
    if (!u.parser) {
        json_object_put(u.stack);
        snprintf(err, errsize, "out of memory");
        return XR_VALUE;
    }
    XML_SetUserData(u.parser, &u);
    XML_SetElementHandler(u.parser, on_start, on_end);
    XML_SetCharacterDataHandler(u.parser, on_data);
    int rc = XR_OK;
    if (len > 0x7fffffff || XML_Parse(u.parser, body, (int)len, XML_TRUE) == XML_STATUS_ERROR) {
        if (u.err) {
            rc = u.err;
            snprintf(err, errsize, "%s", u.errmsg);
        } else {
            enum XML_Error code = XML_GetErrorCode(u.parser);
            snprintf(err, errsize, "%s: line %lu, column %lu", XML_ErrorString(code),
                     (unsigned long)XML_GetCurrentLineNumber(u.parser),
                     (unsigned long)XML_GetCurrentColumnNumber(u.parser));
            rc = XR_EXPAT;
        }
    } else if (u.err) {
        rc = u.err;
        snprintf(err, errsize, "%s", u.errmsg);
    }
    XML_ParserFree(u.parser);
    om_sb_free(&u.data);
    if (rc != XR_OK) {
        free(u.method);
        json_object_put(u.stack);
        memset(out, 0, sizeof *out);
        return rc;
    }
    out->method = u.method;
    out->params = u.stack;
    return XR_OK;
}

void om_xr_call_free(xr_call *c)
{
    free(c->method);
    json_object_put(c->params);
    c->method = NULL;
    c->params = NULL;
}

int om_xr_is_binary(json_object *v)
{
    return json_object_get_type(v) == json_type_object && json_object_object_length(v) == 1 &&
           json_object_object_get_ex(v, BINARY_MARK, NULL);
}

/* ------------------------------------------------------------------ */

static void escape_text(strbuf *sb, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        int drop = 0;
        if (c == '&')
            rep = "&amp;";
        else if (c == '<')
            rep = "&lt;";
        else if (c == '>')
            rep = "&gt;";
        else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            drop = 1; /* Odoo strips control characters */
        if (rep || drop) {
            om_sb_addn(sb, s + start, i - start);
            if (rep)
                om_sb_adds(sb, rep);
            start = i + 1;
        }
    }
    om_sb_addn(sb, s + start, n - start);
}

static int check_value(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        return 1;
    case json_type_int: {
        int64_t i = json_object_get_int64(v);
        if (i > 2147483647LL || i < -2147483648LL)
            return 2;
        return 0;
    }
    case json_type_array: {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) {
            int r = check_value(json_object_array_get_idx(v, i));
            if (r)
                return r;
        }
        return 0;
    }
    case json_type_object: {
        json_object_object_foreach(v, key, val)
        {
            (void)key;
            int r = check_value(val);
            if (r)
                return r;
        }
        return 0;
    }
    default:
        return 0;
    }
}

static void dump_value(strbuf *sb, json_object *v)
{
    char num[48];
    switch (json_object_get_type(v)) {
    case json_type_null:
        om_sb_adds(sb, "<value><nil/></value>\n");
        break;
    case json_type_boolean:
        om_sb_adds(sb, json_object_get_boolean(v) ? "<value><boolean>1</boolean></value>\n"
                                               : "<value><boolean>0</boolean></value>\n");
        break;
    case json_type_int:
        om_sb_addf(sb, "<value><int>%lld</int></value>\n", (long long)json_object_get_int64(v));
        break;
    case json_type_double:
        om_py_float_repr(json_object_get_double(v), 0, num);
        om_sb_addf(sb, "<value><double>%s</double></value>\n", num);
        break;
    case json_type_string:
        om_sb_adds(sb, "<value><string>");
        escape_text(sb, json_object_get_string(v), (size_t)json_object_get_string_len(v));
        om_sb_adds(sb, "</string></value>\n");
        break;
    case json_type_array: {
        size_t n = json_object_array_length(v);
        om_sb_adds(sb, "<value><array><data>\n");
        for (size_t i = 0; i < n; i++)
            dump_value(sb, json_object_array_get_idx(v, i));
        om_sb_adds(sb, "</data></array></value>\n");
        break;
    }
    case json_type_object: {
        if (om_xr_is_binary(v)) {
            json_object *b = NULL;
            json_object_object_get_ex(v, BINARY_MARK, &b);
            om_sb_adds(sb, "<value><base64>\n");
            om_sb_adds(sb, json_object_get_string(b));
            om_sb_adds(sb, "\n</base64></value>\n");
            break;
        }
        om_sb_adds(sb, "<value><struct>\n");
        json_object_object_foreach(v, key, val)
        {
            om_sb_adds(sb, "<member>\n<name>");
            escape_text(sb, key, strlen(key));
            om_sb_adds(sb, "</name>\n");
            dump_value(sb, val);
            om_sb_adds(sb, "</member>\n");
        }
        om_sb_adds(sb, "</struct></value>\n");
        break;
    }
    }
}

int om_xr_dump_response(strbuf *sb, json_object *result)
{
    int r = check_value(result);
    if (r)
        return r;
    om_sb_adds(sb, "<?xml version=\"1.0\"?>\n<methodResponse>\n<params>\n<param>\n");
    dump_value(sb, result);
    om_sb_adds(sb, "</param>\n</params>\n\n</methodResponse>\n");
    return 0;
}

static void dump_fault(strbuf *sb, json_object *code, const char *fault_string)
{
    json_object *f = json_object_new_object();
    json_object_object_add(f, "faultCode", code);
    json_object_object_add(f, "faultString", json_object_new_string(fault_string ? fault_string : ""));
    om_sb_adds(sb, "<?xml version=\"1.0\"?>\n<methodResponse>\n<fault>\n");
    dump_value(sb, f);
    om_sb_adds(sb, "</fault>\n\n</methodResponse>\n");
    json_object_put(f);
}

void om_xr_dump_fault_int(strbuf *sb, int code, const char *fault_string)
{
    dump_fault(sb, json_object_new_int(code), fault_string);
}

void om_xr_dump_fault_str(strbuf *sb, const char *code, const char *fault_string)
{
    dump_fault(sb, json_object_new_string(code), fault_string);
}
