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
-- a CPU stand-in rather than a GPU build, note.

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
    cuda11 = { packages = { "cupy-cuda11x<14" },
               note = "CuPy 13 is the last series with CUDA 11 wheels (CUDA 11.2+)" },
    cuda12 = { packages = { "cupy-cuda12x" } },
    cuda13 = { packages = { "cupy-cuda13x" },
               note = "cupy-cuda13x first appears with CuPy 13.6" },
    rocm5  = { packages = { "cupy-rocm-5-0<14" },
               note = "experimental; built for ROCm 5.0; CuPy 13 is the last series with it" },
    rocm7  = { packages = { "cupy-rocm-7-0>=14" }, note = "experimental ROCm support" },
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
    cuda12 = { packages = { "jax[cuda12]" }, min_driver = "525.60.13", min_cc = "5.2",
               os = { "linux" } },
    -- CUDA 13: the driver floor is NVIDIA's 13.x minor-version floor and the
    -- cc floor is CUDA 13's lowest target (Turing); the JAX page text for
    -- these two numbers was not retrieved - inferred, see
    -- tables/nvidia_driver_cuda.lua.
    cuda13 = { packages = { "jax[cuda13]" }, min_driver = "580.65.06", min_cc = "7.5",
               os = { "linux" } },
    rocm7  = { packages = { "jax[rocm7-local]" }, os = { "linux" },
               note = "needs ROCm 7 installed on the system (JAX docs: AMD GPU)" },
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
    --   repo.radeon.com/rocm/manylinux (onnxruntime PR 23480), not PyPI.
    --   PyPI switched the onnxruntime-gpu build to CUDA 13 with 1.27.0:
    --   metadata of the "cuda" extra - 1.19 .. 1.26.0: nvidia-cuda-runtime-cu12
    --   ~=12.0; 1.27.0: nvidia-cuda-runtime-cu13~=13.0; 1.31.1:
    --   nvidia-cuda-runtime~=13.0, nvidia-cudnn-cu13~=9.0.
    cuda12 = { packages = { "onnxruntime-gpu>=1.19,<1.27" }, min_driver = "525.60.13",
               note = "onnxruntime-gpu 1.19-1.26 on PyPI are CUDA 12 + cuDNN 9 builds" },
    cuda13 = { packages = { "onnxruntime-gpu>=1.27" }, min_driver = "580.65.06",
               note = "onnxruntime-gpu 1.27+ on PyPI are CUDA 13 builds" },
    cuda11 = { packages = { "onnxruntime-gpu" },
               index_url = "https://aiinfra.pkgs.visualstudio.com/PublicPackages/_packaging/onnxruntime-cuda-11/pypi/simple/",
               min_driver = "450.80.02" },
    -- PyPI project onnxruntime-directml (Windows-only wheels, any DirectX 12
    -- GPU); not checkable from the Linux research machine.
    directml = { packages = { "onnxruntime-directml" }, os = { "windows" } },
    -- PyPI project onnxruntime-openvino (Intel): `pip index versions` lists
    -- 1.17.1 .. 1.24.1 (Linux). Intel GPU support through OpenVINO is not
    -- re-verified here.
    xpu = { packages = { "onnxruntime-openvino" },
            note = "OpenVINO execution provider (Intel GPU support not re-verified)" },
    unsupported = {
      rocm5 = "ROCm EP removed in ORT 1.23; AMD's MIGraphX builds are on repo.radeon.com, not PyPI",
      rocm6 = "ROCm EP removed in ORT 1.23; AMD's MIGraphX builds are on repo.radeon.com, not PyPI",
      rocm7 = "ROCm EP removed in ORT 1.23; AMD's MIGraphX builds are on repo.radeon.com, not PyPI",
    },
    mps = { packages = { "onnxruntime" }, fallback = true,
            note = "plain PyPI onnxruntime (CoreML EP availability not re-verified here)" },
    cpu = { packages = { "onnxruntime" }, fallback = true },
  },

  numpy = {
    cpu = { packages = { "numpy" } },
  },
}
