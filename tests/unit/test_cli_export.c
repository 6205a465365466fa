/* odoo-rpc search-read --all / --format (issue 12 item 5): the real binary
 * against odoo-mock with 5,000 partners: every record exactly once, CSV
 * cells by field type, the JSON array, usage errors, a failure midway, a
 * full stdout, and the progress line only on a terminal. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <odoo.h>
#include <odoo_mock.h>

#ifndef ODOO_RPC_PATH
#error "tests/CMakeLists.txt passes the path of odoo-rpc"
#endif

static odoo_mock *mock;
static char url_env[160], db_env[80];
static const char *const env[] = { url_env, db_env, "ODOO_API_KEY=" ODOO_MOCK_ADMIN_API_KEY, NULL };

typedef struct {
    int status;
    char *out, *err;
} run_result;

/* How to run: stderr on a pseudo-terminal, stdout to a file, or a hook
 * called once the first line of stdout has arrived. */
typedef struct {
    int stderr_tty;
    const char *stdout_path;
    void (*after_first_line)(void);
} run_how;

static char *slurp_fd(int fd, const run_how *how)
{
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    int hooked = !how || !how->after_first_line;
    while ((n = read(fd, buf + len, cap - len - 1)) > 0 || (n < 0 && errno == EINTR)) {
        if (n < 0)
            continue;
        len += (size_t)n;
        if (!hooked && memchr(buf, '\n', len)) {
            how->after_first_line();
            hooked = 1;
        }
        if (cap - len < 4096)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    return buf;
}

static run_result run_with(const run_how *how, const char *const *words)
{
    const char *argv[32];
    int n = 0;
    argv[n++] = ODOO_RPC_PATH;
    for (; *words && n < 31; words++)
        argv[n++] = *words;
    argv[n] = NULL;
    int out[2], errp[2] = { -1, -1 }, master = -1;
    cr_assert_eq(pipe(out), 0);
    if (how && how->stderr_tty) {
        master = posix_openpt(O_RDWR | O_NOCTTY);
        cr_assert(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    } else {
        cr_assert_eq(pipe(errp), 0);
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (master >= 0) {
            int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
            dup2(slave, 2);
        } else {
            dup2(errp[1], 2);
        }
        if (how && how->stdout_path)
            dup2(open(how->stdout_path, O_WRONLY), 1);
        else
            dup2(out[1], 1);
        execve(ODOO_RPC_PATH, (char *const *)argv, (char *const *)env);
        _exit(127);
    }
    close(out[1]);
    if (errp[1] >= 0)
        close(errp[1]);
    run_result r;
    r.out = slurp_fd(out[0], how); /* stderr is small: stdout first */
    close(out[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (master >= 0) {
        /* what the terminal got (EIO once the slave is closed and drained) */
        size_t len = 0, cap = 65536;
        r.err = malloc(cap);
        ssize_t k;
        int fl = fcntl(master, F_GETFL);
        fcntl(master, F_SETFL, fl | O_NONBLOCK);
        while (len + 1 < cap && (k = read(master, r.err + len, cap - len - 1)) > 0)
            len += (size_t)k;
        r.err[len] = '\0';
        close(master);
    } else {
        r.err = slurp_fd(errp[0], NULL);
        close(errp[0]);
    }
    return r;
}

static run_result run(const char *const *words)
{
    return run_with(NULL, words);
}

static void done(run_result *r)
{
    free(r->out);
    free(r->err);
}

static void setup(void)
{
    odoo_mock_config cfg = { 0 };
    cfg.quiet = 1;
    cfg.partners = 5000;
    cr_assert_eq(odoo_mock_start(&mock, &cfg), 0);
    snprintf(url_env, sizeof(url_env), "ODOO_URL=%s", odoo_mock_url(mock));
    snprintf(db_env, sizeof(db_env), "ODOO_DB=%s", odoo_mock_db(mock));
    signal(SIGPIPE, SIG_IGN);
}

static void teardown(void)
{
    odoo_mock_stop(mock);
}

TestSuite(cli_export, .init = setup, .fini = teardown, .timeout = 120);

static long long count_of(const char *domain)
{
    run_result r = run((const char *[]){ "count", "res.partner", domain, NULL });
    cr_assert_eq(r.status, 0, "%s", r.err);
    long long n = atoll(r.out);
    done(&r);
    return n;
}

/* NDJSON lines: each one JSON object with an id above the last one. */
static size_t check_ndjson(const char *text)
{
    size_t lines = 0;
    long long last = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        cr_assert(nl, "a line without its newline: %s", p);
        char *line = strndup(p, (size_t)(nl - p));
        json_object *rec = json_tokener_parse(line), *id;
        cr_assert(json_object_is_type(rec, json_type_object), "not a record: %s", line);
        cr_assert(json_object_object_get_ex(rec, "id", &id));
        cr_expect_gt(json_object_get_int64(id), last, "ids ascending, each once: %s", line);
        last = json_object_get_int64(id);
        json_object_put(rec);
        free(line);
        lines++;
        p = nl + 1;
    }
    return lines;
}

Test(cli_export, ndjson_all_gives_every_record_exactly_once)
{
    long long total = count_of("[]");
    cr_assert_gt(total, 4000);
    run_result r = run((const char *[]){ "search-read", "res.partner", "[]", "--all", "--page-size", "700",
                                         "--format", "ndjson", "--fields", "name,email", NULL });
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_empty(r.err, "no progress line when stderr is not a terminal: %s", r.err);
    cr_expect_eq((long long)check_ndjson(r.out), total);
    done(&r);

    /* --limit stops, --offset skips, --order id is id */
    r = run((const char *[]){ "search-read", "res.partner", "[]", "--all", "--page-size", "7", "--offset", "10",
                              "--limit", "25", "--order", "id asc", "--format", "ndjson", "--fields", "name", NULL });
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_eq(check_ndjson(r.out), 25);
    run_result plain = run((const char *[]){ "search", "res.partner", "[]", "--order", "id", "--offset", "10",
                                             "--limit", "1", NULL });
    char first[64];
    snprintf(first, sizeof(first), "{\"id\":%lld,", atoll(plain.out + 1));
    cr_expect(strncmp(r.out, first, strlen(first)) == 0, "starts at the 11th record %s: %.80s", first, r.out);
    done(&plain);
    done(&r);
}

Test(cli_export, json_all_is_the_same_array_as_without_all)
{
    const char *domain = "[[\"id\", \"<\", 200]]";
    run_result a = run((const char *[]){ "search-read", "res.partner", domain, "--all", "--page-size", "13",
                                         "--fields", "name,country_id,is_company", NULL });
    run_result b = run((const char *[]){ "search-read", "res.partner", domain, "--order", "id", "--fields",
                                         "name,country_id,is_company", NULL });
    cr_assert_eq(a.status, 0, "%s", a.err);
    cr_assert_eq(b.status, 0, "%s", b.err);
    cr_expect(strncmp(a.out, "[\n{", 3) == 0, "one record a line: %.40s", a.out);
    json_object *ja = json_tokener_parse(a.out), *jb = json_tokener_parse(b.out);
    cr_assert(json_object_is_type(ja, json_type_array), "one array: %s", a.out);
    cr_assert_gt(json_object_array_length(ja), 20);
    cr_expect(json_object_equal(ja, jb), "--all: %s\nwithout: %s", a.out, b.out);
    json_object_put(ja);
    json_object_put(jb);
    done(&a);
    done(&b);

    /* nothing matches: an empty array; ndjson: nothing */
    a = run((const char *[]){ "search-read", "res.partner", "[[\"id\", \"<\", 0]]", "--all", NULL });
    cr_expect_str_eq(a.out, "[]\n");
    done(&a);
    a = run((const char *[]){ "search-read", "res.partner", "[[\"id\", \"<\", 0]]", "--format", "ndjson", NULL });
    cr_expect_eq(a.status, 0);
    cr_expect_str_empty(a.out);
    done(&a);
}

/* The CSV row of the record with this id (the first cell), or NULL. */
static char *csv_row_of(const char *csv, long long id)
{
    char key[32];
    snprintf(key, sizeof(key), "\n%lld,", id);
    const char *p = strstr(csv, key);
    if (!p)
        return NULL;
    p++;
    /* the row ends at the first newline outside quotes */
    int quoted = 0;
    const char *e = p;
    for (; *e && (quoted || *e != '\n'); e++)
        if (*e == '"')
            quoted = !quoted;
    return strndup(p, (size_t)(e - p));
}

/* text as one CSV cell (RFC 4180), into buf[160] */
static const char *csv_quoted(const char *text, char *buf)
{
    if (!strpbrk(text, ",\"\r\n"))
        return snprintf(buf, 160, "%s", text), buf;
    size_t o = 0;
    buf[o++] = '"';
    for (const char *p = text; *p && o < 156; p++) {
        if (*p == '"')
            buf[o++] = '"';
        buf[o++] = *p;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

Test(cli_export, csv_header_types_and_quoting)
{
    run_result c = run((const char *[]){ "create", "res.partner",
                                         "{\"name\": \"Doe, \\\"J\\\"\\nsecond line\", \"is_company\": true, "
                                         "\"email\": false}", NULL });
    cr_assert_eq(c.status, 0, "%s", c.err);
    long long created = atoll(c.out);
    done(&c);

    const char *fields = "name,email,country_id,is_company,child_ids";
    run_result r = run((const char *[]){ "search-read", "res.partner", "[]", "--all", "--page-size", "500",
                                         "--format", "csv", "--fields", fields, NULL });
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *header = "id,name,email,country_id,country_id_id,is_company,child_ids\n";
    cr_assert(strncmp(r.out, header, strlen(header)) == 0, "header: %.120s", r.out);

    /* quoting, false as empty, boolean, unset many2one as two empty cells, no children */
    char *row = csv_row_of(r.out, created), want[160];
    snprintf(want, sizeof(want), "%lld,\"Doe, \"\"J\"\"\nsecond line\",,,,true,", created);
    cr_assert(row, "the created partner %lld is in the export", created);
    cr_expect_str_eq(row, want);
    free(row);

    /* a many2one with a value, a boolean false, several children: against the same record in NDJSON */
    run_result j = run((const char *[]){ "search-read", "res.partner",
                                         "[[\"country_id\", \"!=\", false], [\"child_ids\", \"!=\", false], "
                                         "[\"is_company\", \"=\", true], [\"email\", \"!=\", false]]",
                                         "--limit", "1", "--format", "ndjson", "--fields", fields, NULL });
    cr_assert_eq(j.status, 0, "%s", j.err);
    json_object *rec = json_tokener_parse(j.out), *v;
    cr_assert(rec, "%s", j.out);
    json_object_object_get_ex(rec, "id", &v);
    long long id = json_object_get_int64(v);
    json_object *country, *children, *name, *email;
    json_object_object_get_ex(rec, "country_id", &country);
    json_object_object_get_ex(rec, "child_ids", &children);
    json_object_object_get_ex(rec, "name", &name);
    json_object_object_get_ex(rec, "email", &email);
    cr_assert(json_object_array_length(children) > 1);
    char ids[256] = "";
    for (size_t i = 0; i < json_object_array_length(children); i++) {
        size_t l = strlen(ids);
        snprintf(ids + l, sizeof(ids) - l, "%s%lld", i ? "," : "",
                 (long long)json_object_get_int64(json_object_array_get_idx(children, i)));
    }
    char expect[512], qname[160], qemail[160], qcountry[160];
    snprintf(expect, sizeof(expect), "%lld,%s,%s,%s,%lld,true,\"%s\"", id,
             csv_quoted(json_object_get_string(name), qname), csv_quoted(json_object_get_string(email), qemail),
             csv_quoted(json_object_get_string(json_object_array_get_idx(country, 1)), qcountry),
             (long long)json_object_get_int64(json_object_array_get_idx(country, 0)), ids);
    row = csv_row_of(r.out, id);
    cr_assert(row);
    cr_expect_str_eq(row, expect);
    free(row);
    json_object_put(rec);
    done(&j);

    /* one row a record (header apart), the created one spanning two lines */
    size_t rows = 0;
    int quoted = 0;
    for (const char *p = r.out; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        rows += *p == '\n' && !quoted;
    }
    cr_expect_eq((long long)rows - 1, count_of("[]"));
    done(&r);

    /* a company that is not one: false for a boolean; without --all the same cells */
    r = run((const char *[]){ "search-read", "res.partner", "[[\"is_company\", \"=\", false]]", "--limit", "1",
                              "--order", "id", "--format", "csv", "--fields", "is_company", NULL });
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "id,is_company\n", 14) == 0 && strstr(r.out, ",false\n"), "%s", r.out);
    done(&r);

    /* no record, --fields given: the header alone */
    r = run((const char *[]){ "search-read", "res.partner", "[[\"id\", \"<\", 0]]", "--all", "--format", "csv",
                              "--fields", "name,parent_id", NULL });
    cr_expect_str_eq(r.out, "id,name,parent_id,parent_id_id\n");
    done(&r);
}

static void expect_usage(const char *const *words, const char *says)
{
    run_result r = run(words);
    cr_expect_eq(r.status, 2, "%s: %s", words[3], r.err);
    cr_expect_str_empty(r.out);
    cr_expect(strstr(r.err, "\"kind\":\"usage\"") && strstr(r.err, says), "%s", r.err);
    done(&r);
}

Test(cli_export, usage_errors)
{
    expect_usage((const char *[]){ "search-read", "res.partner", "[]", "--page-size", "10", NULL },
                 "--page-size goes with --all");
    expect_usage((const char *[]){ "search-read", "res.partner", "[]", "--format", "bogus", NULL },
                 "json, ndjson or csv, not 'bogus'");
    expect_usage((const char *[]){ "search-read", "res.partner", "[]", "--count", NULL }, "--count goes with --all");
    expect_usage((const char *[]){ "search-read", "res.partner", "[]", "--all", "--order", "name", NULL },
                 "cannot sort by 'name'");
    expect_usage((const char *[]){ "search-read", "res.partner", "[]", "--all", "--page-size", "0", NULL },
                 "positive");
    expect_usage((const char *[]){ "search", "res.partner", "[]", "--all", NULL }, "search takes no --all");
}

static void inject_failure(void)
{
    odoo_mock_clear_faults(mock);
    cr_assert_eq(odoo_mock_inject(mock, "html500:count=100000"), 0);
}

Test(cli_export, a_failure_midway_leaves_a_flushed_prefix_and_the_error)
{
    /* slow pages, so the fault lands while pages remain */
    run_how how = { .after_first_line = inject_failure };
    const char *formats[] = { "ndjson", "json" };
    for (int f = 0; f < 2; f++) {
        odoo_mock_clear_faults(mock);
        cr_assert_eq(odoo_mock_inject(mock, "latency:ms=30,count=100000"), 0);
        run_result r = run_with(&how, (const char *[]){ "search-read", "res.partner", "[]", "--all", "--page-size",
                                                        "100", "--format", formats[f], "--fields", "name", NULL });
        cr_expect(r.status != 0 && r.status != 2, "%s: exit %d", formats[f], r.status);
        json_object *doc = json_tokener_parse(r.err), *e;
        cr_expect(doc && json_object_object_get_ex(doc, "error", &e), "one JSON error on stderr: %s", r.err);
        json_object_put(doc);
        size_t n;
        if (f == 0) {
            n = check_ndjson(r.out);
        } else {
            cr_assert(strncmp(r.out, "[\n", 2) == 0, "%.40s", r.out);
            size_t len = strlen(r.out);
            cr_expect(len > 2 && r.out[len - 1] == '}', "the array is left open after a whole record: %s",
                      r.out + (len > 80 ? len - 80 : 0));
            n = 0;
            for (const char *p = r.out; (p = strstr(p, "{\"id\":")); p++)
                n++;
        }
        /* whole pages were written, not every record */
        cr_expect(n >= 100 && n < 4000, "%s: %zu records before the failure", formats[f], n);
        done(&r);
    }
}

Test(cli_export, a_full_stdout_is_an_output_error)
{
    if (access("/dev/full", W_OK) != 0)
        cr_skip_test("no /dev/full");
    run_how how = { .stdout_path = "/dev/full" };
    run_result r = run_with(&how, (const char *[]){ "search-read", "res.partner", "[]", "--all", "--format",
                                                    "ndjson", NULL });
    cr_expect_eq(r.status, 4, "%s", r.err);
    cr_expect(strstr(r.err, "\"kind\":\"output\"") && strstr(r.err, "No space left"), "%s", r.err);
    done(&r);
}

Test(cli_export, progress_line_only_on_a_terminal)
{
    const char *words[] = { "search-read", "res.partner", "[]", "--all", "--count", "--page-size", "500",
                            "--format", "ndjson", "--fields", "name", NULL };
    run_result r = run(words);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_str_empty(r.err, "stderr is a pipe: no progress line");
    done(&r);

    long long total = count_of("[]");
    char want[96];
    snprintf(want, sizeof(want), "%lld,%03lld of %lld,%03lld records, ", total / 1000, total % 1000, total / 1000,
             total % 1000);
    run_how tty = { .stderr_tty = 1 };
    r = run_with(&tty, words);
    cr_assert_eq(r.status, 0, "%s", r.err);
    const char *last = strrchr(r.err, '\r');
    /* the terminal turns the final \n into \r\n */
    cr_expect(r.err[0] == '\r' && strstr(r.err, want) && strstr(r.err, "/s\033[K\r\n"), "progress: %s", r.err);
    cr_expect(last && strcmp(last, "\r\n") == 0, "ends with a newline: %s", r.err);
    cr_expect_eq((long long)check_ndjson(r.out), total, "stdout untouched by the progress line");
    done(&r);

    /* -v: the trace has stderr, no progress line */
    const char *verbose[] = { "-v", "search-read", "res.partner", "[]", "--all", "--limit", "3", "--fields", "name",
                              NULL };
    r = run_with(&tty, verbose);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(!strstr(r.err, "records, "), "%s", r.err);
    done(&r);
}
