// clinfo (both layouts) and clinfo -l, as read from a --sysroot recording:
// std::runtime_error is the documented refusal; the records must pass the
// host's schema check.
#include "fuzz_support.hpp"
#include "record_check.hpp"

#include "opencl_probe.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    std::string text = fuzz::text(data, size);
    try {
        fuzz::check_records(opencl::parse_clinfo(text).devices);
    } catch (const std::runtime_error &) {
    }
    try {
        fuzz::check_records(opencl::parse_clinfo_list(text).devices);
    } catch (const std::runtime_error &) {
    }
    opencl::opencl_version(text);
    return 0;
}
