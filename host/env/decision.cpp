#include "decision.hpp"

#include "../core/subprocess.hpp"
#include "../plan/plan_checks.hpp"
#include "installed_files.hpp"

#include <algorithm>

#include <cstdio>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::env {

const char *to_string(Action a) {
    switch (a) {
    case Action::create: return "create";
    case Action::reuse: return "reuse";
    case Action::repair: return "repair";
    case Action::recreate: return "recreate";
    }
    return "?";
}

json::object Decision::to_json() const {
    json::array r, ins, re, ch;
    for (const auto &x : reasons) r.emplace_back(x);
    for (const auto &x : to_install) ins.emplace_back(x);
    for (const auto &x : to_reinstall) re.emplace_back(x);
    for (const auto &c : checks)
        ch.push_back(json::object{{"spec", c.spec},
                                  {"installed", c.installed},
                                  {"ok", c.status == Satisfied::yes},
                                  {"why", c.why}});
    return {{"action", to_string(action)}, {"reasons", std::move(r)}, {"install", std::move(ins)},
            {"reinstall", std::move(re)},  {"packages", std::move(ch)}, {"verify", needs_verify}};
}

fs::path site_packages(const fs::path &env, const std::string &python_version) {
    int major = 0, minor = 0;
    std::sscanf(python_version.c_str(), "%d.%d", &major, &minor);
    return env / "lib" / ("python" + std::to_string(major) + "." + std::to_string(minor)) / "site-packages";
}

std::string torch_build_problem(const Plan &plan, const std::string &installed) {
    std::string label = local_label(installed);
    const std::string &want = plan.torch_build.empty() ? plan.accelerator : plan.torch_build;
    if (want.empty() || label == want) return {};
    bool gpu_plan = want != "cpu";
    if (!gpu_plan) return label.empty() ? std::string() : "torch " + installed + " is a " + label + " build on a cpu plan";
    if (label == "cpu") return "torch " + installed + " is the CPU build on a " + want + " plan";
    if (label.empty()) {
        // PyPI's own Linux torch wheels carry no label and bundle CUDA; only the smoke test can tell.
        if (want.rfind("cu", 0) == 0) return {};
        return "torch " + installed + " has no build label; a " + want + " plan needs +" + want;
    }
    return "torch " + installed + " is a " + label + " build, the plan needs " + want;
}

// Why this run uses pip, as choose_installer (installer.cpp) decides it: asked
// for, or the automatic choice because uv is not on PATH.
static std::string pip_because() {
    if (find_on_path("uv").empty()) return "uv is not on PATH";
    return "asked for with --installer pip, the installer setting or GPUHOST_INSTALLER";
}

Decision decide(const DecideInput &in) {
    Decision d;
    const Plan &plan = in.plan;
    auto recreate = [&](std::string why) {
        d.action = Action::recreate;
        d.reasons.push_back(std::move(why));
        return d;
    };
    std::error_code ec;
    bool env_exists = fs::exists(in.env / "bin", ec) || fs::exists(in.env / "pyvenv.cfg", ec);
    if (in.loaded.kind == LoadedState::Kind::missing) {
        if (!env_exists) {
            d.action = Action::create;
            d.reasons.push_back("no environment at " + in.env.string());
            return d;
        }
        return recreate("state file " + state_path(in.env).string() + " is missing");
    }
    if (in.loaded.kind == LoadedState::Kind::corrupt) return recreate("state file is corrupt: " + in.loaded.error);
    const EnvState &s = in.loaded.state;
    if (!fs::exists(s.python_executable, ec))  // follows the venv's link to its base interpreter
        return recreate("the environment's python " + s.python_executable + " is missing");
    if (s.backend != plan.backend) return recreate("backend changed: " + s.backend + " -> " + plan.backend);
    if (s.accelerator != plan.accelerator)
        return recreate("accelerator changed: " + s.accelerator + " -> " + plan.accelerator);
    if (s.profile_env_version < plan.profile_env_version)
        return recreate("profile env version went up: " + std::to_string(s.profile_env_version) + " -> " +
                        std::to_string(plan.profile_env_version));
    {
        int major = 0, minor = 0;
        std::sscanf(s.python_version.c_str(), "%d.%d", &major, &minor);
        auto mm = [](const std::string &v) {
            int a = 0, b = 0;
            std::sscanf(v.c_str(), "%d.%d", &a, &b);
            return std::pair(a, b);
        };
        if ((!plan.python_min.empty() && std::pair(major, minor) < mm(plan.python_min)) ||
            (!plan.python_max.empty() && std::pair(major, minor) > mm(plan.python_max)))
            return recreate("python " + s.python_version + " is outside the plan's range " + plan.python_min + ".." +
                            plan.python_max);
    }
    fs::path sp = site_packages(in.env, s.python_version);
    if (!fs::is_directory(sp, ec)) return recreate("site-packages " + sp.string() + " is missing");
    auto dists = scan_installed_dists(sp);
    auto installed = versions_of(dists);

    d.checks = check_packages(plan.packages, installed);
    // A direct reference is judged by where the installed copy came from: the
    // installer's dist-info/direct_url.json (PEP 610) must name the same URL.
    for (auto &c : d.checks) {
        std::string url = direct_reference_url(c.spec);
        if (url.empty() || c.installed.empty()) continue;
        auto dist = dists.find(c.name);
        std::string from = dist == dists.end() ? std::string() : installed_from_url(dist->second.folder);
        c.status = from == url ? Satisfied::yes : Satisfied::no;
        c.why = from == url ? std::string() : from.empty() ? c.installed + " was not installed from " + url
                                                           : c.installed + " was installed from " + from;
    }
    for (const auto &c : d.checks) {
        if (c.status != Satisfied::yes) {
            d.to_install.push_back(c.spec);
            d.reasons.push_back(c.name + ": " + c.why);
        } else if (c.name == "torch") {
            if (auto problem = torch_build_problem(plan, c.installed); !problem.empty()) {
                d.to_reinstall.push_back(c.spec);
                d.reasons.push_back(problem);
            }
        }
    }
    // A package whose files were deleted or changed in place still has its
    // dist-info: RECORD's sizes tell (stat only), and it is installed again.
    for (const auto &c : d.checks) {
        if (c.status != Satisfied::yes) continue;
        if (std::find(d.to_reinstall.begin(), d.to_reinstall.end(), c.spec) != d.to_reinstall.end()) continue;
        auto dist = dists.find(c.name);
        if (dist == dists.end()) continue;
        RecordCheck files = check_record(dist->second.folder, sp, in.env);
        if (files.damaged.empty()) continue;
        std::string list;
        for (const auto &f : files.damaged) list += (list.empty() ? "" : "; ") + f;
        d.to_reinstall.push_back(c.spec);
        d.reasons.push_back(c.name + " " + c.installed + " is damaged (" + list + ")");
    }
    // The state file says what the last run left; a run that did not finish is repaired.
    if (s.last_run_status == "in-progress")
        d.reasons.push_back("the last run did not finish: still marked in-progress since " + s.last_run_at +
                            " (it was killed)");
    else if (s.last_run_status != "ok")
        d.reasons.push_back("the last run ended " + s.last_run_status + " (" + s.last_run_at + ")");
    auto vstatus = s.verification.if_contains("status");
    std::string verified = vstatus && vstatus->is_string() ? std::string(vstatus->as_string()) : "never";
    bool verify_ok = verified == "passed" || verified == "smoke-test-only" || verified == "kernel-only";
    bool must_install = !d.to_install.empty() || !d.to_reinstall.empty() || s.last_run_status != "ok";
    // pip installs with the environment's own pip; an environment made by uv has
    // none. Only a repair needs it: an up-to-date environment is reused whatever
    // the installer, so switching installers does not rebuild it.
    if (must_install && in.installer == "pip" && !installed.count("pip"))
        return recreate("this run installs with pip (" + pip_because() + ") and the environment" +
                        (s.installer.empty() ? std::string() : ", made with " + s.installer + ",") +
                        " has no pip to repair it with");
    if (must_install) {
        d.action = Action::repair;
        d.needs_verify = true;
        return d;
    }
    d.action = Action::reuse;
    auto smoke = s.verification.if_contains("smoke_test");
    auto code = smoke && smoke->is_object() ? smoke->as_object().if_contains("code") : nullptr;
    auto device = s.verification.if_contains("device");
    if (verify_ok && code && code->is_string() && code->as_string() != plan.smoke_test) {
        d.needs_verify = true;
        d.reasons.push_back("all " + std::to_string(plan.packages.size()) +
                            " packages in place; the plan's smoke test changed since the last verification");
    } else if (verify_ok && device && device->is_string() && device->as_string() != plan.device_id) {
        d.needs_verify = true;
        d.reasons.push_back("all " + std::to_string(plan.packages.size()) + " packages in place; verified on " +
                            std::string(device->as_string()) + ", the plan is for " + plan.device_id);
    } else if (!verify_ok) {
        d.needs_verify = true;
        d.reasons.push_back("all " + std::to_string(plan.packages.size()) +
                            " packages in place, but the last verification was " + verified);
    } else {
        d.reasons.push_back("all " + std::to_string(plan.packages.size()) + " packages in place; verified " +
                            verified + " at " + [&] {
                                auto at = s.verification.if_contains("at");
                                return at && at->is_string() ? std::string(at->as_string()) : std::string("?");
                            }());
    }
    return d;
}

}  // namespace gpuhost::env
