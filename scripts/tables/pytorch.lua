-- scripts/tables/pytorch.lua
--
-- PyTorch release lines 2.0 .. 2.15: companion package versions, Python range,
-- accelerator tags published on download.pytorch.org, and - per CUDA tag - the
-- compute capabilities the Linux x86_64 / Windows wheels carry kernels for.
--
-- Sources used throughout (cited per value below by short name):
--   [RELEASE.md]   pytorch/pytorch RELEASE.md "Release Compatibility Matrix"
--                  (Python range, stable/experimental CUDA, stable ROCm per
--                  line) and "PyTorch CUDA Support Matrix" (architectures per
--                  CUDA version for 2.9 .. 2.14).
--   [prev]         pytorch.org "Get Started / Previous PyTorch Versions"
--                  (pytorch/pytorch.github.io _get_started/previous-versions.md)
--                  - pip commands with exact torch/torchvision/torchaudio pins
--                  and the index URL per tag.
--   [build_cuda]   TORCH_CUDA_ARCH_LIST in the wheel build script:
--                  pytorch/builder manywheel/build_cuda.sh (<= 2.5) and
--                  pytorch/pytorch .ci/manywheel/build_cuda.sh (>= 2.6).
--   [arch-tbl]     moi90/pytorch_compute_capabilities table.md (sm_XX found in
--                  the shipped binaries; cross-check for 2.0 .. 2.7).
--   [#182250]      pytorch/pytorch issue 182250: torch.cuda.get_arch_list() of
--                  2.11.0+cu126, 2.11.0+cu128 and 2.10.0+cu128.
--   [pypi-meta]    the torch wheel's own metadata on PyPI (Requires-Dist
--                  nvidia-cuda-runtime-cuXX==... or cuda-toolkit[...]==...),
--                  read with `pip install --dry-run --no-deps --report`; it
--                  shows which CUDA the default PyPI build uses.
--   [colab-N]      googlecolab/colabtools issue N, the PyTorch release
--                  manager's "Upgrading PyTorch vX" note ("This should install
--                  ... Cuda X full release" = the default PyPI build).
-- PyTorch 2.0 .. 2.14 are covered; 2.15 is recorded from PyPI metadata and
-- the 2.15 CUDA RFC only (see that entry).
--
-- Notes on the data model:
--   * sm = SASS (cubin) targets. A GPU of compute capability M.m can run a
--     cubin built for M.k with k <= m (same major); e.g. sm_60 covers a GTX
--     1080 (6.1) and sm_86 covers Ada (8.9). ptx = PTX embedded for those
--     targets ("+PTX"), which the driver can JIT for any *newer* GPU.
--   * Lists are for Linux x86_64 and Windows (RELEASE.md states both use the
--     same list). Linux aarch64 wheels use much shorter lists (8.0/9.0/...).
--   * pypi_default = the CUDA build you get from plain `pip install torch` on
--     Linux x86_64.
--   * experimental = true: listed under "Experimental CUDA" for that line in
--     [RELEASE.md] (published and installable; just less CI coverage).
--   * select = false marks a tag that exists but that automatic selection must
--     not pick (unofficial, or its arch list is unknown).
--   * Each line records its newest patch release; `patches` lists all.

local ARCH = {
  -- [build_cuda] pytorch/builder (2.0 era): base "3.7;5.0;6.0;7.0", 11.[67]
  -- appends "7.5;8.0;8.6". [arch-tbl] 2.0.x cuda11.7: sm_37 .. sm_86.
  cu117_2_0 = { "3.7", "5.0", "6.0", "7.0", "7.5", "8.0", "8.6" },
  -- [build_cuda] 11.8: base + "7.5;8.0;8.6;9.0" (2.0) and later
  -- "${LIST};3.7;9.0" with LIST="5.0;6.0;7.0;7.5;8.0;8.6" (2.4/2.6 era).
  -- [arch-tbl] 2.0.1 .. 2.7.0 cuda11.8: sm_37 .. sm_90.
  cu118 = { "3.7", "5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0" },
  -- [build_cuda] 12.1 / 12.4 / 12.6: "5.0;6.0;7.0;7.5;8.0;8.6" + "9.0".
  -- [RELEASE.md] 12.6.3 (2.9 .. 2.14): Maxwell(5.0), Pascal(6.0), Volta(7.0),
  -- Turing(7.5), Ampere(8.0, 8.6), Hopper(9.0). [#182250] 2.11.0+cu126 idem.
  -- (One builder snapshot shows "9.0+PTX" for 12.4; not confirmed for a
  -- release, so no PTX is recorded.)
  cu12_legacy = { "5.0", "6.0", "7.0", "7.5", "8.0", "8.6", "9.0" },
  -- 2.7 cu128: [arch-tbl] pytorch-2.7.0 cuda12.8: sm_75 sm_80 sm_86 sm_90
  -- sm_100 sm_120 (PTX is not listed by that tool); a third-party test
  -- fixture transcribing build_cuda.sh at v2.7.0 gives
  -- "7.5;8.0;8.6;9.0;10.0;12.0+PTX" (Maxwell/Pascal/Volta dropped for 12.8).
  cu128_2_7 = { "7.5", "8.0", "8.6", "9.0", "10.0", "12.0" },
  -- 2.8 .. 2.10 cu128/cu129: [build_cuda] 12.8 "7.0;7.5;8.0;8.6;9.0;10.0;12.0",
  -- 12.9 same with "12.0+PTX"; comment in the script: "removing sm_50-sm_60 as
  -- these architectures are deprecated in CUDA 12.8/9 ... however we would
  -- like to keep sm_70" (pytorch/pytorch issue 157517).
  -- [RELEASE.md] "For Release 2.9 and 2.10": 12.8.1 Volta(7.0) .. Blackwell
  -- (10.0, 12.0). [#182250] 2.10.0+cu128 = sm_70 .. sm_120.
  cu128_2_8 = { "7.0", "7.5", "8.0", "8.6", "9.0", "10.0", "12.0" },
  -- 2.11 cu128: [RELEASE.md] "For Release 2.11": 12.8.1 Turing(7.5) .. ;
  -- Volta dropped (pytorch/pytorch issue 172352). [#182250] 2.11.0+cu128 =
  -- sm_75 sm_80 sm_86 sm_90 sm_100 sm_120.
  cu128_2_11 = { "7.5", "8.0", "8.6", "9.0", "10.0", "12.0" },
  -- cu130 (2.9+) and cu132 (2.12+): [RELEASE.md] Turing(7.5), Ampere(8.0,
  -- 8.6), Hopper(9.0), Blackwell(10.0, 12.0+PTX) "+PTX available on linux
  -- builds only"; [build_cuda] 13.0 "7.5;8.0;8.6;9.0;10.0;12.0+PTX".
  cu13 = { "7.5", "8.0", "8.6", "9.0", "10.0", "12.0" },
}

local URL = "https://download.pytorch.org/whl/%s"

return {
  index_url_pattern = URL,     -- string.format(index_url_pattern, tag)
  pypi_index = "https://pypi.org/simple",

  releases = {
    {
      line = "2.0", torch = "2.0.1", torchvision = "0.15.2", torchaudio = "2.0.2",
      patches = { "2.0.0", "2.0.1" },
      -- 2.0.0 wheels paired torchvision 0.15.1 / torchaudio 2.0.1 [prev]
      python = { min = "3.8", max = "3.11" },                     -- [RELEASE.md]
      -- [prev] "Linux CUDA 11.7: pip install torch==2.0.1"; [pypi-meta] 2.0.1:
      -- nvidia-cuda-runtime-cu11==11.7.99
      pypi_default = "cu117",
      cuda = {
        { tag = "cu117", cuda = "11.7", sm = ARCH.cu117_2_0, ptx = {} },
        { tag = "cu118", experimental = true, cuda = "11.8", sm = ARCH.cu118, ptx = {} },
      },
      rocm = { "rocm5.4.2" },                                      -- [prev]
      xpu = false,
    },
    {
      line = "2.1", torch = "2.1.2", torchvision = "0.16.2", torchaudio = "2.1.2",
      patches = { "2.1.0", "2.1.1", "2.1.2" },
      python = { min = "3.8", max = "3.11" },                     -- [RELEASE.md]
      -- [pypi-meta] 2.1.2: nvidia-cuda-runtime-cu12==12.1.105
      pypi_default = "cu121",
      cuda = {
        { tag = "cu118", cuda = "11.8", sm = ARCH.cu118, ptx = {} },
        { tag = "cu121", experimental = true, cuda = "12.1", sm = ARCH.cu12_legacy, ptx = {} },
      },
      rocm = { "rocm5.6" },                                        -- [prev]
      xpu = false,
    },
    {
      line = "2.2", torch = "2.2.2", torchvision = "0.17.2", torchaudio = "2.2.2",
      patches = { "2.2.0", "2.2.1", "2.2.2" },
      -- [RELEASE.md] ">=3.8, <=3.11, (3.12 experimental)"
      python = { min = "3.8", max = "3.11", max_experimental = "3.12" },
      -- [pypi-meta] 2.2.2: nvidia-cuda-runtime-cu12==12.1.105 (PR
      -- pytorch/pytorch#114281 "Move small pypi build as default for linux
      -- cuda 12.1")
      pypi_default = "cu121",
      cuda = {
        { tag = "cu118", cuda = "11.8", sm = ARCH.cu118, ptx = {} },
        { tag = "cu121", experimental = true, cuda = "12.1", sm = ARCH.cu12_legacy, ptx = {} },
      },
      -- [prev] 2.2.1/2.2.2 -> rocm5.7 (2.2.0 used rocm5.6)
      rocm = { "rocm5.7" },
      xpu = false,
    },
    {
      line = "2.3", torch = "2.3.1", torchvision = "0.18.1", torchaudio = "2.3.1",
      patches = { "2.3.0", "2.3.1" },
      python = { min = "3.8", max = "3.11", max_experimental = "3.12" }, -- [RELEASE.md]
      pypi_default = "cu121",   -- [pypi-meta] 2.3.1: nvidia-cuda-runtime-cu12==12.1.105
      cuda = {
        { tag = "cu118", cuda = "11.8", sm = ARCH.cu118, ptx = {} },
        { tag = "cu121", experimental = true, cuda = "12.1", sm = ARCH.cu12_legacy, ptx = {} },
      },
      rocm = { "rocm6.0" },                                        -- [prev]
      xpu = false,
    },
    {
      line = "2.4", torch = "2.4.1", torchvision = "0.19.1", torchaudio = "2.4.1",
      patches = { "2.4.0", "2.4.1" },
      python = { min = "3.8", max = "3.12" },                     -- [RELEASE.md]
      -- [pypi-meta] 2.4.1: nvidia-cuda-runtime-cu12==12.1.105
      pypi_default = "cu121",
      cuda = {
        { tag = "cu118", cuda = "11.8", sm = ARCH.cu118, ptx = {} },
        { tag = "cu121", cuda = "12.1", sm = ARCH.cu12_legacy, ptx = {} },
        { tag = "cu124", experimental = true, cuda = "12.4", sm = ARCH.cu12_legacy, ptx = {} },
      },
      rocm = { "rocm6.1" },                                        -- [prev]
      xpu = false,
    },
    {
      line = "2.5", torch = "2.5.1", torchvision = "0.20.1", torchaudio = "2.5.1",
      patches = { "2.5.0", "2.5.1" },
      python = { min = "3.9", max = "3.12", max_experimental = "3.13" }, -- [RELEASE.md]
      pypi_default = "cu124",   -- [pypi-meta] 2.5.1: nvidia-cuda-runtime-cu12==12.4.127
      cuda = {
        { tag = "cu118", cuda = "11.8", sm = ARCH.cu118, ptx = {} },
        { tag = "cu121", cuda = "12.1", sm = ARCH.cu12_legacy, ptx = {} },
        { tag = "cu124", cuda = "12.4", sm = ARCH.cu12_legacy, ptx = {} },
      },
      rocm = { "rocm6.1", "rocm6.2" },                             -- [prev]
      -- PyTorch docs 2.5 "Getting Started on Intel GPU": release wheels at
      -- https://download.pytorch.org/whl/xpu
      xpu = true,
    },
    {
      line = "2.6", torch = "2.6.0", torchvision = "0.21.0", torchaudio = "2.6.0",
      patches = { "2.6.0" },
      python = { min = "3.9", max = "3.13" },                     -- [RELEASE.md]
      pypi_default = "cu124",   -- [pypi-meta] 2.6.0: nvidia-cuda-runtime-cu12==12.4.127
      cuda = {
        { tag = "cu118", cuda = "11.8", sm = ARCH.cu118, ptx = {} },
        { tag = "cu124", cuda = "12.4", sm = ARCH.cu12_legacy, ptx = {} }, -- [arch-tbl] 2.6.0 cuda12.4
        { tag = "cu126", experimental = true, cuda = "12.6", sm = ARCH.cu12_legacy, ptx = {} }, -- [arch-tbl] 2.6.0 cuda12.6
      },
      rocm = { "rocm6.1", "rocm6.2.4" },                           -- [prev]
      xpu = true,
    },
    {
      line = "2.7", torch = "2.7.1", torchvision = "0.22.1", torchaudio = "2.7.1",
      patches = { "2.7.0", "2.7.1" },
      python = { min = "3.9", max = "3.13" },                     -- [RELEASE.md]
      -- [colab-5296] "should install ... Cuda 12.6"; [pypi-meta] 2.7.1:
      -- nvidia-cuda-runtime-cu12==12.6.77
      pypi_default = "cu126",
      cuda = {
        { tag = "cu118", cuda = "11.8", sm = ARCH.cu118, ptx = {} },
        { tag = "cu126", cuda = "12.6", sm = ARCH.cu12_legacy, ptx = {} },
        { tag = "cu128", experimental = true, cuda = "12.8", sm = ARCH.cu128_2_7, ptx = { "12.0" } },
      },
      rocm = { "rocm6.3" },                                        -- [prev]
      xpu = true,
    },
    {
      line = "2.8", torch = "2.8.0", torchvision = "0.23.0", torchaudio = "2.8.0",
      patches = { "2.8.0" },
      python = { min = "3.9", max = "3.13" },                     -- [RELEASE.md]
      -- [pypi-meta] 2.8.0: nvidia-cuda-runtime-cu12==12.8.90
      pypi_default = "cu128",
      cuda = {
        { tag = "cu126", cuda = "12.6", sm = ARCH.cu12_legacy, ptx = {} },
        { tag = "cu128", cuda = "12.8", sm = ARCH.cu128_2_8, ptx = {} },
        { tag = "cu129", experimental = true, cuda = "12.9", sm = ARCH.cu128_2_8, ptx = { "12.0" } },
      },
      -- [prev] lists only ROCM 6.4 (= RELEASE.md stable ROCm). rocm6.3 from a
      -- third-party release summary (michaelbommarito.com "pytorch 2.8
      -- release": "rocm: 6.3, 6.4"); not confirmed on pytorch.org.
      rocm = { "rocm6.3", "rocm6.4" },
      xpu = true,
    },
    {
      line = "2.9", torch = "2.9.1", torchvision = "0.24.1", torchaudio = "2.9.1",
      patches = { "2.9.0", "2.9.1" },
      python = { min = "3.10", max = "3.14" },                    -- [RELEASE.md]
      pypi_default = "cu128",   -- [colab-5661]; [pypi-meta] 2.9.1: nvidia-cuda-runtime-cu12==12.8.90
      cuda = {
        { tag = "cu126", cuda = "12.6", sm = ARCH.cu12_legacy, ptx = {} },
        { tag = "cu128", cuda = "12.8", sm = ARCH.cu128_2_8, ptx = {} },
        -- torch-2.9.0+cu129 wheels exist on the index (Linux and Windows)
        -- although 12.9 is not in 2.9's official matrix (dev-discuss "Addition
        -- of CUDA 13.0 nightly builds and deprecation CUDA 12.9 builds");
        -- 2.9.1 has none. Not auto-selected.
        { tag = "cu129", cuda = "12.9", sm = ARCH.cu128_2_8, ptx = { "12.0" },
          select = false,
          -- 2.9.0 pins: [colab-5661] torch 2.9.0 / torchvision 0.24.0 / torchaudio 2.9.0
          pins = { torch = "2.9.0", torchvision = "0.24.0", torchaudio = "2.9.0" } },
        { tag = "cu130", experimental = true, cuda = "13.0", sm = ARCH.cu13, ptx = { "12.0" } },
      },
      -- RELEASE.md stable ROCm 6.4; rocm6.3 from a third-party release summary
      -- (michaelbommarito.com "pytorch 2.9 release": "rocm: 6.3, 6.4").
      rocm = { "rocm6.3", "rocm6.4" },
      xpu = true,
    },
    {
      line = "2.10", torch = "2.10.0", torchvision = "0.25.0", torchaudio = "2.10.0",
      patches = { "2.10.0" },
      python = { min = "3.10", max = "3.14" },                    -- [RELEASE.md]
      pypi_default = "cu128",   -- [colab-5801]; [pypi-meta] 2.10.0: nvidia-cuda-runtime-cu12==12.8.90
      cuda = {
        { tag = "cu126", cuda = "12.6", sm = ARCH.cu12_legacy, ptx = {} },
        { tag = "cu128", cuda = "12.8", sm = ARCH.cu128_2_8, ptx = {} },
        { tag = "cu130", experimental = true, cuda = "13.0", sm = ARCH.cu13, ptx = { "12.0" } },
      },
      rocm = { "rocm7.1" },                                        -- [RELEASE.md] stable ROCm 7.1
      xpu = true,
    },
    {
      line = "2.11", torch = "2.11.0", torchvision = "0.26.0", torchaudio = "2.11.0",
      patches = { "2.11.0" },
      python = { min = "3.10", max = "3.14" },                    -- [RELEASE.md]
      pypi_default = "cu130",   -- [colab-5925]; [pypi-meta] 2.11.0: cuda-toolkit[...]==13.0.2
      cuda = {
        { tag = "cu126", cuda = "12.6", sm = ARCH.cu12_legacy, ptx = {} },
        { tag = "cu128", cuda = "12.8", sm = ARCH.cu128_2_11, ptx = {} },
        -- PTX for 12.0 was questioned when 13.0 became the PyPI build
        -- (PR pytorch/pytorch#175253 review), so none is recorded for 2.11.
        { tag = "cu130", cuda = "13.0", sm = ARCH.cu13, ptx = {} },
      },
      rocm = { "rocm7.2" },                                        -- [RELEASE.md] stable ROCm 7.2
      xpu = true,
    },
    {
      line = "2.12", torch = "2.12.1", torchvision = "0.27.1", torchaudio = nil,
      patches = { "2.12.0", "2.12.1" },
      -- torchaudio: 2.11.0 is the last release; pytorch/audio PR 4212
      -- "torchaudio 2.11 supports torch>=2.11"; no cu132 build (pytorch/audio
      -- issue 4194). Left out of the pins on purpose.
      torchaudio_note = "torchaudio 2.11.0 (declares torch>=2.11) is the newest release; none for cu132",
      python = { min = "3.10", max = "3.14" },                    -- [RELEASE.md]
      pypi_default = "cu130",   -- [colab-5982]; [pypi-meta] 2.12.1: cuda-toolkit[...]==13.0.2
      cuda = {
        -- CUDA 12.8 removed in 2.12 (issue 178665; [colab-5982] "we have
        -- removed cu 12.8 builds").
        { tag = "cu126", cuda = "12.6", sm = ARCH.cu12_legacy, ptx = {} },
        { tag = "cu130", cuda = "13.0", sm = ARCH.cu13, ptx = { "12.0" } },
        { tag = "cu132", experimental = true, cuda = "13.2", sm = ARCH.cu13, ptx = { "12.0" } },
      },
      rocm = { "rocm7.2" },                                        -- [RELEASE.md] stable ROCm 7.2
      xpu = true,
    },
    {
      line = "2.13", torch = "2.13.0", torchvision = "0.28.0", torchaudio = nil,
      patches = { "2.13.0" },
      torchaudio_note = "torchaudio 2.11.0 (declares torch>=2.11) is the newest release; none for cu132",
      -- [RELEASE.md] says "<= (3.15, 3.15t experimental)"; [colab-6053] says
      -- "Python 3.10-Python 3.14". The tested range is recorded.
      python = { min = "3.10", max = "3.14", max_experimental = "3.15" },
      pypi_default = "cu130",   -- [colab-6053]; [pypi-meta] 2.13.0: cuda-toolkit[...]==13.0.3
      cuda = {
        { tag = "cu126", cuda = "12.6", sm = ARCH.cu12_legacy, ptx = {} },
        -- [colab-6053]: "Release 2.13.0 you have an option to use cuda 12.9
        -- builds" (.../whl/cu129). Its arch list is not published in
        -- RELEASE.md, so it is recorded but never auto-selected.
        { tag = "cu129", cuda = "12.9", sm = nil, ptx = nil, select = false },
        { tag = "cu130", cuda = "13.0", sm = ARCH.cu13, ptx = { "12.0" } },
        { tag = "cu132", experimental = true, cuda = "13.2", sm = ARCH.cu13, ptx = { "12.0" } },
      },
      -- pytorch.github.io quick-start for 2.13.0: ROCm 7.2 (as mirrored by
      -- PyTorchKR/pytorch.kr PR 102); RELEASE.md stable ROCm 7.2.
      rocm = { "rocm7.2" },
      xpu = true,
    },
    {
      -- 2.14.0 pairs with torchvision 0.29.0 [colab-6093]; for 2.14.1 the
      -- PyPI metadata of torchvision 0.29.1 declares "torch (>=2.14.0)".
      line = "2.14", torch = "2.14.1", torchvision = "0.29.1", torchaudio = nil,
      patches = { "2.14.0", "2.14.1" },
      torchaudio_note = "no torchaudio release verified for 2.14 (torchaudio is in maintenance mode)",
      python = { min = "3.10", max = "3.14", max_experimental = "3.15" }, -- [colab-6093] / [RELEASE.md]
      -- [colab-6093]: "CUDA 13.0 remains the default" (the RFC, issue 190355,
      -- had planned 13.2); [pypi-meta] 2.14.1: cuda-toolkit[...]==13.0.3
      pypi_default = "cu130",
      cuda = {
        { tag = "cu126", cuda = "12.6", sm = ARCH.cu12_legacy, ptx = {} },
        { tag = "cu130", cuda = "13.0", sm = ARCH.cu13, ptx = { "12.0" } },
        { tag = "cu132", cuda = "13.2", sm = ARCH.cu13, ptx = { "12.0" } },
      },
      rocm = { "rocm7.14" },                                       -- [RELEASE.md] stable ROCm 7.14
      xpu = true,
    },
    {
      -- 2.15: only partly sourced. torch 2.15.0 is on PyPI; [pypi-meta]
      -- 2.15.0: cuda-toolkit[...]==13.2.2 (so the PyPI build is CUDA 13.2),
      -- Requires-Python ">=3.11", classifiers up to 3.15. The tag set follows
      -- the RFC (pytorch/pytorch issue 190385, "CUDA support matrix for
      -- Release 2.15 - deprecate CUDA 12.6"): CUDA 13.2 default/PyPI, CUDA
      -- 13.0 kept on download.pytorch.org, CUDA 12.6 removed (so Maxwell,
      -- Pascal and Volta end with 2.14). cu130 is not confirmed as shipped,
      -- hence not auto-selected. ROCm and xpu tags for 2.15 were not found;
      -- they are left empty so AMD/Intel devices resolve to 2.14.
      -- torchvision: PyPI has no 0.30 yet; torchvision 0.29.x declares
      -- "torch (>=2.14.0)", so no pin is recorded.
      line = "2.15", torch = "2.15.0", torchvision = nil, torchaudio = nil,
      patches = { "2.15.0" },
      partial = true,
      torchaudio_note = "no torchaudio release for 2.15 (torchaudio is in maintenance mode; 2.11.0 is the newest on PyPI)",
      torchvision_note = "torchvision 0.29.x (declares torch>=2.14.0) is the newest on PyPI; pairing with 2.15 not confirmed",
      python = { min = "3.11", max = "3.15" },
      pypi_default = "cu132",
      cuda = {
        { tag = "cu130", cuda = "13.0", sm = ARCH.cu13, ptx = { "12.0" }, select = false },
        { tag = "cu132", cuda = "13.2", sm = ARCH.cu13, ptx = { "12.0" } },
      },
      rocm = {},
      xpu = false,
    },
  },
}
