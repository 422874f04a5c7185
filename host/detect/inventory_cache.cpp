#include "inventory_cache.hpp"

#include "../core/files.hpp"
#include "../core/paths.hpp"
#include "fingerprint.hpp"

#include <cstdio>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost {

// Allowed clock disagreement before a cache counts as written in the future.
static constexpr std::time_t kClockSlack = 60;
// A cached inventory in which a plugin failed is trusted this long only.
static constexpr std::time_t kRetryFailedAfter = 60;

fs::path inventory_cache_file(const std::string &sysroot) {
    if (sysroot.empty()) return paths::cache_dir() / "inventory.json";
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a: a stable short name per sysroot
    for (unsigned char c : sysroot) h = (h ^ c) * 1099511628211ull;
    char name[48];
    std::snprintf(name, sizeof name, "inventory-%016llx.json", static_cast<unsigned long long>(h));
    return paths::cache_dir() / name;
}

CacheLookup read_inventory_cache(const fs::path &file, const json::object &fingerprint, std::chrono::seconds ttl,
                                 std::time_t now) {
    CacheLookup r;
    auto text = read_text(file);
    if (!text) {
        r.why = "absent";
        return r;
    }
    try {
        json::value value = parse_json(*text, file.string());
        const auto &o = value.as_object();
        auto format = o.at("format").to_number<std::int64_t>();
        if (format != kCacheFormat) {
            r.why = "format " + std::to_string(format) + ", this gpuhost writes " + std::to_string(kCacheFormat);
            return r;
        }
        auto created = std::time_t(o.at("created").to_number<std::int64_t>());
        if (created > now + kClockSlack) {
            r.why = "written in the future (" + std::to_string(created - now) + " s ahead)";
            return r;
        }
        if (now - created > ttl.count()) {
            r.why = "stale (" + std::to_string(now - created) + " s old, TTL " + std::to_string(ttl.count()) + " s)";
            return r;
        }
        auto changes = fingerprint_changes(o.at("fingerprint").as_object(), fingerprint);
        if (!changes.empty()) {
            r.why = "machine changed:";
            for (const auto &c : changes) r.why += " " + c;
            return r;
        }
        Inventory inv = Inventory::from_json(o.at("inventory").as_object());
        for (const auto &d : inv.devices)
            if (!d.is_object() || !d.as_object().contains("id") || !d.at("usable").is_bool())
                throw std::runtime_error("a device lacks its id or usable flag");
        // A failure may be passing (a driver still starting): retry it soon rather
        // than keep it for the whole TTL. The quarantine bounds what retries cost.
        for (const auto &p : inv.plugins)
            if (p.status == "failed" && now - created > kRetryFailedAfter) {
                r.why = "plugin " + p.plugin + " failed " + std::to_string(now - created) + " s ago: retrying";
                return r;
            }
        r.inventory = std::move(inv);
    } catch (const std::exception &e) {
        r.inventory.reset();
        r.why = std::string("corrupt: ") + e.what();
    }
    return r;
}

void write_inventory_cache(const fs::path &file, const json::object &fingerprint, const Inventory &inventory,
                           std::time_t now) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    json::object o{{"format", kCacheFormat},
                   {"created", std::int64_t(now)},
                   {"fingerprint", fingerprint},
                   {"inventory", inventory.to_json()}};
    write_file_atomic(file, json::serialize(o));
}

int clear_inventory_cache() {
    int removed = 0;
    std::error_code ec;
    for (fs::directory_iterator it(paths::cache_dir(), ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.rfind("inventory", 0) == 0 && it->path().extension() == ".json") removed += fs::remove(it->path(), ec);
    }
    return removed;
}

}  // namespace gpuhost
