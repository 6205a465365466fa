/* Private: the XML-RPC codec — a call to bytes, a <methodResponse> back
 * to json-c values or an odoo_rpc_error.
 *
 * Values map one to one: struct <-> object, array <-> array, int/i4/i8
 * -> int64, double, boolean, string, nil <-> null, dateTime.iso8601 ->
 * "YYYY-MM-DD HH:MM:SS" (Odoo's own text form), base64 -> base64 text.
 * On the way out an integer within 32 bits is an <int> and a wider one
 * an <i8>; every string, binary field values included, is a <string>
 * (Odoo's ORM does not understand <base64>).
 *
 * The request is written here rather than by xmlrpc-c 1.33, whose
 * serializer rejects characters beyond U+FFFF, sends CR raw (the server's
 * parser turns it into LF), sends control characters raw (invalid XML)
 * and prints doubles to 16 digits (-4.3517103 goes out as
 * -4.351710299999999).
 *
 * Three decoders. The default is a hand-written scanner for the subset
 * of XML that Python's xmlrpc.client (hence Odoo) writes (xmlrpc_scan.c);
 * it gives up on anything else - a comment, an attribute, CDATA, another
 * encoding, any error - and the one-pass expat decoder (xmlrpc_sax.c)
 * decodes the document again, with the final say on values and errors.
 * Third, xmlrpc-c's parser followed by a conversion (the reference, kept
 * for tests and benchmarks). They agree on every recorded Odoo answer
 * but one double: xmlrpc-c reads 0.01 one unit in the last place high. */
#ifndef ODOO_XMLRPC_CODEC_H
#define ODOO_XMLRPC_CODEC_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json_object.h>
#include "odoo/errors.h"

/* Deepest nesting of arrays and structs either way: the library's one
 * limit for every decoder (odoo/common.h). */
#define ODOO_XMLRPC_MAX_DEPTH ODOO_MAX_NESTING

/* --- Encoding -------------------------------------------------------- */

/* A growing output buffer. Zero-initialise it; a connection keeps one and
 * reuses its memory for every call. data is NUL-terminated after
 * odoo__xmlrpc_call_end(). */
typedef struct odoo_xmlrpc_buf {
    char *data;
    size_t len;
    size_t cap;
} odoo_xmlrpc_buf;

/* Overwrite the bytes written so far (a request holds the password). */
void odoo__xmlrpc_buf_wipe(odoo_xmlrpc_buf *b);
/* Wipe, free and zero the buffer. */
void odoo__xmlrpc_buf_free(odoo_xmlrpc_buf *b);

/* Write a call in three steps: begin (resets b), one param_* per
 * parameter, end. Each returns 0, ODOO_ERR_NOMEM, ODOO_ERR_INVALID_ARGUMENT
 * (not UTF-8, nested too deeply) or ODOO_ERR_UNSUPPORTED (a control
 * character or U+FFFE/U+FFFF, which XML 1.0 cannot carry). Error messages
 * never quote the offending text: it may be a secret. */
int odoo__xmlrpc_call_begin(odoo_xmlrpc_buf *b, const char *method, odoo_rpc_error *err);
int odoo__xmlrpc_call_param(odoo_xmlrpc_buf *b, json_object *value, odoo_rpc_error *err);
int odoo__xmlrpc_call_param_string(odoo_xmlrpc_buf *b, const char *s, odoo_rpc_error *err);
int odoo__xmlrpc_call_param_int(odoo_xmlrpc_buf *b, int64_t v, odoo_rpc_error *err);
int odoo__xmlrpc_call_end(odoo_xmlrpc_buf *b, odoo_rpc_error *err);

/* The whole <methodCall> for method(*params), params a JSON array
 * (borrowed). *xml receives a new NUL-terminated buffer the caller frees
 * with free(), *len its length. */
int odoo__xmlrpc_encode_call(const char *method, json_object *params, char **xml, size_t *len,
                             odoo_rpc_error *err);

/* --- Decoding -------------------------------------------------------- */

typedef enum odoo_xmlrpc_decoder {
    ODOO_XMLRPC_DECODER_SCAN = 0,   /* the default: the scanner, expat when it gives up */
    ODOO_XMLRPC_DECODER_EXPAT,      /* expat alone, one pass, straight to json-c */
    ODOO_XMLRPC_DECODER_XMLRPC_C    /* xmlrpc_parse_response2, then a conversion */
} odoo_xmlrpc_decoder;

/* Decode one HTTP answer of an XML-RPC endpoint. On success *out is the
 * result (a new reference; NULL for <nil/>). A fault becomes the error
 * odoo__error_from_fault() makes of it; a body that is no XML-RPC answer
 * (HTML 405 page, truncated or malformed XML, empty body) is
 * odoo__error_from_http()'s error, keeping the status and the first bytes.
 * The status is recorded in err either way. */
int odoo__xmlrpc_decode_response(const char *xml, size_t len, long http_status, const char *content_type,
                                 json_object **out, odoo_rpc_error *err);
int odoo__xmlrpc_decode_response_with(odoo_xmlrpc_decoder decoder, const char *xml, size_t len,
                                      long http_status, const char *content_type, json_object **out,
                                      odoo_rpc_error *err);

/* What a <methodResponse> holds, before any interpretation: the result,
 * or (fault set) the fault struct {faultCode, faultString}. */
typedef struct odoo_xmlrpc_reply {
    json_object *value;   /* owned; NULL for <nil/> */
    int fault;
} odoo_xmlrpc_reply;

/* The decoders. Return 0, ODOO_ERR_NOMEM, ODOO_ERR_TOO_LARGE
 * (xmlrpc-c's process-wide size limit, see xmlrpc_limit_set) or
 * ODOO_ERR_PROTOCOL with the reason, never the body, in why.
 * odoo__xmlrpc_parse is the default: the scanner, then expat if it gave up. */
int odoo__xmlrpc_parse(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen);
int odoo__xmlrpc_parse_expat(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen);
int odoo__xmlrpc_parse_xmlrpc_c(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen);

/* The scanner alone. It takes a document only when it is well-formed
 * XML in the subset Python's xmlrpc.client writes (an optional UTF-8
 * declaration; methodResponse, params, param, fault, value, struct,
 * member, name, array, data and the scalar types, without attributes;
 * the five predefined entities and character references; any text expat
 * would ignore) and decodes exactly as odoo__xmlrpc_parse_expat would.
 * Anything else, errors included, returns ODOO_XMLRPC_SCAN_GAVE_UP with
 * the reason and its byte offset in why, and *out empty: decode the
 * document with expat then. Otherwise 0 or ODOO_ERR_NOMEM. */
#define ODOO_XMLRPC_SCAN_GAVE_UP 1
int odoo__xmlrpc_parse_scan(const char *xml, size_t len, odoo_xmlrpc_reply *out, char *why, size_t whylen);

/* A <methodCall> read by xmlrpc-c: *method (free()) and *params (a new
 * JSON array). For tests, which check requests with a parser that is not
 * this codec's. Same returns as the decoders. */
int odoo__xmlrpc_parse_call_xmlrpc_c(const char *xml, size_t len, char **method, json_object **params,
                                     char *why, size_t whylen);

/* --- Shared by the decoders ------------------------------------------ */

/* Odoo's datetime text, "YYYY-MM-DD HH:MM:SS" (".ffffff" appended only
 * when usec is not 0), into out (at least 32 bytes). */
void odoo__xmlrpc_datetime_text(char *out, size_t outlen, unsigned year, unsigned month, unsigned day,
                                unsigned hour, unsigned minute, unsigned second, unsigned usec);

/* A new json string holding the padded base64 text (no line breaks) of
 * n bytes, or NULL when out of memory. */
json_object *odoo__xmlrpc_base64_string(const unsigned char *bytes, size_t n);

/* The "C" locale for numbers, whatever the application set with
 * setlocale(): XML-RPC doubles always use '.'. (locale_t)0 if it could
 * not be created (then the current locale is used). */
locale_t odoo__xmlrpc_c_locale(void);

#endif
