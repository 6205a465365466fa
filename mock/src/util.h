/* odoo-mock — small utilities: growable string buffer, base64, sha1,
 * deterministic PRNG, time formatting, string helpers. */
#ifndef MOCK_UTIL_H
#define MOCK_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define MOCK_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define MOCK_PRINTF(a, b)
#endif

/* ---- memory: abort on exhaustion (a mock has no better recovery) ---- */
void *om_xmalloc(size_t n);
void *om_xcalloc(size_t n, size_t m);
void *om_xrealloc(void *p, size_t n);
char *om_xstrdup(const char *s);
char *om_xstrndup(const char *s, size_t n);
char *om_xasprintf(const char *fmt, ...) MOCK_PRINTF(1, 2);

/* ---- growable byte buffer (always NUL-terminated) ---- */
typedef struct strbuf {
    char *buf;
    size_t len, cap;
} strbuf;

void om_sb_init(strbuf *sb);
void om_sb_free(strbuf *sb);
void om_sb_reserve(strbuf *sb, size_t extra);
void om_sb_addn(strbuf *sb, const char *s, size_t n);
void om_sb_adds(strbuf *sb, const char *s);
void om_sb_addc(strbuf *sb, char c);
void om_sb_addf(strbuf *sb, const char *fmt, ...) MOCK_PRINTF(2, 3);
void om_sb_vaddf(strbuf *sb, const char *fmt, va_list ap);
/* Give the buffer away (caller frees); the strbuf is reset. */
char *om_sb_detach(strbuf *sb, size_t *len);

/* ---- base64 (standard alphabet, padded) ---- */
char *om_b64_encode(const unsigned char *data, size_t len);
/* Returns 0 on success; *out is malloc'd. Whitespace is ignored. */
int om_b64_decode(const char *in, unsigned char **out, size_t *outlen);

/* ---- SHA-1, hex output (41 bytes incl. NUL) ---- */
void om_sha1_hex(const unsigned char *data, size_t len, char out[41]);

/* ---- PRNG: om_splitmix64, deterministic from a seed ---- */
uint64_t om_splitmix64(uint64_t *state);

/* ---- time ---- */
/* "YYYY-MM-DD HH:MM:SS" in UTC for a unix time. */
void om_fmt_datetime(int64_t t, char out[20]);
/* RFC 1123 date for cookies: "Tue, 23 Nov 2027 10:24:29 GMT" */
void om_fmt_http_date(int64_t t, char out[40]);
int64_t om_now_unix(void);
double om_now_mono(void); /* seconds, monotonic */

/* ---- strings ---- */
int om_str_startswith(const char *s, const char *prefix);
int om_str_casestartswith(const char *s, const char *prefix);
/* Case-insensitive (ASCII) substring search. */
const char *om_str_casestr(const char *hay, const char *needle);
/* URL-encode everything but unreserved characters (werkzeug om_url_quote
 * with safe=''). */
char *om_url_quote(const char *s);
/* Copy up to dst size with NUL. */
void om_str_copy(char *dst, size_t size, const char *src);

#endif
