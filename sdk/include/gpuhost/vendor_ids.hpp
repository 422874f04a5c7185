// PCI vendor ids and vendor names as the Vulkan and OpenCL probes report them.
// Ids: PCI-SIG assignments (0x10de NVIDIA, 0x1002 AMD, 0x8086 Intel, 0x106b
// Apple, 0x13b5 Arm, 0x5143 Qualcomm); 0x10005 is Khronos' VK_VENDOR_ID_MESA.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>

namespace gpuhost::sdk {

inline std::string vendor_from_pci_id(std::uint32_t id) {
    switch (id) {
    case 0x10de: return "nvidia";
    case 0x1002: case 0x1022: return "amd";
    case 0x8086: return "intel";
    case 0x106b: return "apple";
    case 0x13b5: return "arm";
    case 0x5143: return "qualcomm";
    }
    return "other";
}

// From a free-text vendor ("NVIDIA Corporation", "Advanced Micro Devices, Inc.",
// "AuthenticAMD", "GenuineIntel", "Intel(R) Corporation"); "" when unknown.
inline std::string vendor_from_text(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    auto has = [&](const char *s) { return text.find(s) != std::string::npos; };
    if (has("nvidia")) return "nvidia";
    if (has("advanced micro devices") || has("amd")) return "amd";
    if (has("intel")) return "intel";
    if (has("apple")) return "apple";
    if (has("arm")) return "arm";
    if (has("qualcomm")) return "qualcomm";
    return "";
}

inline std::string hex_id(std::uint32_t id) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%04x", id);
    return buf;
}

// "0000:01:00.0"
inline std::string pci_bus_id(std::uint32_t domain, std::uint32_t bus, std::uint32_t device, std::uint32_t function) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04x:%02x:%02x.%x", domain & 0xffff, bus & 0xff, device & 0x1f, function & 0x7);
    return buf;
}

// 16 bytes as 8-4-4-4-12 lowercase hex, the form vulkaninfo and clinfo print.
inline std::string uuid_text(const unsigned char *bytes) {
    std::string out;
    char buf[3];
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        std::snprintf(buf, sizeof buf, "%02x", bytes[i]);
        out += buf;
    }
    return out;
}

}  // namespace gpuhost::sdk
