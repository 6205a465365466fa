/* D7: TLS 1.2 is the floor, whatever the system's OpenSSL policy allows.
 * An `openssl s_server` that offers only TLS 1.0/1.1, with a relaxed
 * OpenSSL config (MinProtocol=TLSv1, SECLEVEL=0) for the server AND the
 * client process, so that only the library's own floor can refuse it. A
 * control handshake with `openssl s_client` under the same config proves
 * the server and the policy do speak 1.1. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "tlscerts.h"

static tls_certs certs;
static char cnf[400], url[64];
static int port;
static pid_t server = -1;
static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        close(fd);
        return -1;
    }
    close(fd);
    return ntohs(a.sin_port);
}

static int listening(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    close(fd);
    return ok;
}

/* s_server speaking only the versions in flags ("-no_tls1_2 -no_tls1_3"),
 * answering any request with its -www status page; 60 s at most. */
static void start_server(const char *const *flags)
{
    port = free_port();
    cr_assert_gt(port, 0);
    char accept_at[32];
    snprintf(accept_at, sizeof(accept_at), "127.0.0.1:%d", port);
    server = fork();
    cr_assert_neq(server, -1);
    if (server == 0) {
        setenv("OPENSSL_CONF", cnf, 1);
        const char *argv[16] = { "timeout", "60", "openssl", "s_server", "-quiet", "-www", "-accept", accept_at,
                                 "-cert", certs.cert, "-key", certs.key };
        int n = 12;
        for (int i = 0; flags[i] && n < 15; i++)
            argv[n++] = flags[i];
        argv[n] = NULL;
        freopen("/dev/null", "w", stdout);
        execvp("timeout", (char *const *)argv);
        _exit(127);
    }
    for (int i = 0; i < 100 && !listening(); i++) {
        struct timespec ts = { 0, 50 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    cr_assert(listening(), "openssl s_server did not start");
    snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
}

static void setup(void)
{
    cr_assert_eq(tls_certs_make(&certs), 0, "openssl could not make test certificates");
    snprintf(cnf, sizeof(cnf), "%s/relaxed.cnf", certs.dir);
    FILE *f = fopen(cnf, "w");
    cr_assert_not_null(f);
    fputs("openssl_conf = openssl_init\n[openssl_init]\nssl_conf = ssl_sect\n[ssl_sect]\n"
          "system_default = system_default_sect\n[system_default_sect]\nMinProtocol = TLSv1\n"
          "CipherString = DEFAULT@SECLEVEL=0\n", f);
    fclose(f);
    /* this test process is the client: the same relaxed policy, set before
     * libcurl (and so OpenSSL) is initialised in it */
    setenv("OPENSSL_CONF", cnf, 1);
}

static void teardown(void)
{
    if (server > 0) {
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
        server = -1;
    }
    tls_certs_remove(&certs);
    odoo_rpc_error_clear(&err);
}

TestSuite(tls_floor, .init = setup, .fini = teardown, .timeout = 60);

static const char *const old_only[] = { "-no_tls1_2", "-no_tls1_3", NULL };

static int version_over(int min_version)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    o.url = url;
    o.ca_file = certs.ca;
    o.tls_min_version = min_version;
    o.api_key = "k";
    o.timeout_ms = 10000;
    odoo_protocol *p = NULL;
    /* JSON-2's version is a GET, which s_server -www answers */
    int rc = odoo_connect(&p, ODOO_PROTOCOL_JSON2, &o, &err);
    if (rc == 0) {
        json_object *info = NULL;
        rc = odoo_version_info(&info, p, &err);
        json_object_put(info);
    }
    odoo_close(p);
    return rc;
}

Test(tls_floor, the_relaxed_policy_really_speaks_tls_1_1)
{
    start_server(old_only);
    char cmd[1200];
    snprintf(cmd, sizeof(cmd),
             "OPENSSL_CONF='%s' timeout 20 openssl s_client -connect 127.0.0.1:%d -CAfile '%s' -tls1_1 "
             "</dev/null 2>&1 | grep -q 'Protocol *: TLSv1.1'", cnf, port, certs.ca);
    cr_expect_eq(system(cmd), 0, "control: s_client did not get TLS 1.1 (the test would prove nothing)");
}

Test(tls_floor, library_refuses_tls_1_1)
{
    start_server(old_only);
    /* Without the floor the handshake succeeds and s_server's HTML page
     * comes back as a protocol error instead. */
    cr_expect_eq(version_over(0), ODOO_ERR_TLS, "%s: %s", odoo_error_kind_name(err.kind), err.message);
    cr_expect_eq(version_over(ODOO_TLS_1_2), ODOO_ERR_TLS, "%s", err.message);
}

#ifdef ODOO_RPC_PATH
Test(tls_floor, cli_refuses_tls_1_1)
{
    start_server(old_only);
    char cmd[1200];
    snprintf(cmd, sizeof(cmd),
             "OPENSSL_CONF='%s' ODOO_API_KEY=k '%s' --url '%s' --ca-file '%s' --protocol json2 --timeout 10 version "
             "2>&1 >/dev/null | grep -q '\"kind\":\"tls\"'", cnf, ODOO_RPC_PATH, url, certs.ca);
    cr_expect_eq(system(cmd), 0, "odoo-rpc did not fail with kind tls");
    snprintf(cmd, sizeof(cmd), "OPENSSL_CONF='%s' ODOO_API_KEY=k '%s' --url '%s' --ca-file '%s' --protocol json2 --timeout 10 version "
             ">/dev/null 2>&1", cnf, ODOO_RPC_PATH, url, certs.ca);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 4, "exit %d, want 4 (transport)", WEXITSTATUS(st));
}
#endif

Test(tls_floor, tls_1_2_passes_the_floor_and_1_3_can_be_required)
{
    static const char *const only_1_2[] = { "-tls1_2", NULL };
    start_server(only_1_2);
    /* the handshake passes: what fails is s_server's HTML page */
    cr_expect_eq(version_over(0), ODOO_ERR_PROTOCOL, "%s: %s", odoo_error_kind_name(err.kind), err.message);
    cr_expect_eq(version_over(ODOO_TLS_1_3), ODOO_ERR_TLS, "%s", err.message);
}

Test(tls_floor, a_floor_below_1_2_is_refused)
{
    snprintf(url, sizeof(url), "https://127.0.0.1:1");
    cr_expect_eq(version_over(11), ODOO_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err.message, "tls_min_version") != NULL, "%s", err.message);
    cr_expect_eq(version_over(10), ODOO_ERR_INVALID_ARGUMENT);
}
