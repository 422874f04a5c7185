#include "gfx_targets.hpp"

#include "kfd_topology.hpp"

#include <cstdio>
#include <set>
#include <stdexcept>

namespace gpuhost::rocm {

std::string gfx_from_override(const std::string &value) {
    unsigned major = 0, minor = 0, stepping = 0;
    char tail = 0;
    if (std::sscanf(value.c_str(), "%u.%u.%u%c", &major, &minor, &stepping, &tail) != 3)
        throw std::invalid_argument("HSA_OVERRIDE_GFX_VERSION=\"" + value + "\" is not MAJOR.MINOR.STEPPING (e.g. 10.3.0)");
    try {
        return decode_gfx_target(major * 10000ull + minor * 100ull + stepping);
    } catch (const std::invalid_argument &) {
        throw std::invalid_argument("HSA_OVERRIDE_GFX_VERSION=\"" + value + "\" names no gfx target");
    }
}

bool rocm_builds_ship(const std::string &gfx) {
    // ROCm 6.x Linux system requirements (GPU table, "LLVM target" column):
    // https://rocm.docs.amd.com/projects/install-on-linux/en/latest/reference/system-requirements.html
    // plus gfx1102 and gfx1200/gfx1201, which PyTorch's ROCm wheels list in PYTORCH_ROCM_ARCH.
    // gfx803 (Polaris) and gfx900 (Vega 10) were dropped from these builds.
    static const std::set<std::string> shipped = {"gfx906",  "gfx908",  "gfx90a",  "gfx942",  "gfx950", "gfx1030",
                                                  "gfx1100", "gfx1101", "gfx1102", "gfx1200", "gfx1201"};
    return shipped.count(gfx) != 0;
}

std::string suggested_override(const std::string &gfx) {
    // RDNA2 siblings of gfx1030 and RDNA3 siblings of gfx1100 share its ISA; the
    // community-known workaround (ROCm/ROCm issues #3923, #2631) is the override.
    static const std::set<std::string> rdna2 = {"gfx1031", "gfx1032", "gfx1033", "gfx1034", "gfx1035", "gfx1036"};
    static const std::set<std::string> rdna3 = {"gfx1103", "gfx1150", "gfx1151", "gfx1152"};
    if (rdna2.count(gfx)) return "10.3.0";
    if (rdna3.count(gfx)) return "11.0.0";
    return {};
}

bool apu_target(const std::string &gfx) {
    // "APU" column of the processor table in https://llvm.org/docs/AMDGPUUsage.html#processors
    static const std::set<std::string> apus = {"gfx801",  "gfx902",  "gfx909",  "gfx90c",  "gfx1013",
                                               "gfx1033", "gfx1035", "gfx1036", "gfx1103", "gfx1150",
                                               "gfx1151", "gfx1152"};
    return apus.count(gfx) != 0;
}

}  // namespace gpuhost::rocm
