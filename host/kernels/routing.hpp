// Which plugin runs a kernel on a device: the device's own plugin; when it
// answers "unsupported", a vendor-neutral probe (Vulkan, OpenCL) that also saw
// the device and has kernels, given its own view of the device.
#pragma once
#include "checker.hpp"
#include "plugins/plugin_set.hpp"

#include <boost/json.hpp>

namespace gpuhost {
class ToolRunner;
}

namespace gpuhost::kernels {

// Runs and checks one kernel on one merged device record. check.plugin names
// the plugin that ran it; check.note says when it fell back and why.
KernelCheck run_on_device(const PluginSet &plugins, const ToolRunner &tools, const boost::json::object &device,
                          const KernelRequest &request);

// The device record a probe plugin gets: the merged record with the probe's
// own view (name, backend, details) laid over it.
boost::json::object device_for_plugin(const boost::json::object &device, const std::string &plugin);

}  // namespace gpuhost::kernels
