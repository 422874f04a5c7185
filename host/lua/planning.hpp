// From a profile to a Plan: load the profile script, choose the device, and let
// scripts/lib/planner.lua turn the device and its accelerator tags into
// packages and indexes. Shared by `plan`, `recommend` and (later) `run`.
#pragma once
#include "../detect/inventory.hpp"
#include "../plan/plan.hpp"
#include "../policy/selection.hpp"
#include "engine.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>

namespace gpuhost {
class ToolRunner;
}

namespace gpuhost::lua {

// No device fits the request (the CLI exits with kNoDevice).
struct NoDeviceError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "nlp" -> profiles/nlp.lua on the standard script path; "x.lua" or a path ->
// that file. Throws FileError naming what was tried.
std::filesystem::path resolve_profile(const std::string &name_or_path);

struct Profile {
    std::string name;
    std::filesystem::path path;
    Ref table;
    Workload workload;
};

// Runs the profile and checks its fields; ScriptError naming the file otherwise.
Profile load_profile(Engine &engine, const std::filesystem::path &file);

// An engine whose search path starts with the project scripts/ beside the profile.
std::unique_ptr<Engine> engine_for_profile(const std::filesystem::path &profile_file);

struct PlanInputs {
    const Inventory *inventory = nullptr;
    const PluginSet *plugins = nullptr;
    const ToolRunner *tools = nullptr;
    Policy policy;
    std::filesystem::path env_root;  // where environments live (paths::data_dir()/envs)
    std::string accelerator;         // force this build (--accelerator cu118, cpu); empty: the best
};

struct PlanResult {
    Plan plan;
    Selection selection;  // what select_device said (for --json and explain)
};

PlanResult make_plan(Engine &engine, const Profile &profile, const PlanInputs &inputs);

// The tables' fallback ranking (scripts/lib/planner.lua P.rank) as a Selection,
// with the user's policy applied as select_device applies it (apply_policy):
// for devices no loaded plugin can score (a recorded inventory), and for
// `recommend`. `scored`: install contributions to keep; none_ranked: set when
// the tables ranked no device at all.
Selection tables_selection(Engine &engine, const Inventory &inv, const Workload &workload, const Policy &policy,
                           const Selection *scored = nullptr, bool *none_ranked = nullptr);

// Runs the profile's own `run(plan)` flow when it has one (after the base
// install); its actions go through the gpuhost functions the caller added.
// Returns false when the profile has no run function.
bool run_profile_flow(Engine &engine, const Profile &profile, const Plan &plan);

// The plan table a script returned, as a Plan (every field checked).
Plan plan_from_lua(const boost::json::value &value, const std::string &origin);

}  // namespace gpuhost::lua
