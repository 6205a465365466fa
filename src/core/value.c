/* json-c helpers shared by the base and the codecs. */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "odoo/errors.h"
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

#define SUSPECT_DIGITS 1   /* a run of 19+ digits: maybe an integer beyond 64 bits */
#define SUSPECT_NUL 2      /* a \u0000 escape: maybe in an object key */

/* One cheap pass over a document json-c took: validates UTF-8 (returns
 * the offset of the first bad byte, or len) and flags what needs the
 * exact look of json_exact_check. Eight ASCII bytes at a time; a word
 * with a non-ASCII byte or a backslash is read byte by byte. */
static size_t json_scan(const unsigned char *p, size_t len, int *flags)
{
    size_t i = 0, run = 0; /* run: digits just before i */
    *flags = 0;
    while (i < len) {
        size_t stop = len;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (len - i >= 8) {
            const uint64_t hi = 0x8080808080808080ull, ones = 0x0101010101010101ull;
            uint64_t w, bs, x, d;
            memcpy(&w, p + i, 8);
            bs = w ^ (ones * '\\');
            bs = (bs - ones) & ~bs & hi;
            if (!((w & hi) | bs)) {
                x = w | hi;
                d = (x - ones * '0') & ~(x - ones * ('9' + 1)) & hi; /* the digit bytes */
                if (d == 0) {
                    run = 0;
                } else if (d == hi) {
                    run += 8;
                } else {
                    /* digits at the start continue the run; those at the end start the next */
                    if (run + (size_t)__builtin_ctzll(~d & hi) / 8 >= 19)
                        *flags |= SUSPECT_DIGITS;
                    run = (size_t)__builtin_clzll(~d & hi) / 8;
                }
                if (run >= 19)
                    *flags |= SUSPECT_DIGITS;
                i += 8;
                continue;
            }
            stop = i + 8;
        }
#endif
        while (i < stop) {
            unsigned c = p[i];
            if (c >= 0x80) {
                size_t k = utf8_seq(p + i, len - i);
                if (!k)
                    return i;
                i += k;
                run = 0;
                continue;
            }
            if (c - '0' < 10) {
                if (++run >= 19)
                    *flags |= SUSPECT_DIGITS;
            } else {
                run = 0;
                if (c == '\\' && len - i >= 6 && memcmp(p + i + 1, "u0000", 5) == 0)
                    *flags |= SUSPECT_NUL;
            }
            i++;
        }
    }
    return len;
}

/* Whether the integer text s (optional '-', digits) fits in int64_t. */
static int fits_int64(const char *s, size_t n)
{
    int neg = n > 0 && *s == '-';
    if (neg)
        s++, n--;
    while (n > 1 && *s == '0')
        s++, n--;
    if (n != 19)
        return n < 19;
    return memcmp(s, neg ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

/* The exact look, only when json_scan flagged something: an integer
 * beyond 64 bits (json-c clamps those silently), a \u0000 in an object
 * key (json-c cuts the key there). Tokens as json-c reads them (strings
 * quoted with " or '). Returns 0, or 1 with the reason in why. */
static int json_exact_check(const char *t, size_t len, char *why, size_t whylen)
{
    size_t i = 0;
    while (i < len) {
        char c = t[i];
        if (c == '"' || c == '\'') {
            size_t nul_at = 0;
            int nul = 0;
            for (i++; i < len && t[i] != c; i++) {
                if (t[i] != '\\')
                    continue;
                if (!nul && len - i >= 6 && memcmp(t + i + 1, "u0000", 5) == 0)
                    nul = 1, nul_at = i;
                i++;
            }
            i++;
            size_t k = i;
            while (k < len && isspace((unsigned char)t[k]))
                k++;
            if (nul && k < len && t[k] == ':') {
                snprintf(why, whylen, "an object key holds a NUL character (\\u0000) at byte %zu", nul_at);
                return 1;
            }
            continue;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            size_t s = i++;
            while (i < len && t[i] >= '0' && t[i] <= '9')
                i++;
            int integer = !(i < len && (t[i] == '.' || t[i] == 'e' || t[i] == 'E'));
            if (integer && !fits_int64(t + s, i - s)) {
                size_t n = i - s;
                snprintf(why, whylen, "the integer %.*s%s at byte %zu does not fit in 64 bits",
                         (int)(n > 40 ? 40 : n), t + s, n > 40 ? "..." : "", s);
                return 1;
            }
            while (i < len && strchr("0123456789.eE+-", t[i]))
                i++;
            continue;
        }
        i++;
    }
    return 0;
}

/* A tokener of ODOO_MAX_NESTING levels costs a zeroed 4 KiB stack: each
 * thread keeps one for the small documents (most calls) and resets it;
 * a big document gets its own, so no thread holds a big buffer. */
#define TOKENER_KEPT_UP_TO 65536
static pthread_key_t tokener_key;
static pthread_once_t tokener_once = PTHREAD_ONCE_INIT;
static int tokener_key_ok;

static void tokener_release(void *tok)
{
    json_tokener_free(tok);
}

static void tokener_key_make(void)
{
    tokener_key_ok = pthread_key_create(&tokener_key, tokener_release) == 0;
}

static json_tokener *tokener_get(size_t len)
{
    if (len <= TOKENER_KEPT_UP_TO && pthread_once(&tokener_once, tokener_key_make) == 0 && tokener_key_ok) {
        json_tokener *tok = pthread_getspecific(tokener_key);
        if (tok) {
            json_tokener_reset(tok);
            return tok;
        }
        tok = json_tokener_new_ex(ODOO_MAX_NESTING + 1);
        if (tok && pthread_setspecific(tokener_key, tok) != 0) {
            json_tokener_free(tok);
            return NULL;
        }
        return tok;
    }
    return json_tokener_new_ex(ODOO_MAX_NESTING + 1);
}

/* A tokener is kept only after a document it finished: json_tokener_reset
 * leaves some of an aborted parse's state behind (json-c 0.16 keeps e.g.
 * the pending high surrogate), and the fuzzer saw a document decode
 * differently after certain failed ones. Failures are rare on the hot
 * path; a fresh tokener for the next document costs little there. */
static void tokener_done(json_tokener *tok, size_t len, int finished)
{
    int kept = len <= TOKENER_KEPT_UP_TO && tokener_key_ok && pthread_getspecific(tokener_key) == tok;
    if (kept && finished) {
        json_tokener_reset(tok);
        return;
    }
    if (kept)
        (void)pthread_setspecific(tokener_key, NULL);
    json_tokener_free(tok);
}

/* 0: *out is the document; -1: not JSON; 1: JSON the library refuses
 * (a limit). why (may be NULL) receives the reason of either. */
static int json_parse(const char *text, size_t len, json_object **out, char *why, size_t whylen)
{
    char scratch[1];
    if (!why)
        why = scratch, whylen = sizeof(scratch);
    why[0] = '\0';
    *out = NULL;
    if (!text || len == 0 || len > (size_t)INT32_MAX - 1) {
        snprintf(why, whylen, "%s", len ? "too long for json-c" : "empty");
        return -1;
    }
    /* json-c counts the top level too: ODOO_MAX_NESTING arrays and objects
     * inside one another fit, one more is refused. */
    json_tokener *tok = tokener_get(len);
    if (!tok) {
        snprintf(why, whylen, "out of memory");
        return -2;
    }
    /* Strict: json-c otherwise takes numbers JSON has not (01, 1e) and
     * prints them back as they came, so a value read would not go out as
     * JSON. NaN and Infinity (Python's json.dumps) are still taken. */
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
    /* json-c 0.16 drops a member it has no memory for, or calls it a
     * syntax error: the failure shows only in errno. */
    int saved = errno;
    errno = 0;
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
    tokener_done(tok, len, jerr == json_tokener_success && errno != ENOMEM);
    if (errno == ENOMEM) {
        json_object_put(obj);
        snprintf(why, whylen, "out of memory");
        return -2;
    }
    errno = saved;
    if (jerr != json_tokener_success) {
        json_object_put(obj);
        if (jerr == json_tokener_error_depth) {
            snprintf(why, whylen, "JSON nesting deeper than %d levels at byte %zu", ODOO_MAX_NESTING, used);
            return 1;
        }
        snprintf(why, whylen, "not JSON (%s at byte %zu)", json_tokener_error_desc(jerr), used);
        return -1;
    }
    for (size_t i = used; i < len; i++) {
        if (!isspace((unsigned char)text[i])) {
            json_object_put(obj);
            snprintf(why, whylen, "not JSON (text after the document at byte %zu)", i);
            return -1;
        }
    }
    int flags;
    size_t bad = json_scan((const unsigned char *)text, len, &flags);
    if (bad < len) {
        json_object_put(obj);
        snprintf(why, whylen, "invalid UTF-8 at byte %zu", bad);
        return 1;
    }
    if (flags && json_exact_check(text, len, why, whylen)) {
        json_object_put(obj);
        return 1;
    }
    *out = obj;
    return 0;
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
