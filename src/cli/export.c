/* odoo-rpc search-read --all / --format: records written as they arrive
 * (JSON array, NDJSON or CSV), never kept, and a progress line on a
 * terminal's stderr.
 *
 * With --all the records come from odoo_search_read_each, one at a time;
 * each is written and dropped, so memory stays at the library's page
 * whatever the count. stdout is flushed every page (and with each
 * progress update), so a reader downstream sees the records page by page
 * and a failure leaves a flushed prefix: whole records for NDJSON and CSV,
 * an unclosed array for JSON.
 *
 * CSV (RFC 4180, LF line ends, a header row): the columns are --fields in
 * that order, "id" first unless listed, or without --fields the first
 * record's keys in the server's order. One fields_get (attribute type)
 * says how to write each: many2one as two columns, FIELD (the display
 * name) and FIELD_id (the id); one2many/many2many as the ids joined by
 * ","; boolean as true/false; any other field that is false (Odoo's
 * empty) as an empty cell; numbers as JSON writes them; strings as they
 * are; anything else (json, properties) as compact JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

enum { COL_UNTYPED, COL_OTHER, COL_BOOLEAN, COL_MANY2ONE, COL_X2MANY };

typedef struct export_state {
    cli *c;
    long long n;            /* records written */
    long long total;        /* of the progress line; < 0: unknown */
    long long flush_every;  /* records: one page */
    int progress;           /* stderr is a terminal */
    double started, last_tick;
    int write_failed;       /* errno of a failed write to stdout, or 0 */
    /* CSV */
    json_object *types;     /* fields_get's answer, owned */
    char **columns;         /* the fields, once the header is written */
    int *kinds;             /* COL_* of each */
    size_t ncolumns;
} export_state;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1234567 -> "1,234,567" */
static const char *grouped(long long v, char buf[32])
{
    char digits[24];
    int n = snprintf(digits, sizeof(digits), "%lld", v < 0 ? 0 : v), o = 0;
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* "\r12,000 of 200,000 records, 41,000/s", at most ten times a second;
 * final: the last numbers and a newline, so the shell prompt or an error
 * starts a line of its own. */
static void progress(export_state *x, int final)
{
    if (!x->progress)
        return;
    double now = now_s();
    if (!final && now - x->last_tick < 0.1)
        return;
    x->last_tick = now;
    fflush(stdout);
    double elapsed = now - x->started;
    long long rate = (long long)(elapsed > 0.001 ? (double)x->n / elapsed : 0);
    char n[32], total[32], r[32];
    if (x->total >= 0)
        fprintf(stderr, "\r%s of %s records, %s/s\033[K", grouped(x->n, n), grouped(x->total, total),
                grouped(rate, r));
    else
        fprintf(stderr, "\r%s records, %s/s\033[K", grouped(x->n, n), grouped(rate, r));
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

static void check_stdout(export_state *x)
{
    if (!x->write_failed && (fflush(stdout) != 0 || ferror(stdout)))
        x->write_failed = errno ? errno : EIO;
}

/* ---- CSV ---- */

/* One cell: quoted when it holds a comma, a quote or a line break. */
static void csv_cell(const char *s, size_t len, int first)
{
    if (!first)
        fputc(',', stdout);
    if (!memchr(s, ',', len) && !memchr(s, '"', len) && !memchr(s, '\n', len) && !memchr(s, '\r', len)) {
        fwrite(s, 1, len, stdout);
        return;
    }
    fputc('"', stdout);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', stdout);
        fputc(s[i], stdout);
    }
    fputc('"', stdout);
}

static void csv_text(const char *s, int first)
{
    csv_cell(s, strlen(s), first);
}

static int column_kind(json_object *types, const char *field)
{
    json_object *def, *type;
    if (!types || !json_object_object_get_ex(types, field, &def) || !json_object_object_get_ex(def, "type", &type))
        return COL_UNTYPED;
    const char *t = json_object_get_string(type);
    if (strcmp(t, "many2one") == 0)
        return COL_MANY2ONE;
    if (strcmp(t, "one2many") == 0 || strcmp(t, "many2many") == 0)
        return COL_X2MANY;
    if (strcmp(t, "boolean") == 0)
        return COL_BOOLEAN;
    return COL_OTHER;
}

/* The columns (from --fields, else the first record's keys) and the header. */
static int csv_header(export_state *x, json_object *first)
{
    const cli *c = x->c;
    char **listed = c->fields ? cli_split_list(c->fields) : NULL;
    size_t n = 0, cap = 1;
    if (listed) {
        for (char **f = listed; *f; f++)
            cap++;
    } else if (first) {
        cap += (size_t)json_object_object_length(first);
    }
    x->columns = calloc(cap + 1, sizeof(char *));
    x->kinds = calloc(cap, sizeof(int));
    if (!x->columns || !x->kinds) {
        cli_free_list(listed);
        return -1;
    }
    if (listed) {
        int has_id = 0;
        for (char **f = listed; *f; f++)
            has_id |= strcmp(*f, "id") == 0;
        if (!has_id) /* Odoo always returns it */
            x->columns[n++] = strdup("id");
        for (char **f = listed; *f; f++)
            x->columns[n++] = strdup(*f);
        cli_free_list(listed);
    } else if (first) {
        json_object_object_foreach(first, key, value) {
            (void)value;
            x->columns[n++] = strdup(key);
        }
    }
    x->ncolumns = n;
    for (size_t i = 0; i < n; i++) {
        if (!x->columns[i])
            return -1;
        x->kinds[i] = column_kind(x->types, x->columns[i]);
        csv_text(x->columns[i], i == 0);
        if (x->kinds[i] == COL_MANY2ONE) {
            fputc(',', stdout);
            fputs(x->columns[i], stdout); /* a field name: nothing to quote */
            fputs("_id", stdout);
        }
    }
    if (n)
        fputc('\n', stdout);
    return 0;
}

/* A scalar or a compound value as its cell text. */
static void csv_value(json_object *v, int kind, int first)
{
    switch (json_object_get_type(v)) {
    case json_type_null:
        csv_cell("", 0, first);
        return;
    case json_type_boolean:
        /* false is Odoo's "empty" for every type but boolean */
        if (json_object_get_boolean(v))
            csv_text("true", first);
        else
            csv_text(kind == COL_BOOLEAN || kind == COL_UNTYPED ? "false" : "", first);
        return;
    case json_type_string:
        csv_cell(json_object_get_string(v), (size_t)json_object_get_string_len(v), first);
        return;
    default:
        csv_text(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
                 first);
        return;
    }
}

static void csv_many2one(json_object *v, int first)
{
    json_object *id = NULL, *name = NULL;
    if (json_object_is_type(v, json_type_array) && json_object_array_length(v) >= 1) {
        id = json_object_array_get_idx(v, 0);
        name = json_object_array_get_idx(v, 1);
    } else if (json_object_is_type(v, json_type_int)) {
        id = v; /* a bare id (no display name asked) */
    }
    csv_value(name, COL_OTHER, first);
    csv_value(id, COL_OTHER, 0);
}

static void csv_x2many(json_object *v, int first)
{
    if (!json_object_is_type(v, json_type_array)) {
        csv_value(v, COL_X2MANY, first);
        return;
    }
    /* ids are digits: no cell of them needs quoting but the "," joins */
    size_t n = json_object_array_length(v);
    if (!first)
        fputc(',', stdout);
    if (n > 1)
        fputc('"', stdout);
    for (size_t i = 0; i < n; i++) {
        json_object *id = json_object_array_get_idx(v, i);
        fprintf(stdout, "%s%s", i ? "," : "",
                json_object_is_type(id, json_type_int) ? json_object_to_json_string(id) : "");
    }
    if (n > 1)
        fputc('"', stdout);
}

static void csv_row(export_state *x, json_object *rec)
{
    for (size_t i = 0; i < x->ncolumns; i++) {
        json_object *v = NULL;
        int have = json_object_object_get_ex(rec, x->columns[i], &v);
        int first = i == 0;
        if (x->kinds[i] == COL_MANY2ONE)
            csv_many2one(have ? v : NULL, first);
        else if (x->kinds[i] == COL_X2MANY)
            csv_x2many(v, first);
        else
            csv_value(v, x->kinds[i], first);
    }
    fputc('\n', stdout);
}

/* ---- one record ---- */

static int write_record(json_object *rec, void *payload)
{
    export_state *x = payload;
    const char *text;
    switch (x->c->format) {
    case CLI_FORMAT_CSV:
        if (!x->columns && csv_header(x, rec) != 0) {
            x->write_failed = ENOMEM;
            return 1;
        }
        csv_row(x, rec);
        break;
    case CLI_FORMAT_NDJSON:
        text = json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        fputs(text, stdout);
        fputc('\n', stdout);
        break;
    case CLI_FORMAT_JSON:
        /* one record a line; "[" only once one comes, so a failure before
         * the first leaves stdout empty */
        text = json_object_to_json_string_ext(rec, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        fputs(x->n ? ",\n" : "[\n", stdout);
        fputs(text, stdout);
        break;
    }
    x->n++;
    if (x->n % x->flush_every == 0)
        check_stdout(x);
    progress(x, 0);
    return x->write_failed ? 1 : 0;
}

/* The end of the output: the JSON array closed, a CSV header even for no
 * record when --fields names the columns. */
static void finish(export_state *x)
{
    if (x->c->format == CLI_FORMAT_JSON)
        fputs(x->n ? "\n]\n" : "[]\n", stdout);
    else if (x->c->format == CLI_FORMAT_CSV && !x->columns && x->c->fields && csv_header(x, NULL) != 0)
        x->write_failed = ENOMEM;
}

/* stdout could not be written (a full disk, a closed pipe with SIGPIPE
 * ignored): the same error shape as every other, exit status 4. */
static int output_error(cli *c, int errnum)
{
    char msg[256];
    snprintf(msg, sizeof(msg), "writing the records to stdout failed: %s", strerror(errnum));
    return c->status = cli_local_error("output", msg, NULL, EXIT_TRANSPORT);
}

int cli_export(cli *c, odoo_protocol *p, const char *model, const odoo_search_options *o, odoo_rpc_error *err)
{
    export_state x = { .c = c, .total = -1 };
    x.flush_every = c->page_size > 0 ? c->page_size : 1000;
    /* on a terminal that also shows the records the line would be torn apart */
    x.progress = c->all && !c->verbose && isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO);
    int rc = 0;
    if (c->format == CLI_FORMAT_CSV) {
        char **fields = c->fields ? cli_split_list(c->fields) : NULL;
        const char *const attrs[] = { "type", NULL };
        rc = odoo_fields_get(&x.types, p, model, (const char *const *)fields, attrs, c->context, err);
        cli_free_list(fields);
    }
    if (rc == 0 && x.progress && c->count) {
        /* only for the progress line: not asked when none is shown */
        odoo_search_options count = ODOO_SEARCH_OPTIONS_INIT;
        count.domain = o->domain;
        count.context = o->context;
        int64_t total = 0;
        rc = odoo_search_count(&total, p, model, &count, err);
        total = total > o->offset ? total - o->offset : 0;
        x.total = o->limit > 0 && o->limit < total ? o->limit : total;
    }
    x.started = x.last_tick = now_s();
    if (rc == 0 && c->all) {
        /* --order is id at most (options.c): each's own order, however spelled */
        odoo_search_options by_id = *o;
        by_id.order = NULL;
        rc = odoo_search_read_each(p, model, &by_id, write_record, &x, err);
    } else if (rc == 0) {
        json_object *rows = NULL;
        rc = odoo_search_read(&rows, p, model, o, err);
        for (size_t i = 0; rc == 0 && i < json_object_array_length(rows); i++)
            rc = write_record(json_object_array_get_idx(rows, i), &x);
        json_object_put(rows);
    }
    if (rc == 0)
        finish(&x);
    check_stdout(&x);
    if (x.n || rc == 0)
        progress(&x, 1);
    json_object_put(x.types);
    cli_free_list(x.columns);
    free(x.kinds);
    if (x.write_failed)
        return output_error(c, x.write_failed);
    c->printed = 1;
    return rc;
}
