// Runs every plugin's detect and builds the merged inventory.
#pragma once
#include "../plugins/plugin_set.hpp"
#include "inventory.hpp"
#include "probe_need.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gpuhost {

class ToolRunner;

// How long each stage took and what the cache did, for --timings.
struct DetectReport {
    std::vector<std::pair<std::string, double>> stages;  // name, seconds
    std::string cache;  // "hit", "miss: <why>", "off"
};

struct DetectOptions {
    std::string sysroot;  // "" for the live machine
    // Run each plugin's detect in this process (debugging) instead of in a child each.
    bool in_process = false;
    bool use_cache = true;  // obtain_inventory only
    // Unset: probe_timeout_ms / cache_ttl_s from the config (gpuhost.json, GPUHOST_*).
    std::optional<std::chrono::milliseconds> probe_timeout;
    std::optional<std::chrono::seconds> cache_ttl;
    // Unset: the config's `probes` (auto). See probe_need.hpp.
    std::optional<ProbeRequest> probes;
    // The gpuhost binary that runs `__probe`; empty: this executable when it is
    // gpuhost, else the gpuhost beside it, else probes run in process.
    std::filesystem::path probe_program;
    DetectReport *report = nullptr;  // filled when given
};

// One plugin's answer, parsed and validated: devices plus how it went.
struct ProbeResult {
    PluginOutcome outcome;
    boost::json::array devices;
    // The probe itself broke (crash, deadline, exit, unreadable or invalid reply),
    // as opposed to a well-formed answer whose status is "failed". Only this counts
    // towards quarantine.
    bool broke = false;
};

// Turns a plugin's detect reply text into a ProbeResult; invalid JSON or a
// record that breaks the schema makes the plugin "failed" with the reason.
ProbeResult interpret_detect_reply(const std::string &plugin, gpuhost_status status, const std::string &text);

ProbeResult probe_in_process(const PluginLibrary &plugin, const ToolRunner &tools, const DetectOptions &options);

// Probes every plugin (loaded or deferred) in parallel, each in its own child
// process with a deadline; a plugin that crashes, hangs or answers garbage is
// "failed" with the reason and the others still count. Plugins that failed
// kQuarantineAfter times in a row are skipped for a while (quarantine.hpp).
// Unless the probes are requested always, the vendor plugins answer first and
// the Vulkan/OpenCL probes (kind "probe") follow only when probe_need says they
// can add something; otherwise they are listed as "skipped" with the reason.
Inventory detect_all(const PluginSet &plugins, const DetectOptions &options);

// What every command that needs devices calls: the cached inventory when it is
// still valid for this machine, else a fresh detect_all.
Inventory obtain_inventory(const PluginSet &plugins, const DetectOptions &options);

}  // namespace gpuhost
