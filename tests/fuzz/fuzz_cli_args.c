/* libFuzzer harness: odoo-rpc's command line. The CLI's own sources are
 * built in with main() renamed odoo_cli_main (CMakeLists.txt), and called
 * with argv split from the input at NUL bytes. Nothing can leave the
 * machine: the process first moves into a network namespace of its own
 * (unshare(CLONE_NEWNET): only a loopback that is down, so a connect to
 * any address fails at once); stdin is /dev/null, HOME and
 * XDG_CONFIG_HOME an empty directory, the ODOO_* variables unset, and
 * arguments naming a file (@file) are left out: what is fuzzed is the
 * parsing, not the I/O. The exit status must be one odoo-rpc documents. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "fuzz_common.h"

int odoo_cli_main(int argc, char **argv);

#define MAX_ARGS 48

static int ready; /* 1: sandboxed, -1: cannot be (then inputs are skipped) */

static void sandbox(void)
{
    if (unshare(CLONE_NEWNET) != 0) {
        perror("fuzz-cli-args: unshare(CLONE_NEWNET) (needs root or user namespaces); inputs skipped");
        ready = -1;
        return;
    }
    static char home[] = "/tmp/fuzz-cli-home-XXXXXX";
    if (!mkdtemp(home))
        abort();
    setenv("HOME", home, 1);
    setenv("XDG_CONFIG_HOME", home, 1);
    static const char *const vars[] = { "ODOO_API_KEY", "ODOO_DB", "ODOO_PASSWORD", "ODOO_PROFILE", "ODOO_PROTOCOL",
                                        "ODOO_TIMEOUT", "ODOO_URL", "ODOO_USER", "ODXPROXY_API_KEY", "ODXPROXY_URL",
                                        "ODXPROXY_USER_ID" };
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        abort();
    dup2(fd, 0);
    dup2(fd, 1); /* results; errors (stderr) stay, as ASan's reports do */
    close(fd);
    ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        sandbox();
    if (ready < 0 || size > 4096)
        return 0;
    char *buf = malloc(size + 1);
    if (!buf)
        abort();
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = "odoo-rpc";
    for (size_t i = 0; i <= size && argc <= MAX_ARGS;) {
        char *arg = buf + i;
        size_t n = strlen(arg);
        if (arg[0] == '@' || strstr(arg, "=@")) /* a file to read: not parsing */
            goto skip;
        argv[argc++] = arg;
        i += n + 1;
    }
    argv[argc] = NULL;
    int rc = odoo_cli_main(argc, argv);
    if (rc < 0 || rc > 5)
        abort();
skip:
    free(buf);
    return 0;
}
