/* Process-wide initialisation, once. */
#include <pthread.h>

#include <curl/curl.h>

#include "global.h"
#include "secret.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int init_status;

static void init_once(void)
{
    /* libcurl keeps copies of what it sends: let it wipe them on free. */
    init_status = odoo__curl_global_init_wiping() == CURLE_OK ? 0 : -1;
}

int odoo__global_init(void)
{
    pthread_once(&once, init_once);
    return init_status;
}
