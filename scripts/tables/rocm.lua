-- scripts/tables/rocm.lua
--
-- AMD gfx targets vs. the ROCm builds of PyTorch on download.pytorch.org.
--
-- What matters for a PyTorch ROCm wheel is PYTORCH_ROCM_ARCH at build time:
-- a GPU whose gfx target is not in that list fails with
-- "hipErrorNoBinaryForGpu" / "invalid device function", whatever ROCm says
-- about official support. Sources per row below:
--   [wheel-sh]  pytorch/pytorch .ci/docker/manywheel/build.sh (and earlier
--               .ci/docker/libtorch/build.sh / pytorch/builder
--               manywheel/build_docker.sh) - the PYTORCH_ROCM_ARCH list.
--   [PR n]      pytorch/pytorch pull request n that changed that list.
--   [#132570]   pytorch/pytorch issue 132570: roc-obj-ls on
--               torch 2.5.1+rocm6.2 libtorch_hip.so lists gfx1030, gfx1100,
--               gfx900, gfx906, gfx908, gfx90a, gfx942 (and no gfx1010).
-- Release-branch cut dates come from RELEASE.md "Release cadence table".

local L = {
  -- PyTorch 2.0 (rocm5.4.2). Not read from the 2.0 builder itself: a build
  -- script replicating the wheel settings for rocm5.4.2 / rocm5.3 uses
  -- "gfx900;gfx906;gfx908;gfx90a;gfx1030". Treat as approximate.
  r2_0 = { "gfx900", "gfx906", "gfx908", "gfx90a", "gfx1030" },
  -- [wheel-sh] pre-2024 form: "gfx900;gfx906;gfx908;gfx90a;gfx1030;gfx1100",
  -- plus ";gfx942" when ROCm >= 6.0. Assumed for 2.1/2.2 (ROCm 5.6/5.7).
  r2_1 = { "gfx900", "gfx906", "gfx908", "gfx90a", "gfx1030", "gfx1100" },
  -- 2.3 .. 2.5 (ROCm 6.x): same + gfx942. Confirmed for 2.5.1 by [#132570].
  r2_3 = { "gfx900", "gfx906", "gfx908", "gfx90a", "gfx942", "gfx1030", "gfx1100" },
  -- 2.6: + gfx1101 ([PR 141667] "add gfx1101 to wheels", merged 2024-12-04,
  -- before the Dec 2024 2.6 branch cut).
  r2_6 = { "gfx900", "gfx906", "gfx908", "gfx90a", "gfx942", "gfx1030", "gfx1100",
           "gfx1101" },
  -- 2.7 .. 2.9: + gfx1102 ([PR 147761], 2025-02-24) + gfx1200/gfx1201
  -- ([PR 148562] "add gfx12 to nightly wheels", 2025-03-05; 2.7 cut Mar 2025).
  -- [wheel-sh] in that period: "gfx900;gfx906;gfx908;gfx90a;gfx942;gfx1030;
  -- gfx1100;gfx1101;gfx1102;gfx1200;gfx1201".
  r2_7 = { "gfx900", "gfx906", "gfx908", "gfx90a", "gfx942", "gfx1030", "gfx1100",
           "gfx1101", "gfx1102", "gfx1200", "gfx1201" },
  -- 2.10 .. 2.12 (ROCm 7.x): + gfx950, gfx1150, gfx1151 (added for ROCm >= 7.0,
  -- made unconditional by [PR 167299], 2025-11-07).
  r2_10 = { "gfx900", "gfx906", "gfx908", "gfx90a", "gfx942", "gfx950", "gfx1030",
            "gfx1100", "gfx1101", "gfx1102", "gfx1150", "gfx1151", "gfx1200", "gfx1201" },
  -- 2.13+ legacy-ROCm (7.1/7.2) images: + gfx1103 ([PR 179653] "Add gfx1103 to
  -- wheel build arch list", opened 2026-04-08, present in [wheel-sh] by
  -- 2026-07). Whether it made the 2.12 cut (2026-04-13) is not confirmed, so
  -- 2.12 is recorded without it (the 11.0.0 override still covers gfx1103).
  r2_13 = { "gfx900", "gfx906", "gfx908", "gfx90a", "gfx942", "gfx950", "gfx1030",
            "gfx1100", "gfx1101", "gfx1102", "gfx1103", "gfx1150", "gfx1151",
            "gfx1200", "gfx1201" },
  -- ROCm 7.14 (TheRock wheel-based) builds: [wheel-sh] common list only;
  -- "Legacy images also cover the older gfx900/gfx906 targets" - i.e. 7.14
  -- drops gfx900 and gfx906.
  r7_14 = { "gfx908", "gfx90a", "gfx942", "gfx950", "gfx1030", "gfx1100", "gfx1101",
            "gfx1102", "gfx1103", "gfx1150", "gfx1151", "gfx1200", "gfx1201" },
}

return {
  -- PyTorch wheel kernels: which (release line, rocm tag) ships which gfx.
  -- `tags = nil` means every ROCm tag of those releases.
  pytorch_wheels = {
    { releases = { "2.0" },                 gfx = L.r2_0,  approximate = true },
    { releases = { "2.1", "2.2" },          gfx = L.r2_1,  approximate = true },
    { releases = { "2.3", "2.4", "2.5" },   gfx = L.r2_3 },
    { releases = { "2.6" },                 gfx = L.r2_6 },
    { releases = { "2.7", "2.8", "2.9" },   gfx = L.r2_7 },
    { releases = { "2.10", "2.11", "2.12" }, gfx = L.r2_10 },
    { releases = { "2.13", "2.14" }, tags = { "rocm7.1", "rocm7.2" }, gfx = L.r2_13 },
    { releases = { "2.14" }, tags = { "rocm7.14" }, gfx = L.r7_14 },
  },

  -- Close targets that can run another target's code objects when the
  -- runtime is told to report that target. Use only when the wheel lacks the
  -- GPU's own target (choose.rocm_tag checks that first).
  overrides = {
    -- RDNA2 variants -> gfx1030. AMD staff on ROCm/Tensile issue 1907
    -- (gfx1036): "you could set HSA_OVERRIDE_GFX_VERSION=10.3.0 (since the
    -- ISA is identical to gfx1030) but this is not an official workaround".
    -- gfx1032 (RX 6600 XT, ROCm issues 1698/1797) and gfx1031 (RX 6700 XT,
    -- pytorch issue 132570 comments) are reported working with it.
    gfx1031 = { target = "gfx1030", env = { HSA_OVERRIDE_GFX_VERSION = "10.3.0" } },
    gfx1032 = { target = "gfx1030", env = { HSA_OVERRIDE_GFX_VERSION = "10.3.0" } },
    gfx1033 = { target = "gfx1030", env = { HSA_OVERRIDE_GFX_VERSION = "10.3.0" } },
    gfx1034 = { target = "gfx1030", env = { HSA_OVERRIDE_GFX_VERSION = "10.3.0" } },
    gfx1035 = { target = "gfx1030", env = { HSA_OVERRIDE_GFX_VERSION = "10.3.0" } },
    gfx1036 = { target = "gfx1030", env = { HSA_OVERRIDE_GFX_VERSION = "10.3.0" } },
    -- RDNA3 variants -> gfx1100 when the wheel lacks them
    -- (AUTOMATIC1111 issue 13806: HSA_OVERRIDE_GFX_VERSION=11.0.0 for RDNA3;
    -- PR 147761 groups gfx1100/1101/1102/1103/1150/1151 as "RDNA 3").
    gfx1101 = { target = "gfx1100", env = { HSA_OVERRIDE_GFX_VERSION = "11.0.0" } },
    gfx1102 = { target = "gfx1100", env = { HSA_OVERRIDE_GFX_VERSION = "11.0.0" } },
    gfx1103 = { target = "gfx1100", env = { HSA_OVERRIDE_GFX_VERSION = "11.0.0" } },
    gfx1150 = { target = "gfx1100", env = { HSA_OVERRIDE_GFX_VERSION = "11.0.0" },
                community_only = true },
    gfx1151 = { target = "gfx1100", env = { HSA_OVERRIDE_GFX_VERSION = "11.0.0" },
                community_only = true },
    -- Vega APUs -> gfx900. AMD staff on ROCm/rocBLAS issue 1398 (gfx90c):
    -- "Some people have had some success using ... HSA_OVERRIDE_GFX_VERSION=9.0.0
    -- ... although running your card with this isn't officially supported";
    -- gfx902 reported in xuhuisheng/rocm-build issue 19.
    gfx90c = { target = "gfx900", env = { HSA_OVERRIDE_GFX_VERSION = "9.0.0" },
               community_only = true },
    gfx902 = { target = "gfx900", env = { HSA_OVERRIDE_GFX_VERSION = "9.0.0" },
               community_only = true },
  },

  -- Targets for which no official PyTorch ROCm wheel has kernels and no
  -- override is known to work.
  unsupported = {
    gfx803 = {
      family = "GCN4 / Polaris (RX 470/480/570/580/590)",
      reason = "no supported ROCm build: AMD dropped official gfx803 (Polaris) "
        .. "support in ROCm 4.0; ROCm 3.5.1 was the last release reported to work "
        .. "correctly (ROCm 3.7+ broke rocBLAS on gfx803), and no official PyTorch "
        .. "ROCm wheel has shipped gfx803 kernels since",
      -- Sources: ROCm/legacy-rocm-build issue 1353 "AMD drop offical supporting
      -- for gfx803 on ROCm-4.0"; issue 1265 "ROCm-3.7+ broken on gfx803 ...
      -- Downgrade to ROCm-3.5.1"; xuhuisheng/rocm-build issue 8 "The offcial
      -- release of pytorch-1.8.1 didn't support gfx803"; CuPy v11 plan
      -- (cupy/cupy issue 6246): "ROCm 4.3 ... is the last version that runs on
      -- gfx80x".
      last_rocm_official = "3.x (support removed in 4.0)",
      last_rocm_working = "3.5.1",
    },
    gfx1010 = {
      family = "RDNA1 / Navi 10 (RX 5700 / 5700 XT)",
      reason = "no official PyTorch ROCm wheel ships gfx1010 kernels "
        .. "(roc-obj-ls on 2.5.1+rocm6.2 shows none) and no override target "
        .. "shares its ISA",
      -- Source: pytorch/pytorch issue 132570 comments.
    },
    gfx1011 = { family = "RDNA1 / Navi 12", reason = "no PyTorch ROCm wheel ships RDNA1 (gfx101x) kernels" },
    gfx1012 = { family = "RDNA1 / Navi 14 (RX 5500)", reason = "no PyTorch ROCm wheel ships RDNA1 (gfx101x) kernels" },
  },

  -- Official ROCm support (compute), for information only: ROCm/ROCm
  -- docs/compatibility/compatibility-matrix.rst, "GPU / LLVM target" row,
  -- ROCm 6.2.0 / 6.3.0 / 6.3.1: gfx1100, gfx1030, gfx942, gfx90a, gfx908.
  official_rocm_6_3 = { "gfx1100", "gfx1030", "gfx942", "gfx90a", "gfx908" },
}
