// vulkaninfo --summary and the full vulkaninfo, as read from a --sysroot
// recording: std::runtime_error is the documented refusal; the records must
// pass the host's schema check.
#include "fuzz_support.hpp"
#include "record_check.hpp"

#include "vulkan_probe.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    try {
        fuzz::check_records(vulkan::parse_vulkaninfo_summary(fuzz::text(data, size)).devices);
    } catch (const std::runtime_error &) {
    }
    return 0;
}
