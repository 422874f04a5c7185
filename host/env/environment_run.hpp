// One `gpuhost run` after planning: lock, decide, create or repair, install,
// verify, diagnose failures, record. Returns an exit code from cli_support.hpp
// and a report that --json prints.
#pragma once
#include "decision.hpp"
#include "seams.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace gpuhost::env {

struct RunOptions {
    std::filesystem::path env;        // resolved environment path
    std::string wheelhouse;           // offline install from these wheels only
    std::string installer = "auto";   // auto | uv | pip
    bool accept_existing = false;
    bool auto_fix = false;
    bool verify = true;               // --no-verify: false
    bool reverify = false;            // verify even when reusing a verified environment
    bool resolve = true;              // resolve the plan against its indexes before making or changing anything
    std::chrono::seconds lock_timeout{600};
    std::chrono::seconds install_timeout{1800};
    KernelCheckFn kernel_check = no_kernel_check();
    DiagnoseFn diagnose = no_diagnosis();
    ProfileFlowFn profile_flow;  // the profile's own run(), after the base install
    std::function<void(const std::string &)> say;  // stage lines for people (stderr)
    // Set on a terminal: installs run on a pseudo-terminal and their own output
    // (progress bars included) is handed here raw, instead of line by line to say.
    std::function<void(const std::string &chunk)> installer_terminal;
};

struct RunReport {
    int exit_code = 0;
    Decision decision;
    Plan plan;                       // the plan the run ended with: an applied fix may have revised it
    std::string outcome;             // reused | created | repaired | recreated | accepted | failed | interrupted | ...
    boost::json::array stages;       // {"stage","status","detail"}
    boost::json::value state;        // the state file as written (or read, on reuse)
    boost::json::value diagnosis;    // null or Diagnosis::to_json
    boost::json::array processes;    // every program started, in order
    boost::json::value resolution;   // null, or what resolving the plan found (resolve.hpp)
    boost::json::object to_json() const;
};

RunReport run_environment(const Plan &plan, const RunOptions &options);

// --env, else the settings' envs_dir/<profile>, else the plan's env_path, else
// $XDG_DATA_HOME/gpuhost/envs/<profile>.
std::filesystem::path resolve_env_path(const std::string &flag, const Plan &plan, const std::string &envs_dir);

}  // namespace gpuhost::env
