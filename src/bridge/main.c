/* odoo-bridge: unchanged XML-RPC and /jsonrpc clients in front of an Odoo
 * that speaks JSON-2 (or anything libodoo speaks).
 *
 *   odoo-bridge --upstream https://erp.example.com [--listen 127.0.0.1:8069]
 *
 * The first line on stdout says where it listens and what it speaks
 * upstream; SIGTERM or SIGINT stop it after the requests in flight. */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "core/select.h"
#include "core/value.h"
#include "server.h"

enum {
    EXIT_OK = 0,
    EXIT_RUNTIME = 1,     /* cannot listen, cannot open the log */
    EXIT_USAGE = 2,
    EXIT_UPSTREAM_AUTH = 3, /* reserved (no credentials at start) */
    EXIT_TRANSPORT = 4,   /* the upstream cannot be reached */
    EXIT_PROTOCOL = 5     /* the upstream answers no Odoo protocol */
};

static const char usage[] =
    "usage: odoo-bridge --upstream URL [--listen ADDR:PORT] [--upstream-protocol KIND] [--log FILE]\n"
    "                   [--insecure | --ca-file FILE] [--timeout SECONDS] [--max-body BYTES]\n"
    "                   [--max-clients N]\n"
    "\n"
    "Serves XML-RPC (/xmlrpc/2/common, /xmlrpc/2/object, /xmlrpc/2/db and the older /xmlrpc/<service>)\n"
    "and stateless /jsonrpc to legacy clients, and forwards every call to the Odoo at URL over the\n"
    "best protocol it speaks (JSON-2 on Odoo 19+ for API keys, a web session for passwords).\n"
    "\n"
    "  --upstream URL           the Odoo server (http:// or https://)\n"
    "  --listen ADDR:PORT       where to listen (default 127.0.0.1:0, a free port); [::1]:PORT for IPv6\n"
    "  --upstream-protocol KIND auto (default), json2, jsonrpc, jsonrpc-stateless or xmlrpc\n"
    "  --log FILE               append one line per request (never a password or key)\n"
    "  --insecure               do not verify the upstream's TLS certificate\n"
    "  --ca-file FILE           verify the upstream with these CA certificates (PEM)\n"
    "  --timeout SECONDS        per upstream call (default 120)\n"
    "  --max-body BYTES         larger requests get 413 (default 67108864)\n"
    "  --max-clients N          connections served at once, one thread each (default 64)\n"
    "  --help, --version\n"
    "\n"
    "The first line on stdout is\n"
    "  odoo-bridge listening on http://ADDR:PORT upstream URL via PROTOCOL\n"
    "Exit status: 0 stopped by SIGTERM/SIGINT, 1 cannot listen or open the log, 2 usage,\n"
    "4 the upstream cannot be reached, 5 the upstream answers no Odoo protocol.\n";

static int parse_listen(const char *s, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    char host[128];
    const char *colon;
    if (s[0] == '[') {
        const char *end = strchr(s, ']');
        if (!end || end[1] != ':' || (size_t)(end - s - 1) >= sizeof(host))
            return -1;
        memcpy(host, s + 1, (size_t)(end - s - 1));
        host[end - s - 1] = '\0';
        colon = end + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || (size_t)(colon - s) >= sizeof(host))
            return -1;
        memcpy(host, s, (size_t)(colon - s));
        host[colon - s] = '\0';
    }
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (errno || *end || end == colon + 1 || port < 0 || port > 65535)
        return -1;
    struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((unsigned short)port);
        return 0;
    }
    if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((unsigned short)port);
        return 0;
    }
    return -1;
}

static int parse_size(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || end == s || s[0] == '-')
        return -1;
    *out = v;
    return 0;
}

/* common.version's dictionary from the upstream's version answer. */
static json_object *version_dict(json_object *info)
{
    json_object *sv = NULL, *svi = NULL, *d = json_object_new_object();
    if (!d)
        return NULL;
    json_object_object_get_ex(info, "server_version", &sv);
    json_object_object_get_ex(info, "server_version_info", &svi);
    const char *v = sv ? json_object_get_string(sv) : "";
    char serie[32];
    /* server_serie is major.minor: "saas~18.3" stays, "19.0+e" -> "19.0" */
    snprintf(serie, sizeof(serie), "%.*s", (int)strcspn(v, "+-abcdefghijklmnopqrstuvwxyz"), v);
    json_object_object_add(d, "server_version", json_object_new_string(v));
    json_object_object_add(d, "server_version_info", svi ? json_object_get(svi) : json_object_new_array());
    json_object *ser = NULL;
    json_object_object_add(d, "server_serie", json_object_object_get_ex(info, "server_serie", &ser)
                                                  ? json_object_get(ser) : json_object_new_string(serie));
    json_object_object_add(d, "protocol_version", json_object_new_int(1));
    return d;
}

static int exit_for(int kind)
{
    switch (kind) {
    case ODOO_ERR_CONNECT: case ODOO_ERR_DNS: case ODOO_ERR_TIMEOUT: case ODOO_ERR_TLS: case ODOO_ERR_NETWORK:
        return EXIT_TRANSPORT;
    case ODOO_ERR_INVALID_ARGUMENT:
        return EXIT_USAGE;
    default:
        return EXIT_PROTOCOL;
    }
}

int main(int argc, char **argv)
{
    const char *upstream = NULL, *listen = "127.0.0.1:0", *proto = "auto", *logfile = NULL, *ca_file = NULL;
    int insecure = 0;
    unsigned long long timeout_s = 120, max_body = 64ull << 20, max_clients = 64;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE(name) (!strcmp(a, name) && (v ? (i++, 1) : (fprintf(stderr, "odoo-bridge: %s needs a value\n", name), exit(EXIT_USAGE), 0)))
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf("odoo-bridge %s (libodoo %s)\n", ODOO_VERSION_STRING, odoo_version_string());
            return EXIT_OK;
        } else if (TAKE("--upstream")) {
            upstream = v;
        } else if (TAKE("--listen")) {
            listen = v;
        } else if (TAKE("--upstream-protocol")) {
            proto = v;
        } else if (TAKE("--log")) {
            logfile = v;
        } else if (TAKE("--ca-file")) {
            ca_file = v;
        } else if (!strcmp(a, "--insecure")) {
            insecure = 1;
        } else if (TAKE("--timeout")) {
            if (parse_size(v, &timeout_s) || timeout_s == 0 || timeout_s > 86400) {
                fprintf(stderr, "odoo-bridge: --timeout takes seconds, 1 to 86400\n");
                return EXIT_USAGE;
            }
        } else if (TAKE("--max-body")) {
            if (parse_size(v, &max_body) || max_body == 0 || max_body > (1ull << 31)) {
                fprintf(stderr, "odoo-bridge: --max-body takes bytes, 1 to 2147483648\n");
                return EXIT_USAGE;
            }
        } else if (TAKE("--max-clients")) {
            if (parse_size(v, &max_clients) || max_clients == 0 || max_clients > 4096) {
                fprintf(stderr, "odoo-bridge: --max-clients takes 1 to 4096\n");
                return EXIT_USAGE;
            }
        } else {
            fprintf(stderr, "odoo-bridge: unknown argument '%s' (see --help)\n", a);
            return EXIT_USAGE;
        }
#undef TAKE
    }
    if (!upstream) {
        fprintf(stderr, "odoo-bridge: --upstream URL is required (see --help)\n");
        return EXIT_USAGE;
    }
    if (insecure && ca_file) {
        fprintf(stderr, "odoo-bridge: --insecure and --ca-file exclude each other\n");
        return EXIT_USAGE;
    }
    odoo_protocol_kind forced;
    if (odoo_protocol_kind_from_name(&forced, proto) != 0 || forced == ODOO_PROTOCOL_ODXPROXY) {
        fprintf(stderr, "odoo-bridge: --upstream-protocol is auto, json2, jsonrpc, jsonrpc-stateless or xmlrpc\n");
        return EXIT_USAGE;
    }
    struct sockaddr_storage ss;
    if (parse_listen(listen, &ss) != 0) {
        fprintf(stderr, "odoo-bridge: --listen takes ADDR:PORT with a numeric address, e.g. 127.0.0.1:8069\n");
        return EXIT_USAGE;
    }

    /* Everything that follows runs with the stop signals blocked: the
     * server's threads inherit the mask and main waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    bridge b;
    memset(&b, 0, sizeof(b));
    pthread_mutex_init(&b.log_lock, NULL);
    b.base.version = ODOO_OPTIONS_VERSION;
    b.base.url = upstream;
    b.base.tls_insecure = insecure;
    b.base.ca_file = ca_file;
    b.base.timeout_ms = (long)timeout_s * 1000;
    b.base.user_agent = "odoo-bridge/" ODOO_VERSION_STRING;
    b.forced = forced;
    b.max_body = (size_t)max_body;
    int status = EXIT_OK;
    struct MHD_Daemon *d = NULL;
    char *shown = NULL;

    if (logfile && !(b.log = fopen(logfile, "a"))) {
        fprintf(stderr, "odoo-bridge: cannot open the log %s: %s\n", logfile, strerror(errno));
        status = EXIT_RUNTIME;
        goto out;
    }
    /* Learn the upstream's version (no credentials needed), then the
     * protocol AUTO would choose for a key and for a password. */
    odoo_rpc_error err = ODOO_RPC_ERROR_INIT;
    odoo_protocol *probe = NULL;
    json_object *info = NULL;
    int rc = odoo_connect(&probe, forced, &b.base, &err);
    if (rc == 0)
        rc = odoo_version_info(&info, probe, &err);
    if (rc != 0) {
        fprintf(stderr, "odoo-bridge: the upstream does not answer: %s\n", err.message ? err.message : "?");
        status = exit_for(rc);
        odoo_rpc_error_clear(&err);
        odoo_close(probe);
        goto out;
    }
    b.major = odoo_server_version(probe);
    b.version = version_dict(info);
    json_object_put(info);
    const char *rule;
    /* What answered the probe, when AUTO probed: it may be the only protocol spoken. */
    const odoo_adapter *answered =
        forced == ODOO_PROTOCOL_AUTO ? odoo_adapter_find(odoo_protocol_name(probe)) : NULL;
    odoo_server_facts key_facts = { b.major, 1, 0, ODOO_PREFER_COMPAT, answered };
    odoo_server_facts pw_facts = { b.major, 0, 1, ODOO_PREFER_COMPAT, answered };
    const odoo_adapter *key_a = odoo__choose(&key_facts, &rule), *pw_a = odoo__choose(&pw_facts, &rule);
    b.key_kind = key_a ? key_a->kind : odoo_protocol_kind_of(probe);
    b.pw_kind = pw_a ? pw_a->kind : odoo_protocol_kind_of(probe);
    odoo_close(probe);
    if (!b.version || br_pool_new(&b.pool, (size_t)max_clients) != 0) {
        fprintf(stderr, "odoo-bridge: out of memory\n");
        status = EXIT_RUNTIME;
        goto out;
    }
    unsigned short port = 0;
    d = br_server_start(&b, (const struct sockaddr *)&ss, (unsigned)max_clients, &port);
    if (!d) {
        fprintf(stderr, "odoo-bridge: cannot listen on %s\n", listen);
        status = EXIT_RUNTIME;
        goto out;
    }
    char addr[INET6_ADDRSTRLEN + 2] = "";
    if (ss.ss_family == AF_INET6) {
        addr[0] = '[';
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, addr + 1, sizeof(addr) - 2);
        strcat(addr, "]");
    } else {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, addr, sizeof(addr));
    }
    shown = odoo__url_for_display(upstream);
    odoo_protocol_kind shown_kind = forced != ODOO_PROTOCOL_AUTO ? forced : b.key_kind;
    printf("odoo-bridge listening on http://%s:%u upstream %s via %s\n", addr, port, shown ? shown : "(url)",
           odoo_protocol_kind_name(shown_kind));
    fflush(stdout);
    if (forced == ODOO_PROTOCOL_AUTO && b.pw_kind != b.key_kind)
        fprintf(stderr, "odoo-bridge: Odoo %d upstream: API keys via %s, passwords via %s\n", b.major,
                odoo_protocol_kind_name(b.key_kind), odoo_protocol_kind_name(b.pw_kind));

    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    fprintf(stderr, "odoo-bridge: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
out:
    if (d)
        MHD_stop_daemon(d);
    br_pool_free(b.pool);
    json_object_put(b.version);
    free(shown);
    if (b.log)
        fclose(b.log);
    pthread_mutex_destroy(&b.log_lock);
    return status;
}
