/* odoo-mock — ORM internals shared between orm*.c files. */
#ifndef MOCK_ORM_INTERNAL_H
#define MOCK_ORM_INTERNAL_H

#include "orm.h"

int om_orm_create(call_env *env, model *m, json_object *vals_list, int force_list,
               json_object **result, mock_err *err);
int om_orm_write(call_env *env, model *m, const int *ids, size_t n, json_object *vals,
              mock_err *err);
int om_orm_unlink(call_env *env, model *m, const int *ids, size_t n, mock_err *err);
/* MissingError if any id does not exist. */
int om_orm_check_exist(call_env *env, model *m, const int *ids, size_t n, mock_err *err);

int om_orm_read_group(call_env *env, model *m, json_object *domain, json_object *fields,
                   json_object *groupby, json_object *offset, json_object *limit,
                   json_object *orderby, json_object *lazy, json_object **out, mock_err *err);
int om_orm_formatted_read_group(call_env *env, model *m, json_object *domain, json_object *groupby,
                             json_object *aggregates, json_object *having, json_object *offset,
                             json_object *limit, json_object *order, json_object **out,
                             mock_err *err);

json_object *om_orm_fields_get(call_env *env, model *m, json_object *allfields,
                            json_object *attributes);

void om_orm_set_defaults(call_env *env, model *m, record *r);
json_object *om_orm_default_get(call_env *env, model *m, json_object *fields);

/* res.partner.address_get(adr_pref): {type: partner id} (orm_partner.c) */
int om_orm_address_get(call_env *env, model *m, const int *ids, size_t n, json_object *adr_pref,
                       json_object **out, mock_err *err);

/* Python truthiness of a JSON value. */
int om_py_truthy(json_object *v);

#endif
