/* Private: secrets in memory and on the wire.
 *
 * A secret leaves the library in whatever encoding the protocol gives it
 * (JSON escapes, XML entities, percent-encoding, base64 in a Basic
 * header), and a server may echo it back in another. Masking therefore
 * matches what a text *decodes to*, not its raw bytes; and every buffer
 * that held a secret is wiped before it is freed. */
#ifndef ODOO_SECRET_H
#define ODOO_SECRET_H

#include <stddef.h>

#include "odoo/sys/http.h"

/* Zero n bytes in a way the compiler cannot drop. NULL is fine. */
void odoo__wipe(void *p, size_t n);

/* Length of the span at the start of text (len bytes available) that
 * decodes to exactly the secret s (slen bytes) under one of: no encoding,
 * JSON (or Python repr) string escapes (\" \\ \/ \n \uXXXX, surrogate pairs,
 * \' \xHH), XML entities
 * (&amp; &lt; &#13; &#xD; ...) or percent-encoding (%HH); 0 when none. */
size_t odoo__secret_match(const char *text, size_t len, const char *s, size_t slen);

/* Longest span the matcher can take for a secret of slen bytes (each
 * byte at most one 12-byte entity): a bound for cutting text safely. */
#define ODOO_SECRET_SPAN_MAX(slen) ((slen) * 12 + 12)

/* Base64 (standard alphabet, padded) of n bytes: a new string, or NULL.
 * The caller frees it with odoo__free_secret when the input is secret. */
char *odoo__base64(const unsigned char *in, size_t n);
/* The same, its length (without the NUL) in *outlen when not NULL. */
char *odoo__base64_len(const unsigned char *in, size_t n, size_t *outlen);

/* libcurl copies what it sends (request lines, headers, small bodies,
 * cookies, the URL's credentials) into blocks it frees itself: install
 * allocators that wipe every block on free and on a moving realloc.
 * Called once, instead of curl_global_init; returns its CURLcode. */
int odoo__curl_global_init_wiping(void);

/* The handle's secret table, for masking errors like the trace does:
 * n receives the count. Borrowed. */
const char *const *odoo__http_secrets(const odoo_http *h, size_t *n);

/* Register value as the session secret (the web session's cookie):
 * replaces (and wipes) the previous one. NULL or "" forgets it.
 * Returns 0 or ODOO_ERR_NOMEM. */
int odoo__http_set_session_secret(odoo_http *h, const char *value);

/* Register the credentials of a URL (scheme://user:password@host/...):
 * the password (percent-decoded) and the base64 "user:password" a Basic
 * Authorization header carries. Nothing when the URL has none. Returns 0
 * or ODOO_ERR_NOMEM / ODOO_ERR_INVALID_ARGUMENT (table full). */
int odoo__http_add_url_secrets(odoo_http *h, const char *url);

/* Set the total timeout of the next exchanges (0: none); returns the
 * one in force before, to put back. */
long odoo__http_set_timeout(odoo_http *h, long ms);
long odoo__http_timeout(const odoo_http *h);
/* Abort the transfer in progress as soon as *flag becomes nonzero
 * (ODOO_ERR_CANCELLED); NULL stops watching. */
void odoo__http_set_cancel(odoo_http *h, const volatile int *flag);

/* An exchange in two halves, odoo_http_send's: begin puts req on the
 * handle (0, or the error odoo_http_send would give before any I/O);
 * the transfer then runs (curl_easy_perform, or in a curl multi: the
 * handle is odoo__http_easy's CURL *); finish takes its CURLcode and gives
 * what odoo_http_send gives. req must stay valid from begin to finish;
 * one exchange at a time per handle. */
int odoo__http_begin(odoo_http *h, const odoo_http_request *req, odoo_http_response *resp, odoo_rpc_error *err);
int odoo__http_finish(odoo_http *h, const odoo_http_request *req, int curl_code, odoo_http_response *resp,
                      odoo_rpc_error *err);
void *odoo__http_easy(odoo_http *h);

/* Where the body of the next exchange goes when it is a 2xx JSON (or XML) answer:
 * armed before odoo__http_begin, which takes it for that exchange only
 * (finish drops it). The first body bytes decide: a 2xx status with a
 * JSON or XML content type, and begin (given both) answering 0, send the body to
 * write as it arrives, not to the buffer, and max_response_bytes does not
 * apply (the consumer bounds its own memory); any other answer (an error
 * status, an HTML page, begin refusing) is buffered and capped as always,
 * for the adapter's decode. write returns 0, or nonzero to abort the
 * transfer: finish then fails with ODOO_ERR_CANCELLED. The same for
 * curl_easy_perform and a curl multi: it is the write callback's. */
typedef struct odoo__http_sink {
    int (*begin)(void *payload, long status, const char *content_type);
    int (*write)(void *payload, const char *data, size_t len);
    void *payload;
} odoo__http_sink;
void odoo__http_arm_sink(odoo_http *h, const odoo__http_sink *sink);
/* write's answer for "not now": curl keeps the bytes and gives them again
 * once the transfer is resumed (curl_easy_pause; a curl multi's transfer
 * only: curl_easy_perform would wait forever). */
#define ODOO__SINK_PAUSE 2
/* Whether the last exchange's body went to its sink (resp->body is then ""). */
int odoo__http_streamed(const odoo_http *h);

/* Keep a copy of each request (the bench's floor replays it on a bare
 * libcurl handle): off by default, as it costs a copy per call. Not
 * exported: the bench links the static library. */
void odoo__http_capture(odoo_http *h, int on);
/* The last request when capturing: path, "Name: value" extra headers
 * (NULL-terminated), content type and body; all borrowed until the next
 * send. Returns 0, or -1 when nothing was captured. */
int odoo__http_last_request(odoo_http *h, odoo_http_request *out);

#endif
