// gpuhost's environments: each folder under the envs directory should hold a
// readable environment_state.json whose interpreter still exists.
#include "doctor.hpp"

#include "../core/files.hpp"
#include "../core/paths.hpp"

#include <cstdlib>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::doctor {

fs::path default_envs_dir() {
    if (const char *d = std::getenv("GPUHOST_ENVS_DIR"); d && *d) return d;
    return paths::data_dir() / "envs";
}

static std::string field(const json::object &o, const char *outer, const char *inner) {
    auto it = o.find(outer);
    if (it == o.end() || !it->value().is_object()) return {};
    auto in = it->value().as_object().find(inner);
    return in != it->value().as_object().end() && in->value().is_string() ? std::string(in->value().as_string())
                                                                           : std::string();
}

void check_environments(const Context &ctx, Report &report) {
    if (!ctx.live()) {
        report.skipped.push_back("environments: gpuhost's environments are this machine's, not the recording's");
        return;
    }
    fs::path dir = ctx.options.envs_dir.empty() ? default_envs_dir() : ctx.options.envs_dir;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        report.add("environments", Severity::info, "no gpuhost environments yet (" + dir.string() + ")");
        return;
    }
    std::vector<fs::path> envs;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory()) envs.push_back(it->path());
    std::sort(envs.begin(), envs.end());
    for (const auto &env : envs) {
        auto state_file = env / "environment_state.json";
        if (!fs::exists(state_file, ec)) {
            report.add("environments", Severity::warning,
                       env.string() + " has no environment_state.json: not made by gpuhost, or its creation was cut short",
                       "remove it (rm -r " + env.string() + ") or let gpuhost run recreate it");
            continue;
        }
        json::value state;
        try {
            state = read_json_file(state_file);
        } catch (const FileError &e) {
            report.add("environments", Severity::error, std::string("unreadable state file: ") + e.what(),
                       "gpuhost run recreates the environment; or delete " + state_file.string(), "venv_broken_python");
            continue;
        }
        if (!state.is_object()) {
            report.add("environments", Severity::error, state_file.string() + ": not a JSON object",
                       "gpuhost run recreates the environment; or delete " + state_file.string(), "venv_broken_python");
            continue;
        }
        const auto &o = state.as_object();
        auto python = field(o, "python", "executable");
        auto status = field(o, "last_run", "status");
        auto name = env.filename().string();
        if (python.empty() || ::access(python.c_str(), X_OK) != 0) {
            auto &f = report.add("environments", Severity::error,
                                 name + ": its interpreter " + (python.empty() ? std::string("(not recorded)") : python) +
                                     " is gone (the Python it was made from was removed or upgraded)",
                                 "recreate it: gpuhost run <profile> (it sees the broken interpreter), or rm -r " +
                                     env.string(),
                                 "venv_broken_python");
            f.details["env"] = env.string();
            continue;
        }
        Severity sev = status == "ok" || status.empty() ? Severity::info : Severity::warning;
        std::string profile = o.contains("profile") && o.at("profile").is_string() ? std::string(o.at("profile").as_string()) : "";
        auto &f = report.add("environments", sev,
                             name + (profile.empty() ? "" : " (profile " + profile + ")") + ": last run " +
                                 (status.empty() ? "unknown" : status),
                             sev == Severity::info ? "" : "gpuhost run " + (profile.empty() ? std::string("<profile>") : profile) +
                                                              " repairs it; gpuhost explain <log> says why it failed");
        f.details["env"] = env.string();
        f.details["python"] = python;
    }
}

}  // namespace gpuhost::doctor
