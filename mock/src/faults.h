/* odoo-mock — fault injection: parsing fault specs, the pending fault
 * queue (each fault applies to the next N requests, optionally only under
 * a path prefix) and delivering broken answers through MHD callbacks. */
#ifndef MOCK_FAULTS_H
#define MOCK_FAULTS_H

#include <stddef.h>

#include "mock_internal.h"

typedef enum fault_kind {
    FK_LATENCY,
    FK_HTML500,
    FK_TRUNCATED,
    FK_MALFORMED,
    FK_RESET,
    FK_HUGE,
    FK_TRICKLE,
    FK_RATELIMIT,
    FK_SESSION_EXPIRY,
    /* gateway faults: only gateway calls (/api/odoo/..., /v2/odoo/...) */
    FK_PROXY_TIMEOUT,
    FK_PROXY_UNREACHABLE,
    FK_PROXY_INTERNAL,
    FK_PROXY_LICENSE,
} fault_kind;

#define FK_IS_PROXY(k) ((k) >= FK_PROXY_TIMEOUT && (k) <= FK_PROXY_LICENSE)

struct fault {
    fault_kind kind;
    long count; /* remaining requests; <= 0 = until cleared */
    char *path; /* prefix filter or NULL */
    long ms;    /* latency / trickle interval */
    long mb;    /* huge body size */
    long retry_after;
    long calls; /* session_expiry */
    struct fault *next;
};

/* Add a fault from a spec (JSON object text or "name:key=value,..."). */
int om_fault_add(odoo_mock *m, const char *spec, char *err, size_t errsize);
void om_faults_clear(odoo_mock *m);
void om_faults_free(odoo_mock *m);
/* JSON description of pending faults (new ref). */
json_object *om_faults_describe(odoo_mock *m);

typedef struct fault_plan {
    long latency_ms;
    int kind;       /* fault_kind of the delivery fault, or -1 */
    int proxy_kind; /* fault_kind of a gateway fault, or -1 */
    long ms, mb, retry_after;
} fault_plan;

/* Select (and consume) the faults that apply to this request. */
void om_fault_pick(odoo_mock *m, const char *path, fault_plan *plan);
int om_fault_is_pre(const fault_plan *plan);  /* answered without executing */
/* Is a fault of this kind pending (not consumed)? */
int om_fault_pending(odoo_mock *m, fault_kind kind);

struct MHD_Response;
/* Build the MHD response for the plan. For pre-execution faults resp is
 * only used for its kind; otherwise resp is the real answer (its body is
 * taken over). *status receives the status to queue. */
struct MHD_Response *om_fault_make_response(odoo_mock *m, struct MHD_Connection *conn,
                                         const fault_plan *plan, const char *path,
                                         mock_resp *resp, int *status);

#endif
