// The vendor-neutral OpenCL probe: every platform's devices as device records
// (backend "opencl"), live through OpenCL-CLHPP or, under a sysroot, from a
// recorded `clinfo` text.
#pragma once
#include "gpuhost/device_record.hpp"

#include <string>
#include <vector>

namespace gpuhost::opencl {

struct ProbeOutcome {
    std::vector<sdk::DeviceRecord> devices;
    std::vector<std::string> notes;
    bool driver_found = false;  // an ICD answered (even with no devices)
};

// Asks the installed ICDs. Never throws; failures become notes.
ProbeOutcome probe_live();

// Parses the long output of `clinfo`, in either layout (Oblomov's clinfo;
// the AMD APP SDK's and ROCm's "Key:<tabs>value" one). Devices whose block is cut
// off before their name are dropped; a text with no "Number of platforms"
// line throws std::runtime_error naming what is missing.
ProbeOutcome parse_clinfo(const std::string &text);
// Parses `clinfo -l` (platform and device names only; every type "other").
// Throws std::runtime_error on text with no "Platform #N:" line.
ProbeOutcome parse_clinfo_list(const std::string &text);

// "OpenCL 3.0 PoCL ..." -> "3.0"; "" when there is no version.
std::string opencl_version(const std::string &version_text);
// "discrete" / "integrated" / "cpu" / "other" from clinfo's or the API's type.
std::string device_type(const std::string &cl_type, bool unified_memory);

}  // namespace gpuhost::opencl
