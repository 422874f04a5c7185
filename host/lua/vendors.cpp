#include "vendors.hpp"

#include "../core/files.hpp"
#include "../core/log.hpp"

#include <algorithm>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::lua {

std::string VendorProblem::describe() const {
    return file + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + message;
}

json::value VendorScripts::to_json() const {
    json::array l, p;
    for (const auto &v : loaded) {
        json::array backends, files;
        for (const auto &b : v.backends) backends.emplace_back(b);
        for (const auto &f : v.files) files.emplace_back(f);
        l.push_back(json::object{{"plugin", v.plugin}, {"vendor", v.vendor}, {"backends", backends},
                                 {"priority", v.priority}, {"files", files}});
    }
    for (const auto &x : problems)
        p.push_back(json::object{{"plugin", x.plugin}, {"file", x.file}, {"line", x.line}, {"message", x.message}});
    return json::object{{"loaded", l}, {"problems", p}};
}

namespace {

constexpr std::uintmax_t kMaxScriptBytes = std::uintmax_t(1) << 20;

// The line of the file's last top-level `return`: where a wrong value came from.
int last_return_line(const fs::path &file) {
    std::ifstream in(file);
    int n = 0, found = 0;
    for (std::string line; std::getline(in, line);) {
        ++n;
        if (line.rfind("return", 0) == 0) found = n;
    }
    return found;
}

struct Loader {
    Engine &engine;
    const PluginSearchOptions &options;
    VendorScripts &out;

    // Why this file may not be run, or empty.
    std::string refuse(const Manifest &m, const fs::path &file) {
        std::error_code ec;
        auto dir = fs::weakly_canonical(m.file.parent_path(), ec);
        auto real = fs::weakly_canonical(file, ec);
        if (ec || !fs::is_regular_file(real, ec)) return "not found (named in " + m.file.filename().string() + ")";
        auto rel = real.lexically_relative(dir);
        if (rel.empty() || *rel.begin() == "..") return "resolves outside the plugin's folder (" + real.string() + ")";
        if (fs::file_size(real, ec) > kMaxScriptBytes) return "larger than 1 MiB";
        if (!options.allow_insecure) {
            if (auto why = insecure_reason(real); !why.empty()) return "refused: " + why;
            if (auto why = insecure_reason(real.parent_path()); !why.empty()) return "refused: " + why;
        }
        return {};
    }

    void problem(const Manifest &m, const fs::path &file, int line, const std::string &message) {
        out.problems.push_back({m.name, file.string(), line, message});
    }

    // Runs one file; a nil Ref (and a problem) when it fails.
    Ref run(const Manifest &m, const fs::path &file) {
        if (auto why = refuse(m, file); !why.empty()) {
            problem(m, file, 0, why);
            return {};
        }
        try {
            return engine.run_file(file);
        } catch (const ScriptError &e) {
            problem(m, e.file.empty() ? file.string() : e.file, e.line, e.message);
        }
        return {};
    }

    // The vendor table's shape; the first problem, or empty.
    bool check_vendor(const Manifest &m, const fs::path &file, const Ref &t) {
        if (!t.is_table()) {
            problem(m, file, last_return_line(file),
                    "a vendor script must return a table (got " + t.type_name() + "); see sdk/docs/VENDORS.md");
            return false;
        }
        if (auto f = t.field("accelerators"); !f.is_function()) {
            problem(m, file, last_return_line(file),
                    "the vendor table needs \"accelerators\": a function (got " + f.type_name() + ")");
            return false;
        }
        for (const char *optional : {"eligible", "describe", "pytorch", "packages", "owns_tag", "tag_family",
                                     "has_torch_tag", "framework_ok", "package_options", "smoke_test"}) {
            auto f = t.field(optional);
            bool table_ok = std::string(optional) == "smoke_test";
            if (!(f.is_nil() || f.is_function() || (table_ok && f.is_table()))) {
                problem(m, file, last_return_line(file),
                        std::string("\"") + optional + "\" must be a function" +
                            (table_ok ? " or a table by framework" : "") + " (got " + f.type_name() + ")");
                return false;
            }
        }
        auto backends = t.field("backends");
        if (!backends.is_nil()) {
            auto list = backends.to_json();
            if (!list.is_array()) {
                problem(m, file, last_return_line(file), "\"backends\" must be a list of backend names");
                return false;
            }
            for (const auto &b : list.as_array())
                if (!b.is_string() ||
                    std::find(m.backends.begin(), m.backends.end(), std::string(b.as_string())) == m.backends.end()) {
                    problem(m, file, last_return_line(file),
                            "\"backends\" names " + json::serialize(b) + ", which the manifest does not declare");
                    return false;
                }
        }
        return true;
    }
};

}  // namespace

VendorScripts load_vendor_scripts(Engine &engine, const PluginSearchOptions &search) {
    VendorScripts out;
    PluginSearchOptions options = search;
    options.defer_loading = true;  // manifests only: no plugin code runs here
    PluginSet set = load_plugins(options);
    std::vector<Manifest> manifests = set.manifests();
    std::stable_sort(manifests.begin(), manifests.end(),
                     [](const Manifest &a, const Manifest &b) { return a.priority < b.priority; });

    Loader loader{engine, options, out};
    // Registers one vendor table in gpuhost.vendors with what the manifest says.
    auto add = engine.run_string(R"(
      return function(t, meta)
        gpuhost.vendors = gpuhost.vendors or {}
        for k, v in pairs(meta) do t[k] = v end
        gpuhost.vendors[#gpuhost.vendors + 1] = t
      end)",
                                 "vendor registry");
    auto add_doctor = engine.run_string(R"(
      return function(list, meta)
        gpuhost.vendor_doctor = gpuhost.vendor_doctor or {}
        gpuhost.vendor_doctor[#gpuhost.vendor_doctor + 1] = { plugin = meta.plugin, file = meta.file, checks = list }
      end)",
                                        "vendor registry");
    // Every declared backend's order, for rankings that run without the plugin.
    json::object priorities;
    for (const auto &m : manifests)
        for (const auto &b : m.backends)
            if (!priorities.contains(b)) priorities[b] = m.priority;
    engine.run_string("return function(p) gpuhost.backend_priority = p end", "vendor registry")
        .call({priorities}, "vendor registry");
    std::map<std::string, std::string> owner;  // backend -> the plugin whose scripts plan for it
    for (const auto &m : manifests) {
        if (m.scripts.empty()) continue;
        VendorInfo info{m.name, m.vendor, m.backends, m.priority, {}};
        if (!m.scripts.vendor.empty()) {
            std::string taken;
            for (const auto &b : m.backends)
                if (auto it = owner.find(b); it != owner.end()) taken = b + "\" is already planned for by plugin \"" + it->second;
            if (!taken.empty()) {
                loader.problem(m, m.scripts.vendor, 0, "left out: backend \"" + taken + "\" (a name that collides with another vendor's)");
                continue;
            }
            Ref t = loader.run(m, m.scripts.vendor);
            if (t.is_nil() && !out.problems.empty() && out.problems.back().plugin == m.name) continue;
            if (!loader.check_vendor(m, m.scripts.vendor, t)) continue;
            json::array backends;
            for (const auto &b : m.backends) backends.emplace_back(b);
            try {
                add.call_refs({t, engine.value(json::object{{"plugin", m.name},
                                                            {"vendor", m.vendor},
                                                            {"backends", backends},
                                                            {"priority", m.priority},
                                                            {"file", m.scripts.vendor.string()}})},
                              "vendor registry");
            } catch (const ScriptError &e) {
                loader.problem(m, m.scripts.vendor, 0, e.message);
                continue;
            }
            for (const auto &b : m.backends) owner[b] = m.name;
            info.files.push_back(m.scripts.vendor.string());
        }
        for (const auto &file : m.scripts.rules) {
            Ref list = loader.run(m, file);
            if (list.is_nil()) continue;
            if (!list.is_table()) {
                loader.problem(m, file, last_return_line(file), "a rules file must return a list of rules (got " + list.type_name() + ")");
                continue;
            }
            engine.add_rule_source("vendor " + m.name + ": " + file.filename().string(), list);
            info.files.push_back(file.string());
        }
        if (!m.scripts.doctor.empty()) {
            Ref list = loader.run(m, m.scripts.doctor);
            if (!list.is_nil()) {
                if (!list.is_table())
                    loader.problem(m, m.scripts.doctor, last_return_line(m.scripts.doctor),
                                   "a doctor file must return a list of checks (got " + list.type_name() + ")");
                else {
                    add_doctor.call_refs({list, engine.value(json::object{{"plugin", m.name},
                                                                           {"file", m.scripts.doctor.string()}})},
                                         "vendor registry");
                    info.files.push_back(m.scripts.doctor.string());
                }
            }
        }
        if (!info.files.empty()) out.loaded.push_back(std::move(info));
    }
    for (const auto &p : out.problems) log::debug("vendor script left out: " + p.describe());
    return out;
}

VendorScripts load_vendor_scripts(Engine &engine) { return load_vendor_scripts(engine, default_search_options()); }

}  // namespace gpuhost::lua
