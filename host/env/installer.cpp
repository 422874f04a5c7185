#include "installer.hpp"

#include "../core/files.hpp"
#include "env_state.hpp"
#include "dist_metadata.hpp"
#include "index_routing.hpp"
#include "requirements.hpp"
#include "../plan/plan_checks.hpp"

#include <cctype>
#include <cstdlib>
#include <map>
#include <set>
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

std::string plain_text(const std::string &line) {
    std::string out;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (c == '\r') {
            if (i + 1 < line.size()) out.clear();  // redrawn: only what follows counts
            continue;
        }
        if (c == '\x1b' && i + 1 < line.size()) {
            if (line[i + 1] == '[') {  // CSI: parameters, then one final byte in @..~
                i += 2;
                while (i < line.size() && !(line[i] >= '@' && line[i] <= '~')) ++i;
            } else if (line[i + 1] == ']') {  // OSC: up to BEL or ESC backslash
                i += 2;
                while (i < line.size() && line[i] != '\a' && !(line[i] == '\x1b' && i + 1 < line.size() && line[i + 1] == '\\')) ++i;
                if (i < line.size() && line[i] == '\x1b') ++i;
            } else {
                ++i;
            }
            continue;
        }
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
    return out;
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
    if (options.terminal) {
        po.terminal = true;
        po.on_raw = options.terminal;
    }
    po.on_line = [&](const std::string &line) {
        out << (options.terminal ? plain_text(line) : line) << "\n" << std::flush;  // whole even if we are killed
        if (!options.terminal && options.progress && is_progress_line(line)) options.progress(line);
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

const std::vector<std::string> &index_variables() {
    static const std::vector<std::string> names = {"PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL",
                                                   "UV_FIND_LINKS",  "UV_INDEX_URL",  "UV_EXTRA_INDEX_URL",
                                                   "UV_DEFAULT_INDEX", "UV_INDEX"};
    return names;
}

std::vector<std::string> install_arguments(const fs::path &env, const Plan &plan, const std::vector<std::string> &specs,
                                           bool reinstall, const InstallOptions &options, IndexChoice index,
                                           bool no_deps) {
    std::vector<std::string> args;
    std::string python = (env / "bin" / "python").string();
    if (options.tool == "uv") args = {"pip", "install", "--python", python};
    else
        args = {"-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar",
                options.terminal ? "on" : "off"};
    if (!options.wheelhouse.empty()) {
        args.insert(args.end(), {"--no-index", "--find-links", options.wheelhouse});
    } else if (index == IndexChoice::accelerator_index || (!routes_by_index(plan) && !plan.index_url.empty())) {
        // The accelerator index alone; or a plan written before routing, which sent everything there.
        args.insert(args.end(), {"--index-url", plan.index_url});
        for (const auto &u : plan.extra_index_urls) args.insert(args.end(), {"--extra-index-url", u});
    } else if (!plan.default_index_url.empty()) {
        args.insert(args.end(), {"--index-url", plan.default_index_url});
    }
    if (no_deps) args.push_back("--no-deps");
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

std::vector<std::string> missing_companions(const fs::path &env, const Plan &plan, const std::vector<std::string> &asked) {
    auto dists = read_distributions(find_site_packages(env));
    std::set<std::string> installed, already;
    for (const auto &d : dists) installed.insert(d.name);
    for (const auto &a : asked) {
        try {
            already.insert(parse_requirement(a).name);
        } catch (const std::exception &) {
        }
    }
    std::vector<std::string> out;
    for (const auto &d : dists) {
        if (!served_by_index(plan, d.name)) continue;
        for (const auto &req : d.requires_dist) {
            if (needs_extra(req) || requirement_problem(req)) continue;  // data from a wheel: only plain requirements
            std::string name;
            try {
                name = parse_requirement(req).name;
            } catch (const std::exception &) {
                continue;
            }
            if (!served_by_index(plan, name) || installed.count(name) || already.count(name)) continue;
            already.insert(name);
            out.push_back(req);
        }
    }
    return out;
}

std::vector<std::string> exact_index_pins(const fs::path &env, const Plan &plan) {
    std::vector<std::string> pins;
    for (const auto &d : read_distributions(find_site_packages(env)))
        if (served_by_index(plan, d.name) && !requirement_problem(d.name + "==" + d.version))
            pins.push_back(d.name + "==" + d.version);
    return pins;
}

StepResult install_packages(ProcessLog &log, const fs::path &env, const Plan &plan,
                            const std::vector<std::string> &specs, const std::vector<std::string> &reinstall,
                            const InstallOptions &options) {
    std::string python = (env / "bin" / "python").string();
    const std::string &program = options.tool == "uv" ? options.uv : python;
    std::map<std::string, std::string> env_set = {{"PIP_NO_INPUT", "1"}, {"UV_PYTHON_DOWNLOADS", "never"}};
    // Offline means the wheelhouse alone, and the accelerator index means that
    // index alone: the user's own index and find-links settings would otherwise
    // add sources (pip reads PIP_*, uv reads UV_*).
    std::vector<std::string> no_sources = index_variables();
    std::vector<std::string> env_unset;
    if (!options.wheelhouse.empty()) env_unset = no_sources;

    StepResult result;
    result.ok = true;
    std::string output;
    auto step = [&](const std::string &what, const std::vector<std::string> &args, const std::vector<std::string> &unset) {
        result = run_step(log, env, what, program, args, options, env_set, unset);
        output += result.output;
        result.output = output;
        return result.ok;
    };

    if (!options.wheelhouse.empty() || !routes_by_index(plan)) {
        if (!specs.empty() && !step("install", install_arguments(env, plan, specs, false, options), env_unset))
            return result;
        if (!reinstall.empty()) step("reinstall", install_arguments(env, plan, reinstall, true, options), env_unset);
        return result;
    }

    Routed fresh = route(plan, specs), again = route(plan, reinstall);
    const auto accel = IndexChoice::accelerator_index;
    if (!fresh.from_index.empty() &&
        !step("install-accelerator", install_arguments(env, plan, fresh.from_index, false, options, accel, true), no_sources))
        return result;
    if (!again.from_index.empty() &&
        !step("reinstall-accelerator", install_arguments(env, plan, again.from_index, true, options, accel, true), no_sources))
        return result;
    // Companions come in rounds (a companion may pin another); each name is asked for once.
    std::vector<std::string> asked = fresh.from_index;
    asked.insert(asked.end(), again.from_index.begin(), again.from_index.end());
    for (int round = 0; round < 4; ++round) {
        auto wanted = missing_companions(env, plan, asked);
        if (wanted.empty()) break;
        asked.insert(asked.end(), wanted.begin(), wanted.end());
        if (!step("install-companions", install_arguments(env, plan, wanted, false, options, accel, true), no_sources))
            return result;
    }
    // The rest, and the accelerator builds' own dependencies, from the default index;
    // the exact pins hold what steps 1-2 installed (a local label such as +cu126 exists nowhere else).
    std::vector<std::string> rest = fresh.from_default;
    bool accelerator_step = !fresh.from_index.empty() || !again.from_index.empty();
    if (accelerator_step)
        for (const auto &pin : exact_index_pins(env, plan)) rest.push_back(pin);
    if (!rest.empty() && !step("install", install_arguments(env, plan, rest, false, options), {})) return result;
    if (!again.from_default.empty())
        step("reinstall", install_arguments(env, plan, again.from_default, true, options), {});
    return result;
}

}  // namespace gpuhost::env
