#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlscerts.h"

int tls_certs_make(tls_certs *c)
{
    c->client_cert[0] = c->client_key[0] = '\0';
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

int tls_certs_make_client(tls_certs *c)
{
    /* ca.key stays in c->dir after tls_certs_make(): sign with it. The
     * extendedKeyUsage says clientAuth so that a verifier that checks the
     * purpose (OpenSSL's X509_PURPOSE_SSL_CLIENT) accepts it too. */
    if (!c->dir[0])
        return -1;
    char cert[300], key[300];
    snprintf(cert, sizeof(cert), "%s/client.pem", c->dir);
    snprintf(key, sizeof(key), "%s/client.key", c->dir);
    char cmd[2048];
    snprintf(cmd, sizeof(cmd),
             "cd %s && "
             "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout client.key "
             "-out client.csr -subj /CN=libodoo-test-client >/dev/null 2>&1 && "
             "printf 'extendedKeyUsage=clientAuth\\n' > client-ext.cnf && "
             "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem "
             "-days 2 -extfile client-ext.cnf >/dev/null 2>&1",
             c->dir);
    if (system(cmd) != 0)
        return -1;
    memcpy(c->client_cert, cert, sizeof(cert));
    memcpy(c->client_key, key, sizeof(key));
    return 0;
}
