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
    PlanContext ctx = obtain_plan_context(request.sysroot, request.inventory_file);
    lua::PlanInputs in;
    in.inventory = &ctx.inventory;
    in.plugins = &ctx.plugins;
    in.tools = &ctx.tools;
    in.policy = policy_from_config(load_config());
    if (!request.device.empty()) in.policy.device = request.device;
    in.accelerator = request.accelerator;
    in.env_root = paths::data_dir() / "envs";
    out.result = lua::make_plan(*out.engine, out.profile, in);
    return out;
}

}  // namespace gpuhost::cli
