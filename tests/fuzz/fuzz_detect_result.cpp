// A plugin's detect reply (sdk/docs/SCHEMA.md), as the host checks it before
// anything uses it: validate_detect_result, then the records are added and
// merged. Every merged record must still pass validate_device. The install
// and score replies go through their own validators.
#include "fuzz_support.hpp"

#include "core/files.hpp"
#include "detect/device_schema.hpp"
#include "detect/inventory.hpp"

#include <boost/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    boost::json::value value;
    try {
        value = parse_json(fuzz::text(data, size), "detect reply");
    } catch (const FileError &) {
        return 0;
    }
    validate_install(value);
    validate_score(value);
    if (!validate_detect_result(value).empty()) return 0;
    boost::json::array devices;
    add_detect_result(value.as_object(), "fuzz", devices);
    auto merged = merge_devices(devices);
    for (std::size_t i = 0; i < merged.size(); ++i) {
        auto problems = validate_device(merged[i], "merged[" + std::to_string(i) + "]");
        FUZZ_CHECK(problems.empty(), problems.empty() ? std::string() : problems.front());
    }
    return 0;
}
