/* The adapter registry: the built-ins first, then whatever a program
 * registers at run time (like sqlite3_vfs_register). The core finds
 * adapters here and never by name in code. */
#include <pthread.h>
#include <string.h>

#include "../errors/error_internal.h"
#include "registry.h"

#define MAX_ADAPTERS 32

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
/* Readers take no lock: slots are written once, before count covers them. */
static const odoo_adapter *table[MAX_ADAPTERS];
static size_t count;

static void add_builtins(void)
{
    size_t n = 0;
    const odoo_adapter *const *b = odoo__builtin_adapters(&n);
    for (size_t i = 0; i < n && count < MAX_ADAPTERS; i++)
        table[count++] = b[i];
}

static size_t registered(void)
{
    pthread_once(&once, add_builtins);
    return __atomic_load_n(&count, __ATOMIC_ACQUIRE);
}

static int valid_name(const char *s)
{
    size_t n = 0;
    if (!s || !*s)
        return 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '-'))
            return 0;
    return n < 32;
}

int odoo_adapter_register(const odoo_adapter *a, odoo_rpc_error *err)
{
    if (!a || a->version == 0 || a->version > ODOO_ADAPTER_VERSION)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "adapter descriptor version %u is not supported "
                               "(this library knows %d)", a ? a->version : 0, ODOO_ADAPTER_VERSION);
    if (!valid_name(a->name) || strcmp(a->name, "auto") == 0)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT,
                               "an adapter name is 1 to 31 lower-case letters, digits or '-' (not \"auto\")");
    if (!a->ops || a->ops->version < 2 || a->ops->version > ODOO_PROTOCOL_OPS_VERSION || !a->ops->encode ||
        !a->ops->decode)
        return odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "adapter '%s': invalid protocol table", a->name);
    registered();
    pthread_mutex_lock(&lock);
    int rc = 0;
    for (size_t i = 0; i < count && !rc; i++) {
        if (strcmp(table[i]->name, a->name) == 0)
            rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "an adapter called '%s' is already registered",
                                 a->name);
        else if (a->kind != ODOO_PROTOCOL_AUTO && table[i]->kind == a->kind)
            rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "adapter '%s' claims the kind of '%s'", a->name,
                                 table[i]->name);
    }
    if (!rc && count >= MAX_ADAPTERS)
        rc = odoo__error_set(err, ODOO_ERR_INVALID_ARGUMENT, "at most %d adapters can be registered", MAX_ADAPTERS);
    if (!rc) {
        table[count] = a;
        __atomic_store_n(&count, count + 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

const odoo_adapter *odoo_adapter_at(size_t i)
{
    return i < registered() ? table[i] : NULL;
}

const odoo_adapter *odoo_adapter_find(const char *name)
{
    size_t n = registered();
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(table[i]->name, name) == 0)
            return table[i];
    return NULL;
}

const odoo_adapter *odoo__adapter_for_kind(odoo_protocol_kind kind)
{
    size_t n = registered();
    for (size_t i = 0; kind != ODOO_PROTOCOL_AUTO && i < n; i++)
        if (table[i]->kind == kind)
            return table[i];
    return NULL;
}
