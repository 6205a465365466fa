/* odoo-mock — model and field definitions. */
#include "schema.h"

#include <string.h>

const char *const OM_SEL_LANG[] = {"en_US", "English (US)", NULL};
const char *const OM_SEL_TZ[] = {
    "Europe/Brussels", "Europe/Brussels", "Europe/Paris", "Europe/Paris",
    "Europe/London", "Europe/London", "Europe/Berlin", "Europe/Berlin",
    "America/New_York", "America/New_York", "America/Chicago", "America/Chicago",
    "America/Los_Angeles", "America/Los_Angeles", "America/Sao_Paulo", "America/Sao_Paulo",
    "Asia/Tokyo", "Asia/Tokyo", "Asia/Kolkata", "Asia/Kolkata",
    "Australia/Sydney", "Australia/Sydney", "UTC", "UTC", NULL};
static const char *const SEL_PARTNER_TYPE[] = {"contact", "Contact", "invoice", "Invoice",
                                               "delivery", "Delivery", "other", "Other", NULL};
static const char *const SEL_COMPANY_TYPE[] = {"person", "Individual", "company", "Company",
                                               NULL};
static const char *const SEL_POSITION[] = {"after", "After Amount", "before", "Before Amount",
                                           NULL};
static const char *const SEL_DIRECTION[] = {"ltr", "Left-to-Right", "rtl", "Right-to-Left",
                                            NULL};
static const char *const SEL_WEEK_START[] = {"1", "Monday", "2", "Tuesday", "3", "Wednesday",
                                             "4", "Thursday", "5", "Friday", "6", "Saturday",
                                             "7", "Sunday", NULL};
static const char *const SEL_ATT_TYPE[] = {"url", "URL", "binary", "File", NULL};

#define F_ID {"id", "ID", FT_INTEGER, FF_READONLY | FF_COMPUTED, 0, 0, 0, C_ID, 0}
#define F_DISPLAY_NAME                                                                      \
    {"display_name", "Display Name", FT_CHAR, FF_READONLY | FF_COMPUTED, 0, 0, 0, \
     C_DISPLAY_NAME, 0}
#define F_META                                                                               \
    {"create_uid", "Created by", FT_MANY2ONE, FF_READONLY, "res.users", 0, 0, 0, 0},        \
        {"create_date", "Created on", FT_DATETIME, FF_READONLY, 0, 0, 0, 0, 0},              \
        {"write_uid", "Last Updated by", FT_MANY2ONE, FF_READONLY, "res.users", 0, 0, 0, 0}, \
        {"write_date", "Last Updated on", FT_DATETIME, FF_READONLY, 0, 0, 0, 0, 0}

static const field_def PARTNER_FIELDS[] = {
    F_ID,
    F_DISPLAY_NAME,
    {"name", "Name", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"complete_name", "Complete Name", FT_CHAR, FF_READONLY | FF_COMPUTED, 0, 0, 0,
     C_COMPLETE_NAME, 0},
    {"parent_id", "Related Company", FT_MANY2ONE, 0, "res.partner", 0, 0, 0, 0},
    {"child_ids", "Contact", FT_ONE2MANY, FF_COMPUTED, "res.partner", "parent_id", 0, C_INVERSE,
     0},
    {"ref", "Reference", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"lang", "Language", FT_SELECTION, 0, 0, 0, OM_SEL_LANG, 0,
     "All the emails and documents sent to this contact will be translated in this language."},
    {"tz", "Timezone", FT_SELECTION, 0, 0, 0, OM_SEL_TZ, 0, 0},
    {"user_id", "Salesperson", FT_MANY2ONE, 0, "res.users", 0, 0, 0,
     "The internal user in charge of this contact."},
    {"vat", "Tax ID", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"website", "Website Link", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"comment", "Notes", FT_HTML, 0, 0, 0, 0, 0, 0},
    {"active", "Active", FT_BOOLEAN, 0, 0, 0, 0, 0, 0},
    {"function", "Job Position", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"type", "Address Type", FT_SELECTION, 0, 0, 0, SEL_PARTNER_TYPE, 0, 0},
    {"street", "Street", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"street2", "Street2", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"zip", "Zip", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"city", "City", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"country_id", "Country", FT_MANY2ONE, 0, "res.country", 0, 0, 0, 0},
    {"partner_latitude", "Geo Latitude", FT_FLOAT, 0, 0, 0, 0, 0, 0},
    {"partner_longitude", "Geo Longitude", FT_FLOAT, 0, 0, 0, 0, 0, 0},
    {"email", "Email", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"phone", "Phone", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"is_company", "Is a Company", FT_BOOLEAN, 0, 0, 0, 0, 0,
     "Check if the contact is a company, otherwise it is a person"},
    {"company_type", "Company Type", FT_SELECTION, FF_COMPUTED, 0, 0, SEL_COMPANY_TYPE,
     C_COMPANY_TYPE, 0},
    {"company_id", "Company", FT_MANY2ONE, 0, "res.company", 0, 0, 0, 0},
    {"color", "Color Index", FT_INTEGER, 0, 0, 0, 0, 0, 0},
    {"user_ids", "Users", FT_ONE2MANY, FF_COMPUTED, "res.users", "partner_id", 0, C_INVERSE, 0},
    {"date", "Date", FT_DATE, 0, 0, 0, 0, 0, 0},
    {"x_notes", "Notes (text)", FT_TEXT, 0, 0, 0, 0, 0, "Custom plain-text field of the mock."},
    {"image_1920", "Image", FT_BINARY, 0, 0, 0, 0, 0, 0},
    {"image_128", "Image 128", FT_BINARY, FF_READONLY | FF_COMPUTED | FF_NOSEARCH, 0, 0, 0,
     C_IMAGE_128, 0},
    F_META,
};

static const field_def USERS_FIELDS[] = {
    F_ID,
    F_DISPLAY_NAME,
    {"name", "Name", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"login", "Login", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, "Used to log into the system"},
    {"password", "Password", FT_CHAR, FF_WRITEONLY | FF_NOSEARCH, 0, 0, 0, 0, 0},
    {"partner_id", "Related Partner", FT_MANY2ONE, FF_REQUIRED, "res.partner", 0, 0, 0, 0},
    {"company_id", "Company", FT_MANY2ONE, FF_REQUIRED, "res.company", 0, 0, 0, 0},
    {"active", "Active", FT_BOOLEAN, 0, 0, 0, 0, 0, 0},
    {"share", "Share User", FT_BOOLEAN, FF_READONLY, 0, 0, 0, 0, 0},
    {"email", "Email", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"lang", "Language", FT_SELECTION, 0, 0, 0, OM_SEL_LANG, 0, 0},
    {"tz", "Timezone", FT_SELECTION, 0, 0, 0, OM_SEL_TZ, 0, 0},
    {"signature", "Email Signature", FT_HTML, 0, 0, 0, 0, 0, 0},
    {"login_date", "Latest authentication", FT_DATETIME, FF_READONLY, 0, 0, 0, 0, 0},
    {"x_sec_gen", "Security generation", FT_INTEGER, FF_HIDDEN, 0, 0, 0, 0, 0},
    {"x_is_admin", "Administrator", FT_BOOLEAN, FF_HIDDEN, 0, 0, 0, 0, 0},
    F_META,
};

static const field_def COUNTRY_FIELDS[] = {
    F_ID,
    F_DISPLAY_NAME,
    {"name", "Country Name", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, "The full name of the country."},
    {"code", "Country Code", FT_CHAR, 0, 0, 0, 0, 0,
     "The ISO country code in two chars. You can use this field for quick search."},
    {"phone_code", "Country Calling Code", FT_INTEGER, 0, 0, 0, 0, 0, 0},
    {"currency_id", "Currency", FT_MANY2ONE, 0, "res.currency", 0, 0, 0, 0},
    F_META,
};

static const field_def CURRENCY_FIELDS[] = {
    F_ID,
    F_DISPLAY_NAME,
    {"name", "Currency", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, "Currency Code (ISO 4217)"},
    {"full_name", "Name", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"symbol", "Symbol", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"rate", "Current Rate", FT_FLOAT, FF_READONLY, 0, 0, 0, 0, 0},
    {"rounding", "Rounding Factor", FT_FLOAT, 0, 0, 0, 0, 0, 0},
    {"decimal_places", "Decimal Places", FT_INTEGER, FF_READONLY, 0, 0, 0, 0, 0},
    {"active", "Active", FT_BOOLEAN, 0, 0, 0, 0, 0, 0},
    {"position", "Symbol Position", FT_SELECTION, 0, 0, 0, SEL_POSITION, 0, 0},
    {"date", "Date", FT_DATE, FF_READONLY, 0, 0, 0, 0, 0},
    {"currency_unit_label", "Currency Unit", FT_CHAR, 0, 0, 0, 0, 0, 0},
    F_META,
};

static const field_def COMPANY_FIELDS[] = {
    F_ID,
    F_DISPLAY_NAME,
    {"name", "Company Name", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"sequence", "Sequence", FT_INTEGER, 0, 0, 0, 0, 0, 0},
    {"parent_id", "Parent Company", FT_MANY2ONE, 0, "res.company", 0, 0, 0, 0},
    {"child_ids", "Branches", FT_ONE2MANY, FF_COMPUTED, "res.company", "parent_id", 0, C_INVERSE,
     0},
    {"partner_id", "Partner", FT_MANY2ONE, FF_REQUIRED, "res.partner", 0, 0, 0, 0},
    {"currency_id", "Currency", FT_MANY2ONE, FF_REQUIRED, "res.currency", 0, 0, 0, 0},
    {"email", "Email", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"phone", "Phone", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"country_id", "Country", FT_MANY2ONE, 0, "res.country", 0, 0, 0, 0},
    {"active", "Active", FT_BOOLEAN, 0, 0, 0, 0, 0, 0},
    F_META,
};

static const field_def LANG_FIELDS[] = {
    F_ID,
    F_DISPLAY_NAME,
    {"name", "Name", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"code", "Locale Code", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"iso_code", "ISO code", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"url_code", "URL Code", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"active", "Active", FT_BOOLEAN, 0, 0, 0, 0, 0, 0},
    {"direction", "Direction", FT_SELECTION, FF_REQUIRED, 0, 0, SEL_DIRECTION, 0, 0},
    {"date_format", "Date Format", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"time_format", "Time Format", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"week_start", "First Day of Week", FT_SELECTION, FF_REQUIRED, 0, 0, SEL_WEEK_START, 0, 0},
    {"grouping", "Separator Format", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"decimal_point", "Decimal Separator", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"thousands_sep", "Thousands Separator", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"flag_image", "Image", FT_BINARY, 0, 0, 0, 0, 0, 0},
    {"flag_image_url", "Flag Image Url", FT_CHAR, FF_READONLY, 0, 0, 0, 0, 0},
    F_META,
};

static const field_def ATTACHMENT_FIELDS[] = {
    F_ID,
    F_DISPLAY_NAME,
    {"name", "Name", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"description", "Description", FT_TEXT, 0, 0, 0, 0, 0, 0},
    {"res_model", "Resource Model", FT_CHAR, 0, 0, 0, 0, 0,
     "The database object this attachment will be attached to."},
    {"res_field", "Resource Field", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"res_id", "Resource ID", FT_M2O_REFERENCE, 0, 0, 0, 0, 0,
     "The record id this is attached to."},
    {"company_id", "Company", FT_MANY2ONE, 0, "res.company", 0, 0, 0, 0},
    {"type", "Type", FT_SELECTION, FF_REQUIRED, 0, 0, SEL_ATT_TYPE, 0, 0},
    {"url", "Url", FT_CHAR, 0, 0, 0, 0, 0, 0},
    {"public", "Is public document", FT_BOOLEAN, 0, 0, 0, 0, 0, 0},
    {"datas", "File Content (base64)", FT_BINARY, 0, 0, 0, 0, 0, 0},
    {"file_size", "File Size", FT_INTEGER, FF_READONLY, 0, 0, 0, 0, 0},
    {"checksum", "Checksum/SHA1", FT_CHAR, FF_READONLY, 0, 0, 0, 0, 0},
    {"mimetype", "Mime Type", FT_CHAR, 0, 0, 0, 0, 0, 0},
    F_META,
};

static const field_def CONFIG_PARAM_FIELDS[] = {
    F_ID,
    F_DISPLAY_NAME,
    {"key", "Key", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"value", "Value", FT_TEXT, FF_REQUIRED, 0, 0, 0, 0, 0},
    F_META,
};

/* External IDs (module.name -> model, res_id), what env.ref() reads. */
static const field_def MODEL_DATA_FIELDS[] = {
    F_ID,
    F_DISPLAY_NAME,
    {"name", "External Identifier", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"module", "Module", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"model", "Model Name", FT_CHAR, FF_REQUIRED, 0, 0, 0, 0, 0},
    {"res_id", "Record ID", FT_M2O_REFERENCE, 0, 0, 0, 0, 0, 0},
    {"noupdate", "Non Updatable", FT_BOOLEAN, 0, 0, 0, 0, 0, 0},
    F_META,
};

#define NF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const model_def M_PARTNER = {
    "res.partner", "Contact", PARTNER_FIELDS, NF(PARTNER_FIELDS), "complete_name asc, id desc",
    "name", ACC_READ, "Contact Creation", "Extra Rights/Contact Creation", "ResPartner",
    "Partner"};
static const model_def M_USERS = {"res.users", "User", USERS_FIELDS, NF(USERS_FIELDS),
                                  "name, login", "name", ACC_READ, "Access Rights",
                                  "Administration/Access Rights", "ResUsers", "Users"};
static const model_def M_COUNTRY = {"res.country", "Country", COUNTRY_FIELDS,
                                    NF(COUNTRY_FIELDS), "name", "name", ACC_READ,
                                    "Role / Administrator", "Administration/Settings",
                                    "ResCountry", "Country"};
static const model_def M_CURRENCY = {"res.currency", "Currency", CURRENCY_FIELDS,
                                     NF(CURRENCY_FIELDS), "active desc, name", "name", ACC_READ,
                                     "Role / Administrator", "Administration/Settings",
                                     "ResCurrency", "Currency"};
static const model_def M_COMPANY = {"res.company", "Companies", COMPANY_FIELDS,
                                    NF(COMPANY_FIELDS), "sequence, name", "name", ACC_READ,
                                    "Role / Administrator", "Administration/Settings",
                                    "ResCompany", "Company"};
static const model_def M_LANG = {"res.lang", "Languages", LANG_FIELDS, NF(LANG_FIELDS),
                                 "active desc, name", "name", ACC_READ, "Role / Administrator",
                                 "Administration/Settings", "ResLang", "Lang"};
static const model_def M_ATTACHMENT = {"ir.attachment", "Attachment", ATTACHMENT_FIELDS,
                                       NF(ATTACHMENT_FIELDS), "id desc", "name", ACC_ALL,
                                       "Role / User", "User types/Internal User", "IrAttachment",
                                       "IrAttachment"};
static const model_def M_CONFIG = {"ir.config_parameter", "System Parameter",
                                   CONFIG_PARAM_FIELDS, NF(CONFIG_PARAM_FIELDS), "key", "key", 0,
                                   "Role / Administrator", "Administration/Settings",
                                   "IrConfigParameter", "IrConfigParameter"};

/* Readable by every internal user, as in Odoo (base's group_user ACL). */
static const model_def M_MODEL_DATA = {"ir.model.data", "Model Data", MODEL_DATA_FIELDS,
                                       NF(MODEL_DATA_FIELDS), "module, model, name", "name", ACC_READ,
                                       "Role / Administrator", "Administration/Settings", "IrModelData",
                                       "IrModelData"};

const model_def *const OM_SCHEMA_MODELS[] = {&M_PARTNER, &M_USERS, &M_COUNTRY, &M_CURRENCY,
                                          &M_COMPANY, &M_LANG, &M_ATTACHMENT, &M_CONFIG,
                                          &M_MODEL_DATA};
const int OM_SCHEMA_NMODELS = NF(OM_SCHEMA_MODELS);

const model_def *om_schema_model(const char *name)
{
    for (int i = 0; i < OM_SCHEMA_NMODELS; i++)
        if (!strcmp(OM_SCHEMA_MODELS[i]->name, name))
            return OM_SCHEMA_MODELS[i];
    return NULL;
}

int om_schema_field_index(const model_def *m, const char *name)
{
    for (int i = 0; i < m->nfields; i++)
        if (!strcmp(m->fields[i].name, name))
            return (m->fields[i].flags & FF_HIDDEN) ? -1 : i;
    return -1;
}

int om_schema_field_index_raw(const model_def *m, const char *name)
{
    for (int i = 0; i < m->nfields; i++)
        if (!strcmp(m->fields[i].name, name))
            return i;
    return -1;
}

const char *om_ftype_name(ftype t)
{
    switch (t) {
    case FT_CHAR: return "char";
    case FT_TEXT: return "text";
    case FT_HTML: return "html";
    case FT_SELECTION: return "selection";
    case FT_BOOLEAN: return "boolean";
    case FT_INTEGER: return "integer";
    case FT_FLOAT: return "float";
    case FT_MONETARY: return "monetary";
    case FT_DATE: return "date";
    case FT_DATETIME: return "datetime";
    case FT_BINARY: return "binary";
    case FT_MANY2ONE: return "many2one";
    case FT_ONE2MANY: return "one2many";
    case FT_MANY2MANY: return "many2many";
    case FT_M2O_REFERENCE: return "many2one_reference";
    }
    return "char";
}

int om_ftype_is_relational(ftype t)
{
    return t == FT_MANY2ONE || t == FT_ONE2MANY || t == FT_MANY2MANY;
}

int om_ftype_is_stringy(ftype t)
{
    return t == FT_CHAR || t == FT_TEXT || t == FT_HTML || t == FT_SELECTION || t == FT_DATE ||
           t == FT_DATETIME || t == FT_BINARY;
}
