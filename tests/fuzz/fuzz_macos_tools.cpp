// macOS tools: system_profiler SPDisplaysDataType (text and -json), sw_vers
// and sysctl output. std::runtime_error is the documented refusal.
#include "fuzz_support.hpp"

#include "macos_parsers.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    std::string text = fuzz::text(data, size);
    for (auto parse : {&mps::parse_displays_text, &mps::parse_displays_json}) {
        try {
            for (const auto &gpu : parse(text)) mps::apple_architecture(gpu.model);
        } catch (const std::runtime_error &) {
        }
    }
    try {
        mps::parse_sw_vers(text);
    } catch (const std::runtime_error &) {
    }
    mps::parse_sysctl(text);
    return 0;
}
