#include <criterion/criterion.h>
#include <odoo.h>

Test(errors, kind_names_are_stable)
{
    cr_assert_str_eq(odoo_error_kind_name(ODOO_ERR_VALIDATION), "validation");
    cr_assert_str_eq(odoo_error_kind_name(ODOO_ERR_SESSION_EXPIRED), "session_expired");
    cr_assert_str_eq(odoo_error_kind_name(ODOO_ERR_NOT_FOUND), "not_found");
    cr_assert_str_eq(odoo_error_kind_name((odoo_error_kind)-999), "unknown");
}
