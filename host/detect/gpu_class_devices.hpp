// The PCI devices that could compute: display (class 0x03xx) and processing
// accelerators (0x12xx), read through the sysroot. Detection asks whether a
// vendor plugin claimed each one before it pays for the Vulkan and OpenCL probes.
#pragma once
#include <string>
#include <vector>

namespace gpuhost {

struct GpuClassDevice {
    std::string bus_id;     // "0000:03:00.0"
    std::string vendor_id;  // "0x10de"
    std::string device_id;  // "0x2335"
    std::string class_code; // "0x030200"
};

// Sorted by bus id. Console-only adapters (see console_only) are left out.
std::vector<GpuClassDevice> gpu_class_devices(const std::string &sysroot);

// A display adapter that only draws a console: a server's BMC VGA or a virtual
// machine's emulated card. No driver computes on it, so it never asks for probes.
bool console_only(const std::string &vendor_id, const std::string &device_id);

}  // namespace gpuhost
