-- Recovery rules that are not tied to one GPU vendor (wrong build, OpenCL, Vulkan).
-- Patterns are RE2 regular expressions, matched line by line, ignoring case.

-- A launcher saying torch cannot use the GPU: a CPU wheel, or on an AMD or
-- Intel machine a wheel for another vendor (the machine's backend decides).
local CANNOT_USE_GPU = "(not able|unable) to use (the |your )?gpu"

return {
  {
    id = "torch_cpu_build_on_gpu",
    patterns = {
      any = {
        "torch not compiled with cuda enabled",
        "cuda used to build pytorch: none",
        "pytorch was compiled without cuda support",
        -- Torch-TensorRT's check of the torch it runs on.
        "pytorch build does not support cuda",
        "torch is not able to use gpu",
        "cuda used to build pytorch:? (is )?not detected",
        -- The build's own name: a "+cpu" wheel, a conda "_cpu_" build or its cpuonly marker.
        "pytorch version: [\\d.]+\\+cpu\\b",
        "^\\s*pytorch\\s+[\\d.]+\\s+py[\\d.]+_cpu_\\d",
        "^\\s*cpuonly\\s+[\\d.]+\\s",
        -- A launcher's log naming a +cpu torch, and torch.load finding no CUDA to map to.
        "\\btorch[ :=v]*\\d+\\.\\d+(\\.\\d+)?\\+cpu\\b",
        "attempting to deserialize object on a cuda device but torch\\.cuda\\.is_available\\(\\) is false",
        -- A companion's report naming the installed torch as a CPU build.
        "\\(you have [\\d.]+\\+cpu\\)",
        -- A CPU libtorch: R torch falling back to it, or the dispatcher finding no CUDA in it.
        "cuda [\\d.]+ detected but torch only supports",
        "pytorch is not linked with support for cuda devices",
        -- torch.cuda calling into a torch._C built without CUDA.
        "module 'torch\\._c' has no attribute '_cuda_\\w+'",
      },
    },
    -- No CUDA on macOS: there the same words are cuda_requested_on_mac.
    when = { backend = "cuda", os = { "linux", "windows" } },
    hints = {
      "\\+cpu\\b",
      "not compiled with cuda",
      "cuda\\.is_available\\(\\).*false",
      "cpu[- ]?only",
      "not linked with support for cuda",
      CANNOT_USE_GPU,
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "A CPU-only PyTorch wheel is installed, so CUDA cannot be used even though the machine has an NVIDIA GPU.",
    steps = {
      "Confirm: ${python} -c \"import torch; print(torch.__version__, torch.version.cuda)\" (a '+cpu' suffix or None means CPU-only)",
      "Reinstall the CUDA build: ${venv}/bin/pip uninstall -y torch torchvision torchaudio && ${venv}/bin/pip install torch torchvision torchaudio --index-url https://download.pytorch.org/whl/${gpu_build}",
      "Or: gpuhost run ${profile} --accelerator ${gpu_build}",
      "Make sure later 'pip install -r requirements.txt' does not pull the CPU wheel back in (pin the same index)",
    },
    fix = { action = "reinstall", accelerator = "${gpu_build}" },
  },
  {
    id = "torch_wrong_vendor_build",
    patterns = {
      any = {
        "found no nvidia driver on your system",
        "no hip gpus are available",
        -- A build (AutoGPTQ's) asked for ROCm finding a CUDA wheel of torch.
        "\\+cu\\d+ is installed without rocm support",
      },
    },
    -- On an AMD or Intel machine, torch looking for CUDA GPUs is a CUDA wheel:
    -- stable-diffusion-webui's start-up check, or CUDA's own "No CUDA GPUs"
    -- (ROCm wheels say HIP). Elsewhere these mean torch_cpu_build_on_gpu or
    -- cuda_visible_devices_hides_gpu.
    given = {
      when = { backend = { "rocm", "xpu" } },
      any = {
        "torch is not able to use gpu", "no cuda gpus are available",
        -- CUDA's runtime finding no NVIDIA driver to call (error 35) on a machine without an NVIDIA GPU.
        "cuda driver version is insufficient for cuda runtime version",
      },
    },
    when = { backend = { "rocm", "xpu" } },
    hints = {
      "no (nvidia|cuda|hip) (gpus?|driver)",
      "\\b(radeon|amd gpu|intel arc|arc a\\d{3})\\b",
      "wrong (build|wheel|version of torch)",
      CANNOT_USE_GPU,
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "The installed PyTorch targets a different GPU vendor than this machine has (a CUDA build on an AMD/Intel GPU, or a ROCm build on an NVIDIA/CPU-only machine).",
    steps = {
      "See what is installed: ${python} -c \"import torch; print(torch.__version__, torch.version.cuda, torch.version.hip)\"",
      "See what GPU you have: lspci | grep -i -E 'vga|3d|display'",
      "Reinstall the build the tables offer for this GPU: gpuhost run ${profile} --accelerator ${gpu_build}",
      "If this is an NVIDIA machine, the NVIDIA driver is missing instead: sudo ubuntu-drivers install && sudo reboot",
    },
    fix = { action = "reinstall", accelerator = "${gpu_build}" },
  },
  {
    id = "opencl_no_platform",
    patterns = {
      any = {
        "platform_not_found_khr",
        "clgetplatformids",
        "number of platforms\\s+0",
        -- CL_PLATFORM_NOT_FOUND_KHR by its code, and tools that only say the count failed.
        "platforms?[^\\n]{0,40}(\\berror:? ?|: ?)\\(?-1001\\b",
        "(could not|couldn't|failed to|unable to) (get|query|retrieve) (the )?(opencl )?platform (count|ids)",
        "no cl platforms available to icd loader",
        -- An OpenCL binding reporting the -1001 code by number.
        "opencl error code:? -1001\\b",
        -- A program finding no OpenCL platform (hashcat names HIP and CUDA too).
        "no opencl(, hip or cuda| or cuda)? compatible platform found",
      },
    },
    hints = {
      "opencl",
      "\\bicd\\b",
      "clinfo",
      "\\bcl_|\\bclget\\w+|-1001\\b",
      "(number of|num|get) platforms?\\b|no platforms? found",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The OpenCL loader found no platform (no vendor ICD installed or registered in /etc/OpenCL/vendors).",
    steps = {
      "List platforms: clinfo -l (install: sudo apt install clinfo)",
      "Check the ICD registry: ls /etc/OpenCL/vendors/",
      "Install a vendor runtime: NVIDIA: sudo apt install nvidia-opencl-icd (comes with the driver); Intel: sudo apt install intel-opencl-icd; AMD: sudo apt install rocm-opencl-runtime; CPU: sudo apt install pocl-opencl-icd",
      "In conda envs expose the system ICDs: conda install -c conda-forge ocl-icd-system",
    },
  },
  {
    id = "vulkan_no_device",
    patterns = {
      any = {
        "error_incompatible_driver",
        "errorincompatibledriver",
        "incompatibledrivererror",
        "cannot create vulkan instance",
        "unable to create vulkan instance",
        "ggml_vulkan: no devices found",
        -- ncnn-based tools: the instance itself failed (-9 incompatible driver, -3 init failed).
        "vkcreateinstance failed",
        "invalid device: vulkan\\d+",
        "^invalid gpu device$",
        -- The loader could not initialise any driver when listing GPUs or making the instance.
        "(enumeratephysicaldevices|createinstance)[^\\n]{0,40}(errorinitializationfailed|error_initialization_failed)",
        -- The Vulkan loader finding no ICD at all.
        "terminator_createinstance: found no drivers",
        -- wgpu (Rust, and wgpu-py over it) finding no GPU adapter: on Linux and Windows, no Vulkan driver.
        "no adapters are available|no suitable adapter found",
        -- A Vulkan program whose instance listed no physical device (vkEnumeratePhysicalDevices gave 0).
        "\\bhas no (vulkan )?physical devices\\b|\\bno vulkan physical devices?\\b",
      },
    },
    hints = {
      "vulkan",
      "\\bvk[a-z]\\w+",
      -- Vulkan-Hpp's names (vk::createInstance, vk::IncompatibleDriverError).
      "\\bvk::\\w+",
      "\\bicd\\b",
      "error_incompatible_driver|error_initialization_failed",
      -- WebGPU's words (wgpu, Dawn) for a GPU it can use: on Linux and Windows, a Vulkan device.
      "\\bno (suitable |compatible )?(graphics )?adapters?\\b",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The Vulkan loader found no usable driver (ICD) for any GPU.",
    steps = {
      "Check: vulkaninfo --summary (install: sudo apt install vulkan-tools)",
      "Install the driver's Vulkan ICD: AMD/Intel: sudo apt install mesa-vulkan-drivers; NVIDIA: install the matching libnvidia-gl-<version> package",
      "Check ICD files: ls /usr/share/vulkan/icd.d/ /etc/vulkan/icd.d/",
      "On macOS install MoltenVK (Vulkan SDK) and set VK_ICD_FILENAMES to its MoltenVK_icd.json",
    },
  },
  {
    id = "torch_compile_failed",
    patterns = {
      any = {
        "backendcompilerfailed",
        "backend='inductor' raised",
        "cannot find a working triton installation",
        "tritonmissing",
        -- Triton (triton-windows) with no C compiler to build its launcher.
        "failed to find c compiler\\. please specify via cc",
        "cannot import name 'triton_key'",
        "triton error \\[",
        "torch\\._dynamo\\.config\\.suppress_errors",
        "torch\\._inductor\\.exc\\.",
        "torch\\._dynamo\\.exc\\.",
        "triton compilation failed",
        "_inductor[/\\\\]cpp_builder\\.py",
        "windows not yet supported for torch\\.compile",
        -- Triton needs compute capability 7.0: torch.compile's GPU backend, not PyTorch, refuses the GPU.
        "too old to be supported by the triton gpu compiler",
        "no working c\\+\\+ compiler found in",
        -- a traceback through Inductor's code cache or Triton's build of its C helper:
        -- the compile step itself failed (a missing or broken C compiler, bad headers)
        "torch[/\\\\]_inductor[/\\\\]codecache\\.py",
        "triton[/\\\\][[:alnum:]_/\\\\]*\\.py\", line \\d+, in _build",
        -- Triton's own ptxas refusing its PTX (a Triton older than the GPU's target, or a codegen bug).
        "\\bptxaserror\\b|internal triton ptx codegen error",
        -- A ptxas older than the GPU's architecture: Triton compiles for the GPU it runs on,
        -- with the ptxas it bundles (nvcc builds fail earlier, on the architecture flag).
        "ptxas fatal\\s*: value 'sm_\\d+[af]?' is not defined for option 'gpu-name'",
        -- Triton finding no GPU driver to compile for.
        "\\d+ active drivers \\(\\[[^]]*\\]\\)\\. there should only be one",
      },
      -- A runtime library the compile loads could not be opened: the failure
      -- follows from the missing library, which its own rule names.
      none = {
        "\\.so[.\\d]*: cannot open shared object file",
        -- Triton passing on the GPU driver's own error code (Level Zero's ze_result_t): the
        -- driver failed loading the compiled kernel, which level_zero_error names.
        "triton error \\[ze\\]:? ?0x7(0{6}[0-9a-f]|80000[0-9a-f]{2})\\b",
        -- ... or the GPU out of memory, which the vendor's out-of-memory rule names.
        "triton error \\[(cuda|hip)\\]:[^\\n]*\\bout of memory",
      },
    },
    hints = {
      -- torch._inductor and torch._dynamo too: "_" is a word character, so no \\b before them.
      "torch\\.compile|inductor\\b|dynamo\\b",
      "\\btriton\\b",
      "c\\+\\+ compiler|cl\\.exe|\\bgcc\\b|\\bg\\+\\+\\b",
      -- Triton's bundled ptxas compiling the generated kernels.
      "\\bptxas\\b",
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "torch.compile failed while generating or compiling kernels with Triton: Triton is missing or its version does not match PyTorch (Windows needs the triton-windows package), or the GPU is not supported by this Triton.",
    steps = {
      "Check: ${python} -c \"import torch, triton; print(torch.__version__, triton.__version__)\"",
      "Install the Triton that matches this PyTorch: ${venv}/bin/pip install --force-reinstall torch --index-url https://download.pytorch.org/whl/${accelerator} (it brings its own triton); on Windows: pip install triton-windows",
      "Run without compiling to confirm the rest works: TORCHDYNAMO_DISABLE=1 (or drop torch.compile)",
      "Let failures fall back to eager mode: torch._dynamo.config.suppress_errors = True",
    },
  },
}
