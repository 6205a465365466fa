/*
 * libodoo for C++ (11 and later): header-only RAII over the C API.
 *
 *     odoo::connection odoo("https://admin:KEY@erp.example.com/prod?protocol=json2");
 *     odoo::value rows = odoo.search_read("res.partner", "[('is_company', '=', True)]",
 *                                         {"name", "email"}, 5);
 *     std::cout << rows.str() << "\n";
 *
 * - odoo::value owns one json-c reference (copy = another reference,
 *   move = transfer); value::parse() and odoo::domain() build one from JSON
 *   or Python literal text.
 * - odoo::connection owns an odoo_protocol (closed by the destructor);
 *   movable, not copyable; not thread-safe, like the C connection.
 * - Every failure throws odoo::error (std::runtime_error) carrying the
 *   odoo_rpc_error's members; odoo::business_error (user, validation,
 *   missing, access) derives from it, so portable code catches that.
 * Nothing here is compiled into libodoo: the header only calls its C API.
 */
#ifndef ODOO_HPP
#define ODOO_HPP

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <json-c/json.h>

#include "odoo.h"

namespace odoo {

class error : public std::runtime_error {
public:
    explicit error(const odoo_rpc_error &e)
        : std::runtime_error(e.message ? e.message : odoo_strerror(e.kind)), kind_(e.kind), code_(e.code),
          http_status_(e.http_status), class_(e.error_class ? e.error_class : ""),
          model_(e.model ? e.model : ""), method_(e.method ? e.method : ""), debug_(e.debug ? e.debug : "")
    {
    }
    error(odoo_error_kind kind, const std::string &message)
        : std::runtime_error(message), kind_(kind), code_(0), http_status_(0)
    {
    }

    odoo_error_kind kind() const { return kind_; }
    const char *kind_name() const { return odoo_error_kind_name(kind_); }
    int code() const { return code_; }
    long http_status() const { return http_status_; }
    const std::string &error_class() const { return class_; }
    const std::string &model() const { return model_; }
    const std::string &method() const { return method_; }
    const std::string &debug() const { return debug_; }
    bool business() const { return odoo_error_is_business(kind_) != 0; }
    bool transient() const { return odoo_error_is_transient(kind_) != 0; }

private:
    odoo_error_kind kind_;
    int code_;
    long http_status_;
    std::string class_, model_, method_, debug_;
};

/** user, validation, missing and access errors: the business said no. */
class business_error : public error {
public:
    explicit business_error(const odoo_rpc_error &e) : error(e) {}
};

namespace detail {

/* An odoo_rpc_error cleared on scope exit. */
struct err_holder {
    odoo_rpc_error e = ODOO_RPC_ERROR_INIT;
    err_holder() {}
    ~err_holder() { odoo_rpc_error_clear(&e); }
    err_holder(const err_holder &) = delete;
    err_holder &operator=(const err_holder &) = delete;
};

inline void check(int rc, const odoo_rpc_error &e)
{
    if (rc == 0)
        return;
    if (e.kind == ODOO_OK) /* err not filled: the return value still says what */
        throw error(static_cast<odoo_error_kind>(rc), odoo_strerror(static_cast<odoo_error_kind>(rc)));
    if (odoo_error_is_business(e.kind))
        throw business_error(e);
    throw error(e);
}

} // namespace detail

class value {
public:
    value() noexcept : v_(nullptr) {}
    /** Takes the reference (the caller's becomes ours). */
    static value adopt(json_object *v) noexcept { return value(v); }
    /** Shares it (takes a new reference). */
    static value share(json_object *v) noexcept { return value(json_object_get(v)); }
    /** JSON or Python literal text ({'lang': 'fr_FR'}, [1, 2], True). */
    static value parse(const std::string &text)
    {
        detail::err_holder h;
        json_object *v = nullptr;
        detail::check(odoo_literal_parse(&v, text.c_str(), &h.e), h.e);
        return value(v);
    }
    static value object() { return nonnull(json_object_new_object()); }
    static value array() { return nonnull(json_object_new_array()); }

    value(const value &o) noexcept : v_(json_object_get(o.v_)) {}
    value(value &&o) noexcept : v_(o.v_) { o.v_ = nullptr; }
    value &operator=(value o) noexcept
    {
        std::swap(v_, o.v_);
        return *this;
    }
    ~value() { json_object_put(v_); }

    json_object *get() const noexcept { return v_; }
    /** Give the reference up to the caller. */
    json_object *release() noexcept
    {
        json_object *v = v_;
        v_ = nullptr;
        return v;
    }
    bool is_null() const noexcept { return v_ == nullptr; }
    std::string str() const
    {
        return v_ ? json_object_to_json_string_ext(v_, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null";
    }
    int64_t as_int() const { return json_object_get_int64(v_); }
    std::string as_string() const { return v_ && json_object_is_type(v_, json_type_string) ? json_object_get_string(v_) : ""; }
    size_t size() const { return json_object_is_type(v_, json_type_array) ? json_object_array_length(v_) : 0; }
    /** Element i of an array (shared), null when out of range. */
    value operator[](size_t i) const
    {
        return json_object_is_type(v_, json_type_array) ? share(json_object_array_get_idx(v_, i)) : value();
    }
    /** Member key of an object (shared), null when absent. */
    value operator[](const char *key) const
    {
        json_object *m = nullptr;
        return json_object_object_get_ex(v_, key, &m) ? share(m) : value();
    }

private:
    explicit value(json_object *v) noexcept : v_(v) {}
    static value nonnull(json_object *v)
    {
        if (!v)
            throw error(ODOO_ERR_NOMEM, "out of memory");
        return value(v);
    }
    json_object *v_;
};

/** A domain from JSON or Python literal text (checked: terms and operators). */
inline value domain(const std::string &text)
{
    detail::err_holder h;
    json_object *v = nullptr;
    detail::check(odoo_domain_parse(&v, text.c_str(), &h.e), h.e);
    return value::adopt(v);
}

class connection {
public:
    /** From a DSN (see <odoo/dsn.h>); base (may be null) gives the rest. */
    explicit connection(const std::string &dsn, const odoo_options *base = nullptr) : p_(nullptr)
    {
        detail::err_holder h;
        detail::check(odoo_connect_url(&p_, dsn.c_str(), base, &h.e), h.e);
    }
    connection(odoo_protocol_kind kind, const odoo_options &opts) : p_(nullptr)
    {
        detail::err_holder h;
        detail::check(odoo_connect(&p_, kind, &opts, &h.e), h.e);
    }
    connection(const connection &) = delete;
    connection &operator=(const connection &) = delete;
    connection(connection &&o) noexcept : p_(o.p_) { o.p_ = nullptr; }
    connection &operator=(connection &&o) noexcept
    {
        std::swap(p_, o.p_);
        return *this;
    }
    ~connection() { odoo_close(p_); }

    odoo_protocol *get() const noexcept { return p_; }
    const char *protocol() const { return odoo_protocol_name(p_); }

    /** model.method(*args, **kwargs); args an array, kwargs an object (or null). */
    value execute_kw(const char *model, const char *method, const value &args = value(),
                     const value &kwargs = value(), const value &context = value())
    {
        detail::err_holder h;
        json_object *out = nullptr;
        detail::check(odoo_execute_kw(&out, p_, model, method, args.get(), kwargs.get(), context.get(), &h.e), h.e);
        return value::adopt(out);
    }

    value search_read(const char *model, const value &dom, const std::vector<std::string> &fields = {},
                      int64_t limit = 0, int64_t offset = 0, const char *order = nullptr)
    {
        std::vector<const char *> names;
        for (const std::string &name : fields)
            names.push_back(name.c_str());
        names.push_back(nullptr);
        odoo_search_options o = ODOO_SEARCH_OPTIONS_INIT;
        o.domain = dom.get();
        o.fields = fields.empty() ? nullptr : names.data();
        o.limit = limit;
        o.offset = offset;
        o.order = order;
        detail::err_holder h;
        json_object *out = nullptr;
        detail::check(odoo_search_read(&out, p_, model, &o, &h.e), h.e);
        return value::adopt(out);
    }
    value search_read(const char *model, const std::string &dom, const std::vector<std::string> &fields = {},
                      int64_t limit = 0, int64_t offset = 0, const char *order = nullptr)
    {
        return search_read(model, domain(dom), fields, limit, offset, order);
    }
    value search_read(const char *model, const char *dom, const std::vector<std::string> &fields = {},
                      int64_t limit = 0, int64_t offset = 0, const char *order = nullptr)
    {
        return search_read(model, domain(dom ? dom : ""), fields, limit, offset, order);
    }

    /** The new record's id. */
    int64_t create(const char *model, const value &vals)
    {
        detail::err_holder h;
        int64_t id = 0;
        detail::check(odoo_create_one(&id, p_, model, vals.get(), nullptr, &h.e), h.e);
        return id;
    }
    void write(const char *model, const std::vector<int64_t> &ids, const value &vals)
    {
        value args = value::array();
        json_object_array_add(args.get(), ids_of(ids).release());
        json_object_array_add(args.get(), json_object_get(vals.get()));
        execute_kw(model, "write", args);
    }
    void unlink(const char *model, const std::vector<int64_t> &ids)
    {
        value args = value::array();
        json_object_array_add(args.get(), ids_of(ids).release());
        execute_kw(model, "unlink", args);
    }
    /** The record id of an external ID ("base.main_company"). */
    int64_t ref(const char *xmlid)
    {
        detail::err_holder h;
        int64_t id = 0;
        detail::check(odoo_ref(&id, p_, xmlid, &h.e), h.e);
        return id;
    }

private:
    static value empty_array() { return value::array(); }
    static value ids_of(const std::vector<int64_t> &ids)
    {
        value a = value::array();
        for (int64_t id : ids)
            json_object_array_add(a.get(), json_object_new_int64(id));
        return a;
    }
    odoo_protocol *p_;
};

} // namespace odoo

#endif
