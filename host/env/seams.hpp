// Where other parts of gpuhost plug into `gpuhost run`: planning a profile
// (Lua), checking the device with a kernel (plugins' kernel slot) and
// diagnosing a failure (recovery rules). Each has a default that says
// plainly it is not available in this build; the CLI wires in the real ones.
#pragma once
#include "../plan/plan.hpp"

#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::env {

// Turns a profile (name or .lua path) into a Plan. Throws std::runtime_error
// (bad profile) or FileError (unreadable file).
using PlanProfileFn = std::function<Plan(const std::string &profile)>;

// The device's compute check.
struct KernelCheck {
    enum class Status { passed, failed, skipped, no_device };
    Status status = Status::skipped;
    std::string summary;  // one line: "sgemm 256x256 on cuda:0: max error 1e-6"
    std::string output;   // everything it printed, for the diagnosis
    boost::json::object details;
};
using KernelCheckFn = std::function<KernelCheck(const Plan &)>;

// What the recovery rules say about a failure's text.
struct Diagnosis {
    bool matched = false;
    std::string rule;           // rule id
    std::string summary;        // one line for people
    std::vector<std::string> steps;
    bool fix_applied = false;   // --auto-fix ran the rule's fix; the run retries once
    std::optional<Plan> revised_plan;  // the plan to retry with, when the fix changed it
    bool reinstall = false;     // the fix asks for every package to be installed again before the retry
    std::string fix_note;       // what the fix did, or why it was not applied
    boost::json::object to_json() const;
};
struct FailureContext {
    std::string stage;   // "install", "verify", "create"
    std::string text;    // the whole output
    const Plan *plan = nullptr;
    bool auto_fix = false;
};
using DiagnoseFn = std::function<Diagnosis(const FailureContext &)>;

// The profile's own run() flow, called after the base install. What it may do
// to the environment goes through ProfileFlowActions (argument lists only).
struct ProfileFlowActions {
    // Installs more requirement specs with the run's installer; false with the
    // installer's output on failure.
    std::function<bool(const std::vector<std::string> &specs, std::string &output)> install;
};
// Returns false when the profile has no flow; throws std::runtime_error when the flow fails.
using ProfileFlowFn = std::function<bool(const Plan &, const ProfileFlowActions &)>;

// Defaults used until the real implementations are wired in.
PlanProfileFn no_profile_planner();
KernelCheckFn no_kernel_check(const std::string &why = "not available in this build");
DiagnoseFn no_diagnosis();

const char *to_string(KernelCheck::Status status);

}  // namespace gpuhost::env

namespace gpuhost::env {

// The three seams `gpuhost run` uses, gathered so the wiring is one place
// (host/cli/run_wiring.cpp).
struct RunSeams {
    PlanProfileFn plan_profile = no_profile_planner();
    KernelCheckFn kernel_check = no_kernel_check();
    DiagnoseFn diagnose = no_diagnosis();
    ProfileFlowFn profile_flow;  // empty: plans given as files have no profile script
};

}  // namespace gpuhost::env
