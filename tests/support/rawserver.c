#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rawserver.h"

struct raw_server {
    int fd;
    int stop_pipe[2];
    raw_mode mode;
    pthread_t thread;
    char url[64];
};

static int listen_any(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 8) != 0) {
        close(fd);
        return -1;
    }
    socklen_t len = sizeof(a);
    getsockname(fd, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    return fd;
}

static void *serve(void *arg)
{
    raw_server *s = arg;
    for (;;) {
        struct pollfd p[2] = { { s->fd, POLLIN, 0 }, { s->stop_pipe[0], POLLIN, 0 } };
        if (poll(p, 2, -1) < 0 || (p[1].revents & POLLIN))
            return NULL;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        char buf[8192];
        ssize_t n = read(c, buf, sizeof(buf));
        (void)n;
        if (s->mode == RAW_TRUNCATE) {
            static const char part[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                       "Content-Length: 1000\r\n\r\n{\"jsonrpc\"";
            if (write(c, part, sizeof(part) - 1) < 0)
                perror("write");
        } else if (s->mode == RAW_SILENT) {
            struct pollfd q = { s->stop_pipe[0], POLLIN, 0 };
            poll(&q, 1, -1);
            close(c);
            return NULL;
        }
        close(c);
    }
}

raw_server *raw_start(raw_mode mode)
{
    raw_server *s = calloc(1, sizeof(*s));
    int port;
    s->mode = mode;
    s->fd = listen_any(&port);
    if (s->fd < 0 || pipe(s->stop_pipe) != 0) {
        free(s);
        return NULL;
    }
    snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", port);
    pthread_create(&s->thread, NULL, serve, s);
    return s;
}

const char *raw_url(raw_server *s)
{
    return s->url;
}

void raw_stop(raw_server *s)
{
    if (!s)
        return;
    if (write(s->stop_pipe[1], "x", 1) < 0)
        perror("write");
    pthread_join(s->thread, NULL);
    close(s->fd);
    close(s->stop_pipe[0]);
    close(s->stop_pipe[1]);
    free(s);
}

void raw_closed_port_url(char *buf, int len)
{
    int port;
    int fd = listen_any(&port);
    close(fd);
    snprintf(buf, (size_t)len, "http://127.0.0.1:%d", port);
}
