/* Client CPU (getrusage) of one XML-RPC search_read of every partner x
 * 8 fields against odoo-mock, through odoo_search_read_rows (the answer
 * streamed into the cursor, one page) or odoo_search_read (the DOM);
 * search-read-cpu.py is Python's ServerProxy on the same call. Issue
 * 12's target; the figures are in src/adapters/xmlrpc_stream.c:
 *
 *     build/mock/odoo-mock --partners 20000 --port 18769 --quiet &
 *     gcc -O2 -Iinclude $(pkg-config --cflags json-c) bench/xmlrpc-decode/search-read-cpu.c \
 *         build/libodoo.a -ljson-c -lcurl -lexpat -lcrypto -lpthread -o /tmp/search-read-cpu
 *     /tmp/search-read-cpu http://127.0.0.1:18769 rows
 *     /tmp/search-read-cpu http://127.0.0.1:18769 dom
 *     python3 bench/xmlrpc-decode/search-read-cpu.py http://127.0.0.1:18769 odoo admin admin */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <odoo.h>
#include <odoo/cursor.h>
#include <odoo/helpers.h>

static double cpu_ms(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}
static double wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
static int on_row(const odoo_cursor *row, void *payload)
{
    (void)row;
    ++*(size_t *)payload;
    return 0;
}
int main(int argc, char **argv)
{
    static const char *fields[] = { "name", "email", "parent_id", "child_ids", "active", "color",
                                    "partner_latitude", "country_id", NULL };
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = argv[1];
    o.db = "odoo";
    o.login = "admin";
    o.password = "admin";
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *p = NULL;
    if (odoo_connect(&p, ODOO_PROTOCOL_XMLRPC, &o, &err) != 0) {
        fprintf(stderr, "connect: %s\n", err.message);
        return 1;
    }
    const char *mode = argc > 2 ? argv[2] : "rows";
    for (int i = 0; i < 3; i++) {
        odoo_search_options so = ODOO_SEARCH_OPTIONS_INIT;
        so.fields = fields;
        so.page_size = 20000;
        size_t n = 0;
        double c0 = cpu_ms(), w0 = wall_ms();
        int rc;
        if (!strcmp(mode, "rows")) {
            rc = odoo_search_read_rows(p, "res.partner", &so, on_row, &n, &err);
        } else {
            json_object *out = NULL;
            so.order = "id";
            so.limit = 20000;
            so.page_size = 0;
            rc = odoo_search_read(&out, p, "res.partner", &so, &err);
            n = out ? json_object_array_length(out) : 0;
            json_object_put(out);
        }
        printf("%s: rc %d, %zu records, client cpu %.0f ms, wall %.0f ms\n", mode, rc, n, cpu_ms() - c0,
               wall_ms() - w0);
    }
    odoo_close(p);
    return 0;
}
