#include "profile_planner.hpp"

#include "../core/paths.hpp"
#include "../policy/config.hpp"
#include "../policy/policy_backends.hpp"
#include "cli_support.hpp"
#include "plan_inputs.hpp"

namespace gpuhost::cli {

void apply_index_settings(Plan &plan, const std::string &default_index, const std::string &pytorch_mirror) {
    plan.default_index_url = default_index;
    if (pytorch_mirror.empty()) return;
    static const std::string kPyTorch = "https://download.pytorch.org/whl";
    std::string mirror = pytorch_mirror;
    while (!mirror.empty() && mirror.back() == '/') mirror.pop_back();
    auto rewrite = [&](std::string &url) {
        if (url.rfind(kPyTorch, 0) == 0 && (url.size() == kPyTorch.size() || url[kPyTorch.size()] == '/'))
            url = mirror + url.substr(kPyTorch.size());
    };
    rewrite(plan.index_url);
    for (auto &u : plan.extra_index_urls) rewrite(u);
    for (auto &step : plan.steps)
        if (auto at = step.find(kPyTorch); at != std::string::npos) step.replace(at, kPyTorch.size(), mirror);
}

// force_backend is strict in every command: a plan on another backend (the
// device has no build for it, or --accelerator asked for another) is refused,
// with the reason the planner gave for passing the device over.
static void check_forced_backend(const Policy &policy, const Plan &plan) {
    const std::string &forced = policy.force_backend;
    if (forced.empty() || plan.backend == forced) return;
    std::string why;
    for (const auto &n : plan.notes)
        if (n.rfind("passed over: ", 0) == 0) {
            why = "; " + n;
            break;
        }
    throw lua::NoDeviceError("force_backend " + forced + ": the plan would run on " + plan.device_id + " (" +
                             plan.backend + ", build " + plan.accelerator + ")" + why);
}

ProfilePlan plan_profile(const ProfilePlanRequest &request) {
    ProfilePlan out;
    auto file = lua::resolve_profile(request.profile);
    out.engine = lua::engine_for_profile(file);
    out.profile = lua::load_profile(*out.engine, file);
    PlanContext ctx = obtain_plan_context(request.sysroot, request.inventory_file, request.detect);
    lua::PlanInputs in;
    in.inventory = &ctx.inventory;
    in.plugins = &ctx.plugins;
    in.tools = &ctx.tools;
    Config config = load_config();
    in.policy = policy_from_config(config);
    if (!request.device.empty()) in.policy.device = request.device;
    if (auto why = unknown_backend_in(in.policy, known_backends(ctx.plugins, &ctx.inventory)); !why.empty())
        throw UsageError("gpuhost: " + why + " (from gpuhost config, a gpuhost.json or a GPUHOST_* variable)");
    in.accelerator = request.accelerator;
    std::string envs_dir = config.text("envs_dir");
    in.env_root = envs_dir.empty() ? paths::data_dir() / "envs" : std::filesystem::path(envs_dir);
    out.result = lua::make_plan(*out.engine, out.profile, in);
    apply_index_settings(out.result.plan, config.text("index_url"), config.text("pytorch_index"));
    check_forced_backend(in.policy, out.result.plan);
    return out;
}

}  // namespace gpuhost::cli
