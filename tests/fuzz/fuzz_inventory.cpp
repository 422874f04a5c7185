// An inventory file (`--inventory FILE`, the cache's entries): Inventory::from_json
// holds every device to the schema plugins are held to. What it accepts must
// survive to_json and back unchanged.
#include "fuzz_support.hpp"

#include "core/files.hpp"
#include "detect/device_schema.hpp"
#include "detect/inventory.hpp"

#include <boost/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    boost::json::value value;
    try {
        value = parse_json(fuzz::text(data, size), "inventory.json");
    } catch (const FileError &) {
        return 0;
    }
    if (!value.is_object()) return 0;
    Inventory inv;
    try {
        inv = Inventory::from_json(value.as_object());
    } catch (const std::runtime_error &) {
        return 0;
    }
    for (std::size_t i = 0; i < inv.devices.size(); ++i) {
        auto id = inv.devices[i].at("id").as_string();
        FUZZ_CHECK(inv.find(std::string(id)) != nullptr, std::string(id));
    }
    auto once = inv.to_json();
    Inventory again = Inventory::from_json(once);
    FUZZ_CHECK(boost::json::serialize(again.to_json()) == boost::json::serialize(once), boost::json::serialize(once));
    return 0;
}
