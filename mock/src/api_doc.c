/* odoo-mock — api_doc documents. Parameter names, order, defaults and the
 * @api.model flag come from the ORM's own method table (orm.c), so the
 * document cannot name a parameter the mock would refuse; what Odoo
 * knows beyond the signature (@api.readonly, where the method is
 * defined, the return annotation) is in DOCS below, copied from the
 * real 19 documents (tests/fixtures/odoo19/json2-doc). */
#include "api_doc.h"

#include <stdlib.h>
#include <string.h>

#include "orm_internal.h"
#include "pyjson.h"

#define API_READONLY 1u

typedef struct doc_entry {
    const char *method;
    unsigned api;           /* API_READONLY: @api.readonly */
    const char *def_model;  /* where Odoo defines it: "core" (BaseModel), "base", "res.partner" */
    const char *def_module; /* its module: "core", "web", "base" */
    const char *ret;        /* return annotation, NULL = none in Odoo's source */
    const char *doc;        /* one paragraph, the mock's own words */
} doc_entry;

static const doc_entry DOCS[] = {
    {"action_archive", 0, "core", "core", NULL, "Set <tt>active</tt> to False on the active records."},
    {"action_unarchive", 0, "core", "core", NULL, "Set <tt>active</tt> to True on the archived records."},
    {"address_get", 0, "res.partner", "base", NULL,
     "For each wanted address type, the first contact of that type found among the partner's "
     "descendants then ancestors, within its company; the contact or the partner itself "
     "otherwise."},
    {"context_get", 0, "res.users", "base", NULL, "The context of the current user (lang, tz, uid)."},
    {"create", 0, "core", "core", "list[int]", "Create records from a list of dictionaries of field values."},
    {"default_get", 0, "core", "core", "ValuesType", "Default values of the given fields."},
    {"fields_get", 0, "core", "core", "dict[str, ValuesType]", "The definition of each field."},
    {"formatted_read_group", API_READONLY, "base", "web", "list[dict]",
     "Group the records matching the domain and aggregate their values."},
    {"name_create", 0, "core", "core", "tuple[int, str] | typing.Literal[False]",
     "Create a record from its display name only."},
    {"name_search", API_READONLY, "core", "core", "list[tuple[int, str]]",
     "Records whose display name matches name, as (id, display name) pairs."},
    {"read", API_READONLY, "core", "core", "list[ValuesType]", "Read the given fields of the records."},
    {"search", API_READONLY, "core", "core", "list[int]", "The ids of the records matching the domain."},
    {"search_count", API_READONLY, "core", "core", "int", "The number of records matching the domain."},
    {"search_read", API_READONLY, "core", "core", "list[ValuesType]",
     "Search, then read the given fields of the records found."},
    {"unlink", 0, "core", "core", "typing.Literal[True]", "Delete the records."},
    {"write", 0, "core", "core", "typing.Literal[True]", "Update the records with the given values."},
};

/* ORM methods the real 19 documents do not list (Odoo hides them from
 * api_doc although they can still be called), so neither does the mock. */
static const char *const UNDOCUMENTED[] = {"read_group", "exists", NULL};

/* modules installed in the recorded 19 lab that the mock stands for */
static const char *const MODULES[] = {"base", "rpc", "web", "api_doc", NULL};

static const doc_entry *doc_entry_of(const char *method)
{
    for (size_t i = 0; i < sizeof DOCS / sizeof DOCS[0]; i++)
        if (!strcmp(DOCS[i].method, method))
            return &DOCS[i];
    return NULL;
}

int om_doc_is_documented(const char *method)
{
    return doc_entry_of(method) != NULL;
}

int om_doc_is_undocumented(const char *method)
{
    for (int i = 0; UNDOCUMENTED[i]; i++)
        if (!strcmp(UNDOCUMENTED[i], method))
            return 1;
    return 0;
}

/* Python repr of a default: Odoo's sequence defaults are tuples (a list
 * default would be shared between calls), which JSON turns into []. */
static void default_repr(strbuf *sb, json_object *v)
{
    if (json_object_get_type(v) == json_type_array && json_object_array_length(v) == 0)
        om_sb_adds(sb, "()");
    else
        om_py_repr(sb, v);
}

/* "(domain, offset=0, limit=None, order=None) -> list[int]"; api_doc
 * writes **kwargs by its bare name. */
static char *signature(const orm_sig *sig, const doc_entry *d)
{
    strbuf sb;
    om_sb_init(&sb);
    om_sb_addc(&sb, '(');
    for (int i = 0; i < sig->np; i++) {
        om_sb_addf(&sb, "%s%s", i ? ", " : "", sig->names[i]);
        if (sig->defs[i]) {
            json_object *v = json_tokener_parse(sig->defs[i]);
            om_sb_addc(&sb, '=');
            default_repr(&sb, v);
            json_object_put(v);
        }
    }
    if (sig->varkw)
        om_sb_addf(&sb, "%s%s", sig->np ? ", " : "", sig->varkw);
    om_sb_addc(&sb, ')');
    if (d->ret)
        om_sb_addf(&sb, " -> %s", d->ret);
    return om_sb_detach(&sb, NULL);
}

/* {"name": {"default": ...} | {}, "kwargs": {"kind": "VAR_KEYWORD"}},
 * in declaration order */
static json_object *parameters(const orm_sig *sig)
{
    json_object *o = json_object_new_object();
    for (int i = 0; i < sig->np; i++) {
        json_object *p = json_object_new_object();
        if (sig->defs[i])
            json_object_object_add(p, "default", json_tokener_parse(sig->defs[i]));
        json_object_object_add(o, sig->names[i], p);
    }
    if (sig->varkw) {
        json_object *p = json_object_new_object();
        json_object_object_add(p, "kind", json_object_new_string("VAR_KEYWORD"));
        json_object_object_add(o, sig->varkw, p);
    }
    return o;
}

static json_object *api_flags(const orm_sig *sig, const doc_entry *d)
{
    if (!sig->api_model && !(d->api & API_READONLY))
        return NULL;
    json_object *a = json_object_new_array();
    if (sig->api_model)
        json_object_array_add(a, json_object_new_string("model"));
    if (d->api & API_READONLY)
        json_object_array_add(a, json_object_new_string("readonly"));
    return a;
}

/* Keys in the real document's order: signature, parameters, return, api,
 * doc, model, module. */
static json_object *describe_method(const orm_sig *sig, const doc_entry *d)
{
    json_object *o = json_object_new_object();
    char *s = signature(sig, d);
    json_object_object_add(o, "signature", json_object_new_string(s));
    free(s);
    json_object_object_add(o, "parameters", parameters(sig));
    if (d->ret) {
        json_object *r = json_object_new_object();
        json_object_object_add(r, "annotation", json_object_new_string(d->ret));
        json_object_object_add(o, "return", r);
    }
    json_object *api = api_flags(sig, d);
    if (api)
        json_object_object_add(o, "api", api);
    char *html = om_xasprintf("<div class=\"document\">\n\n\n<p>%s</p>\n</div>\n", d->doc);
    json_object_object_add(o, "doc", json_object_new_string(html));
    free(html);
    json_object_object_add(o, "model", json_object_new_string(d->def_model));
    json_object_object_add(o, "module", json_object_new_string(d->def_module));
    return o;
}

/* DOCS is sorted by name, like the real documents' methods. */
static json_object *methods(const store *st, const model *m, int full)
{
    json_object *out = full ? json_object_new_object() : json_object_new_array();
    for (size_t i = 0; i < sizeof DOCS / sizeof DOCS[0]; i++) {
        orm_sig sig;
        if (om_orm_method_sig(st->version, m, DOCS[i].method, &sig))
            continue; /* not on this model (only_model, no `active` field) */
        if (full)
            json_object_object_add(out, DOCS[i].method, describe_method(&sig, &DOCS[i]));
        else
            json_object_array_add(out, json_object_new_string(DOCS[i].method));
    }
    return out;
}

/* Magic fields have no module; the mock's own x_ fields are "manual"
 * fields, which no module defines either. */
static json_object *field_module(const char *name)
{
    if (!strcmp(name, "id") || !strcmp(name, "display_name") || om_str_startswith(name, "x_"))
        return NULL;
    return json_object_new_string("base");
}

static json_object *doc_fields(store *st, model *m)
{
    call_env env;
    memset(&env, 0, sizeof env);
    env.st = st;
    env.version = st->version;
    json_object *f = om_orm_fields_get(&env, m, NULL, NULL);
    json_object_object_foreach(f, name, desc)
        json_object_object_add(desc, "module", field_module(name));
    return f;
}

json_object *om_doc_model(store *st, const char *model_name)
{
    model *m = om_store_model(st, model_name);
    if (!m)
        return NULL;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "model", json_object_new_string(m->def->name));
    json_object_object_add(o, "name", json_object_new_string(m->def->description));
    json_object_object_add(o, "doc", NULL); /* no class docstring on these models */
    json_object_object_add(o, "fields", doc_fields(st, m));
    json_object_object_add(o, "methods", methods(st, m, 1));
    return o;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_field(const void *a, const void *b)
{
    const field_def *x = *(const field_def *const *)a, *y = *(const field_def *const *)b;
    return strcmp(x->name, y->name);
}

/* {"<field>": {"string": ...}} sorted by name, as in the real index */
static json_object *index_fields(const model *m)
{
    const field_def **v = om_xmalloc(((size_t)m->def->nfields + 1) * sizeof *v);
    size_t n = 0;
    for (int i = 0; i < m->def->nfields; i++)
        if (!(m->def->fields[i].flags & FF_HIDDEN))
            v[n++] = &m->def->fields[i];
    qsort(v, n, sizeof *v, cmp_field);
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < n; i++) {
        json_object *f = json_object_new_object();
        json_object_object_add(f, "string", json_object_new_string(v[i]->string));
        json_object_object_add(o, v[i]->name, f);
    }
    free(v);
    return o;
}

json_object *om_doc_index(store *st)
{
    json_object *mods = json_object_new_array();
    for (int i = 0; MODULES[i]; i++)
        json_object_array_add(mods, json_object_new_string(MODULES[i]));
    const char **names = om_xmalloc(((size_t)st->nmodels + 1) * sizeof *names);
    for (int i = 0; i < st->nmodels; i++)
        names[i] = st->models[i].def->name;
    qsort(names, (size_t)st->nmodels, sizeof *names, cmp_str);
    json_object *models = json_object_new_array();
    for (int i = 0; i < st->nmodels; i++) {
        model *m = om_store_model(st, names[i]);
        json_object *e = json_object_new_object();
        json_object_object_add(e, "model", json_object_new_string(m->def->name));
        json_object_object_add(e, "name", json_object_new_string(m->def->description));
        json_object_object_add(e, "fields", index_fields(m));
        json_object_object_add(e, "methods", methods(st, m, 0));
        json_object_array_add(models, e);
    }
    free(names);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "modules", mods);
    json_object_object_add(o, "models", models);
    return o;
}
