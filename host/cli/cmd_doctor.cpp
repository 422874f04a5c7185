// gpuhost doctor: what on this machine will make GPU Python setups fail, and
// how to fix it.
#include "../core/files.hpp"
#include "../doctor/doctor.hpp"
#include "../plan/plan.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

#include <algorithm>
#include <iostream>

namespace gpuhost::cli {

static void print_text(const doctor::Report &report) {
    // Worst first, so a critical finding is never lost among the info lines.
    std::vector<const doctor::Finding *> order;
    for (const auto &f : report.findings) order.push_back(&f);
    std::stable_sort(order.begin(), order.end(), [](auto *a, auto *b) { return a->severity > b->severity; });
    Table table({"SEVERITY", "CHECK", "FINDING"});
    for (const auto *f : order) table.add({doctor::to_string(f->severity), f->check, f->summary});
    std::cout << table.render();
    bool header = false;
    for (const auto *f : order) {
        if (f->severity == doctor::Severity::info || f->fix.empty()) continue;
        if (!header) std::cout << "\nto fix:\n";
        header = true;
        std::cout << "  [" << doctor::to_string(f->severity) << "] " << f->summary << "\n    -> " << f->fix << "\n";
        if (!f->rule.empty()) std::cout << "    (recovery rule " << f->rule << ")\n";
    }
    for (const auto &s : report.skipped) std::cout << "skipped under --sysroot: " << s << "\n";
    std::cout << "\n" << report.count(doctor::Severity::critical) << " critical, " << report.count(doctor::Severity::error)
              << " errors, " << report.count(doctor::Severity::warning) << " warnings\n";
}

int run_doctor(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common);
    double timeout_s = 3;
    std::string plan_file;
    options.add_options()
        ("timeout", po::value(&timeout_s)->default_value(3), "seconds to wait for each package index to answer")
        ("plan", po::value(&plan_file), "check the indexes this plan installs from (gpuhost plan --json) instead of "
                                        "PyPI and download.pytorch.org");
    po::variables_map vm;
    if (!parse("doctor", "[options]",
               "Checks this machine for what makes GPU Python setups fail: Python interpreters (PATH,\n"
               "~/.pyenv), gpuhost's environments, free disk space, GPU kernel drivers and their\n"
               "versions (NVIDIA module vs library mismatch, nouveau, the CUDA toolkit's stub libcuda\n"
               "on the loader's path, a compute mode that refuses a second process), device nodes and\n"
               "the render/video groups, Secure Boot, WSL, containers, Jetson, and whether the package\n"
               "indexes (PyPI, download.pytorch.org, or those of --plan) answer on port 443. Each\n"
               "finding has a severity (info, warning, error, critical), a fix, and the recovery rule\n"
               "it relates to (gpuhost explain). Under --sysroot the recording is checked; live-only\n"
               "checks (Python, environments, disk, network) are skipped and listed.\n\n"
               "exit codes: 0 nothing critical found (warnings and errors may be listed); 1 at least one\n"
               "critical finding (the GPU cannot work until it is fixed); 2 usage.",
               options, args, vm))
        return kOk;
    apply_verbosity(common);
    if (timeout_s <= 0 || timeout_s > 60) throw UsageError("doctor: --timeout must be in (0, 60] seconds");
    doctor::Options opts;
    opts.sysroot = common.sysroot;
    opts.network_timeout = std::chrono::milliseconds(long(timeout_s * 1000));
    if (!plan_file.empty()) {
        auto value = read_json_file(plan_file);
        try {
            if (!value.is_object()) throw std::runtime_error("expected a JSON object");
            auto plan = Plan::from_json(value.as_object());
            auto others = plan.extra_index_urls;  // the default index too, when the plan names one
            if (!plan.default_index_url.empty()) others.push_back(plan.default_index_url);
            opts.index_hosts = doctor::index_hosts_of(plan.index_url, others);
        } catch (const std::runtime_error &e) {
            throw FileError(plan_file + ": not a plan: " + e.what() + " (write one with gpuhost plan --json)");
        }
    }
    auto report = doctor::run(opts);
    if (common.json) print_json(report.to_json());
    else print_text(report);
    return report.has(doctor::Severity::critical) ? kFailed : kOk;
}

}  // namespace gpuhost::cli
