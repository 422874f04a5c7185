// The amdgpu KFD topology: /sys/class/kfd/kfd/topology/nodes/<n>/properties,
// one "key value" pair per line. GPU nodes have simd_count > 0.
#pragma once
#include "gpuhost/sysroot.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gpuhost::rocm {

struct KfdNode {
    std::string id;  // the node folder name
    std::map<std::string, std::uint64_t> properties;
    std::uint64_t get(const std::string &key, std::uint64_t fallback = 0) const;
    bool has(const std::string &key) const { return properties.count(key) != 0; }
    bool is_gpu() const { return get("simd_count") > 0; }
};

// Throws std::runtime_error naming `where` and the line on malformed text.
KfdNode parse_kfd_properties(const std::string &text, const std::string &where);

// gfx_target_version is major*10000 + minor*100 + stepping; the name writes
// minor and stepping as one hex digit each: 90010 -> gfx90a, 100301 -> gfx1031.
// Throws std::invalid_argument for 0 or digits above 15.
std::string decode_gfx_target(std::uint64_t version);

// "0000:03:00.0" from the KFD domain and location_id (bus<<8 | device<<3 | function).
std::string pci_bus_id(std::uint64_t domain, std::uint64_t location_id);

// Every node that parses; broken files become notes.
std::vector<KfdNode> read_kfd_nodes(const sdk::Sysroot &root, std::vector<std::string> &notes);

}  // namespace gpuhost::rocm
