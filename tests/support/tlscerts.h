/* A throwaway CA and a server certificate for 127.0.0.1, made with the
 * openssl command at test time (hiredis' test.sh does the same). */
#ifndef TEST_TLSCERTS_H
#define TEST_TLSCERTS_H

typedef struct {
    char dir[256];
    char ca[300], cert[300], key[300];
    /* filled by tls_certs_make_client(); empty strings until then */
    char client_cert[300], client_key[300];
} tls_certs;

/* Returns 0 on success. tls_certs_remove deletes the directory. */
int tls_certs_make(tls_certs *c);
void tls_certs_remove(tls_certs *c);

/* A client certificate (CN=libodoo-test-client, extendedKeyUsage
 * clientAuth) signed by the CA of an earlier tls_certs_make(c), for
 * servers that require client authentication. PEM certificate in
 * c->client_cert, its unencrypted key in c->client_key, in c->dir.
 * Returns 0 on success. */
int tls_certs_make_client(tls_certs *c);

#endif
