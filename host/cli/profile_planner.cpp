#include "profile_planner.hpp"

#include "../core/paths.hpp"
#include "../policy/config.hpp"
#include "plan_inputs.hpp"

namespace gpuhost::cli {

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
    in.accelerator = request.accelerator;
    std::string envs_dir = config.text("envs_dir");
    in.env_root = envs_dir.empty() ? paths::data_dir() / "envs" : std::filesystem::path(envs_dir);
    out.result = lua::make_plan(*out.engine, out.profile, in);
    return out;
}

}  // namespace gpuhost::cli
