// `gpuhost run`'s three seams, wired to the real parts.
#include "run_wiring.hpp"

#include "../core/subprocess.hpp"
#include "../kernels/routing.hpp"
#include "../recover/diagnose.hpp"
#include "../recover/fix_effect.hpp"
#include "../recover/table_builds.hpp"
#include "../lua/vendors.hpp"
#include "../core/log.hpp"
#include "plan_inputs.hpp"
#include "profile_planner.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>

namespace json = boost::json;

namespace gpuhost::cli {

namespace {

// Small, quick sizes: this proves the device computes correctly; `gpuhost bench` measures it.
const std::vector<kernels::KernelRequest> &verification_kernels() {
    static const std::vector<kernels::KernelRequest> list = {
        {GPUHOST_KERNEL_SAXPY, 0, 1 << 16, 0, 0, 1},
        {GPUHOST_KERNEL_SGEMM, 64, 48, 80, 0, 1},
        {GPUHOST_KERNEL_COSINE_TOPK, 2000, 0, 384, 10, 1},
    };
    return list;
}

env::KernelCheck check_device(const Plan &plan, const DetectFlags &flags) {
    env::KernelCheck out;
    PlanContext ctx = obtain_plan_context("", "", flags);
    const json::object *device = ctx.inventory.find(plan.device_id);
    std::vector<kernels::KernelCheck> checks;
    auto run_checks = [&] {
        checks.clear();
        for (const auto &request : verification_kernels())
            checks.push_back(kernels::run_on_device(ctx.plugins, ctx.tools, *device, request));
    };
    if (device) run_checks();
    // The probes did not run, and the device is one only Vulkan or OpenCL sees
    // (vulkan:0), or its own plugin has no kernels: detect again with them, so the
    // device or the fallback to a probe's view of it exists.
    bool any_not_run = std::any_of(checks.begin(), checks.end(), [](const auto &c) { return !c.ran; });
    if ((!device || any_not_run) && !ctx.inventory.probes.ran) {
        DetectFlags with_probes = flags;
        with_probes.needs_probes = true;
        ctx = obtain_plan_context("", "", with_probes);
        device = ctx.inventory.find(plan.device_id);
        if (device) run_checks();
    }
    if (!device) {
        out.status = env::KernelCheck::Status::no_device;
        out.summary = "device " + plan.device_id + " (" + plan.device_name + ") is no longer detected";
        return out;
    }
    std::ostringstream lines;
    json::array results;
    int passed = 0, failed = 0;
    std::string first_problem;
    for (const auto &c : checks) {
        results.push_back(c.to_json());
        lines << c.kernel << " on " << plan.device_id << " via " << c.plugin << ": "
              << (c.passed ? "passed" : c.ran ? "WRONG" : "did not run") << " (max error " << c.max_error
              << ", tolerance " << c.tolerance << ")" << (c.error.empty() ? "" : ": " + c.error) << "\n";
        if (c.passed) ++passed;
        else if (c.ran) ++failed;
        if (!c.passed && first_problem.empty()) first_problem = c.kernel + ": " + (c.error.empty() ? c.note : c.error);
    }
    out.output = lines.str();
    out.details = json::object{{"kernels", std::move(results)}};
    if (failed) {
        out.status = env::KernelCheck::Status::failed;
        out.summary = std::to_string(failed) + " kernel(s) computed wrongly on " + plan.device_id + ": " + first_problem;
    } else if (passed == int(verification_kernels().size())) {
        out.status = env::KernelCheck::Status::passed;
        out.summary = "saxpy, sgemm and cosine_topk match the float64 reference on " + plan.device_id;
    } else {
        // No plugin could run kernels on this device (for example MPS replayed on Linux).
        out.status = env::KernelCheck::Status::skipped;
        out.summary = "no kernel path for " + plan.device_id + ": " + first_problem;
    }
    return out;
}

// Carries out what a rule's fix asks, as far as it can be done from here, and
// returns the plan to retry with.
void apply_fix(const recover::FixEffect &effect, const env::FailureContext &ctx, const RunWiring &wiring,
               env::Diagnosis &out) {
    Plan revised = *ctx.plan;
    std::vector<std::string> done;
    if (effect.recreate_env || effect.older_accelerator) {
        out.fix_note = effect.recreate_env
                           ? "not applied: recreating the environment needs a new run (delete " + revised.env_path + ")"
                           : "not applied: pick an older build with --accelerator (gpuhost plan --json lists them)";
        return;
    }
    if (!effect.accelerator.empty() && effect.accelerator != revised.accelerator) {
        ProfilePlanRequest request;
        request.profile = revised.profile_path.empty() ? revised.profile : revised.profile_path;
        request.device = effect.accelerator == "cpu" ? std::string() : wiring.device;
        request.accelerator = effect.accelerator;
        try {
            Plan replanned = plan_profile(request).result.plan;
            replanned.env_path = revised.env_path;
            revised = replanned;
            done.push_back("re-planned with the " + effect.accelerator + " build");
        } catch (const std::exception &e) {
            out.fix_note = std::string("not applied: ") + e.what();
            return;
        }
    }
    for (const auto &[name, value] : effect.set_env) {
        revised.env[name] = value;
        done.push_back("set " + name + "=" + value);
    }
    for (const auto &[name, dir] : effect.prepend_env) {
        auto existing = revised.env.find(name);
        revised.env[name] = dir + (existing != revised.env.end() ? ":" + existing->second : "");
        done.push_back("put " + dir + " first in " + name);
    }
    if (effect.purge_pip_cache) {
        // The caches are per user, so any pip or uv purges the one the install used.
        auto pip = run_process("python3", {"-m", "pip", "cache", "purge"});
        if (!find_on_path("uv").empty()) run_process("uv", {"cache", "clean"});
        done.push_back(std::string("purged the pip cache") + (pip.ok() ? "" : " (pip: " + pip.describe() + ")"));
    }
    if (effect.reinstall) done.push_back("reinstall");
    out.reinstall = effect.reinstall;
    out.fix_applied = true;
    out.revised_plan = std::move(revised);
    for (const auto &d : done) out.fix_note += (out.fix_note.empty() ? "" : "; ") + d;
}

// The planned device's facts (driver, gfx) and the builds the tables offer for
// it, so a rule suggests ${gpu_build} / ${older_build} the planner accepts here.
// The inventory is the cached one; a device no longer detected adds nothing.
void add_device_facts(recover::Facts &facts, const Plan &plan, const RunWiring &wiring) {
    try {
        PlanContext ctx = obtain_plan_context("", "", wiring.detect);
        const json::object *device = ctx.inventory.find(plan.device_id);
        if (!device) return;
        facts.add_device(*device);
        lua::Engine engine;
        lua::load_vendor_scripts(engine);
        facts.gpu_builds = recover::offered_gpu_builds(engine, *device);
    } catch (const std::exception &e) {
        log::debug(std::string("run: no device facts for the diagnosis: ") + e.what());
    }
}

env::Diagnosis diagnose_failure(const env::FailureContext &ctx, const RunWiring &wiring) {
    env::Diagnosis out;
    recover::Facts facts;
    if (ctx.plan) facts.add_plan(*ctx.plan);
    if (ctx.plan) add_device_facts(facts, *ctx.plan, wiring);
    facts.add_machine(sdk::Sysroot());
    recover::DiagnoseOptions options;
    options.auto_fix = ctx.auto_fix;
    recover::Diagnosis d = recover::diagnose(ctx.text, facts, options);
    out.matched = d.matched();
    if (!out.matched) {
        out.summary = d.best() ? d.summary() + "; `gpuhost explain --why LOG` shows the words"
                               : "no recovery rule matches this failure; `gpuhost explain LOG` shows the closest";
        return out;
    }
    const recover::Match &best = *d.best();
    out.rule = best.id;
    out.summary = best.shown_diagnosis();  // the runner prints the rule id before it
    out.steps = best.steps;
    if (!d.fix) return out;
    if (!d.apply) {
        out.fix_note = ctx.auto_fix ? "not applied: " + d.why_not_applied : "available with --auto-fix";
        return out;
    }
    try {
        apply_fix(recover::effect_of(*d.fix), ctx, wiring, out);
    } catch (const std::exception &e) {
        out.fix_note = std::string("not applied: ") + e.what();
    }
    return out;
}

}  // namespace

env::RunSeams run_seams(const RunWiring &wiring) {
    env::RunSeams seams;
    // The planned profile stays alive for its own run() flow, which acts
    // through the engine it was planned in.
    auto planned = std::make_shared<std::optional<ProfilePlan>>();
    seams.plan_profile = [wiring, planned](const std::string &profile) {
        ProfilePlanRequest request;
        request.profile = profile;
        request.device = wiring.device;
        request.accelerator = wiring.accelerator;
        request.detect = wiring.detect;
        *planned = plan_profile(request);
        return (*planned)->result.plan;
    };
    seams.profile_flow = [planned](const Plan &plan, const env::ProfileFlowActions &actions) {
        if (!*planned) return false;  // a plan read from a file: no profile script
        lua::Engine &engine = *(*planned)->engine;
        engine.add_function(
            "install",
            [&actions](lua::Call &c) {
                std::string output;
                if (!actions.install(c.strings(1), output)) throw std::runtime_error("install failed:\n" + output);
            },
            lua::Engine::Kind::action);
        // Verification always follows the flow; asking for it is recorded, not repeated.
        engine.add_function("verify", [](lua::Call &) {}, lua::Engine::Kind::action);
        return lua::run_profile_flow(engine, (*planned)->profile, plan);
    };
    seams.kernel_check = [detect = wiring.detect](const Plan &plan) { return check_device(plan, detect); };
    seams.diagnose = [wiring](const env::FailureContext &ctx) { return diagnose_failure(ctx, wiring); };
    return seams;
}

}  // namespace gpuhost::cli
