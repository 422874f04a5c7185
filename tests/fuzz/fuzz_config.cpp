// gpuhost.json (the user's file and any parent folder's: whoever can write a
// folder above the project controls it) through read_config_file, and the
// same bytes as a GPUHOST_* variable or flag through parse_config_text for
// every key. A value either path accepts must pass check_config_value.
#include "fuzz_support.hpp"

#include "core/files.hpp"
#include "policy/config.hpp"

#include <boost/json.hpp>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    auto file = fuzz::write_scratch("project/gpuhost.json", data, size);
    try {
        auto settings = read_config_file(file);
        for (const auto &[name, v] : settings) {
            const ConfigKey *key = find_config_key(std::string(name));
            FUZZ_CHECK(key != nullptr, std::string(name));
            FUZZ_CHECK(check_config_value(*key, v).empty(), std::string(name));
        }
    } catch (const FileError &) {
    }
    std::string text = fuzz::text(data, size);
    for (const auto &key : config_keys()) {
        try {
            auto value = parse_config_text(key, text);
            FUZZ_CHECK(check_config_value(key, value).empty(), std::string(key.name) + "=" + text);
        } catch (const std::invalid_argument &) {
        }
    }
    return 0;
}
