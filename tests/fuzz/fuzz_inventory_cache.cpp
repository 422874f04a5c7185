// The inventory cache file (XDG cache dir), which anything that can write the
// user's cache controls: read_inventory_cache must never throw, and
// write_inventory_cache keeps what it can of an existing file. After a write,
// the same fingerprint and probe request must read back as a hit.
#include "fuzz_support.hpp"

#include "detect/inventory_cache.hpp"
#include "detect/probe_need.hpp"

#include <boost/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    auto file = fuzz::write_scratch("cache/inventory.json", data, size);
    // The first entry's own fingerprint, so inputs reach past the machine check.
    boost::json::object fingerprint{{"pci", "fuzz"}};
    boost::system::error_code ec;
    auto parsed = boost::json::parse(fuzz::text(data, size), ec);
    if (!ec && parsed.is_object())
        if (auto e = parsed.as_object().if_contains("entries"); e && e->is_array() && !e->as_array().empty())
            if (auto f = e->as_array()[0].is_object() ? e->as_array()[0].as_object().if_contains("fingerprint") : nullptr;
                f && f->is_object())
                fingerprint = f->as_object();
    const std::time_t now = 1764547200;  // 2025-12-01T00:00:00Z: fixed, so replays repeat
    for (auto request : {ProbeRequest::automatic, ProbeRequest::always, ProbeRequest::never}) {
        auto hit = read_inventory_cache(file, fingerprint, request, std::chrono::seconds(3600), now);
        FUZZ_CHECK(hit.inventory || !hit.why.empty(), "a miss without a reason");
    }
    Inventory inv;  // probes: always, ran
    inv.plugins.push_back({"cpu", "present", "", {}, 0.5});
    write_inventory_cache(file, fingerprint, inv, now);
    auto back = read_inventory_cache(file, fingerprint, ProbeRequest::always, std::chrono::seconds(3600), now);
    FUZZ_CHECK(back.inventory.has_value(), back.why);
    return 0;
}
