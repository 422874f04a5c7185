-- Recovery rules for NVIDIA / CUDA failures.
-- Patterns are RE2 regular expressions, matched line by line, ignoring case.
-- Real-world samples for every rule live in tests/data/errors/<id>--<n>.txt.
local W = require("lib.driver_wordings")

return {
  {
    id = "cuda_driver_too_old",
    patterns = {
      any = {
        "nvidia driver on your system is too old",
        "cuda driver version is insufficient for cuda runtime version",
        "cudaerrorinsufficientdriver",
        "driver version is insufficient",
        -- The same failure by CUDA's other codes: PTX newer than the driver's JIT, and
        -- forward compatibility on a GPU that lacks it (cudaError 222, 804).
        "cuda_error_unsupported_ptx_version|cudaerrorunsupportedptxversion",
        "the provided ptx was compiled with an unsupported toolchain",
        "cuda_error_compat_not_supported_on_device|cudaerrorcompatnotsupportedondevice",
        "forward compatibility was attempted on non supported hw",
        -- cudaError 36: an API the runtime calls that this driver does not have yet.
        "cudaerrorcallrequiresnewerdriver|cuda_error_call_requires_newer_driver",
        "api call is not supported in the installed cuda driver",
        -- A libcuda without a symbol the runtime needs is an older driver's; Ollama's own check.
        "libcuda\\.so[.\\d]*: undefined symbol: cu[[:alnum:]_]+",
        "\\bnvidia driver too old\\b",
        -- conda's and pixi's __cuda virtual package: the driver's CUDA version, below what the package needs.
        "virtual package '__cuda[^']*' does not match",
        "-> __cuda\\[version=",
        -- A framework built for a newer CUDA than the driver provides, as PaddlePaddle words it; and nvidia-container-cli's check of an image's CUDA against the driver.
        "compiled with cuda [\\d.]+,? but cuda runtime version in your machine is [\\d.]+",
        "unsatisfied condition: cuda ?>= ?[\\d.]+",
        -- nvidia-docker 1.0's check of an image's CUDA against the driver's.
        "unsupported cuda version: driver [\\d.]+ < image [\\d.]+",
        "please update your driver to a newer version",
        -- RAPIDS' check of the driver against the CUDA runtime it ships.
        "update your nvidia gpu driver to support cuda runtime",
        "latest version of cuda supported by current nvidia gpu driver",
        -- The driver's PTX JIT meeting a PTX ISA newer than it knows (cuLinkAddData, CUDA error 222).
        "unsupported \\.version [\\d.]+; current version is",
        -- CUDA.jl finding the driver's CUDA below every toolkit it supports.
        "cuda driver [\\d.]+ is not compatible with any supported cuda toolkit",
        -- libsolv (mamba) weighing a package's __cuda requirement against the driver's __cuda.
        "constraint __cuda ?>=? ?[\\d.]+ conflicting with __cuda-[\\d.]+",
        -- A library's feature needing a newer driver than it found (NCCL's own check).
        "requires cuda driver [\\d.]+ or later \\(found [\\d.]+\\)",
        -- Ollama's check of the driver against the CUDA it was built with.
        "old cuda driver detected",
        -- Mining software's and OptiX's words: the driver older than the CUDA (or OptiX SDK) the program was built with.
        "\\binsufficient cuda driver\\b",
        "optix error: '?unsupported abi version|optix_error_unsupported_abi_version",
        -- FFmpeg's NVENC check: the driver older than the encoder API the build uses.
        "driver does not support the required nvenc api version",
        -- OBS's NVENC plugin in its log and in its dialog.
        "driver( version)? does not support this nvenc version",
        "the minimum required nvidia driver for nvenc is",
        -- CUDAnative's check: 'CUDA 10.0 is not supported by your driver (which supports up to 9.0)'.
        "your driver \\(which supports up to [\\d.]+\\)",
        -- Warp's, cuda-bindings', Taichi's, Dr.Jit's and gdrcopy's checks of the CUDA version the driver supports.
        "driver only supports (up to )?cuda [\\d.]+",
        "cuda [\\d.]+ or newer required\\b[^\\n]*\\(reported version \\d+\\)",
        "cuda backend requires at least cuda [\\d.]+, got v?[\\d.]+",
        "jit_cuda_init\\(\\): your version of cuda is too old",
        -- NVIDIA's NGC containers checking the host driver at start, where CUDA's forward compatibility cannot help.
        "was built for nvidia driver release [\\d.]+ or later",
        -- Installers' and InsightFace's checks of the driver's version against what the build needs.
        "driver [\\d.]+ may not support cuda [\\d.]+",
        "requires? (nvidia )?driver r?[\\d.]+ or newer; found [\\d.]+",
        -- CUDA.jl's check of the driver against the toolkit it loads, and a library (Transformer Engine)
        -- asking the driver for an entry point an older driver does not have.
        "requires an nvidia driver for cuda [\\d.x]+ or higher",
        "could not find cuda driver entry point",
        -- Omniverse's (Isaac Sim's) driver check: the installed driver inside a range that starts at 0, below its minimum.
        "currently installed nvidia graphics driver is unsupported",
        "unsupported driver range: \\[0(\\.0)?, ?[\\d.]+\\)",
        -- libcudacxx's words for a driver call this driver is too old for, and NeMo's check of the driver's CUDA.
        "driver version is too low to use this api",
        "driver does not support this api",
        "the driver needs to support at least [\\d.,]+",
      },
    },
    -- On a GPU no current build carries (capability_class too_old) a newer
    -- driver would not help: its last driver branch predates them (gpu_too_old).
    when = { backend = "cuda", capability_class = { "current", "dropped", "too_new" } },
    hints = {
      "driver.*(too old|insufficient|older than|out of date|outdated)",
      "update (your|the) (nvidia |gpu |display )?driver",
      "cuda driver version",
      "minimum required (driver|cuda driver)",
      "insufficient ?driver",
      -- OptiX failing to start: the driver provides OptiX (libnvoptix), too old or incomplete.
      "\\boptix(init)?\\b[^\\n]*\\b(failed|error)\\b",
      -- A driver named as not compatible with the toolkits a program supports.
      "\\bdriver [\\d.]+ is not compatible with\\b",
      -- The CUDA a driver supports, named against what a program needs; CUDA's forward compatibility refused.
      "\\bsupports up to (cuda )?[\\d.]+",
      "forward compatibility",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "The installed NVIDIA driver is older than the CUDA version this PyTorch build was compiled for.",
    steps = {
      "Check the driver: nvidia-smi (the top right corner shows the highest CUDA version driver ${driver_version} supports)",
      "Reinstall with the next build the tables offer for this driver: gpuhost run ${profile} --accelerator ${older_build}",
      "Or upgrade the driver: sudo ubuntu-drivers install (or the .run file from https://www.nvidia.com/Download/index.aspx), then reboot",
    },
    fix = { action = "reinstall", accelerator = "${older_build}" },
  },
  {
    id = "no_kernel_image",
    patterns = {
      any = {
        "no kernel image is available for execution on the device",
        "is not compatible with the current pytorch installation",
        "the current pytorch install supports cuda capabilities",
        "cudaerrornokernelimagefordevice",
        -- The driver API's name for it (CuPy, JAX, numba print it).
        "cuda_error_no_binary_for_gpu",
        -- The same status as Rust bindings print it (rust-gpu-tools).
        "\\bcuda\\(nobinaryforgpu\\)",
        -- TensorFlow's wording: no SASS for this capability, only PTX to JIT.
        "not built with cuda kernel binaries compatible with compute capability",
        -- Prebuilt kernels for other capabilities than this GPU's (tiny-cuda-nn's, cccl's algorithms);
        -- nvdiffrast's numeric form of cudaErrorNoKernelImageForDevice (209).
        "could not find compatible [[:alnum:]_-]+ extension for compute capability \\d+",
        "compiled for compute capabilit(y|ies) [^\\n]*but the current device has compute capability",
        -- PaddlePaddle's check of the GPU's architecture against the archs its wheel was built for.
        "is not compatible with paddle installation with arch",
        "\\bcuda error: 209\\[",
        -- CUDA's older name for it: the runtime's error 8 when a kernel has no code for this GPU.
        "cuda runtime error \\(8\\)",
        "cudaerrorinvaliddevicefunction",
        -- A framework's own check: a compute capability newer than its kernels were built for (8.x and up as PaddlePaddle writes it).
        "compute capability in your current machine is ([89]\\d|\\d{3}),? which is not supported",
        -- torch's own check: a GPU newer than the CUDA this build was compiled with; ggml's kernels without code for this architecture.
        "which requires cuda_version >= \\d+ to work properly",
        "has no device code compatible with cuda arch",
        -- A GPU newer than the build's kernels, as Blender, xformers and ollama say it (a number below 5 is gpu_too_old).
        "cuda binary kernel for this graphics card compute capability \\(([5-9]|\\d{2})\\.\\d\\) not found",
        "your gpu has capability \\(\\d+, ?\\d+\\) \\(too new\\)",
        "compute capability not in compiled architectures",
        -- torch.utils.cpp_extension meeting a GPU architecture newer than this torch knows.
        "unknown cuda arch \\([\\d.]+\\) or gpu not supported",
        -- torch's check of the GPU against the capabilities the build carries (2.8 and later);
        -- on a GPU no build carries it is gpu_too_old (its `given`).
        "the following list shows the ccs this version of pytorch was built for",
        -- ggml built without a CUDA architecture at or below this GPU's.
        "was not compiled with any cuda arch",
        -- cudaErrorSymbolNotFound at a kernel's first use: the binary holds no code for this GPU to find it in.
        "error named symbol not found|cudaerrorsymbolnotfound",
        -- The runtime's own strings for errors 98 and 13 as CUDA programs print them (the common
        -- GPUassert checking macro): a kernel, or a __device__ symbol, with no code for this GPU.
        "gpuassert: invalid device function",
        -- InsightFace's check: a GPU architecture newer than the CUDA runtime it was built with.
        "requires cuda runtime [\\d.]+ or newer; found [\\d.]+",
        -- Text Embeddings Inference: a GPU whose capability its kernels were not compiled for.
        "runtime compute cap \\d+ is not compatible with compile time compute cap \\d+",
        "\\binvalid device symbol\\b",
      },
      none = {
        "pytorch no longer supports this gpu because it is too old",
        -- HIP's wording of a missing code object: the ROCm rules.
        "hip error: no kernel image is available",
      },
    },
    -- A GPU no build carries at all is gpu_too_old (tables/pytorch.lua decides).
    when = { backend = "cuda", capability_class = { "current", "dropped", "too_new" } },
    hints = {
      "kernel image",
      "no binary for (the )?gpu",
      "\\bsm_\\d{2,3}\\b",
      "not compatible with the current pytorch",
      "arch(itecture)? list",
      "\\bptx\\b",
      -- A kernel's symbol missing from the binary: no code for this GPU.
      "named symbol not found",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The installed PyTorch (or extension) has no compiled kernels for this GPU's compute capability; usually the GPU is newer than the build (e.g. sm_120 Blackwell with a cu121/cu124 wheel).",
    steps = {
      "Show the GPU's compute capability: nvidia-smi --query-gpu=name,compute_cap --format=csv",
      "Show the architectures the build supports: ${python} -c \"import torch; print(torch.__version__, torch.cuda.get_arch_list())\"",
      "Reinstall the build the tables offer with kernels for this GPU (RTX 50xx needs CUDA 12.8+, Pascal an older PyTorch): gpuhost run ${profile} --accelerator ${gpu_build}",
      "For a self-compiled extension, rebuild it for this GPU: TORCH_CUDA_ARCH_LIST=\"$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1)\" pip install --no-build-isolation --force-reinstall <package>",
    },
    fix = { action = "reinstall", accelerator = "${gpu_build}" },
  },
  {
    id = "gpu_too_old",
    patterns = {
      any = {
        "pytorch no longer supports this gpu because it is too old",
        -- A library naming the oldest GPU architecture it runs on (DeepSpeed's inference kernels).
        "only supported on (kepler|maxwell|pascal|volta|turing|ampere) and newer",
        "the minimum cuda capability that we support is",
        "the minimum cuda capability supported by this library is",
        "which is of cuda capability \\d\\.\\d",
        -- TensorFlow's wording.
        "the minimum required cuda capability is \\d",
        -- Ollama's and llama.cpp's own checks of the compute capability.
        "cuda gpu is too old",
        -- A GPU of compute capability 3.0 or lower, which no CUDA 11+ build or current framework supports, as the program lists it.
        "compute capability:? ([12]\\.\\d|3\\.0)\\b",
        -- The same check on a compute capability below 5.3 (as PaddlePaddle writes it): a GPU builds no longer cover.
        "compute capability in your current machine is ([1-4]\\d|5[0-2]),? which is not supported",
        -- A program's own kernel check naming the compute capability it needs.
        "requires (cuda )?(compute )?capability (of |>= ?)?[\\d.]+|requires [\\d.]+ (compute )?capability",
        -- xmrig's own device line: a compute capability 2.x or 3.0 (arch:21), below every current CUDA build.
        "\\barch:([12]\\d|30)\\b",
        -- A library's (LMDeploy's, Nunchaku's) minimum architecture for what was asked of it.
        "requires sm ?>=? ?[\\d.]+",
        "requires an? (maxwell|pascal|volta|turing|ampere|ada|hopper) or newer (nvidia )?gpu",
        -- Jittor's check: 'CUDA arch(21)<30 is not supported'.
        "cuda arch\\(\\d+\\) ?< ?\\d+ is not supported",
        -- Blender's kernel check on a GPU below compute capability 5.0; FlashAttention's minimum architecture.
        "cuda binary kernel for this graphics card compute capability \\([1-4]\\.\\d\\) not found",
        "only supports [[:alnum:] ]*gpus or newer",
        -- cuBLAS and cuDNN calling for a feature this GPU's architecture lacks (their *_ARCH_MISMATCH status).
        "cublas_status_arch_mismatch|cudnn_status_arch_mismatch",
        -- RAPIDS (cuDF, cuML) without PTX for an architecture this old.
        "missing the necessary ptx files that are <= ?\\d+",
      },
      none = {
        -- Too old for Triton, the compiler torch.compile uses, not for PyTorch itself: torch_compile_failed.
        "too old to be supported by the triton gpu compiler",
      },
    },
    -- On a GPU no PyTorch CUDA build carries (tables/pytorch.lua), a missing
    -- kernel is the GPU's age, not one build's choice.
    given = {
      when = { capability_class = "too_old" },
      any = {
        "no kernel image is available for execution on the device",
        "cudaerrornokernelimagefordevice",
        "cuda_error_no_binary_for_gpu",
        -- The same status as Rust bindings print it (rust-gpu-tools).
        "\\bcuda\\(nobinaryforgpu\\)",
        "cuda runtime error \\(8\\)",
        "cudaerrorinvaliddevicefunction",
        "the following list shows the ccs this version of pytorch was built for",
        "error named symbol not found|cudaerrorsymbolnotfound",
        -- The driver too old for the runtime: this GPU's last driver branch is older than any current CUDA needs.
        "cudaerrorinsufficientdriver|driver version is insufficient|\\binsufficient driver\\b",
        "cuda driver [\\d.]+ is not compatible with any supported cuda toolkit",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "compute capability",
      "cuda capability",
      "(gpu|device|card).*(too old|no longer supported|not supported)",
      "\\b(kepler|maxwell|fermi|tesla k\\d+)\\b",
      "requires [\\d.]+ (compute )?capability",
      -- A minimum capability named, in any program's words.
      "\\b(min(imum)?|required?|requires|needs)\\b[^\\n]*\\bcapabilit(y|ies)\\b|\\bcapabilit(y|ies)\\b[^\\n]*\\b(min(imum)?|required?|requires|needs)\\b",
      -- cudaErrorNotSupported (801): an operation this GPU does not support, most often for its age.
      "cudaerrornotsupported|cuda_error_not_supported",
    },
    severity = "critical",
    confidence = 0.95,
    diagnosis = "The GPU's CUDA compute capability is below the minimum supported by current PyTorch binaries.",
    steps = {
      "Confirm the compute capability: nvidia-smi --query-gpu=name,compute_cap --format=csv",
      "Install an older PyTorch release that still ships kernels for this GPU (see https://pytorch.org/get-started/previous-versions/); the tables pick it: gpuhost run ${profile} --accelerator ${gpu_build}",
      "Or run on the CPU instead: gpuhost run ${profile} --accelerator cpu",
    },
    fix = { action = "switch_cpu" },
  },
  {
    id = "cuda_toolkit_mismatch_build",
    patterns = {
      any = {
        "the detected cuda version \\([\\d.]+\\) mismatches the version that was used to compile",
        "mismatches the version that was used to compile",
        "please make sure to use the same cuda versions",
        -- apex's and DeepSpeed-style builders' own checks.
        "compiled with a version of cuda that does not match the version used to compile pytorch",
        "installed cuda version [\\d.]+ does not match the version torch was compiled with",
        -- TorchRL's build comparing nvcc's CUDA with PyTorch's.
        "\\bnvcc (cuda )?[\\d.]+ does not match pytorch('s)? cuda [\\d.]+",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "(detected|installed|system) cuda version",
      "version that was used to compile",
      "cuda.*mismatch",
      "mismatch.*cuda",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "A CUDA extension is being compiled with a system CUDA toolkit (nvcc) whose version differs from the CUDA version PyTorch was built with.",
    steps = {
      "Compare versions: nvcc --version && ${python} -c \"import torch; print(torch.version.cuda)\"",
      "Point the build at a matching toolkit, e.g.: export CUDA_HOME=/usr/local/cuda-12.1 && export PATH=$CUDA_HOME/bin:$PATH",
      "Or install the toolkit of the CUDA version of a build the tables offer for this GPU, and that build: gpuhost run ${profile} --accelerator ${gpu_build}",
      "Then rebuild the extension: pip install --no-build-isolation --force-reinstall <package>",
    },
    fix = { action = "set_env", name = "CUDA_HOME", value = "/usr/local/cuda" },
  },
  {
    id = "nvml_driver_library_mismatch",
    patterns = {
      any = {
        "failed to initialize nvml: driver/library version mismatch",
        "driver/library version mismatch",
        "nvml library version",
        "nvml_error_lib_rm_version_mismatch|nvmlerror_librmversionmismatch",
        "api mismatch: the nvidia kernel module has version",
        -- cudaError 803: libcuda and the loaded kernel module come from different drivers.
        "cuda_error_system_driver_mismatch|cudaerrorsystemdrivermismatch",
        "system has unsupported display driver / cuda driver combination",
        -- TensorFlow/XLA comparing the loaded kernel module with libcuda.
        "kernel version [\\d.]+ does not match dso version",
        -- The kernel's side of it: NVRM comparing the client's version with the module's.
        "nvrm: api mismatch",
        -- Ollama's wording.
        "version mismatch between driver and cuda driver library",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "version mismatch",
      "api mismatch",
      "nvml.*(mismatch|version)",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "The NVIDIA user-space libraries were upgraded but the old kernel module is still loaded.",
    steps = {
      "Compare versions: cat /proc/driver/nvidia/version && dpkg -l | grep -i nvidia-utils",
      "Reboot to load the new kernel module: sudo reboot",
      "Without rebooting (no GPU processes running): sudo rmmod nvidia_uvm nvidia_drm nvidia_modeset nvidia && sudo modprobe nvidia && nvidia-smi",
      "Stop unattended upgrades of the driver: sudo apt-mark hold 'nvidia-*' 'libnvidia-*'",
    },
  },
  {
    id = "nvidia_fabric_manager_not_running",
    -- cudaError 802: on GPUs joined by NVSwitch (HGX/DGX A100, H100, H200,
    -- B200) CUDA waits for the Fabric Manager to set up the fabric, and says
    -- the system is not ready until the service (of the driver's exact
    -- version) has done so.
    patterns = {
      any = {
        "system not yet initiali[sz]ed",
        "cudaerrorsystemnotready|cuda_error_system_not_ready",
        "\\b(error|code)[ =]?802\\b",
        "cuda runtime error \\(802\\)",
        W.cuda_call_answered(802),
        -- The service's own refusal to start: its version is not the driver's.
        "fabric manager[^\\n]*driver interface version [\\d.]+ don'?t match with driver version",
      },
    },
    when = { backend = "cuda", os = "linux" },
    hints = {
      "fabric ?manager|nv-fabricmanager|\\bnvswitch",
      -- Error 802's own words.
      "system not (yet )?(initiali[sz]ed|ready)|systemnotready",
    },
    severity = "critical",
    confidence = 0.9,
    diagnosis = "The GPUs sit on an NVSwitch fabric that is not set up: the nvidia-fabricmanager service is not installed, not running, or not the driver's exact version, so CUDA reports error 802, system not yet initialized.",
    steps = {
      "Check the service and its log: systemctl status nvidia-fabricmanager; journalctl -u nvidia-fabricmanager -b",
      "Install the Fabric Manager of exactly the driver's version (nvidia-smi shows it): e.g. sudo apt install nvidia-fabricmanager-<driver branch>, or the distribution's nvidia-fabric-manager package",
      "Start it now and at boot: sudo systemctl enable --now nvidia-fabricmanager",
      "Check the fabric is ready: nvidia-smi -q | grep -i -A2 fabric (State: Completed), then: gpuhost run ${profile}",
      "In a container or a cloud job the host runs the service: ask the provider, or retry once nvidia-smi -q shows the fabric state Completed",
    },
  },
  {
    id = "cuda_stub_library",
    -- cudaError 34: the CUDA toolkit ships a libcuda.so in lib64/stubs so that
    -- programs link without a driver; it answers every call with this error.
    -- Found at run time, it hides the driver's own libcuda.
    patterns = {
      any = {
        "cuda driver is a stub library",
        "cudaerrorstublibrary|cuda_error_stub_library",
        "cuda runtime error \\(34\\)",
        W.cuda_call_answered(34),
        "\\bcuda[^\\n]{0,40}\\berror(:| code)? ?34\\b",
        -- A driver API call answering 34 ("cuDriverGetVersion(): 34", "cuInit returned 34").
        "\\bcu[[:alpha:]]+(\\(\\))?:? (returned |failed with |error |code )*34\\b",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "/stubs/libcuda\\.so|lib(64)?/stubs\\b|\\bstub library\\b",
      -- The stub answers cuGetErrorString too, so a program that prints the
      -- driver's words for its error prints none.
      "cuda error: \\(null\\)",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The program loaded the CUDA toolkit's stub libcuda.so (from a lib64/stubs folder, meant only for linking) instead of the NVIDIA driver's libcuda, so every CUDA call fails with error 34.",
    steps = {
      "Find the stub on the search path: echo $LD_LIBRARY_PATH | tr : '\\n' | grep stubs; ldconfig -p | grep libcuda",
      "Remove the stubs folder from LD_LIBRARY_PATH (and from /etc/ld.so.conf.d, then sudo ldconfig); link against it at build time only",
      "In a container, run with the GPU (docker run --gpus all, or the NVIDIA runtime) so the host driver's libcuda.so.1 is mounted",
      "Check the driver's library is found first: python -c \"import ctypes; ctypes.CDLL('libcuda.so.1')\" && nvidia-smi, then: gpuhost run ${profile}",
    },
  },
  {
    id = "cuda_devices_busy",
    -- cudaError 46: no device may take another context. NVIDIA documents the
    -- cause as the compute mode: Exclusive_Process (another process holds the
    -- GPU) or Prohibited. Inside WSL the same words mean the GPU is not passed
    -- through (wsl_gpu_not_visible).
    patterns = {
      any = {
        -- Lightning finding the GPUs it asked for held by other processes.
        "are occupied by other processes and can'?t be used",
        "all cuda-capable devices are busy or unavailable",
        "cuda-capable device\\(s\\) is/are busy or unavailable",
        "cudaerrordevicesunavailable|cuda_error_device_unavailable",
        "cuda runtime error \\(46\\)",
        W.cuda_call_answered(46),
      },
    },
    when = { backend = "cuda", wsl = false },
    hints = {
      "exclusive_process|exclusive process|compute ?mode|\\bprohibited\\b",
      -- Error 46's own words, however a program wraps them.
      "\\bbusy or unavailable\\b|\\bdevices? (is|are|is/are) busy\\b",
      -- A CUDA call answering 46 (devices unavailable) by number.
      "(return value|error|code|status) 46\\b",
      -- OpenMM finding no GPU it can open a context on: busy in exclusive mode, as a guess.
      "no compatible cuda device is available",
    },
    severity = "error",
    confidence = 0.8,
    diagnosis = "Every GPU this process may use is busy or unavailable: its compute mode is Exclusive_Process and another process holds it (or the mode is Prohibited), so CUDA cannot create a context.",
    steps = {
      "See the compute mode and who holds the GPU: nvidia-smi --query-gpu=index,compute_mode --format=csv; nvidia-smi",
      "Stop the other process, or let processes share the GPU: sudo nvidia-smi -i <index> -c DEFAULT (on a shared cluster ask the admins; the scheduler may set the mode on purpose)",
      "Under MPS (nvidia-cuda-mps-control) clients must run as the server's user; stop it with: echo quit | nvidia-cuda-mps-control",
      "If no process holds it and the mode is Default, the driver is in a bad state: reload it or reboot, then: gpuhost run ${profile}",
    },
  },
  {
    id = "ptx_jit_compiler_missing",
    -- cudaError 221: kernels shipped as PTX are compiled for the GPU by the
    -- driver's libnvidia-ptxjitcompiler; a container or WSL setup that mounts
    -- only part of the driver's libraries leaves it out.
    patterns = {
      any = {
        "ptx jit compiler library not found",
        "cudaerrorjitcompilernotfound|cuda_error_jit_compiler_not_found",
        "libnvidia-ptxjitcompiler\\.so[.\\d]*: cannot open shared object file",
        "cuda runtime error \\(221\\)",
        W.cuda_call_answered(221),
        -- Blender's CUDA wrangler (CUEW) naming error 221 in its own words.
        "\\(jit compiler not found\\)",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "ptxjitcompiler|nvptxjitcompiler|\\bptx ?jit\\b|\\bjit compiler\\b",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The NVIDIA driver's PTX JIT compiler library (libnvidia-ptxjitcompiler) is missing, so CUDA cannot compile PTX kernels for this GPU: a container or WSL setup mounted only part of the driver, or the driver was installed without its compute libraries.",
    steps = {
      "Look for it: ldconfig -p | grep ptxjitcompiler (in WSL: ls /usr/lib/wsl/lib)",
      "In a container ask for the compute libraries: NVIDIA_DRIVER_CAPABILITIES=compute,utility (or all), or docker run --gpus all,capabilities=compute",
      "On the host install the driver's compute libraries of the same version as the driver (e.g. libnvidia-compute-<branch> on Ubuntu), or reinstall the driver",
      "On WSL update the Windows NVIDIA driver, then: wsl --shutdown; then: gpuhost run ${profile}",
    },
  },
  {
    id = "nvidia_driver_not_loaded",
    patterns = {
      any = W.with(W.NVIDIA_DRIVER_UNREACHABLE, {
        -- No module built for the running kernel, or the installer could not load it.
        "module nvidia[_a-z]* not found in directory /lib/modules",
        -- nvidia-installer without the running kernel's headers: the module cannot be built.
        "the kernel header file '[^']*' does not exist",
        "fatal: nvidia[_a-z]* not found in directory /lib/modules",
        -- Cortex's check for the NVIDIA driver before picking an engine.
        "\\bnvidia[- ]driver is not installed\\b",
        "could not find module by name '?nvidia",
        -- DKMS could not build the module for the running kernel.
        "dkms module '?nvidia[^\\n]*\\bfail",
        -- Docker finding a driver device node absent on the host.
        "/dev/nvidia(-uvm|-uvm-tools|ctl|\\d+)\"?: no such file or directory",
        -- No driver, as conda's solver sees it (no __cuda), and NVML's library absent (Slurm).
        "__cuda, which is missing on the system",
        "libnvidia-ml\\.so[.\\d]*: cannot open shared object file",
        -- numba's and pynvml's words for no driver library.
        "cuda driver library cannot be found",
        "nvml shared library not found|nvmlerror_librarynotfound",
        -- libsolv (conda, mamba) finding no __cuda virtual package: no driver to read it from; nvidia-persistenced finding no device files.
        "nothing provides __cuda needed by",
        "failed to query nvidia devices",
        -- nvidia-installer cannot build the module for the running kernel: no module to load.
        "unable to find the kernel source tree for the currently running kernel",
        -- akmods (RPM Fusion, negativo17) failing to build the module for the running kernel.
        "nvidia-kmod[^\\n]*\\[ *failed *\\]",
        -- akmods without the running kernel's development files: no module can be built.
        "files needed for building modules against kernel [^\\n]* could not be found",
        "could not find files needed to compile modules for",
        -- TensorFlow (nvcuda.dll, the driver's own DLL on Windows) and pynvml finding no driver.
        "could not find 'nvcuda\\.dll'",
        "management library \\(nvml\\) not found",
      }),
      none = {
        "key was rejected by service",
        "required key not available",
        "gpu access blocked by the operating system",
        -- nouveau holding the GPU (nouveau_loaded); the installer's list of
        -- possible causes names nouveau too, so only its own lines count.
        "nouveau kernel driver is currently in use",
        "\\bnouveau [0-9a-f]{4}:[0-9a-f]{2}:",
        "blacklist[- ]nouveau|nouveau\\.modeset|lsmod[^\\n]*nouveau|^nouveau\\b",
        "nvrm: nouveau",
      },
    },
    when = { backend = "cuda", wsl = false, nvidia_driver_loaded = false, nouveau_loaded = false },
    hints = {
      "nvidia (kernel )?(driver|module)",
      "nvidia-smi",
      "/proc/driver/nvidia",
      "\\bdkms\\b",
      "\\bmodprobe\\b",
      "no nvidia",
      "driver not loaded",
      -- Fedora's akmods building the kernel module.
      "\\bakmods\\b|nvidia-kmod",
    },
    severity = "critical",
    confidence = 0.85,
    diagnosis = "The NVIDIA kernel driver is not loaded (not installed, or not built for the running kernel).",
    steps = {
      "Check the module: lsmod | grep nvidia; dkms status",
      "Load it: sudo modprobe nvidia && nvidia-smi",
      "If modprobe fails, rebuild it for the running kernel: sudo apt install --reinstall linux-headers-$(uname -r) && sudo dkms autoinstall",
      "Or install a driver: sudo ubuntu-drivers install && sudo reboot",
    },
  },
  {
    id = "nouveau_loaded",
    patterns = {
      any = {
        "nouveau kernel driver is currently in use",
        "nvrm: nouveau, rivafb, nvidiafb or rivatv",
        "was loaded and obtained ownership of the nvidia device",
        "the nvidia probe routine was not called",
        -- The kernel log of nouveau binding a GPU ("nouveau 0000:01:00.0: NVIDIA GM204").
        "\\bnouveau [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]: ",
        -- nvidia-installer: its files disabling nouveau are in place, yet nouveau is still enabled.
        "nouveau may be enabled for other reasons",
        -- nvidia-installer failing to write its nouveau blacklist: nouveau stays in the way.
        "unable to alter the nouveau modprobe configuration",
        "disable the nouveau kernel driver",
      },
    },
    -- On a machine where nouveau is loaded, the NVIDIA driver cannot be: its
    -- "no driver" lines mean nouveau holds the GPU.
    given = {
      when = { nouveau_loaded = true },
      any = W.with(W.NVIDIA_DRIVER_UNREACHABLE, {
        "no cuda-capable device is detected|cuda_error_no_device",
      }),
    },
    when = { os = "linux", nouveau_loaded = true },
    hints = {
      "nouveau",
    },
    severity = "critical",
    confidence = 0.95,
    diagnosis = "The open-source nouveau driver owns the GPU, so the NVIDIA driver cannot bind to it.",
    steps = {
      "Confirm: lsmod | grep nouveau",
      "Blacklist nouveau: printf 'blacklist nouveau\\noptions nouveau modeset=0\\n' | sudo tee /etc/modprobe.d/blacklist-nouveau.conf",
      "Rebuild the initramfs: sudo update-initramfs -u (Fedora/RHEL: sudo dracut --force)",
      "Reboot, then check: sudo reboot; nvidia-smi",
    },
  },
  {
    id = "cuda_lib_missing",
    patterns = {
      any = {
        "libcu(dart|blas(lt)?|fft|rand|sparse|solver|pti|file|tensor)[[:alnum:]_]*\\.so[.\\d]*: cannot open shared object file",
        "could not load dynamic library 'libcu(dart|blas|fft|rand|sparse|solver|pti)",
        "libnvrtc[[:alnum:]\\-.]*: cannot open shared object file",
        "libnvjitlink[[:alnum:]\\-.]*: cannot open shared object file",
        "(cudart|cublas(lt)?|cufft|curand|cusparse|cusolver|nvrtc|nvjitlink)64_\\d+(_\\d+)?\\.dll",
        -- torch's preloader of the nvidia-* wheels (torch/__init__.py).
        "lib(cudart|cublas(lt)?|nvrtc|nvjitlink|cufft|curand|cusparse|cusolver|cupti|nccl)[^\\n]*not found in the system path",
        -- NVRTC without its builtins library, and ONNX Runtime failing to load CUDA for its provider.
        "nvrtc: error: failed to (open libnvrtc-builtins|load builtins)",
        "failed to create cudaexecutionprovider",
        "cuda_path is set but cuda wasn'?t able to be loaded",
        -- JAX's check of each CUDA library, and NVTX (libnvToolsExt) that libtorch links.
        "unable to load (cublas|cufft|cusparse|cusolver|cupti|nvjitlink|nvrtc|cuda runtime|nccl)\\. is it installed",
        "libnvtoolsext[[:alnum:]_.]*: cannot open shared object file",
        -- NCCL, loaded at run time by programs that use it (XGBoost, CuPy).
        "libnccl[[:alnum:]_.]*: cannot open shared object file",
        -- bitsandbytes' own search for CUDA's runtime.
        "cuda runtime (libraries|files) (were )?not found",
        -- hashcat without the toolkit's NVRTC.
        "failed to initiali[sz]e nvidia rtc library",
        -- numba's NVVM, part of the toolkit.
        "libnvvm cannot be found",
        "libnvvm[[:alnum:]_.]*: cannot open shared object file",
        -- XLA's stub when libcudart does not load, and ONNX Runtime's CUDA provider whose CUDA DLLs are missing (error 126).
        "could not find cuda drivers on your machine",
        "loadlibrary failed with error 126[^\\n]*onnxruntime_providers_(cuda|tensorrt)\\.dll",
        -- JAX's check of the CUDA libraries it was built against; TensorFlow's summary after failed loads.
        "outdated (cuda( runtime)?|cublas|cusparse|cusolver|cufft|cupti|nvjitlink) installation found",
        "found (cuda|cublas|cusparse|cusolver|cufft|cupti|nvjitlink|nccl) version \\d+,? but jax was built against version \\d+",
        "cannot dlopen some gpu libraries",
        -- Unsloth finding CUDA's libraries off the loader's path.
        "cuda is not linked properly",
        -- Windows naming a CUDA DLL itself as the module it could not find.
        "could not load \"?[^\"\\n]*\\b(cudart|cublas(lt)?|cufft|curand|cusparse|cusolver|nvrtc|nvjitlink|cupti)64_\\d+(_\\d+)?\\.dll\"?: the specified module could not be found",
        -- A CUDA library named by what it is (nvImageCodec's, faiss's): loading it failed, or its nvidia-* wheel is absent.
        "failed to load (the )?(nvjpeg2?k?|nvtiff|nvcomp|npp[a-z]*|cufft|cublas(lt)?|curand|cusparse|cusolver|nvrtc|cudart) library",
        "nvidia-(cuda-runtime|cublas|cufft|curand|cusparse|cusolver|cuda-nvrtc|nvjpeg|nvjitlink)-cu\\d+ is (missing|not installed)",
        -- onnxruntime-genai finding no CUDA runtime libraries (on Windows, through CUDA_PATH).
        "could not find the cuda libraries",
      },
      none = {
        "\\bcupy\\b",
        -- A CUDA DLL that was found but failed to initialise: windows_dll_missing.
        "winerror 1114",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "\\blibcu(dart|blas|fft|rand|sparse|solver|pti)",
      "\\bcu(dart|blas|fft|rand|sparse|solver)64",
      "cuda (runtime )?librar(y|ies)",
      "\\bnvrtc\\b|nvjitlink",
      "(unable to|cannot|could not|failed to) load (lib)?cu(dart|blas|fft|rand|sparse|solver|pti)",
      "\\bcu(dart|blas|blaslt|fft|rand|sparse|solver|pti)64_\\d+\\.dll",
      -- CUDA's libraries by name, as JAX's and TensorFlow's version checks print them.
      "\\bcu(sparse|solver|fft|rand|blas|pti)\\b",
      "(dlopen|load)[^\\n]*gpu librar",
      -- JAX naming an installed CUDA library older than the one it was built against.
      "the copy of [[:alnum:]]+ that is installed must be at least as new",
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "A CUDA runtime library (libcudart/libcublas/...) of the version the package was built for cannot be found.",
    steps = {
      "See which libraries are visible: ldconfig -p | grep -E 'libcudart|libcublas'; echo $LD_LIBRARY_PATH",
      "Install the pip-packaged CUDA runtime for that version: ${venv}/bin/pip install nvidia-cuda-runtime-cu12 nvidia-cublas-cu12 (use -cu11 for .so.11 libraries)",
      "Or reinstall with the next build the tables offer for this machine: gpuhost run ${profile} --accelerator ${older_build}",
      "If a system toolkit is installed, expose it: export LD_LIBRARY_PATH=/usr/local/cuda/lib64:$LD_LIBRARY_PATH",
    },
    fix = { action = "reinstall", accelerator = "${older_build}" },
  },
  {
    id = "cudnn_lib_missing",
    patterns = {
      any = {
        "libcudnn[[:alnum:]_]*\\.so[.\\d]*: cannot open shared object file",
        "could not load library libcudnn",
        "unable to load any of \\{libcudnn",
        "please make sure libcudnn[[:alnum:]_]*\\.so[.\\d]* is in your library path",
        "could not load dynamic library 'libcudnn",
        -- Windows: cuDNN's DLLs by name.
        "could not (load library|locate) cudnn[[:alnum:]_]*\\.dll",
        -- torch's preloader of the nvidia-cudnn wheel.
        "libcudnn[^\\n]*not found in the system path",
        -- Paddle's and JAX's loaders finding no cuDNN (Paddle names the library it could not load).
        "cannot load cudnn shared library",
        "dynamic library \\((lib)?cudnn[^)]*\\) that \\w+ depends on is not configured correctly",
        "cudnn_dso_handle should not be null",
        "unable to load cudnn\\. is it installed",
        -- cuDNN 9 unable to load one of its own sub-libraries (engines, graph, ops).
        "cudnn_status_sublibrary_loading_failed",
        -- CUDA.jl's cuDNN package finding no library.
        "\\bcudnn is not available on (your|this) system",
      },
      none = {
        "error: libcuda\\.so[.\\d]*: cannot open",
        "winerror",
        -- Found, but from another cuDNN than the library beside it (cudnn_version_mismatch).
        "version libcudnn[[:alnum:]_]*\\.so\\.\\d+ not defined in file libcudnn",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "cudnn.*(not found|cannot|could not|unable|missing|failed to load)",
      "(not found|cannot|could not|unable|missing|failed to load).*cudnn",
      "\\blibcudnn|\\bcudnn\\w*64_\\d",
      "\\brequire cudnn [\\d.*]+",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The cuDNN version the package expects (e.g. libcudnn_ops_infer.so.8 or libcudnn_ops.so.9) is not installed or not on the library path.",
    steps = {
      "See which cuDNN is visible: ldconfig -p | grep libcudnn; ${venv}/bin/pip list 2>/dev/null | grep -i cudnn",
      "Install the matching pip wheel: ${venv}/bin/pip install 'nvidia-cudnn-cu12==9.*' (cuDNN 8 / .so.8: 'nvidia-cudnn-cu11==8.*')",
      "Expose the wheel's libraries: export LD_LIBRARY_PATH=$(${python} -c 'import os, nvidia.cudnn; print(os.path.dirname(nvidia.cudnn.__file__))')/lib:$LD_LIBRARY_PATH",
      "Or install it system-wide: sudo apt install libcudnn8 (or libcudnn9-cuda-12)",
    },
  },
  {
    id = "cuda_out_of_memory",
    patterns = {
      any = W.with(W.GPU_OUT_OF_MEMORY, {
        "cuda out of memory",
        "outofmemoryerror",
        "cuda_error_out_of_memory|cudaerrormemoryallocation",
        -- nvdiffrast's numeric form of cudaErrorMemoryAllocation (2) from its allocation call.
        "\\bcuda error: 2\\[cudamalloc",
        -- The CUDA libraries' own out-of-memory statuses (cuBLAS, cuDNN, cuFFT, cuSOLVER, cuSPARSE, cuRAND).
        "cublas_status_alloc_failed|cudnn_status_alloc_failed|cufft_alloc_failed|cusolver_status_alloc_failed|cusparse_status_alloc_failed|curand_status_allocation_failed",
        "\\bcuda error: out of memory",
        -- ggml's CUDA backend (llama.cpp, Ollama).
        "cudamalloc failed: out of memory",
        "unable to allocate cuda\\d+ buffer",
        -- The same exhaustion as TensorFlow, JAX/XLA and CuPy/Chainer word it.
        "oom when allocating tensor",
        "resource_?exhausted: out of memory",
        "out of memory (to )?allocat(e|ing) [\\d,]+ bytes",
        -- PyTorch's allocator against the device's limit.
        "allocation on device( \\d+)? would exceed allowed memory",
        -- Serving engines' own checks of GPU memory (vLLM's KV cache and start-up check, SGLang, TGI) and ComfyUI's.
        "no available memory for the cache blocks",
        "kv cache is needed, which is larger than the available kv cache memory",
        "free memory on device[^(\\n]{0,20}\\([^)]*\\) on startup is less than desired gpu memory utilization",
        "not enough memory\\. please try to increase --mem-fraction-static",
        "not enough memory to handle \\d+ prefill tokens",
        "got an oom, unloading all loaded models",
        -- Blender's, SGLang's and GPT4All's out-of-memory wordings.
        "system is out of gpu( and shared host)? memory",
        "memory capacity is unbalanced",
        "unavailable gpus due to insufficient memory",
        -- Triton passing on the CUDA driver's error.
        "triton error \\[cuda\\]:[^\\n]*\\bout of memory",
        -- RAPIDS' memory manager (RMM) out of device memory or past its pool's size.
        "out_of_memory: rmm failure|rmm failure at:[^\\n]*maximum pool size exceeded",
        -- Jittor's CUDA allocator.
        "unable to alloc cuda device memory",
      }),
      none = {
        "mps backend out of memory",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "out ?of ?memory",
      "\\boom\\b",
      "resource_?exhausted",
      "(failed to|cannot|could not|unable to) allocate.*(memory|bytes|gpu)",
      "memory (allocation|exhausted)",
    },
    severity = "warning",
    confidence = 0.9,
    diagnosis = "The GPU ran out of memory for this model / batch size (or another process is holding GPU memory).",
    steps = {
      "See who uses the GPU memory: nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv",
      "Stop stale processes: kill <pid>",
      "Reduce fragmentation: export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True",
      "Lower the batch size / resolution, or use half precision or CPU/offload options of the application",
    },
    fix = { action = "set_env", name = "PYTORCH_CUDA_ALLOC_CONF", value = "expandable_segments:True" },
  },
  {
    id = "cuda_error_after_suspend",
    patterns = {
      any = {
        "cuda unknown error - this may be due to an incorrectly set up environment",
        "cuda runtime error \\(999\\) : unknown error",
        "error=999 : unknown error",
        "cudaerrorunknown",
        -- The driver API's name for it, and the runtime's code 30 before CUDA 10.1.
        "\\bcuda_error_unknown\\b",
        "\\(30 vs\\. 0\\) unknown error",
        "\\bcuda\\w+(\\(\\))? (returned|failed with error #?) ?30\\b",
        -- code 999 by number (Ollama's probe of libcudart).
        "\\bcud[a-z]*[^\\n]{0,30}\\b(err|error|failure)[:=]? ?999\\b",
        -- CUDA's 'unknown error' as ggml and old cudaError numbering print it.
        "failed to initiali[sz]e cuda: unknown error",
        "\\bcudaerror:? ?30 \\(unknown error\\)",
        -- libnvidia-container (before NVML) reaching CUDA on the host, which fails with its unknown error.
        "initialization error: cuda error: unknown error",
      },
    },
    when = { backend = "cuda", os = "linux" },
    hints = {
      "unknown error",
      "nvidia_uvm",
      "\\b(suspend|resume|hibernat\\w*|sleep)\\b",
      "cuda_error_unknown|cudaerrorunknown",
    },
    severity = "error",
    confidence = 0.8,
    diagnosis = "CUDA fails to initialise with 'unknown error' - typically the nvidia_uvm module is wedged after a suspend/resume.",
    steps = {
      "Reload the unified-memory module (stop GPU programs first): sudo rmmod nvidia_uvm && sudo modprobe nvidia_uvm",
      "Or: sudo nvidia-modprobe -u -c 0",
      "Check again: ${python} -c \"import torch; print(torch.cuda.is_available())\"",
      "If it persists, reboot: sudo reboot",
    },
  },
  {
    id = "cuda_visible_devices_hides_gpu",
    patterns = {
      any = {
        "no cuda gpus are available",
        "invalid device ordinal",
        "no cuda-capable device is detected",
        "cudaerrorinvaliddevice|cuda_error_invalid_device\\b",
        -- A device index past the visible ones (torch.load's map check), and the driver API's name for no device.
        "attempting to deserialize object on cuda device \\d+ but torch\\.cuda\\.device_count\\(\\) is \\d+",
        "cuda_error_no_device|cudaerrornodevice",
        -- TGI asked for more GPUs than it can see.
        "notenoughcudadevices",
        -- Accelerate's device map naming a GPU the process cannot see; PoCL's CUDA driver given fewer GPUs than asked.
        "device \\d+ is not available, available devices are \\[",
        "\\d+ devices requested, but only \\d+ (are|is) available",
        -- koboldcpp's and Lightning's checks of the GPUs asked for against those the process sees.
        "because there are only \\d+ devices?\\b",
        "you requested to find \\d+ devices but this machine only has \\d+ gpus",
        "you requested gpus?: \\[[^]]*\\]\\s*but your machine only has",
        -- NCCL given a device index past the devices this rank sees.
        "invalid device \\d+ \\(totalndev=\\d+\\)",
        -- More GPUs asked for than the process can see (vLLM's placement group).
        "number of required gpus exceeds the total number of available gpus",
        -- nvidia-container-cli asked (NVIDIA_VISIBLE_DEVICES, --gpus device=) for a GPU the host does not have.
        "nvidia-container-cli: device error: [^:]+: unknown device",
        -- vLLM asked for more GPUs than this node shows.
        "is larger than the number of available gpus",
        -- PyTorch's own check of a device index against the devices it can see.
        "device >= 0 && device < num_gpus",
        -- OpenMM's Context given a DeviceIndex past the GPUs it can see.
        "illegal value for deviceindex",
        -- XGBoost's and tinygrad's checks of a device ordinal against the GPUs present.
        "gpus? (are|is) visible, ordinal \\d+ is invalid",
        "requesting more devices than the system has",
        -- cuda.core's Device() given an ordinal past the devices it sees.
        "device_id must be within \\[0, \\d+\\), got \\d+",
        -- AutoRound's --device index checked against the devices CUDA_VISIBLE_DEVICES leaves.
        "must be smaller than the number of available devices",
        -- LitGPT asked for more GPUs than the process sees.
        "selected more devices \\(\\d+\\) than available",
        -- ggml's CUDA backend (through candle and others) given an index past the devices it sees.
        "device index `?\\d+`? is out of range for `?\\d+`? devices",
        -- faiss's check of a device index against the GPUs it sees; LightGBM and Keras naming a GPU that is not there.
        "device < getnumdevices\\(\\)",
        "invalid gpu device id \\d+",
        "device not found: gpu:\\d+",
        -- Xinference's and a C API's checks of the GPUs or the index asked for against the devices present.
        "requested gpus exceed the number of available devices",
        "device index \\d+ exceeds the maximum",
      },
      none = {
        "cuda unknown error",
        "microsoft-standard-wsl",
        -- Cray MPICH's GPU layer finding no device is a Slurm step without GPUs (slurm_job_without_gpu).
        "\\bgtl_debug: ",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "cuda_visible_devices",
      "device ordinal",
      "no cuda[- ](capable )?(gpus?|devices?)",
      "invalid device\\b",
      "cuda_error_no_device|cudaerrornodevice",
      -- A device index checked against the number of GPUs CUDA sees.
      "device < num_gpus|\\bnum_gpus\\b[^\\n]*assert",
    },
    severity = "error",
    confidence = 0.7,
    diagnosis = "CUDA sees fewer GPUs than the program asks for - usually CUDA_VISIBLE_DEVICES hides them or the code requests a device index that does not exist.",
    steps = {
      "Show the setting and the GPUs: echo \"CUDA_VISIBLE_DEVICES=$CUDA_VISIBLE_DEVICES\"; nvidia-smi -L",
      "Expose the GPU: export CUDA_VISIBLE_DEVICES=0 (or: unset CUDA_VISIBLE_DEVICES)",
      "Look for hard-coded indices: grep -rn \"CUDA_VISIBLE_DEVICES\\|cuda:1\\|--gpu\" <project dir>",
      "Check: ${python} -c \"import torch; print(torch.cuda.device_count())\"",
    },
    fix = { action = "set_env", name = "CUDA_VISIBLE_DEVICES", value = "0" },
  },
  {
    id = "cuda_home_not_set",
    patterns = {
      any = {
        "cuda_home environment variable is not set",
        -- A build (Jittor's) finding no nvcc to compile its CUDA part with.
        "cuda toolchain not found, building without cuda support",
        "unable to find nvcc\\b",
        -- torchao's build finding no toolkit for its CUDA extensions.
        "cuda toolkit is not available\\. skipping compilation of cuda extensions",
        "nvcc was not found",
        "no cuda runtime is found, using cuda_home",
        "nvcc: command not found",
        -- setuptools handed a .cu file with no CUDA compiler set up to take it.
        "unknown file type '\\.cu'",
        -- CMake's FindCUDAToolkit finding no nvcc.
        "could not find nvcc, please set cudatoolkit_root",
        -- DeepSpeed's op builder.
        "cuda_home does not exist",
        -- torch's cpp_extension when neither CUDA_HOME nor nvcc leads to a toolkit.
        "cuda was not found on the system, please set the cuda_home",
        "nvcc not found at '[^']*'",
        -- Numba's CUDA JIT without the toolkit's libdevice (NVVM).
        "missing libdevice file",
        -- A build running the nvcc its environment should hold, which is not there.
        "no such file or directory:? '[^'\\n]*[/\\\\]nvcc(\\.exe)?'",
        -- A run-time compiler (cuda.compute's) finding no toolkit headers to build with.
        "(unable to|could not|cannot) (locate|find) (the )?cuda include director(y|ies)",
        -- Builds (CMake projects' own checks) finding no CUDA compiler or toolkit.
        "\\bcuda compiler not found\\b",
        "(unable to|could not|cannot) find (the |a )?cuda toolkit\\b",
      },
      none = {
        -- CuPy's own search for CUDA: cupy_cuda_library_missing.
        "cuda path could not be detected",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "cuda_home",
      "cuda_path",
      "\\bnvcc\\b.*(not found|no such file|not recognized)",
      "(cuda|toolkit) (was )?not found",
      "(not found|no such file|not recognized|cannot find|could not find)[^\\n]*\\bnvcc\\b",
      -- setuptools without nvcc has no compiler for CUDA sources.
      "unknown file type '\\.cu'",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "A package is compiling CUDA code from source but no CUDA toolkit (nvcc) is installed or CUDA_HOME is not set.",
    steps = {
      "Prefer a prebuilt wheel matching torch/CUDA/Python: ${python} -c \"import torch,sys; print(torch.__version__, torch.version.cuda, sys.version)\"",
      "Or install a toolkit matching torch.version.cuda: sudo apt install cuda-toolkit-12-4 (or: conda install -c nvidia cuda-nvcc=12.4)",
      "Point the build at it: export CUDA_HOME=/usr/local/cuda && export PATH=$CUDA_HOME/bin:$PATH",
      "Retry: ${venv}/bin/pip install --no-build-isolation <package>",
    },
    fix = { action = "set_env", name = "CUDA_HOME", value = "/usr/local/cuda" },
  },
  {
    id = "nvcc_unsupported_gcc",
    patterns = {
      any = {
        "unsupported gnu version",
        "gcc versions later than \\d+ are not supported",
        "allow-unsupported-compiler",
        "unsupported microsoft visual studio version",
        -- MSVC's STL refusing an nvcc older than it supports (STL1002).
        "stl1002: unexpected compiler version, expected cuda",
        -- torch.utils.cpp_extension's own check of the host compiler against CUDA's maximum.
        "is greater than the maximum required version by cuda",
        -- nvcc's own check of the host compiler's version.
        "the version \\('[^']*'\\) of the host compiler \\('[^']*'\\) is not supported",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "unsupported (gnu|gcc|clang|compiler|microsoft visual studio|msvc)",
      "host_config\\.h",
      "allow-unsupported-compiler",
      "(gcc|g\\+\\+|clang|msvc).*(later|newer|greater) than",
      -- A build script comparing the host compiler with the newest nvcc accepts.
      "maximum (required|supported) version by cuda",
      "host compiler[^\\n]*not supported",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "The host compiler is newer than the installed CUDA toolkit's nvcc supports.",
    steps = {
      "Check versions: gcc --version; nvcc --version",
      "Install an older compiler: sudo apt install gcc-11 g++-11",
      "Build with it: export CC=gcc-11 CXX=g++-11 NVCC_CCBIN=g++-11 CUDAHOSTCXX=g++-11",
      "Or upgrade the CUDA toolkit to one that supports the current gcc",
    },
    fix = { action = "set_env", name = "NVCC_CCBIN", value = "g++-11" },
  },
  {
    id = "cupy_cuda_library_missing",
    patterns = {
      any = {
        "cupy failed to load",
        "failed to import cupy",
        "nvrtc(64_\\d+_0|-builtins64_\\d+)\\.dll",
        "nvrtc_error_builtin_operation_failure",
        "(cudart|cublas|cufft|curand|cusparse|cusolver)64_\\d+\\.dll",
        "\\.dll -> not found",
        "cupy_debug_library_load",
        "lib(cudart|cublas(lt)?|nvrtc|nvjitlink|cufft|curand|cusparse|cusolver|cutensor)[[:alnum:]_.-]*: cannot open shared object file",
        "dll load failed while importing",
        -- CuPy's preload warning for its optional libraries.
        "\\b(cudnn|nccl|cutensor) library could not be loaded",
        "nvrtc: error: failed to (open libnvrtc-builtins|load builtins)",
        "cuda path could not be detected",
        -- CuPy's device runtime library (for relocatable PTX) absent.
        "cudadevrt is not found",
      },
      -- the library names are CUDA's own; CuPy being named is what makes it this rule
      -- (the same names without CuPy are cuda_lib_missing)
      all = { "\\bcupy" },
    },
    when = { backend = "cuda" },
    hints = {
      "\\bnvrtc",
      "\\.dll\\b",
      "\\.so(\\.\\d+)*\\b",
      "librar(y|ies)",
      "dll load",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "CuPy cannot load a CUDA library it needs at run time (NVRTC, cudart, cuBLAS): the CuPy wheel is for another CUDA major version than the toolkit installed, or the toolkit's libraries are not on the search path.",
    steps = {
      "See what CuPy finds: ${python} -c \"import cupy; cupy.show_config()\" (set CUPY_DEBUG_LIBRARY_LOAD=1 for details)",
      "Match the wheel to the CUDA major version: pip install cupy-cuda12x (CUDA 12) or cupy-cuda11x (CUDA 11), and uninstall the other",
      "Or install the libraries as wheels: ${venv}/bin/pip install 'nvidia-cuda-nvrtc-cu12' 'nvidia-cuda-runtime-cu12'",
      "Linux: export LD_LIBRARY_PATH=/usr/local/cuda/lib64:$LD_LIBRARY_PATH; Windows: set CUDA_PATH to the toolkit folder (C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v12.x)",
    },
  },
  {
    id = "cudnn_version_mismatch",
    patterns = {
      any = {
        "cudnn version (incompatibility|mismatch)",
        "pytorch was compiled +against[^\\n]*but (found runtime version|linked against|link against)",
        "ld_library_path contains incompatible version of cudnn",
        "loaded runtime cudnn library:? [\\d.]+( \\(compatibility version \\d+\\))? but source was compiled with",
        -- The same check with its library's name cut (a page's line break): the versions still say it.
        "\\blibrary: [\\d.]+ but source was compiled with:? [\\d.]+",
        -- JAX's check.
        "found cudnn version \\d+, but jax was built against version \\d+",
        "the copy of cudnn that is installed must be at least as new",
        -- JAX's check of the installed cuDNN.
        "outdated cudnn installation found",
        -- One cuDNN library needing a symbol version another (from a different cuDNN) lacks: two copies mixed.
        "version libcudnn[[:alnum:]_]*\\.so\\.\\d+ not defined in file libcudnn",
        -- cuDNN's own status for a library whose parts (or whose caller) come from different versions.
        "cudnn_status_(sublibrary_)?version_mismatch",
      },
    },
    when = { backend = "cuda" },
    hints = {
      "cudnn.*version",
      "version.*cudnn",
      "cudnn_status",
      "cudnn.*(mismatch|incompatible|compiled)",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "A different cuDNN than the one PyTorch was built with is loaded first, usually a system or conda cuDNN found through LD_LIBRARY_PATH instead of the one that comes with the wheel.",
    steps = {
      "See which cuDNN is loaded: ${python} -c \"import torch; print(torch.backends.cudnn.version())\" and echo $LD_LIBRARY_PATH",
      "Remove the system cuDNN folder from LD_LIBRARY_PATH (PyTorch wheels bring their own nvidia-cudnn-cu12)",
      "Or reinstall the matching wheel set: ${venv}/bin/pip install --force-reinstall torch --index-url https://download.pytorch.org/whl/${accelerator}",
      "In conda, do not mix the conda cudnn package with pip torch wheels",
    },
  },
  {
    id = "nccl_error",
    patterns = {
      any = {
        "nccl error",
        "nccl(system|unhandledcuda|internal|remote|invalidusage)error",
        "nccl warn",
        "ncclcomminitrank failed",
        "test nccl failure",
        "unhandled (system|cuda) error",
        "processgroupnccl\\.cpp",
        "peer access is not supported between these two devices",
        -- ProcessGroupNCCL's watchdog: a collective that never finished (a rank died or hangs).
        "watchdog caught collective operation timeout",
        "some nccl operations have failed or timed out",
        -- NCCL's bootstrap finding no network interface it may use (NCCL_SOCKET_IFNAME names none).
        "no (socket|usable listening) interface found",
      },
      none = {
        -- NCCL's allocations failing: the GPU is out of memory (cuda_out_of_memory, hip_out_of_memory).
        W.NCCL_OUT_OF_MEMORY,
        -- A rank given a GPU index beyond the devices it sees: cuda_visible_devices_hides_gpu.
        "invalid device \\d+ \\(totalndev=\\d+\\)",
      },
    },
    -- RCCL, ROCm's NCCL, prints the same lines.
    when = { backend = { "cuda", "rocm" } },
    hints = {
      "\\bnccl",
      "\\brccl\\b",
      "process ?group|processgroup",
      "\\bcollective\\b",
      "watchdog",
      "\\ball_?reduce\\b|\\bbroadcast\\b",
      -- NCCL's bootstrap: its socket network between ranks.
      "\\bbootstrap\\b[^\\n]*\\b(socket|interface)",
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "NCCL, the library that moves data between GPUs and machines, failed: often too little shared memory in a container, GPUs without peer-to-peer access, or a network interface NCCL cannot use.",
    steps = {
      "Run again with details: NCCL_DEBUG=INFO (the WARN lines name the cause)",
      "In Docker, share host IPC or enlarge /dev/shm: docker run --ipc=host (or --shm-size=16g)",
      "GPUs without peer-to-peer (most consumer cards): export NCCL_P2P_DISABLE=1",
      "Pick the network: export NCCL_SOCKET_IFNAME=<interface>, and NCCL_IB_DISABLE=1 without InfiniBand",
    },
  },
}
