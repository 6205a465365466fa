/* odoo-rpc options: the command line (getopt_long style: --opt=v, --opt v,
 * -u v, -uv, -vk), the environment and profiles, in that order of
 * precedence except that a profile named explicitly (--profile,
 * ODOO_PROFILE) beats the ODOO_* variables.
 *
 * Secrets given on the command line are copied and wiped from argv (so
 * they leave /proc/PID/cmdline); every copy is wiped again at exit. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum {
    O_HELP, O_VERSION, O_PRETTY, O_VERBOSE, O_INSECURE, O_URL, O_DB, O_USER, O_PASSWORD, O_API_KEY,
    O_PROTOCOL, O_PREFER, O_TIMEOUT, O_CONNECT_TIMEOUT, O_CA_FILE, O_CA_PATH, O_CERT, O_KEY, O_MAX_RESPONSE, O_USER_AGENT,
    O_CONTEXT, O_PROXY_URL, O_PROXY_KEY, O_USER_ID, O_PROFILE, O_FIELDS, O_ATTRIBUTES, O_ORDER, O_OPERATOR,
    O_LIMIT, O_OFFSET, O_V2, O_IDS, O_ALL, O_PAGE_SIZE, O_FORMAT, O_COUNT
};

/* Aliases (curl's names) come right after the option they stand for. */
const cli_option cli_options[] = {
    { "help", 'h', 0, O_HELP, 0, 0, 0, NULL },
    { "version", 'V', 0, O_VERSION, 0, 0, 0, NULL },
    { "url", 0, 1, O_URL, 0, 0, 1, "URL" },
    { "db", 'd', 1, O_DB, 0, 0, 1, "NAME" },
    { "user", 'u', 1, O_USER, 0, 0, 1, "LOGIN" },
    { "password", 0, 1, O_PASSWORD, 0, 1, 1, "PW" },
    { "api-key", 0, 1, O_API_KEY, 0, 1, 1, "KEY" },
    { "protocol", 0, 1, O_PROTOCOL, 0, 0, 1, "PROTOCOL" },
    { "prefer", 0, 1, O_PREFER, 0, 0, 1, "compat|throughput" },
    { "profile", 0, 1, O_PROFILE, 0, 0, 0, "NAME" },
    { "timeout", 'm', 1, O_TIMEOUT, 0, 0, 1, "SECONDS" },
    { "max-time", 0, 1, O_TIMEOUT, 0, 0, 0, "SECONDS" },
    { "connect-timeout", 0, 1, O_CONNECT_TIMEOUT, 0, 0, 1, "SECONDS" },
    { "insecure", 'k', 0, O_INSECURE, 0, 0, 1, NULL },
    { "ca-file", 0, 1, O_CA_FILE, 0, 0, 1, "FILE" },
    { "cacert", 0, 1, O_CA_FILE, 0, 0, 0, "FILE" },
    { "ca-path", 0, 1, O_CA_PATH, 0, 0, 1, "DIR" },
    { "capath", 0, 1, O_CA_PATH, 0, 0, 0, "DIR" },
    { "cert", 0, 1, O_CERT, 0, 0, 1, "FILE" },
    { "key", 0, 1, O_KEY, 0, 0, 1, "FILE" },
    { "max-response", 0, 1, O_MAX_RESPONSE, 0, 0, 1, "BYTES" },
    { "user-agent", 'A', 1, O_USER_AGENT, 0, 0, 1, "TEXT" },
    { "context", 0, 1, O_CONTEXT, F_CONTEXT, 0, 1, "JSON" },
    { "proxy-url", 0, 1, O_PROXY_URL, 0, 0, 1, "URL" },
    { "proxy-key", 0, 1, O_PROXY_KEY, 0, 1, 1, "KEY" },
    { "user-id", 0, 1, O_USER_ID, 0, 0, 1, "UID" },
    { "pretty", 0, 0, O_PRETTY, 0, 0, 1, NULL },
    { "verbose", 'v', 0, O_VERBOSE, 0, 0, 0, NULL },
    { "fields", 0, 1, O_FIELDS, F_FIELDS, 0, 0, "a,b" },
    { "attributes", 0, 1, O_ATTRIBUTES, F_ATTRIBUTES, 0, 0, "a,b" },
    { "order", 0, 1, O_ORDER, F_ORDER, 0, 0, "SPEC" },
    { "operator", 0, 1, O_OPERATOR, F_OPERATOR, 0, 0, "OP" },
    { "limit", 0, 1, O_LIMIT, F_LIMIT, 0, 0, "N" },
    { "offset", 0, 1, O_OFFSET, F_OFFSET, 0, 0, "N" },
    { "ids", 0, 1, O_IDS, F_IDS, 0, 0, "IDS" },
    { "v2", 0, 0, O_V2, F_V2, 0, 0, NULL },
    { "all", 0, 0, O_ALL, F_EXPORT, 0, 0, NULL },
    { "page-size", 0, 1, O_PAGE_SIZE, F_EXPORT, 0, 0, "N" },
    { "format", 0, 1, O_FORMAT, F_EXPORT, 0, 0, "json|ndjson|csv" },
    { "count", 0, 0, O_COUNT, F_EXPORT, 0, 0, NULL },
    { NULL, 0, 0, 0, 0, 0, 0, NULL },
};

/* ---- memory the parser owns: every string is wiped before free ---- */

static char **owned;
static size_t nowned, capowned;

static char *keep(char *s)
{
    if (!s)
        return NULL;
    if (nowned == capowned) {
        size_t cap = capowned ? capowned * 2 : 16;
        char **n = realloc(owned, cap * sizeof(*n));
        if (!n) {
            explicit_bzero(s, strlen(s));
            free(s);
            return NULL;
        }
        owned = n;
        capowned = cap;
    }
    return owned[nowned++] = s;
}

static const char **words;
static struct token {
    const cli_option *o;
    const char *value;
    const char *spelled; /* as typed, for messages: "--limit", "-m" */
} *tokens;
static size_t ntokens;

void cli_parse_free(cli *c)
{
    for (size_t i = 0; i < nowned; i++) {
        explicit_bzero(owned[i], strlen(owned[i]));
        free(owned[i]);
    }
    free(owned);
    owned = NULL;
    nowned = capowned = 0;
    free(words);
    free(tokens);
    words = NULL;
    tokens = NULL;
    ntokens = 0; /* a second parse in the same process (the fuzz harness) starts afresh */
    json_object_put(c->context);
    json_object_put(c->ids);
    c->context = c->ids = NULL;
}

static const cli_option *find_long(const char *name, size_t len)
{
    for (const cli_option *o = cli_options; o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

static const cli_option *find_short(char ch)
{
    for (const cli_option *o = cli_options; o->name; o++)
        if (o->short_name == ch)
            return o;
    return NULL;
}

static const cli_option *find_profile_key(const char *key)
{
    char norm[64];
    size_t n = strlen(key);
    if (n >= sizeof(norm))
        return NULL;
    for (size_t i = 0; i <= n; i++)
        norm[i] = key[i] == '_' ? '-' : (char)tolower((unsigned char)key[i]);
    for (const cli_option *o = cli_options; o->name; o++)
        if (o->in_profile && strcmp(o->name, norm) == 0)
            return o;
    return NULL;
}

static const char *suggest_option(const char *name, int profile_keys)
{
    const char *names[64];
    size_t n = 0;
    for (const cli_option *o = cli_options; o->name && n < 64; o++)
        if (!profile_keys || o->in_profile)
            names[n++] = o->name;
    return cli_closest(name, names, n);
}

/* ---- values ---- */

/* Seconds with millisecond resolution, 0.001 to 86400: "nan", "inf",
 * negative and sub-millisecond values are refused (they used to mean "no
 * timeout" or "the default"). */
static int parse_seconds(const char *what, const char *text, long *ms)
{
    char *end;
    errno = 0;
    double s = strtod(text, &end);
    if (end == text || *end || errno || !isfinite(s) || s < 0.001 || s > 86400)
        return cli_usage_error("%s needs a number of seconds from 0.001 to 86400 (millisecond resolution), "
                               "not '%s'", what, text);
    *ms = (long)(s * 1000.0 + 0.5); /* s >= 0.001: at least 1 ms */
    return 0;
}

static int parse_long(const char *what, const char *text, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 0 || !isdigit((unsigned char)*text))
        return cli_usage_error("%s needs a non-negative integer, not '%s'", what, text);
    *out = v;
    return 0;
}

/* Bytes, with an optional K, M or G (powers of 1024). */
static int parse_bytes(const char *what, const char *text, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    unsigned long long mult = 1;
    if (*end && !end[1]) {
        switch (toupper((unsigned char)*end)) {
        case 'K': mult = 1ull << 10; end++; break;
        case 'M': mult = 1ull << 20; end++; break;
        case 'G': mult = 1ull << 30; end++; break;
        }
    }
    if (errno || end == text || *end || !isdigit((unsigned char)*text) || v == 0 || v > SIZE_MAX / mult)
        return cli_usage_error("%s needs a positive number of bytes (K, M, G suffixes allowed), not '%s'", what,
                               text);
    *out = (size_t)(v * mult);
    return 0;
}

static int parse_bool(const char *what, const char *text, int *out)
{
    static const char *const yes[] = { "1", "true", "yes", "on" }, *const no[] = { "0", "false", "no", "off" };
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(text, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(text, no[i]) == 0)
            return *out = 0, 0;
    }
    return cli_usage_error("%s is true or false, not '%s'", what, text);
}

/* ---- stdin ---- */

int cli_completing;

static const char *stdin_user;   /* who read stdin first, for messages (stdin_by) */
static char stdin_by[80];
static int stdin_secrets;        /* secrets read from it, one line each */

static void claim_stdin(const char *what)
{
    snprintf(stdin_by, sizeof(stdin_by), "%s", what);
    stdin_user = stdin_by;
}

#define SECRET_MAX 65536

/* "--password -": the next line of stdin, so the secret is neither in the
 * command line nor in the environment. Read byte by byte without stdio
 * buffering, so no copy stays in a buffer; longer than SECRET_MAX is
 * refused, never cut. */
static char *secret_from_stdin(const char *what)
{
    if (stdin_user && !stdin_secrets)
        return cli_usage_error("%s -: stdin is already read for %s", what, stdin_user), NULL;
    size_t cap = 128, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return cli_usage_error("out of memory"), NULL;
    char ch;
    ssize_t n;
    while ((n = read(0, &ch, 1)) == 1 || (n < 0 && errno == EINTR)) {
        if (n < 0)
            continue;
        if (ch == '\n')
            break;
        if (len >= SECRET_MAX) {
            explicit_bzero(buf, len);
            free(buf);
            return cli_usage_error("%s -: the secret on stdin is longer than %d bytes", what, SECRET_MAX), NULL;
        }
        if (len + 1 >= cap) {
            /* grow without leaving a copy behind in freed memory */
            char *bigger = malloc(cap * 2);
            if (!bigger) {
                explicit_bzero(buf, len);
                free(buf);
                return cli_usage_error("out of memory"), NULL;
            }
            memcpy(bigger, buf, len);
            explicit_bzero(buf, len);
            free(buf);
            buf = bigger;
            cap *= 2;
        }
        buf[len++] = ch;
    }
    if (len && buf[len - 1] == '\r')
        len--;
    buf[len] = '\0';
    if (len == 0) {
        free(buf);
        return cli_usage_error("%s -: no secret on stdin (an empty line or nothing)", what), NULL;
    }
    if (!stdin_user)
        claim_stdin(what);
    stdin_secrets++;
    return keep(buf);
}

const char *cli_arg_text(const char *what, const char *arg, char **owned_text)
{
    *owned_text = NULL;
    FILE *f;
    const char *from;
    if (strcmp(arg, "-") == 0 || strcmp(arg, "@-") == 0) {
        if (stdin_user)
            return cli_usage_error("%s -: stdin is already read for %s", what, stdin_user), NULL;
        claim_stdin(what);
        f = stdin;
        from = "stdin";
    } else if (arg[0] == '@') {
        if (!(f = fopen(arg + 1, "r")))
            return cli_usage_error("%s %s: %s", what, arg, strerror(errno)), NULL;
        from = arg + 1;
    } else {
        return arg;
    }
    /* 64 MiB: the default largest answer the library takes, as a bound */
    size_t cap = 4096, len = 0, n;
    char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *bigger = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    int failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!buf || failed) {
        free(buf);
        return cli_usage_error("%s: cannot read %s%s", what, from, buf ? "" : " (larger than 64 MiB?)"), NULL;
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        free(buf);
        return cli_usage_error("%s: %s holds a NUL byte", what, from), NULL;
    }
    *owned_text = buf;
    return buf;
}

/* ---- setting one option from any source ---- */

/* what: "--timeout", "ODOO_TIMEOUT" or "profile 'prod': timeout". Strings
 * are borrowed and must outlive the run (argv, environ, kept copies). */
static int apply(cli *c, const cli_option *o, const char *value, const char *what, int from_cmdline)
{
    if (o->secret && from_cmdline && strcmp(value, "-") == 0) {
        if (cli_completing)
            return 0; /* never wait on the shell's stdin */
        if (!(value = secret_from_stdin(what)))
            return EXIT_USAGE;
    }
    switch (o->id) {
    case O_PRETTY:
        if (value)
            return parse_bool(what, value, &c->pretty);
        c->pretty = 1;
        return 0;
    case O_VERBOSE: c->verbose++; return 0;
    case O_INSECURE:
        if (value)
            return parse_bool(what, value, &c->opts.tls_insecure);
        c->opts.tls_insecure = 1;
        return 0;
    case O_URL: c->opts.url = value; return 0;
    case O_DB: c->opts.db = value; return 0;
    case O_USER: c->opts.login = value; return 0;
    case O_PASSWORD: c->opts.password = value; return 0;
    case O_API_KEY: c->opts.api_key = value; return 0;
    case O_PROXY_URL: c->opts.proxy_url = value; return 0;
    case O_PROXY_KEY: c->opts.proxy_api_key = value; return 0;
    case O_CA_FILE: c->opts.ca_file = value; return 0;
    case O_CA_PATH: c->opts.ca_path = value; return 0;
    case O_CERT: c->opts.cert_file = value; return 0;
    case O_KEY: c->opts.key_file = value; return 0;
    case O_PROTOCOL:
        if (!*value) {
            c->kind = ODOO_PROTOCOL_AUTO;
            return 0;
        }
        if (odoo_protocol_kind_from_name(&c->kind, value) != 0)
            return cli_usage_error("%s: unknown protocol '%s' (auto, xmlrpc, jsonrpc, jsonrpc-stateless, json2, "
                                   "odxproxy)", what, value);
        return 0;
    case O_PREFER:
        if (strcmp(value, "compat") == 0)
            c->opts.prefer = ODOO_PREFER_COMPAT;
        else if (strcmp(value, "throughput") == 0)
            c->opts.prefer = ODOO_PREFER_THROUGHPUT;
        else
            return cli_usage_error("%s is compat or throughput, not '%s'", what, value);
        return 0;
    case O_TIMEOUT: return parse_seconds(what, value, &c->opts.timeout_ms);
    case O_CONNECT_TIMEOUT: return parse_seconds(what, value, &c->opts.connect_timeout_ms);
    case O_MAX_RESPONSE: return parse_bytes(what, value, &c->opts.max_response_bytes);
    case O_USER_AGENT:
        for (const char *p = value; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                return cli_usage_error("%s: control characters are not allowed in a header", what);
        c->opts.user_agent = value;
        return 0;
    case O_CONTEXT:
        json_object_put(c->context);
        return (c->context = cli_json_arg(what, value, json_type_object)) ? 0 : EXIT_USAGE;
    case O_USER_ID: return parse_long(what, value, &c->opts.user_id);
    case O_FIELDS: c->fields = value; return 0;
    case O_ATTRIBUTES: c->attributes = value; return 0;
    case O_ORDER: c->order = value; return 0;
    case O_OPERATOR: c->op = value; return 0;
    case O_LIMIT: return parse_long(what, value, &c->limit);
    case O_OFFSET: return parse_long(what, value, &c->offset);
    case O_IDS: c->ids_text = value; return 0;
    case O_V2: c->v2 = 1; return 0;
    case O_ALL: c->all = 1; return 0;
    case O_COUNT: c->count = 1; return 0;
    case O_PAGE_SIZE:
        if (parse_long(what, value, &c->page_size))
            return EXIT_USAGE;
        if (c->page_size == 0)
            return cli_usage_error("%s needs a positive number of records", what);
        return 0;
    case O_FORMAT:
        if (strcmp(value, "json") == 0)
            c->format = CLI_FORMAT_JSON;
        else if (strcmp(value, "ndjson") == 0)
            c->format = CLI_FORMAT_NDJSON;
        else if (strcmp(value, "csv") == 0)
            c->format = CLI_FORMAT_CSV;
        else
            return cli_usage_error("%s is json, ndjson or csv, not '%s'", what, value);
        return 0;
    default: return 0; /* help, version, profile: handled before */
    }
}

/* "id", "id asc": the only orders odoo_search_read_each takes (it pages by id). */
static int order_is_id(const char *order)
{
    char norm[16];
    size_t n = 0;
    for (const char *p = order; *p; p++) {
        if (isspace((unsigned char)*p) && (n == 0 || norm[n - 1] == ' '))
            continue;
        if (n + 1 >= sizeof(norm))
            return 0;
        norm[n++] = isspace((unsigned char)*p) ? ' ' : (char)tolower((unsigned char)*p);
    }
    while (n && norm[n - 1] == ' ')
        n--;
    norm[n] = '\0';
    return strcmp(norm, "id") == 0 || strcmp(norm, "id asc") == 0;
}

/* --page-size and --count only mean something with --all, and --all
 * cannot sort: refused before connecting. */
static int check_export(const cli *c)
{
    if (c->page_size && !c->all)
        return cli_usage_error("--page-size goes with --all (records fetched page by page)");
    if (c->count && !c->all)
        return cli_usage_error("--count goes with --all (the total of its progress line)");
    if (c->all && c->order && !order_is_id(c->order))
        return cli_usage_error("--all pages by id and cannot sort by '%s' (only --order id): sort the output "
                               "instead, or drop --all and use --limit/--offset", c->order);
    return 0;
}

/* ---- environment ---- */

static const struct {
    const char *var;
    const char *option;
} env_vars[] = {
    { "ODOO_URL", "url" }, { "ODOO_DB", "db" }, { "ODOO_USER", "user" }, { "ODOO_PASSWORD", "password" },
    { "ODOO_API_KEY", "api-key" }, { "ODOO_PROTOCOL", "protocol" }, { "ODOO_TIMEOUT", "timeout" },
    { "ODXPROXY_URL", "proxy-url" }, { "ODXPROXY_API_KEY", "proxy-key" }, { "ODXPROXY_USER_ID", "user-id" },
};

static int apply_env(cli *c)
{
    for (size_t i = 0; i < sizeof(env_vars) / sizeof(env_vars[0]); i++) {
        const char *v = getenv(env_vars[i].var);
        if (!v)
            continue;
        /* an empty variable is unset, as the shell idiom VAR= expects */
        if (!*v)
            continue;
        int rc = apply(c, find_long(env_vars[i].option, strlen(env_vars[i].option)), v, env_vars[i].var, 0);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- profiles: $XDG_CONFIG_HOME/odoo-rpc/config or ~/.config/odoo-rpc/config ---- */

typedef struct {
    const cli_option *o;
    char *value;    /* kept */
    char what[160];
} profile_entry;

static profile_entry *pentries;
static size_t npentries;
static char profile_path[4096];

static int config_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(profile_path, sizeof(profile_path), "%s/odoo-rpc/config", xdg);
    else if (home && *home)
        n = snprintf(profile_path, sizeof(profile_path), "%s/.config/odoo-rpc/config", home);
    else
        return 0;
    return n > 0 && (size_t)n < sizeof(profile_path);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Read the section `name` (explicit: it must exist). A file that holds a
 * secret anywhere must be the user's own and unreadable by others. */
static int load_profile(const char *name, int explicit_name)
{
    if (!config_path()) {
        if (explicit_name)
            return cli_usage_error("profile '%s': no configuration file (set HOME or XDG_CONFIG_HOME)", name);
        return 0;
    }
    int fd = open(profile_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT && !explicit_name)
            return 0;
        return cli_usage_error("profile '%s': %s: %s", name, profile_path, strerror(errno));
    }
    struct stat st;
    FILE *f = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? fdopen(fd, "r") : NULL;
    if (!f) {
        close(fd);
        return cli_usage_error("%s is not a regular file", profile_path);
    }
    char line[8192], section[128] = "", sections[1024] = "", secret_at[200] = "";
    const char *names[64];
    char namebuf[64][128];
    size_t nnames = 0;
    int found = 0, lineno = 0, rc = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            rc = cli_usage_error("%s line %d: longer than %zu bytes", profile_path, lineno, sizeof(line) - 2);
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            char *end = strchr(s, ']');
            if (!end || end[1] || end - s - 1 <= 0 || (size_t)(end - s - 1) >= sizeof(section)) {
                rc = cli_usage_error("%s line %d: a section is [name]", profile_path, lineno);
                break;
            }
            *end = '\0';
            snprintf(section, sizeof(section), "%s", trim(s + 1));
            if (strcmp(section, name) == 0)
                found = 1;
            int seen = 0;
            for (size_t i = 0; i < nnames; i++)
                seen |= strcmp(names[i], section) == 0;
            if (!seen && nnames < 64) {
                snprintf(namebuf[nnames], sizeof(namebuf[0]), "%s", section);
                names[nnames] = namebuf[nnames];
                nnames++;
                size_t l = strlen(sections);
                snprintf(sections + l, sizeof(sections) - l, "%s%s", l ? ", " : "", section);
            }
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq || !*section) {
            rc = cli_usage_error("%s line %d: expected key = value inside a [section]", profile_path, lineno);
            break;
        }
        *eq = '\0';
        char *key = trim(s), *value = trim(eq + 1);
        const cli_option *o = find_profile_key(key);
        if (!o) {
            const char *near = suggest_option(key, 1);
            rc = near ? cli_usage_error("%s line %d: unknown key '%s': did you mean '%s'?", profile_path, lineno,
                                        key, near)
                      : cli_usage_error("%s line %d: unknown key '%s'", profile_path, lineno, key);
            break;
        }
        if (o->secret && !*secret_at)
            snprintf(secret_at, sizeof(secret_at), "%s in [%s]", o->name, section);
        if (strcmp(section, name) != 0)
            continue;
        if (o->secret && strcmp(value, "-") == 0) {
            rc = cli_usage_error("%s line %d: a profile cannot read %s from stdin", profile_path, lineno, key);
            break;
        }
        profile_entry *grown = realloc(pentries, (npentries + 1) * sizeof(*pentries));
        char *copy = strdup(value);
        if (!grown || !copy) {
            free(copy);
            pentries = grown ? grown : pentries;
            rc = cli_usage_error("out of memory");
            break;
        }
        pentries = grown;
        pentries[npentries].o = o;
        pentries[npentries].value = keep(copy);
        snprintf(pentries[npentries].what, sizeof(pentries[0].what), "profile '%s': %s", name, o->name);
        npentries++;
    }
    explicit_bzero(line, sizeof(line));
    fclose(f);
    if (rc)
        return rc;
    if (*secret_at && ((st.st_mode & 077) || st.st_uid != geteuid()))
        return cli_usage_error("%s holds a secret (%s) but %s: chmod 600 it (or keep the secret in "
                               "ODOO_API_KEY / --api-key -)", profile_path, secret_at,
                               st.st_uid != geteuid() ? "is not yours" : "others may read it");
    if (explicit_name && !found) {
        const char *near = cli_closest(name, names, nnames);
        if (near)
            return cli_usage_error("no profile '%s' in %s: did you mean '%s'?", name, profile_path, near);
        return cli_usage_error("no profile '%s' in %s (profiles: %s)", name, profile_path,
                               *sections ? sections : "none");
    }
    return 0;
}

static int apply_profile(cli *c)
{
    for (size_t i = 0; i < npentries; i++) {
        int rc = apply(c, pentries[i].o, pentries[i].value, pentries[i].what, 0);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- the command line ---- */

/* Which commands take an option, for "count takes no --limit (search does)". */
static void commands_taking(unsigned scope, char *buf, size_t len)
{
    buf[0] = '\0';
    for (const command *cmd = cli_commands; cmd->name; cmd++) {
        if (!(cmd->options & scope))
            continue;
        size_t l = strlen(buf);
        snprintf(buf + l, len - l, "%s%s", l ? ", " : "", cmd->name);
    }
}

int cli_parse(cli *c, int argc, char **argv, int *help)
{
    char first_error[512] = "";
    int nwords = 0;
    words = calloc((size_t)argc + 1, sizeof(*words));
    /* -vvv makes a token per letter: room for one per character */
    size_t ntok = (size_t)argc + 1;
    for (int i = 1; i < argc; i++)
        ntok += strlen(argv[i]);
    tokens = calloc(ntok, sizeof(*tokens));
    if (!words || !tokens)
        return cli_usage_error("out of memory");
    c->args = words;

#define FIRST_ERROR(...) (void)(*first_error || snprintf(first_error, sizeof(first_error), __VA_ARGS__))
    int end_of_options = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (end_of_options || a[0] != '-' || a[1] == '\0' || isdigit((unsigned char)a[1])) {
            words[nwords++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            end_of_options = 1;
            continue;
        }
        if (a[1] == '-') {
            char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const cli_option *o = find_long(name, len);
            if (!o) {
                char shown[64];
                snprintf(shown, sizeof(shown), "%.*s", (int)(len < 60 ? len : 60), name);
                const char *near = suggest_option(shown, 0);
                const cli_option *meant = near ? find_long(near, strlen(near)) : NULL;
                /* "--lim 5 count": 5 is the value of the option meant, not the command */
                if (meant && meant->takes_value && !eq && i + 1 < argc)
                    i++;
                if (near)
                    FIRST_ERROR("unknown option '--%s': did you mean '--%s'?", shown, near);
                else
                    FIRST_ERROR("unknown option '--%s'", shown);
                continue;
            }
            char *value = NULL;
            if (o->takes_value) {
                if (eq)
                    value = eq + 1;
                else if (i + 1 < argc)
                    value = argv[++i];
                else {
                    FIRST_ERROR("option --%s needs a value (%s)", o->name, o->metavar);
                    continue;
                }
            } else if (eq) {
                FIRST_ERROR("option --%s takes no value", o->name);
                continue;
            }
            if (o->secret && strcmp(value, "-") != 0) {
                /* leave /proc/PID/cmdline: keep a copy, wipe the original */
                char *copy = keep(strdup(value));
                explicit_bzero(value, strlen(value));
                value = copy;
                if (!value)
                    return cli_usage_error("out of memory");
            }
            tokens[ntokens++] = (struct token){ o, value, o->name };
            continue;
        }
        /* a cluster of short options: -vk, -u admin, -uadmin */
        for (char *p = a + 1; *p; p++) {
            const cli_option *o = find_short(*p);
            if (!o) {
                FIRST_ERROR("unknown option '-%c'", *p);
                break;
            }
            char *value = NULL;
            if (o->takes_value) {
                if (p[1])
                    value = p + 1;
                else if (i + 1 < argc)
                    value = argv[++i];
                else
                    FIRST_ERROR("option -%c needs a value (%s)", *p, o->metavar);
                if (value)
                    tokens[ntokens++] = (struct token){ o, value, o->name };
                break;
            }
            tokens[ntokens++] = (struct token){ o, NULL, o->name };
        }
    }
#undef FIRST_ERROR

    /* the command, and for `help COMMAND` the one it is about */
    if (nwords > 0) {
        c->cmd = words[0];
        c->args = words + 1;
        c->nargs = nwords - 1;
    }
    const char *about = c->cmd;
    if (c->cmd && strcmp(c->cmd, "help") == 0) {
        *help = 1;
        about = c->nargs > 0 ? c->args[0] : NULL;
        for (size_t t = 0; !about && t < ntokens; t++)
            if (tokens[t].o->id == O_HELP)
                about = "help"; /* help --help: the page of help itself */
        if (c->nargs > 1)
            return cli_usage_error("help takes one COMMAND");
    }
    cli_current = about ? cli_find_command(about) : NULL;
    if (cli_completing)
        goto sources;
    if (*first_error)
        return cli_usage_error("%s", first_error);

    for (size_t t = 0; t < ntokens; t++) {
        if (tokens[t].o->id == O_HELP && !*help)
            *help = 1;
        if (tokens[t].o->id == O_VERSION && !*help)
            *help = 2;
    }
    if (about && !cli_current) {
        const char *names[64];
        size_t n = 0;
        for (const command *cmd = cli_commands; cmd->name && n < 64; cmd++)
            names[n++] = cmd->name;
        const char *near = cli_closest(about, names, n);
        if (near)
            return cli_usage_error("unknown command '%s': did you mean '%s'?", about, near);
        return cli_usage_error("unknown command '%s'", about);
    }
    if (*help)
        return 0;
    if (!c->cmd)
        return cli_usage_error("no command given");

    /* options that mean nothing for this command are refused */
    for (size_t t = 0; t < ntokens; t++) {
        const cli_option *o = tokens[t].o;
        if (o->scope && !(cli_current->options & o->scope)) {
            char others[256];
            commands_taking(o->scope, others, sizeof(others));
            return cli_usage_error("%s takes no --%s (%s do%s)", cli_current->name, tokens[t].spelled, others,
                                   strchr(others, ',') ? "" : "es");
        }
    }

sources:;
    /* sources: the named profile beats the environment; [default] does not */
    const char *profile = NULL;
    for (size_t t = 0; t < ntokens; t++)
        if (tokens[t].o->id == O_PROFILE)
            profile = tokens[t].value;
    if (!profile && getenv("ODOO_PROFILE") && *getenv("ODOO_PROFILE"))
        profile = getenv("ODOO_PROFILE");
    int rc = load_profile(profile ? profile : "default", profile != NULL);
    if (!rc && profile)
        rc = apply_env(c) ? EXIT_USAGE : apply_profile(c);
    else if (!rc)
        rc = apply_profile(c) ? EXIT_USAGE : apply_env(c);
    free(pentries);
    pentries = NULL;
    npentries = 0;
    if (rc)
        return EXIT_USAGE;
    for (size_t t = 0; t < ntokens; t++) {
        char what[80];
        snprintf(what, sizeof(what), "--%s", tokens[t].spelled);
        if (tokens[t].o->id == O_CONTEXT && cli_completing)
            continue;
        if (apply(c, tokens[t].o, tokens[t].value, what, 1) && !cli_completing)
            return EXIT_USAGE;
    }
    return cli_completing ? 0 : check_export(c);
}
