/* odoo-mock — small utilities. */
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void *om_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("odoo-mock: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *om_xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p) {
        fputs("odoo-mock: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *om_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("odoo-mock: out of memory\n", stderr);
        abort();
    }
    return q;
}

char *om_xstrdup(const char *s)
{
    return om_xstrndup(s, strlen(s));
}

char *om_xstrndup(const char *s, size_t n)
{
    char *d = om_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *om_xasprintf(const char *fmt, ...)
{
    strbuf sb;
    va_list ap;
    om_sb_init(&sb);
    va_start(ap, fmt);
    om_sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    return om_sb_detach(&sb, NULL);
}

/* ------------------------------------------------------------------ */

void om_sb_init(strbuf *sb)
{
    sb->buf = NULL;
    sb->len = 0;
    sb->cap = 0;
}

void om_sb_free(strbuf *sb)
{
    free(sb->buf);
    om_sb_init(sb);
}

void om_sb_reserve(strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    sb->buf = om_xrealloc(sb->buf, cap);
    sb->cap = cap;
}

void om_sb_addn(strbuf *sb, const char *s, size_t n)
{
    om_sb_reserve(sb, n);
    if (n)
        memcpy(sb->buf + sb->len, s, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void om_sb_adds(strbuf *sb, const char *s)
{
    om_sb_addn(sb, s, strlen(s));
}

void om_sb_addc(strbuf *sb, char c)
{
    om_sb_reserve(sb, 1);
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

void om_sb_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        om_sb_addn(sb, tmp, (size_t)n);
        return;
    }
    om_sb_reserve(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void om_sb_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    om_sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

char *om_sb_detach(strbuf *sb, size_t *len)
{
    if (!sb->buf)
        om_sb_reserve(sb, 0);
    char *b = sb->buf;
    if (len)
        *len = sb->len;
    om_sb_init(sb);
    return b;
}

/* ------------------------------------------------------------------ */

static const char B64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *om_b64_encode(const unsigned char *d, size_t len)
{
    size_t olen = 4 * ((len + 2) / 3);
    char *o = om_xmalloc(olen + 1), *p = o;
    size_t i = 0;
    for (; i + 2 < len; i += 3) {
        uint32_t v = ((uint32_t)d[i] << 16) | ((uint32_t)d[i + 1] << 8) | d[i + 2];
        *p++ = B64[(v >> 18) & 63];
        *p++ = B64[(v >> 12) & 63];
        *p++ = B64[(v >> 6) & 63];
        *p++ = B64[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)d[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)d[i + 1] << 8;
        *p++ = B64[(v >> 18) & 63];
        *p++ = B64[(v >> 12) & 63];
        *p++ = (i + 1 < len) ? B64[(v >> 6) & 63] : '=';
        *p++ = '=';
    }
    *p = '\0';
    return o;
}

static int b64_val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

int om_b64_decode(const char *in, unsigned char **out, size_t *outlen)
{
    size_t n = strlen(in);
    unsigned char *o = om_xmalloc(n / 4 * 3 + 4);
    size_t ol = 0;
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)in[i];
        if (isspace(c))
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        if (pad) {
            free(o);
            return -1;
        }
        int v = b64_val(c);
        if (v < 0) {
            free(o);
            return -1;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            o[ol++] = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    *out = o;
    *outlen = ol;
    return 0;
}

/* ------------------------------------------------------------------ */
/* SHA-1 (FIPS 180-1), small and portable. */

typedef struct {
    uint32_t h[5];
    uint64_t len;
    unsigned char blk[64];
    size_t n;
} sha1_ctx;

static uint32_t rol(uint32_t v, int s)
{
    return (v << s) | (v >> (32 - s));
}

static void sha1_block(sha1_ctx *c, const unsigned char *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
               ((uint32_t)p[4 * i + 2] << 8) | p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & cc) | (~b & d);
            k = 0x5A827999;
        } else if (i < 40) {
            f = b ^ cc ^ d;
            k = 0x6ED9EBA1;
        } else if (i < 60) {
            f = (b & cc) | (b & d) | (cc & d);
            k = 0x8F1BBCDC;
        } else {
            f = b ^ cc ^ d;
            k = 0xCA62C1D6;
        }
        uint32_t t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = cc;
        cc = rol(b, 30);
        b = a;
        a = t;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
}

void om_sha1_hex(const unsigned char *data, size_t len, char out[41])
{
    sha1_ctx c = {{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0}, 0, {0}, 0};
    c.len = (uint64_t)len * 8;
    while (len >= 64) {
        sha1_block(&c, data);
        data += 64;
        len -= 64;
    }
    memcpy(c.blk, data, len);
    c.n = len;
    c.blk[c.n++] = 0x80;
    if (c.n > 56) {
        memset(c.blk + c.n, 0, 64 - c.n);
        sha1_block(&c, c.blk);
        c.n = 0;
    }
    memset(c.blk + c.n, 0, 56 - c.n);
    for (int i = 0; i < 8; i++)
        c.blk[56 + i] = (unsigned char)(c.len >> (56 - 8 * i));
    sha1_block(&c, c.blk);
    for (int i = 0; i < 5; i++)
        snprintf(out + 8 * i, 9, "%08x", c.h[i]);
}

/* ------------------------------------------------------------------ */

uint64_t om_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void om_fmt_datetime(int64_t t, char out[20])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

void om_fmt_http_date(int64_t t, char out[40])
{
    static const char *days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *mons[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
             mons[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int64_t om_now_unix(void)
{
    return (int64_t)time(NULL);
}

double om_now_mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int om_str_startswith(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int om_str_casestartswith(const char *s, const char *prefix)
{
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

const char *om_str_casestr(const char *hay, const char *needle)
{
    return strcasestr(hay, needle);
}

char *om_url_quote(const char *s)
{
    strbuf sb;
    om_sb_init(&sb);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
            om_sb_addc(&sb, (char)*p);
        else
            om_sb_addf(&sb, "%%%02X", *p);
    }
    return om_sb_detach(&sb, NULL);
}

void om_str_copy(char *dst, size_t size, const char *src)
{
    if (!size)
        return;
    size_t n = strlen(src);
    if (n >= size)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}
