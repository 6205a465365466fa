/* odoo-rpc --verbose: the library's trace lines on stderr, in the order a
 * reader expects. The library traces a request body once the exchange is
 * over, after the response headers; here the response lines wait until
 * the request body has been printed. -vv adds one timing line per
 * exchange: time to the first response line and to the last one, counted
 * from the request headers (connection set-up comes before those). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static int level;
static char **held;            /* response lines waiting for the request body */
static size_t nheld, capheld;
static enum { IDLE, REQUEST, RESPONSE, BODY_SENT } state = IDLE;
static double t_start, t_first, t_last;
static int status, exchanges;
static char what[160];

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void cli_trace_level(int verbose)
{
    level = verbose;
}

static void release_held(void)
{
    for (size_t i = 0; i < nheld; i++) {
        fprintf(stderr, "%s\n", held[i]);
        free(held[i]);
    }
    nheld = 0;
}

/* "> POST /json/2/res.partner/search HTTP/1.1": the first line of a request. */
static int request_line(const char *line)
{
    if (strncmp(line, "> ", 2) != 0)
        return 0;
    const char *p = line + 2;
    while (*p >= 'A' && *p <= 'Z')
        p++;
    return p > line + 2 && *p == ' ' && strstr(p, " HTTP/") != NULL;
}

static void end_exchange(void)
{
    release_held();
    if (state != IDLE && level >= 2)
        fprintf(stderr, "* exchange %d: %s -> %d, first response line %.3f ms, done %.3f ms\n", exchanges, what,
                status, t_first > 0 ? t_first - t_start : 0.0, t_last - t_start);
    state = IDLE;
}

void cli_trace_flush(void)
{
    end_exchange();
    fflush(stderr);
}

void cli_trace(const char *line, void *payload)
{
    (void)payload;
    double t = now_ms();
    if (request_line(line)) {
        end_exchange();
        state = REQUEST;
        exchanges++;
        t_start = t_last = t;
        t_first = 0;
        status = 0;
        const char *path = line + 2, *sp = strstr(path, " HTTP/");
        snprintf(what, sizeof(what), "%.*s", (int)(sp - path), path);
        fprintf(stderr, "%s\n", line);
        return;
    }
    if (state == IDLE || line[0] == '*' || line[0] == '!') {
        if (line[0] == '!')
            t_last = t;
        end_exchange();
        fprintf(stderr, "%s\n", line);
        return;
    }
    t_last = t;
    if (line[0] == '<' && state != BODY_SENT) {
        if (state == REQUEST) {
            state = RESPONSE;
            t_first = t;
            if (strncmp(line, "< HTTP/", 7) == 0) {
                const char *sp = strchr(line + 7, ' ');
                status = sp ? atoi(sp + 1) : 0;
            }
        }
        if (nheld == capheld) {
            size_t cap = capheld ? capheld * 2 : 32;
            char **n = realloc(held, cap * sizeof(*n));
            if (!n) {
                fprintf(stderr, "%s\n", line);
                return;
            }
            held = n;
            capheld = cap;
        }
        char *copy = strdup(line);
        if (copy)
            held[nheld++] = copy;
        else
            fprintf(stderr, "%s\n", line);
        return;
    }
    if (line[0] == '>' && state == RESPONSE) {
        /* the request body, traced after the response headers: put it first */
        fprintf(stderr, "%s\n", line);
        release_held();
        state = BODY_SENT;
        return;
    }
    fprintf(stderr, "%s\n", line);
}

void cli_trace_note(const char *fmt, ...)
{
    end_exchange();
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
