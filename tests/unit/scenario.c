/* The integration scenario: everything a typical integration does,
 * through the helpers, on one protocol, against odoo-mock directly or
 * through something in front of it (nginx). What it saw comes back as one
 * JSON document, so that runs on different protocols or paths can be
 * compared value by value. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "fixtures.h"
#include "scenario.h"

static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static odoo_protocol *open_target(const test_target *t, odoo_protocol_kind kind, const char *login,
                                  const char *password, const char *api_key, int64_t uid)
{
    odoo_options o = ODOO_OPTIONS_INIT;
    test_target_options(t, kind, &o, login, password, api_key, uid);
    odoo_protocol *p = NULL;
    cr_assert_eq(odoo_connect(&p, kind, &o, &err), 0, "%s: %s", odoo_protocol_kind_name(kind), err.message);
    return p;
}

static void put(json_object *doc, const char *key, json_object *v)
{
    json_object_object_add(doc, key, v);
}

/* The scenario: everything a typical integration does, through the
 * helpers. Returns what it saw, for comparison across protocols. */
json_object *test_scenario(const test_target *t, odoo_protocol_kind kind)
{
    const char *name = odoo_protocol_kind_name(kind);
    odoo_protocol *p = open_target(t, kind, ODOO_MOCK_ADMIN_LOGIN, ODOO_MOCK_ADMIN_PASSWORD, ODOO_MOCK_ADMIN_API_KEY,
                                   ODOO_MOCK_ADMIN_UID);
    json_object *doc = json_object_new_object(), *out = NULL;
    int64_t uid = 0;
    CHECK(odoo_authenticate(&uid, p, &err));
    put(doc, "uid", json_object_new_int64(uid));

    CHECK(odoo_version_info(&out, p, &err));
    json_object *v;
    cr_assert(json_object_object_get_ex(out, "server_version", &v), "%s", name);
    put(doc, "server_version", json_object_get(v));
    json_object_put(out);

    json_object *companies = json_parse("[[\"is_company\", \"=\", true]]");
    const char *fields[] = { "name", "email", "country_id", "is_company", "partner_latitude", "date", NULL };
    CHECK(odoo_search_read(&out, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = companies, .fields = fields, .limit = 5, .order = "id" }, &err));
    put(doc, "search_read", out);

    int64_t n = 0;
    CHECK(odoo_search_count(&n, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = companies }, &err));
    put(doc, "count", json_object_new_int64(n));

    CHECK(odoo_search(&out, p, "res.partner", &(odoo_search_options){ .version = ODOO_SEARCH_OPTIONS_VERSION, .domain = companies, .offset = 2, .limit = 3, .order = "id desc" }, &err));
    put(doc, "search", out);

    json_object *ids = json_parse("[10, 11, 12]");
    const char *read_fields[] = { "name", "parent_id", "child_ids", "color", "active", NULL };
    CHECK(odoo_read(&out, p, "res.partner", ids, read_fields, NULL, &err));
    put(doc, "read", out);

    json_object *vals = json_parse("{\"name\": \"Scenario Ünïcödé <&>\", \"email\": \"s@example.com\", "
                                   "\"color\": 3, \"partner_latitude\": 50.85, \"date\": \"2026-11-23\"}");
    json_object *id = NULL;
    CHECK(odoo_create(&id, p, "res.partner", vals, NULL, &err));
    cr_assert(json_object_is_type(id, json_type_int), "%s: create(dict) gives an id", name);
    int64_t newid = (long)json_object_get_int64(id);
    json_object *one = odoo_ids_new(&newid, 1);
    json_object *upd = json_parse("{\"phone\": \"+32 2 555 12 12\", \"x_notes\": \"line 1\\nline 2\"}");
    CHECK(odoo_write(p, "res.partner", one, upd, NULL, &err));
    const char *back_fields[] = { "name", "email", "phone", "color", "partner_latitude", "date", "x_notes",
                                  "parent_id", "is_company", NULL };
    CHECK(odoo_read(&out, p, "res.partner", one, back_fields, NULL, &err));
    json_object_object_del(json_object_array_get_idx(out, 0), "id");
    put(doc, "read_back", out);

    json_object *many = json_parse("[{\"name\": \"Scenario A\"}, {\"name\": \"Scenario B\"}]"), *two = NULL;
    CHECK(odoo_create(&two, p, "res.partner", many, NULL, &err));
    cr_assert(json_object_is_type(two, json_type_array) && json_object_array_length(two) == 2, "%s", name);

    json_object *lang = json_parse("{\"lang\": \"en_US\"}");
    CHECK(odoo_name_search(&out, p, "res.partner", "Scenario", NULL, NULL, 10, lang, &err));
    put(doc, "name_search_count", json_object_new_int64((int64_t)json_object_array_length(out)));
    json_object_put(out);

    const char *allfields[] = { "name", "country_id", "child_ids", NULL }, *attrs[] = { "type", "string", NULL };
    CHECK(odoo_fields_get(&out, p, "res.partner", allfields, attrs, NULL, &err));
    put(doc, "fields_get", out);

    /* errors, the same kind on every protocol */
    json_object *self_parent = json_object_new_object();
    json_object_object_add(self_parent, "parent_id", json_object_new_int64(newid));
    int rc = odoo_write(p, "res.partner", one, self_parent, NULL, &err);
    /* XML-RPC's fault code 2 cannot tell ValidationError from UserError. */
    cr_expect_eq(rc, kind == ODOO_PROTOCOL_XMLRPC ? ODOO_ERR_USER : ODOO_ERR_VALIDATION, "%s: %s", name, err.message);
    cr_expect(strstr(err.message, "recursive") != NULL, "%s: %s", name, err.message);
    cr_expect_eq(odoo_execute_kw(&out, p, "no.such.model", "search", NULL, NULL, NULL, &err), ODOO_ERR_NOT_FOUND,
                 "%s", name);
    cr_expect_eq(odoo_execute_kw(&out, p, "res.partner", "no_such_method", NULL, NULL, NULL, &err),
                 ODOO_ERR_NOT_FOUND, "%s", name);

    CHECK(odoo_unlink(p, "res.partner", one, NULL, &err));
    CHECK(odoo_unlink(p, "res.partner", two, NULL, &err));
    CHECK(odoo_read(&out, p, "res.partner", one, NULL, NULL, &err));
    put(doc, "read_deleted", out);
    cr_expect_eq(odoo_write(p, "res.partner", one, upd, NULL, &err), ODOO_ERR_MISSING, "%s", name);
    cr_expect_str_eq(err.model, "res.partner");
    cr_expect_str_eq(err.method, "write");

    /* a limited user reads but may not write */
    odoo_protocol *lp = open_target(t, kind, ODOO_MOCK_LIMITED_LOGIN, ODOO_MOCK_LIMITED_PASSWORD,
                                    ODOO_MOCK_LIMITED_API_KEY, odoo_mock_limited_uid(t->mock));
    json_object *ten = json_parse("[10]");
    CHECK(odoo_read(&out, lp, "res.partner", ten, read_fields, NULL, &err));
    json_object_put(out);
    cr_expect_eq(odoo_write(lp, "res.partner", ten, upd, NULL, &err), ODOO_ERR_ACCESS, "%s: %s", name, err.message);
    odoo_close(lp);

    json_object_put(ten);
    json_object_put(self_parent);
    json_object_put(lang);
    json_object_put(two);
    json_object_put(many);
    json_object_put(one);
    json_object_put(upd);
    json_object_put(id);
    json_object_put(vals);
    json_object_put(ids);
    json_object_put(companies);
    odoo_close(p);
    odoo_rpc_error_clear(&err);
    return doc;
}
