// Intel's tools: sycl-ls and xpu-smi discovery (table and --dump CSV).
#include "fuzz_support.hpp"

#include "intel_tools.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    std::string text = fuzz::text(data, size);
    try {
        intel::parse_sycl_ls(text);
    } catch (const std::runtime_error &) {
    }
    try {
        intel::parse_xpu_smi_discovery(text);
    } catch (const std::runtime_error &) {
    }
    return 0;
}
