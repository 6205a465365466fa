#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlscerts.h"

int tls_certs_make(tls_certs *c)
{
    snprintf(c->dir, sizeof(c->dir), "/tmp/libodoo-tls-XXXXXX");
    if (!mkdtemp(c->dir))
        return -1;
    snprintf(c->ca, sizeof(c->ca), "%s/ca.pem", c->dir);
    snprintf(c->cert, sizeof(c->cert), "%s/server.pem", c->dir);
    snprintf(c->key, sizeof(c->key), "%s/server.key", c->dir);
    char cmd[2048];
    snprintf(cmd, sizeof(cmd),
             "cd %s && "
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key "
             "-out ca.pem -days 2 -subj /CN=libodoo-test-ca >/dev/null 2>&1 && "
             "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key "
             "-out server.csr -subj /CN=127.0.0.1 >/dev/null 2>&1 && "
             "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > ext.cnf && "
             "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem "
             "-days 2 -extfile ext.cnf >/dev/null 2>&1",
             c->dir);
    return system(cmd) == 0 ? 0 : -1;
}

void tls_certs_remove(tls_certs *c)
{
    char cmd[400];
    if (!c->dir[0] || strncmp(c->dir, "/tmp/libodoo-tls-", 17) != 0)
        return;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", c->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", c->dir);
}
