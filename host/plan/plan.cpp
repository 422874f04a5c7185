#include "plan.hpp"
#include "plan_checks.hpp"

#include <stdexcept>

namespace json = boost::json;

namespace gpuhost {

static json::array strings(const std::vector<std::string> &v) {
    json::array a;
    for (const auto &s : v) a.emplace_back(s);
    return a;
}

json::object Plan::to_json() const {
    json::object env_obj;
    for (const auto &[k, v] : env) env_obj[k] = v;
    json::object o{{"schema", kPlanSchema},
                   {"profile", profile},
            {"profile_path", profile_path},
            {"profile_env_version", profile_env_version},
            {"tables_version", tables_version},
            {"device", device_id},
            {"device_name", device_name},
            {"backend", backend},
            {"accelerator", accelerator},
            {"framework", framework},
            {"python", json::object{{"min", python_min}, {"max", python_max}}},
            {"index_url", index_url},
            {"extra_index_urls", strings(extra_index_urls)},
            {"index_packages", strings(index_packages)},
            {"index_label", index_label},
            {"default_index_url", default_index_url},
            {"packages", strings(packages)},
            {"env", std::move(env_obj)},
            {"env_path", env_path},
            {"steps", strings(steps)},
            {"notes", strings(notes)},
            {"smoke_test", smoke_test}};
    if (!torch_build.empty()) o["torch_build"] = torch_build;
    return o;
}

namespace {

std::string text(const json::object &o, const char *key, bool required = false) {
    auto it = o.find(key);
    if (it == o.end()) {
        if (required) throw std::runtime_error(std::string("plan: missing \"") + key + "\"");
        return {};
    }
    if (!it->value().is_string()) throw std::runtime_error(std::string("plan: \"") + key + "\" must be a string");
    return std::string(it->value().as_string());
}

std::vector<std::string> list(const json::object &o, const char *key) {
    std::vector<std::string> out;
    auto it = o.find(key);
    if (it == o.end()) return out;
    if (!it->value().is_array()) throw std::runtime_error(std::string("plan: \"") + key + "\" must be a list");
    for (const auto &v : it->value().as_array()) {
        if (!v.is_string()) throw std::runtime_error(std::string("plan: \"") + key + "\" must hold strings");
        out.emplace_back(v.as_string());
    }
    return out;
}

}  // namespace

Plan Plan::from_json(const json::object &o) {
    Plan p;
    if (auto schema = o.find("schema"); schema != o.end()) {
        if (!schema->value().is_int64() || schema->value().as_int64() < 1)
            throw std::runtime_error("plan: \"schema\" must be a whole number from 1");
        if (schema->value().as_int64() > kPlanSchema)
            throw std::runtime_error("plan: written by a newer gpuhost (schema " +
                                     std::to_string(schema->value().as_int64()) + "; this one reads up to " +
                                     std::to_string(kPlanSchema) + "): make it again with this gpuhost plan --json");
    }
    p.profile = text(o, "profile", true);
    p.profile_path = text(o, "profile_path");
    if (auto v = o.find("profile_env_version"); v != o.end() && v->value().is_int64())
        p.profile_env_version = int(v->value().as_int64());
    p.tables_version = text(o, "tables_version");
    p.device_id = text(o, "device", true);
    p.device_name = text(o, "device_name");
    p.backend = text(o, "backend", true);
    p.accelerator = text(o, "accelerator", true);
    p.torch_build = text(o, "torch_build");
    p.framework = text(o, "framework");
    if (auto py = o.find("python"); py != o.end() && py->value().is_object()) {
        p.python_min = text(py->value().as_object(), "min");
        p.python_max = text(py->value().as_object(), "max");
    }
    p.index_url = text(o, "index_url");
    p.extra_index_urls = list(o, "extra_index_urls");
    p.index_packages = list(o, "index_packages");
    p.index_label = text(o, "index_label");
    p.default_index_url = text(o, "default_index_url");
    p.packages = list(o, "packages");
    if (auto env = o.find("env"); env != o.end()) {
        if (!env->value().is_object()) throw std::runtime_error("plan: \"env\" must be an object");
        for (const auto &kv : env->value().as_object()) {
            if (!kv.value().is_string()) throw std::runtime_error("plan: env values must be strings");
            p.env[std::string(kv.key())] = std::string(kv.value().as_string());
        }
    }
    p.env_path = text(o, "env_path");
    p.steps = list(o, "steps");
    p.notes = list(o, "notes");
    p.smoke_test = text(o, "smoke_test");
    check_plan(p);  // the boundary: profiles (through Lua) and --plan files alike
    return p;
}

}  // namespace gpuhost
