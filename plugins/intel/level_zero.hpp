// Intel GPUs as the Level Zero loader sees them. The loader is dlopen'd at run
// time (never linked) so the plugin loads on machines without it.
#pragma once
#include "gpuhost/vendor_library.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::intel {

struct ZeDevice {
    std::string name;
    std::uint32_t vendor_id = 0, device_id = 0;
    bool integrated = false;
    std::string uuid;  // 32 hex digits
    std::optional<std::uint64_t> memory_bytes;
    std::string driver_version;  // "1.3.26918" (major.minor.build of driverVersion)
    std::string api_version;     // "1.3"
};

struct ZeProbe {
    bool loaded = false;         // the library opened and exported zeInit
    std::string library;         // what was opened (or tried)
    std::string error;           // why there are no devices; empty on success
    std::vector<ZeDevice> devices;
};

// Opens `library` (a path or a soname) and lists GPU devices.
ZeProbe probe_level_zero(const std::string &library);
ZeProbe probe_level_zero(const sdk::VendorLibrary &opened);  // from sdk::open_vendor_library

// "ZE_RESULT_ERROR_UNINITIALIZED (0x78000001)"
std::string ze_result_text(std::uint32_t result);

}  // namespace gpuhost::intel
