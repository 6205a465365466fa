/* json-c helpers shared by the base and the codecs. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/errors.h"
#include "jstream.h"
#include "value.h"

const char *odoo__json_to_string(json_object *obj, size_t *len)
{
    /* json-c 0.16 leaves out what it could not append when its buffer
     * cannot grow, and still succeeds: the failure shows only in errno. */
    int saved = errno;
    errno = 0;
    const char *s = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
    if (errno == ENOMEM)
        return NULL;
    errno = saved;
    return s;
}

/* ---------------------------------------------------------------------
 * Limits on what a JSON answer may hold (see odoo__json_parse)
 * ------------------------------------------------------------------ */

/* Length of the UTF-8 character at p (n > 0 bytes left), 0 when it is not
 * UTF-8: a stray continuation byte, an overlong form, a surrogate, beyond
 * U+10FFFF, or cut short. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    size_t k = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] >= 0x90))
        return 0;
    return k;
}

void odoo__utf8_sanitize(char *s, size_t n)
{
    unsigned char *p = (unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(p + i, n - i);
        if (k == 0)
            p[i++] = '?';
        else
            i += k;
    }
}

/* 0: *out is the document; -1: not JSON; 1: JSON the library refuses
 * (a limit); -2: no memory. why (may be NULL) receives the reason. The
 * incremental decoder reads the text as one window and the DOM builder
 * makes the json-c values (jstream.h): what json-c 0.16 in strict mode
 * takes, with the library's refusals, in one pass and without
 * json_tokener's per-byte state machine (bench/stream-decode). */
static int json_parse(const char *text, size_t len, json_object **out, char *why, size_t whylen)
{
    char scratch[1];
    if (!why)
        why = scratch, whylen = sizeof(scratch);
    why[0] = '\0';
    *out = NULL;
    if (!text || len == 0 || len > ODOO_JS_MAX_DOCUMENT) {
        snprintf(why, whylen, "%s", len ? "too long for json-c" : "empty");
        return -1;
    }
    odoo__jstream js;
    odoo__jdom d;
    odoo__js_init(&js, NULL);
    odoo__js_feed(&js, text, len);
    odoo__js_finish(&js);
    odoo__jdom_init(&d);
    int rc;
    for (;;) {
        odoo__js_event ev = odoo__js_next(&js);
        if (ev == ODOO_JS_END) {
            *out = odoo__jdom_take(&d);
            rc = 0;
            break;
        }
        if (ev == ODOO_JS_ERROR) {
            rc = js.refused == -2 ? -2 : js.refused ? 1 : -1;
            size_t at = js.err_off, n = 0;
            while (at + n < len && (text[at + n] == '-' || (text[at + n] >= '0' && text[at + n] <= '9')))
                n++;
            /* the integer refused is named: a user looks for it in the answer */
            if (rc == 1 && strstr(js.why, "does not fit in 64 bits") && n)
                snprintf(why, whylen, "the integer %.*s%s at byte %zu does not fit in 64 bits", (int)(n > 40 ? 40 : n),
                         text + at, n > 40 ? "..." : "", at);
            else
                snprintf(why, whylen, "%s", js.why);
            break;
        }
        if (odoo__jdom_event(&d, ev, &js.tok) < 0) {
            snprintf(why, whylen, "out of memory");
            rc = -2;
            break;
        }
    }
    odoo__jdom_free(&d);
    odoo__js_free(&js);
    return rc;
}

int odoo__json_parse(const char *text, size_t len, json_object **out)
{
    int rc = json_parse(text, len, out, NULL, 0);
    return rc == 0 ? 0 : rc == -2 ? ODOO_ERR_NOMEM : -1;
}

int odoo__json_refusal(const char *text, size_t len, char *why, size_t whylen)
{
    json_object *obj = NULL;
    int rc = json_parse(text, len, &obj, why, whylen);
    json_object_put(obj);
    return rc == 1;
}

/* NULL is what json_object_new_* returns without memory: refused, or
 * {"limit": null} would go to Odoo as no limit at all. */
int odoo__object_add(json_object *obj, const char *key, json_object *val)
{
    return val ? odoo__object_add_value(obj, key, val) : -1;
}

int odoo__array_add(json_object *arr, json_object *val)
{
    return val ? odoo__array_add_value(arr, val) : -1;
}

int odoo__object_add_value(json_object *obj, const char *key, json_object *val)
{
    if (json_object_object_add(obj, key, val) != 0) {
        json_object_put(val);
        return -1;
    }
    return 0;
}

int odoo__array_add_value(json_object *arr, json_object *val)
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
            if (odoo__object_add_value(out, key, json_object_get(val)) != 0) {
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
        if (odoo__object_add_value(out, key, json_object_get(val)) != 0) {
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
        if (odoo__array_add_value(out, json_object_get(json_object_array_get_idx(arr, i))) != 0) {
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
