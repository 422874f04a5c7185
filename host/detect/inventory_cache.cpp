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

namespace {

// Can an inventory made with these probes answer a command that asks for `wanted`?
// `always` needs them run; `never` needs them not run; `auto` takes only what
// auto decided, so plain `detect` does not show probe-only devices because an
// earlier `detect --all` found them.
bool serves(const ProbeRun &made, ProbeRequest wanted) {
    switch (wanted) {
    case ProbeRequest::always: return made.ran;
    case ProbeRequest::never: return !made.ran;
    case ProbeRequest::automatic: return made.request == "auto";
    }
    return false;
}

bool same_machine(const json::object &entry, const json::object &fingerprint) {
    auto f = entry.find("fingerprint");
    return f != entry.end() && f->value().is_object() && fingerprint_changes(f->value().as_object(), fingerprint).empty();
}

// The entries of a readable cache file of this format, newest first; empty otherwise.
json::array readable_entries(const fs::path &file) {
    try {
        if (auto text = read_text(file)) {
            json::value value = parse_json(*text, file.string());
            const auto &o = value.as_object();
            if (o.at("format").to_number<std::int64_t>() == kCacheFormat) return o.at("entries").as_array();
        }
    } catch (const std::exception &) {
    }
    return {};
}

}  // namespace

CacheLookup read_inventory_cache(const fs::path &file, const json::object &fingerprint, ProbeRequest probes,
                                 std::chrono::seconds ttl, std::time_t now) {
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
        const auto &entries = o.at("entries").as_array();
        const json::object *chosen = nullptr;
        std::optional<ProbeRun> other_probes;
        std::optional<Inventory> inv;
        for (const auto &e : entries) {
            if (!same_machine(e.as_object(), fingerprint)) continue;
            Inventory candidate = Inventory::from_json(e.at("inventory").as_object());
            if (!serves(candidate.probes, probes)) {
                if (!other_probes) other_probes = candidate.probes;
                continue;
            }
            chosen = &e.as_object();
            inv = std::move(candidate);
            break;
        }
        if (!chosen) {
            if (other_probes)
                r.why = std::string("cached with probes ") + other_probes->request +
                        (other_probes->ran ? " (they ran)" : " (they did not run)") + ", this command asks for " +
                        probe_request_name(probes);
            else if (entries.empty())
                r.why = "absent";
            else {  // what differs from the newest entry, the machine as it last was
                r.why = "machine changed:";
                for (const auto &c : fingerprint_changes(entries.front().at("fingerprint").as_object(), fingerprint))
                    r.why += " " + c;
            }
            return r;
        }
        auto created = std::time_t(chosen->at("created").to_number<std::int64_t>());
        if (created > now + kClockSlack) {
            r.why = "written in the future (" + std::to_string(created - now) + " s ahead)";
            return r;
        }
        if (now - created > ttl.count()) {
            r.why = "stale (" + std::to_string(now - created) + " s old, TTL " + std::to_string(ttl.count()) + " s)";
            return r;
        }
        for (const auto &d : inv->devices)
            if (!d.is_object() || !d.as_object().contains("id") || !d.at("usable").is_bool())
                throw std::runtime_error("a device lacks its id or usable flag");
        // A failure may be passing (a driver still starting): retry it soon rather
        // than keep it for the whole TTL. The quarantine bounds what retries cost.
        for (const auto &p : inv->plugins)
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
    json::array entries{json::object{{"created", std::int64_t(now)},
                                     {"fingerprint", fingerprint},
                                     {"inventory", inventory.to_json()}}};
    for (auto &e : readable_entries(file)) {
        if (entries.size() >= kCacheEntries) break;
        if (!e.is_object() || !e.as_object().contains("fingerprint") || !e.at("fingerprint").is_object()) continue;
        const auto &old = e.at("fingerprint").as_object();
        // Another boot never comes back; the same state and request is the one replaced.
        if (old.contains("boot_id") && fingerprint.contains("boot_id") && old.at("boot_id") != fingerprint.at("boot_id"))
            continue;
        if (same_machine(e.as_object(), fingerprint)) {
            auto p = e.as_object().if_contains("inventory");
            auto probes = p && p->is_object() ? p->as_object().if_contains("probes") : nullptr;
            auto request = probes && probes->is_object() ? probes->as_object().if_contains("request") : nullptr;
            if (!request || (request->is_string() && request->as_string() == inventory.probes.request)) continue;
        }
        entries.push_back(std::move(e));
    }
    write_file_atomic(file, json::serialize(json::object{{"format", kCacheFormat}, {"entries", std::move(entries)}}));
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
