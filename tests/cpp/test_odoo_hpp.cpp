// odoo.hpp against odoo-mock: RAII connection and values, domains from
// Python text, create/write/unlink, ref, and Odoo errors as exceptions.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <odoo.hpp>
#include <odoo_mock.h>

static int failures = 0;
#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            std::fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            failures++;                                                                \
        }                                                                              \
    } while (0)

static std::string dsn(odoo_mock *m, const char *secret, const char *query)
{
    return std::string("http://admin:") + secret + "@" + (odoo_mock_url(m) + 7) + "/" + odoo_mock_db(m) + "?" + query;
}

int main()
{
    odoo_mock *m = nullptr;
    odoo_mock_config cfg = odoo_mock_config();
    cfg.quiet = 1;
    if (odoo_mock_start(&m, &cfg) != 0) {
        std::fprintf(stderr, "odoo-mock did not start\n");
        return 1;
    }
    {
        // values: copies share, moves transfer, parse takes Python literals
        odoo::value ctx = odoo::value::parse("{'lang': 'en_US', 'active_test': False}");
        odoo::value copy = ctx;
        CHECK(copy.get() == ctx.get());
        odoo::value moved = std::move(copy);
        CHECK(copy.is_null() && moved.get() == ctx.get());
        CHECK(ctx.str() == "{\"lang\":\"en_US\",\"active_test\":false}");
        CHECK(ctx["lang"].as_string() == "en_US");
        bool threw = false;
        try {
            odoo::domain("[('a', '=')]");
        } catch (const odoo::error &e) {
            threw = e.kind() == ODOO_ERR_INVALID_ARGUMENT && std::strstr(e.what(), "offset 1");
        }
        CHECK(threw);

        const char *const queries[] = {"protocol=json2", "protocol=xmlrpc", "protocol=jsonrpc-stateless&auth=key"};
        for (const char *q : queries) {
            odoo::connection c(dsn(m, ODOO_MOCK_ADMIN_API_KEY, q));
            odoo::value rows = c.search_read("res.partner", "[('id', '=', 1)]", {"name"});
            CHECK(rows.str() == "[{\"id\":1,\"name\":\"YourCompany\"}]");
            CHECK(c.ref("base.main_company") == 1);

            odoo::value vals = odoo::value::object();
            CHECK(odoo_vals_set_string(vals.get(), "name", "C++ partner") == 0);
            int64_t id = c.create("res.partner", vals);
            CHECK(id > 0);
            odoo::value upd = odoo::value::object();
            odoo_vals_set_string(upd.get(), "email", "cpp@example.com");
            c.write("res.partner", {id}, upd);
            odoo::value back = c.search_read("res.partner", odoo::domain("[('id', '=', " + std::to_string(id) + ")]"),
                                             {"email"});
            CHECK(back.size() == 1 && back[static_cast<size_t>(0)]["email"].as_string() == "cpp@example.com");
            c.unlink("res.partner", {id});
            CHECK(c.search_read("res.partner", "[('id', '=', " + std::to_string(id) + ")]").size() == 0);

            // a business error, caught portably
            bool business = false;
            try {
                odoo::value bad = odoo::value::parse("{'parent_id': 1}");
                c.write("res.partner", {1}, bad);
            } catch (const odoo::business_error &e) {
                business = e.business() && e.model() == "res.partner";
            }
            CHECK(business);
            bool missing = false;
            try {
                c.ref("base.nope");
            } catch (const odoo::business_error &e) {
                missing = e.kind() == ODOO_ERR_MISSING;
            }
            CHECK(missing);
            odoo::connection other = std::move(c); // moved: only one close
            CHECK(c.get() == nullptr && other.get() != nullptr);
        }
        // a refused DSN: an odoo::error, not business, without the secret
        bool refused = false;
        try {
            odoo::connection bad("http://admin:SECRET@127.0.0.1:1/db?bogus=1");
        } catch (const odoo::error &e) {
            refused = !e.business() && !std::strstr(e.what(), "SECRET");
        }
        CHECK(refused);
    }
    odoo_mock_stop(m);
    if (failures)
        std::fprintf(stderr, "%d check(s) failed\n", failures);
    else
        std::printf("odoo.hpp: all checks passed\n");
    return failures ? 1 : 0;
}
