// The merged inventories on disk (XDG cache dir): one file per sysroot holding
// up to kCacheEntries entries, one per machine state (fingerprint) and probe
// request, so switching a variable back and forth does not detect afresh each
// time. An entry is valid while its fingerprint matches and it is younger than
// its TTL; a command that needs the Vulkan/OpenCL probes never takes an entry
// made without them.
#pragma once
#include "inventory.hpp"
#include "probe_need.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>

namespace gpuhost {

inline constexpr int kCacheFormat = 2;
// Enough for a few variables switched back and forth, each with and without probes.
inline constexpr size_t kCacheEntries = 8;

// inventory.json for the live machine, inventory-<hash>.json per sysroot.
std::filesystem::path inventory_cache_file(const std::string &sysroot);

struct CacheLookup {
    std::optional<Inventory> inventory;  // set on a hit
    // On a miss: "absent", "corrupt: ...", "stale (...)", "machine changed: pci",
    // "probes did not run for the cached inventory".
    std::string why;
};

// Never throws: a cache that cannot be used is a miss with the reason.
CacheLookup read_inventory_cache(const std::filesystem::path &file, const boost::json::object &fingerprint,
                                 ProbeRequest probes, std::chrono::seconds ttl, std::time_t now = std::time(nullptr));
// Adds the inventory as the newest entry, replacing the one for the same
// fingerprint and probe request and dropping entries of another boot and the
// oldest beyond kCacheEntries; the file is replaced atomically.
void write_inventory_cache(const std::filesystem::path &file, const boost::json::object &fingerprint,
                           const Inventory &inventory, std::time_t now = std::time(nullptr));
// Removes every cached inventory; returns how many files went.
int clear_inventory_cache();

}  // namespace gpuhost
