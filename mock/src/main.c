/* odoo-mock — command line: start a mock Odoo server, print its URL and
 * credentials on one line, serve until SIGTERM/SIGINT. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odoo_mock.h"

static void usage(FILE *f)
{
    fputs("usage: odoo-mock [options]\n"
          "  --odoo-version N   16, 17, 18 or 19 (default 19)\n"
          "  --port N           TCP port on 127.0.0.1 (default: a free port)\n"
          "  --partners N       generated res.partner records (default 50)\n"
          "  --db NAME          database name (default odoo)\n"
          "  --tls-cert FILE    serve HTTPS with this PEM certificate...\n"
          "  --tls-key FILE     ...and this PEM private key\n"
          "  --proxy-key KEY    x-api-key of the ODXProxy gateway routes\n"
          "                     (default " ODOO_MOCK_PROXY_KEY ")\n"
          "  --fault SPEC       inject a fault at start (repeatable), e.g.\n"
          "                     'latency:ms=200' or '{\"fault\":\"html500\",\"count\":2}'\n"
          "  --quiet            do not log requests on stderr\n"
          "  --help             this text\n"
          "Prints one line: odoo-mock <version> listening on <url> db=... user=... password=...\n"
          "api_key=... proxy_key=..., then serves until SIGTERM or SIGINT.\n",
          f);
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    odoo_mock_config cfg;
    memset(&cfg, 0, sizeof cfg);
    enum { MAX_FAULTS = 64 };
    const char *faults[MAX_FAULTS];
    int nfaults = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        char name[64];
        const char *eq = strchr(a, '=');
        if (eq && !strncmp(a, "--", 2) && (size_t)(eq - a) < sizeof name) {
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = '\0';
            val = eq + 1;
            a = name;
        }
#define NEED_VALUE()                                                    \
    do {                                                                \
        if (!val) {                                                     \
            if (i + 1 >= argc) {                                        \
                fprintf(stderr, "odoo-mock: %s needs a value\n", a);   \
                return 2;                                               \
            }                                                           \
            val = argv[++i];                                            \
        }                                                               \
    } while (0)
        long v;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            cfg.quiet = 1;
        } else if (!strcmp(a, "--odoo-version")) {
            NEED_VALUE();
            char vbuf[8];
            snprintf(vbuf, sizeof vbuf, "%s", val);
            size_t vl = strlen(vbuf);
            if (vl > 2 && !strcmp(vbuf + vl - 2, ".0"))
                vbuf[vl - 2] = '\0';
            if (parse_int(vbuf, 16, 19, &v)) {
                fprintf(stderr, "odoo-mock: --odoo-version must be 16, 17, 18 or 19\n");
                return 2;
            }
            cfg.odoo_version = (int)v;
        } else if (!strcmp(a, "--port")) {
            NEED_VALUE();
            if (parse_int(val, 0, 65535, &v)) {
                fprintf(stderr, "odoo-mock: bad --port\n");
                return 2;
            }
            cfg.port = (unsigned short)v;
        } else if (!strcmp(a, "--partners")) {
            NEED_VALUE();
            if (parse_int(val, 0, 10000000, &v)) {
                fprintf(stderr, "odoo-mock: bad --partners\n");
                return 2;
            }
            cfg.partners = v == 0 ? -1 : (int)v;
        } else if (!strcmp(a, "--db")) {
            NEED_VALUE();
            cfg.db = val;
        } else if (!strcmp(a, "--tls-cert")) {
            NEED_VALUE();
            cfg.tls_cert_file = val;
            cfg.tls = 1;
        } else if (!strcmp(a, "--tls-key")) {
            NEED_VALUE();
            cfg.tls_key_file = val;
            cfg.tls = 1;
        } else if (!strcmp(a, "--proxy-key")) {
            NEED_VALUE();
            if (!*val) {
                fprintf(stderr, "odoo-mock: --proxy-key must not be empty\n");
                return 2;
            }
            cfg.proxy_key = val;
        } else if (!strcmp(a, "--fault")) {
            NEED_VALUE();
            if (nfaults == MAX_FAULTS) {
                fprintf(stderr, "odoo-mock: too many --fault options\n");
                return 2;
            }
            faults[nfaults++] = val;
        } else {
            fprintf(stderr, "odoo-mock: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        }
#undef NEED_VALUE
    }

    /* handle SIGTERM/SIGINT synchronously: block them in every thread */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, NULL);

    odoo_mock *m;
    if (odoo_mock_start(&m, &cfg) != 0)
        return 1;
    for (int i = 0; i < nfaults; i++) {
        if (odoo_mock_inject(m, faults[i]) != 0) {
            fprintf(stderr, "odoo-mock: invalid --fault %s\n", faults[i]);
            odoo_mock_stop(m);
            return 2;
        }
    }
    printf("odoo-mock %d.0 listening on %s db=%s user=%s password=%s api_key=%s "
           "limited_user=%s limited_password=%s limited_api_key=%s proxy_key=%s\n",
           odoo_mock_version(m), odoo_mock_url(m), odoo_mock_db(m), ODOO_MOCK_ADMIN_LOGIN,
           ODOO_MOCK_ADMIN_PASSWORD, ODOO_MOCK_ADMIN_API_KEY, ODOO_MOCK_LIMITED_LOGIN,
           ODOO_MOCK_LIMITED_PASSWORD, ODOO_MOCK_LIMITED_API_KEY, odoo_mock_proxy_key(m));
    fflush(stdout);

    sigdelset(&set, SIGPIPE);
    int sig = 0;
    sigwait(&set, &sig);
    if (!cfg.quiet)
        fprintf(stderr, "odoo-mock: signal %d, stopping\n", sig);
    odoo_mock_stop(m);
    return 0;
}
