// What identifies "the same machine in the same state" for the inventory cache:
// boot, kernel, GPU drivers, PCI devices, GPU device nodes, the plugin set and the
// sysroot. Only small /proc and /sys reads and directory listings: it is the warm path.
#pragma once
#include "../plugins/manifest.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace gpuhost {

// One member per part, so a mismatch can say which part changed.
boost::json::object machine_fingerprint(const std::string &sysroot, const std::vector<Manifest> &plugins);

// The names of the parts that differ ("pci", "plugins", ...), empty when equal.
std::vector<std::string> fingerprint_changes(const boost::json::object &cached, const boost::json::object &now);

}  // namespace gpuhost
