// Plain-code parsers for what macOS tools print, so they are tested on any OS:
// `system_profiler SPDisplaysDataType` (text and -json), `sw_vers`, `sysctl -a`.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::mps {

struct MacGpu {
    std::string model;          // "Apple M3", "AMD Radeon Pro 5500M"
    std::string vendor;         // "apple" | "amd" | "intel" | "other"
    std::string bus;            // "Built-In" | "PCIe"
    std::string metal_support;  // "Metal 3"
    std::optional<unsigned> cores;
    std::optional<std::uint64_t> vram_bytes;  // discrete GPUs only
};

// Throw std::runtime_error with a clear message on text that is not such output.
std::vector<MacGpu> parse_displays_text(const std::string &text);
std::vector<MacGpu> parse_displays_json(const std::string &text);

struct MacVersion {
    std::string product_version;  // "14.2.1"
    unsigned major = 0, minor = 0;
    bool at_least(unsigned maj, unsigned min) const { return major > maj || (major == maj && minor >= min); }
};
// Throws std::runtime_error when ProductVersion is missing or malformed.
MacVersion parse_sw_vers(const std::string &text);

// "key: value" (or "key = value") lines of `sysctl -a`.
std::map<std::string, std::string> parse_sysctl(const std::string &text);

// "Apple M3 Max" -> "apple-m3"; empty for non-Apple chips.
std::string apple_architecture(const std::string &model);

}  // namespace gpuhost::mps
