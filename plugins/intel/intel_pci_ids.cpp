#include "intel_pci_ids.hpp"

#include <set>

namespace gpuhost::intel {

// Device ids from the Linux kernel's include/drm/intel/pciids.h (formerly
// i915_pciids.h; INTEL_DG1_IDS, INTEL_DG2_IDS, INTEL_ATS_M_IDS, INTEL_MTL_IDS,
// INTEL_ARL_IDS, INTEL_LNL_IDS, INTEL_BMG_IDS) and include/drm/intel/xe_pciids.h
// (INTEL_PVC_IDS): https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/include/drm/intel
// Every other Intel display device is a Gen9..Gen12 integrated GPU (UHD, Iris Xe).
IntelFamily classify_intel_device(std::uint32_t id) {
    static const std::set<std::uint32_t> dg2 = {0x5690, 0x5691, 0x5692, 0x56a0, 0x56a1, 0x56a2, 0x56be, 0x56bf,
                                                0x5693, 0x5694, 0x5695, 0x56a5, 0x56a6, 0x56b0, 0x56b1, 0x56ba,
                                                0x56bb, 0x56bc, 0x56bd, 0x5696, 0x5697, 0x56a3, 0x56a4, 0x56b2,
                                                0x56b3};
    static const std::set<std::uint32_t> ats_m = {0x56c0, 0x56c1, 0x56c2};
    static const std::set<std::uint32_t> bmg = {0xe202, 0xe209, 0xe20b, 0xe20c, 0xe20d, 0xe210,
                                                0xe211, 0xe212, 0xe215, 0xe216};
    static const std::set<std::uint32_t> pvc = {0x0b69, 0x0b6e, 0x0bd4, 0x0bd5, 0x0bd6,
                                                0x0bd7, 0x0bd8, 0x0bd9, 0x0bda, 0x0bdb};
    static const std::set<std::uint32_t> dg1 = {0x4905, 0x4906, 0x4907, 0x4908, 0x4909};
    static const std::set<std::uint32_t> mtl_arl = {0x7d40, 0x7d45, 0x7d55, 0x7d60, 0x7dd5,
                                                    0x7d41, 0x7d51, 0x7dd1, 0x7d67, 0xb640};
    static const std::set<std::uint32_t> lnl = {0x6420, 0x64a0, 0x64b0};
    if (dg2.count(id)) return {"Arc A-series (DG2, Alchemist)", "xe-hpg", true, true};
    if (ats_m.count(id)) return {"Data Center GPU Flex (ATS-M)", "xe-hpg", true, true};
    if (bmg.count(id)) return {"Arc B-series (Battlemage)", "xe2-hpg", true, true};
    if (pvc.count(id)) return {"Data Center GPU Max (Ponte Vecchio)", "xe-hpc", true, true};
    if (dg1.count(id)) return {"Iris Xe MAX (DG1)", "xe-lp", true, false};
    if (mtl_arl.count(id)) return {"Core Ultra Arc graphics (Meteor/Arrow Lake)", "xe-lpg", false, true};
    if (lnl.count(id)) return {"Core Ultra Arc graphics (Lunar Lake)", "xe2-lpg", false, true};
    return {"UHD / Iris Xe integrated graphics (Gen9-Gen12)", "gen9-gen12", false, false};
}

}  // namespace gpuhost::intel
