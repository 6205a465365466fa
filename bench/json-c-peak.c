/* Peak memory of a bare json-c parse of a file (the body in memory plus
 * the tree), for comparison with odoo-bench's peak column:
 *   python3 bench/xmlrpc-decode/gen.py 20000 /tmp/x && build/bench/json-c-peak /tmp/x/bench-20000.json */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

static long status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(key);
    while (f && fgets(line, sizeof(line), f))
        if (strncmp(line, key, n) == 0)
            v = strtol(line + n + 1, NULL, 10);
    if (f)
        fclose(f);
    return v;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.json\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    FILE *clear = fopen("/proc/self/clear_refs", "w"); /* reset the high-water mark */
    if (clear) {
        fputs("5", clear);
        fclose(clear);
    }
    long base = status_kb("VmRSS:");
    char *body = malloc((size_t)n + 1);
    if (!body || fread(body, 1, (size_t)n, f) != (size_t)n)
        return 1;
    body[n] = '\0';
    fclose(f);
    json_object *doc = json_tokener_parse(body);
    long peak = status_kb("VmHWM:") - base;
    printf("%ld bytes of JSON: peak %.1f MB, %.1fx the body\n", n, (double)peak / 1024.0,
           (double)peak * 1024.0 / (double)n);
    json_object_put(doc);
    free(body);
    return doc ? 0 : 1;
}
