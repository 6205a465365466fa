/* Secrets: wiping, matching them in any wire encoding, base64, and
 * libcurl allocators that wipe what they free. */
#include <stdlib.h>
#include <string.h>

#if defined(__GLIBC__)
#include <malloc.h>
#define ODOO_HAVE_USABLE_SIZE 1
#endif

#include <curl/curl.h>
#include <openssl/evp.h>

#include "ascii.h"
#include "secret.h"

void odoo__wipe(void *p, size_t n)
{
    if (p && n)
        explicit_bzero(p, n);
}

/* ---- matching ---- */

enum scheme { RAW, JSON, XML, URL };

static size_t utf8_put(unsigned long cp, unsigned char out[4])
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xc0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xe0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (unsigned char)(0xf0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

static size_t json_escape(const char *t, size_t n, unsigned char out[4], size_t *used)
{
    if (n < 2 || t[0] != '\\')
        return 0;
    /* JSON's escapes, and Python's (repr() in Odoo's messages: \' \xHH). */
    static const char from[] = "\"\\/bfnrt'", to[] = "\"\\/\b\f\n\r\t'";
    const char *k = memchr(from, t[1], sizeof(from) - 1);
    if (k) {
        out[0] = (unsigned char)to[k - from];
        *used = 2;
        return 1;
    }
    if (t[1] == 'x') {
        if (n < 4 || odoo__hexval(t[2]) < 0 || odoo__hexval(t[3]) < 0)
            return 0;
        *used = 4;
        return utf8_put((unsigned long)(odoo__hexval(t[2]) * 16 + odoo__hexval(t[3])), out);
    }
    if (t[1] != 'u')
        return 0;
    long cp = odoo__hex4(t + 2, n - 2);
    if (cp < 0)
        return 0;
    *used = 6;
    if (cp >= 0xd800 && cp <= 0xdbff) {
        long lo = n >= 12 && t[6] == '\\' && t[7] == 'u' ? odoo__hex4(t + 8, n - 8) : -1;
        if (lo < 0xdc00 || lo > 0xdfff)
            return 0;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        *used = 12;
    } else if (cp >= 0xdc00 && cp <= 0xdfff) {
        return 0;
    }
    return utf8_put((unsigned long)cp, out);
}

static size_t xml_entity(const char *t, size_t n, unsigned char out[4], size_t *used)
{
    static const struct { const char *name; char c; } named[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&apos;", '\'' },
    };
    if (n < 3 || t[0] != '&')
        return 0;
    for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
        size_t k = strlen(named[i].name);
        if (n >= k && memcmp(t, named[i].name, k) == 0) {
            out[0] = (unsigned char)named[i].c;
            *used = k;
            return 1;
        }
    }
    if (t[1] != '#')
        return 0;
    size_t i = 2;
    int base = 10;
    if (i < n && (t[i] == 'x' || t[i] == 'X')) {
        base = 16;
        i++;
    }
    unsigned long cp = 0;
    size_t digits = 0;
    /* At most 8 digits: bounds the span (ODOO_SECRET_SPAN_MAX). */
    for (; i < n && digits < 8; i++, digits++) {
        int h = odoo__hexval(t[i]);
        if (h < 0 || h >= base)
            break;
        cp = cp * (unsigned long)base + (unsigned long)h;
    }
    if (!digits || i >= n || t[i] != ';' || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    *used = i + 1;
    return utf8_put(cp, out);
}

static size_t url_escape(const char *t, size_t n, unsigned char out[4], size_t *used)
{
    if (n < 3 || t[0] != '%' || odoo__hexval(t[1]) < 0 || odoo__hexval(t[2]) < 0)
        return 0;
    out[0] = (unsigned char)(odoo__hexval(t[1]) * 16 + odoo__hexval(t[2]));
    *used = 3;
    return 1;
}

static size_t match_scheme(enum scheme sc, const char *t, size_t n, const char *s, size_t slen)
{
    size_t i = 0, j = 0;
    while (j < slen) {
        if (i >= n)
            return 0;
        unsigned char dec[4];
        size_t used = 1, k = 0;
        if (sc == JSON)
            k = json_escape(t + i, n - i, dec, &used);
        else if (sc == XML)
            k = xml_entity(t + i, n - i, dec, &used);
        else if (sc == URL)
            k = url_escape(t + i, n - i, dec, &used);
        if (k == 0) {
            /* Not an escape: the byte stands for itself. */
            dec[0] = (unsigned char)t[i];
            used = 1;
            k = 1;
        }
        if (k > slen - j || memcmp(dec, s + j, k) != 0)
            return 0;
        i += used;
        j += k;
    }
    return i;
}

/* Two layers: the backslash escapes of Python's repr() (Odoo quotes
 * values that way in its messages) inside a JSON string, XML text or a
 * URL. The outer layer is decoded lazily into a bounded buffer, with
 * where each decoded byte ends in the text. */
#define LAYER_CAP 1024

typedef struct {
    const char *t;
    size_t n, pos, len;
    enum scheme outer;
    unsigned char buf[LAYER_CAP];
    size_t end[LAYER_CAP];      /* text offset after byte i, 0 inside a multi-byte unit */
} layer;

static size_t decode_unit(enum scheme sc, const char *t, size_t n, unsigned char dec[4], size_t *used)
{
    size_t k = 0;
    *used = 1;
    if (sc == JSON)
        k = json_escape(t, n, dec, used);
    else if (sc == XML)
        k = xml_entity(t, n, dec, used);
    else if (sc == URL)
        k = url_escape(t, n, dec, used);
    if (k == 0) {
        dec[0] = (unsigned char)t[0];
        *used = 1;
        k = 1;
    }
    return k;
}

/* Decode until the buffer holds more than want bytes (or the text ends). */
static void layer_fill(layer *L, size_t want)
{
    while (L->len <= want && L->pos < L->n && L->len + 4 <= LAYER_CAP) {
        unsigned char dec[4];
        size_t used, k = decode_unit(L->outer, L->t + L->pos, L->n - L->pos, dec, &used);
        L->pos += used;
        for (size_t j = 0; j < k; j++) {
            L->buf[L->len] = dec[j];
            L->end[L->len++] = j + 1 == k ? L->pos : 0;
        }
    }
}

static size_t match_layered(layer *L, const char *s, size_t slen)
{
    size_t i = 0, j = 0;
    while (j < slen) {
        layer_fill(L, i);
        if (i >= L->len)
            return 0;
        if (L->buf[i] == '\\')
            layer_fill(L, i + 12); /* the longest escape: a surrogate pair */
        unsigned char dec[4];
        size_t used, k = decode_unit(JSON, (const char *)L->buf + i, L->len - i, dec, &used);
        if (k > slen - j || memcmp(dec, s + j, k) != 0)
            return 0;
        i += used;
        j += k;
    }
    return L->end[i - 1];
}

size_t odoo__secret_match(const char *text, size_t len, const char *s, size_t slen)
{
    if (!slen || !len)
        return 0;
    char c = text[0];
    if (c == s[0] && len >= slen && memcmp(text, s, slen) == 0)
        return slen;
    if (c != s[0] && c != '\\' && c != '&' && c != '%')
        return 0;
    static const enum scheme schemes[] = { JSON, XML, URL };
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
        size_t n = match_scheme(schemes[i], text, len, s, slen);
        if (n)
            return n;
    }
    layer L;
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
        L.t = text;
        L.n = len;
        L.pos = L.len = 0;
        L.outer = schemes[i];
        size_t n = match_layered(&L, s, slen);
        if (n)
            return n;
    }
    return 0;
}

/* ---- base64 ---- */

/* Through OpenSSL's encoder (one base64 in the library: vals.c's binary
 * fields use this too). EVP_EncodeBlock takes an int length: chunks of
 * whole multiples of 3 bytes join into one valid encoding. */
char *odoo__base64_len(const unsigned char *in, size_t n, size_t *outlen)
{
    if (n > (SIZE_MAX - 1) / 4 * 3 - 3)
        return NULL;
    char *out = malloc((n + 2) / 3 * 4 + 1);
    if (!out)
        return NULL;
    size_t done = 0, w = 0;
    while (done < n) {
        size_t chunk = n - done > 3u * (1u << 20) ? 3u * (1u << 20) : n - done;
        int k = EVP_EncodeBlock((unsigned char *)out + w, in + done, (int)chunk);
        if (k < 0) {
            free(out);
            return NULL;
        }
        w += (size_t)k;
        done += chunk;
    }
    out[w] = '\0';
    if (outlen)
        *outlen = w;
    return out;
}

char *odoo__base64(const unsigned char *in, size_t n)
{
    return odoo__base64_len(in, n, NULL);
}

/* ---- libcurl's memory ---- */

#ifdef ODOO_HAVE_USABLE_SIZE
/* The whole block, not only what was asked for: malloc_usable_size is
 * what the allocator will hand out again. */
static void wiping_free(void *p)
{
    if (p) {
        explicit_bzero(p, malloc_usable_size(p));
        free(p);
    }
}

/* Never leave the old block behind with its bytes: grow by copying. */
static void *wiping_realloc(void *p, size_t n)
{
    if (!p)
        return malloc(n);
    size_t have = malloc_usable_size(p);
    if (n <= have)
        return p;
    void *q = malloc(n);
    if (!q)
        return NULL;
    memcpy(q, p, have);
    wiping_free(p);
    return q;
}

static char *plain_strdup(const char *s)
{
    return strdup(s);
}

int odoo__curl_global_init_wiping(void)
{
    /* When the application initialised libcurl first, its allocators (or
     * the default ones) stay: libcurl ignores a second initialisation. */
    return (int)curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, wiping_free, wiping_realloc, plain_strdup,
                                     calloc);
}
#else
int odoo__curl_global_init_wiping(void)
{
    /* No way to learn a block's size here: libcurl's copies are not wiped. */
    return (int)curl_global_init(CURL_GLOBAL_DEFAULT);
}
#endif
