// Runs every plugin's detect and builds the merged inventory.
#pragma once
#include "../plugins/plugin_set.hpp"
#include "inventory.hpp"

#include <boost/json.hpp>
#include <string>

namespace gpuhost {

class ToolRunner;

struct DetectOptions {
    std::string sysroot;  // "" for the live machine
};

// One plugin's answer, parsed and validated: devices plus how it went.
struct ProbeResult {
    PluginOutcome outcome;
    boost::json::array devices;
};

// Turns a plugin's detect reply text into a ProbeResult; invalid JSON or a
// record that breaks the schema makes the plugin "failed" with the reason.
ProbeResult interpret_detect_reply(const std::string &plugin, gpuhost_status status, const std::string &text);

ProbeResult probe_in_process(const PluginLibrary &plugin, const ToolRunner &tools, const DetectOptions &options);

Inventory detect_all(const PluginSet &plugins, const DetectOptions &options);

// What every command that needs devices calls: the cached inventory when it is
// still valid for this machine, else a fresh detect_all.
Inventory obtain_inventory(const PluginSet &plugins, const DetectOptions &options);

}  // namespace gpuhost
