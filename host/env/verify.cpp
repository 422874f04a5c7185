#include "verify.hpp"

#include "decision.hpp"
#include "env_state.hpp"
#include "requirements.hpp"

#include <cstdlib>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::env {

std::string Verification::failure_text() const {
    std::string t;
    if (!torch_problem.empty()) t += torch_problem + "\n";
    if (kernel.status == KernelCheck::Status::failed || kernel.status == KernelCheck::Status::no_device)
        t += "kernel check: " + kernel.summary + "\n" + kernel.output + "\n";
    if (smoke_status == "failed") t += "smoke test:\n" + smoke_output;
    return t;
}

json::object Verification::to_json(const std::string &at) const {
    return {{"status", status},
            {"at", at},
            {"kernel", json::object{{"status", to_string(kernel.status)}, {"summary", kernel.summary}, {"details", kernel.details}}},
            {"smoke_test", json::object{{"status", smoke_status}, {"output", smoke_output.substr(0, 4000)}, {"code", code}}},
            {"device", device},
            {"torch_build", torch_problem.empty() ? json::value("ok") : json::value(torch_problem)}};
}

Verification verify_environment(ProcessLog &log, const fs::path &env, const Plan &plan,
                                const KernelCheckFn &kernel_check, const std::function<bool()> &cancelled) {
    Verification v;
    v.code = plan.smoke_test;
    v.device = plan.device_id;
    // A CPU wheel on a GPU plan fails here even if the smoke test were lenient.
    for (const auto &spec : plan.packages) {
        if (parse_requirement(spec).name != "torch") continue;
        // The version in site-packages is the one Python will import.
        // No readable lib/ (a broken environment): nothing to judge here; the smoke test tells.
        std::error_code ec;
        for (fs::directory_iterator it(env / "lib", ec), end; !ec && it != end; it.increment(ec)) {
            auto installed = scan_installed(it->path() / "site-packages");
            if (auto found = installed.find("torch"); found != installed.end())
                v.torch_problem = torch_build_problem(plan, found->second);
        }
    }
    v.kernel = kernel_check ? kernel_check(plan) : no_kernel_check()(plan);
    if (plan.smoke_test.empty()) {
        v.smoke_status = "skipped";
        v.smoke_output = "the plan has no smoke test";
    } else {
        ProcessOptions po;
        po.timeout = std::chrono::seconds(600);
        po.merge_stderr = true;
        po.cancelled = cancelled;
        po.die_with_parent = true;
        po.env_set = plan.env;
        po.env_set["VIRTUAL_ENV"] = env.string();  // as if activated
        const char *path = std::getenv("PATH");
        if (!plan.env.count("PATH"))
            po.env_set["PATH"] = (env / "bin").string() + (path && *path ? ":" + std::string(path) : std::string());
        ProcessResult r = log.run((env / "bin" / "python").string(), {"-c", plan.smoke_test}, po);
        v.smoke_output = r.output;
        if (!r.ok()) v.smoke_output += (v.smoke_output.empty() ? "" : "\n") + std::string("[") + r.describe() + "]";
        v.cancelled = r.cancelled;
        v.smoke_status = r.cancelled ? "cancelled" : r.ok() ? "passed" : "failed";
    }
    using S = KernelCheck::Status;
    if (v.kernel.status == S::no_device) v.status = "no-device";
    else if (v.kernel.status == S::failed || v.smoke_status == "failed" || !v.torch_problem.empty()) v.status = "failed";
    else if (v.kernel.status == S::passed && v.smoke_status != "skipped") v.status = "passed";
    else if (v.kernel.status == S::passed || v.smoke_status == "passed") v.status = "smoke-test-only";
    else v.status = "unverified";
    if (v.kernel.status == S::passed && v.smoke_status == "skipped") v.status = "kernel-only";
    return v;
}

}  // namespace gpuhost::env
