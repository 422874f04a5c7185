// Proof that the environment computes on the plan's device: the plugin's
// kernel check (through a seam) and the plan's Python smoke test run inside
// the environment. A skipped check is reported as skipped, never as a pass.
#pragma once
#include "installer.hpp"
#include "seams.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <string>

namespace gpuhost::env {

struct Verification {
    // passed | smoke-test-only (kernel check unavailable) | unverified | failed | no-device
    std::string status;
    KernelCheck kernel;
    std::string smoke_status;  // passed | failed | skipped | cancelled
    std::string smoke_output;
    std::string torch_problem; // a CPU wheel on a GPU plan, etc.
    bool cancelled = false;
    std::string code, device;  // what was verified: a new smoke test or device means verifying again
    std::string failure_text() const;  // everything a diagnosis needs
    boost::json::object to_json(const std::string &at) const;
};

Verification verify_environment(ProcessLog &log, const std::filesystem::path &env, const Plan &plan,
                                const KernelCheckFn &kernel_check, const std::function<bool()> &cancelled);

}  // namespace gpuhost::env
