#include "detect_flags.hpp"

#include "../core/log.hpp"
#include "../policy/config.hpp"

#include <chrono>
#include <sys/resource.h>
#include <cstdio>
#include <iostream>

namespace gpuhost::cli {

void add_detect_flags(po::options_description &options, DetectFlags &flags) {
    options.add_options()
        ("no-cache", po::bool_switch(&flags.no_cache), "detect afresh, ignoring the cached inventory; the fresh one replaces it")
        ("in-process", po::bool_switch(&flags.in_process),
         "run every plugin's detection (and, in select, its score and install calls) inside this process, one "
         "after another (debugging: a crashing plugin then takes gpuhost down; no cache, no quarantine)")
        ("timings", po::bool_switch(&flags.timings), "print how long each stage and each plugin's probe took, on stderr")
        ("all", po::bool_switch(&flags.all),
         "also run the Vulkan and OpenCL probes when the vendor plugins claimed every GPU (they find CPU devices such "
         "as llvmpipe and PoCL, and cost most of a cold detection; config `probes`)");
}

Inventory detect_for_command(const Common &common, const DetectFlags &flags, PluginSet &plugins) {
    auto start = std::chrono::steady_clock::now();
    PluginSearchOptions search = default_search_options();
    search.defer_loading = true;
    plugins = load_plugins(search);
    for (const auto &r : plugins.rejected)
        // What the user turned off is no news; anything else is worth a warning (-q hides it).
        log::write(r.reason.rfind("disabled by", 0) == 0 ? log::Level::debug : log::Level::warn,
                   "plugin skipped: " + r.path.string() + ": " + r.reason);
    DetectReport report;
    report.stages.emplace_back("discover", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    DetectOptions options;
    options.sysroot = common.sysroot;
    options.in_process = flags.in_process;
    options.use_cache = !flags.no_cache;
    Config config = load_config();  // read once here rather than once per stage
    options.probe_timeout = std::chrono::milliseconds(config.integer("probe_timeout_ms"));
    options.cache_ttl = std::chrono::seconds(config.integer("cache_ttl_s"));
    options.probes = resolve_probe_request(config.text("probes"), flags.needs_probes, flags.all);
    options.report = &report;
    Inventory inv = obtain_inventory(plugins, options);
    if (flags.timings) {
        char line[160];
        double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::cerr << "timings (" << (flags.in_process ? "in process" : "isolated probes") << "; cache "
                  << (report.cache.empty() ? "off" : report.cache) << "):\n";
        std::cerr << "  vendor-neutral probes (" << inv.probes.request << "): " << (inv.probes.ran ? "ran" : "not run")
                  << ", " << inv.probes.why << "\n";
        for (const auto &[stage, seconds] : report.stages) {
            std::snprintf(line, sizeof line, "  %-22s %8.1f ms\n", stage.c_str(), seconds * 1000);
            std::cerr << line;
        }
        bool probed = report.cache.rfind("hit", 0) != 0;
        for (const auto &p : inv.plugins) {
            std::snprintf(line, sizeof line, "  probe %-16s %8.1f ms%s\n", p.plugin.c_str(), p.seconds * 1000,
                          p.status == "skipped" ? " (skipped)" : probed ? "" : " (cached)");
            std::cerr << line;
        }
        std::snprintf(line, sizeof line, "  %-22s %8.1f ms\n", "total", total * 1000);
        std::cerr << line;
        // The host's own peak memory, apart from the probe children's (a child
        // holds a vendor driver: PoCL alone brings LLVM).
        rusage self{}, children{};
        getrusage(RUSAGE_SELF, &self);
        getrusage(RUSAGE_CHILDREN, &children);
        std::snprintf(line, sizeof line, "  %-22s %8.1f MB\n  %-22s %8.1f MB\n", "peak RSS host",
                      self.ru_maxrss / 1024.0, "peak RSS probe child", children.ru_maxrss / 1024.0);
        std::cerr << line;
    }
    return inv;
}

void open_plugins_that_probed(PluginSet &plugins, const Inventory &inventory) {
    plugins.load_deferred([&](const std::string &name) {
        for (const auto &p : inventory.plugins)
            if (p.plugin == name) return p.status != "failed" && p.status != "skipped";
        return false;
    });
}

}  // namespace gpuhost::cli
