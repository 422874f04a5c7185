// gpuhost detect: every device, merged, with the reason it is or isn't usable.
#include "../detect/detector.hpp"
#include "../plugins/plugin_set.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "detect_flags.hpp"

#include <iostream>

namespace json = boost::json;

namespace gpuhost::cli {

static std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

static void print_inventory(const Inventory &inv) {
    Table table({"ID", "NAME", "TYPE", "MEMORY", "ARCH", "DRIVER", "RUNTIME", "USABLE"});
    std::vector<std::string> reasons;
    for (const auto &v : inv.devices) {
        const auto &d = v.as_object();
        std::string memory;
        if (auto m = d.find("memory"); m != d.end() && m->value().is_object())
            if (auto t = m->value().as_object().find("total_bytes"); t != m->value().as_object().end())
                memory = human_bytes(t->value().to_number<double>());
        std::string runtime;
        if (auto r = d.find("runtime"); r != d.end() && r->value().is_object())
            runtime = (text(r->value().as_object(), "name") + " " + text(r->value().as_object(), "version"));
        std::string arch = text(d, "architecture");
        if (auto eff = text(d, "architecture_effective"); !eff.empty() && eff != arch) arch += " (as " + eff + ")";
        bool usable = d.at("usable").as_bool();
        table.add({text(d, "id"), text(d, "name"), text(d, "type"), memory, arch, text(d, "driver_version"),
                   runtime, usable ? "yes" : "no"});
        if (!usable) reasons.push_back(text(d, "id") + ": " + text(d, "reason"));
    }
    std::cout << table.render();
    for (const auto &r : reasons) std::cout << "  not usable: " << r << "\n";
    std::cout << "\nplugins:";
    std::string skipped;
    for (const auto &p : inv.plugins) {
        std::cout << " " << p.plugin << " " << p.status;
        if (p.status == "skipped") skipped += (skipped.empty() ? "" : ", ") + p.plugin;
        else if (!p.reason.empty()) std::cout << " (" << p.reason << ")";
        std::cout << ";";
    }
    std::cout << "\n";
    // The probes' one reason, once: they add CPU devices (llvmpipe, PoCL) or GPUs no vendor plugin knows.
    if (!skipped.empty())
        std::cout << skipped << " not run: " << inv.probes.why << " (gpuhost detect --all runs them)\n";
}

int run_detect(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common);
    bool strict = false;
    options.add_options()("strict", po::bool_switch(&strict), "exit 1 when any plugin failed");
    DetectFlags flags;
    add_detect_flags(options, flags);
    po::variables_map vm;
    if (!parse("detect", "[options]",
               "Runs every plugin's detection and prints one line per physical device: the same GPU\n"
               "seen through its vendor library, Vulkan and OpenCL is merged by PCI bus id or UUID.\n"
               "A device that is present but unusable stays listed with the reason.\n\n"
               "Each plugin probes in its own child process, in parallel, each within probe_timeout_ms\n"
               "(default 5000; gpuhost config): one that crashes, hangs or answers garbage is reported as\n"
               "failed with the reason, and one that failed 3 times in a row is skipped for an hour.\n"
               "The result is cached until the machine changes or cache_ttl_s passes (gpuhost cache clear).\n\n"
               "The vendor plugins answer first. The vendor-neutral Vulkan and OpenCL probes, which load whole\n"
               "drivers, then run only when they can add something: a display or accelerator PCI device that no\n"
               "vendor plugin claimed, or no vendor GPU plugin at all. So on a machine without a GPU the CPU is\n"
               "listed once, by the cpu plugin; --all (or config probes=always) also lists what the probes see,\n"
               "such as llvmpipe and PoCL. bench runs them itself.",
               options, args, vm))
        return kOk;
    apply_verbosity(common);

    PluginSet plugins;
    Inventory inv = detect_for_command(common, flags, plugins);

    if (common.json) print_json(inv.to_json());
    else print_inventory(inv);

    bool any_failed = false;
    for (const auto &p : inv.plugins) any_failed = any_failed || p.status == "failed";
    return strict && any_failed ? kFailed : kOk;
}

}  // namespace gpuhost::cli
