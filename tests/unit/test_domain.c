/* odoo_domain_parse and odoo_literal_parse: JSON and Python's literal form
 * give the same json-c values; every refusal names its offset. */
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>
#include <odoo/values.h>

#include "fixtures.h"
#include "xmlrpc_samples.h"

static odoo_rpc_error err = ODOO_RPC_ERROR_INIT;

static void fini(void)
{
    odoo_rpc_error_clear(&err);
}

TestSuite(domain, .fini = fini);

/* Parse text as a domain and compare with the JSON of want. */
static void same_domain(const char *text, const char *want)
{
    json_object *got = NULL, *exp = json_parse(want);
    cr_assert_eq(odoo_domain_parse(&got, text, &err), 0, "%s: %s", text, err.message);
    cr_assert(json_identical(got, exp), "%s\n  gave %s\n  want %s", text, json_object_to_json_string(got),
              json_object_to_json_string(exp));
    json_object_put(got);
    json_object_put(exp);
}

static void same_literal(const char *text, const char *want)
{
    json_object *got = NULL, *exp = json_parse(want);
    cr_assert_eq(odoo_literal_parse(&got, text, &err), 0, "%s: %s", text, err.message);
    cr_assert(json_identical(got, exp), "%s\n  gave %s\n  want %s", text, json_object_to_json_string(got),
              json_object_to_json_string(exp));
    json_object_put(got);
    json_object_put(exp);
}

/* A refusal whose message contains each of the words. */
static void refused(int domain, const char *text, const char *w1, const char *w2)
{
    json_object *got = (json_object *)1;
    int rc = domain ? odoo_domain_parse(&got, text, &err) : odoo_literal_parse(&got, text, &err);
    cr_assert_eq(rc, ODOO_ERR_INVALID_ARGUMENT, "%s: accepted (%s)", text, json_object_to_json_string(got));
    cr_assert_null(got, "%s: *out is set after a failure", text);
    cr_assert_eq(err.kind, ODOO_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(err.message, w1), "%s: \"%s\" lacks \"%s\"", text, err.message, w1);
    if (w2)
        cr_assert(strstr(err.message, w2), "%s: \"%s\" lacks \"%s\"", text, err.message, w2);
}

Test(domain, the_issue_example_in_python_form)
{
    same_domain("[('is_company', '=', True), '|', ('name', 'ilike', 'a'), ('id', 'in', (1, 2))]",
                "[[\"is_company\",\"=\",true],\"|\",[\"name\",\"ilike\",\"a\"],[\"id\",\"in\",[1,2]]]");
}

Test(domain, json_form_gives_the_same)
{
    same_domain("[[\"is_company\",\"=\",true],\"|\",[\"name\",\"ilike\",\"a\"],[\"id\",\"in\",[1,2]]]",
                "[[\"is_company\",\"=\",true],\"|\",[\"name\",\"ilike\",\"a\"],[\"id\",\"in\",[1,2]]]");
}

Test(domain, empty_forms)
{
    same_domain("", "[]");
    same_domain("  \n", "[]");
    same_domain("[]", "[]");
    same_domain("()", "[]");
}

Test(domain, none_false_and_numbers)
{
    same_domain("[('parent_id', '=', None), ('active', '!=', False), ('credit', '>', -1.5), "
                "('id', '>=', -3), ('x', '=', 1_000), ('h', '=', 0x1F), ('e', '<', 1e3), ('d', '=', .5)]",
                "[[\"parent_id\",\"=\",null],[\"active\",\"!=\",false],[\"credit\",\">\",-1.5],"
                "[\"id\",\">=\",-3],[\"x\",\"=\",1000],[\"h\",\"=\",31],[\"e\",\"<\",1000.0],[\"d\",\"=\",0.5]]");
}

Test(domain, int64_extremes_kept_exactly)
{
    same_domain("[('id', '=', 9223372036854775807), ('id', '=', -9223372036854775808)]",
                "[[\"id\",\"=\",9223372036854775807],[\"id\",\"=\",-9223372036854775808]]");
    refused(1, "[('id', '=', 9223372036854775808)]", "beyond 64 bits", "offset 13");
    refused(1, "[('id', '=', 0x10000000000000000)]", "beyond 64 bits", NULL);
}

Test(domain, python_strings_and_escapes)
{
    same_domain("[(\"name\", '=', 'O\\'Brien'), ('x', '=', \"say \\\"hi\\\"\"), ('t', '=', 'a\\tb\\n'),"
                " ('u', '=', u'caf\\xe9'), ('w', '=', '\\u00e9\\U0001F600'), ('o', '=', '\\101'),"
                " ('r', '=', r'C:\\new'), ('k', '=', 'back\\\\slash'), ('s', '=', '\\/'), ('q', '=', '\\d')]",
                "[[\"name\",\"=\",\"O'Brien\"],[\"x\",\"=\",\"say \\\"hi\\\"\"],[\"t\",\"=\",\"a\\tb\\n\"],"
                "[\"u\",\"=\",\"caf\\u00e9\"],[\"w\",\"=\",\"\\u00e9\\ud83d\\ude00\"],[\"o\",\"=\",\"A\"],"
                "[\"r\",\"=\",\"C:\\\\new\"],[\"k\",\"=\",\"back\\\\slash\"],[\"s\",\"=\",\"/\"],[\"q\",\"=\",\"\\\\d\"]]");
}

Test(domain, json_surrogate_pairs_and_utf8)
{
    same_domain("[[\"name\",\"=\",\"\\ud83d\\ude00 caf\xc3\xa9\"]]", "[[\"name\",\"=\",\"\\ud83d\\ude00 caf\\u00e9\"]]");
    refused(1, "[('name', '=', '\\ud83d')]", "not a Unicode character", "offset 16");
    refused(1, "[('name', '=', 'caf\xe9')]", "invalid UTF-8", "offset 19");
}

Test(domain, tuples_lists_nesting_and_trailing_commas)
{
    same_domain("[('id', 'in', [1, 2, 3],), ('x', 'in', (4,)), ('y', 'in', ()), ('z', '=', (5)),]",
                "[[\"id\",\"in\",[1,2,3]],[\"x\",\"in\",[4]],[\"y\",\"in\",[]],[\"z\",\"=\",5]]");
    same_domain("(('a', '=', 1),)", "[[\"a\",\"=\",1]]");
}

Test(domain, operators_and_special_leaves)
{
    same_domain("['!', ('a', '=', 1)]", "[\"!\",[\"a\",\"=\",1]]");
    same_domain("['&', '|', ('a', '=', 1), ('b', '=', 2), ('c', '=', 3)]",
                "[\"&\",\"|\",[\"a\",\"=\",1],[\"b\",\"=\",2],[\"c\",\"=\",3]]");
    same_domain("[(1, '=', 1)]", "[[1,\"=\",1]]");
    same_domain("[('partner_id.country_id.code', '=', 'BE')]", "[[\"partner_id.country_id.code\",\"=\",\"BE\"]]");
}

Test(domain, operator_without_operands_is_refused_at_its_offset)
{
    refused(1, "['|', ('a', '=', 1)]", "operator '|' lacks its second operand", "offset 1");
    refused(1, "[('a', '=', 1), '&']", "operator '&' lacks its two operands", "offset 16");
    refused(1, "['!']", "operator '!' lacks its operand", "offset 1");
}

Test(domain, shape_errors)
{
    refused(1, "[('a', '=')]", "three items", "offset 1");
    refused(1, "[('a', '=', 1, 2)]", "this one has 4", NULL);
    refused(1, "['or', ('a', '=', 1)]", "a domain item is a term", "offset 1");
    refused(1, "[(3, '=', 1)]", "starts with a field name", NULL);
    refused(1, "[('a', 5, 1)]", "operator", NULL);
    refused(1, "{'a': 1}", "a domain is a list", "offset 0");
    refused(1, "('a', '=', 1)", "a domain item is a term", "offset 1");
}

Test(domain, syntax_errors_name_offset_line_and_column)
{
    refused(1, "[('a', '=' 1)]", "expected ',' or ')', found '1'", "offset 11 (line 1, column 12)");
    refused(1, "[\n  ('a', '=', x)]", "unknown name 'x'", "offset 15 (line 2, column 14)");
    refused(1, "[('a', '=', 'abc)]", "unterminated string", "offset 12");
    refused(1, "[('a', '=', 1)", "'[' is never closed", "offset 0");
    refused(1, "[('a', '=', 1)] x", "after the value", "offset 16");
    refused(1, "[('a', '=', b'x')]", "bytes", NULL);
    refused(1, "[('a', '=', '''x''')]", "triple-quoted", NULL);
    refused(1, "[('a', '=', 007)]", "leading zeros", NULL);
    refused(1, "[('a', '=', 1__0)]", "misplaced '_'", NULL);
    refused(1, "[('a', '=', {1: 2})]", "dict keys must be strings", NULL);
    refused(1, "[('a', '=', 1.5.2)]", "malformed number", NULL);
}

Test(domain, deep_nesting_is_refused)
{
    char text[400];
    size_t n = 0;
    text[n++] = '[';
    text[n++] = '(';
    memcpy(text + n, "'a','=',", 8);
    n += 8;
    for (int i = 0; i < 140; i++)
        text[n++] = '[';
    text[n] = '\0';
    refused(1, text, "nesting deeper than 128", NULL);
}

/* The number buffer's edges: each form at and past its capacity. */
Test(domain, long_numbers_are_refused_not_overrun)
{
    char text[1200];
    static const char *const tails[] = {"", ".", ".5", "e5", ".e", "1e+"};
    for (size_t len = 390; len <= 400; len++) {
        for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
            memset(text, '1', len);
            strcpy(text + len, tails[t]);
            json_object *v = NULL;
            int rc = odoo_literal_parse(&v, text, &err);
            cr_assert_eq(rc, ODOO_ERR_INVALID_ARGUMENT, "%zu digits + \"%s\" accepted", len, tails[t]);
            json_object_put(v);
        }
    }
    memset(text, '0', 1000);
    strcpy(text + 1000, ".5");
    refused(0, text, "number too long", NULL);
    refused(0, "0x", "malformed number", NULL);
}

Test(domain, null_text_and_null_out)
{
    cr_assert_eq(odoo_domain_parse(NULL, "[('a', '=', 1)]", &err), 0);
    cr_assert_eq(odoo_domain_parse(NULL, NULL, &err), ODOO_ERR_INVALID_ARGUMENT);
    cr_assert_eq(odoo_domain_parse(NULL, "[(", NULL), ODOO_ERR_INVALID_ARGUMENT); /* no err: still the kind */
}

Test(domain, comments_and_line_continuations)
{
    same_domain("[  # the companies\n ('is_company', '=', True),\\\n ('name', '=', 'a\\\nb')]",
                "[[\"is_company\",\"=\",true],[\"name\",\"=\",\"ab\"]]");
}

Test(literal, context_dicts_and_scalars)
{
    same_literal("{'lang': 'fr_FR', 'active_test': False, 'tz': None, 'ids': (1, 2), 'n': {'x': 1.25},}",
                 "{\"lang\":\"fr_FR\",\"active_test\":false,\"tz\":null,\"ids\":[1,2],\"n\":{\"x\":1.25}}");
    same_literal("{\"a\": [true, false, null]}", "{\"a\":[true,false,null]}");
    same_literal("'text'", "\"text\"");
    same_literal(" -42 ", "-42");
    json_object *none = (json_object *)1;
    cr_assert_eq(odoo_literal_parse(&none, "None", &err), 0);
    cr_assert_null(none);
}

Test(literal, refusals)
{
    refused(0, "", "expected a value, found end of text", "offset 0");
    refused(0, "{'a' 1}", "expected ':'", "offset 5");
    refused(0, "{'a': 1", "'{' is never closed", "offset 0");
    refused(0, "{1, 2}", "dict keys must be strings", NULL);
    refused(0, "'a\\N{DASH}'", "\\N{...}", NULL);
    refused(0, "'\\x4'", "\\x needs 2 hex digits", NULL);
    refused(0, "foo()", "unknown name 'foo'", NULL);
}
