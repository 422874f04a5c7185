-- scripts/tables/intel.lua
--
-- Intel GPUs vs. the PyTorch `xpu` wheels (https://download.pytorch.org/whl/xpu).
--
-- Sources:
--   [xpu-doc]  PyTorch docs "Getting Started on Intel GPU"
--              (docs.pytorch.org/docs/<ver>/notes/get_start_xpu.html):
--              2.5: "Intel GPUs support ... ready from PyTorch 2.5 for Intel
--              Client GPUs and Intel Data Center GPU Max Series"; release
--              wheels at https://download.pytorch.org/whl/xpu.
--              2.7: validated hardware lists Arc A-Series (Alchemist), Arc
--              B-Series (Battlemage), Core Ultra (Meteor Lake), Core Ultra 200V
--              (Lunar Lake), Core Ultra Series 2 (Arrow Lake).
--              2.12 / stable: same plus Core Ultra Series 3 (Panther Lake);
--              Meteor Lake and Arrow Lake are listed as the "-H" parts.
--   [pciids]   Linux kernel include/drm/intel/pciids.h (torvalds/linux) -
--              PCI device IDs per platform.
--
-- status:
--   "validated"   listed by name in [xpu-doc] -> offer the xpu build
--   "unvalidated" same Xe generation as a validated part but not listed ->
--                 offer xpu as experimental, cpu next
--   "legacy"      Gen9 .. Gen12 (Xe-LP) integrated/DG1 graphics -> cpu

return {
  index_url = "https://download.pytorch.org/whl/xpu",
  min_torch = "2.5",            -- [xpu-doc] 2.5

  families = {
    {
      key = "dg2", name = "Intel Arc A-Series (Alchemist, DG2)", status = "validated",
      min_torch = "2.5",        -- [xpu-doc] 2.5 "Intel Client GPU"; listed by name from 2.7
      name_patterns = { "arc%(tm%) a%d", "arc a%d", "arc pro a%d", "alchemist", "dg2" },
      -- [pciids] INTEL_DG2_G10/G11/G12 (_D, _E, _M) IDs
      pci_ids = { 0x56A0, 0x56A1, 0x56A2, 0x56BE, 0x56BF, 0x5690, 0x5691, 0x5692,
                  0x56A5, 0x56A6, 0x56B0, 0x56B1, 0x56BA, 0x56BB, 0x56BC, 0x56BD,
                  0x5693, 0x5694, 0x5695, 0x56A3, 0x56A4, 0x56B2, 0x56B3,
                  0x5696, 0x5697 },
    },
    {
      key = "bmg", name = "Intel Arc B-Series (Battlemage)", status = "validated",
      min_torch = "2.7",        -- first [xpu-doc] that names it (2.7); may work earlier
      name_patterns = { "arc%(tm%) b%d", "arc b%d", "arc pro b%d", "battlemage", "bmg" },
      -- [pciids] INTEL_BMG_G21_IDS + INTEL_BMG_IDS
      pci_ids = { 0xE202, 0xE209, 0xE20B, 0xE20C, 0xE20D, 0xE210, 0xE211, 0xE212,
                  0xE216, 0xE220, 0xE221, 0xE222, 0xE223 },
    },
    {
      key = "mtl", name = "Intel Core Ultra (Series 1, Meteor Lake) Arc Graphics", status = "validated",
      min_torch = "2.5",        -- [xpu-doc] 2.5 client GPUs; named from 2.7
      -- Meteor Lake (and Arrow Lake) iGPUs report the bare name
      -- "Intel(R) Arc(TM) Graphics"; matched here, so Arrow Lake-U/-S parts
      -- that report the same string are treated like Meteor Lake.
      name_patterns = { "meteor lake", "arc%(tm%) graphics$", "^arc graphics$" },
      pci_ids = { 0x7D40, 0x7D45, 0x7D55, 0x7D60, 0x7DD5 },  -- [pciids] INTEL_MTL_IDS
    },
    {
      key = "arl_h", name = "Intel Core Ultra Series 2 (Arrow Lake-H) Arc Graphics", status = "validated",
      min_torch = "2.7",        -- first [xpu-doc] naming it
      name_patterns = { "arrow lake" },
      pci_ids = { 0x7D51, 0x7DD1 },                          -- [pciids] INTEL_ARL_H_IDS
    },
    {
      key = "arl_us", name = "Intel Core Ultra Series 2 (Arrow Lake-U/-S) Graphics", status = "unvalidated",
      min_torch = "2.7",
      -- [pciids] INTEL_ARL_U_IDS / INTEL_ARL_S_IDS; [xpu-doc] lists only ARL-H
      pci_ids = { 0x7D41, 0x7D67, 0xB640 },
    },
    {
      key = "lnl", name = "Intel Core Ultra 200V (Lunar Lake) Arc Graphics", status = "validated",
      min_torch = "2.7",        -- first [xpu-doc] naming it
      name_patterns = { "lunar lake", "arc%(tm%) 1[34]0v", "arc 1[34]0v" },
      pci_ids = { 0x6420, 0x64A0, 0x64B0 },                  -- [pciids] INTEL_LNL_IDS
    },
    {
      key = "ptl", name = "Intel Core Ultra Series 3 (Panther Lake) Arc Graphics", status = "validated",
      -- Listed in [xpu-doc] for 2.12 and in the stable page updated Dec 2025;
      -- the first release that lists it was not pinned down -> 2.10 assumed.
      min_torch = "2.10",
      name_patterns = { "panther lake" },
      pci_ids = { 0xB080, 0xB081, 0xB082, 0xB083, 0xB084, 0xB085, 0xB086, 0xB087,
                  0xB08F, 0xB090, 0xB0A0, 0xB0B0 },          -- [pciids] INTEL_PTL_IDS
    },
    {
      key = "pvc", name = "Intel Data Center GPU Max (Ponte Vecchio)", status = "validated",
      min_torch = "2.5",        -- [xpu-doc] 2.5
      name_patterns = { "data center gpu max", "gpu max %d", "ponte vecchio" },
      pci_ids = { 0x0B69, 0x0B6E, 0x0BD4, 0x0BD5, 0x0BD6, 0x0BD7, 0x0BD8, 0x0BD9,
                  0x0BDA, 0x0BDB, 0x0BE0, 0x0BE1, 0x0BE5 },  -- [pciids] INTEL_PVC_IDS
    },
    {
      key = "ats_m", name = "Intel Data Center GPU Flex (Arctic Sound-M)", status = "unvalidated",
      -- Not in [xpu-doc]'s validated list (only Max is); Intel Extension for
      -- PyTorch targets Flex separately.
      min_torch = "2.5",
      name_patterns = { "data center gpu flex", "gpu flex %d" },
      pci_ids = { 0x56C0, 0x56C2, 0x56C1 },                  -- [pciids] INTEL_ATS_M150/M75_IDS
    },
    {
      key = "legacy_igpu", name = "Intel UHD / Iris Xe / HD Graphics (Gen9-Gen12, pre-Meteor Lake)",
      status = "legacy",
      -- Name patterns for older integrated parts; plus the Alder Lake /
      -- Raptor Lake IDs from [pciids] (INTEL_ADLP_IDS, INTEL_ADLN_IDS,
      -- INTEL_RPLS_IDS, INTEL_RPLU_IDS, INTEL_RPLP_IDS). None of these is in
      -- [xpu-doc]'s validated list.
      name_patterns = { "uhd graphics", "iris%(r%) xe", "iris xe", "iris plus", "iris pro",
                        "hd graphics", "iris%(r%) graphics", "iris graphics" },
      pci_ids = { 0x46A0, 0x46A1, 0x46A2, 0x46A3, 0x46A6, 0x46A8, 0x46AA, 0x462A,
                  0x4626, 0x4628, 0x46B0, 0x46B1, 0x46B2, 0x46B3, 0x46C0, 0x46C1,
                  0x46C2, 0x46C3,                                   -- ADL-P
                  0x46D0, 0x46D1, 0x46D2, 0x46D3, 0x46D4,           -- ADL-N
                  0xA780, 0xA781, 0xA782, 0xA783, 0xA788, 0xA789, 0xA78A, 0xA78B, -- RPL-S
                  0xA721, 0xA7A1, 0xA7A9, 0xA7AC, 0xA7AD,           -- RPL-U
                  0xA720, 0xA7A0, 0xA7A8, 0xA7AA, 0xA7AB },         -- RPL-P
      reason = "integrated Gen9-Gen12 (UHD / Iris Xe) graphics are not in PyTorch's "
        .. "validated xpu hardware list (Arc A/B, Core Ultra Meteor/Arrow/Lunar/Panther "
        .. "Lake, Data Center GPU Max)",
    },
  },
}
