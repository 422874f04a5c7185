// gpuhost run: plan (or read a plan), then make the environment real: create,
// repair or reuse it, install, prove the device computes, record the result.
#include "../core/files.hpp"
#include "../env/environment_run.hpp"
#include "../env/run_settings.hpp"
#include "../policy/config.hpp"
#include "../plan/plan_checks.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "../lua/planning.hpp"
#include "detect_flags.hpp"
#include "run_wiring.hpp"
#include "terminal.hpp"

#include <cstdlib>
#include <iostream>

namespace json = boost::json;
namespace fs = std::filesystem;

namespace gpuhost::cli {

int run_run(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    std::string profile, plan_file, env_flag, wheelhouse, installer, device, accelerator;
    bool accept = false, auto_fix = false, no_verify = false, reverify = false, no_kernel_check = false,
         no_resolve = false, allow_direct = false;
    int lock_timeout = 0;
    options.add_options()
        ("profile", po::value<std::string>(&profile), "the profile (name or .lua file) to plan")
        ("plan", po::value<std::string>(&plan_file), "use this plan (JSON, as `gpuhost plan --json` prints) instead of planning")
        ("device", po::value<std::string>(&device), "use this device: an index, id (cuda:1), UUID or PCI bus id, as for select")
        ("accelerator", po::value<std::string>(&accelerator), "use this build (cu118, rocm6.4, xpu, mps, cpu) instead of the best one")
        ("env", po::value<std::string>(&env_flag), "the environment's folder (default: run.envs_dir/<profile>, else the plan's env_path, else ~/.local/share/gpuhost/envs/<profile>)")
        ("wheelhouse", po::value<std::string>(&wheelhouse), "install offline, only from the wheels in this folder")
        ("installer", po::value<std::string>(&installer), "auto (uv when on PATH, else pip), uv or pip")
        ("accept-existing", po::bool_switch(&accept), "use the environment as it is: no checks, no installs, no verification")
        ("auto-fix", po::bool_switch(&auto_fix), "let a matching recovery rule apply its fix, then retry once")
        ("no-verify", po::bool_switch(&no_verify), "skip the kernel check and the smoke test")
        ("no-resolve", po::bool_switch(&no_resolve),
         "skip resolving the packages against their indexes before the environment is made or changed")
        ("no-kernel-check", po::bool_switch(&no_kernel_check),
         "run the smoke test but not the device's kernel check (a plan made for another machine)")
        ("reverify", po::bool_switch(&reverify), "verify even when the environment is up to date and was verified")
        ("allow-direct-references", po::bool_switch(&allow_direct),
         "let the plan name packages as `name @ https://...` or `name @ file:///path` (installed from there, not from "
         "an index; each is shown before installing); refused otherwise")
        ("lock-timeout", po::value<int>(&lock_timeout), "seconds to wait for another run holding the environment (default 600)");
    add_common(options, common, false);
    DetectFlags flags;
    add_detect_flags(options, flags);
    po::positional_options_description positional;
    positional.add("profile", 1);
    po::variables_map vm;
    if (!parse("run", "[PROFILE | --plan FILE] [options]",
               "Builds the profile's Python environment and proves it computes on the chosen device:\n"
               "plan, decide (reuse when up to date, with no pip or uv call; repair what is missing;\n"
               "recreate when the backend, the Python or the profile's env version changed or the\n"
               "state file is missing or corrupt), install with uv (when on PATH) or pip, verify with\n"
               "the device's kernel check and the plan's smoke test, and record everything in\n"
               "ENV/environment_state.json. Each stage is printed on stderr with its reason; installer\n"
               "logs are kept in ENV/gpuhost-logs/. A failure goes to the recovery rules for a diagnosis.\n\n"
               "settings (gpuhost config; user file, then the project's gpuhost.json in this folder or\n"
               "the nearest parent, then GPUHOST_<KEY>): envs_dir, accept_existing, auto_fix,\n"
               "installer, lock_timeout_s, install_timeout_s.\n\n"
               "exit codes: 0 verified (or reused), 1 install, verification or the lock wait failed, 3 bad profile,\n"
               "plan, state or settings, 4 no device, 130 interrupted (the next run repairs).",
               options, args, vm, &positional))
        return kOk;
    apply_verbosity(common);
    if (!profile.empty() && !plan_file.empty())
        throw UsageError("gpuhost run: give a PROFILE or --plan FILE, not both (see gpuhost run --help)");
    if (!installer.empty() && installer != "auto" && installer != "uv" && installer != "pip")
        throw UsageError("gpuhost run: --installer must be auto, uv or pip (got \"" + installer + "\")");
    if (vm.count("lock-timeout") && (lock_timeout < 1 || lock_timeout > 604800))
        throw UsageError("gpuhost run: --lock-timeout must be from 1 to 604800 seconds (got " + std::to_string(lock_timeout) + ")");
    if (profile.empty() && plan_file.empty()) profile = "vector_search";  // the default profile
    if (!plan_file.empty() && (!device.empty() || !accelerator.empty()))
        throw UsageError("gpuhost run: --device and --accelerator choose while planning; a --plan FILE is already "
                         "planned (make it with gpuhost plan --device/--accelerator --json)");

    allow_direct_references(allow_direct);
    env::RunSeams seams = run_seams({device, accelerator, flags});
    env::RunSettings settings = env::load_run_settings();
    Plan plan;
    try {
        if (!plan_file.empty()) {
            json::value v = read_json_file(plan_file);
            if (!v.is_object()) throw FileError(plan_file + ": a plan must be a JSON object");
            // `gpuhost plan --json` may wrap the plan: {"plan": {...}}.
            const json::object *o = &v.as_object();
            if (auto inner = o->if_contains("plan"); inner && inner->is_object()) o = &inner->as_object();
            try {
                plan = Plan::from_json(*o);
            } catch (const std::runtime_error &e) {
                throw FileError(plan_file + ": " + e.what());
            }
        } else {
            plan = seams.plan_profile(profile);
        }
    } catch (const FileError &) {
        throw;
    } catch (const UsageError &) {
        throw;  // a setting naming an unknown backend: exit 2, as in every command
    } catch (const lua::NoDeviceError &e) {
        std::cerr << "gpuhost run: " << e.what() << "\n";
        return kNoDevice;
    } catch (const std::exception &e) {
        std::cerr << "gpuhost run: " << e.what() << "\n";
        return kBadInput;
    }

    // force_backend is strict here too: a --plan FILE made for another backend is refused
    // before anything on disk changes (a planned profile was checked by the planner).
    if (std::string forced = load_config().text("force_backend"); !forced.empty() && plan.backend != forced) {
        std::cerr << "gpuhost run: force_backend " << forced << ": the plan is for " << plan.device_id << " ("
                  << plan.backend << ", build " << plan.accelerator << ")\n";
        return kNoDevice;
    }

    env::RunOptions ro;
    ro.env = env::resolve_env_path(env_flag, plan, settings.envs_dir);
    // The plan names the folder this run really uses (--env, envs_dir): the
    // recovery rules' steps (${venv}, ${python}) come from it.
    plan.env_path = ro.env.string();
    ro.wheelhouse = wheelhouse.empty() ? std::string() : fs::absolute(wheelhouse).string();
    ro.installer = installer.empty() ? settings.installer : installer;
    ro.accept_existing = accept || settings.accept_existing;
    ro.auto_fix = auto_fix || settings.auto_fix;
    ro.verify = !no_verify;
    ro.resolve = !no_resolve;
    ro.reverify = reverify;
    ro.lock_timeout = std::chrono::seconds(lock_timeout > 0 ? lock_timeout : settings.lock_timeout_s);
    ro.install_timeout = std::chrono::seconds(settings.install_timeout_s);
    ro.kernel_check = no_kernel_check ? env::no_kernel_check("--no-kernel-check") : seams.kernel_check;
    ro.diagnose = seams.diagnose;
    ro.profile_flow = seams.profile_flow;
    bool quiet = common.verbosity < 0;
    StderrReporter reporter;
    ro.say = [quiet, &reporter](const std::string &line) {
        if (quiet) return;
        // The installer's own lines come indented ("  Collecting numpy").
        if (line.rfind("  ", 0) == 0) reporter.progress("run: install:" + line.substr(1));
        else reporter.line("run: " + painted_stage(line, reporter.colour()));
    };
    if (!quiet && !common.json && reporter.terminal())
        // pip's and uv's own progress, drawn on a pseudo-terminal and passed through as drawn.
        ro.installer_terminal = [&reporter](const std::string &chunk) {
            reporter.done();
            std::cerr.write(chunk.data(), std::streamsize(chunk.size()));
            std::cerr.flush();
        };
    if (!quiet)
        std::cerr << "run: plan: " << plan.profile << " on " << plan.device_id << " (" << plan.backend << ", "
                  << plan.accelerator << "), " << plan.packages.size() << " package(s), env " << ro.env.string() << "\n";

    env::RunReport report = env::run_environment(plan, ro);
    reporter.done();
    if (common.json) {
        json::object out = report.to_json();
        out["env"] = ro.env.string();
        out["plan"] = report.plan.to_json();  // revised when a fix re-planned
        print_json(out);
    } else if (!quiet) {
        std::cerr << "run: " << report.outcome << " (" << ro.env.string() << ")\n";
        if (report.exit_code == kOk) {
            const char *shell = std::getenv("SHELL");
            std::cerr << "use it:  " << activate_line(ro.env, shell ? shell : "") << "   (or run "
                      << (ro.env / "bin" / "python").string() << " directly; the plan's variables come with it)\n";
        }
    }
    return report.exit_code;
}

}  // namespace gpuhost::cli
