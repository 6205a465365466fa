/* vals builders, x2many commands and binary fields (base64 through
 * OpenSSL's EVP encoder, not a hand-written one). */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "odoo/values.h"
#include "secret.h"

static int valid_target(json_object *vals, const char *field)
{
    return vals && field && *field && json_object_is_type(vals, json_type_object);
}

/* Set vals[field] = v, taking v (NULL is JSON null; fresh is 0 when a
 * constructor returned NULL, out of memory). */
static int set(json_object *vals, const char *field, json_object *v, int fresh)
{
    if (!valid_target(vals, field)) {
        json_object_put(v);
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    if (!fresh)
        return ODOO_ERR_NOMEM;
    if (json_object_object_add(vals, field, v) < 0) {
        json_object_put(v);
        return ODOO_ERR_NOMEM;
    }
    return 0;
}

json_object *odoo_vals_new(void)
{
    return json_object_new_object();
}

/* 1 when s[0..n) is UTF-8 (no overlong forms, no surrogates). */
static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k;
        unsigned long cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            k = 2;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 3;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i < k)
            return 0;
        for (size_t j = 1; j < k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i + j] & 0x3f);
        }
        if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += k;
    }
    return 1;
}

int odoo_vals_set_string(json_object *vals, const char *field, const char *value)
{
    if (!value)
        return odoo_vals_set_bool(vals, field, 0);
    size_t n = strlen(value);
    if (n > INT_MAX || !utf8_ok((const unsigned char *)value, n))
        return ODOO_ERR_INVALID_ARGUMENT;
    json_object *v = valid_target(vals, field) ? json_object_new_string_len(value, (int)n) : NULL;
    return set(vals, field, v, v != NULL);
}

int odoo_vals_set_int(json_object *vals, const char *field, int64_t value)
{
    json_object *v = valid_target(vals, field) ? json_object_new_int64(value) : NULL;
    return set(vals, field, v, v != NULL);
}

int odoo_vals_set_float(json_object *vals, const char *field, double value)
{
    if (!isfinite(value)) /* JSON has no NaN or infinity, Odoo no use for them */
        return ODOO_ERR_INVALID_ARGUMENT;
    json_object *v = valid_target(vals, field) ? json_object_new_double(value) : NULL;
    return set(vals, field, v, v != NULL);
}

int odoo_vals_set_bool(json_object *vals, const char *field, int value)
{
    json_object *v = valid_target(vals, field) ? json_object_new_boolean(value != 0) : NULL;
    return set(vals, field, v, v != NULL);
}

int odoo_vals_set_null(json_object *vals, const char *field)
{
    return set(vals, field, NULL, 1);
}

int odoo_vals_set_many2one(json_object *vals, const char *field, int64_t id)
{
    if (id < 0)
        return ODOO_ERR_INVALID_ARGUMENT;
    if (id == 0)
        return odoo_vals_set_bool(vals, field, 0);
    return odoo_vals_set_int(vals, field, id);
}

/* A new array of positive ids, or NULL (*rc says why). */
static json_object *id_array(const int64_t *ids, size_t n, int *rc)
{
    *rc = ODOO_ERR_INVALID_ARGUMENT;
    if (n && !ids)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (ids[i] <= 0)
            return NULL;
    *rc = ODOO_ERR_NOMEM;
    json_object *arr = json_object_new_array_ext(n ? (int)(n > INT_MAX ? INT_MAX : n) : 1);
    if (!arr)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        json_object *v = json_object_new_int64(ids[i]);
        if (!v || json_object_array_add(arr, v) < 0) {
            json_object_put(v);
            json_object_put(arr);
            return NULL;
        }
    }
    *rc = 0;
    return arr;
}

int odoo_vals_set_ids(json_object *vals, const char *field, const int64_t *ids, size_t n)
{
    if (!valid_target(vals, field))
        return ODOO_ERR_INVALID_ARGUMENT;
    int rc;
    json_object *arr = id_array(ids, n, &rc);
    return arr ? set(vals, field, arr, 1) : rc;
}

int odoo_vals_set_value(json_object *vals, const char *field, json_object *value)
{
    if (!valid_target(vals, field))
        return ODOO_ERR_INVALID_ARGUMENT;
    return set(vals, field, json_object_get(value), 1);
}

/* ---- binary ---- */

int odoo_vals_set_binary(json_object *vals, const char *field, const void *data, size_t len)
{
    if (!valid_target(vals, field) || (len && !data))
        return ODOO_ERR_INVALID_ARGUMENT;
    if (!len)
        return odoo_vals_set_bool(vals, field, 0);
    if (len > (size_t)INT_MAX / 4 * 3) /* json-c strings are int-sized */
        return ODOO_ERR_INVALID_ARGUMENT;
    size_t w = 0;
    char *b64 = odoo__base64_len(data, len, &w);
    if (!b64)
        return ODOO_ERR_NOMEM;
    json_object *v = json_object_new_string_len(b64, (int)w);
    free(b64);
    return set(vals, field, v, v != NULL);
}

static int b64_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

int odoo_binary_decode(void **out, size_t *len, json_object *value)
{
    if (out)
        *out = NULL;
    if (len)
        *len = 0;
    if (!out || !len)
        return ODOO_ERR_INVALID_ARGUMENT;
    if (!value || (json_object_is_type(value, json_type_boolean) && !json_object_get_boolean(value)))
        return 0;
    if (!json_object_is_type(value, json_type_string))
        return ODOO_ERR_INVALID_ARGUMENT;
    const char *s = json_object_get_string(value);
    size_t n = (size_t)json_object_get_string_len(value);
    /* Copy without line breaks (Python's base64.encodebytes puts them),
     * checking the alphabet and the padding: EVP_DecodeBlock is lenient. */
    unsigned char *clean = malloc(n + 1);
    if (!clean)
        return ODOO_ERR_NOMEM;
    size_t m = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || c == '\r')
            continue;
        if (c == '=') {
            pad++;
        } else if (!b64_char(c) || pad) {
            free(clean);
            return ODOO_ERR_INVALID_ARGUMENT;
        }
        clean[m++] = c;
    }
    if (m % 4 || pad > 2 || m > INT_MAX) {
        free(clean);
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    unsigned char *bytes = malloc(m / 4 * 3 + 1);
    if (!bytes) {
        free(clean);
        return ODOO_ERR_NOMEM;
    }
    int k = m ? EVP_DecodeBlock(bytes, clean, (int)m) : 0;
    free(clean);
    if (k < 0 || (size_t)k < pad) {
        free(bytes);
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    size_t got = (size_t)k - pad; /* EVP_DecodeBlock counts the padding as zero bytes */
    bytes[got] = '\0';
    *out = bytes;
    *len = got;
    return 0;
}

/* ---- x2many commands ---- */

/* Append [code, id, third] to vals[field] (third taken; NULL: 0). */
static int command(json_object *vals, const char *field, int code, int64_t id, json_object *third)
{
    if (!valid_target(vals, field)) {
        json_object_put(third);
        return ODOO_ERR_INVALID_ARGUMENT;
    }
    json_object *list = NULL;
    if (json_object_object_get_ex(vals, field, &list)) {
        if (!json_object_is_type(list, json_type_array)) {
            json_object_put(third);
            return ODOO_ERR_INVALID_ARGUMENT;
        }
    } else {
        list = NULL;
    }
    if (!third)
        third = json_object_new_int(0);
    json_object *cmd = json_object_new_array_ext(3), *c = json_object_new_int(code),
                *i = json_object_new_int64(id);
    if (!third || !cmd || !c || !i || json_object_array_add(cmd, c) < 0) {
        json_object_put(c);
        goto nomem;
    }
    if (json_object_array_add(cmd, i) < 0)
        goto nomem;
    i = NULL;
    if (json_object_array_add(cmd, third) < 0)
        goto nomem;
    third = NULL;
    if (!list) {
        list = json_object_new_array();
        if (!list || json_object_object_add(vals, field, list) < 0) {
            json_object_put(list);
            goto nomem;
        }
    }
    if (json_object_array_add(list, cmd) < 0)
        goto nomem;
    return 0;
nomem:
    json_object_put(i);
    json_object_put(third);
    json_object_put(cmd);
    return ODOO_ERR_NOMEM;
}

int odoo_vals_x2many_create(json_object *vals, const char *field, json_object *sub_vals)
{
    if (!json_object_is_type(sub_vals, json_type_object))
        return ODOO_ERR_INVALID_ARGUMENT;
    return command(vals, field, 0, 0, json_object_get(sub_vals));
}

int odoo_vals_x2many_update(json_object *vals, const char *field, int64_t id, json_object *sub_vals)
{
    if (id <= 0 || !json_object_is_type(sub_vals, json_type_object))
        return ODOO_ERR_INVALID_ARGUMENT;
    return command(vals, field, 1, id, json_object_get(sub_vals));
}

int odoo_vals_x2many_delete(json_object *vals, const char *field, int64_t id)
{
    return id > 0 ? command(vals, field, 2, id, NULL) : ODOO_ERR_INVALID_ARGUMENT;
}

int odoo_vals_x2many_unlink(json_object *vals, const char *field, int64_t id)
{
    return id > 0 ? command(vals, field, 3, id, NULL) : ODOO_ERR_INVALID_ARGUMENT;
}

int odoo_vals_x2many_link(json_object *vals, const char *field, int64_t id)
{
    return id > 0 ? command(vals, field, 4, id, NULL) : ODOO_ERR_INVALID_ARGUMENT;
}

int odoo_vals_x2many_clear(json_object *vals, const char *field)
{
    return command(vals, field, 5, 0, NULL);
}

int odoo_vals_x2many_set(json_object *vals, const char *field, const int64_t *ids, size_t n)
{
    if (!valid_target(vals, field))
        return ODOO_ERR_INVALID_ARGUMENT;
    int rc;
    json_object *arr = id_array(ids, n, &rc);
    return arr ? command(vals, field, 6, 0, arr) : rc;
}
