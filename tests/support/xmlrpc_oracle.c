/* xmlrpc-c as the oracle (xmlrpc_oracle.h): xmlrpc_parse_response2 and
 * xmlrpc_parse_call, then xmlrpc_value -> json-c, value for value as
 * libodoo's decoders map them (adapters/xmlrpc_values.h). */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <xmlrpc-c/base.h>

#include "adapters/xmlrpc_reply.h"
#include "xmlrpc_oracle.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void lift_limit(void)
{
    /* 512 KiB by default; the recordings and the benchmark's answers are
     * larger. Only this (test) process is concerned. */
    xmlrpc_limit_set(XMLRPC_XML_SIZE_LIMIT_ID, SIZE_MAX / 2);
}

void xmlrpc_oracle_init(void)
{
    pthread_once(&init_once, lift_limit);
}

typedef struct {
    xmlrpc_env env;   /* the one environment of this decode */
    char *why;
    size_t whylen;
} xc_state;

/* The environment's fault as the decoder's failure. */
static int xc_fail(xc_state *c)
{
    snprintf(c->why, c->whylen, "%s", c->env.fault_string ? c->env.fault_string : "xmlrpc-c failed");
    return ODOO_ERR_PROTOCOL;
}

static int xc_to_json(xc_state *c, xmlrpc_value *v, int depth, json_object **out);

static int xc_array(xc_state *c, xmlrpc_value *v, int depth, json_object **out)
{
    int n = xmlrpc_array_size(&c->env, v);
    if (c->env.fault_occurred)
        return xc_fail(c);
    json_object *arr = json_object_new_array_ext(n > 0 ? n : 1);
    if (!arr)
        return ODOO_ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        xmlrpc_value *item;
        json_object *j = NULL;
        int rc;
        /* On failure xmlrpc-c leaves its outputs uninitialised: release
         * only what a successful call handed out. */
        xmlrpc_array_read_item(&c->env, v, (unsigned)i, &item);
        if (c->env.fault_occurred) {
            rc = xc_fail(c);
        } else {
            rc = xc_to_json(c, item, depth + 1, &j);
            xmlrpc_DECREF(item);
        }
        if (rc == 0 && json_object_array_add(arr, j) != 0) {
            json_object_put(j);
            rc = ODOO_ERR_NOMEM;
        }
        if (rc != 0) {
            json_object_put(arr);
            return rc;
        }
    }
    *out = arr;
    return 0;
}

static int xc_struct(xc_state *c, xmlrpc_value *v, int depth, json_object **out)
{
    int n = xmlrpc_struct_size(&c->env, v);
    if (c->env.fault_occurred)
        return xc_fail(c);
    json_object *obj = json_object_new_object();
    if (!obj)
        return ODOO_ERR_NOMEM;
    for (int i = 0; i < n; i++) {
        xmlrpc_value *k, *val;
        const char *key;
        json_object *j = NULL;
        int rc;
        xmlrpc_struct_read_member(&c->env, v, (unsigned)i, &k, &val);
        if (c->env.fault_occurred) {
            rc = xc_fail(c);
        } else {
            xmlrpc_read_string(&c->env, k, &key);
            if (c->env.fault_occurred) {
                rc = xc_fail(c);
            } else {
                rc = xc_to_json(c, val, depth + 1, &j);
                if (rc == 0 && json_object_object_add(obj, key, j) != 0) {
                    json_object_put(j);
                    rc = ODOO_ERR_NOMEM;
                }
                free((void *)key);
            }
            xmlrpc_DECREF(k);
            xmlrpc_DECREF(val);
        }
        if (rc != 0) {
            json_object_put(obj);
            return rc;
        }
    }
    *out = obj;
    return 0;
}

static int xc_to_json(xc_state *c, xmlrpc_value *v, int depth, json_object **out)
{
    *out = NULL;
    /* depth: the arrays and structs around v */
    if (depth >= ODOO_XMLRPC_MAX_DEPTH &&
        (xmlrpc_value_type(v) == XMLRPC_TYPE_ARRAY || xmlrpc_value_type(v) == XMLRPC_TYPE_STRUCT)) {
        snprintf(c->why, c->whylen, "nesting deeper than %d levels", ODOO_XMLRPC_MAX_DEPTH);
        return ODOO_ERR_PROTOCOL;
    }
    switch (xmlrpc_value_type(v)) {
    case XMLRPC_TYPE_INT: {
        int i = 0;
        xmlrpc_read_int(&c->env, v, &i);
        *out = json_object_new_int64(i);
        break;
    }
    case XMLRPC_TYPE_I8: {
        xmlrpc_int64 i = 0;
        xmlrpc_read_i8(&c->env, v, &i);
        *out = json_object_new_int64(i);
        break;
    }
    case XMLRPC_TYPE_BOOL: {
        xmlrpc_bool b = 0;
        xmlrpc_read_bool(&c->env, v, &b);
        *out = json_object_new_boolean(b != 0);
        break;
    }
    case XMLRPC_TYPE_DOUBLE: {
        double d = 0;
        xmlrpc_read_double(&c->env, v, &d);
        *out = json_object_new_double(d);
        break;
    }
    case XMLRPC_TYPE_STRING: {
        const char *s = NULL;
        size_t n = 0;
        xmlrpc_read_string_lp(&c->env, v, &n, &s);
        if (c->env.fault_occurred)
            return xc_fail(c);
        *out = n <= INT_MAX ? json_object_new_string_len(s, (int)n) : NULL;
        free((void *)s);
        if (n > INT_MAX) {   /* json-c counts in int */
            snprintf(c->why, c->whylen, "a string of %zu bytes is too long", n);
            return ODOO_ERR_PROTOCOL;
        }
        break;
    }
    case XMLRPC_TYPE_DATETIME: {
        xmlrpc_datetime dt;
        char text[40];
        xmlrpc_read_datetime(&c->env, v, &dt);
        if (c->env.fault_occurred)
            return xc_fail(c);
        odoo__xmlrpc_datetime_text(text, sizeof(text), dt.Y, dt.M, dt.D, dt.h, dt.m, dt.s, dt.u);
        *out = json_object_new_string(text);
        break;
    }
    case XMLRPC_TYPE_BASE64: {
        const unsigned char *bytes = NULL;
        size_t n = 0;
        xmlrpc_read_base64(&c->env, v, &n, &bytes);
        if (c->env.fault_occurred)
            return xc_fail(c);
        *out = odoo__xmlrpc_base64_string(bytes, n);
        free((void *)bytes);
        break;
    }
    case XMLRPC_TYPE_NIL:
        return 0;
    case XMLRPC_TYPE_ARRAY:
        return xc_array(c, v, depth, out);
    case XMLRPC_TYPE_STRUCT:
        return xc_struct(c, v, depth, out);
    default:
        snprintf(c->why, c->whylen, "xmlrpc-c produced a value of type %d", (int)xmlrpc_value_type(v));
        return ODOO_ERR_PROTOCOL;
    }
    if (c->env.fault_occurred) {
        json_object_put(*out);
        *out = NULL;
        return xc_fail(c);
    }
    return *out ? 0 : ODOO_ERR_NOMEM;
}

/* xmlrpc-c 1.33 crashes (a NULL passed to %s while it words the error)
 * on an <i8> whose text is not a 64-bit integer: refuse such a body
 * before it sees it. Conservative: anything but [+-]digits, or nothing,
 * directly followed by the end tag is refused. */
static int i8_texts_safe(const char *xml, size_t len)
{
    const char *p = xml, *end = xml + len;
    while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
        p++;
        if (end - p >= 3 && memcmp(p, "ex:", 3) == 0)
            p += 3;
        if (end - p < 3 || p[0] != 'i' || p[1] != '8' || !strchr(">/ \t\r\n", p[2]))
            continue;
        const char *gt = memchr(p, '>', (size_t)(end - p));
        if (!gt)
            return 0;
        if (gt[-1] == '/')
            continue;   /* <i8/>: empty, which xmlrpc-c reports properly */
        const char *q = gt + 1;
        if (q < end && (*q == '+' || *q == '-'))
            q++;
        const char *digits = q;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (end - q < 2 || q[0] != '<' || q[1] != '/')
            return 0;
        if (q > digits) {
            char num[24];
            size_t n = (size_t)(q - (gt + 1));
            if (n >= sizeof(num))
                return 0;
            memcpy(num, gt + 1, n);
            num[n] = '\0';
            errno = 0;
            (void)strtoll(num, NULL, 10);
            if (errno == ERANGE)
                return 0;
        } else if (q != gt + 1) {
            return 0;   /* a sign alone */
        }
        p = q;
    }
    return 1;
}

/* xmlrpc-c insists on an integer faultCode; Odoo's legacy /xmlrpc/<service>
 * sends a string (the fixtures' v1-* recordings), which libodoo's decoders
 * read as any struct. Read the fault's <value> again, as a plain value,
 * so that the oracle reads those recordings too. */
static int xc_legacy_fault(xc_state *c, const char *xml, size_t len, odoo_xmlrpc_reply *out)
{
    const char *start = memmem(xml, len, "<fault>", 7);
    const char *end = start ? memmem(start, len - (size_t)(start - xml), "</fault>", 8) : NULL;
    if (!end)
        return xc_fail(c);
    start += 7;
    xmlrpc_value *v;
    xmlrpc_env_clean(&c->env);
    xmlrpc_env_init(&c->env);
    xmlrpc_parse_value_xml(&c->env, start, (size_t)(end - start), &v);
    if (c->env.fault_occurred)   /* v is not set */
        return xc_fail(c);
    int rc = xc_to_json(c, v, 0, &out->value);
    xmlrpc_DECREF(v);
    out->fault = 1;
    return rc;
}

int xmlrpc_oracle_parse(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen)
{
    xmlrpc_oracle_init();
    out->value = NULL;
    out->fault = 0;
    if (!i8_texts_safe(xml, len)) {
        snprintf(why, whylen, "an <i8> element does not hold a 64-bit integer");
        return ODOO_ERR_PROTOCOL;
    }
    xc_state c = { .why = why, .whylen = whylen };
    xmlrpc_env_init(&c.env);
    xmlrpc_value *result;
    int code = 0, rc;
    const char *fault_string = NULL;
    xmlrpc_parse_response2(&c.env, xml, len, &result, &code, &fault_string);
    if (c.env.fault_occurred) {
        const char *fs = c.env.fault_string ? c.env.fault_string : "";
        if (strncmp(fs, "Invalid struct for <fault> value", 32) == 0 && strstr(fs, "'faultCode'"))
            rc = xc_legacy_fault(&c, xml, len, out);
        else
            rc = xc_fail(&c);
    } else if (fault_string) {
        json_object *f = json_object_new_object();
        rc = f && json_object_object_add(f, "faultCode", json_object_new_int64(code)) == 0 &&
             json_object_object_add(f, "faultString", json_object_new_string(fault_string)) == 0
           ? 0 : ODOO_ERR_NOMEM;
        free((void *)fault_string);
        out->value = f;
        out->fault = 1;
    } else {
        rc = xc_to_json(&c, result, 0, &out->value);
        xmlrpc_DECREF(result);
    }
    xmlrpc_env_clean(&c.env);
    if (rc != 0) {
        json_object_put(out->value);
        out->value = NULL;
        out->fault = 0;
    }
    return rc;
}

int xmlrpc_oracle_parse_call(const char *xml, size_t len, char **method, json_object **params, char *why,
                             size_t whylen)
{
    xmlrpc_oracle_init();
    *method = NULL;
    *params = NULL;
    if (!i8_texts_safe(xml, len)) {
        snprintf(why, whylen, "an <i8> element does not hold a 64-bit integer");
        return ODOO_ERR_PROTOCOL;
    }
    xc_state c = { .why = why, .whylen = whylen };
    xmlrpc_env_init(&c.env);
    xmlrpc_value *p;
    const char *name;
    xmlrpc_parse_call(&c.env, xml, len, &name, &p);
    if (c.env.fault_occurred) {   /* name and p are not set */
        int rc = xc_fail(&c);
        xmlrpc_env_clean(&c.env);
        return rc;
    }
    int rc = xc_to_json(&c, p, 0, params);
    xmlrpc_DECREF(p);
    xmlrpc_env_clean(&c.env);
    if (rc == 0)
        *method = (char *)name;
    else
        free((void *)name);
    return rc;
}

int xmlrpc_oracle_decode_response(const char *xml, size_t len, long http_status, const char *content_type,
                                  json_object **out, odoo_rpc_error *err)
{
    return odoo__xmlrpc_decode_response_by(xmlrpc_oracle_parse, xml, len, http_status, content_type, out, err);
}
