/* Shared by the libFuzzer harnesses: how an input's first byte picks the
 * HTTP status and content type a decoder sees (make-corpus.py writes the
 * same byte), and the invariants every decoder's error must keep. */
#ifndef ODOO_FUZZ_COMMON_H
#define ODOO_FUZZ_COMMON_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <odoo/errors.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Selector byte: low 4 bits the status, next 2 the content type, bit 6
 * "check the request id". Keep in step with make-corpus.py. */
static const long fuzz_statuses[16] = { 200, 200, 400, 401, 403, 404, 415, 422,
                                        429, 500, 502, 503, 504, 303, 204, 418 };
static const char *const fuzz_ctypes[4] = { "application/json", "application/json; charset=utf-8",
                                            "text/html; charset=utf-8", NULL };

typedef struct {
    long status;
    const char *content_type;
    int check_id;
    char *body;      /* NUL-terminated copy, as odoo_http_response gives it */
    size_t len;
} fuzz_input;

/* 0 and *in filled, or -1 for an empty input. Free in->body. */
static inline int fuzz_split(const uint8_t *data, size_t size, fuzz_input *in)
{
    if (size == 0)
        return -1;
    in->status = fuzz_statuses[data[0] & 0x0f];
    in->content_type = fuzz_ctypes[(data[0] >> 4) & 3];
    in->check_id = (data[0] >> 6) & 1;
    in->len = size - 1;
    in->body = malloc(in->len + 1);
    if (!in->body)
        abort();
    memcpy(in->body, data + 1, in->len);
    in->body[in->len] = '\0';
    return 0;
}

/* What every decoder promises: 0 leaves err untouched (ODOO_OK); a
 * failure returns err->kind, a real kind, with a message. Anything else
 * aborts (libFuzzer reports it as a crash). Clears err. */
static inline void fuzz_check_error(int rc, odoo_rpc_error *err)
{
    if (rc > 0 || rc < ODOO_ERROR_KIND_MIN)
        abort();
    if (rc == 0 && err->kind != ODOO_OK)
        abort();
    if (rc < 0 && (err->kind != (odoo_error_kind)rc || !err->message))
        abort();
    /* Out of memory is never the answer to a fuzzer's few kilobytes. */
    if (rc == ODOO_ERR_NOMEM)
        abort();
    if (err->message)
        (void)strlen(err->message);
    if (err->debug)
        (void)strlen(err->debug);
    if (err->error_class)
        (void)strlen(err->error_class);
    odoo_rpc_error_clear(err);
}

#endif
