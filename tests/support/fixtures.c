/* Reading the recorded exchanges. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fixtures.h"

char *fixture_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

json_object *fixture_load(const char *rel)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", ODOO_FIXTURES_DIR, rel);
    char *text = fixture_read_file(path, NULL);
    if (!text) {
        fprintf(stderr, "fixture not found: %s\n", path);
        abort();
    }
    json_object *doc = json_tokener_parse(text);
    free(text);
    if (!doc) {
        fprintf(stderr, "fixture is not JSON: %s\n", path);
        abort();
    }
    return doc;
}

const char *fixture_str(json_object *fx, const char *part, const char *key)
{
    json_object *p, *v;
    if (!json_object_object_get_ex(fx, part, &p) || !json_object_object_get_ex(p, key, &v))
        return NULL;
    return json_object_get_string(v);
}

int fixture_status(json_object *fx)
{
    json_object *p, *v;
    if (!json_object_object_get_ex(fx, "response", &p) || !json_object_object_get_ex(p, "status", &v))
        return 0;
    return json_object_get_int(v);
}

const char *fixture_header(json_object *fx, const char *part, const char *name)
{
    json_object *p, *h;
    if (!json_object_object_get_ex(fx, part, &p) || !json_object_object_get_ex(p, "headers", &h))
        return NULL;
    json_object_object_foreach(h, key, val) {
        if (strcasecmp(key, name) == 0) {
            if (json_object_is_type(val, json_type_array))
                val = json_object_array_get_idx(val, 0);
            return json_object_get_string(val);
        }
    }
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t fixture_list(const char *folder, char ***names)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", ODOO_FIXTURES_DIR, folder);
    DIR *d = opendir(path);
    size_t n = 0, cap = 0;
    *names = NULL;
    if (!d)
        return 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            *names = realloc(*names, cap * sizeof(char *));
        }
        (*names)[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(*names, n, sizeof(char *), cmp);
    return n;
}

void fixture_list_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

json_object *json_parse(const char *text)
{
    return text ? json_tokener_parse(text) : NULL;
}

int json_equal(json_object *a, json_object *b)
{
    return json_object_equal(a, b);
}
