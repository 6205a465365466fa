/* odoo-mock tests — /doc-bearer documents against the 19 recordings.
 *
 * What is compared, and why:
 *  - the top-level keys (exactly the recording's) and, per model, `model`
 *    and `name`: a client finds its model by these;
 *  - every method the mock documents must be documented by Odoo too, with
 *    the same signature text, the same parameter names in the same order,
 *    the same `default` (present or not, equal value), the same `kind`
 *    (VAR_KEYWORD), the same `api` list and the same `model`/`module`:
 *    these are what a client builds JSON-2 calls from;
 *  - every method Odoo documents that the mock does not must be one the
 *    mock cannot run: JSON-2 answers 404 "The method ... does not exist"
 *    (so the mock documents all it runs, on each model);
 *  - the fields both documents have must have the same `type` and
 *    `relation`, and each of the mock's field entries has `module`. The
 *    mock's models keep a subset of Odoo's fields (and a few of their
 *    own), and fields_get attributes are already checked by the
 *    fields_get recordings, so neither set is compared as a whole;
 *  - the index: the mock's modules are among Odoo's, each of its models
 *    is in Odoo's index with the same name, documents only methods Odoo
 *    lists for that model and all of the listed ones it runs, and has
 *    `{"string": ...}` field entries.
 * `doc` texts are not compared: they are the mock's own words. */
#include "doc_compare.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_client.h"

#define MAXKEYS 32

static int fail(char *why, size_t ws, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, ws, fmt, ap);
    va_end(ap);
    return 0;
}

static json_object *get(json_object *o, const char *k)
{
    json_object *v = NULL;
    json_object_object_get_ex(o, k, &v);
    return v;
}

static int has(json_object *o, const char *k)
{
    return json_object_get_type(o) == json_type_object && json_object_object_get_ex(o, k, NULL);
}

static const char *str(json_object *o, const char *k)
{
    json_object *v = get(o, k);
    return json_object_get_type(v) == json_type_string ? json_object_get_string(v) : "";
}

/* the keys of o in order (at most MAXKEYS) */
static int keys_of(json_object *o, const char **out)
{
    int n = 0;
    if (json_object_get_type(o) != json_type_object)
        return 0;
    json_object_object_foreach(o, k, v)
    {
        (void)v;
        if (n < MAXKEYS)
            out[n++] = k;
    }
    return n;
}

/* Does the mock run model.method? Asked over JSON-2 with no arguments:
 * a method it does not have is a 404 "The method '...' does not exist". */
static int mock_runs(const doc_probe *p, const char *model, const char *method)
{
    const char *hdrs[8];
    int n = 0;
    for (int i = 0; p->headers[i] && n < 6; i++)
        hdrs[n++] = p->headers[i];
    hdrs[n++] = "Content-Type: application/json";
    hdrs[n] = NULL;
    char path[256];
    snprintf(path, sizeof path, "/json/2/%s/%s", model, method);
    http_response r;
    http_do(p->port, "POST", path, hdrs, "{}", &r);
    json_object *b = r.error ? NULL : json_tokener_parse(r.body);
    int absent = r.status == 404 && !strncmp(str(b, "message"), "The method '", 12);
    json_object_put(b);
    http_response_free(&r);
    return !absent;
}

static int same_json(json_object *a, json_object *b, const char *k)
{
    return has(a, k) == has(b, k) && json_object_equal(get(a, k), get(b, k));
}

static int compare_params(const char *mname, json_object *rp, json_object *ap, char *why, size_t ws)
{
    const char *rk[MAXKEYS], *ak[MAXKEYS];
    int rn = keys_of(rp, rk), an = keys_of(ap, ak);
    if (rn != an)
        return fail(why, ws, "%s: %d parameters recorded, %d from the mock", mname, rn, an);
    for (int i = 0; i < rn; i++) {
        if (strcmp(rk[i], ak[i]))
            return fail(why, ws, "%s: parameter %d is '%s' recorded, '%s' from the mock", mname, i,
                        rk[i], ak[i]);
        json_object *r = get(rp, rk[i]), *a = get(ap, ak[i]);
        if (!same_json(r, a, "default"))
            return fail(why, ws, "%s(%s): default differs", mname, rk[i]);
        if (!same_json(r, a, "kind"))
            return fail(why, ws, "%s(%s): kind differs", mname, rk[i]);
    }
    return 1;
}

static int compare_method(const char *mname, json_object *rm, json_object *am, char *why, size_t ws)
{
    if (strcmp(str(rm, "signature"), str(am, "signature")))
        return fail(why, ws, "%s: signature '%s' recorded, '%s' from the mock", mname,
                    str(rm, "signature"), str(am, "signature"));
    if (!compare_params(mname, get(rm, "parameters"), get(am, "parameters"), why, ws))
        return 0;
    if (!same_json(rm, am, "api"))
        return fail(why, ws, "%s: api %s recorded, %s from the mock", mname,
                    json_object_to_json_string(get(rm, "api")), json_object_to_json_string(get(am, "api")));
    if (strcmp(str(rm, "model"), str(am, "model")) || strcmp(str(rm, "module"), str(am, "module")))
        return fail(why, ws, "%s: defined in %s/%s recorded, %s/%s from the mock", mname, str(rm, "model"),
                    str(rm, "module"), str(am, "model"), str(am, "module"));
    return 1;
}

static int compare_methods(const doc_probe *p, const char *model, json_object *rms, json_object *ams,
                           char *why, size_t ws)
{
    json_object_object_foreach(ams, name, am)
    {
        if (!has(rms, name))
            return fail(why, ws, "%s.%s: documented by the mock, not by Odoo", model, name);
        if (!compare_method(name, get(rms, name), am, why, ws))
            return 0;
    }
    json_object_object_foreach(rms, name2, rm)
    {
        (void)rm;
        if (!has(ams, name2) && mock_runs(p, model, name2))
            return fail(why, ws, "%s.%s: the mock runs it but does not document it", model, name2);
    }
    return 1;
}

static int compare_fields(json_object *rf, json_object *af, char *why, size_t ws)
{
    json_object_object_foreach(af, name, a)
    {
        if (!has(a, "module"))
            return fail(why, ws, "field %s: no module", name);
        json_object *r = get(rf, name);
        if (!r)
            continue; /* one of the mock's own fields */
        if (strcmp(str(r, "type"), str(a, "type")) || strcmp(str(r, "relation"), str(a, "relation")))
            return fail(why, ws, "field %s: %s %s recorded, %s %s from the mock", name, str(r, "type"),
                        str(r, "relation"), str(a, "type"), str(a, "relation"));
    }
    return 1;
}

static int same_keys(json_object *rec, json_object *act, char *why, size_t ws)
{
    const char *rk[MAXKEYS], *ak[MAXKEYS];
    int rn = keys_of(rec, rk), an = keys_of(act, ak);
    for (int i = 0; i < rn; i++)
        if (!has(act, rk[i]))
            return fail(why, ws, "key '%s' missing in the mock's document", rk[i]);
    for (int i = 0; i < an; i++)
        if (!has(rec, ak[i]))
            return fail(why, ws, "extra key '%s' in the mock's document", ak[i]);
    return 1;
}

static int compare_model_doc(const doc_probe *p, json_object *rec, json_object *act, char *why, size_t ws)
{
    if (!same_keys(rec, act, why, ws))
        return 0;
    const char *model = str(rec, "model");
    if (strcmp(model, str(act, "model")) || strcmp(str(rec, "name"), str(act, "name")))
        return fail(why, ws, "model %s '%s' recorded, %s '%s' from the mock", model, str(rec, "name"),
                    str(act, "model"), str(act, "name"));
    return compare_fields(get(rec, "fields"), get(act, "fields"), why, ws) &&
           compare_methods(p, model, get(rec, "methods"), get(act, "methods"), why, ws);
}

/* ---- index ---- */

static int in_list(json_object *list, const char *s)
{
    for (size_t i = 0; i < json_object_array_length(list); i++)
        if (!strcmp(json_object_get_string(json_object_array_get_idx(list, i)), s))
            return 1;
    return 0;
}

static json_object *index_entry(json_object *models, const char *model)
{
    for (size_t i = 0; i < json_object_array_length(models); i++) {
        json_object *e = json_object_array_get_idx(models, i);
        if (!strcmp(str(e, "model"), model))
            return e;
    }
    return NULL;
}

static int compare_index_model(const doc_probe *p, json_object *re, json_object *ae, char *why, size_t ws)
{
    const char *model = str(ae, "model");
    if (!same_keys(re, ae, why, ws))
        return 0;
    if (strcmp(str(re, "name"), str(ae, "name")))
        return fail(why, ws, "index %s: name '%s' recorded, '%s' from the mock", model, str(re, "name"),
                    str(ae, "name"));
    json_object *rm = get(re, "methods"), *am = get(ae, "methods");
    for (size_t i = 0; i < json_object_array_length(am); i++) {
        const char *meth = json_object_get_string(json_object_array_get_idx(am, i));
        if (!in_list(rm, meth))
            return fail(why, ws, "index %s.%s: listed by the mock, not by Odoo", model, meth);
    }
    for (size_t i = 0; i < json_object_array_length(rm); i++) {
        const char *meth = json_object_get_string(json_object_array_get_idx(rm, i));
        if (!in_list(am, meth) && mock_runs(p, model, meth))
            return fail(why, ws, "index %s.%s: the mock runs it but does not list it", model, meth);
    }
    json_object_object_foreach(get(ae, "fields"), fname, f)
    {
        if (json_object_get_type(get(f, "string")) != json_type_string)
            return fail(why, ws, "index %s field %s: no string", model, fname);
    }
    return 1;
}

static int compare_index(const doc_probe *p, json_object *rec, json_object *act, char *why, size_t ws)
{
    if (!same_keys(rec, act, why, ws))
        return 0;
    json_object *rmods = get(rec, "modules"), *amods = get(act, "modules");
    for (size_t i = 0; i < json_object_array_length(amods); i++) {
        const char *mod = json_object_get_string(json_object_array_get_idx(amods, i));
        if (!in_list(rmods, mod))
            return fail(why, ws, "module %s is not installed in the recording", mod);
    }
    json_object *amodels = get(act, "models");
    if (!json_object_array_length(amodels))
        return fail(why, ws, "no model in the mock's index");
    for (size_t i = 0; i < json_object_array_length(amodels); i++) {
        json_object *ae = json_object_array_get_idx(amodels, i);
        json_object *re = index_entry(get(rec, "models"), str(ae, "model"));
        if (!re)
            return fail(why, ws, "model %s is not in the recorded index", str(ae, "model"));
        if (!compare_index_model(p, re, ae, why, ws))
            return 0;
    }
    return 1;
}

int doc_compare(const doc_probe *probe, json_object *rec, json_object *act, char *why, size_t ws)
{
    if (json_object_get_type(rec) != json_type_object || json_object_get_type(act) != json_type_object)
        return fail(why, ws, "the document is not an object");
    if (has(rec, "modules"))
        return compare_index(probe, rec, act, why, ws);
    return compare_model_doc(probe, rec, act, why, ws);
}
