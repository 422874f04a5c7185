#include "env_state.hpp"

#include "../core/files.hpp"

#include <chrono>
#include <ctime>
#include <stdexcept>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::env {

fs::path state_path(const fs::path &env) { return env / kStateFileName; }

static std::string format_time(const char *format) {
    std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}
std::string utc_now() { return format_time("%Y-%m-%dT%H:%M:%SZ"); }
std::string utc_stamp() { return format_time("%Y%m%dT%H%M%SZ"); }

json::object EnvState::to_json() const {
    json::array req;
    for (const auto &r : requested) req.emplace_back(r);
    json::object pk;
    for (const auto &[k, v] : packages) pk[k] = v;
    return {{"schema", kStateSchema},
            {"profile", profile},
            {"profile_env_version", profile_env_version},
            {"tables_version", tables_version},
            {"gpuhost_version", gpuhost_version},
            {"backend", backend},
            {"accelerator", accelerator},
            {"device", json::object{{"id", device_id}, {"name", device_name}}},
            {"created_at", created_at},
            {"updated_at", updated_at},
            {"python", json::object{{"version", python_version}, {"executable", python_executable}, {"base", python_base}}},
            {"installer", installer},
            {"requested", std::move(req)},
            {"packages", std::move(pk)},
            {"verification", verification},
            {"last_run", json::object{{"status", last_run_status}, {"decision", last_run_decision}, {"at", last_run_at}}},
            {"last_failure", last_failure},
            {"fix_env", [&] {
                 json::object o;
                 for (const auto &[k, v] : fix_env) o[k] = v;
                 return o;
             }()}};
}

namespace {

const json::object &object_at(const json::object &o, const char *key) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_object())
        throw std::runtime_error(std::string("\"") + key + "\" is missing or not an object");
    return it->value().as_object();
}

std::string string_at(const json::object &o, const char *key) {
    auto it = o.find(key);
    if (it == o.end()) throw std::runtime_error(std::string("\"") + key + "\" is missing");
    if (!it->value().is_string()) throw std::runtime_error(std::string("\"") + key + "\" is not a string");
    return std::string(it->value().as_string());
}

}  // namespace

EnvState EnvState::from_json(const json::object &o) {
    auto schema = o.find("schema");
    if (schema == o.end() || !schema->value().is_int64()) throw std::runtime_error("\"schema\" is missing");
    if (schema->value().as_int64() != kStateSchema)
        throw std::runtime_error("schema " + std::to_string(schema->value().as_int64()) + " is not " +
                                 std::to_string(kStateSchema));
    EnvState s;
    s.profile = string_at(o, "profile");
    auto v = o.find("profile_env_version");
    if (v == o.end() || !v->value().is_int64()) throw std::runtime_error("\"profile_env_version\" is not a number");
    s.profile_env_version = int(v->value().as_int64());
    s.tables_version = string_at(o, "tables_version");
    s.gpuhost_version = string_at(o, "gpuhost_version");
    s.backend = string_at(o, "backend");
    s.accelerator = string_at(o, "accelerator");
    const auto &dev = object_at(o, "device");
    s.device_id = string_at(dev, "id");
    s.device_name = string_at(dev, "name");
    s.created_at = string_at(o, "created_at");
    s.updated_at = string_at(o, "updated_at");
    const auto &py = object_at(o, "python");
    s.python_version = string_at(py, "version");
    s.python_executable = string_at(py, "executable");
    s.python_base = string_at(py, "base");
    s.installer = string_at(o, "installer");
    auto req = o.find("requested");
    if (req == o.end() || !req->value().is_array()) throw std::runtime_error("\"requested\" is not a list");
    for (const auto &r : req->value().as_array()) {
        if (!r.is_string()) throw std::runtime_error("\"requested\" holds a non-string");
        s.requested.emplace_back(r.as_string());
    }
    for (const auto &kv : object_at(o, "packages")) {
        if (!kv.value().is_string()) throw std::runtime_error("\"packages\" values must be version strings");
        s.packages[std::string(kv.key())] = std::string(kv.value().as_string());
    }
    s.verification = object_at(o, "verification");
    const auto &run = object_at(o, "last_run");
    s.last_run_status = string_at(run, "status");
    s.last_run_decision = string_at(run, "decision");
    s.last_run_at = string_at(run, "at");
    auto f = o.find("last_failure");
    if (f != o.end()) s.last_failure = f->value();
    if (auto fe = o.find("fix_env"); fe != o.end()) {  // absent in older state files
        if (!fe->value().is_object()) throw std::runtime_error("\"fix_env\" is not an object");
        for (const auto &kv : fe->value().as_object()) {
            if (!kv.value().is_string()) throw std::runtime_error("\"fix_env\" values must be strings");
            s.fix_env[std::string(kv.key())] = std::string(kv.value().as_string());
        }
    }
    return s;
}

LoadedState load_state(const fs::path &env) {
    LoadedState out;
    fs::path file = state_path(env);
    auto text = read_text(file);
    if (!text) return out;
    try {
        json::value v = parse_json(*text, file.string());
        if (!v.is_object()) throw std::runtime_error("not a JSON object");
        out.state = EnvState::from_json(v.as_object());
        out.kind = LoadedState::Kind::ok;
    } catch (const std::exception &e) {
        out.kind = LoadedState::Kind::corrupt;
        out.error = file.string() + ": " + e.what();
    }
    return out;
}

void save_state(const fs::path &env, const EnvState &state) {
    write_file_atomic(state_path(env), pretty_json(state.to_json()));
}

}  // namespace gpuhost::env
