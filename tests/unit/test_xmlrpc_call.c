/* The expat <methodCall> reader (odoo-bridge reads its clients' requests
 * with it): every recorded request reads as xmlrpc-c (the oracle) reads
 * it, what the writer writes reads back, and a body that is no call fails
 * cleanly, never with half a result, never quoting more than a scalar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <odoo.h>

#include "adapters/xmlrpc_sax.h"
#include "adapters/xmlrpc_write.h"
#include "fixtures.h"
#include "xmlrpc_oracle.h"

static int read_call(const char *xml, char **method, json_object **params, char *why, size_t whylen)
{
    return odoo__xmlrpc_parse_call_expat(xml, strlen(xml), method, params, why, whylen);
}

Test(xmlrpc_call, every_recorded_request_reads_as_xmlrpc_c_reads_it)
{
    const char *folders[] = { "odoo19/xmlrpc", "odoo18/xmlrpc" };
    int same = 0, only_expat = 0;
    for (int f = 0; f < 2; f++) {
        char **names;
        size_t n = fixture_list(folders[f], &names);
        for (size_t i = 0; i < n; i++) {
            char rel[256];
            snprintf(rel, sizeof(rel), "%s/%s", folders[f], names[i]);
            json_object *fx = fixture_load(rel);
            const char *body = fixture_str(fx, "request", "body");
            char *ma = NULL, *mb = NULL, wa[256] = "", wb[256] = "";
            json_object *pa = NULL, *pb = NULL;
            int ra = read_call(body, &ma, &pa, wa, sizeof(wa));
            int rb = xmlrpc_oracle_parse_call(body, strlen(body), &mb, &pb, wb, sizeof(wb));
            if (rb == 0) {
                cr_expect_eq(ra, 0, "%s: expat refuses what xmlrpc-c reads (%s)", rel, wa);
                if (ra == 0) {
                    cr_expect_str_eq(ma, mb, "%s", rel);
                    cr_expect(json_object_equal(pa, pb), "%s: params differ:\n expat    %s\n xmlrpc-c %s", rel,
                              json_object_to_json_string(pa), json_object_to_json_string(pb));
                    same++;
                }
            } else if (ra == 0) {
                only_expat++;   /* <int> beyond 32 bits, which xmlrpc-c refuses */
            } else {
                cr_expect(ma == NULL && pa == NULL, "%s: a failure leaves nothing", rel);
            }
            free(ma);
            free(mb);
            json_object_put(pa);
            json_object_put(pb);
            json_object_put(fx);
        }
        fixture_list_free(names, n);
    }
    cr_expect_gt(same, 140, "requests read alike: %d", same);
    cr_expect_lt(only_expat, 5, "requests only expat reads: %d", only_expat);
}

Test(xmlrpc_call, what_the_writer_writes_reads_back)
{
    json_object *want = json_parse("[\"odoo19\", 2, \"s3cr3t <&>\", \"res.partner\", \"search_read\","
                                   " [[[\"name\", \"ilike\", \"\\u00fcn\\u00efc\\u00f6d\\u00e9 \\ud83d\\ude00\\r\\n\"]]],"
                                   " {\"fields\": [\"name\"], \"limit\": 3, \"offset\": 1099511627776,"
                                   "  \"active_test\": false, \"ratio\": -4.3517103, \"none\": null, \"empty\": {},"
                                   "  \"list\": []}]");
    char *xml = NULL, *method = NULL, why[256];
    size_t len = 0;
    cr_assert_eq(odoo__xmlrpc_encode_call("execute_kw", want, &xml, &len, NULL), 0);
    json_object *params = NULL;
    cr_assert_eq(odoo__xmlrpc_parse_call_expat(xml, len, &method, &params, why, sizeof(why)), 0, "%s", why);
    cr_expect_str_eq(method, "execute_kw");
    cr_expect(json_object_equal(params, want), "%s", json_object_to_json_string(params));
    free(method);
    json_object_put(params);
    json_object_put(want);
    free(xml);
}

Test(xmlrpc_call, calls_without_params_have_an_empty_array)
{
    const char *calls[] = {
        "<?xml version=\"1.0\"?><methodCall><methodName>version</methodName></methodCall>",
        "<methodCall><methodName>version</methodName><params/></methodCall>",
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>version</methodName>\n<params>\n</params>\n</methodCall>\n",
    };
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        char *method = NULL, why[256] = "";
        json_object *params = NULL;
        cr_assert_eq(read_call(calls[i], &method, &params, why, sizeof(why)), 0, "%zu: %s", i, why);
        cr_expect_str_eq(method, "version");
        cr_expect(json_object_is_type(params, json_type_array) && json_object_array_length(params) == 0, "%zu", i);
        free(method);
        json_object_put(params);
    }
}

Test(xmlrpc_call, what_is_no_call_fails_cleanly)
{
    static const struct {
        const char *body, *why;
    } bad[] = {
        { "", "no element found" },
        { "this is not xml", "syntax error" },
        { "<?xml version='1.0'?><methodCall><methodName>version</methodName><params>", "no element found" },
        { "<methodResponse><params><param><value>1</value></param></params></methodResponse>",
          "unexpected <methodResponse>" },
        { "<methodCall><params></params></methodCall>", "unexpected <params> in <methodCall>" },
        { "<methodCall></methodCall>", "holds no <methodName>" },
        { "<methodCall><methodName>a</methodName><methodName>b</methodName></methodCall>", "unexpected <methodName>" },
        { "<methodCall><methodName>a</methodName><params></params><params></params></methodCall>",
          "unexpected <params>" },
        { "<methodCall><methodName>a</methodName><params><param></param></params></methodCall>",
          "<param> is empty" },
        { "<methodCall><methodName>a</methodName><params><param><value><int>s3cr3t</int></value></param>"
          "</params></methodCall>", "is not a 64-bit integer" },
        { "<methodCall><methodName>a</methodName><params><param><value><struct><member><value>1</value>"
          "</member></struct></value></param></params></methodCall>", "<member> without a <name>" },
        { "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><methodCall><methodName>a</methodName></methodCall>", "DOCTYPE" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *method = (char *)"untouched", why[256] = "";
        json_object *params = (json_object *)1;
        int rc = read_call(bad[i].body, &method, &params, why, sizeof(why));
        cr_expect_eq(rc, ODOO_ERR_PROTOCOL, "%zu", i);
        cr_expect(method == NULL && params == NULL, "%zu: a failure leaves nothing", i);
        cr_expect(strstr(why, bad[i].why) != NULL, "%zu: %s", i, why);
    }

    /* Nesting: the library's one limit, as for the answers. */
    size_t depth = ODOO_MAX_NESTING + 1, cap = depth * 48 + 256, len = 0;
    char *deep = malloc(cap);
    len += (size_t)sprintf(deep, "<methodCall><methodName>a</methodName><params><param><value>");
    for (size_t i = 0; i < depth; i++)
        len += (size_t)sprintf(deep + len, "<array><data><value>");
    for (size_t i = 0; i < depth; i++)
        len += (size_t)sprintf(deep + len, "</value></data></array>");
    sprintf(deep + len, "</value></param></params></methodCall>");
    char *method = NULL, why[256] = "";
    json_object *params = NULL;
    cr_expect_eq(read_call(deep, &method, &params, why, sizeof(why)), ODOO_ERR_PROTOCOL);
    cr_expect(strstr(why, "nesting deeper than 128") != NULL, "%s", why);
    cr_expect(method == NULL && params == NULL);
    free(deep);

    cr_expect_eq(odoo__xmlrpc_parse_call_expat(NULL, 0, &method, &params, why, sizeof(why)), ODOO_ERR_PROTOCOL);
}
