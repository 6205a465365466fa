/* A user's program against the installed odoo-mock: start a mock in
 * process, send one HTTP request over a raw socket, check the answer,
 * stop it. Built by mock_consumer.cmake with find_package(odoo_mock)
 * and with pkg-config, against the shared and the static library. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <odoo_mock.h>

/* GET path on 127.0.0.1:port; the whole answer (Connection: close) into buf */
static int http_get(unsigned short port, const char *path, char *buf, size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", path);
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    size_t len = 0;
    ssize_t k;
    while (len + 1 < size && (k = read(fd, buf + len, size - 1 - len)) > 0)
        len += (size_t)k;
    buf[len] = '\0';
    close(fd);
    return 0;
}

int main(void)
{
    odoo_mock_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.odoo_version = 18;
    cfg.partners = 5;
    cfg.quiet = 1;
    odoo_mock *m = NULL;
    if (odoo_mock_start(&m, &cfg) != 0) {
        fprintf(stderr, "odoo_mock_start failed\n");
        return 1;
    }
    char answer[4096];
    int rc = http_get(odoo_mock_port(m), "/web/health", answer, sizeof answer);
    int ok = rc == 0 && !strncmp(answer, "HTTP/1.1 200", 12) && strstr(answer, "\"status\": \"pass\"");
    odoo_mock_stats st;
    odoo_mock_get_stats(m, &st);
    printf("odoo-mock %d at %s: %s, %lu request(s)\n", odoo_mock_version(m), odoo_mock_url(m),
           ok ? "healthy" : "NOT healthy", st.requests);
    odoo_mock_stop(m);
    return ok && st.requests == 1 ? 0 : 1;
}
