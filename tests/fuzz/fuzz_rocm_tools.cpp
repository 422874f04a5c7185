// AMD's tools and sysfs text: rocminfo (never throws), rocm-smi and amd-smi
// in their text, CSV and JSON forms, `id -Gn` (groups), and one KFD topology
// node's properties file, whose gfx_target_version is decoded.
#include "fuzz_support.hpp"

#include "kfd_topology.hpp"
#include "rocminfo_parser.hpp"
#include "smi_parser.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    std::string text = fuzz::text(data, size);
    auto info = rocm::parse_rocminfo(text);
    for (const auto &agent : info.agents) agent.is_gpu();
    rocm::parse_rocm_smi(text);
    rocm::parse_amd_smi_list(text);
    rocm::parse_rocm_smi_product(text);
    rocm::parse_amd_smi_static(text);
    rocm::parse_groups(text);
    try {
        auto node = rocm::parse_kfd_properties(text, "properties");
        node.is_gpu();
        rocm::pci_bus_id(node.get("domain"), node.get("location_id"));
        try {
            auto gfx = rocm::decode_gfx_target(node.get("gfx_target_version"));
            FUZZ_CHECK(gfx.rfind("gfx", 0) == 0, gfx);
        } catch (const std::invalid_argument &) {
        }
    } catch (const std::runtime_error &) {
    }
    return 0;
}
