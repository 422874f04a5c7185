// Whether the vendor-neutral probes (Vulkan, OpenCL) run. They load whole
// drivers and cost most of a cold detection on a GPU server, so after the vendor
// plugins answer they run only when they can add something.
#pragma once
#include "../plugins/manifest.hpp"
#include "inventory.hpp"

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost {

// What the user or the command asks for (config key `probes`, `detect --all`).
enum class ProbeRequest {
    automatic,  // only when they can add something (probe_need below)
    always,     // every detection (detect --all, bench, a kernel fallback)
    never,      // vendor plugins only
};

const char *probe_request_name(ProbeRequest r);  // "auto", "always", "never"
std::optional<ProbeRequest> parse_probe_request(const std::string &name);

// The request a command ends with: `--all` wins over everything; the config's
// `never` wins over a command's own need (bench, kernels), which wins over `auto`.
ProbeRequest resolve_probe_request(const std::string &configured, bool command_needs_probes, bool flag_all);

// The reason to run the probes after the vendor plugins answered, or nullopt
// with `why_not` set: a GPU-class PCI device no vendor record claims (by bus id;
// a record without one claims a device of its PCI vendor), or no vendor GPU
// plugin (kind "vendor", vendor not "cpu") answered at all.
std::optional<std::string> probe_need(const std::string &sysroot, const std::vector<Manifest> &vendor_plugins,
                                      const std::vector<PluginOutcome> &outcomes,
                                      const boost::json::array &vendor_devices, std::string &why_not);

}  // namespace gpuhost
