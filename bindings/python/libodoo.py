"""libodoo from Python through ctypes: a proof that the binding surface
(odoo_connect_url, odoo_call_json, odoo_error_to_json) needs no mirrored
struct and no json-c on the Python side.

    import libodoo
    with libodoo.connect("https://admin:KEY@erp.example.com/prod?protocol=json2") as odoo:
        rows = odoo.search_read("res.partner", [("is_company", "=", True)], ["name"], limit=5)

Every Odoo error is raised as libodoo.Error (or its subclass BusinessError
for user, validation, missing and access errors), with the members of
odoo_error_to_json() as attributes. The library is found through the
LIBODOO environment variable (a path), else as libodoo.so.* on the system.
"""
import ctypes
import ctypes.util
import json
import os

__all__ = ["connect", "Connection", "Error", "BusinessError"]


def _load():
    path = os.environ.get("LIBODOO") or ctypes.util.find_library("odoo")
    if not path:
        raise ImportError("libodoo not found: set LIBODOO to the path of libodoo.so")
    lib = ctypes.CDLL(path)
    vp, cp, i = ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int
    for name, res, args in [
        ("odoo_rpc_error_new", vp, []),
        ("odoo_rpc_error_free", None, [vp]),
        ("odoo_rpc_error_kind", i, [vp]),
        ("odoo_error_to_json", vp, [vp]),          # char *, released with odoo_free
        ("odoo_free", None, [vp]),
        ("odoo_connect_url", i, [ctypes.POINTER(vp), cp, vp, vp]),
        ("odoo_call_json", i, [ctypes.POINTER(vp), vp, cp, cp, cp, cp, vp]),
        ("odoo_ref", i, [ctypes.POINTER(ctypes.c_int64), vp, cp, vp]),
        ("odoo_protocol_name", cp, [vp]),
        ("odoo_close", None, [vp]),
        ("odoo_version_string", cp, []),
    ]:
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = args
    return lib


_lib = _load()


class Error(Exception):
    """An odoo_rpc_error: kind ("validation", "auth", ...), message, class_,
    http_status, code, model, method, retry_after, debug, business, transient."""

    def __init__(self, info):
        self.info = info
        for key, value in info.items():
            setattr(self, "class_" if key == "class" else key, value)
        super().__init__("%s: %s" % (info.get("kind"), info.get("message")))


class BusinessError(Error):
    """The business said no (user, validation, missing, access): portable
    code catches this, as XML-RPC reports a ValidationError as a UserError."""


def _take_text(ptr):
    if not ptr:
        raise MemoryError("libodoo: out of memory")
    try:
        return ctypes.string_at(ptr).decode("utf-8")
    finally:
        _lib.odoo_free(ptr)


def _raise(err):
    info = json.loads(_take_text(_lib.odoo_error_to_json(err)))
    raise (BusinessError if info.get("business") else Error)(info)


def _text(s):
    return None if s is None else s.encode("utf-8")


class Connection:
    def __init__(self, dsn):
        self._err = _lib.odoo_rpc_error_new()
        if not self._err:
            raise MemoryError("libodoo: out of memory")
        self._p = ctypes.c_void_p()
        if _lib.odoo_connect_url(ctypes.byref(self._p), _text(dsn), None, self._err):
            try:
                _raise(self._err)
            finally:
                self._free_err()

    def _free_err(self):
        if self._err:
            _lib.odoo_rpc_error_free(self._err)
            self._err = None

    @property
    def protocol(self):
        return _lib.odoo_protocol_name(self._p).decode()

    def execute_kw(self, model, method, args=None, kwargs=None):
        """model.method(*args, **kwargs); the result as Python values."""
        if not self._p:
            raise ValueError("the connection is closed")
        out = ctypes.c_void_p()
        rc = _lib.odoo_call_json(ctypes.byref(out), self._p, _text(model), _text(method),
                                 _text(json.dumps(list(args or []))),
                                 _text(json.dumps(dict(kwargs or {}))), self._err)
        if rc:
            _raise(self._err)
        return json.loads(_take_text(out.value))

    def call(self, model, method, *args, **kwargs):
        return self.execute_kw(model, method, args, kwargs)

    def search_read(self, model, domain=(), fields=None, offset=0, limit=0, order=None):
        kw = {"domain": list(domain)}
        if fields is not None:
            kw["fields"] = list(fields)
        if offset:
            kw["offset"] = offset
        if limit:
            kw["limit"] = limit
        if order:
            kw["order"] = order
        return self.execute_kw(model, "search_read", [], kw)

    def create(self, model, vals):
        res = self.execute_kw(model, "create", [vals])
        return res[0] if isinstance(res, list) and len(res) == 1 else res

    def write(self, model, ids, vals):
        return self.execute_kw(model, "write", [list(ids), vals])

    def unlink(self, model, ids):
        return self.execute_kw(model, "unlink", [list(ids)])

    def ref(self, xmlid):
        out = ctypes.c_int64()
        if _lib.odoo_ref(ctypes.byref(out), self._p, _text(xmlid), self._err):
            _raise(self._err)
        return out.value

    def close(self):
        if self._p:
            _lib.odoo_close(self._p)
            self._p = ctypes.c_void_p()
        self._free_err()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


def connect(dsn):
    """A connection from a DSN: scheme://login:secret@host[:port]/db?protocol=...
    (see <odoo/dsn.h>)."""
    return Connection(dsn)


def version():
    return _lib.odoo_version_string().decode()
