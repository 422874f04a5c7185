// gpuhost plugins: what the search path holds, loaded or rejected with the reason.
#include "../detect/probe_child.hpp"
#include "../detect/quarantine.hpp"
#include "../policy/config.hpp"
#include "../lua/vendors.hpp"
#include "../plugins/plugin_set.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

#include <chrono>
#include <iostream>

namespace json = boost::json;
namespace fs = std::filesystem;

namespace gpuhost::cli {

int run_plugins(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common, false);
    po::variables_map vm;
    if (!parse("plugins", "[options]",
               "Lists plugin manifests (*.gpuhost-plugin.json) found, in search order: the folder beside\n"
               "the executable, the user's data folder (~/.local/share/gpuhost/plugins), then\n"
               "GPUHOST_PLUGIN_PATH. Never the current directory. A plugin that cannot be used is\n"
               "listed with the reason and skipped.",
               options, args, vm))
        return kOk;
    apply_verbosity(common);
    // A library that crashes while loading must not take the listing down.
    PluginSet set = load_plugins_checked(default_search_options(),
                                         std::chrono::milliseconds(load_config().integer("probe_timeout_ms")));
    Quarantine quarantine = Quarantine::load();
    // The vendor folders' Lua, loaded as planning loads it: what loaded, what was left out and why.
    lua::Engine engine;
    auto vendors = lua::load_vendor_scripts(engine);
    auto scripts_of = [&](const std::string &name) {
        json::array files;
        for (const auto &v : vendors.loaded)
            if (v.plugin == name)
                for (const auto &f : v.files) files.emplace_back(f);
        return files;
    };
    auto backends_of = [](const Manifest &m) {
        json::array list;
        for (const auto &b : m.backends) list.emplace_back(b);
        return list;
    };
    auto quarantined = [&](const std::string &name) { return quarantine.skip_reason(name).value_or(""); };

    if (common.json) {
        json::array loaded, rejected, searched;
        for (const auto &p : set.loaded)
            loaded.push_back(json::object{{"name", p->name()},
                                          {"vendor", p->manifest().vendor},
                                          {"kind", p->manifest().kind},
                                          {"version", p->version()},
                                          {"abi", p->abi_version()},
                                          {"kernel", p->has_kernel()},
                                          {"library", p->manifest().library.string()},
                                          {"manifest", p->manifest().file.string()},
                                          {"backends", backends_of(p->manifest())},
                                          {"priority", p->manifest().priority},
                                          {"scripts", scripts_of(p->name())},
                                          {"quarantined", quarantined(p->name())}});
        for (const auto &r : set.rejected)
            rejected.push_back(json::object{{"path", r.path.string()}, {"name", r.name}, {"reason", r.reason}});
        for (const auto &d : set.searched) searched.emplace_back(d.string());
        print_json(json::object{{"searched", searched},
                                {"loaded", loaded},
                                {"rejected", rejected},
                                {"script_problems", vendors.to_json().as_object().at("problems")}});
        return kOk;
    }
    Table table({"NAME", "VENDOR", "BACKENDS", "VERSION", "ABI", "KERNEL", "LUA", "LIBRARY"});
    for (const auto &p : set.loaded) {
        std::string backends;
        for (const auto &b : p->manifest().backends) backends += (backends.empty() ? "" : ",") + b;
        std::string lua;
        for (const auto &f : scripts_of(p->name())) lua += (lua.empty() ? "" : ",") + fs::path(std::string(f.as_string())).filename().string();
        table.add({p->name(), p->manifest().vendor, backends.empty() ? "-" : backends, p->version(),
                   std::to_string(p->abi_version()), p->has_kernel() ? "yes" : "no", lua.empty() ? "-" : lua,
                   p->manifest().library.string()});
    }
    std::cout << table.render();
    for (const auto &p : vendors.problems) std::cout << "vendor script left out: " << p.describe() << "\n";
    for (const auto &p : set.loaded)
        if (auto why = quarantined(p->name()); !why.empty()) std::cout << "quarantined: " << p->name() << ": " << why << "\n";
    for (const auto &r : set.rejected)
        std::cout << "rejected: " << r.path.string() << ": " << r.reason << "\n";
    std::cout << "searched:";
    for (const auto &d : set.searched) std::cout << " " << d.string();
    std::cout << "\n";
    return kOk;
}

}  // namespace gpuhost::cli
