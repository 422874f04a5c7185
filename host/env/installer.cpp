#include "installer.hpp"

#include "../core/files.hpp"
#include "env_state.hpp"

#include <cctype>
#include <cstdlib>
#include <map>
#include <fstream>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::env {

ProcessResult ProcessLog::run(const std::string &program, const std::vector<std::string> &args,
                              const ProcessOptions &options) {
    std::string line = program;
    for (const auto &a : args) line += " " + a;
    started_.push_back(line);
    return run_process(program, args, options);
}

json::array ProcessLog::to_json() const {
    json::array a;
    for (const auto &s : started_) a.emplace_back(s);
    return a;
}

std::string choose_installer(const std::string &requested, std::string &uv_path) {
    std::string want = requested;
    if (want.empty() || want == "auto") {
        const char *e = std::getenv("GPUHOST_INSTALLER");
        want = e && *e ? e : "auto";
    }
    uv_path = find_on_path("uv");
    if (want == "pip") return "pip";
    if (want == "uv") {
        if (uv_path.empty()) throw MissingTool("the installer uv was asked for but is not on PATH (install it: tools/install-uv.sh, or use --installer pip)");
        return "uv";
    }
    if (want != "auto") throw std::runtime_error("installer \"" + want + "\" is not one of auto, uv, pip");
    return uv_path.empty() ? "pip" : "uv";
}

fs::path log_dir(const fs::path &env) { return env / "gpuhost-logs"; }

bool is_progress_line(const std::string &line) {
    for (const char *p : {"Collecting ", "Downloading ", "Installing collected", "Successfully installed",
                          "Requirement already satisfied", " + ", " - ", "Resolved ", "Prepared ", "Installed ",
                          "Uninstalled ", "Processing ", "Looking in", "ERROR", "error:"})
        if (line.rfind(p, 0) == 0) return true;
    return false;
}

namespace {

std::string joined(const std::string &program, const std::vector<std::string> &args) {
    std::string s = program;
    for (const auto &a : args) s += " " + a;
    return s;
}

StepResult run_step(ProcessLog &log, const fs::path &env, const std::string &what, const std::string &program,
                    const std::vector<std::string> &args, const InstallOptions &options,
                    std::map<std::string, std::string> env_set = {}, std::vector<std::string> env_unset = {}) {
    StepResult step;
    step.command = joined(program, args);
    fs::create_directories(log_dir(env));
    fs::path file = log_dir(env) / (utc_stamp() + "-" + what + ".log");
    for (int n = 2; fs::exists(file); ++n) file = log_dir(env) / (utc_stamp() + "-" + what + "-" + std::to_string(n) + ".log");
    step.log_file = file.string();
    std::ofstream out(file);
    out << "$ " << step.command << "\n" << std::flush;
    ProcessOptions po;
    po.timeout = options.timeout;
    po.merge_stderr = true;
    po.cancelled = options.cancelled;
    po.die_with_parent = true;
    po.env_set = std::move(env_set);
    po.env_unset = std::move(env_unset);
    po.on_line = [&](const std::string &line) {
        out << line << "\n" << std::flush;  // the log is whole even if we are killed
        if (options.progress && is_progress_line(line)) options.progress(line);
    };
    ProcessResult r = log.run(program, args, po);
    step.ok = r.ok();
    step.cancelled = r.cancelled;
    step.output = r.output;
    step.describe = r.describe();
    if (!r.started) step.output = r.start_error;
    out << "# " << step.describe << "\n";
    return step;
}

}  // namespace

StepResult create_venv(ProcessLog &log, const fs::path &env, const std::string &base_python,
                       const InstallOptions &options) {
    if (options.tool == "uv")
        // --allow-existing: env holds the lock file and logs, which must survive.
        return run_step(log, env, "create", options.uv,
                        {"venv", "--allow-existing", "--no-project", "--python", base_python, env.string()}, options,
                        {{"UV_PYTHON_DOWNLOADS", "never"}});
    return run_step(log, env, "create", base_python, {"-m", "venv", env.string()}, options);
}

std::vector<std::string> install_arguments(const fs::path &env, const Plan &plan, const std::vector<std::string> &specs,
                                           bool reinstall, const InstallOptions &options) {
    std::vector<std::string> args;
    std::string python = (env / "bin" / "python").string();
    if (options.tool == "uv") args = {"pip", "install", "--python", python};
    else args = {"-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off"};
    if (!options.wheelhouse.empty()) {
        args.insert(args.end(), {"--no-index", "--find-links", options.wheelhouse});
    } else {
        if (!plan.index_url.empty()) args.insert(args.end(), {"--index-url", plan.index_url});
        for (const auto &u : plan.extra_index_urls) args.insert(args.end(), {"--extra-index-url", u});
    }
    if (reinstall) {
        if (options.tool == "uv") {
            for (const auto &s : specs) {
                size_t i = 0;
                while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == '_' || s[i] == '.')) ++i;
                args.insert(args.end(), {"--reinstall-package", s.substr(0, i)});
            }
        } else {
            args.insert(args.end(), {"--force-reinstall", "--no-deps"});
        }
    }
    // Requirements are data, never options: "--" ends option parsing in pip and uv.
    args.push_back("--");
    args.insert(args.end(), specs.begin(), specs.end());
    return args;
}

StepResult install_packages(ProcessLog &log, const fs::path &env, const Plan &plan,
                            const std::vector<std::string> &specs, const std::vector<std::string> &reinstall,
                            const InstallOptions &options) {
    std::string python = (env / "bin" / "python").string();
    const std::string &program = options.tool == "uv" ? options.uv : python;
    std::map<std::string, std::string> env_set = {{"PIP_NO_INPUT", "1"}, {"UV_PYTHON_DOWNLOADS", "never"}};
    // Offline means the wheelhouse alone: the user's own index and find-links
    // settings would otherwise add sources (pip reads PIP_*, uv reads UV_*).
    std::vector<std::string> env_unset;
    if (!options.wheelhouse.empty())
        env_unset = {"PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "UV_FIND_LINKS", "UV_INDEX_URL",
                     "UV_EXTRA_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX"};
    StepResult result;
    result.ok = true;
    if (!specs.empty()) {
        result = run_step(log, env, "install", program, install_arguments(env, plan, specs, false, options), options,
                          env_set, env_unset);
        if (!result.ok) return result;
    }
    if (!reinstall.empty()) {
        StepResult again = run_step(log, env, "reinstall", program,
                                    install_arguments(env, plan, reinstall, true, options), options, env_set,
                                    env_unset);
        again.output = result.output + again.output;
        return again;
    }
    return result;
}

}  // namespace gpuhost::env
