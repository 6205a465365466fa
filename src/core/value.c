/* json-c helpers shared by the base and the codecs. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "value.h"

const char *odoo__json_to_string(json_object *obj, size_t *len)
{
    return json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

int odoo__json_parse(const char *text, size_t len, json_object **out)
{
    *out = NULL;
    if (!text || len == 0 || len > (size_t)INT32_MAX - 1)
        return -1;
    json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
    if (!tok)
        return -1;
    json_object *obj = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    if (jerr == json_tokener_continue) {
        /* A top-level number ("10", JSON-2's bare results) only ends at a
         * delimiter: feed the terminating NUL so the tokener finishes it. */
        obj = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
        used = len;
    }
    json_tokener_free(tok);
    if (jerr != json_tokener_success) {
        json_object_put(obj);
        return -1;
    }
    for (size_t i = used; i < len; i++) {
        if (!isspace((unsigned char)text[i])) {
            json_object_put(obj);
            return -1;
        }
    }
    *out = obj;
    return 0;
}

int odoo__object_add(json_object *obj, const char *key, json_object *val)
{
    if (json_object_object_add(obj, key, val) != 0) {
        json_object_put(val);
        return -1;
    }
    return 0;
}

int odoo__array_add(json_object *arr, json_object *val)
{
    if (json_object_array_add(arr, val) != 0) {
        json_object_put(val);
        return -1;
    }
    return 0;
}

json_object *odoo__merge_objects(json_object *const *sources, size_t n, int *nomem)
{
    json_object *out = NULL;
    *nomem = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *src = sources[i];
        if (!src || !json_object_is_type(src, json_type_object) || json_object_object_length(src) == 0)
            continue;
        if (!out && !(out = json_object_new_object())) {
            *nomem = 1;
            return NULL;
        }
        json_object_object_foreach(src, key, val) {
            if (odoo__object_add(out, key, json_object_get(val)) != 0) {
                json_object_put(out);
                *nomem = 1;
                return NULL;
            }
        }
    }
    return out;
}

json_object *odoo__object_without(json_object *obj, const char *skip)
{
    json_object *out = json_object_new_object();
    if (!out)
        return NULL;
    json_object_object_foreach(obj, key, val) {
        if (strcmp(key, skip) == 0)
            continue;
        if (odoo__object_add(out, key, json_object_get(val)) != 0) {
            json_object_put(out);
            return NULL;
        }
    }
    return out;
}

json_object *odoo__string_array(const char *const *list)
{
    json_object *arr = json_object_new_array();
    for (; arr && list && *list; list++) {
        json_object *s = json_object_new_string(*list);
        if (!s || odoo__array_add(arr, s) != 0) {
            json_object_put(arr);
            return NULL;
        }
    }
    return arr;
}

json_object *odoo__array_copy(json_object *arr)
{
    size_t n = json_object_array_length(arr);
    json_object *out = json_object_new_array_ext((int)(n ? n : 1));
    for (size_t i = 0; out && i < n; i++) {
        if (odoo__array_add(out, json_object_get(json_object_array_get_idx(arr, i))) != 0) {
            json_object_put(out);
            return NULL;
        }
    }
    return out;
}

static int valid_name(const char *name, int allow_dot)
{
    if (!name || !*name)
        return 0;
    size_t n = 0;
    for (const char *c = name; *c; c++, n++) {
        if (n >= 127)
            return 0;
        if (!(isalnum((unsigned char)*c) || *c == '_' || (allow_dot && *c == '.')))
            return 0;
    }
    return 1;
}

int odoo__valid_model_name(const char *name)
{
    return valid_name(name, 1) && name[0] != '.' && name[strlen(name) - 1] != '.';
}

int odoo__valid_method_name(const char *name)
{
    return valid_name(name, 0);
}

int odoo__header_safe(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

char *odoo__header_line(const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *line = malloc(n);
    if (line)
        snprintf(line, n, "%s: %s", name, value);
    return line;
}

void odoo__free_secret(char *s)
{
    if (!s)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

char *odoo__url_for_display(const char *url)
{
    const char *scheme = strstr(url, "://");
    const char *host = scheme ? scheme + 3 : url;
    const char *end = host + strcspn(host, "/?#");
    const char *at = memchr(host, '@', (size_t)(end - host));
    size_t n = strlen(url) + 4;
    char *shown = malloc(n);
    if (!shown)
        return NULL;
    if (at)
        snprintf(shown, n, "%.*s***%s", (int)(host - url), url, at);
    else
        snprintf(shown, n, "%s", url);
    return shown;
}
