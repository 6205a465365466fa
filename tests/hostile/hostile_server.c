/* A loopback HTTP server that answers every protocol badly, one way per
 * mode. Its own process: binds 127.0.0.1 on a free port, prints the port
 * on stdout, serves one connection at a time (Connection: close) and exits
 * after LIFETIME seconds whatever happens.
 *
 * The mode is the first path segment: a client given the base URL
 * http://127.0.0.1:PORT/m/<mode> sends /m/<mode>/xmlrpc/2/common etc.
 * Payload modes answer logins properly (so the call itself meets the bad
 * answer) and wrap their payload for the protocol the path names. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LIFETIME 300
#define MAX_REQUEST (1 << 20)

static int out_fd;

static void put(const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(out_fd, c, n);
        if (w <= 0)
            _exit(0); /* the client hung up: this connection's process is done */
        c += w;
        n -= (size_t)w;
    }
}

static void puts_(const char *s)
{
    put(s, strlen(s));
}

static void answer(int status, const char *reason, const char *ctype, const char *extra, const char *body,
                   size_t len)
{
    char head[512];
    snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
             status, reason, ctype, len, extra ? extra : "");
    puts_(head);
    put(body, len);
}

static void nap_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* The request id of a JSON body ("id": 7 or "id": "uuid"), as JSON text. */
static void json_id(const char *body, char *out, size_t len)
{
    const char *p = body ? strstr(body, "\"id\"") : NULL;
    snprintf(out, len, "null");
    if (!p || !(p = strchr(p + 4, ':')))
        return;
    p++;
    while (*p == ' ')
        p++;
    size_t n = strcspn(p, ",}");
    while (n > 0 && p[n - 1] == ' ')
        n--;
    if (n > 0 && n < len)
        snprintf(out, len, "%.*s", (int)n, p);
}

typedef struct {
    char *buf;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->buf = realloc(b->buf, b->cap);
        if (!b->buf)
            exit(3);
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* A result value for a payload mode, in JSON or XML-RPC. */
static void payload(sbuf *b, const char *mode, int xml)
{
    if (strcmp(mode, "deep") == 0) {
        int depth = xml ? 10000 : 100000; /* both well under the client's 1 MB cap */
        for (int i = 0; i < depth; i++)
            sb_str(b, xml ? "<value><array><data>" : "[");
        for (int i = 0; i < depth; i++)
            sb_str(b, xml ? "</data></array></value>" : "]");
    } else if (strcmp(mode, "hugenum") == 0) {
        sb_str(b, xml ? "<value><array><data><value><int>123456789012345678901234567890</int></value></data></array></value>"
                      : "[123456789012345678901234567890]");
    } else if (strcmp(mode, "nul") == 0) {
        if (xml)
            sb_add(b, "<value><string>na\0me</string></value>", 37);
        else
            sb_str(b, "[{\"na\\u0000me\": 1}]");
    } else if (strcmp(mode, "badutf8") == 0) {
        sb_str(b, xml ? "<value><string>bad \xff\xfe\xc3 text</string></value>" : "[\"bad \xff\xfe\xc3 text\"]");
    }
}

static int is_payload_mode(const char *mode)
{
    return !strcmp(mode, "deep") || !strcmp(mode, "hugenum") || !strcmp(mode, "nul") || !strcmp(mode, "badutf8");
}

static void serve(const char *path, const char *body)
{
    char mode[32] = "";
    if (strncmp(path, "/m/", 3) == 0)
        snprintf(mode, sizeof(mode), "%.*s", (int)strcspn(path + 3, "/ "), path + 3);
    int xml = strstr(path, "/xmlrpc") != NULL;
    int json2 = strstr(path, "/json/2/") != NULL;
    int login = (body && strstr(body, "authenticate") != NULL) || strstr(path, "/web/session/authenticate");
    char id[80];
    json_id(body, id, sizeof(id));

    if (is_payload_mode(mode)) {
        sbuf b = { 0 };
        if (login && xml) {
            sb_str(&b, "<?xml version='1.0'?><methodResponse><params><param><value><int>2</int></value></param></params></methodResponse>");
        } else if (login) {
            sb_str(&b, "{\"jsonrpc\": \"2.0\", \"id\": ");
            sb_str(&b, id);
            sb_str(&b, strstr(path, "/web/session/") ? ", \"result\": {\"uid\": 2}}" : ", \"result\": 2}");
        } else if (xml) {
            sb_str(&b, "<?xml version='1.0'?><methodResponse><params><param>");
            payload(&b, mode, 1);
            sb_str(&b, "</param></params></methodResponse>");
        } else if (json2) {
            payload(&b, mode, 0);
        } else {
            sb_str(&b, "{\"jsonrpc\": \"2.0\", \"id\": ");
            sb_str(&b, id);
            sb_str(&b, ", \"result\": ");
            payload(&b, mode, 0);
            sb_str(&b, "}");
        }
        answer(200, "OK", xml ? "text/xml" : "application/json", login && strstr(path, "/web/session/")
               ? "Set-Cookie: session_id=abc; Path=/\r\n" : NULL, b.buf, b.len);
        free(b.buf);
        return;
    }
    if (!strcmp(mode, "truncated")) {
        puts_("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"jsonrpc\"");
    } else if (!strcmp(mode, "reset")) {
        /* closed with SO_LINGER 0 by the caller: an RST, no byte */
    } else if (!strcmp(mode, "chunked")) {
        puts_("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        static char chunk[65536 + 16];
        int n = snprintf(chunk, 16, "%x\r\n", 65536);
        memset(chunk + n, ' ', 65536);
        memcpy(chunk + n + 65536, "\r\n", 2);
        for (int i = 0; i < 100000; i++) /* 6 GB at most: the client stops first */
            put(chunk, (size_t)n + 65536 + 2);
    } else if (!strcmp(mode, "trickle")) {
        const char *s = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
        for (size_t i = 0; i < 600; i++) { /* a byte every 100 ms, 60 s at most */
            put(i < strlen(s) ? s + i : " ", 1);
            nap_ms(100);
        }
    } else if (!strcmp(mode, "html502") || !strcmp(mode, "html504")) {
        int st = mode[5] == '2' ? 502 : 504;
        char page[256];
        snprintf(page, sizeof(page), "<html><head><title>%d %s</title></head><body><center><h1>%d</h1></center>"
                 "<hr><center>nginx</center></body></html>", st, st == 502 ? "Bad Gateway" : "Gateway Time-out", st);
        answer(st, st == 502 ? "Bad Gateway" : "Gateway Time-out", "text/html", NULL, page, strlen(page));
    } else if (!strcmp(mode, "bare401")) {
        answer(401, "Unauthorized", "text/plain", "WWW-Authenticate: Basic realm=\"erp\"\r\n", "", 0);
    } else if (!strcmp(mode, "bare403")) {
        answer(403, "Forbidden", "text/plain", NULL, "", 0);
    } else if (!strcmp(mode, "bare429")) {
        answer(429, "Too Many Requests", "text/plain", "Retry-After: 12\r\n", "", 0);
    } else if (!strcmp(mode, "badjson")) {
        const char *s = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": [1, 2,, }";
        answer(200, "OK", "application/json", NULL, s, strlen(s));
    } else if (!strcmp(mode, "badxml")) {
        const char *s = "<?xml version='1.0'?><methodResponse><params><param><value><int>2</value></param>";
        answer(200, "OK", "text/xml", NULL, s, strlen(s));
    } else if (!strcmp(mode, "cookies")) {
        puts_("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n");
        char line[160];
        for (int i = 0; i < 20000; i++) {
            snprintf(line, sizeof(line), "Set-Cookie: c%d=%064d; Path=/\r\n", i, i);
            puts_(line);
        }
        puts_("\r\n{}");
    } else if (!strcmp(mode, "bighdr")) {
        puts_("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Big: ");
        static char big[1 << 20];
        memset(big, 'a', sizeof(big));
        put(big, sizeof(big));
        puts_("\r\nContent-Length: 2\r\n\r\n{}");
    } else if (!strcmp(mode, "redirect_same")) {
        answer(303, "See Other", "text/html", "Location: /web/login?redirect=x\r\n", "", 0);
    } else if (!strcmp(mode, "redirect_other")) {
        answer(302, "Found", "text/html", "Location: https://u:hunter22@elsewhere.example.net/steal\r\n", "", 0);
    } else if (!strcmp(mode, "garbage")) {
        puts_("SSH-2.0-OpenSSH_9.2\r\n\r\n");
    } else {
        answer(404, "Not Found", "text/plain", NULL, "no such mode", 12);
    }
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    signal(SIGCHLD, SIG_IGN); /* children reaped by the kernel */
    alarm(LIFETIME); /* bounded, whatever the test does */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof(a);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0)
        return 1;
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    static char req[MAX_REQUEST + 1];
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c < 0)
            continue;
        /* one process per connection: a trickling answer blocks nobody */
        pid_t pid = fork();
        if (pid != 0) {
            close(c);
            continue;
        }
        close(fd);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        alarm(70);
        struct timeval tv = { 5, 0 };
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        size_t len = 0;
        char *end = NULL;
        while (len < MAX_REQUEST && !(end = strstr(req, "\r\n\r\n"))) {
            ssize_t n = read(c, req + len, MAX_REQUEST - len);
            if (n <= 0)
                break;
            len += (size_t)n;
            req[len] = '\0';
        }
        if (end) {
            const char *cl = strcasestr(req, "\r\nContent-Length:");
            size_t want = cl ? strtoul(cl + 17, NULL, 10) : 0;
            size_t have = len - (size_t)(end + 4 - req);
            while (have < want && len < MAX_REQUEST) {
                ssize_t n = read(c, req + len, MAX_REQUEST - len);
                if (n <= 0)
                    break;
                len += (size_t)n;
                have += (size_t)n;
                req[len] = '\0';
            }
            char path[512] = "/";
            sscanf(req, "%*s %511s", path);
            out_fd = c;
            serve(path, end + 4);
            if (strstr(path, "/m/reset/")) {
                struct linger lg = { 1, 0 };
                setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
            }
        }
        close(c);
        _exit(0);
    }
}
