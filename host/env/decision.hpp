// Reuse, repair or recreate: decided from the state file and one listing of
// site-packages, without starting Python or pip.
#pragma once
#include "../plan/plan.hpp"
#include "env_state.hpp"
#include "requirements.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace gpuhost::env {

enum class Action { create, reuse, repair, recreate };
const char *to_string(Action a);

struct Decision {
    Action action = Action::create;
    std::vector<std::string> reasons;      // why, for people and --json
    std::vector<std::string> to_install;   // specs to hand the installer (repair)
    std::vector<std::string> to_reinstall; // installed but the wrong build (e.g. torch +cpu on a cu128 plan)
    std::vector<PackageCheck> checks;
    bool needs_verify = false;             // reuse of an environment whose last verification did not pass
    boost::json::object to_json() const;
};

struct DecideInput {
    const Plan &plan;
    std::filesystem::path env;
    const LoadedState &loaded;
    std::string installer;  // the one this run would use: uv | pip
};

Decision decide(const DecideInput &in);

// ENV/lib/pythonX.Y/site-packages for a "X.Y.Z" version.
std::filesystem::path site_packages(const std::filesystem::path &env, const std::string &python_version);

// For torch on a GPU plan, the local label must name the plan's accelerator;
// returns an empty string when the installed version is acceptable, else why not.
std::string torch_build_problem(const Plan &plan, const std::string &installed_version);

}  // namespace gpuhost::env
