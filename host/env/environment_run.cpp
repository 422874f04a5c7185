#include "environment_run.hpp"

#include "activation.hpp"

#include "../plan/plan_checks.hpp"

#include "../cli/cli_support.hpp"
#include "../core/files.hpp"
#include "../core/paths.hpp"
#include "env_lock.hpp"
#include "interrupt.hpp"
#include "python_finder.hpp"
#include "previous_env.hpp"
#include "index_routing.hpp"
#include "resolve.hpp"
#include "verify.hpp"
#include "version.hpp"

#include <iostream>
#include <set>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::env {

json::object RunReport::to_json() const {
    return {{"exit_code", exit_code}, {"outcome", outcome},     {"decision", decision.to_json()},
            {"stages", stages},       {"state", state},         {"diagnosis", diagnosis},
            {"processes", processes}, {"resolution", resolution}};
}

fs::path resolve_env_path(const std::string &flag, const Plan &plan, const std::string &envs_dir) {
    std::string name = plan.profile.empty() ? "default" : plan.profile;
    fs::path p;
    if (!flag.empty()) p = flag;
    else if (!envs_dir.empty()) p = fs::path(envs_dir) / name;  // the user's setting beats the plan's default
    else if (!plan.env_path.empty()) p = plan.env_path;
    else p = paths::data_dir() / "envs" / name;
    return fs::absolute(p).lexically_normal();
}

namespace {

// Written into every environment folder gpuhost creates, before anything else:
// gpuhost empties or rebuilds a folder only when this (or the state file) is there.
constexpr const char *kEnvMarkerName = ".gpuhost-env";

// "torch==2.8.0 numpy" for a line that says exactly what goes in.
std::string join_specs(const std::vector<std::string> &specs) {
    std::string s;
    for (const auto &spec : specs) s += (s.empty() ? "" : " ") + spec;
    return s;
}

using cli::kBadInput;
using cli::kFailed;
using cli::kInterrupted;
using cli::kNoDevice;
using cli::kOk;
// Internal results of a stage besides the exit codes: go on, or try once more after a fix.
constexpr int kContinue = -1;
constexpr int kRetry = -2;

class Runner {
public:
    Runner(const Plan &plan, const RunOptions &o) : plan_(plan), o_(o), env_(o.env) { report_.plan = plan; }
    RunReport run();

private:
    Plan plan_;  // a copy: an applied fix may revise it for the retry
    const RunOptions &o_;
    fs::path env_;
    RunReport report_;
    ProcessLog log_;
    EnvState state_;
    InstallOptions install_;
    bool installed_ = false;
    std::optional<Interpreter> base_python_;  // found once, for resolving and creating
    bool looked_for_python_ = false;
    std::vector<Interpreter> interpreters_;
    bool previous_aside_ = false;  // this run set the old environment aside to recreate it
    EnvLock lock_;

    void say(const std::string &line) {
        if (o_.say) o_.say(line);
    }
    void stage(const std::string &name, const std::string &status, const std::string &detail) {
        report_.stages.push_back(json::object{{"stage", name}, {"status", status}, {"detail", detail}});
        say(name + ": " + status + (detail.empty() ? "" : " - " + detail));
    }
    int finish(int code, const std::string &outcome) {
        report_.exit_code = code;
        report_.outcome = outcome;
        report_.plan = plan_;
        report_.processes = log_.to_json();
        return code;
    }
    void save() {
        state_.updated_at = utc_now();
        save_state(env_, state_);
        report_.state = state_.to_json();
    }
    void mark(const std::string &status) {
        state_.last_run_status = status;
        state_.last_run_at = utc_now();
        save();
    }
    int interrupted_exit(const std::string &where) {
        stage(where, "interrupted", std::string("signal ") + std::to_string(interrupt_signal()) +
                                        (state_.python_executable.empty() && where == "resolve"
                                             ? "; nothing was made or changed"
                                             : "; the next run repairs this environment"));
        state_.last_failure = json::object{{"stage", where}, {"message", "interrupted"}, {"at", utc_now()}};
        if (!state_.python_executable.empty()) mark("interrupted");
        return finish(kInterrupted, "interrupted");
    }
    int failed(const std::string &where, const std::string &message, const std::string &text,
               const std::string &log_file, int code = kFailed);
    void fill_plan_fields();
    RunReport run_stages();
    int create(bool recreate);
    const std::optional<Interpreter> &base_python(std::string &found_words);
    int resolve_first(const Decision &guess);
    void settle_previous();
    void finish_swap();
    int accept_existing();
    int prepare_installer();
    int acquire(EnvLock &lock);
    int install_and_verify(Decision &d, bool last_attempt);
    bool retry_after_fix(bool last_attempt);
    bool reinstall_after_failed_verify(Decision &d, bool last_attempt, const std::string &status);
};

void Runner::fill_plan_fields() {
    state_.profile = plan_.profile;
    state_.profile_env_version = plan_.profile_env_version;
    state_.tables_version = plan_.tables_version;
    state_.gpuhost_version = kVersion;
    state_.backend = plan_.backend;
    state_.accelerator = plan_.accelerator;
    state_.device_id = plan_.device_id;
    state_.device_name = plan_.device_name;
    state_.installer = install_.tool;
    state_.requested = plan_.packages;
    state_.last_run_decision = to_string(report_.decision.action);
}

int Runner::failed(const std::string &where, const std::string &message, const std::string &text,
                   const std::string &log_file, int code) {
    stage(where, "failed", message);
    FailureContext ctx{where, text, &plan_, o_.auto_fix};
    Diagnosis d = o_.diagnose ? o_.diagnose(ctx) : no_diagnosis()(ctx);
    report_.diagnosis = d.to_json();
    say("diagnosis: " + (d.matched ? "[" + d.rule + "] " : std::string()) + d.summary);
    for (const auto &s : d.steps) say("try: " + s);  // not indented: indented lines are the installer's
    if (!d.fix_note.empty()) say("fix: " + d.fix_note);
    if (d.fix_applied && d.revised_plan) {
        // Variables a fix sets stay for later runs of the same build.
        if (d.revised_plan->accelerator == plan_.accelerator)
            for (const auto &[k, v] : d.revised_plan->env)
                if (auto it = plan_.env.find(k); it == plan_.env.end() || it->second != v) state_.fix_env[k] = v;
        bool rebuild = d.reinstall || d.revised_plan->accelerator != plan_.accelerator ||
                       d.revised_plan->packages != plan_.packages || d.revised_plan->index_url != plan_.index_url;
        plan_ = *d.revised_plan;
        fill_plan_fields();
        if (rebuild) {
            // Another build, or the fix asks for it: install every package again from the revised plan's index.
            installed_ = false;
            report_.decision.to_install.clear();
            report_.decision.to_reinstall = plan_.packages;
        }
    }
    if (!log_file.empty()) say("full log: " + log_file);
    state_.last_failure = json::object{{"stage", where}, {"message", message}, {"diagnosis", d.to_json()},
                                       {"log", log_file}, {"at", utc_now()}};
    if (!state_.python_executable.empty()) mark("failed");
    return finish(code, "failed");
}

// What stays in the folder through a recreate: the lock (held), the logs, the marker.
static const std::set<std::string> &kept_in_place() {
    static const std::set<std::string> names = {kLockFileName, "gpuhost-logs", kEnvMarkerName};
    return names;
}

// A file in `env` that says it is some other folder, not a virtual
// environment gpuhost made or may make ("" when there is none).
static std::string foreign_file(const fs::path &env) {
    std::error_code ec;
    if (fs::exists(env / "pyvenv.cfg", ec) || fs::exists(env / kEnvMarkerName, ec) || !fs::is_directory(env, ec))
        return {};
    // gpuhost's own files, and the temporary names write_file_atomic gives them
    // while another run (holding the lock) writes them right now.
    auto ours = [](const std::string &name) {
        std::set<std::string> own = kept_in_place();
        own.insert(kStateFileName);
        for (const auto &o : own)
            if (name == o || name.rfind("." + o + ".tmp-", 0) == 0) return true;
        return is_swap_entry(name);
    };
    std::string foreign;
    for (const auto &entry : fs::directory_iterator(env, ec)) {
        auto name = entry.path().filename().string();
        if (!ours(name)) foreign = name;
    }
    return foreign;
}

int Runner::create(bool recreate) {
    // Only a folder gpuhost made is ever emptied: it carries gpuhost's marker (or,
    // from before the marker, gpuhost's state file). Anything else with files in
    // it (a mistyped --env, a user's own venv) is left alone.
    std::error_code ec;
    bool ours = fs::exists(env_ / kEnvMarkerName, ec) || fs::exists(env_ / kStateFileName, ec);
    std::vector<fs::path> leftovers;
    for (const auto &entry : fs::directory_iterator(env_, ec)) {
        auto name = entry.path().filename().string();
        if (!kept_in_place().count(name) && !is_swap_entry(name)) leftovers.push_back(entry.path());
    }
    bool venv = fs::exists(env_ / "pyvenv.cfg", ec);
    if (!leftovers.empty() && !ours && (!venv || recreate)) {
        stage("create", "failed",
              env_.string() + " holds files gpuhost did not make (" + leftovers.front().filename().string() + ")" +
                  (venv ? " and must be rebuilt; gpuhost empties only folders it made. Delete it yourself, or "
                          "give another --env."
                        : " and is no virtual environment; gpuhost will not delete or fill it. Give another --env, "
                          "or empty the folder."));
        return finish(kBadInput, "failed");
    }
    if (ours && venv && recreate && !leftovers.empty()) {
        // A recreate: the old environment is set aside until the new one has passed
        // (previous_env.hpp), so a failure or an interruption never leaves neither.
        try {
            set_aside(env_, kept_in_place());
            previous_aside_ = true;
            say("the current environment is kept aside until the new one passes");
        } catch (const fs::filesystem_error &e) {
            return failed("create", std::string("cannot set the old environment aside: ") + e.what(), "", "");
        }
    } else if (ours) {
        // What an interrupted create left (bin/ without pyvenv.cfg).
        // The lock (held now) and the logs (history worth keeping) stay.
        for (const auto &path : leftovers) {
            fs::remove_all(path, ec);
            if (ec) return failed("create", "cannot clear " + path.string() + ": " + ec.message(), "", "");
        }
    }
    if (ours || leftovers.empty()) {
        // Written before the venv, so an interruption at any later moment leaves a folder we may clear.
        try {
            write_file_atomic(env_ / kEnvMarkerName,
                              "A Python environment made by gpuhost; gpuhost may empty and rebuild this folder.\n");
        } catch (const WriteError &e) {
            return failed("create", e.what(), "", "");
        }
    }
    std::string have;
    const auto &py = base_python(have);
    if (!py) {
        stage("python", "failed",
              "no interpreter in " + plan_.python_min + ".." + plan_.python_max + "; found: " +
                  (have.empty() ? "none" : have) + ". Install one of Python " + plan_.python_min + " to " +
                  plan_.python_max + " (e.g. pyenv install " + (plan_.python_max.empty() ? "3.12" : plan_.python_max) + ")");
        return finish(kFailed, "failed");  // a missing tool, not a broken file
    }
    stage("python", "ok", py->version + " " + py->executable + " (newest in " + plan_.python_min + ".." + plan_.python_max + ")");
    if (interrupted()) return interrupted_exit("create");
    StepResult made = create_venv(log_, env_, py->executable, install_);
    if (made.cancelled || interrupted()) return interrupted_exit("create");
    if (!made.ok) return failed("create", made.command + ": " + made.describe, made.output, made.log_file);
    state_ = EnvState{};
    fill_plan_fields();
    state_.created_at = utc_now();
    state_.python_version = py->version;
    state_.python_base = py->executable;
    state_.python_executable = (env_ / "bin" / "python").string();
    state_.verification = json::object{{"status", "never"}};
    state_.last_failure = nullptr;
    stage("create", "ok", std::string(install_.tool == "uv" ? "uv venv" : "python -m venv") + " at " + env_.string());
    mark("in-progress");
    return kContinue;
}

const std::optional<Interpreter> &Runner::base_python(std::string &found_words) {
    if (!looked_for_python_) {
        interpreters_ = query_interpreters(candidate_interpreters());
        base_python_ = pick_interpreter(interpreters_, plan_.python_min, plan_.python_max);
        looked_for_python_ = true;
    }
    for (const auto &f : interpreters_) found_words += (found_words.empty() ? "" : ", ") + f.version + " (" + f.executable + ")";
    return base_python_;
}

// Every package against its index, before the folder is made or changed: a pin
// or build that does not exist fails here, named with the index that was asked.
int Runner::resolve_first(const Decision &guess) {
    std::string have;
    const auto &py = base_python(have);
    if (!py) return kContinue;  // create() says which Python is missing
    // What this run would install: everything for a new environment, else what the repair needs.
    Plan wanted = plan_;
    if (guess.action == Action::repair) {
        wanted.packages = guess.to_install;
        wanted.packages.insert(wanted.packages.end(), guess.to_reinstall.begin(), guess.to_reinstall.end());
        if (wanted.packages.empty()) return kContinue;
    }
    say("resolving " + std::to_string(wanted.packages.size()) + " package(s) with " + install_.tool + "'s resolver" +
        (routes_by_index(plan_) ? ": accelerator builds on " + plan_.index_url + ", the rest on " + default_index_words(plan_)
                                : ""));
    Resolution r = resolve_plan(log_, wanted, py->executable, install_);
    report_.resolution = r.to_json();
    if (interrupted()) return interrupted_exit("resolve");
    if (r.status == Resolution::Status::skipped) {
        stage("resolve", "skipped", r.message);
        return kContinue;
    }
    if (r.status == Resolution::Status::failed)
        return failed("resolve", r.message + " (nothing was created or changed)", r.output, "", kBadInput);
    std::string pinned;
    for (const auto &p : r.packages)
        if (served_by_index(plan_, p.name)) pinned += (pinned.empty() ? "" : ", ") + p.name + " " + p.version;
    stage("resolve", "ok", std::to_string(r.packages.size()) + " package(s)" +
                               (pinned.empty() ? std::string() : "; from " + plan_.index_url + ": " + pinned));
    return kContinue;
}

// A recreate that a killed run left half done: keep the new environment if it
// passed, else put the old one back, before anything is decided.
void Runner::settle_previous() {
    try {
        if (!has_previous(env_)) {
            drop_previous(env_);  // only removes what an earlier drop left
            return;
        }
        LoadedState now = load_state(env_);
        if (previous_complete(env_) && now.kind == LoadedState::Kind::ok && now.state.last_run_status == "ok") {
            drop_previous(env_);
            say("a recreate had finished: the environment it replaced is now deleted");
        } else {
            restore_previous(env_, kept_in_place());
            say("a recreate did not finish: the environment it was replacing is back in place");
        }
    } catch (const fs::filesystem_error &e) {
        say(std::string("cannot settle the environment an earlier recreate set aside: ") + e.what());
    }
}

// The end of a run that set the old environment aside: drop it when the new one
// passed, else put it back (the new one's failure stays in this run's report).
void Runner::finish_swap() {
    if (!previous_aside_) return;
    previous_aside_ = false;
    try {
        if (report_.exit_code == kOk) {
            drop_previous(env_);
            return;
        }
        restore_previous(env_, kept_in_place());
        stage("restore", "ok", "the recreate did not finish: the previous environment is back in " + env_.string());
        LoadedState back = load_state(env_);
        report_.state = back.kind == LoadedState::Kind::ok ? json::value(back.state.to_json()) : json::value(nullptr);
    } catch (const fs::filesystem_error &e) {
        stage("restore", "failed", std::string("cannot put the previous environment back: ") + e.what() +
                                       " (it is in " + (env_ / kPreviousName).string() + ")");
    }
}

int Runner::accept_existing() {
    LoadedState loaded = load_state(env_);
    std::error_code ec;
    bool python = fs::exists(env_ / "bin" / "python", ec);
    if (!python) {
        stage("accept-existing", "failed", "there is no environment at " + env_.string() + " to accept");
        return finish(kBadInput, "failed");
    }
    std::cerr << "gpuhost: WARNING: --accept-existing: using " << env_.string()
              << " AS IT IS. Nothing was checked, installed or verified.\n";
    report_.decision.action = Action::reuse;
    report_.decision.reasons.push_back("--accept-existing: no checks, no fixes");
    if (loaded.kind == LoadedState::Kind::ok) report_.state = loaded.state.to_json();
    stage("environment", "accepted", "unchecked");
    return finish(kOk, "accepted");
}

bool Runner::retry_after_fix(bool last_attempt) {
    auto fixed = report_.diagnosis.is_object() ? report_.diagnosis.as_object().if_contains("fix_applied") : nullptr;
    if (last_attempt || !fixed || !fixed->as_bool()) return false;
    say("retrying once after the fix");
    return true;
}

// Packages that look complete (their metadata is there) can still be damaged
// inside. When verification fails and this run installed nothing, --auto-fix
// reinstalls every package of the plan and verifies once more; without it the
// user is told how.
bool Runner::reinstall_after_failed_verify(Decision &d, bool last_attempt, const std::string &status) {
    if (installed_ || status == "no-device" || plan_.packages.empty()) return false;
    if (!o_.auto_fix) {
        say("the packages looked complete yet verification failed: `gpuhost run --auto-fix` reinstalls them");
        return false;
    }
    if (last_attempt) return false;
    say("the packages looked complete yet verification failed: reinstalling all " +
        std::to_string(plan_.packages.size()) + " (--auto-fix), then verifying again");
    d.action = Action::repair;
    d.to_install.clear();
    d.to_reinstall = plan_.packages;
    return true;
}

int Runner::prepare_installer() {
    try {
        install_.tool = choose_installer(o_.installer, install_.uv);
    } catch (const MissingTool &e) {
        stage("installer", "failed", e.what());
        return finish(kFailed, "failed");
    } catch (const std::exception &e) {
        stage("installer", "failed", e.what());
        return finish(kBadInput, "failed");
    }
    install_.wheelhouse = o_.wheelhouse;
    install_.timeout = o_.install_timeout;
    install_.cancelled = [] { return interrupted(); };
    install_.progress = [this](const std::string &line) { say("  " + line); };
    install_.terminal = o_.installer_terminal;
    if (!o_.wheelhouse.empty() && !fs::is_directory(o_.wheelhouse)) {
        stage("wheelhouse", "failed", o_.wheelhouse + " is not a folder");
        return finish(kBadInput, "failed");
    }
    return kContinue;
}

int Runner::acquire(EnvLock &lock) {
    try {
        lock = lock_environment(env_, o_.lock_timeout,
                                [this](const std::string &holder) {
                                    say("waiting for the lock on " + env_.string() + " (held by " + holder + ")");
                                },
                                [] { return interrupted(); });
    } catch (const LockTimeout &e) {
        if (interrupted()) return finish(kInterrupted, "interrupted");
        stage("lock", "failed", e.what());
        return finish(kFailed, "failed");
    } catch (const std::exception &e) {
        stage("lock", "failed", e.what());
        return finish(kBadInput, "failed");
    }
    return kContinue;
}

int Runner::install_and_verify(Decision &d, bool last_attempt) {
    if (installed_) {
        // A retry after a verification fix: the packages are in already.
    } else if (!d.to_install.empty() || !d.to_reinstall.empty()) {
        // Before anything runs, say exactly what will: packages, sources, variables, the smoke test.
        std::vector<std::string> all = d.to_install;
        all.insert(all.end(), d.to_reinstall.begin(), d.to_reinstall.end());
        if (!o_.wheelhouse.empty()) {
            say("install with " + install_.tool + " from the wheelhouse " + o_.wheelhouse + " only: " + join_specs(all));
        } else if (routes_by_index(plan_)) {
            Routed routed = route(plan_, all);
            if (!routed.from_index.empty())
                say("install with " + install_.tool + " from " + plan_.index_url + " only: " + join_specs(routed.from_index));
            say("install with " + install_.tool + " from " + default_index_words(plan_) + ": " +
                (routed.from_default.empty() ? std::string("the dependencies") : join_specs(routed.from_default)) +
                (routed.from_index.empty() ? "" : ", holding the builds above"));
        } else {
            say("install with " + install_.tool + " from " +
                (plan_.index_url.empty() ? default_index_words(plan_) : plan_.index_url) + ": " + join_specs(all));
        }
        for (const auto &spec : all)
            if (auto url = direct_reference_url(spec); !url.empty())
                say("  direct reference (allowed by --allow-direct-references): " + spec);
        for (const auto &[k, v] : plan_.env) say("  sets " + k + "=" + v);
        if (!plan_.smoke_test.empty()) say("  smoke test: gpuhost plan " + plan_.profile + " --show-smoke");
        StepResult r = install_packages(log_, env_, plan_, d.to_install, d.to_reinstall, install_);
        if (r.cancelled || interrupted()) return interrupted_exit("install");
        if (!r.ok) {
            int code = failed("install", r.command + ": " + r.describe, r.output, r.log_file);
            return retry_after_fix(last_attempt) ? kRetry : code;
        }
        stage("install", "ok", r.log_file);
        installed_ = true;
    } else {
        stage("install", "skipped", "nothing missing");
    }
    if (o_.profile_flow) {
        // The profile's own flow: more installs through the same installer, logged.
        ProfileFlowActions actions;
        actions.install = [this](const std::vector<std::string> &specs, std::string &output) {
            for (const auto &spec : specs)
                if (auto why = requirement_problem(spec))
                    throw std::runtime_error("the profile's run() asked to install \"" + spec + "\", which " + *why);
            say("profile flow: install " + join_specs(specs));
            StepResult r = install_packages(log_, env_, plan_, specs, {}, install_);
            output = r.output;
            return r.ok;
        };
        try {
            if (o_.profile_flow(plan_, actions)) stage("profile-flow", "ok", "the profile's run() finished");
        } catch (const std::exception &e) {
            if (interrupted()) return interrupted_exit("profile-flow");
            return failed("profile-flow", e.what(), e.what(), "");
        }
    }
    // What is there now, from site-packages itself.
    auto installed = scan_installed(site_packages(env_, state_.python_version));
    state_.packages = installed;  // every distribution in the environment, not only the requested
    state_.requested = plan_.packages;
    std::string missing;
    for (const auto &c : check_packages(plan_.packages, installed))
        if (c.status == Satisfied::no) missing += (missing.empty() ? "" : ", ") + c.name + " (" + c.why + ")";
    if (!missing.empty()) return failed("install", "the installer succeeded but these are not satisfied: " + missing, missing, "");

    try {
        bool activate = write_activation_env(env_, plan_.env);
        write_python_env(site_packages(env_, state_.python_version), plan_.env);
        if (!plan_.env.empty())
            stage("activation", "ok", std::to_string(plan_.env.size()) + " variable(s) in " +
                                          (activate ? "bin/activate and " : "") + "gpuhost_env.pth (for bin/python)");
    } catch (const std::exception &e) {
        return failed("activation", e.what(), e.what(), "");
    }
    static const char *done[] = {"created", "reused", "repaired", "recreated"};
    if (!o_.verify) {
        stage("verify", "skipped", "--no-verify");
        state_.verification = json::object{{"status", "skipped"}, {"at", utc_now()}};
        state_.last_failure = nullptr;
        mark("ok");
        return finish(kOk, done[int(d.action)]);
    }
    Verification v = verify_environment(log_, env_, plan_, o_.kernel_check, [] { return interrupted(); });
    state_.verification = v.to_json(utc_now());
    if (v.cancelled || interrupted()) return interrupted_exit("verify");
    stage("kernel", to_string(v.kernel.status), v.kernel.summary);
    stage("smoke-test", v.smoke_status, v.smoke_status == "passed" ? "" : v.smoke_output.substr(0, 400));
    if (!v.torch_problem.empty()) stage("torch-build", "failed", v.torch_problem);
    if (v.status == "failed" || v.status == "no-device") {
        int code = failed("verify", "verification " + v.status, v.failure_text(), "",
                          v.status == "no-device" ? kNoDevice : kFailed);
        if (retry_after_fix(last_attempt)) return kRetry;
        if (reinstall_after_failed_verify(d, last_attempt, v.status)) return kRetry;
        return code;
    }
    if (v.status == "smoke-test-only")
        say("verify: smoke test passed; the kernel check did not run (" + v.kernel.summary + ")");
    if (v.status == "unverified")
        say("verify: WARNING: nothing proved this environment computes (no kernel check, no smoke test)");
    state_.last_failure = nullptr;
    mark("ok");
    return finish(kOk, done[int(d.action)]);
}

RunReport Runner::run() {
    try {
        run_stages();
    } catch (const WriteError &e) {
        // A full disk or a read-only folder while saving state: a failed run, said plainly.
        stage("save-state", "failed", std::string("cannot save the environment state: ") + e.what());
        finish(kFailed, "failed");
    }
    finish_swap();
    return report_;
}

RunReport Runner::run_stages() {
    report_.state = nullptr;
    report_.diagnosis = nullptr;
    if (o_.accept_existing) {
        accept_existing();
        return report_;
    }
    if (prepare_installer() != kContinue) return report_;
    // Refused before the lock, so no .gpuhost.lock is left in someone's folder.
    if (std::string foreign = foreign_file(env_); !foreign.empty()) {
        stage("create", "failed", env_.string() + " holds files gpuhost did not make (" + foreign +
                                      ") and is no virtual environment; gpuhost will not delete or fill it. "
                                      "Give another --env, or empty the folder.");
        finish(kBadInput, "failed");
        return report_;
    }
    if (o_.resolve) {
        // A first look at the decision without the lock (taking it makes the folder):
        // anything but a reuse resolves first, so a plan that cannot install changes nothing.
        Decision guess = decide({plan_, env_, load_state(env_), install_.tool});
        report_.decision = guess;  // what would have been done, should resolving stop the run
        if (guess.action != Action::reuse && resolve_first(guess) != kContinue) return report_;
    }
    if (acquire(lock_) != kContinue) return report_;  // held until the Runner goes, after finish_swap()
    settle_previous();

    LoadedState loaded = load_state(env_);
    // Variables earlier fixes set, for the same build: the plan keeps them.
    std::map<std::string, std::string> carried;
    if (loaded.kind == LoadedState::Kind::ok && loaded.state.accelerator == plan_.accelerator)
        for (const auto &[k, v] : loaded.state.fix_env)
            if (plan_.env.emplace(k, v).second) {
                carried[k] = v;
                say("keeping " + k + "=" + v + " (set by an earlier fix)");
            }
    report_.decision = decide({plan_, env_, loaded, install_.tool});
    Decision &d = report_.decision;
    std::string reasons;
    for (const auto &r : d.reasons) reasons += (reasons.empty() ? "" : "; ") + r;
    stage("decide", to_string(d.action), reasons);

    if (d.action == Action::reuse && (!d.needs_verify || !o_.verify) && !o_.reverify) {
        report_.state = loaded.state.to_json();
        finish(kOk, "reused");
        return report_;
    }
    if (d.action == Action::create || d.action == Action::recreate) {
        if (create(d.action == Action::recreate) != kContinue) return report_;
        state_.fix_env = carried;
        d.to_install = plan_.packages;
    } else {
        state_ = loaded.state;
        fill_plan_fields();
        mark("in-progress");
    }
    if (interrupted()) {
        interrupted_exit("install");
        return report_;
    }
    for (int attempt = 0; attempt < 2; ++attempt)
        if (install_and_verify(d, attempt == 1) != kRetry) break;
    return report_;
}

}  // namespace

RunReport run_environment(const Plan &plan, const RunOptions &options) {
    InterruptGuard guard;
    Runner runner(plan, options);
    return runner.run();
}

}  // namespace gpuhost::env
