/* Private: building and refining odoo_rpc_error values. */
#ifndef ODOO_ERROR_INTERNAL_H
#define ODOO_ERROR_INTERNAL_H

#include <stdarg.h>
#include "odoo/errors.h"

#if defined(__GNUC__) || defined(__clang__)
#  define ODOO_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#  define ODOO_PRINTF(f, a)
#endif

/* The kind an HTTP status means: odoo_body when the answer was Odoo's
 * error object without a class, 0 for any other body (proxy pages). */
odoo_error_kind odoo__kind_for_status(long status, int odoo_body);

/* Free what err holds and reset it; NULL is fine. */
void odoo__error_reset(odoo_rpc_error *err);

/* Reset err and set kind plus a formatted message. Returns kind, so a
 * failing path can end with `return odoo__error_set(err, ...)`. err may be
 * NULL. The public odoo_error_set of odoo/sys/errors.h, under its library name. */
#include "odoo/sys/errors.h"
#define odoo__error_set odoo_error_set
#define odoo__error_nomem odoo_error_nomem
int odoo__error_vset(odoo_rpc_error *err, odoo_error_kind kind, const char *fmt, va_list ap);

/* Out of memory: odoo__error_nomem (above) sets a message without allocating (best effort). */

/* Replace one string member (copied; NULL clears). Return 0 or ODOO_ERR_NOMEM. */
int odoo__error_set_class(odoo_rpc_error *err, const char *cls);
int odoo__error_set_debug(odoo_rpc_error *err, const char *debug, size_t len);
int odoo__error_set_message(odoo_rpc_error *err, const char *message);
/* Record what was being called, unless already recorded. */
void odoo__error_set_call(odoo_rpc_error *err, const char *model, const char *method);

/* Replace every occurrence of each secret by "***" in message and debug.
 * secrets is an array of n strings; NULL and empty entries are skipped. */
void odoo__error_redact(odoo_rpc_error *err, const char *const *secrets, size_t n);

/* Masked copy of text: each secret replaced by "***". Caller frees. */
char *odoo__redact_string(const char *text, size_t len, const char *const *secrets, size_t n);

char *odoo__strdup(const char *s);
char *odoo__strndup(const char *s, size_t n);

#endif
