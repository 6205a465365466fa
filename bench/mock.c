/* odoo-mock as the benchmark's server: a separate process (its CPU is not
 * the client's), on a free port, stopped at exit; its faults through its
 * control endpoint. */
#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static pid_t mock_pid;

void mock_stop(void)
{
    if (mock_pid > 0) {
        kill(mock_pid, SIGTERM);
        waitpid(mock_pid, NULL, 0);
        mock_pid = 0;
    }
}

/* "key=value" from the startup line into out (n bytes); 0 or -1. */
static int field(const char *line, const char *key, char *out, size_t n)
{
    const char *p = strstr(line, key);
    if (!p)
        return -1;
    p += strlen(key);
    size_t len = strcspn(p, " \r\n");
    if (len == 0 || len >= n)
        return -1;
    memcpy(out, p, len);
    out[len] = '\0';
    return 0;
}

int mock_start(const char *path, int version, int partners, mock_info *out)
{
    return mock_spawn(path, version, partners, out, &mock_pid);
}

int mock_spawn(const char *path, int version, int partners, mock_info *out, pid_t *pidp)
{
    pid_t pid;
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    char ver[16], part[16];
    snprintf(ver, sizeof(ver), "%d", version);
    snprintf(part, sizeof(part), "%d", partners);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execl(path, path, "--odoo-version", ver, "--partners", part, "--quiet", (char *)NULL);
        perror(path);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = pid > 0 ? fdopen(fds[0], "r") : NULL;
    char line[1024];
    int ok = f && fgets(line, sizeof(line), f) != NULL;
    if (f)
        fclose(f);
    else
        close(fds[0]);
    if (ok && field(line, "listening on ", out->url, sizeof(out->url)) == 0 &&
        field(line, " db=", out->db, sizeof(out->db)) == 0 &&
        field(line, " api_key=", out->api_key, sizeof(out->api_key)) == 0 &&
        field(line, " proxy_key=", out->proxy_key, sizeof(out->proxy_key)) == 0) {
        *pidp = pid;
        return 0;
    }
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
    }
    return -1;
}

static size_t discard(char *data, size_t size, size_t n, void *userdata)
{
    (void)data;
    (void)userdata;
    return size * n;
}

int mock_fault(const char *url, const char *spec)
{
    char u[256];
    snprintf(u, sizeof(u), "%s/__mock__/fault", url);
    CURL *h = curl_easy_init();
    if (!h)
        return -1;
    curl_easy_setopt(h, CURLOPT_URL, u);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
    if (spec)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, spec);
    else
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
    long status = 0;
    int ok = curl_easy_perform(h) == CURLE_OK && curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
             status == 200;
    curl_easy_cleanup(h);
    return ok ? 0 : -1;
}
