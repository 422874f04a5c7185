-- scripts/tables/frameworks.lua
--
-- How an accelerator tag maps to package specs and indexes, per framework.
--
-- Tags are grouped into families by choose.lua:
--   cu11x -> "cuda11", cu12x -> "cuda12", cu13x -> "cuda13",
--   rocm5.* -> "rocm5", rocm6.* -> "rocm6", rocm7.* -> "rocm7",
--   "xpu", "mps", "cpu", "directml".
-- PyTorch itself is resolved from tables/pytorch.lua (exact pins + index per
-- tag); the entries below cover the other frameworks.
--
-- Entry fields: packages (pip requirement strings), index_url (nil = PyPI),
-- extra_index_urls, min_driver (Linux NVIDIA driver, checked by choose.lua
-- when a driver version is supplied), min_cc (lowest CUDA compute
-- capability), os (restrict to these OSes), fallback = true when the entry is
-- a CPU stand-in rather than a GPU build, note, and what the default smoke
-- tests (lib/smoke_tests.lua) check: provider (the ONNX Runtime execution
-- provider that must run the model; provider_options for its session),
-- preload_dlls (ONNX Runtime loads the provider's libraries from their
-- wheels first), hip (a CuPy build for ROCm). Those tests fail when the
-- computation ran on the CPU while the entry is a GPU build.

return {
  cupy = {
    -- Sources: `pip index versions` on PyPI: cupy-cuda13x 13.6.0 .. 14.x,
    -- cupy-cuda11x up to 13.6.0 only, cupy-rocm-7-0 from 14.0.0.
    -- PyPI project page of cupy 13.6.0: "cupy-cuda13x (for CUDA
    -- 13.x), cupy-cuda12x (for CUDA 12.x), cupy-cuda11x (for CUDA 11.2 ~
    -- 11.x), cupy-rocm-5-0 (for ROCm 5.0), cupy-rocm-4-3 (for ROCm 4.3)".
    -- CuPy v14 upgrade guide (cupy/cupy PR 9485): "CUDA 11.x or earlier ...
    -- no longer supported", "ROCm 6.x or earlier ... (ROCm 7.0 or later is now
    -- required)", Python >= 3.10, NumPy >= 2.0; cupy-release-tools PR 465
    -- "Add cupy-rocm-7-0 package. ... Drop support for CUDA 11."
    -- The CUDA libraries CuPy loads (NVRTC, cuBLAS, cuFFT, cuRAND, cuSOLVER,
    -- cuSPARSE, the runtime) come from PyPI through the `ctk` extra, so a
    -- machine with only the driver works. PyPI METADATA (read from the
    -- wheels, 2026-12): cupy-cuda12x / cupy-cuda13x 14.0.0 .. 14.2.0:
    --   Provides-Extra: ctk
    --   Requires-Dist: cuda-toolkit[cublas,cudart,cufft,curand,cusolver,
    --     cusparse,nvrtc]==12.* (==13.* for cupy-cuda13x); extra == "ctk"
    -- and cuda-pathfinder, which finds those wheels' libraries; 13.6.0 (both
    -- packages) has no ctk extra. pip only warns about an unknown extra, so
    -- the floor >=14 keeps an older CuPy without the libraries out.
    cuda11 = { packages = { "cupy-cuda11x<14" },
               note = "CuPy 13 is the last series with CUDA 11 wheels (CUDA 11.2+); it has no ctk extra, "
                 .. "so NVRTC and cuBLAS must come from a CUDA 11 toolkit on the system" },
    cuda12 = { packages = { "cupy-cuda12x[ctk]>=14" },
               note = "the ctk extra installs CuPy's CUDA 12 libraries from PyPI (CuPy 14+)" },
    cuda13 = { packages = { "cupy-cuda13x[ctk]>=14" },
               note = "the ctk extra installs CuPy's CUDA 13 libraries from PyPI (CuPy 14+)" },
    rocm5  = { packages = { "cupy-rocm-5-0<14" }, hip = true,
               note = "experimental; built for ROCm 5.0; CuPy 13 is the last series with it" },
    rocm7  = { packages = { "cupy-rocm-7-0>=14" }, hip = true, note = "experimental ROCm support" },
    -- no rocm6 entry: CuPy never published a ROCm 6 wheel
    unsupported = {
      rocm6 = "CuPy publishes no ROCm 6 wheel (v13: rocm-4-3/rocm-5-0; v14: rocm-7-0 only)",
      xpu = "CuPy has no Intel GPU backend",
      mps = "CuPy has no Apple GPU backend",
      directml = "CuPy has no DirectML backend",
    },
    cpu = { packages = { "numpy" }, fallback = true, note = "CPU fallback: NumPy" },
  },

  jax = {
    -- Source: JAX installation docs (jax-ml/jax docs/installation.md):
    --   "JAX supports NVIDIA GPUs that have SM version 5.2 (Maxwell) or
    --   newer"; "the driver version must be >= 525.60.13 for CUDA 12 on
    --   Linux"; `pip install -U "jax[cuda12]"`; wheels Linux x86_64/aarch64
    --   only. Current docs: `pip install -U "jax[cuda13]"` for CUDA 13 and
    --   `pip install -U "jax[rocm7-local]"` for AMD (ROCm installed locally).
    -- PyPI metadata of jax 0.10.2: extras cuda12 / cuda13 / cuda12-local /
    -- cuda13-local / rocm7-local; jax-cuda12-plugin[with-cuda] requires
    -- nvidia-cuda-runtime-cu12>=12.1.105, jax-cuda13-plugin[with-cuda]
    -- nvidia-cuda-runtime>=13.0.48.
    -- The extras pull the plugin with its CUDA wheels (jax METADATA, 2026-12):
    -- jax 0.4.30, 0.4.38, 0.5.0, 0.6.2, 0.7.x, 0.8.0, 0.12.0.1 all have
    --   jax-cuda12-plugin[with-cuda]==<jax>; extra == "cuda12" ([with_cuda] in 0.4.x)
    -- and jax-cuda12-plugin 0.12.0.1 [with-cuda] requires nvidia-cublas-cu12,
    -- -cudnn-cu12>=9.10, -cuda-nvrtc-cu12, -nccl-cu12 ... (cuda13: nvidia-cublas,
    -- nvidia-cudnn-cu13 ...). The cuda13 extra first appears in jax 0.7.0 (not
    -- in 0.6.2). pip only warns about an unknown extra, so the floors keep an
    -- older jax, which would install CPU-only, out.
    cuda12 = { packages = { "jax[cuda12]>=0.4.30" }, min_driver = "525.60.13", min_cc = "5.2",
               os = { "linux" }, note = "jax[cuda12] installs jax-cuda12-plugin with its CUDA 12 libraries from PyPI" },
    -- CUDA 13: the driver floor is NVIDIA's 13.x minor-version floor and the
    -- cc floor is CUDA 13's lowest target (Turing); the JAX page text for
    -- these two numbers was not retrieved - inferred, see
    -- tables/nvidia_driver_cuda.lua.
    cuda13 = { packages = { "jax[cuda13]>=0.7" }, min_driver = "580.65.06", min_cc = "7.5",
               os = { "linux" }, note = "jax[cuda13] installs jax-cuda13-plugin with its CUDA 13 libraries from PyPI" },
    -- jax 0.12.0.1 METADATA: jax-rocm7-plugin==<jax>.*; extra == "rocm7-local"
    -- (the plugin without ROCm's libraries: "-local").
    rocm7  = { packages = { "jax[rocm7-local]" }, os = { "linux" },
               note = "jax-rocm7-plugin needs ROCm 7 installed on the system (JAX docs: AMD GPU)" },
    unsupported = {
      cuda11 = "current JAX ships no CUDA 11 wheels (only jax[cuda12] / jax[cuda13])",
      rocm5 = "JAX's pip ROCm install needs ROCm 7 (jax[rocm7-local])",
      rocm6 = "JAX's pip ROCm install needs ROCm 7 (jax[rocm7-local])",
      xpu = "JAX Intel GPU support is experimental and not pip-installable from PyPI",
      directml = "JAX has no DirectML backend",
    },
    -- JAX docs: Apple GPU via Apple's experimental Metal plugin - not selected
    -- automatically; CPU JAX instead.
    mps = { packages = { "jax" }, fallback = true,
            note = "Apple's jax-metal plugin is experimental; CPU JAX selected" },
    cpu = { packages = { "jax" }, fallback = true },
  },

  tensorflow = {
    -- Source: TensorFlow "Tested build configurations", Linux GPU table
    -- (tensorflow/docs site/en/install/source.md):
    --   2.18.0 cuDNN 9.3 CUDA 12.5 | 2.17.0 8.9/12.3 | 2.16.1 8.9/12.3 |
    --   2.15.0 8.9/12.2 | 2.14.0 8.7/11.8 | 2.13.0 8.6/11.8 | 2.12.0 8.6/11.8
    -- The `tensorflow[and-cuda]` extra exists from TF 2.14 (PyPI metadata of
    -- 2.14.0: nvidia-cuda-runtime-cu11==11.8.89; extra == 'and-cuda'). Native
    -- Windows GPU builds ended with TF 2.10 (TF install docs; not re-fetched).
    tested_cuda = {
      -- 2.19 / 2.21: PyPI metadata of the `and-cuda` extra
      -- (2.19.0: nvidia-cuda-runtime-cu12==12.5.82, nvidia-cudnn-cu12==9.3.0.75;
      --  2.21.0: nvidia-cuda-runtime-cu12>=12.5.82,<13.0, cudnn-cu12>=9.3.0.75,<10)
      { tf = "2.21.0", cuda = "12.5", cudnn = "9.3" },
      { tf = "2.19.0", cuda = "12.5", cudnn = "9.3" },
      { tf = "2.18.0", cuda = "12.5", cudnn = "9.3", python = "3.9-3.12" },
      { tf = "2.17.0", cuda = "12.3", cudnn = "8.9", python = "3.9-3.12" },
      { tf = "2.16.1", cuda = "12.3", cudnn = "8.9", python = "3.9-3.12" },
      { tf = "2.15.0", cuda = "12.2", cudnn = "8.9", python = "3.9-3.11" },
      { tf = "2.14.0", cuda = "11.8", cudnn = "8.7", python = "3.9-3.11" },
    },
    -- CUDA 12 builds run on any CUDA 12-capable driver (minor compat), and
    -- on 13.x drivers by backward compatibility, so cuda13 maps to the same.
    cuda12 = { packages = { "tensorflow[and-cuda]" }, min_driver = "525.60.13", os = { "linux" } },
    cuda13 = { packages = { "tensorflow[and-cuda]" }, min_driver = "525.60.13", os = { "linux" } },
    -- A CUDA 11-only driver: the last release built against CUDA 11.8.
    cuda11 = { packages = { "tensorflow[and-cuda]==2.14.*" }, min_driver = "450.80.02",
               os = { "linux" }, note = "TF 2.14 is the last release tested with CUDA 11.8" },
    unsupported = {
      rocm5 = "AMD's tensorflow-rocm builds are not on the default index; not covered",
      rocm6 = "AMD's tensorflow-rocm builds are not on the default index; not covered",
      rocm7 = "AMD's tensorflow-rocm builds are not on the default index; not covered",
      directml = "TensorFlow-DirectML is not covered",
    },
    xpu = { packages = { "tensorflow-cpu" }, fallback = true,
            note = "no upstream Intel GPU build; CPU TensorFlow" },
    mps = { packages = { "tensorflow" }, fallback = true,
            note = "the macOS arm64 wheel is CPU-only unless Apple's tensorflow-metal plugin is added" },
    cpu = { packages = { "tensorflow-cpu" }, fallback = true,
            note = "on macOS use plain `tensorflow`" },
  },

  onnxruntime = {
    -- Source: ONNX Runtime docs "CUDA Execution Provider - Requirements":
    --   "Starting with version 1.19, CUDA 12.x becomes the default version when
    --   distributing ONNX Runtime GPU packages in PyPI"; "ONNX Runtime built
    --   with CUDA 12.x are compatible with any CUDA 12.x version"; cuDNN 9 for
    --   1.19+. CUDA 11.8 builds come from the Azure feed below (URL as used in
    --   ONNX Runtime's install instructions / onnxruntime-genai docs).
    --   CUDA 13 builds were published to the "ort-cuda-13-nightly" feed for
    --   1.24 release candidates (microsoft/onnxruntime issues 27130, 27502).
    --   ROCm: "ROCm Execution Provider was removed from ONNX Runtime in version
    --   1.23" (ROCm EP docs note); AMD ships MIGraphX builds on
    --   repo.radeon.com/rocm/manylinux (onnxruntime PR 23480), and PyPI has
    --   onnxruntime-migraphx since 1.23.0 (see rocm7 below).
    --   PyPI switched the onnxruntime-gpu build to CUDA 13 with 1.27.0:
    --   metadata of the "cuda" extra - 1.19 .. 1.26.0: nvidia-cuda-runtime-cu12
    --   ~=12.0; 1.27.0: nvidia-cuda-runtime-cu13~=13.0; 1.31.1:
    --   nvidia-cuda-runtime~=13.0, nvidia-cudnn-cu13~=9.0.
    --   The provider's libraries from PyPI, per version (wheel METADATA,
    --   2026-12): 1.18.1, 1.19.0, 1.20.0 have no extras; 1.21.0 .. 1.26.0:
    --     Provides-Extra: cuda  (nvidia-cuda-nvrtc-cu12, -cuda-runtime-cu12,
    --                            -cufft-cu12, -curand-cu12 ~=12/11/10)
    --     Provides-Extra: cudnn (nvidia-cudnn-cu12~=9.0, which pulls cuBLAS)
    --   1.27.0: the same extras with the -cu13 packages; 1.31.1: cuda / cudnn
    --   with nvidia-cuda-runtime~=13.0, nvidia-cudnn-cu13~=9.0. Hence the
    --   floor 1.21 for CUDA 12 (pip only warns about an unknown extra).
    --   ONNX Runtime's CUDA EP docs ("Preload DLLs", 1.21+): the package loads
    --   those wheels' libraries with onnxruntime.preload_dlls(); the smoke test
    --   calls it.
    cuda12 = { packages = { "onnxruntime-gpu[cuda,cudnn]>=1.21,<1.27" }, min_driver = "525.60.13",
               provider = "CUDAExecutionProvider", preload_dlls = true,
               note = "onnxruntime-gpu 1.21-1.26 on PyPI are CUDA 12 + cuDNN 9 builds; the cuda and cudnn "
                 .. "extras install the provider's libraries from PyPI" },
    cuda13 = { packages = { "onnxruntime-gpu[cuda,cudnn]>=1.27" }, min_driver = "580.65.06",
               provider = "CUDAExecutionProvider", preload_dlls = true,
               note = "onnxruntime-gpu 1.27+ on PyPI are CUDA 13 builds; the cuda and cudnn extras install "
                 .. "the provider's libraries from PyPI" },
    cuda11 = { packages = { "onnxruntime-gpu" },
               index_url = "https://aiinfra.pkgs.visualstudio.com/PublicPackages/_packaging/onnxruntime-cuda-11/pypi/simple/",
               min_driver = "450.80.02", provider = "CUDAExecutionProvider",
               note = "the CUDA 11.8 feed's builds have no library extras: CUDA 11.8 and cuDNN come from the system" },
    -- PyPI project onnxruntime-directml (Windows-only wheels, any DirectX 12
    -- GPU); not checkable from the Linux research machine.
    directml = { packages = { "onnxruntime-directml" }, os = { "windows" }, provider = "DmlExecutionProvider" },
    -- PyPI project onnxruntime-openvino (Intel): `pip index versions` lists
    -- 1.17.1 .. 1.24.1 (Linux). Intel GPU support through OpenVINO is not
    -- re-verified here.
    -- OpenVINO's default device is the CPU: the session asks for its GPU.
    xpu = { packages = { "onnxruntime-openvino" },
            provider = "OpenVINOExecutionProvider", provider_options = { device_type = "GPU" },
            note = "OpenVINO execution provider on the Intel GPU (not re-verified on a device here)" },
    -- ROCm on PyPI (checked 2026-12): onnxruntime-migraphx 1.23.0 .. 1.27.1
    -- (Microsoft; cp310-cp314, manylinux_2_34/2_35 x86_64), no dependency on
    -- any ROCm wheel; readelf -d of libonnxruntime_providers_migraphx.so in
    -- 1.23.0, 1.25.0, 1.27.0, 1.27.1: NEEDED libmigraphx_c.so.3 and
    -- libamdhip64.so.7, i.e. ROCm 7 with MIGraphX installed on the system.
    -- onnxruntime-rocm 1.22.x (the removed ROCm EP) links libamdhip64.so.7 too.
    -- No PyPI build serves ROCm 5 or 6, and none brings ROCm's libraries.
    rocm7 = { packages = { "onnxruntime-migraphx" }, os = { "linux" },
              provider = "MIGraphXExecutionProvider",
              note = "onnxruntime-migraphx needs ROCm 7 with MIGraphX installed on the system "
                .. "(libmigraphx_c.so.3, libamdhip64.so.7); pip cannot install them" },
    unsupported = {
      rocm5 = "PyPI's ROCm builds of ONNX Runtime (onnxruntime-migraphx 1.23+, onnxruntime-rocm 1.22) need ROCm 7",
      rocm6 = "PyPI's ROCm builds of ONNX Runtime (onnxruntime-migraphx 1.23+, onnxruntime-rocm 1.22) need ROCm 7",
    },
    mps = { packages = { "onnxruntime" }, fallback = true,
            note = "plain PyPI onnxruntime on the CPU (CoreML EP availability not re-verified here)" },
    cpu = { packages = { "onnxruntime" }, fallback = true },
  },

  numpy = {
    cpu = { packages = { "numpy" } },
  },
}
