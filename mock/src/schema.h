/* odoo-mock — static model and field definitions (what fields_get
 * describes and what the store keeps). */
#ifndef MOCK_SCHEMA_H
#define MOCK_SCHEMA_H

typedef enum ftype {
    FT_CHAR,
    FT_TEXT,
    FT_HTML,
    FT_SELECTION,
    FT_BOOLEAN,
    FT_INTEGER,
    FT_FLOAT,
    FT_MONETARY,
    FT_DATE,
    FT_DATETIME,
    FT_BINARY,
    FT_MANY2ONE,
    FT_ONE2MANY,
    FT_MANY2MANY,
    FT_M2O_REFERENCE, /* ir.attachment.res_id: an integer */
} ftype;

/* field flags */
#define FF_REQUIRED 0x01u
#define FF_READONLY 0x02u
#define FF_COMPUTED 0x04u  /* value computed at read time, not stored */
#define FF_HIDDEN 0x08u    /* internal: invisible to clients */
#define FF_WRITEONLY 0x10u /* reads as "" (res.users.password) */
#define FF_NOSEARCH 0x20u  /* not usable in domains/order */

/* computed fields */
enum {
    C_NONE = 0,
    C_ID,
    C_DISPLAY_NAME,
    C_COMPLETE_NAME,
    C_IMAGE_128,
    C_COMPANY_TYPE,
    C_INVERSE, /* one2many through its inverse many2one */
};

typedef struct field_def {
    const char *name;
    const char *string;
    ftype type;
    unsigned flags;
    const char *relation;               /* comodel of relational fields */
    const char *inverse;                /* one2many: many2one on the comodel */
    const char *const *selection;       /* key, label, key, label, ..., NULL */
    int compute;                        /* C_* */
    const char *help;
} field_def;

/* access bits for the limited user */
#define ACC_READ 1u
#define ACC_WRITE 2u
#define ACC_CREATE 4u
#define ACC_UNLINK 8u
#define ACC_ALL 15u

typedef struct model_def {
    const char *name;        /* "res.partner" */
    const char *description; /* "Contact" */
    const field_def *fields;
    int nfields;
    const char *order;    /* default _order */
    const char *rec_name; /* field behind display_name */
    unsigned limited_access;
    /* group named in AccessError messages for the limited user */
    const char *group19, *group18;
    const char *qualname19, *qualname18; /* Python class name for TypeErrors */
} model_def;

extern const model_def *const OM_SCHEMA_MODELS[];
extern const int OM_SCHEMA_NMODELS;

const model_def *om_schema_model(const char *name);
int om_schema_field_index(const model_def *m, const char *name);     /* -1 for hidden */
int om_schema_field_index_raw(const model_def *m, const char *name); /* includes hidden */
const char *om_ftype_name(ftype t);
int om_ftype_is_relational(ftype t);
int om_ftype_is_stringy(ftype t); /* char-like storage (char *) */

/* Selections shared with seed data. */
extern const char *const OM_SEL_LANG[];
extern const char *const OM_SEL_TZ[];

#endif
