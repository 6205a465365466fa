/* odoo-mock tests — fixture replay and comparison. */
#include "fixture_replay.h"

#include <ctype.h>
#include <dirent.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xmlrpc-c/base.h>

#include "doc_compare.h"
#include "http_client.h"

void replay_init(replay_ctx *c, unsigned short port)
{
    memset(c, 0, sizeof *c);
    c->port = port;
}

void replay_free(replay_ctx *c)
{
    free(c->id_from);
    free(c->id_to);
    for (size_t i = 0; i < c->nsids; i++) {
        free(c->sid_from[i]);
        free(c->sid_to[i]);
    }
    free(c->sid_from);
    free(c->sid_to);
    memset(c, 0, sizeof *c);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **list_fixtures(const char *dir)
{
    DIR *d = opendir(dir);
    char **v = calloc(1, sizeof(char *));
    size_t n = 0;
    if (!d)
        return v;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json"))
            continue;
        v = realloc(v, (n + 2) * sizeof(char *));
        size_t need = strlen(dir) + l + 2;
        v[n] = malloc(need);
        snprintf(v[n], need, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    qsort(v, n, sizeof(char *), cmpstr);
    v[n] = NULL;
    return v;
}

void free_list(char **l)
{
    for (size_t i = 0; l && l[i]; i++)
        free(l[i]);
    free(l);
}

static void whyf(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------ */
/* id / session maps */

static int64_t map_id(replay_ctx *c, int64_t v, int *found)
{
    for (size_t i = 0; i < c->nids; i++)
        if (c->id_from[i] == v) {
            *found = 1;
            return c->id_to[i];
        }
    *found = 0;
    return v;
}

static void add_id(replay_ctx *c, int64_t from, int64_t to)
{
    c->id_from = realloc(c->id_from, (c->nids + 1) * sizeof(int64_t));
    c->id_to = realloc(c->id_to, (c->nids + 1) * sizeof(int64_t));
    c->id_from[c->nids] = from;
    c->id_to[c->nids] = to;
    c->nids++;
}

static const char *map_sid(replay_ctx *c, const char *sid)
{
    for (size_t i = 0; i < c->nsids; i++)
        if (!strcmp(c->sid_from[i], sid))
            return c->sid_to[i];
    return sid;
}

static void add_sid(replay_ctx *c, const char *from, const char *to)
{
    c->sid_from = realloc(c->sid_from, (c->nsids + 1) * sizeof(char *));
    c->sid_to = realloc(c->sid_to, (c->nsids + 1) * sizeof(char *));
    c->sid_from[c->nsids] = strdup(from);
    c->sid_to[c->nsids] = strdup(to);
    c->nsids++;
}

/* ------------------------------------------------------------------ */
/* XML-RPC through xmlrpc-c (an implementation independent of the mock) */

static json_object *xv_to_json(xmlrpc_env *env, xmlrpc_value *v)
{
    switch (xmlrpc_value_type(v)) {
    case XMLRPC_TYPE_INT: {
        int i;
        xmlrpc_read_int(env, v, &i);
        return json_object_new_int(i);
    }
    case XMLRPC_TYPE_I8: {
        long long i;
        xmlrpc_read_i8(env, v, &i);
        return json_object_new_int64(i);
    }
    case XMLRPC_TYPE_BOOL: {
        xmlrpc_bool b;
        xmlrpc_read_bool(env, v, &b);
        return json_object_new_boolean(b);
    }
    case XMLRPC_TYPE_DOUBLE: {
        double d;
        xmlrpc_read_double(env, v, &d);
        return json_object_new_double(d);
    }
    case XMLRPC_TYPE_STRING: {
        const char *s = NULL;
        xmlrpc_read_string(env, v, &s);
        json_object *o = json_object_new_string(s ? s : "");
        free((void *)s);
        return o;
    }
    case XMLRPC_TYPE_ARRAY: {
        json_object *a = json_object_new_array();
        int n = xmlrpc_array_size(env, v);
        for (int i = 0; i < n; i++) {
            xmlrpc_value *it = NULL;
            xmlrpc_array_read_item(env, v, (unsigned)i, &it);
            if (it) {
                json_object_array_add(a, xv_to_json(env, it));
                xmlrpc_DECREF(it);
            }
        }
        return a;
    }
    case XMLRPC_TYPE_STRUCT: {
        json_object *o = json_object_new_object();
        int n = xmlrpc_struct_size(env, v);
        for (int i = 0; i < n; i++) {
            xmlrpc_value *k = NULL, *val = NULL;
            xmlrpc_struct_read_member(env, v, (unsigned)i, &k, &val);
            if (k && val) {
                const char *ks = NULL;
                xmlrpc_read_string(env, k, &ks);
                json_object_object_add(o, ks ? ks : "", xv_to_json(env, val));
                free((void *)ks);
            }
            if (k)
                xmlrpc_DECREF(k);
            if (val)
                xmlrpc_DECREF(val);
        }
        return o;
    }
    case XMLRPC_TYPE_NIL:
        return NULL;
    default:
        return json_object_new_string("<other>");
    }
}

typedef struct xml_answer {
    int ok;          /* parsed */
    int is_fault;
    int int_code;    /* integer fault code, or */
    char *str_code;  /* string fault code (legacy endpoint) */
    char *fault_string;
    json_object *value;
} xml_answer;

static char *unescape_xml(const char *s, size_t n)
{
    char *o = malloc(n + 1), *p = o;
    for (size_t i = 0; i < n;) {
        if (!strncmp(s + i, "&lt;", 4)) {
            *p++ = '<';
            i += 4;
        } else if (!strncmp(s + i, "&gt;", 4)) {
            *p++ = '>';
            i += 4;
        } else if (!strncmp(s + i, "&amp;", 5)) {
            *p++ = '&';
            i += 5;
        } else {
            *p++ = s[i++];
        }
    }
    *p = '\0';
    return o;
}

/* text of <string> (or untyped value) following <name>NAME</name> */
static char *member_string(const char *xml, const char *name)
{
    char pat[64];
    snprintf(pat, sizeof pat, "<name>%s</name>", name);
    const char *p = strstr(xml, pat);
    if (!p)
        return NULL;
    p = strstr(p, "<value>");
    if (!p)
        return NULL;
    p += 7;
    if (!strncmp(p, "<string>", 8)) {
        p += 8;
        const char *e = strstr(p, "</string>");
        return e ? unescape_xml(p, (size_t)(e - p)) : NULL;
    }
    if (!strncmp(p, "<int>", 5))
        return NULL;
    const char *e = strstr(p, "</value>");
    return e ? unescape_xml(p, (size_t)(e - p)) : NULL;
}

static void parse_xml_answer(const char *xml, size_t len, xml_answer *a)
{
    memset(a, 0, sizeof *a);
    xmlrpc_env env;
    xmlrpc_env_init(&env);
    xmlrpc_limit_set(XMLRPC_XML_SIZE_LIMIT_ID, 256u * 1024 * 1024);
    xmlrpc_value *result = NULL;
    int code = 0;
    const char *fs = NULL;
    xmlrpc_parse_response2(&env, xml, len, &result, &code, &fs);
    if (!env.fault_occurred) {
        a->ok = 1;
        if (fs) {
            a->is_fault = 1;
            a->int_code = code;
            a->fault_string = strdup(fs);
            free((void *)fs);
        } else {
            xmlrpc_env e2;
            xmlrpc_env_init(&e2);
            a->value = xv_to_json(&e2, result);
            xmlrpc_env_clean(&e2);
            xmlrpc_DECREF(result);
        }
    } else if (strstr(xml, "<fault>")) {
        /* xmlrpc-c insists on integer codes; the legacy endpoint uses strings */
        a->ok = 1;
        a->is_fault = 1;
        a->str_code = member_string(xml, "faultCode");
        a->fault_string = member_string(xml, "faultString");
        if (!a->fault_string)
            a->fault_string = strdup("");
        if (!a->str_code)
            a->ok = 0;
    }
    xmlrpc_env_clean(&env);
}

static void free_xml_answer(xml_answer *a)
{
    free(a->str_code);
    free(a->fault_string);
    json_object_put(a->value);
}

void traceback_class(const char *tb, char *out, size_t size)
{
    out[0] = '\0';
    if (!tb)
        return;
    const char *end = tb + strlen(tb);
    while (end > tb) {
        const char *ls = end;
        while (ls > tb && ls[-1] != '\n')
            ls--;
        size_t n = (size_t)(end - ls);
        if (n && !isspace((unsigned char)ls[0])) {
            const char *colon = memchr(ls, ':', n);
            size_t k = colon ? (size_t)(colon - ls) : n;
            int ident = k > 0;
            for (size_t i = 0; i < k && ident; i++)
                ident = isalnum((unsigned char)ls[i]) || ls[i] == '_' || ls[i] == '.';
            if (ident && (!colon || colon[1] == ' ' || colon + 1 == end)) {
                if (k >= size)
                    k = size - 1;
                memcpy(out, ls, k);
                out[k] = '\0';
                return;
            }
        }
        end = ls > tb ? ls - 1 : tb;
    }
}

/* legacy string fault codes: category */
static const char *legacy_category(const char *code)
{
    if (!strncmp(code, "warning -- MissingError", 23))
        return "MissingError";
    if (!strncmp(code, "warning -- AccessError", 22))
        return "AccessError";
    if (!strncmp(code, "warning -- UserError", 20))
        return "UserError";
    if (!strncmp(code, "warning -- Warning", 18))
        return "Warning";
    if (!strcmp(code, "AccessDenied"))
        return "AccessDenied";
    return "exception";
}

/* ------------------------------------------------------------------ */
/* shape comparison */

static const char *jtype(json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return "null";
    case json_type_boolean: return "boolean";
    case json_type_int: return "int";
    case json_type_double: return "float";
    case json_type_string: return "string";
    case json_type_array: return "array";
    case json_type_object: return "object";
    }
    return "?";
}

static int shape_eq(json_object *rec, json_object *act, const char *path, char *why, size_t ws)
{
    if (json_object_get_type(rec) != json_object_get_type(act)) {
        whyf(why, ws, "%s: type %s recorded, %s from the mock", path, jtype(rec), jtype(act));
        return 0;
    }
    char sub[512];
    if (json_object_get_type(rec) == json_type_object) {
        json_object_object_foreach(rec, k, v)
        {
            json_object *av;
            if (!json_object_object_get_ex(act, k, &av)) {
                whyf(why, ws, "%s: key '%s' missing in the mock's answer", path, k);
                return 0;
            }
            snprintf(sub, sizeof sub, "%s.%s", path, k);
            if (!shape_eq(v, av, sub, why, ws))
                return 0;
        }
        json_object_object_foreach(act, k2, v2)
        {
            (void)v2;
            if (!json_object_object_get_ex(rec, k2, NULL)) {
                whyf(why, ws, "%s: extra key '%s' in the mock's answer", path, k2);
                return 0;
            }
        }
    } else if (json_object_get_type(rec) == json_type_array) {
        size_t rn = json_object_array_length(rec), an = json_object_array_length(act);
        if ((rn == 0) != (an == 0)) {
            whyf(why, ws, "%s: %zu element(s) recorded, %zu from the mock", path, rn, an);
            return 0;
        }
        if (rn) {
            snprintf(sub, sizeof sub, "%s[0]", path);
            return shape_eq(json_object_array_get_idx(rec, 0), json_object_array_get_idx(act, 0),
                            sub, why, ws);
        }
    }
    return 1;
}

static const char *obj_str(json_object *o, const char *k1, const char *k2)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, k1, &v))
        return NULL;
    if (k2 && !json_object_object_get_ex(v, k2, &v))
        return NULL;
    return json_object_get_type(v) == json_type_string ? json_object_get_string(v) : NULL;
}

static int compare_json(json_object *rec, json_object *act, int status, char *why, size_t ws)
{
    if (json_object_get_type(rec) == json_type_object && json_object_object_get_ex(rec, "jsonrpc", NULL)) {
        json_object *re = NULL, *ae = NULL;
        json_object_object_get_ex(rec, "error", &re);
        json_object_object_get_ex(act, "error", &ae);
        if (re || ae) {
            if (!re || !ae) {
                whyf(why, ws, "JSON-RPC %s recorded, %s from the mock", re ? "error" : "result",
                     ae ? "error" : "result");
                return 0;
            }
            json_object *rc = NULL, *ac = NULL;
            json_object_object_get_ex(re, "code", &rc);
            json_object_object_get_ex(ae, "code", &ac);
            if (json_object_get_int(rc) != json_object_get_int(ac)) {
                whyf(why, ws, "error.code %d recorded, %d from the mock", json_object_get_int(rc),
                     json_object_get_int(ac));
                return 0;
            }
            const char *rn = obj_str(re, "data", "name"), *an = obj_str(ae, "data", "name");
            if (!rn || !an || strcmp(rn, an)) {
                whyf(why, ws, "error class %s recorded, %s from the mock", rn ? rn : "?", an ? an : "?");
                return 0;
            }
        }
        /* the id is echoed or null depending on where the error happened */
        json_object *rid = NULL, *aid = NULL;
        json_object_object_get_ex(rec, "id", &rid);
        json_object_object_get_ex(act, "id", &aid);
        if (json_object_get_type(rid) != json_object_get_type(aid)) {
            whyf(why, ws, "id is %s recorded, %s from the mock", jtype(rid), jtype(aid));
            return 0;
        }
        return shape_eq(rec, act, "$", why, ws);
    }
    if (status >= 400 && json_object_get_type(rec) == json_type_object) {
        const char *rn = obj_str(rec, "name", NULL), *an = obj_str(act, "name", NULL);
        if (!rn || !an || strcmp(rn, an)) {
            whyf(why, ws, "error class %s recorded, %s from the mock", rn ? rn : "?", an ? an : "?");
            return 0;
        }
    }
    return shape_eq(rec, act, "$", why, ws);
}

static int compare_xml(const char *rec, size_t rlen, const char *act, size_t alen, char *why, size_t ws)
{
    xml_answer ra, aa;
    parse_xml_answer(rec, rlen, &ra);
    parse_xml_answer(act, alen, &aa);
    int ok = 1;
    if (!ra.ok || !aa.ok) {
        whyf(why, ws, "cannot parse the %s XML-RPC answer", ra.ok ? "mock's" : "recorded");
        ok = 0;
    } else if (ra.is_fault != aa.is_fault) {
        whyf(why, ws, "%s recorded, %s from the mock", ra.is_fault ? "fault" : "result",
             aa.is_fault ? "fault" : "result");
        ok = 0;
    } else if (ra.is_fault) {
        if ((ra.str_code != NULL) != (aa.str_code != NULL)) {
            whyf(why, ws, "faultCode type differs (string vs int)");
            ok = 0;
        } else if (ra.str_code) {
            const char *rc = legacy_category(ra.str_code), *ac = legacy_category(aa.str_code);
            if (strcmp(rc, ac)) {
                whyf(why, ws, "legacy fault %s recorded, %s from the mock", rc, ac);
                ok = 0;
            } else if (!strcmp(rc, "exception")) {
                char c1[128], c2[128];
                traceback_class(ra.fault_string, c1, sizeof c1);
                traceback_class(aa.fault_string, c2, sizeof c2);
                if (strcmp(c1, c2)) {
                    whyf(why, ws, "exception %s recorded, %s from the mock", c1, c2);
                    ok = 0;
                }
            }
        } else if (ra.int_code != aa.int_code) {
            whyf(why, ws, "faultCode %d recorded, %d from the mock", ra.int_code, aa.int_code);
            ok = 0;
        } else if (ra.int_code == 1) {
            char c1[128], c2[128];
            traceback_class(ra.fault_string, c1, sizeof c1);
            traceback_class(aa.fault_string, c2, sizeof c2);
            if (strcmp(c1, c2)) {
                whyf(why, ws, "exception %s recorded, %s from the mock", c1, c2);
                ok = 0;
            }
        }
    } else {
        ok = shape_eq(ra.value, aa.value, "$", why, ws);
    }
    free_xml_answer(&ra);
    free_xml_answer(&aa);
    return ok;
}

static void norm_ctype(const char *in, char *out, size_t size)
{
    size_t k = 0;
    for (const char *p = in ? in : ""; *p && k + 1 < size; p++)
        if (*p != ' ')
            out[k++] = (char)tolower((unsigned char)*p);
    out[k] = '\0';
}

static char *html_title(const char *html)
{
    const char *s = strstr(html, "<title>");
    if (!s)
        return NULL;
    s += 7;
    const char *e = strstr(s, "</title>");
    return e ? strndup(s, (size_t)(e - s)) : NULL;
}

/* ------------------------------------------------------------------ */
/* request rewriting */

static json_object *rewrite_json(replay_ctx *c, json_object *v, int top)
{
    switch (json_object_get_type(v)) {
    case json_type_int: {
        int found;
        int64_t x = map_id(c, json_object_get_int64(v), &found);
        return found ? json_object_new_int64(x) : json_object_get(v);
    }
    case json_type_array: {
        json_object *a = json_object_new_array();
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++)
            json_object_array_add(a, rewrite_json(c, json_object_array_get_idx(v, i), 0));
        return a;
    }
    case json_type_object: {
        json_object *o = json_object_new_object();
        json_object_object_foreach(v, k, val)
        {
            if (top && !strcmp(k, "id"))
                json_object_object_add(o, k, json_object_get(val));
            else
                json_object_object_add(o, k, rewrite_json(c, val, 0));
        }
        return o;
    }
    default:
        return json_object_get(v);
    }
}

static char *rewrite_xml(replay_ctx *c, const char *xml)
{
    size_t n = strlen(xml);
    size_t cap = n * 2 + 64, k = 0;
    char *out = malloc(cap);
    static const char *const TAGS[] = {"<int>", "<i4>", "<i8>", NULL};
    for (size_t i = 0; i < n;) {
        int done = 0;
        for (int t = 0; TAGS[t] && !done; t++) {
            size_t tl = strlen(TAGS[t]);
            if (!strncmp(xml + i, TAGS[t], tl)) {
                char *end;
                long long v = strtoll(xml + i + tl, &end, 10);
                if (end != xml + i + tl && *end == '<') {
                    int found;
                    int64_t x = map_id(c, v, &found);
                    if (k + 64 > cap)
                        out = realloc(out, cap *= 2);
                    k += (size_t)sprintf(out + k, "%s%lld", TAGS[t], (long long)x);
                    i = (size_t)(end - xml);
                    done = 1;
                }
            }
        }
        if (!done) {
            if (k + 2 > cap)
                out = realloc(out, cap *= 2);
            out[k++] = xml[i++];
        }
    }
    out[k] = '\0';
    return out;
}

/* the create result of a request, if it is a create call */
static int is_create_call(const char *path, const char *body)
{
    size_t pl = strlen(path);
    if (pl > 7 && !strcmp(path + pl - 7, "/create") && !strncmp(path, "/json/2/", 8))
        return 1;
    if (!strncmp(path, "/xmlrpc", 7)) {
        xmlrpc_env env;
        xmlrpc_env_init(&env);
        const char *mname = NULL;
        xmlrpc_value *params = NULL;
        int yes = 0;
        xmlrpc_parse_call(&env, body, strlen(body), &mname, &params);
        if (!env.fault_occurred) {
            if (xmlrpc_array_size(&env, params) > 4) {
                xmlrpc_value *m = NULL;
                xmlrpc_array_read_item(&env, params, 4, &m);
                if (m && xmlrpc_value_type(m) == XMLRPC_TYPE_STRING) {
                    const char *s = NULL;
                    xmlrpc_read_string(&env, m, &s);
                    yes = s && !strcmp(s, "create");
                    free((void *)s);
                }
                if (m)
                    xmlrpc_DECREF(m);
            }
            xmlrpc_DECREF(params);
            free((void *)mname);
        }
        xmlrpc_env_clean(&env);
        return yes;
    }
    json_object *o = json_tokener_parse(body);
    int yes = 0;
    json_object *params, *v;
    if (o && json_object_object_get_ex(o, "params", &params) &&
        json_object_get_type(params) == json_type_object) {
        if (json_object_object_get_ex(params, "method", &v) && json_object_get_type(v) == json_type_string &&
            !strcmp(json_object_get_string(v), "create") && json_object_object_get_ex(params, "model", NULL))
            yes = 1;
        json_object *args;
        if (json_object_object_get_ex(params, "args", &args) && json_object_get_type(args) == json_type_array &&
            json_object_array_length(args) > 4) {
            json_object *m = json_object_array_get_idx(args, 4);
            yes = yes || (json_object_get_type(m) == json_type_string && !strcmp(json_object_get_string(m), "create"));
        }
    }
    json_object_put(o);
    return yes;
}

static json_object *answer_value(const char *path, const char *body, size_t len)
{
    if (!strncmp(path, "/xmlrpc", 7)) {
        xml_answer a;
        parse_xml_answer(body, len, &a);
        json_object *v = a.is_fault ? NULL : json_object_get(a.value);
        free_xml_answer(&a);
        return v;
    }
    json_object *o = json_tokener_parse(body);
    if (!o)
        return NULL;
    if (json_object_get_type(o) == json_type_object && json_object_object_get_ex(o, "jsonrpc", NULL)) {
        json_object *r = NULL;
        json_object_object_get_ex(o, "result", &r);
        r = json_object_get(r);
        json_object_put(o);
        return r;
    }
    return o;
}

static void learn_ids(replay_ctx *c, json_object *rec, json_object *act)
{
    if (json_object_get_type(rec) == json_type_int && json_object_get_type(act) == json_type_int) {
        add_id(c, json_object_get_int64(rec), json_object_get_int64(act));
    } else if (json_object_get_type(rec) == json_type_array && json_object_get_type(act) == json_type_array) {
        size_t n = json_object_array_length(rec);
        if (json_object_array_length(act) < n)
            n = json_object_array_length(act);
        for (size_t i = 0; i < n; i++)
            learn_ids(c, json_object_array_get_idx(rec, i), json_object_array_get_idx(act, i));
    }
}

static char *cookie_sid(const char *setcookie)
{
    if (strncmp(setcookie, "session_id=", 11))
        return NULL;
    const char *v = setcookie + 11;
    return strndup(v, strcspn(v, ";"));
}

/* ------------------------------------------------------------------ */

int replay_file(replay_ctx *c, const char *path, char *why, size_t ws)
{
    json_object *fx = json_object_from_file(path);
    if (!fx) {
        whyf(why, ws, "cannot read %s", path);
        return -1;
    }
    json_object *req = json_object_object_get(fx, "request");
    json_object *res = json_object_object_get(fx, "response");
    const char *method = json_object_get_string(json_object_object_get(req, "method"));
    const char *rpath = json_object_get_string(json_object_object_get(req, "path"));
    const char *rbody = json_object_get_string(json_object_object_get(req, "body"));
    json_object *rheaders = json_object_object_get(req, "headers");
    int rec_status = json_object_get_int(json_object_object_get(res, "status"));
    json_object *resh = json_object_object_get(res, "headers");
    const char *rec_resp_body = json_object_get_string(json_object_object_get(res, "body"));
    size_t rec_resp_len = (size_t)json_object_get_string_len(json_object_object_get(res, "body"));

    /* body rewriting */
    char *body = NULL;
    if (!strncmp(rpath, "/xmlrpc", 7)) {
        body = rewrite_xml(c, rbody);
    } else {
        json_object *j = json_tokener_parse(rbody);
        if (j) {
            json_object *rj = rewrite_json(c, j, 1);
            body = strdup(json_object_to_json_string_ext(rj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
            json_object_put(rj);
            json_object_put(j);
        } else {
            body = strdup(rbody);
        }
    }
    /* headers */
    char *hv[8];
    int nh = 0;
    json_object_object_foreach(rheaders, hk, hval)
    {
        if (!strcasecmp(hk, "Host") || !strcasecmp(hk, "Content-Length"))
            continue;
        const char *val = json_object_get_string(hval);
        char line[1024];
        if (!strcasecmp(hk, "Cookie") && !strncmp(val, "session_id=", 11))
            snprintf(line, sizeof line, "Cookie: session_id=%s", map_sid(c, val + 11));
        else
            snprintf(line, sizeof line, "%s: %s", hk, val);
        if (nh < 7)
            hv[nh++] = strdup(line);
    }
    hv[nh] = NULL;

    http_conn conn;
    http_response r;
    int ok = 1;
    if (http_connect(&conn, c->port)) {
        whyf(why, ws, "cannot connect to the mock");
        ok = 0;
    } else {
        int has_body = strcmp(method, "GET") || *rbody;
        http_request(&conn, method, rpath, (const char *const *)hv, has_body ? body : NULL,
                     has_body ? strlen(body) : 0, &r);
        http_close(&conn);
        if (r.error) {
            whyf(why, ws, "transport error %d", r.error);
            ok = 0;
        }
    }
    if (!ok) {
        for (int i = 0; i < nh; i++)
            free(hv[i]);
        free(body);
        json_object_put(fx);
        return 0;
    }

    if (c->dump_dir) {
        /* "<protocol>_<file>" from ".../<protocol>/<file>" */
        const char *base = strrchr(path, '/');
        const char *proto = base;
        while (proto && proto > path && proto[-1] != '/')
            proto--;
        char out[1024];
        snprintf(out, sizeof out, "%s/%.*s_%s.body", c->dump_dir,
                 proto && base ? (int)(base - proto) : 0, proto ? proto : "", base ? base + 1 : path);
        FILE *f = fopen(out, "wb");
        if (f) {
            fprintf(f, "HTTP %d\n", r.status);
            for (int i = 0; i < r.nheaders; i++)
                fprintf(f, "%s: %s\n", r.headers[i].name, r.headers[i].value);
            fputs("\n", f);
            fwrite(r.body, 1, r.body_len, f);
            fclose(f);
        }
    }
    /* learn session ids from Set-Cookie */
    json_object *sc = NULL;
    int rec_cookies = 0;
    if (json_object_object_get_ex(resh, "Set-Cookie", &sc)) {
        int k = 0;
        size_t n = json_object_get_type(sc) == json_type_array ? json_object_array_length(sc) : 1;
        rec_cookies = (int)n;
        for (size_t i = 0; i < n; i++) {
            const char *rv = json_object_get_string(json_object_get_type(sc) == json_type_array
                                                        ? json_object_array_get_idx(sc, i)
                                                        : sc);
            char *rs = cookie_sid(rv);
            if (!rs)
                continue;
            /* k-th session cookie of the mock */
            int seen = 0;
            for (int j = 0; j < r.nheaders; j++) {
                if (strcasecmp(r.headers[j].name, "Set-Cookie"))
                    continue;
                char *as = cookie_sid(r.headers[j].value);
                if (as && seen++ == k) {
                    add_sid(c, rs, as);
                    free(as);
                    break;
                }
                free(as);
            }
            k++;
            free(rs);
        }
    }
    /* learn created ids */
    if (is_create_call(rpath, rbody)) {
        json_object *rv = answer_value(rpath, rec_resp_body, rec_resp_len);
        json_object *av = answer_value(rpath, r.body, r.body_len);
        learn_ids(c, rv, av);
        json_object_put(rv);
        json_object_put(av);
    }

    /* compare */
    char rct[128], act[128];
    json_object *cth = NULL;
    json_object_object_get_ex(resh, "Content-Type", &cth);
    norm_ctype(json_object_get_string(cth), rct, sizeof rct);
    norm_ctype(http_get_header(&r, "Content-Type"), act, sizeof act);
    static const char *const HDRS[] = {"WWW-Authenticate", "Location", "Allow", "Accept", NULL};
    if (r.status != rec_status) {
        whyf(why, ws, "status %d recorded, %d from the mock", rec_status, r.status);
        ok = 0;
    } else if (strcmp(rct, act)) {
        whyf(why, ws, "content type '%s' recorded, '%s' from the mock", rct, act);
        ok = 0;
    } else if (rec_cookies != http_count_header(&r, "Set-Cookie")) {
        whyf(why, ws, "%d Set-Cookie recorded, %d from the mock", rec_cookies,
             http_count_header(&r, "Set-Cookie"));
        ok = 0;
    } else {
        for (int i = 0; HDRS[i] && ok; i++)
            if (json_object_object_get_ex(resh, HDRS[i], NULL) != (http_get_header(&r, HDRS[i]) != NULL)) {
                whyf(why, ws, "header %s %s", HDRS[i],
                     http_get_header(&r, HDRS[i]) ? "unexpected" : "missing");
                ok = 0;
            }
    }
    if (ok) {
        if (strstr(rct, "json")) {
            json_object *rj = NULL, *aj = NULL;
            enum json_tokener_error e1, e2;
            rj = json_tokener_parse_verbose(rec_resp_body, &e1);
            aj = json_tokener_parse_verbose(r.body, &e2);
            if (e1 != json_tokener_success || e2 != json_tokener_success) {
                whyf(why, ws, "cannot parse the %s JSON body", e1 ? "recorded" : "mock's");
                ok = 0;
            } else if (rec_status == 200 && !strncmp(rpath, "/doc-bearer/", 12)) {
                /* api_doc documents: see doc_compare.c (the mock's
                 * are a subset, compared on what it implements) */
                doc_probe probe = {c->port, (const char *const *)hv};
                ok = doc_compare(&probe, rj, aj, why, ws);
            } else {
                ok = compare_json(rj, aj, rec_status, why, ws);
            }
            json_object_put(rj);
            json_object_put(aj);
        } else if (strstr(rct, "xml")) {
            ok = compare_xml(rec_resp_body, rec_resp_len, r.body, r.body_len, why, ws);
        } else if (!strchr(rec_resp_body, '<')) {
            if (strcmp(rec_resp_body, r.body)) {
                whyf(why, ws, "text body '%s' recorded, '%.60s' from the mock", rec_resp_body, r.body);
                ok = 0;
            }
        } else {
            char *t1 = html_title(rec_resp_body), *t2 = html_title(r.body);
            if ((t1 || t2) && (!t1 || !t2 || strcmp(t1, t2))) {
                whyf(why, ws, "HTML title '%s' recorded, '%s' from the mock", t1 ? t1 : "",
                     t2 ? t2 : "");
                ok = 0;
            }
            free(t1);
            free(t2);
        }
    }
    http_response_free(&r);
    for (int i = 0; i < nh; i++)
        free(hv[i]);
    free(body);
    json_object_put(fx);
    return ok;
}
