/* odoo-mock tests — replaying a recorded exchange against a running mock
 * and comparing the answer with the recording: status, content type,
 * key headers, and the body's shape (keys and JSON types, list elements
 * compared on their first element) and error class. Record ids and
 * session ids are rewritten from the recorded values to the mock's. */
#ifndef MOCK_TEST_FIXTURE_REPLAY_H
#define MOCK_TEST_FIXTURE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

typedef struct replay_ctx {
    unsigned short port;
    /* recorded id -> id returned by the mock */
    int64_t *id_from, *id_to;
    size_t nids;
    /* recorded session id -> mock session id */
    char **sid_from, **sid_to;
    size_t nsids;
    /* optional: write each answer of the mock to <dump_dir>/<file>.body */
    const char *dump_dir;
} replay_ctx;

void replay_init(replay_ctx *c, unsigned short port);
void replay_free(replay_ctx *c);

/* Returns 1 when the mock's answer matches the recording, 0 otherwise
 * (why explains), -1 when the fixture cannot be read. */
int replay_file(replay_ctx *c, const char *path, char *why, size_t whysize);

/* Sorted list of the .json files of dir (malloc'd strings, NULL-terminated). */
char **list_fixtures(const char *dir);
void free_list(char **l);

/* The exception class at the end of a Python traceback ("TypeError",
 * "odoo.exceptions.UserError", ...), written to out. */
void traceback_class(const char *tb, char *out, size_t size);

#endif
