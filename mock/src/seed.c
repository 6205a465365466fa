/* odoo-mock — deterministic initial data. */
#include "seed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASE_TIME 1735722000LL /* 2025-01-01 09:00:00 UTC */

static const char PNG_1x1[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

static const char *const ADJ[] = {"Azure", "Amber", "Bright", "Cedar", "Copper", "Crystal",
                                  "Delta", "Emerald", "Falcon", "Granite", "Harbor", "Iron",
                                  "Juniper", "Lumen", "Maple", "Nimbus", "Oak", "Polar",
                                  "Quartz", "Redwood", "Silver", "Summit", "Willow", "Zenith"};
static const char *const NOUN[] = {"Interiors", "Furniture", "Logistics", "Systems", "Foods",
                                   "Textiles", "Consulting", "Labs", "Motors", "Energy",
                                   "Studios", "Supplies"};
static const char *const FIRST[] = {"Alice", "Bruno", "Chloe", "David", "Emma", "Farid",
                                    "Grace", "Hugo", "Ines", "Jonas", "Karin", "Liam",
                                    "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa",
                                    "Samir", "Tara", "Umar", "Vera", "Wout", "Yara"};
static const char *const LAST[] = {"Adams", "Bakker", "Costa", "Dubois", "Evans", "Fischer",
                                   "Garcia", "Hansen", "Ito", "Jansen", "Kowalski", "Lambert",
                                   "Martin", "Nakamura", "Olsen", "Peeters", "Rossi", "Schmidt",
                                   "Tanaka", "Weber"};
static const char *const STREETS[] = {"Main Street", "Rue de la Loi", "Harbour Road",
                                      "Kerkstraat", "Market Square", "Oak Avenue",
                                      "Station Road", "Avenue Louise", "Mill Lane", "Park Row"};
static const char *const CITIES[] = {"Brussels", "Antwerp", "Paris", "Lyon", "Berlin",
                                     "Hamburg", "London", "Amsterdam", "Madrid", "New York",
                                     "Chicago", "Toronto", "Tokyo", "San Francisco"};
static const char *const CCODES[] = {"BE", "BE", "US", "US", "FR", "DE", "GB", "NL", "ES",
                                     "IT", "CA", "JP", "SM", "CH", "IN", "BR"};
static const char *const FUNCS[] = {"Sales Manager", "Accountant", "CEO", "Purchaser",
                                    "Engineer", "Office Manager", "Consultant", "Designer"};
static const char *const TZS[] = {"Europe/Brussels", "Europe/Paris", "America/New_York",
                                  "Asia/Tokyo"};

#define NA(a) ((int)(sizeof(a) / sizeof((a)[0])))

int om_seed_limited_uid(int version)
{
    return version >= 19 ? 7 : 8;
}

static int country_id(const char *code)
{
    for (int i = 0; i < OM_NCOUNTRIES; i++)
        if (!strcmp(OM_COUNTRIES[i].code, code))
            return i + 1;
    return 0;
}

static void set_s(model *m, record *r, const char *field, const char *v)
{
    int f = om_schema_field_index_raw(m->def, field);
    if (f >= 0)
        om_rec_set_str(m, r, f, v);
}

static void set_i(model *m, record *r, const char *field, int64_t v)
{
    int f = om_schema_field_index_raw(m->def, field);
    if (f >= 0)
        r->c[f].i = v;
}

static void set_f(model *m, record *r, const char *field, double v)
{
    int f = om_schema_field_index_raw(m->def, field);
    if (f >= 0)
        r->c[f].f = v;
}

static void stamp(model *m, record *r, int64_t t)
{
    char buf[20];
    om_fmt_datetime(t, buf);
    set_i(m, r, "create_uid", 1);
    set_i(m, r, "write_uid", 1);
    set_s(m, r, "create_date", buf);
    set_s(m, r, "write_date", buf);
}

typedef struct sys_user {
    const char *name, *login, *password;
    int active, admin, share;
    const char *email;
} sys_user;

static void seed_users_and_partners(store *st, const seed_params *p)
{
    model *users = om_store_model(st, "res.users");
    model *partners = om_store_model(st, "res.partner");
    const int v19 = p->version >= 19;
    sys_user list[9];
    int n = 0;
    list[n++] = (sys_user){v19 ? "System" : "OdooBot", "__system__", NULL, 0, 1, 0, "odoobot@example.com"};
    list[n++] = (sys_user){"Mitchell Admin", "admin", "admin", 1, 1, 0, "admin@yourcompany.example.com"};
    list[n++] = (sys_user){"Public user", "public", NULL, 0, 0, 1, NULL};
    if (!v19)
        list[n++] = (sys_user){"Default User Template", "default", NULL, 0, 0, 0, NULL};
    list[n++] = (sys_user){"Portal User Template", "portaltemplate", NULL, 0, 0, 1, NULL};
    list[n++] = (sys_user){"Marc Demo", "demo", "demo", 1, 0, 0, "mark.brown23@example.com"};
    list[n++] = (sys_user){"Joel Willis", "portal", "portal", 1, 0, 1, "joel.willis63@example.com"};
    list[n++] = (sys_user){"Limited User", "limited", "limited", 1, 0, 0, "limited@example.com"};

    /* partner 1 is the company's */
    record *cp = om_model_add(partners, 1);
    set_s(partners, cp, "name", "YourCompany");
    set_i(partners, cp, "is_company", 1);
    set_i(partners, cp, "active", 1);
    set_s(partners, cp, "type", "contact");
    set_s(partners, cp, "email", "info@yourcompany.com");
    set_s(partners, cp, "phone", "+1 555-555-5556");
    set_s(partners, cp, "street", "250 Executive Park Blvd, Suite 3400");
    set_s(partners, cp, "city", "San Francisco");
    set_s(partners, cp, "zip", "94134");
    set_s(partners, cp, "website", "http://www.example.com");
    set_i(partners, cp, "country_id", country_id("US"));
    set_i(partners, cp, "company_id", 1);
    set_s(partners, cp, "lang", "en_US");
    set_s(partners, cp, "image_1920", PNG_1x1);
    stamp(partners, cp, BASE_TIME);

    for (int i = 0; i < n; i++) {
        int uid = i + 1, pid = i + 2;
        record *pr = om_model_add(partners, pid);
        set_s(partners, pr, "name", list[i].name);
        set_i(partners, pr, "active", list[i].active);
        set_s(partners, pr, "type", "contact");
        set_s(partners, pr, "lang", "en_US");
        set_s(partners, pr, "tz", "Europe/Brussels");
        set_i(partners, pr, "country_id", country_id("US"));
        if (list[i].email)
            set_s(partners, pr, "email", list[i].email);
        if (uid == 2) { /* "YourCompany, Mitchell Admin" */
            set_i(partners, pr, "parent_id", 1);
            set_i(partners, pr, "company_id", 1);
        }
        stamp(partners, pr, BASE_TIME + uid);

        record *u = om_model_add(users, uid);
        set_s(users, u, "name", list[i].name);
        set_s(users, u, "login", list[i].login);
        if (list[i].password)
            set_s(users, u, "password", list[i].password);
        set_i(users, u, "partner_id", pid);
        set_i(users, u, "company_id", 1);
        set_i(users, u, "active", list[i].active);
        set_i(users, u, "share", list[i].share);
        set_i(users, u, "x_is_admin", list[i].admin);
        set_s(users, u, "lang", "en_US");
        set_s(users, u, "tz", "Europe/Brussels");
        if (list[i].email)
            set_s(users, u, "email", list[i].email);
        stamp(users, u, BASE_TIME + uid);
    }

    /* generated partners */
    int first = partners->next_id;
    int last_company = 0;
    char company_name[96] = "";
    for (int i = 0; i < p->partners; i++) {
        uint64_t h = (uint64_t)i * 0x9E3779B97F4A7C15ULL + 12345;
        uint64_t r1 = om_splitmix64(&h), r2 = om_splitmix64(&h), r3 = om_splitmix64(&h);
        int kind = i % 5;
        record *pr = om_model_add(partners, first + i);
        char buf[160], email[160];
        const char *cc = CCODES[r1 % (uint64_t)NA(CCODES)];
        if (kind == 0) {
            int c = i / 5;
            if (c < NA(ADJ) * NA(NOUN))
                snprintf(company_name, sizeof company_name, "%s %s", ADJ[c % NA(ADJ)],
                         NOUN[(c / NA(ADJ)) % NA(NOUN)]);
            else
                snprintf(company_name, sizeof company_name, "%s %s %d", ADJ[c % NA(ADJ)],
                         NOUN[(c / NA(ADJ)) % NA(NOUN)], c / (NA(ADJ) * NA(NOUN)) + 1);
            set_s(partners, pr, "name", company_name);
            set_i(partners, pr, "is_company", 1);
            char slug[96];
            int k = 0;
            for (const char *s = company_name; *s && k < 90; s++)
                if (*s != ' ')
                    slug[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
            slug[k] = '\0';
            snprintf(email, sizeof email, "info@%s.example.com", slug);
            set_s(partners, pr, "email", email);
            snprintf(buf, sizeof buf, "https://www.%s.example.com", slug);
            set_s(partners, pr, "website", buf);
            snprintf(buf, sizeof buf, "C%05d", c + 1);
            set_s(partners, pr, "ref", buf);
            snprintf(buf, sizeof buf, "%s%010llu", cc, (unsigned long long)(r2 % 10000000000ULL));
            set_s(partners, pr, "vat", buf);
            set_s(partners, pr, "image_1920", PNG_1x1);
            if (c % 2 == 0)
                set_i(partners, pr, "user_id", 2);
            last_company = pr->id;
        } else {
            const char *fn = FIRST[r2 % (uint64_t)NA(FIRST)], *ln = LAST[r3 % (uint64_t)NA(LAST)];
            snprintf(buf, sizeof buf, "%s %s", fn, ln);
            set_s(partners, pr, "name", buf);
            snprintf(email, sizeof email, "%s.%s%d@example.com", fn, ln, i);
            for (char *e = email; *e; e++)
                if (*e >= 'A' && *e <= 'Z')
                    *e = (char)(*e + 32);
            set_s(partners, pr, "email", email);
            if (kind != 4 && last_company) {
                set_i(partners, pr, "parent_id", last_company);
                set_s(partners, pr, "function", FUNCS[r1 % (uint64_t)NA(FUNCS)]);
            }
        }
        set_i(partners, pr, "active", i % 29 != 28);
        set_s(partners, pr, "type", kind == 3 ? "invoice" : "contact");
        snprintf(buf, sizeof buf, "%s +%d %03d %04d", cc, 1 + (int)(r1 % 98), (int)(r2 % 1000),
                 (int)(r3 % 10000));
        set_s(partners, pr, "phone", buf + 3);
        snprintf(buf, sizeof buf, "%d %s", 1 + (int)(r3 % 250), STREETS[r2 % (uint64_t)NA(STREETS)]);
        set_s(partners, pr, "street", buf);
        set_s(partners, pr, "city", CITIES[r3 % (uint64_t)NA(CITIES)]);
        snprintf(buf, sizeof buf, "%04d", 1000 + (int)(r1 % 9000));
        set_s(partners, pr, "zip", buf);
        set_i(partners, pr, "country_id", country_id(cc));
        set_f(partners, pr, "partner_latitude", (double)(int64_t)(r1 % 1600000000ULL) / 1e7 - 80.0);
        set_f(partners, pr, "partner_longitude", (double)(int64_t)(r2 % 3400000000ULL) / 1e7 - 170.0);
        set_i(partners, pr, "color", i % 12);
        set_s(partners, pr, "lang", "en_US");
        set_s(partners, pr, "tz", TZS[r3 % (uint64_t)NA(TZS)]);
        if (i % 7 == 3)
            set_s(partners, pr, "comment", "<p>Key account: call before visiting.</p>");
        if (i % 6 == 2)
            set_s(partners, pr, "x_notes", "Met at the trade fair.\nPrefers email.");
        if (i % 3 == 1) {
            snprintf(buf, sizeof buf, "2024-%02d-%02d", 1 + (int)(r1 % 12), 1 + (int)(r2 % 28));
            set_s(partners, pr, "date", buf);
        }
        stamp(partners, pr, BASE_TIME + 3600 + i);
    }
}

void om_seed_store(store *st, const seed_params *p)
{
    /* currencies */
    model *cur = om_store_model(st, "res.currency");
    static const struct {
        const char *name, *full, *symbol, *pos;
        double rate;
        int active;
    } CUR[] = {{"USD", "United States dollar", "$", "before", 1.0, 1},
               {"EUR", "Euro", "€", "after", 0.92, 0},
               {"GBP", "Pound sterling", "£", "before", 0.79, 0},
               {"JPY", "Japanese yen", "¥", "before", 151.6, 0},
               {"CHF", "Swiss franc", "CHF", "after", 0.9, 0}};
    for (int i = 0; i < NA(CUR); i++) {
        record *r = om_model_add(cur, i + 1);
        set_s(cur, r, "name", CUR[i].name);
        set_s(cur, r, "full_name", CUR[i].full);
        set_s(cur, r, "symbol", CUR[i].symbol);
        set_s(cur, r, "position", CUR[i].pos);
        set_f(cur, r, "rate", CUR[i].rate);
        set_f(cur, r, "rounding", strcmp(CUR[i].name, "JPY") ? 0.01 : 1.0);
        set_i(cur, r, "decimal_places", strcmp(CUR[i].name, "JPY") ? 2 : 0);
        set_i(cur, r, "active", CUR[i].active);
        set_s(cur, r, "date", "2010-01-01");
        set_s(cur, r, "currency_unit_label", CUR[i].full);
        stamp(cur, r, BASE_TIME);
    }

    /* countries */
    model *cty = om_store_model(st, "res.country");
    for (int i = 0; i < OM_NCOUNTRIES; i++) {
        record *r = om_model_add(cty, i + 1);
        set_s(cty, r, "name", OM_COUNTRIES[i].name);
        set_s(cty, r, "code", OM_COUNTRIES[i].code);
        set_i(cty, r, "phone_code", OM_COUNTRIES[i].phone);
        if (!strcmp(OM_COUNTRIES[i].code, "US"))
            set_i(cty, r, "currency_id", 1);
        stamp(cty, r, BASE_TIME);
    }

    /* languages: only en_US is installed (active) */
    model *lang = om_store_model(st, "res.lang");
    static const struct {
        const char *name, *code, *iso, *url, *date, *time, *week, *dp, *ts, *flag;
        int active;
    } LANGS[] = {
        {"English (US)", "en_US", "en", "en", "%m/%d/%Y", "%I:%M:%S %p", "7", ".", ",", "us", 1},
        {"French / Français", "fr_FR", "fr", "fr", "%d/%m/%Y", "%H:%M:%S", "1", ",", "\xe2\x80\xaf", "fr", 0},
        {"German / Deutsch", "de_DE", "de", "de", "%d.%m.%Y", "%H:%M:%S", "1", ",", ".", "de", 0},
        {"Dutch (BE) / Nederlands (BE)", "nl_BE", "nl_BE", "nl_BE", "%d-%m-%Y", "%H:%M:%S", "1", ",", ".", "be", 0},
        {"Spanish / Español", "es_ES", "es", "es", "%d/%m/%Y", "%H:%M:%S", "1", ",", ".", "es", 0}};
    for (int i = 0; i < NA(LANGS); i++) {
        record *r = om_model_add(lang, i + 1);
        char flag[96];
        set_s(lang, r, "name", LANGS[i].name);
        set_s(lang, r, "code", LANGS[i].code);
        set_s(lang, r, "iso_code", LANGS[i].iso);
        set_s(lang, r, "url_code", LANGS[i].url);
        set_i(lang, r, "active", LANGS[i].active);
        set_s(lang, r, "direction", "ltr");
        set_s(lang, r, "date_format", LANGS[i].date);
        set_s(lang, r, "time_format", LANGS[i].time);
        set_s(lang, r, "week_start", LANGS[i].week);
        set_s(lang, r, "grouping", "[3,0]");
        set_s(lang, r, "decimal_point", LANGS[i].dp);
        set_s(lang, r, "thousands_sep", LANGS[i].ts);
        snprintf(flag, sizeof flag, "/base/static/img/country_flags/%s.png", LANGS[i].flag);
        set_s(lang, r, "flag_image_url", flag);
        stamp(lang, r, BASE_TIME);
    }

    seed_users_and_partners(st, p);

    /* the company */
    model *comp = om_store_model(st, "res.company");
    record *c = om_model_add(comp, 1);
    set_s(comp, c, "name", "YourCompany");
    set_i(comp, c, "partner_id", 1);
    set_i(comp, c, "currency_id", 1);
    set_s(comp, c, "email", "info@yourcompany.com");
    set_s(comp, c, "phone", "+1 555-555-5556");
    set_i(comp, c, "country_id", country_id("US"));
    set_i(comp, c, "active", 1);
    stamp(comp, c, BASE_TIME);

    /* system parameters */
    model *icp = om_store_model(st, "ir.config_parameter");
    char uuid[41], date[20];
    om_sha1_hex((const unsigned char *)p->db, strlen(p->db), uuid);
    om_fmt_datetime(BASE_TIME, date);
    const char *kv[][2] = {{"base.login_cooldown_after", "10"},
                           {"base.login_cooldown_duration", "60"},
                           {"database.create_date", date},
                           {"database.uuid", uuid},
                           {"web.base.url", p->base_url ? p->base_url : "http://127.0.0.1"}};
    for (int i = 0; i < NA(kv); i++) {
        record *r = om_model_add(icp, i + 1);
        set_s(icp, r, "key", kv[i][0]);
        set_s(icp, r, "value", kv[i][1]);
        stamp(icp, r, BASE_TIME);
    }

    /* external IDs of the records above (a few of base's, and one per
     * currency and country, named as base names them: base.USD, base.be) */
    model *imd = om_store_model(st, "ir.model.data");
    int next = 1;
    static const struct {
        const char *name, *model;
        int res_id;
    } XMLIDS[] = {{"main_company", "res.company", 1}, {"main_partner", "res.partner", 1},
                  {"user_root", "res.users", 1},     {"user_admin", "res.users", 2},
                  {"partner_root", "res.partner", 2}, {"partner_admin", "res.partner", 3},
                  {"lang_en", "res.lang", 1}};
    for (int i = 0; i < NA(XMLIDS); i++) {
        record *r = om_model_add(imd, next++);
        set_s(imd, r, "module", "base");
        set_s(imd, r, "name", XMLIDS[i].name);
        set_s(imd, r, "model", XMLIDS[i].model);
        set_i(imd, r, "res_id", XMLIDS[i].res_id);
        set_i(imd, r, "noupdate", 1);
        stamp(imd, r, BASE_TIME);
    }
    for (int i = 0; i < NA(CUR); i++) {
        record *r = om_model_add(imd, next++);
        set_s(imd, r, "module", "base");
        set_s(imd, r, "name", CUR[i].name);
        set_s(imd, r, "model", "res.currency");
        set_i(imd, r, "res_id", i + 1);
        stamp(imd, r, BASE_TIME);
    }
    for (int i = 0; i < OM_NCOUNTRIES; i++) {
        char name[8];
        snprintf(name, sizeof name, "%s", OM_COUNTRIES[i].code);
        for (char *c = name; *c; c++)
            *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
        record *r = om_model_add(imd, next++);
        set_s(imd, r, "module", "base");
        set_s(imd, r, "name", name);
        set_s(imd, r, "model", "res.country");
        set_i(imd, r, "res_id", i + 1);
        stamp(imd, r, BASE_TIME);
    }
}
