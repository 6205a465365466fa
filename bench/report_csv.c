/* The CSV: the Markdown table's columns, one raw value per column in the
 * unit its header names; an empty cell is n/a. */
#include <stdio.h>
#include <string.h>

#include "report.h"

static void field(const char *s, int first, FILE *f)
{
    if (!first)
        fputc(',', f);
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
    fputc('"', f);
}

int report_csv(const run_info *ri, const result *rs, size_t n, const char *path)
{
    (void)ri;
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int first = 1;
    for (size_t c = 0; c < ncolumns; c++)
        for (int i = 0; i < 2 && columns[c].csv[i]; i++, first = 0)
            field(columns[c].csv[i], first, f);
    fputc('\n', f);
    const result *rows[MAX_RESULTS];
    size_t m = report_rows(rs, n, rows, MAX_RESULTS);
    for (size_t k = 0; k < m; k++) {
        first = 1;
        for (size_t c = 0; c < ncolumns; c++)
            for (int i = 0; i < 2 && columns[c].csv[i]; i++, first = 0) {
                char v[192];
                columns[c].cell(rows[k], i, 1, v, sizeof(v));
                field(v, first, f);
            }
        fputc('\n', f);
    }
    return fclose(f);
}
