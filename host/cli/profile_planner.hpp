// Profile -> Plan the way every command does it: the user's policy (config,
// environment, flags), the inventory (live, replayed or recorded), the Lua planner.
#pragma once
#include "../lua/planning.hpp"
#include "detect_flags.hpp"

#include <memory>
#include <string>

namespace gpuhost::cli {

struct ProfilePlanRequest {
    std::string profile = "vector_search";  // name on the script path, or a .lua file
    std::string sysroot;                    // replay a recorded machine
    std::string inventory_file;             // plan for a `detect --json` document
    std::string device;                     // --device
    std::string accelerator;                // --accelerator: force this build
    DetectFlags detect;                     // --no-cache, --in-process, --timings
};

struct ProfilePlan {
    std::unique_ptr<lua::Engine> engine;    // kept: a profile's own run() flow uses it
    lua::Profile profile;
    lua::PlanResult result;
};

// The user's index settings (gpuhost.json index_url, pytorch_index) applied to
// a plan: the default index recorded, PyTorch's index URLs moved to the mirror.
void apply_index_settings(Plan &plan, const std::string &default_index, const std::string &pytorch_mirror);

// Throws lua::NoDeviceError (exit kNoDevice), FileError / ScriptError (kBadInput).
ProfilePlan plan_profile(const ProfilePlanRequest &request);

}  // namespace gpuhost::cli
