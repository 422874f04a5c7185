-- Recovery rules for AMD / ROCm / HIP failures.
-- Patterns are RE2 regular expressions, matched line by line, ignoring case.
local W = require("lib.driver_wordings")

-- ROCm's runtime, math and communication libraries (and HIP's older names),
-- as loaders name them: lib<name>.so on Linux.
local ROCM_LIBS = "(amdhip64|hip_hcc|mcwamp|hc_am|hsa-runtime64|rocblas|hipblas(lt)?|miopen|rccl|hiprand|rocrand|hiprng|hipfft|rocfft|"
  .. "hipsparse(lt)?|rocsparse|hipsolver|rocsolver|hiptensor|hipfile|roctracer64|roctx64|hiprtc|rocm_smi64|amd_comgr|migraphx[[:alnum:]_]*|"
  -- The profiler libraries (rocprofiler-sdk, -register) torch's ROCm builds link, ROCm's core and
  -- thunk libraries, AMD SMI, the ROCm Data Center tool (RDC), and TheRock's bundled system libraries.
  .. "rocprofiler[[:alnum:]_-]*|rocm-core|hsakmt|amd_smi|rdc[[:alnum:]_]*|hsa-amd-aqlprofile64|rocm_sysdeps_[[:alnum:]_]+)"

-- HIP finding no code object (kernel binary) for the GPU's target, in the
-- words of HIP, HCC, rocBLAS's loader and PyTorch's ROCm build. What it means
-- depends on the target: a build that left it out (shipped), ROCm without it
-- (unshipped), or Polaris.
local NO_CODE_OBJECT_FOR_GPU = {
  "hiperrornobinaryforgpu",
  "unable to find code object for all current devices",
  "coudn't find binary for current devices",
  "no compatible code objects found for",
  -- HCC's runtime (ROCm before 3.5).
  "hcc runtime error: fail to find compatible kernel",
  -- hipErrorNoBinaryForGpu in words (HIP's error string), as PyTorch's ROCm build prints it.
  "hip error: no kernel image is available for execution on the device",
  -- HIP's launch finding no device function for a kernel (hipErrorInvalidKernelFile, 218).
  "cannot retrieve static function",
  -- HIP's launch finding no device function registered for a kernel's host stub.
  "could not retrieve hostfunction",
}

-- ROCm finding no GPU or no queues to use, in its runtime's and HIP's words.
local ROCM_FINDS_NO_GPU = {
  "hsa_status_error_out_of_resources",
  "hiperrorinvaliddevice\\b|hiperrornodevice\\b",
  -- hipErrorNoDevice (100) in HIP's words.
  "no rocm-capable device is detected",
  "no hip gpus are available",
  "unable to open /dev/kfd",
}

return {
  {
    id = "hip_invalid_device_function",
    patterns = {
      any = {
        -- HIP's message under any prefix: llama.cpp's HIP build prints "CUDA error".
        "\\b(hip|cuda|rocm) error\\b[^\\n]{0,200}invalid device function",
        "hiperrorinvaliddevicefunction",
        -- A ROCm program (MIGraphX) passing on HIP's error for a kernel it cannot launch.
        "kernel failed to launch with error: invalid device function",
        -- Blender Cycles: its HIP kernels lack this GPU's target.
        "hip binary kernel for this graphics card[^\\n]*not found",
      },
      -- Raised inside ROCm's own libraries, it means the installed ROCm lacks
      -- the target (rocm_unsupported_gfx), not one build.
      none = {
        "rocblas error",
        "tensilelibrary",
      },
    },
    -- On a target every ROCm build ships, the build at hand left it out.
    given = {
      when = { gfx_class = "shipped" },
      any = NO_CODE_OBJECT_FOR_GPU,
    },
    when = { backend = "rocm", gfx_class = "shipped" },
    hints = {
      "invalid device function",
      "\\bhip\\b.*(kernel|binary)",
      -- HIP finding no code for a kernel in the loaded code objects.
      "cannot retrieve static function",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The ROCm build in use has no kernels for this GPU's gfx target (${gfx}), which ROCm supports: the build left it out.",
    steps = {
      "Show the GPU target: rocminfo | grep -m1 -o 'gfx[0-9a-f]*'",
      "Show the wheel's targets: ${python} -c \"import torch; print(torch.version.hip, torch.cuda.get_arch_list())\"",
      "Install the ROCm build the tables offer for this gfx target: gpuhost run ${profile} --accelerator ${gpu_build}",
      "A program built here (llama.cpp, a torch extension): rebuild it for the target, e.g. cmake -DAMDGPU_TARGETS=${gfx} or PYTORCH_ROCM_ARCH=${gfx}",
    },
    fix = { action = "reinstall", accelerator = "${gpu_build}" },
  },
  {
    id = "rocm_unsupported_gfx",
    patterns = {
      any = W.with(NO_CODE_OBJECT_FOR_GPU, {
        "amdgpu \\[\\d+\\] gfx[[:alnum:]]+ is not supported",
        "gfx[[:alnum:]]+ is not supported by",
        "amdgpu is not supported \\(supported types:",
        "hip_code_object\\.cpp[^\\n]*guarantee",
        -- rocBLAS without kernels (Tensile code objects) for this target.
        "tensilelibrary[^\\n]*for gpu arch",
        "rocblas error: could not initiali[sz]e tensile host",
        "rocblas error[^\\n]*(hiperrorinvaliddevicefunction|invalid device function|hiperrornobinaryforgpu)",
        -- TensorFlow's ROCm build skipping a GPU whose target it lacks.
        "ignoring visible gpu device[^\\n]*amdgpu (version|isa)",
        -- Older rocBLAS: the Tensile library file for this target is absent.
        "rocblas(lt)? error: cannot read [^\\n]*tensilelibrary[^\\n]*\\.dat: no such file",
        -- HIP's Windows (PAL) backend not knowing the GPU's ASIC.
        "unsupported pal device with asic revision",
        -- Ollama's newer key=value wording.
        "amdgpu is not supported\"?[^\\n]*gpu_type=",
        -- HSA refusing a code object whose ISA this GPU's agent does not support.
        "hsa_status_error_invalid_isa",
        "the instruction set architecture is invalid",
        -- The KFD thunk not knowing this GPU's device ID.
        "device id 0x[0-9a-f]+ is not supported in libhsakmt",
      }),
      none = {
        "gfx80[0-3]",
        "polaris",
        "radeon rx 5[4-9]0",
        "radeon rx 4[6-8]0",
      },
    },
    -- A build without kernels for the GPU, on a target some ROCm builds lack.
    given = {
      when = { gfx_class = "unshipped" },
      any = {
        "\\b(hip|cuda|rocm) error\\b[^\\n]{0,200}invalid device function",
        "hiperrorinvaliddevicefunction",
        -- HIP counting no device on such a target: the runtime does not know it (Windows' HIP SDK, TheRock).
        "no rocm-capable device is detected",
        "hiperrornodevice\\b",
      },
    },
    when = { backend = "rocm", gfx_class = "unshipped" },
    hints = {
      -- No code object at all for the GPU: the installed ROCm lacks its target (as the patterns read it).
      "nobinaryforgpu|no binary for (the )?gpu|(unable to find|no) (compatible )?code objects?",
      "\\bgfx\\d{3,4}",
      "hsa_override_gfx_version",
      "tensile",
      "(amdgpu|gpu|target|arch).*(not supported|unsupported)",
      "invalid device function|invaliddevicefunction",
      -- HIP failing to count devices: a runtime that does not know this target.
      "unexpected error from hipgetdevicecount|failed to get device count",
      -- The HIP/HCC runtime finding no kernel built for this target.
      "find (a )?compatible kernel",
      -- HIP's own words for counting no device it supports.
      "no rocm-capable device",
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "This AMD GPU's gfx target (${gfx}) is not officially supported by the installed ROCm libraries.",
    steps = {
      "Show the target: rocminfo | grep -m1 -o 'gfx[0-9a-f]*'",
      "Use the nearest supported target: export HSA_OVERRIDE_GFX_VERSION=${gfx_override} (gfx1031/1032/1034/1035/1036 -> 10.3.0, gfx1102/1103 -> 11.0.0)",
      "Make it permanent: echo 'export HSA_OVERRIDE_GFX_VERSION=${gfx_override}' >> ~/.bashrc",
      "If that fails, use the Vulkan or CPU backend: gpuhost run ${profile} --accelerator cpu",
    },
    fix = { action = "set_env", name = "HSA_OVERRIDE_GFX_VERSION", value = "${gfx_override}" },
  },
  {
    id = "rocm_old_polaris",
    patterns = {
      any = {
        "gfx80[0-3]",
        "polaris",
        "roc_enable_pre_vega",
        "radeon (rx )?(4[6-8]|5[4-9])0\\b",
        -- Polaris' PCI ids (10/11: 67c0-67ff, 12: 699f, 20: 6fdf), and kfd refusing a GPU without
        -- PCIe atomics, which only gfx8 needs.
        "\\b1002:(67[c-f][0-9a-f]|699f|6fdf)\\b",
        "kfd: skipped device [0-9a-f]{4}:[0-9a-f]{4}, pci rejects atomics",
      },
    },
    -- What a missing target prints means this rule on a gfx80x machine.
    given = {
      when = { gfx_class = "polaris" },
      any = W.with(NO_CODE_OBJECT_FOR_GPU, {
        "invalid device function",
        -- ROCm's OpenCL listing its platform with no device on it.
        "no devices found in platform",
      }),
    },
    when = { backend = "rocm", gfx_class = "polaris" },
    hints = {
      "gfx80[0-3]",
      "polaris|ellesmere|baffin",
      "\\brx ?(4[6-8]0|5[4-9]0)\\b",
      "rejects atomics|pcie atomics",
    },
    severity = "critical",
    confidence = 0.9,
    diagnosis = "Polaris (gfx803, RX 470/480/570/580) GPUs are no longer supported by current ROCm and PyTorch ROCm wheels.",
    steps = {
      "Confirm the target: rocminfo | grep -m1 -o 'gfx[0-9a-f]*'",
      "Use the CPU backend: gpuhost run ${profile} --accelerator cpu",
      "Or use a Vulkan/OpenCL based runtime (e.g. llama.cpp with -DGGML_VULKAN=ON), which still supports Polaris",
      "Community gfx803 builds need: export ROC_ENABLE_PRE_VEGA=1 (unsupported, may crash)",
    },
    fix = { action = "switch_cpu" },
  },
  {
    id = "kfd_permission_denied",
    patterns = {
      any = {
        "unable to open /dev/kfd read-write: (permission denied|operation not permitted)",
        "open /dev/kfd: permission denied",
        "/dev/kfd[^\\n]{0,80}permission denied",
        "is not member of \"render\" group",
        "is not member of \"video\" group",
        "permission problems block access",
        -- Ollama's check of the render node.
        "permissions not set up properly[^\\n]*render group",
      },
      -- The device path on one line, the refusal on the next (a Rust panic's unwrap).
      near = {
        { "/dev/(kfd|dri/renderd\\d+)", "permission denied|operation not permitted|\\beacces\\b" },
      },
    },
    -- ROCm's torch seeing no GPU inside a container on an AMD machine: the
    -- container was not given /dev/kfd and /dev/dri, or not the groups to open them.
    given = {
      { when = { backend = "rocm", container = true }, any = { "no hip gpus are available" } },
      -- Where the machine says this user may not open /dev/kfd or the render
      -- nodes, ROCm finding no GPU or no queues is that.
      { when = { backend = "rocm", kfd_access = false }, any = ROCM_FINDS_NO_GPU },
      { when = { backend = "rocm", render_access = false }, any = ROCM_FINDS_NO_GPU },
    },
    when = { backend = "rocm", os = "linux", kfd_access = false },
    hints = {
      "/dev/kfd",
      "render group|video group|\\brender\\b",
      -- HIP finding no device to use: most often one the user may not open.
      "hiperrorinvaliddevice\\b|hiperrornodevice\\b",
      -- Refused access to a device node; a refused write elsewhere is another failure.
      "(permission|eacces|not permitted).*(/dev/|device|\\bkfd\\b|\\bdri\\b|render)|(/dev/|device|\\bkfd\\b|\\bdri\\b|render).*(permission|eacces|not permitted)",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "The current user may not open /dev/kfd and /dev/dri/renderD*, which ROCm needs.",
    steps = {
      "Check ownership: ls -l /dev/kfd /dev/dri/renderD*; groups",
      "Add yourself to the groups: sudo usermod -aG render,video $USER",
      "Log out and back in (or: newgrp render), then check: rocminfo | grep -m1 gfx",
      "In containers pass the devices and groups: docker run --device=/dev/kfd --device=/dev/dri --group-add video --group-add render ...",
    },
  },
  {
    id = "amd_apu_memory",
    patterns = {
      any = {
        "hip out of memory[^\\n]*\\b\\d{1,4}(\\.\\d+)? mib total capacity",
        "total capac(i)?ty of \\d{1,4}(\\.\\d+)? mib",
        "ttm pages limit",
        "gtt size",
        "amdgpu\\.gttsize",
        -- A VRAM carve-out of at most 512 MiB, as the kernel log or a report states it.
        "amdgpu: (64|128|256|512)m of vram memory ready",
        "\\bvram\\b[^\\n]{0,12}\\b(64|128|256|512)(\\.0+)? ?mi?b\\b",
        -- Ollama's inventory line for an integrated GPU.
        "\\bigpu\\b[^\\n]*total=\"(64|128|256|512)(\\.0+)? mib\"",
      },
      none = {
        -- The GPU sees 16 GiB or more (a Strix Halo set to a large carve-out): no small carve-out to raise, the work is too big (hip_out_of_memory).
        "total capac(i)?ty of (1[6-9]|[2-9]\\d|\\d{3,})(\\.\\d+)? gib",
      },
    },
    -- On an APU (a gfx target LLVM marks APU, or a log naming an integrated
    -- GPU) running out of GPU memory is running out of the firmware carve-out.
    given = {
      when = { apu = true },
      any = {
        "hip out of memory|hiperroroutofmemory|hip_error_outofmemory",
        "\\bout of memory\\b",
        "predicted usage exceeds vram",
        "entering low vram mode",
      },
    },
    when = { backend = "rocm" },
    hints = {
      "\\b(apu|igpu)\\b|integrated (gpu|graphics)",
      "\\bgtt\\b|\\buma\\b|carve[- ]?out|frame buffer",
      "\\bvram\\b",
    },
    severity = "warning",
    confidence = 0.85,
    diagnosis = "The integrated AMD GPU (APU) only has a small dedicated VRAM carve-out (often 512 MiB), so ROCm runs out of memory.",
    steps = {
      "See the carve-out and GTT: cat /sys/class/drm/card*/device/mem_info_vram_total /sys/class/drm/card*/device/mem_info_gtt_total",
      "Raise 'UMA Frame Buffer Size' / 'iGPU memory' in the BIOS (e.g. 4G or 8G)",
      "On kernel 6.10+ let ROCm use shared memory: add amdgpu.gttsize=<MiB> ttm.pages_limit=<4KiB pages> to GRUB_CMDLINE_LINUX in /etc/default/grub, then sudo update-grub && sudo reboot",
      "Reduce the model size / batch size, or run on the CPU: gpuhost run ${profile} --accelerator cpu",
    },
  },
  {
    id = "hip_out_of_memory",
    patterns = {
      any = W.with(W.GPU_OUT_OF_MEMORY, {
        "hip out of memory",
        "hiperroroutofmemory",
        "failed to allocate [\\d.]+ ?[kmg]i?b? from device: hiperror",
        "hiperror_t\\(1002\\)",
        "hip_error_outofmemory",
        -- The ROCm libraries' own out-of-memory statuses (hipBLAS, rocBLAS, hipFFT, hipSOLVER, rocSOLVER, hipSPARSE, rocSPARSE, hipRAND, rocRAND).
        "hipblas_status_alloc_failed|rocblas_status_memory_error",
        "hipfft_alloc_failed|hipsolver_status_alloc_failed|hipsparse_status_alloc_failed|rocsparse_status_memory_error",
        "hiprand_status_allocation_failed|rocrand_status_allocation_failed",
        "failed to allocate rocm\\d+ buffer",
        -- ggml's HIP build names its errors "CUDA error".
        "\\b(cuda|hip) error: out of memory",
        "cudamalloc failed: out of memory",
        -- MIOpen's and ggml's own out-of-memory lines.
        "memory not available to allocate buffer",
        "ggml-cuda\\.cu:\\d+: out of memory",
        -- ROCm's HIP runtime log (AMD_LOG_LEVEL) for a device allocation that failed.
        "allocation failed : device memory",
        -- ROCm's HIP runtime log for a local (device) memory allocation that failed.
        "fail allocation local memory",
        -- hipMalloc answering 2 (hipErrorOutOfMemory), as MIOpen's allocator logs it.
        "hipmalloc \\d+ status: 2\\b",
        -- Triton passing on the HIP runtime's error.
        "triton error \\[hip\\]:[^\\n]*\\bout of memory",
        -- AMDGPU.jl giving up after freeing what it could, before it reports the pool's use.
        "failed to successfully execute function and free resources for it",
      }),
      none = {
        "\\b\\d{1,4}(\\.\\d+)? mib total capacity",
        "total capac(i)?ty of \\d{1,4}(\\.\\d+)? mib",
      },
    },
    -- The same text on an APU is its carve-out: amd_apu_memory.
    when = { backend = "rocm" },
    hints = {
      "out ?of ?memory",
      "\\boom\\b",
      "(failed to|cannot|could not|unable to) allocate",
      "memory (allocation|exhausted)",
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "The AMD GPU ran out of memory: the model, batch or activations do not fit in its VRAM.",
    steps = {
      "See what uses the GPU: rocm-smi --showmeminfo vram",
      "Use a smaller batch size, a smaller or quantized model, or lower precision (fp16/bf16)",
      "Reduce fragmentation: export PYTORCH_HIP_ALLOC_CONF=expandable_segments:True",
      "Or run on the CPU: gpuhost run ${profile} --accelerator cpu",
    },
  },
  {
    id = "hsa_out_of_resources",
    patterns = {
      any = {
        "hsa_status_error_out_of_resources",
        "hsa error 4104",
        "\\(0x1008\\)|code: 0x1008",
        "the runtime failed to allocate the necessary resources",
        "hsa api call failure at",
        -- The kernel refusing the KFD with ENOMEM, as rocminfo prints it.
        "/dev/kfd[^\\n]{0,40}cannot allocate memory",
        -- ROCr's check of the amdgpu kernel driver against the runtime.
        "incompatible kernel and userspace",
        -- The kernel's KFD naming a GPU it has no compute support for (kfd_device.c).
        "\\bnot supported in kfd\\b",
        -- The KFD refusing the open itself (EINVAL, EFAULT): the kernel driver, not the user's access.
        "/dev/kfd read-write: (invalid argument|bad address)",
        -- The kernel driver's KFD not supporting this GPU for compute (GCN 1, some APUs).
        "kfd not supported on this asic",
      },
      none = {
        "/dev/kfd read-write: (permission denied|operation not permitted)",
      },
    },
    -- Where /dev/kfd or the render nodes do not open for this user, that is the failure (kfd_permission_denied).
    when = { backend = "rocm", os = "linux", kfd_access = true, render_access = true },
    hints = {
      "\\bkfd\\b[^\\n]*not supported",
      "\\bhsa",
      "out of resources|resources",
      "/dev/kfd",
    },
    severity = "error",
    confidence = 0.8,
    diagnosis = "The ROCm runtime (HSA) could not get resources from the kernel driver: queues, memory or doorbells for /dev/kfd are exhausted, or the kernel driver does not support this GPU.",
    steps = {
      "Check the kernel driver saw the GPU: sudo dmesg | grep -i -E 'kfd|amdgpu' | tail -20",
      "Check access: ls -l /dev/kfd /dev/dri/renderD*; groups (the user needs the render group, older ROCm the video group: sudo usermod -aG render,video $USER, then log in again)",
      "Check free queues: rocminfo | grep -E 'Name|gfx'",
      "Close other ROCm processes (each takes HSA queues), or limit them: export GPU_MAX_HW_QUEUES=2",
      "Reboot after a driver update; if dmesg says the GPU is not supported in kfd, use the CPU or Vulkan: gpuhost run ${profile} --accelerator cpu",
    },
  },
  {
    id = "rocm_lib_missing",
    patterns = {
      any = {
        -- The loader reporting one of ROCm's libraries missing or too old for the package.
        "lib" .. ROCM_LIBS .. "[[:alnum:]_.-]*\\.so[.\\d]*: cannot open shared object file",
        "lib" .. ROCM_LIBS .. "[[:alnum:]_.-]*\\.so[.\\d]*: version `[^']*' not found",
        -- TensorFlow's loader on ROCm (its older wording calls every library a CUDA one).
        "could not load dynamic library '?lib" .. ROCM_LIBS,
        "couldn'?t open cuda library lib" .. ROCM_LIBS,
        -- A build linking against a ROCm library that is not where it looks.
        "/lib" .. ROCM_LIBS .. "[[:alnum:]_.-]*\\.so[.\\d]*'?,? needed by [^\\n]*missing",
        -- Programs that check for ROCm themselves: bitsandbytes, rocm-smi's and amd-smi's bindings.
        "missing dependency: lib" .. ROCM_LIBS,
        "(cannot|could not|unable to) (locate|find|load) (the )?lib" .. ROCM_LIBS,
        -- RDC's command line unable to reach its daemon's libraries.
        "fail to setup the connection\\. please check all libraries",
        -- bitsandbytes' ROCm build unable to load its library though the GPU is there.
        "rocm setup failed despite rocm being available",
        "rocm runtime (libraries|files) (were )?not found",
        "no compatible rocm (binary|library) found",
        "unable to (load|find) (the )?(rocm_smi|amdsmi) library",
        -- Windows: the HIP SDK's runtime DLL.
        "(could not (find|load)|cannot (find|load)|failed to load|error loading|not found|cannot proceed because)[^\\n]*\\bamdhip64(_\\d+)?\\.dll",
        "\\bamdhip64(_\\d+)?\\.dll[^\\n]*(not found|could not be found|was not found|is missing)",
        -- The HIP SDK's other DLLs (hiprtc0507.dll, amd_comgr_2.dll, rocblas.dll, ...), missing in Windows' words.
        "\\b(hiprtc\\d*|amd_comgr(_\\d+)?|rocblas|hipblas(lt)?|miopen|rocsolver|rocsparse|hipfft|rocfft)\\.dll[^\\n]*(not found|could not be found|was not found|is missing)",
        -- ollama's check of the ROCm runtime it finds: none it can use, or (Windows, where the driver ships the HIP runtime) a driver without the runtime it was built for.
        "unable to verify rocm library",
        "no suitable rocm found",
        "amd driver is too old",
        -- HIP's runtime without ROCm's code object manager (amd_comgr), and RCCL without the HSA runtime.
        "failed to load comgr library",
        "failed to find rocm runtime library",
        -- hashcat and Blender (HIPEW) unable to open the HIP runtime.
        "failed to initiali[sz]e the amd main driver hip runtime library",
        "hipew initiali[sz]ation failed: error opening hip dynamic library",
        -- AMDGPU.jl and tinygrad unable to open the HSA runtime or HIP library.
        "\\b(hsa runtime|hip library) is unavailable",
        "failed to load library hip\\b",
        -- A package needing a symbol of HIP's or ROCm's own libraries that the installed ones lack
        -- (C++ names mangled as _ZN<len><namespace>): built against another ROCm.
        "undefined symbol: _zn\\d+(hip_impl|hip|hsa|rocblas|miopen|rccl|hipblas|rocfft|hipfft)\\d",
        "undefined symbol: (hip|hsa_|rocblas_|miopen|rccl|hipblas|roctx|amd_comgr_)[[:alnum:]_]*\\b",
      },
    },
    when = { backend = "rocm" },
    hints = {
      "(rocm|amdhip|rocblas|miopen|hsa-runtime|rccl|hipblas|rocsolver|rocfft).*(not found|cannot open|could not (load|find)|couldn'?t (load|find|open)|missing|no such file|failed to load|unable to (load|find))",
      "(not found|cannot open|could not (load|find)|couldn'?t (load|find|open)|missing|no such file|failed to load|unable to (load|find)).*(rocm|amdhip|rocblas|miopen|hsa-runtime|rccl|hipblas)",
      -- Any of ROCm's own libraries named by file.
      "lib" .. ROCM_LIBS .. "\\.so",
      -- A symbol of HIP's or ROCm's libraries missing from the installed ones.
      "undefined symbol: [^\\n]*(hip_impl|hsa_|rocblas|miopen|hipblas)",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "A ROCm runtime library the package was built against cannot be loaded: ROCm is not installed or not on the library path, or the package was built for another ROCm major version.",
    steps = {
      "See which ROCm libraries the loader finds: ldconfig -p | grep -E 'amdhip64|rocblas|MIOpen'; ls -d /opt/rocm*",
      "Show the installed ROCm version: cat /opt/rocm/.info/version (Windows: hipInfo.exe)",
      "Put ROCm on the loader's path: echo /opt/rocm/lib | sudo tee /etc/ld.so.conf.d/rocm.conf && sudo ldconfig",
      "Install the package's build for this ROCm major (PyTorch's ROCm wheels carry their own libraries: gpuhost run ${profile} --accelerator ${gpu_build}), or the ROCm release the package names: https://rocm.docs.amd.com",
    },
  },
}
