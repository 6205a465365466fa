/* odoo-mock — in-memory record storage. One table per model, records kept
 * sorted by id (ids only grow), binary search by id. Not thread-safe by
 * itself: callers hold the mock's store lock. */
#ifndef MOCK_STORE_H
#define MOCK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "schema.h"
#include "util.h"

typedef union cell {
    char *s;    /* char-like fields; NULL = False */
    int64_t i;  /* boolean, integer, many2one (0 = False) */
    double f;   /* float, monetary */
    struct {
        int *ids;
        int n;
    } m;        /* many2many */
} cell;

typedef struct record {
    int id;
    cell *c; /* one cell per field of the model */
} record;

typedef struct model {
    const model_def *def;
    record **recs;
    size_t n, cap;
    int next_id;
    /* frequently used field indexes (-1 when absent) */
    int f_active, f_name, f_parent, f_is_company;
} model;

typedef struct store {
    int version;
    model *models;
    int nmodels;
} store;

void om_store_init(store *s, int version);
void om_store_destroy(store *s);

model *om_store_model(store *s, const char *name);
record *om_model_get(const model *m, int64_t id);
/* New record with the given id (0 = next id), zeroed cells; inserted. */
record *om_model_add(model *m, int id);
/* Remove (and free) a record. */
void om_model_remove(model *m, int id);
int om_model_field(const model *m, const char *name); /* index or -1 */
/* Remove every record whose id is in the sorted array, in one pass. */
void om_model_remove_sorted(model *m, const int *sorted_ids, size_t n);
/* sorted copy without duplicates (caller frees) and lookups in it */
int *om_ids_sorted_unique(const int *ids, size_t n, size_t *out_n);
int om_ids_contains(const int *sorted_ids, size_t n, int id);

/* cell helpers (free the previous value) */
void om_rec_set_str(const model *m, record *r, int fidx, const char *s);
void om_rec_take_str(const model *m, record *r, int fidx, char *s); /* takes ownership */
void om_rec_set_int(record *r, int fidx, int64_t v);
void om_rec_set_float(record *r, int fidx, double v);
void om_rec_set_ids(const model *m, record *r, int fidx, const int *ids, int n);
void om_cell_free(const field_def *f, cell *c);

/* Display name of a record (partner: "Company, Contact"). Appended. */
void om_rec_display_name(store *s, const model *m, const record *r, strbuf *out);

/* Current "now" as an Odoo datetime string. */
void om_store_now(char out[20]);

#endif
