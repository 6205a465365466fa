"""Client CPU of one XML-RPC search_read of every partner x 8 fields with
Python's xmlrpc.client, against odoo-mock (the C side: search-read-cpu.c,
whose head says how to run both)."""
import sys, time, xmlrpc.client, resource
url, db, user, pw = sys.argv[1:5]
fields = ["name", "email", "parent_id", "child_ids", "active", "color", "partner_latitude", "country_id"]
common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
uid = common.authenticate(db, user, pw, {})
obj = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object")
for i in range(3):
    t = time.process_time(); w = time.perf_counter()
    r = obj.execute_kw(db, uid, pw, "res.partner", "search_read", [[]], {"fields": fields, "order": "id", "limit": 20000})
    print("python search_read: %d records, client cpu %.0f ms, wall %.0f ms" % (len(r), (time.process_time() - t) * 1e3, (time.perf_counter() - w) * 1e3))
