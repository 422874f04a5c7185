// The options every command that detects shares (--no-cache, --in-process,
// --timings), and the one way such a command obtains the inventory.
#pragma once
#include "../detect/detector.hpp"
#include "../plugins/plugin_set.hpp"
#include "cli_support.hpp"

namespace gpuhost::cli {

struct DetectFlags {
    bool no_cache = false;
    bool in_process = false;
    bool timings = false;
    bool all = false;           // --all: run the Vulkan and OpenCL probes whatever the vendor plugins found
    bool needs_probes = false;  // not a flag: the command works on probe devices (bench, kernel fallbacks)
};

void add_detect_flags(po::options_description &options, DetectFlags &flags);

// Finds plugins (libraries stay closed: each probe child opens its own), then
// the cached or fresh inventory, with the probes the flags, the command and the
// config's `probes` ask for (resolve_probe_request). With --timings, prints each stage and each
// plugin's probe time on stderr.
Inventory detect_for_command(const Common &common, const DetectFlags &flags, PluginSet &plugins);

// Opens, in this process, only the plugins whose isolated probe passed: a
// library that crashes while loading or probing never takes the command down.
// For commands that go on to score, plan or run kernels.
void open_plugins_that_probed(PluginSet &plugins, const Inventory &inventory);

}  // namespace gpuhost::cli
