-- Recovery rules for Intel GPU (XPU / oneAPI / Level Zero) failures.
-- Patterns are RE2 regular expressions, matched line by line, ignoring case.
-- oneAPI's SYCL runtime, Level Zero loader, Unified Runtime, oneMKL, oneDNN,
-- oneCCL, oneTBB and compiler runtime libraries (libze_intel_gpu, the GPU
-- driver itself, is xpu_not_found): lib<name>.so on Linux, <name>.dll on Windows.
local ONEAPI_LIBS = "(sycl\\d*|ze_loader|ur_loader|ur_adapter_[[:alnum:]_]+|pi_level_zero|mkl_[[:alnum:]_]+|imf|intlc|svml|irng|"
  .. "iomp5(md)?|libiomp5md|svml_dispmd|libmmd|ccl|dnnl|umf|tbb(12)?|pti_view[-\\d]*)"

-- The DLLs of PyTorch's and IPEX's XPU backends (Windows).
local XPU_BACKEND_DLLS = "(c10_xpu|torch_xpu|intel-ext-pt-gpu)"

return {
  {
    id = "xpu_not_found",
    patterns = {
      any = {
        "no xpu devices (are )?(available|found|detected)",
        "xpu device count is zero",
        "xpu\\.device_count\\(\\)[^\\n]{0,40}\\b(returns?|is|==?|:) ?0\\b",
        "dpcppsetdevice: device_id is out of range",
        "number of (dpcpp|xpu|sycl) devices should be greater than zero",
        "xpu device initiali[sz]ation failed|failed to initiali[sz]e (the )?xpu",
        "xpu device_count:? 0\\b",
        "did not find matching ze_device_type_gpu",
        "device pool initiali[sz]ation failed, you might not have an xpu device",
        "no device of requested type[^\\n]*available",
        "pi_error_device_not_found|ur_result_error_device_not_found",
        -- The Level Zero loader without the GPU driver (intel compute runtime) to load.
        "libze_intel_gpu\\.so[.\\d]*: cannot open shared object file",
        -- IPEX's torch.load check and ggml's SYCL backend finding no device.
        "attempting to deserialize object on a xpu device but torch\\.xpu\\.is_available\\(\\) is false",
        "sycl: failed to initiali[sz]e",
        -- The Level Zero loader's trace of a GPU driver with no devices.
        "zedeviceget returned 0 devices",
        -- The Level Zero loader's trace of the GPU driver failing to start.
        "driversorting libze_intel_gpu[^\\n]*failed",
        -- The loader finding no GPU driver at all, and zeInit answering that none initialised.
        "\\b0 drivers discovered",
        "zeinit(drivers)? failed with ze_result_error_uninitialized",
        -- The compute runtime not knowing the GPU's PCI device ID (its debug output).
        "fatal: unknown device: deviceid: [0-9a-f]+",
        -- xpu-smi's diagnostics: the compute runtime's library or the i915 kernel driver absent.
        "libze_intel_gpu\\.so[.\\d]* is missing",
        "i915 not loaded|failed to find i915 in /proc/modules",
        -- Intel Extension for TensorFlow's runtime finding no GPU through SYCL.
        "\\bcan not found any devices\\b|sycl did not find the device",
      },
      -- The driver refused for permissions: xpu_permission_denied.
      none = { "ze_result_error_insufficient_permissions" },
    },
    -- Where the render nodes do not open for this user, that is the failure (xpu_permission_denied).
    when = { backend = "xpu", render_access = true },
    hints = {
      "(\\bxpu\\b|level[ _]?zero|\\bsycl\\b|intel (gpu|arc|graphics)).*(not found|no device|0 devices|count.*\\b0\\b|not available|no gpu|zero)",
      "no (xpu|sycl|level[ _]?zero) devices?",
      "(failed to|cannot|unable to) initiali[sz]e[^\\n]*(\\bxpu|level[ _]?zero|\\bsycl)",
      -- sycl-ls listing OpenCL or host platforms, and a report that its Level Zero GPU line is missing.
      "^\\[(opencl|host)[:\\]]",
      "(missing|no|without)[^\\n]*level[ _-]?zero:?gpu",
      "\\bdpcpp\\b|ze_device_type_gpu",
      -- IPEX's device calls refusing an index: no XPU device there.
      "\\bdpcpp(set|get)device\\b",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "PyTorch's XPU backend found no usable Intel GPU (compute runtime / Level Zero driver missing or GPU not supported).",
    steps = {
      "List what oneAPI sees: sycl-ls (a [level_zero:gpu] line is required)",
      "Install the Intel compute runtime: sudo apt install intel-opencl-icd libze-intel-gpu1 libze1 (see https://dgpu-docs.intel.com)",
      "Make sure the GPU uses the i915/xe driver: lspci -k | grep -A3 -E 'VGA|Display'",
      "Check: ${python} -c \"import torch; print(torch.xpu.is_available(), torch.xpu.device_count())\"",
    },
  },
  {
    id = "xpu_permission_denied",
    patterns = {
      any = {
        "/dev/dri/render[^\\n]*?permission denied",
        "/dev/dri/[^\\n]*?render[^\\n]*?eacces",
        "/dev/dri/render[^\\n]*?not accessible",
        "failed to open /dev/dri/renderd\\d+ as drm device node",
        -- Level Zero's own code for a render node the user may not open.
        "ze_result_error_insufficient_permissions",
      },
    },
    -- Where the machine says this user may not open the render nodes, the
    -- compute runtime finding no GPU is that.
    given = {
      when = { backend = "xpu", render_access = false },
      any = {
        "xpu device count is zero|xpu device_count:? 0|torch\\.xpu\\.is_available\\(\\)[^\\n]*false",
        "no xpu devices are available|no xpu device",
        "number of platforms\\s+0",
        "ze_result_error_uninitialized",
      },
    },
    when = { os = "linux", render_access = false },
    hints = {
      "/dev/dri",
      "render",
      -- Refused access to a device node; a refused write elsewhere is another failure.
      "(permission|eacces|not permitted).*(/dev/|device|\\bkfd\\b|\\bdri\\b|render)|(/dev/|device|\\bkfd\\b|\\bdri\\b|render).*(permission|eacces|not permitted)",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The current user may not open the GPU render node /dev/dri/renderD*, so the compute runtime sees no GPU.",
    steps = {
      "Check ownership: ls -l /dev/dri/; groups",
      "Add yourself to the render group: sudo usermod -aG render,video $USER",
      "Log out and back in (SSH sessions too), or: newgrp render",
      "In containers: docker run --device /dev/dri --group-add $(getent group render | cut -d: -f3) ...",
    },
  },
  {
    id = "xpu_ipex_not_imported",
    patterns = {
      any = {
        "pytorch is not linked with support for xpu devices",
        "module 'torch' has no attribute 'xpu'",
        -- torch's dispatcher finding no XPU kernel for an op: nothing registered the XPU backend (IPEX not imported).
        "could not run '[^']+' with arguments from the 'xpu' backend",
        -- DeepSpeed asked for XPU without IPEX installed.
        "requires intel_extension_for_pytorch, which is not installed",
        -- ipex-llm's serving asked for XPU without IPEX.
        "intel extension for pytorch is not installed, but is required for xpu",
      },
    },
    when = { backend = "xpu" },
    hints = {
      -- IPEX not imported (a traceback through its import is another failure: it was imported).
      "(ipex|intel_extension_for_pytorch).*(not (been )?imported|import (it )?(first|before))",
      "has no attribute 'xpu'",
      "not linked with support for xpu",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "'xpu' was requested but this PyTorch has no XPU support: either intel_extension_for_pytorch was not imported first, or a CUDA/CPU wheel is installed.",
    steps = {
      "With IPEX (torch < 2.5): add 'import intel_extension_for_pytorch as ipex' right after 'import torch'",
      "Check the build: ${python} -c \"import torch; print(torch.__version__, hasattr(torch, 'xpu') and torch.xpu.is_available())\"",
      "Or install the native XPU build the tables offer: gpuhost run ${profile} --accelerator ${gpu_build}",
    },
    fix = { action = "reinstall", accelerator = "${gpu_build}" },
  },
  {
    id = "level_zero_error",
    patterns = {
      any = {
        "native api failed",
        "native api returns: -?\\d+",
        "level_zero backend failed with error",
        "pi_error_[[:alpha:]_]+",
        "ur_result_error_[[:alpha:]_]+",
        "ze_result_error_[[:alpha:]_]+",
        "zeerror",
        "\\berror\\b[^\\n]*\\bze_[[:alnum:]_]+\\.cpp:\\d+",
        "ur adapter initiali[sz]ation failed",
        -- ggml's SYCL backend reporting a runtime exception.
        "exception caught at file:[^\\n]*ggml-sycl",
        -- ggml's SYCL backend failing an allocation on the device.
        "ggml_backend_sycl_buffer_type_alloc_buffer: can'?t allocate",
        -- The compute runtime's compiler (IGC) from another release than the runtime.
        "installed compiler library lib(igc|igdfcl)[^ ]* is incompatible",
        -- PyTorch's XPU allocator out of device memory.
        "xpu out of memory",
        -- IPEX's and ggml-sycl's own out-of-device-memory wordings.
        "allocation is out of device memory on current platform",
        -- IPEX's older allocator (DPC++), and the Windows driver's device state after an out-of-memory.
        "dpcpp out of memory",
        "device execution error, out of memory",
        "can'?t allocate \\d+ bytes of memory on device/gpu",
        -- ggml's SYCL build failing to allocate on the device.
        "failed to allocate sycl\\d+ buffer",
        -- A ze_result_t error code in hex (0x7000000N device and memory errors, 0x780000NN invalid
        -- calls), as Triton's XPU driver ("Triton Error [ZE]: 0x78000011") and others print it.
        -- 0x7001xxxx (insufficient permissions) is xpu_permission_denied's.
        "(\\[ze\\]|\\bze_?result|level.?zero)[^\\n]{0,80}\\b0x7(0{6}[0-9a-f]|80000[0-9a-f]{2})\\b",
      },
      none = {
        "driversorting libze_intel_gpu[^\\n]*failed",
        -- Results that name another failure: no driver (xpu_not_found), refused access
        -- (xpu_permission_denied), no loader library (oneapi_lib_missing).
        "zeinit(drivers)? failed with ze_result_error_uninitialized",
        "ze_result_error_insufficient_permissions",
        "loader library load failed",
      },
    },
    when = { backend = "xpu" },
    hints = {
      "ze_result|ur_result|pi_error|level[ _]?zero",
      "native api",
      "\\bsycl\\b",
      "\\bze_\\w+\\.cpp\\b|\\bzex\\w+",
      "compiler library[^\\n]*incompatible|\\blibigc\\b",
      -- Level Zero's out-of-device-memory result, as IPEX words it.
      "out of device memory",
      -- Triton's XPU driver naming a Level Zero result.
      "\\[ze\\]",
    },
    severity = "error",
    confidence = 0.8,
    diagnosis = "The Intel Level Zero / SYCL runtime returned an error (often out of device memory, or a driver/runtime version mismatch).",
    steps = {
      "Check the runtime and driver: sycl-ls; dpkg -l | grep -E 'libze|intel-opencl|intel-level-zero'",
      "Update the GPU driver / compute runtime (https://github.com/intel/compute-runtime/releases) and reboot",
      "For OUT_OF_RESOURCES: lower the batch size / resolution or model size",
      "Get more detail: export SYCL_UR_TRACE=1 and rerun",
    },
  },
  {
    id = "xpu_torch_not_compiled",
    patterns = {
      any = {
        "torch not compiled with xpu enabled",
        "pytorch was compiled without xpu support",
        "xpu used to build pytorch: none",
        "torch\\.xpu\\.is_available\\(\\)[^\\n]{0,20}false",
        "xpu\\._is_compiled`?(\\(\\))?`? (returns|is|==) `?false",
        "ipex not compiled with xpu enabled",
        -- DeepSpeed's check.
        "requires pytorch with xpu support",
        -- DeepSpeed finding an IPEX built without XPU.
        "requires an intel_extension_for_pytorch that supports xpu",
      },
      none = {
        "attempting to deserialize object on a xpu device",
      },
    },
    when = { backend = "xpu" },
    hints = {
      "(not compiled|compiled without).*xpu",
      "\\bxpu\\b.*(false|not available)",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The installed PyTorch was built without XPU support (a CPU or CUDA wheel), so the Intel GPU cannot be used.",
    steps = {
      "Confirm: ${python} -c \"import torch; print(torch.__version__, torch.xpu.is_available())\" (an XPU build ends in +xpu)",
      "Reinstall the XPU build: ${venv}/bin/pip install --force-reinstall torch torchvision torchaudio --index-url https://download.pytorch.org/whl/xpu",
      "Or: gpuhost run ${profile} --accelerator ${gpu_build}",
      "Keep later installs (requirements.txt) from pulling the CPU wheel back in: pin the same index",
    },
    fix = { action = "reinstall", accelerator = "${gpu_build}" },
  },
  {
    id = "oneapi_lib_missing",
    patterns = {
      any = {
        "lib" .. ONEAPI_LIBS .. "[[:alnum:]_.-]*\\.so[.\\d]*: cannot open shared object file",
        "lib(sycl|ze_loader|mkl_[[:alnum:]_]+|intel-ext-pt-gpu)[[:alnum:]_.-]*\\.so[.\\d]*: (version `[^']*' not found|undefined symbol: _zn4sycl)",
        -- A SYCL symbol missing from whatever libsycl was loaded: another oneAPI release.
        "undefined symbol: _zn4sycl3_v1",
        -- The JIT profiling API (iJIT_*) torch's CPU library takes from oneAPI's MKL, which
        -- MKL 2024.1 no longer exports: a oneAPI release other than the one torch was built with.
        "undefined symbol: ijit_notifyevent",
        -- A tool's (ITEX's env_check) own search for the oneAPI libraries.
        "(can'?t|cannot|could not|unable to) find lib" .. ONEAPI_LIBS .. "\\.so",
        -- Level Zero's static loader stub unable to open libze_loader (its debug trace).
        "loader library load failed",
        -- Windows: the same runtime as DLLs, in Python's, Windows' or Dependencies' words.
        "(could not (find|load)|cannot (find|load)|failed to load|error loading|not found|cannot proceed because)[^\\n]*\\b" .. ONEAPI_LIBS .. "\\.dll",
        "\\b" .. ONEAPI_LIBS .. "\\.dll\\b[^\\n]*(was not found|not[ _]found|could not be found|is missing)",
        -- PyTorch's and IPEX's own XPU DLLs failing to load on Windows: what they
        -- depend on, and the CPU build does not, is the oneAPI runtime (sycl, pti, ...).
        "error loading \"[^\"]*\\b" .. XPU_BACKEND_DLLS .. "\\.dll\" or one of its dependencies",
        "\\b" .. XPU_BACKEND_DLLS .. "\\.dll[^\\n]*(could not be found|not found)|could not be found[^\\n]*\\b" .. XPU_BACKEND_DLLS .. "\\.dll",
        -- IPEX's check that the oneAPI environment was sourced.
        "didn'?t detect (mkl|dpcpp|compiler) root",
        -- Building the XPU backend: CMake finding no oneAPI package config (PTI, SYCL, oneCCL).
        "package configuration file provided by \"(pti|intelsycl|sycl|oneccl)\"",
      },
      none = {
        -- The DLL loaded but lacks a procedure (WinError 127): built for another torch (extension_abi_mismatch).
        "the specified procedure could not be found|winerror 127",
        -- MKL's own loader on Windows is the CPU MKL of conda's numpy/torch: windows_dll_missing.
        "intel mkl fatal error: cannot load",
      },
    },
    when = { backend = "xpu" },
    hints = {
      "(oneapi|sycl|mkl_|ze_loader|iomp5|tbb|libimf|libintlc|libsvml).*(not found|cannot open|could not (load|find)|couldn'?t (load|find|open)|missing|no such file|failed to load|unable to (load|find))",
      "(not found|cannot open|could not (load|find)|couldn'?t (load|find|open)|missing|no such file|failed to load|unable to (load|find)).*(oneapi|sycl|mkl_|ze_loader|iomp5)",
      "setvars",
      "\\blibiomp5|\\bsycl\\d*\\.dll|\\b(lib)?pti_view|\\bpti\\b",
      "\\b" .. XPU_BACKEND_DLLS .. "\\.dll",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "An Intel oneAPI runtime library (SYCL, Level Zero loader, oneMKL, ...) that IPEX or PyTorch's XPU backend needs cannot be loaded: the oneAPI environment is not set up, or its version differs from the one the package was built with.",
    steps = {
      "See which oneAPI libraries the loader finds: ldconfig -p | grep -E 'libsycl|libze_loader|libmkl_sycl'",
      "Load the oneAPI environment before running: source /opt/intel/oneapi/setvars.sh (Windows: call \"C:\\Program Files (x86)\\Intel\\oneAPI\\setvars.bat\")",
      "Or install the runtime as Python packages of the oneAPI version IPEX names in its install guide: ${python} -m pip install dpcpp-cpp-rt==<version> mkl-dpcpp==<version>",
      "Check: ${python} -c \"import torch; print(torch.xpu.is_available())\"",
    },
  },
}
