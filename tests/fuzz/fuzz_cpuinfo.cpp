// /proc/cpuinfo and /proc/meminfo, as read from the machine or a --sysroot
// recording: the record built from them must pass the host's schema check.
#include "fuzz_support.hpp"
#include "record_check.hpp"

#include "cpu_probe.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    std::string text = fuzz::text(data, size);
    try {
        auto facts = cpu::parse_cpuinfo(text);
        cpu::parse_meminfo(text, facts);
        fuzz::check_records({cpu::to_device(facts)});
    } catch (const std::runtime_error &) {
    }
    return 0;
}
