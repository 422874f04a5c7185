#include "device_schema.hpp"

#include "../plugins/manifest.hpp"

#include <set>

namespace json = boost::json;

namespace gpuhost {

namespace {

struct Checker {
    std::vector<std::string> &errors;
    void add(const std::string &where, const std::string &what) { errors.push_back(where + ": " + what); }

    const json::value *field(const json::object &o, const std::string &where, const char *key, bool required) {
        auto it = o.find(key);
        if (it == o.end()) {
            if (required) add(where + "." + key, "missing");
            return nullptr;
        }
        return &it->value();
    }
    void string(const json::object &o, const std::string &where, const char *key, bool required,
                const std::set<std::string> &allowed = {}) {
        auto v = field(o, where, key, required);
        if (!v) return;
        if (!v->is_string()) return add(where + "." + key, "must be a string");
        // Names reach terminals and files: an escape sequence or newline in them is
        // an attack or a parser bug, never a device's real name.
        for (unsigned char c : v->as_string())
            if (c < 0x20 || c == 0x7f) return add(where + "." + key, "holds a control character (escape, newline)");
        if (!allowed.empty() && !allowed.count(std::string(v->as_string()))) {
            std::string list;
            for (const auto &a : allowed) list += (list.empty() ? "" : "|") + a;
            add(where + "." + key, "\"" + std::string(v->as_string()) + "\" is not one of " + list);
        }
    }
    void strings(const json::object &o, const std::string &where, const char *key, bool required) {
        auto v = field(o, where, key, required);
        if (!v) return;
        if (!v->is_array()) return add(where + "." + key, "must be an array of strings");
        for (const auto &item : v->as_array())
            if (!item.is_string()) return add(where + "." + key, "must be an array of strings");
    }
    void count(const json::object &o, const std::string &where, const char *key) {
        auto v = field(o, where, key, false);
        if (!v) return;
        if (!(v->is_uint64() || (v->is_int64() && v->as_int64() >= 0)))
            add(where + "." + key, "must be a non-negative integer");
    }
};

}  // namespace

std::vector<std::string> validate_device(const json::value &device, const std::string &where) {
    std::vector<std::string> errors;
    Checker c{errors};
    if (!device.is_object()) {
        c.add(where, "must be an object");
        return errors;
    }
    const auto &d = device.as_object();
    c.string(d, where, "vendor", true);
    c.string(d, where, "backend", true);
    // Backends are open: any short lowercase identifier a plugin declares.
    if (auto b = d.find("backend"); b != d.end() && b->value().is_string() &&
                                    !is_backend_name(std::string(b->value().as_string())))
        c.add(where + ".backend", "\"" + std::string(b->value().as_string()) +
                                      "\" is not a backend name ([a-z][a-z0-9_]{0,15})");
    c.string(d, where, "name", true);
    c.string(d, where, "type", true, {"discrete", "integrated", "cpu", "virtual", "other"});
    c.string(d, where, "uuid", false);
    c.string(d, where, "driver_version", false);
    c.string(d, where, "architecture", false);
    c.string(d, where, "architecture_effective", false);
    c.strings(d, where, "signals", true);
    c.strings(d, where, "features", false);
    if (auto pci = c.field(d, where, "pci", false)) {
        if (!pci->is_object()) c.add(where + ".pci", "must be an object");
        else
            for (const char *k : {"vendor_id", "device_id", "bus_id"}) c.string(pci->as_object(), where + ".pci", k, false);
    }
    if (auto mem = c.field(d, where, "memory", true)) {
        if (!mem->is_object()) c.add(where + ".memory", "must be an object");
        else
            for (const char *k : {"total_bytes", "free_bytes", "shared_bytes"}) c.count(mem->as_object(), where + ".memory", k);
    }
    if (auto rt = c.field(d, where, "runtime", false)) {
        if (!rt->is_object()) c.add(where + ".runtime", "must be an object");
        else {
            c.string(rt->as_object(), where + ".runtime", "name", true);
            c.string(rt->as_object(), where + ".runtime", "version", false);
        }
    }
    auto usable = c.field(d, where, "usable", true);
    if (usable && !usable->is_bool()) c.add(where + ".usable", "must be true or false");
    if (usable && usable->is_bool() && !usable->as_bool()) c.string(d, where, "reason", true);
    if (auto details = c.field(d, where, "details", false); details && !details->is_object())
        c.add(where + ".details", "must be an object");
    return errors;
}

std::vector<std::string> validate_detect_result(const json::value &result) {
    std::vector<std::string> errors;
    Checker c{errors};
    if (!result.is_object()) {
        c.add("result", "must be a JSON object");
        return errors;
    }
    const auto &o = result.as_object();
    auto schema = c.field(o, "result", "schema", true);
    if (schema && !(schema->is_int64() && schema->as_int64() == 1)) c.add("result.schema", "must be 1");
    c.string(o, "result", "plugin", true);
    c.string(o, "result", "status", true, {"present", "absent", "unsupported_platform"});
    c.strings(o, "result", "notes", false);
    auto devices = c.field(o, "result", "devices", true);
    if (devices && !devices->is_array()) c.add("result.devices", "must be an array");
    if (devices && devices->is_array()) {
        const auto &list = devices->as_array();
        for (size_t i = 0; i < list.size(); ++i) {
            auto more = validate_device(list[i], "devices[" + std::to_string(i) + "]");
            errors.insert(errors.end(), more.begin(), more.end());
        }
    }
    return errors;
}

std::vector<std::string> validate_install(const json::value &install) {
    std::vector<std::string> errors;
    Checker c{errors};
    if (!install.is_object()) {
        c.add("install", "must be a JSON object");
        return errors;
    }
    const auto &o = install.as_object();
    auto acc = c.field(o, "install", "accelerators", true);
    if (acc && !acc->is_array()) c.add("install.accelerators", "must be an array");
    if (acc && acc->is_array()) {
        if (acc->as_array().empty()) c.add("install.accelerators", "must name at least one tag");
        for (size_t i = 0; i < acc->as_array().size(); ++i) {
            const auto &a = acc->as_array()[i];
            std::string where = "install.accelerators[" + std::to_string(i) + "]";
            if (!a.is_object()) c.add(where, "must be an object");
            else {
                c.string(a.as_object(), where, "tag", true);
                c.string(a.as_object(), where, "reason", false);
            }
        }
    }
    if (auto env = c.field(o, "install", "env", false)) {
        if (!env->is_object()) c.add("install.env", "must be an object of strings");
        else
            for (const auto &kv : env->as_object())
                if (!kv.value().is_string()) c.add("install.env." + std::string(kv.key()), "must be a string");
    }
    return errors;
}

std::vector<std::string> validate_score(const json::value &score) {
    std::vector<std::string> errors;
    Checker c{errors};
    if (!score.is_object()) {
        c.add("score", "must be a JSON object");
        return errors;
    }
    const auto &o = score.as_object();
    auto s = c.field(o, "score", "score", true);
    if (s && !(s->is_int64() && s->as_int64() >= 0 && s->as_int64() <= 100)) c.add("score.score", "must be an integer 0..100");
    c.strings(o, "score", "reasons", true);
    return errors;
}

}  // namespace gpuhost
