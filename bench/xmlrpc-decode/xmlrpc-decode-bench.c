/* XML-RPC decoder micro-benchmark: decode one response with one decoder,
 * to be counted with callgrind (see README.md):
 *
 *   valgrind --tool=callgrind --toggle-collect=<function> \
 *       xmlrpc-decode-bench <mode> bench-20000.xml
 *
 * Each mode calls one function once, the one to toggle on:
 *
 *   scan                 odoo__xmlrpc_parse_scan      the default decoder (no fallback needed)
 *   default              odoo__xmlrpc_parse           scanner, expat if it gives up
 *   expat                odoo__xmlrpc_parse_expat     expat straight to json-c
 *   xmlrpc-c             xmlrpc_oracle_parse          xmlrpc-c's parse, then the conversion (the oracle)
 *   xmlrpc-c-parse-only  xmlrpc_parse_response2       xmlrpc-c's own parse: the baseline
 *   json-c               json_tokener_parse_ex        json-c on the JSON of the same records
 *   cursor               run_cursor                   the row cursor (ODOO_CURSOR_XMLRPC), fed 16 KiB
 *                                                     at a time as curl writes, every record read
 *
 * Releasing the result is outside those functions: release_json and
 * release_xmlrpc_c count it. With a repeat count the mode runs that many
 * times and the mean wall time is printed (outside valgrind). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <xmlrpc-c/base.h>

#include "odoo/cursor.h"
#include "adapters/xmlrpc_sax.h"
#include "adapters/xmlrpc_scan.h"
#include "xmlrpc_oracle.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = NULL;
    long n;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (b = malloc((size_t)n + 1)) != NULL && fread(b, 1, (size_t)n, f) == (size_t)n) {
        b[n] = '\0';
        *len = (size_t)n;
    } else {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "xmlrpc-decode-bench: %s: %s\n", what, why);
    exit(1);
}

__attribute__((noinline)) static void release_json(json_object *v)
{
    json_object_put(v);
}

__attribute__((noinline)) static void release_xmlrpc_c(xmlrpc_value *v)
{
    xmlrpc_DECREF(v);
}

typedef int (*decoder_fn)(const char *, size_t, odoo_xmlrpc_reply *, char *, size_t);

/* One of the codec's decoders; the number of records. */
static size_t run_codec(decoder_fn decode, const char *xml, size_t len)
{
    odoo_xmlrpc_reply r;
    char why[256];
    int rc = decode(xml, len, &r, why, sizeof(why));
    if (rc != 0)
        die("decode", rc == ODOO_XMLRPC_SCAN_GAVE_UP ? "the scanner gave up" : why);
    if (r.fault || !json_object_is_type(r.value, json_type_array))
        die("decode", "not an array of records");
    size_t n = json_object_array_length(r.value);
    release_json(r.value);
    return n;
}

/* xmlrpc-c's own parse into its values, nothing else. */
static size_t run_xmlrpc_c_parse(const char *xml, size_t len)
{
    xmlrpc_env env;
    xmlrpc_env_init(&env);
    xmlrpc_value *v = NULL;
    int code = 0;
    const char *fault = NULL;
    xmlrpc_parse_response2(&env, xml, len, &v, &code, &fault);
    if (env.fault_occurred)
        die("xmlrpc_parse_response2", env.fault_string);
    if (fault)
        die("xmlrpc_parse_response2", "a fault");
    size_t n = (size_t)xmlrpc_array_size(&env, v);
    release_xmlrpc_c(v);
    xmlrpc_env_clean(&env);
    return n;
}

/* The cursor as the transport feeds it: curl's 16 KiB writes. */
__attribute__((noinline)) static size_t run_cursor(const char *xml, size_t len)
{
    odoo_cursor_options o = ODOO_CURSOR_OPTIONS_INIT;
    o.shape = ODOO_CURSOR_XMLRPC;
    odoo_cursor *c = odoo_cursor_new(&o);
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    size_t at = 0, n = 0;
    for (;;) {
        int rc = odoo_cursor_next(c, &err);
        if (rc == ODOO_CURSOR_ROW) {
            n++;
            continue;
        }
        if (rc != ODOO_CURSOR_MORE) {
            if (rc != ODOO_CURSOR_DONE)
                die("cursor", err.message ? err.message : "failed");
            break;
        }
        size_t k = len - at > 16384 ? 16384 : len - at;
        if (k == 0)
            odoo_cursor_finish(c);
        else if (odoo_cursor_feed(c, xml + at, k) != 0)
            die("cursor", "out of memory");
        at += k;
    }
    odoo_cursor_free(c);
    return n;
}

static size_t run_json_c(const char *text, size_t len)
{
    json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
    if (!tok)
        die("json-c", "out of memory");
    json_object *v = len <= INT32_MAX ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
    if (!v)
        die("json-c", json_tokener_error_desc(json_tokener_get_error(tok)));
    json_tokener_free(tok);
    size_t n = json_object_array_length(v);
    release_json(v);
    return n;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s scan|default|expat|xmlrpc-c|xmlrpc-c-parse-only|json-c|cursor FILE [REPEAT]\n"
                        "(json-c reads FILE with .xml replaced by .json)\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    char path[4096];
    snprintf(path, sizeof(path), "%s", argv[2]);
    if (strcmp(mode, "json-c") == 0) {
        char *dot = strrchr(path, '.');
        if (dot && strcmp(dot, ".xml") == 0 && (size_t)(dot - path) + 6 <= sizeof(path))
            strcpy(dot, ".json");
    }
    size_t len = 0;
    char *doc = slurp(path, &len);
    if (!doc)
        die(path, "cannot read it");
    int repeat = argc > 3 ? atoi(argv[3]) : 1;
    if (repeat < 1)
        repeat = 1;
    xmlrpc_oracle_init();   /* xmlrpc-c refuses documents over 512 KiB by default */

    struct timespec t0, t1;
    size_t n = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < repeat; i++) {
        if (strcmp(mode, "scan") == 0)
            n = run_codec(odoo__xmlrpc_parse_scan, doc, len);
        else if (strcmp(mode, "default") == 0)
            n = run_codec(odoo__xmlrpc_parse, doc, len);
        else if (strcmp(mode, "expat") == 0)
            n = run_codec(odoo__xmlrpc_parse_expat, doc, len);
        else if (strcmp(mode, "xmlrpc-c") == 0)
            n = run_codec(xmlrpc_oracle_parse, doc, len);
        else if (strcmp(mode, "xmlrpc-c-parse-only") == 0)
            n = run_xmlrpc_c_parse(doc, len);
        else if (strcmp(mode, "json-c") == 0)
            n = run_json_c(doc, len);
        else if (strcmp(mode, "cursor") == 0)
            n = run_cursor(doc, len);
        else
            die(mode, "unknown mode");
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / repeat;
    printf("%s: %zu records, %zu bytes, %.2f ms per decode\n", mode, n, len, ms);
    free(doc);
    return 0;
}
