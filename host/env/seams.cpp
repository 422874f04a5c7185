#include "seams.hpp"

#include <stdexcept>

namespace json = boost::json;

namespace gpuhost::env {

json::object Diagnosis::to_json() const {
    json::array s;
    for (const auto &step : steps) s.emplace_back(step);
    return {{"matched", matched}, {"rule", rule}, {"summary", summary}, {"steps", std::move(s)},
            {"fix_applied", fix_applied}, {"fix_note", fix_note}};
}

const char *to_string(KernelCheck::Status status) {
    switch (status) {
    case KernelCheck::Status::passed: return "passed";
    case KernelCheck::Status::failed: return "failed";
    case KernelCheck::Status::skipped: return "skipped";
    case KernelCheck::Status::no_device: return "no-device";
    }
    return "?";
}

PlanProfileFn no_profile_planner() {
    return [](const std::string &profile) -> Plan {
        throw std::runtime_error("cannot plan profile \"" + profile +
                                 "\": the Lua planner is not available in this build; give a plan with "
                                 "--plan FILE (as `gpuhost plan --json` prints)");
    };
}

KernelCheckFn no_kernel_check(const std::string &why) {
    return [why](const Plan &) {
        KernelCheck k;
        k.status = KernelCheck::Status::skipped;
        k.summary = "kernel check skipped: " + why + " (not a pass)";
        return k;
    };
}

DiagnoseFn no_diagnosis() {
    return [](const FailureContext &) {
        Diagnosis d;
        d.summary = "recovery rules not available in this build; read the log";
        return d;
    };
}

}  // namespace gpuhost::env
