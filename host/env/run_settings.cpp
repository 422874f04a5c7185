#include "run_settings.hpp"

#include "../core/files.hpp"
#include "../core/paths.hpp"

#include <cstdlib>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::env {

RunSettings load_run_settings(const std::vector<fs::path> &files) {
    RunSettings s;
    for (const auto &file : files) {
        std::error_code ec;
        if (!fs::is_regular_file(file, ec)) continue;
        json::value v = read_json_file(file);
        if (!v.is_object()) throw FileError(file.string() + ": must hold a JSON object");
        auto run = v.as_object().if_contains("run");
        if (!run) continue;
        if (!run->is_object()) throw FileError(file.string() + ": \"run\" must be an object");
        s.sources.push_back(file.string());
        for (const auto &kv : run->as_object()) {
            std::string key(kv.key());
            auto bad = [&](const char *want) {
                return FileError(file.string() + ": run." + key + " must be " + want);
            };
            if (key == "envs_dir" || key == "installer") {
                if (!kv.value().is_string()) throw bad("a string");
                (key == "envs_dir" ? s.envs_dir : s.installer) = std::string(kv.value().as_string());
            } else if (key == "accept_existing" || key == "auto_fix") {
                if (!kv.value().is_bool()) throw bad("true or false");
                (key == "accept_existing" ? s.accept_existing : s.auto_fix) = kv.value().as_bool();
            } else if (key == "lock_timeout_s" || key == "install_timeout_s") {
                if (!kv.value().is_int64() || kv.value().as_int64() <= 0) throw bad("a positive number of seconds");
                (key == "lock_timeout_s" ? s.lock_timeout_s : s.install_timeout_s) = int(kv.value().as_int64());
            } else {
                throw FileError(file.string() + ": unknown key run." + key +
                                " (known: envs_dir, accept_existing, auto_fix, installer, lock_timeout_s, install_timeout_s)");
            }
        }
    }
    auto flag = [](const char *name) {
        const char *v = std::getenv(name);
        return v && (std::string(v) == "1" || std::string(v) == "true" || std::string(v) == "yes");
    };
    if (flag("GPUHOST_ACCEPT_EXISTING")) s.accept_existing = true;
    if (flag("GPUHOST_AUTO_FIX")) s.auto_fix = true;
    if (const char *d = std::getenv("GPUHOST_ENVS_DIR"); d && *d) s.envs_dir = d;
    if (const char *i = std::getenv("GPUHOST_INSTALLER"); i && *i) s.installer = i;
    return s;
}

RunSettings load_run_settings() {
    return load_run_settings({paths::config_dir() / "gpuhost.json", fs::current_path() / "gpuhost.json"});
}

}  // namespace gpuhost::env
