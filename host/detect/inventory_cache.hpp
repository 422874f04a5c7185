// The merged inventory on disk (XDG cache dir), valid while the machine's
// fingerprint is unchanged and it is younger than its TTL.
#pragma once
#include "inventory.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>

namespace gpuhost {

inline constexpr int kCacheFormat = 1;

// inventory.json for the live machine, inventory-<hash>.json per sysroot.
std::filesystem::path inventory_cache_file(const std::string &sysroot);

struct CacheLookup {
    std::optional<Inventory> inventory;  // set on a hit
    std::string why;                     // on a miss: "absent", "corrupt: ...", "stale (...)", "machine changed: pci"
};

// Never throws: a cache that cannot be used is a miss with the reason.
CacheLookup read_inventory_cache(const std::filesystem::path &file, const boost::json::object &fingerprint,
                                 std::chrono::seconds ttl, std::time_t now = std::time(nullptr));
void write_inventory_cache(const std::filesystem::path &file, const boost::json::object &fingerprint,
                           const Inventory &inventory, std::time_t now = std::time(nullptr));
// Removes every cached inventory; returns how many files went.
int clear_inventory_cache();

}  // namespace gpuhost
