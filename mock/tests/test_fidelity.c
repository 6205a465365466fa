/* odoo-mock tests — fidelity: every recorded exchange in tests/fixtures is
 * replayed against a mock running as the same Odoo version (and the 18
 * recordings also against 16 and 17, which behave like 18). Status,
 * content type, key headers, result shape and error class must match;
 * /doc-bearer documents (odoo19/json2-doc) are compared as doc_compare.c
 * says, on what the mock implements. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixture_replay.h"
#include "odoo_mock.h"

/* API keys that appear in the recordings (they belonged to the throwaway
 * lab servers); the mock is told to accept them like the lab did. */
static const odoo_mock_key KEYS19[] = {
    {"279b0d4fbaf43e4f19028842fdc2fdf831bfaa39", "admin", NULL, 0},
    {"f57ef3218f38b308e0a673f86216229b7167f921", "admin", "rpc", 0},
    {"a3050a67da038fb1fbcf171cdef0cc775493e2c2", "admin", "totp_device", 0},
    {"269659baa8e02f19fa2263242ed3d3c1aed85e41", "admin", NULL, 1},
    {"4c73086e37bc2794cf7ca3fa48d99315bfefc9ac", "limited", NULL, 0},
    /* json2-doc was recorded later on a rebuilt lab, with new keys */
    {"e5d077330b4462f7b9aee5a7e96187c933285569", "admin", NULL, 0},
    {"5aadef8b000f46e7e3001d4fa5853ca8b2232e13", "limited", NULL, 0},
};
static const odoo_mock_key KEYS18[] = {
    {"3d148ec9ed7aa5b8dd127f385bca71c2da854b76", "admin", NULL, 0},
    {"76a3cd46b5e107cae7461d1642b990475d8c349b", "admin", "totp_device", 0},
    {"f3e419d0ee11b839feb50535c2a86c1c7f81f775", "admin", NULL, 1},
    {"cde1d5ade797683c5387ce1b1d926f71aec6478e", "limited", NULL, 0},
};

/* Recordings the mock does not reproduce, with the reason. Keep short. */
typedef struct skip_entry {
    const char *file; /* "<version>/<protocol>/<file>" suffix */
    const char *reason;
} skip_entry;

static const skip_entry SKIPS[] = {
    {NULL, NULL},
};

static const char *skip_reason(const char *path)
{
    for (int i = 0; SKIPS[i].file; i++) {
        size_t lp = strlen(path), ls = strlen(SKIPS[i].file);
        if (lp >= ls && !strcmp(path + lp - ls, SKIPS[i].file))
            return SKIPS[i].reason;
    }
    return NULL;
}

/* json2-doc exists for 19 only (an 18 has no api_doc module) */
static const char *const FOLDERS[] = {"xmlrpc", "jsonrpc-session", "jsonrpc-service", "json2",
                                      "json2-doc", NULL};
#define NFOLDERS (sizeof FOLDERS / sizeof FOLDERS[0] - 1)

typedef struct counts {
    int total, passed, failed, skipped;
} counts;

static void replay_list(replay_ctx *rc, char **files, int cooldown_pass, counts *k)
{
    for (int i = 0; files[i]; i++) {
        int is_cooldown = strstr(files[i], "cooldown") != NULL;
        if (is_cooldown != cooldown_pass)
            continue;
        k->total++;
        const char *skip = skip_reason(files[i]);
        if (skip) {
            k->skipped++;
            fprintf(stderr, "  SKIP %s: %s\n", files[i], skip);
            continue;
        }
        char why[1024] = "";
        int r = replay_file(rc, files[i], why, sizeof why);
        if (r == 1) {
            k->passed++;
        } else {
            k->failed++;
            fprintf(stderr, "  FAIL %s: %s\n", files[i], why);
        }
    }
}

static void run_fidelity(int mock_version, int fixture_version)
{
    char dir[1024];
    odoo_mock_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.odoo_version = mock_version;
    cfg.db = fixture_version == 19 ? "odoo19" : "odoo18";
    cfg.quiet = 1;
    cfg.extra_keys = fixture_version == 19 ? KEYS19 : KEYS18;
    cfg.n_extra_keys = fixture_version == 19 ? sizeof KEYS19 / sizeof KEYS19[0]
                                             : sizeof KEYS18 / sizeof KEYS18[0];
    odoo_mock *m;
    cr_assert_eq(odoo_mock_start(&m, &cfg), 0);
    replay_ctx rc;
    replay_init(&rc, odoo_mock_port(m));
    /* ODOO_MOCK_FIDELITY_DUMP=<dir>: keep the mock's answers for review */
    char dump[1024];
    const char *dd = getenv("ODOO_MOCK_FIDELITY_DUMP");
    if (dd && *dd) {
        snprintf(dump, sizeof dump, "%s/odoo%d-on-%d", dd, fixture_version, mock_version);
        mkdir(dd, 0777);
        mkdir(dump, 0777);
        rc.dump_dir = dump;
    }
    char **lists[NFOLDERS];
    for (int f = 0; FOLDERS[f]; f++) {
        snprintf(dir, sizeof dir, "%s/odoo%d/%s", ODOO_MOCK_FIXTURES_DIR, fixture_version, FOLDERS[f]);
        lists[f] = list_fixtures(dir);
    }
    counts k = {0, 0, 0, 0};
    /* the login-cooldown recordings were made last, after every folder */
    for (int pass = 0; pass < 2; pass++)
        for (int f = 0; FOLDERS[f]; f++)
            replay_list(&rc, lists[f], pass, &k);
    for (int f = 0; FOLDERS[f]; f++)
        free_list(lists[f]);
    replay_free(&rc);
    odoo_mock_stop(m);
    fprintf(stderr, "fidelity: odoo%d recordings on mock %d: %d/%d passed, %d skipped, %d failed\n",
            fixture_version, mock_version, k.passed, k.total, k.skipped, k.failed);
    cr_expect_gt(k.total, 0, "no fixtures found under %s", ODOO_MOCK_FIXTURES_DIR);
    cr_expect_eq(k.failed, 0, "%d recorded exchanges differ (see stderr)", k.failed);
}

Test(fidelity, odoo19, .timeout = 120)
{
    run_fidelity(19, 19);
}

Test(fidelity, odoo18, .timeout = 120)
{
    run_fidelity(18, 18);
}

Test(fidelity, odoo17_like_18, .timeout = 120)
{
    run_fidelity(17, 18);
}

Test(fidelity, odoo16_like_18, .timeout = 120)
{
    run_fidelity(16, 18);
}
