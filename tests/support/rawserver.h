/* A bare TCP server for transport failures: it accepts one connection at
 * a time and misbehaves as told. */
#ifndef TEST_RAWSERVER_H
#define TEST_RAWSERVER_H

typedef enum {
    RAW_SILENT,     /* read the request, never answer */
    RAW_TRUNCATE,   /* answer headers announcing 1000 bytes, send 10, close */
    RAW_CLOSE,      /* read the request, close without a byte */
} raw_mode;

typedef struct raw_server raw_server;

raw_server *raw_start(raw_mode mode);
const char *raw_url(raw_server *s);
void raw_stop(raw_server *s);

/* A URL on 127.0.0.1 whose port nobody listens on. */
void raw_closed_port_url(char *buf, int len);

#endif
