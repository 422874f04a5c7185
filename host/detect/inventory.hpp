// The merged view of every device on the machine, and how each plugin fared.
#pragma once
#include <boost/json.hpp>
#include <string>
#include <vector>

namespace gpuhost {

struct PluginOutcome {
    std::string plugin;
    std::string status;  // present | absent | unsupported_platform | failed
    std::string reason;  // why it failed
    std::vector<std::string> notes;
    double seconds = 0;
};

// Whether the vendor-neutral probes (Vulkan, OpenCL) ran for this inventory and
// why, so a command that needs them never takes a cached inventory without them.
struct ProbeRun {
    std::string request = "always";  // auto | always | never (probe_need.hpp)
    bool ran = true;
    std::string why;  // the unclaimed device, "requested", or why they were not needed
};

struct Inventory {
    // Validated device records, each with "id" (e.g. "cuda:0") and "plugin" added,
    // one per physical device after merging.
    boost::json::array devices;
    std::vector<PluginOutcome> plugins;
    ProbeRun probes;

    boost::json::object to_json() const;
    static Inventory from_json(const boost::json::object &o);  // throws std::runtime_error
    const boost::json::object *find(const std::string &id) const;
};

// Adds one plugin's validated detect result to the unmerged list.
void add_detect_result(const boost::json::object &result, const std::string &plugin,
                       boost::json::array &devices);

// One record per physical device: records sharing a PCI bus id or UUID are
// merged; the vendor plugin's record wins over the vendor-neutral probes',
// signals are united and "seen_by" lists every plugin that saw it. Ids are
// assigned per backend in order: cuda:0, cuda:1, cpu:0 ...
boost::json::array merge_devices(const boost::json::array &devices);

// "0000:01:00.0" from "00000000:01:00.0", "01:00.0", "0000:01:00.0" (any case).
std::string normalize_bus_id(const std::string &bus_id);

}  // namespace gpuhost
