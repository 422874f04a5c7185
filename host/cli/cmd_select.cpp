// gpuhost select: every device ranked for a workload, and the one the policy picks.
#include "../core/tool_runner.hpp"
#include <algorithm>

#include "../policy/config.hpp"
#include "../policy/policy_backends.hpp"
#include "../policy/selection_builds.hpp"
#include "../policy/selection.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "detect_flags.hpp"

#include <iostream>

namespace json = boost::json;

namespace gpuhost::cli {

int run_select(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common);
    DetectFlags flags;
    add_detect_flags(options, flags);
    Workload workload;
    std::string backend, force_backend, device;
    options.add_options()
        ("workload-memory", po::value<int>(&workload.min_memory_mib), "memory the work needs, in MiB")
        ("precision", po::value<std::string>(&workload.precision), "fp32 (default), fp16, bf16, int8")
        ("backend", po::value<std::string>(&backend), "preferred backend (overrides preferred_backend); auto for none")
        ("force-backend", po::value<std::string>(&force_backend), "use exactly this backend or fail (exit 4)")
        ("device", po::value<std::string>(&device), "one device: index, id (cuda:1), UUID or PCI bus id");
    po::variables_map vm;
    if (!parse("select", "[--workload-memory MIB] [--precision P] [--backend B | --force-backend B] [--device D]",
               "Scores every detected device for the workload with its plugin (0..100, with reasons),\n"
               "ranks them and applies the policy. Ranking: score first; backend_priority orders only\n"
               "equal scores. force_backend: that backend or exit 4 with why it is unusable. device: exactly\n"
               "that device. preferred_backend: its best usable device, else the best of all, with the\n"
               "reason. Policy comes from gpuhost.json (user, then project), GPUHOST_* variables, then\n"
               "these flags (see gpuhost config --help).\n\n"
               "--device takes an id (cuda:1), a UUID, a PCI bus id (01:00.0), or an index: within\n"
               "force_backend or preferred_backend when one is set (\"1\" = cuda:1), else the position in\n"
               "`gpuhost detect`'s list. Exit code 4 when the policy cannot be met.",
               options, args, vm))
        return kOk;
    apply_verbosity(common);
    if (workload.min_memory_mib < 0) throw UsageError("gpuhost select: --workload-memory must be 0 or more");
    static const std::vector<std::string> precisions = {"fp32", "fp16", "bf16", "int8"};
    if (std::find(precisions.begin(), precisions.end(), workload.precision) == precisions.end())
        throw UsageError("gpuhost select: --precision \"" + workload.precision + "\" is not fp32, fp16, bf16 or int8");
    Config config = load_config();
    try {
        if (vm.count("backend")) config.set_text("preferred_backend", backend, "--backend");
        if (vm.count("force-backend")) config.set_text("force_backend", force_backend, "--force-backend");
        if (vm.count("device")) config.set_text("device", device, "--device");
    } catch (const std::invalid_argument &e) {
        throw UsageError(std::string("gpuhost select: ") + e.what());
    }
    Policy policy = policy_from_config(config);

    PluginSet plugins;
    Inventory inv = detect_for_command(common, flags, plugins);
    // Backends are what the plugins declare and what their records name.
    auto known = known_backends(plugins, &inv);
    if (vm.count("backend")) check_backend_flag("select", "--backend", backend, known, true);
    if (vm.count("force-backend")) check_backend_flag("select", "--force-backend", force_backend, known);
    if (auto why = unknown_backend_in(policy, known); !why.empty())
        throw UsageError("gpuhost select: " + why + " (from gpuhost config, a gpuhost.json or a GPUHOST_* variable)");
    // Only plugins whose probe passed are scored (in a child each, unless --in-process).
    open_plugins_that_probed(plugins, inv);
    ToolRunner tools(common.sysroot);
    Selection selection = select_device(inv, plugins, policy, workload, tools, flags.in_process);
    name_table_builds(selection, inv);

    if (common.json) {
        json::object out = selection.to_json();
        out["workload"] = workload.to_json();
        json::object p{{"preferred_backend", policy.preferred_backend},
                       {"force_backend", policy.force_backend},
                       {"device", policy.device}};
        json::array priority;
        for (const auto &b : policy.backend_priority) priority.emplace_back(b);
        p["backend_priority"] = std::move(priority);
        out["policy"] = std::move(p);
        print_json(out);
    } else {
        Table table({"RANK", "DEVICE", "BACKEND", "SCORE", "REASONS"});
        int rank = 1;
        for (const auto &c : selection.ranked) {
            std::string reasons;
            for (const auto &r : c.reasons) reasons += (reasons.empty() ? "" : "; ") + r;
            table.add({std::to_string(rank++), c.device_id, c.backend, std::to_string(c.score), reasons});
        }
        std::cout << table.render() << "\n";
        for (const auto &w : selection.why) std::cout << "policy: " << w << "\n";
        std::cout << "chosen: " << (selection.chosen ? selection.chosen->device_id : "none") << "\n";
    }
    if (!selection.error.empty()) std::cerr << "gpuhost select: " << selection.error << "\n";
    return selection.chosen ? kOk : kNoDevice;
}

}  // namespace gpuhost::cli
