"""The ctypes binding against a real odoo-mock process: connect by DSN,
search_read, create/write/unlink, Odoo errors as Python exceptions.

Run: LIBODOO=build/libodoo.so ODOO_MOCK=build/mock/odoo-mock python3 -m unittest -v test_libodoo
"""
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import libodoo  # noqa: E402

KEY = "a87201d88cd553879415e35748ceb0b34f7ce614"  # ODOO_MOCK_ADMIN_API_KEY


class MockTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # a free port on 127.0.0.1, chosen by the mock; its first line says which
        cls.mock = subprocess.Popen([os.environ["ODOO_MOCK"], "--quiet", "--odoo-version", "19"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = cls.mock.stdout.readline()
        m = re.search(r"listening on http://([0-9.]+:[0-9]+) db=(\S+)", line)
        if not m:
            cls.mock.kill()
            raise RuntimeError("odoo-mock did not start: %r" % line)
        cls.hostport, cls.db = m.group(1), m.group(2)

    @classmethod
    def tearDownClass(cls):
        cls.mock.terminate()
        try:
            cls.mock.wait(10)
        except subprocess.TimeoutExpired:
            cls.mock.kill()
            cls.mock.wait()
        cls.mock.stdout.close()
        cls.mock.stderr.close()

    def dsn(self, secret=KEY, query="protocol=json2&timeout=30"):
        return "http://admin:%s@%s/%s?%s" % (secret, self.hostport, self.db, query)

    def test_connect_on_every_protocol_and_search_read(self):
        for query, secret, name in [("protocol=json2", KEY, "json2"),
                                    ("protocol=xmlrpc", "admin", "xmlrpc"),
                                    ("protocol=jsonrpc", "admin", "jsonrpc"),
                                    ("protocol=jsonrpc-stateless&auth=key", KEY, "jsonrpc-stateless"),
                                    ("timeout=5", "admin", "jsonrpc")]:  # AUTO, 19, a password
            with libodoo.connect(self.dsn(secret, query)) as odoo:
                self.assertEqual(odoo.protocol, name)
                rows = odoo.search_read("res.partner", [("id", "=", 1)], ["name"])
                self.assertEqual(rows, [{"id": 1, "name": "YourCompany"}], name)
                self.assertEqual(odoo.ref("base.main_company"), 1)

    def test_create_write_unlink(self):
        with libodoo.connect(self.dsn()) as odoo:
            pid = odoo.create("res.partner", {"name": "Py Binding \u00e9", "is_company": True})
            self.assertIsInstance(pid, int)
            self.assertTrue(odoo.write("res.partner", [pid], {"email": "py@example.com"}))
            rows = odoo.search_read("res.partner", [("id", "=", pid)], ["name", "email", "is_company"])
            self.assertEqual(rows, [{"id": pid, "name": "Py Binding \u00e9", "email": "py@example.com",
                                     "is_company": True}])
            self.assertTrue(odoo.unlink("res.partner", [pid]))
            self.assertEqual(odoo.search_read("res.partner", [("id", "=", pid)], ["name"]), [])

    def test_odoo_errors_are_exceptions(self):
        with libodoo.connect(self.dsn()) as odoo:
            with self.assertRaises(libodoo.BusinessError) as cm:
                odoo.write("res.partner", [1], {"parent_id": 1})  # a recursive hierarchy
            e = cm.exception
            self.assertEqual(e.kind, "validation")
            self.assertEqual(e.class_, "odoo.exceptions.ValidationError")
            self.assertEqual(e.model, "res.partner")
            self.assertTrue(e.business)
            with self.assertRaises(libodoo.BusinessError) as cm:
                odoo.ref("base.no_such_xmlid")
            self.assertEqual(cm.exception.kind, "missing")
            with self.assertRaises(libodoo.Error) as cm:
                odoo.call("no.such.model", "search", [])
            self.assertFalse(isinstance(cm.exception, libodoo.BusinessError))

    def test_bad_key_is_an_auth_error_without_the_key(self):
        with libodoo.connect(self.dsn(secret="0" * 40)) as odoo:
            with self.assertRaises(libodoo.Error) as cm:
                odoo.search_read("res.partner", [], ["name"], limit=1)
            self.assertEqual(cm.exception.kind, "auth")
            self.assertNotIn("0" * 40, str(cm.exception.info))

    def test_bad_dsn(self):
        with self.assertRaises(libodoo.Error) as cm:
            libodoo.connect("http://admin:SECRET@%s/%s?colour=red" % (self.hostport, self.db))
        self.assertEqual(cm.exception.kind, "invalid_argument")
        self.assertIn("unknown option", cm.exception.message)
        self.assertNotIn("SECRET", str(cm.exception.info))


if __name__ == "__main__":
    unittest.main(verbosity=2)
