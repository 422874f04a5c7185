// What a plugin makes of a tool's output must pass the host's schema check
// (sdk/docs/SCHEMA.md): a parser that turns odd text into a record the host
// refuses takes the whole plugin's detection down with it.
#pragma once

#include "fuzz_support.hpp"

#include "detect/device_schema.hpp"
#include "gpuhost/device_record.hpp"

#include <vector>

namespace gpuhost::fuzz {

inline void check_records(const std::vector<sdk::DeviceRecord> &records) {
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto json = records[i].to_json();
        auto problems = validate_device(json, "devices[" + std::to_string(i) + "]");
        FUZZ_CHECK(problems.empty(), problems.empty() ? std::string() : problems.front());
    }
}

}  // namespace gpuhost::fuzz
