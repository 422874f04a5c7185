// What `plan` and `recommend` need about the machine: the plugins and the
// inventory, live (cached), replayed from a sysroot, or read from a file.
#pragma once
#include "../core/tool_runner.hpp"
#include "../detect/inventory.hpp"
#include "../plugins/plugin_set.hpp"
#include "detect_flags.hpp"

#include <string>

namespace gpuhost::cli {

struct PlanContext {
    PluginSet plugins;
    Inventory inventory;
    ToolRunner tools;
};

// inventory_file: a `detect --json` document; "" to detect (through --sysroot when given).
// flags.needs_probes: detect with the Vulkan and OpenCL probes (a kernel fallback needs them).
PlanContext obtain_plan_context(const std::string &sysroot, const std::string &inventory_file,
                                const DetectFlags &flags = {});

}  // namespace gpuhost::cli
