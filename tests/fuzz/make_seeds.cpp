// Writes the seeds under tests/fuzz/seeds/ for the files no fixture records,
// through the project's own writers, from the cited fixtures:
//   inventory_cache/  write_inventory_cache of each tests/fixtures/inventories/*.json,
//                     fingerprinted from the machine recording of the same name
//   env_state/        save_state of a state for each plan in seeds/plan/ (make_seeds.sh)
//   config/           every key of config_keys() at its default
//   manifest/         the manifests this build wrote beside its plugins
//   requirements/     each plan's package specs, with the pinned version as the
//                     installed one (the fuzz target's two-line form)
// Run by make_seeds.sh after a build; review the result and commit it.
#include "core/files.hpp"
#include "detect/fingerprint.hpp"
#include "detect/inventory.hpp"
#include "detect/inventory_cache.hpp"
#include "env/env_state.hpp"
#include "plan/plan.hpp"
#include "policy/config.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace fs = std::filesystem;
using namespace gpuhost;

static const fs::path kSource = GPUHOST_SOURCE_DIR;
static const fs::path kSeeds = kSource / "tests/fuzz/seeds";
static const std::time_t kNow = 1764547200;  // the fuzz target's clock

static void put(const fs::path &file, const std::string &text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
    std::cout << file.lexically_relative(kSource).string() << "\n";
}

int main() {
    for (const char *dir : {"inventory_cache", "env_state", "config", "manifest", "requirements"})
        fs::remove_all(kSeeds / dir);
    for (const auto &e : fs::directory_iterator(kSource / "tests/fixtures/inventories")) {
        if (e.path().extension() != ".json") continue;
        auto name = e.path().stem().string();
        auto inv = Inventory::from_json(read_json_file(e.path()).as_object());
        auto machine = kSource / "tests/fixtures/machines" / name;
        // Never the live machine's (""): a recording, or a stand-in naming the fixture.
        auto fingerprint = fs::is_directory(machine) ? machine_fingerprint(machine.string(), {})
                                                     : boost::json::object{{"fixture", name}};
        if (fingerprint.contains("sysroot")) fingerprint["sysroot"] = "/src/tests/fixtures/machines/" + name;
        auto file = kSeeds / "inventory_cache" / (name + ".json");
        fs::create_directories(file.parent_path());
        write_inventory_cache(file, fingerprint, inv, kNow);
        std::cout << file.lexically_relative(kSource).string() << "\n";
    }
    for (const auto &e : fs::directory_iterator(kSeeds / "plan")) {
        if (e.path().extension() != ".json") continue;
        auto name = e.path().stem().string();
        auto plan = Plan::from_json(read_json_file(e.path()).as_object());
        env::EnvState s;
        s.profile = plan.profile;
        s.profile_env_version = plan.profile_env_version;
        s.tables_version = plan.tables_version;
        s.gpuhost_version = "0.1.0";
        s.backend = plan.backend;
        s.accelerator = plan.accelerator;
        s.device_id = plan.device_id;
        s.device_name = plan.device_name;
        s.created_at = s.updated_at = s.last_run_at = "2025-12-01T00:00:00Z";
        s.python_version = plan.python_max + ".0";
        s.python_executable = plan.env_path + "/bin/python";
        s.python_base = "/usr/bin/python3";
        s.installer = "pip";
        s.requested = plan.packages;
        std::string requirements;
        for (const auto &spec : plan.packages) {
            auto eq = spec.find("==");
            std::string version = eq == std::string::npos ? "" : spec.substr(eq + 2);
            if (auto sc = version.find(';'); sc != std::string::npos) version.resize(sc);
            auto cut = spec.find_first_of("=<>!~[; ");
            s.packages[spec.substr(0, cut)] = version.empty() ? "1.0" : version;
            std::string seed = spec + "\n" + s.packages[spec.substr(0, cut)], file;
            for (char c : seed) file += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
            put(kSeeds / "requirements" / file, seed);  // named by content: one file per distinct line pair
        }
        s.verification = boost::json::object{{"status", "passed"}, {"at", s.updated_at}};
        s.last_run_status = "ok";
        s.last_run_decision = "create";
        s.fix_env = plan.env;
        put(kSeeds / "env_state" / (name + ".json"), pretty_json(s.to_json()));
    }
    boost::json::object defaults;
    for (const auto &key : config_keys()) defaults[key.name] = boost::json::parse(key.default_json);
    put(kSeeds / "config" / "defaults.json", pretty_json(defaults));
    fs::create_directories(kSeeds / "manifest");
    for (const auto &e : fs::directory_iterator(GPUHOST_PLUGIN_DIR))
        if (e.path().string().ends_with(".gpuhost-plugin.json"))
            fs::copy_file(e.path(), kSeeds / "manifest" / e.path().filename(), fs::copy_options::overwrite_existing),
                std::cout << e.path().filename().string() << "\n";
    return 0;
}
