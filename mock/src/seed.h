/* odoo-mock — deterministic initial data: the company, the users (admin,
 * limited, and the technical users a real database has), countries,
 * currencies, languages, system parameters and N generated partners. */
#ifndef MOCK_SEED_H
#define MOCK_SEED_H

#include "store.h"

typedef struct country_row {
    const char *code;
    const char *name;
    int phone;
} country_row;

extern const country_row OM_COUNTRIES[];
extern const int OM_NCOUNTRIES;

typedef struct seed_params {
    int version;
    int partners;     /* generated partners */
    const char *db;
    const char *base_url;
} seed_params;

void om_seed_store(store *st, const seed_params *p);

/* uid of the limited user for a version (7 on 19, 8 on 16-18, like the
 * recorded databases). */
int om_seed_limited_uid(int version);

#endif
