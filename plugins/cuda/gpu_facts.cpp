#include "gpu_facts.hpp"

#include <cctype>
#include <cstdio>
#include <regex>

namespace gpuhost::cuda {

std::string cuda_version_text(int v) {
    if (v <= 0) return {};
    return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

std::string normalise_bus_id(const std::string &text) {
    static const std::regex re(R"(^\s*(?:([0-9A-Fa-f]{1,8}):)?([0-9A-Fa-f]{1,2}):([0-9A-Fa-f]{1,2})\.([0-7])\s*$)");
    std::smatch m;
    if (!std::regex_match(text, m, re)) return {};
    auto hex = [](const std::string &s) { return std::stoul(s.empty() ? "0" : s, nullptr, 16); };
    char out[32];
    // The PCI domain is 16 bits on Linux; NVML and nvidia-smi print 8 hex digits.
    std::snprintf(out, sizeof out, "%04lx:%02lx:%02lx.%lx", hex(m[1]) & 0xffff, hex(m[2]), hex(m[3]), hex(m[4]));
    return out;
}

}  // namespace gpuhost::cuda
