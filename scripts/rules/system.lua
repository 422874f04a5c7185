-- Recovery rules for OS / kernel / container / WSL level failures.
-- Patterns are RE2 regular expressions, matched line by line, ignoring case.
local W = require("lib.driver_wordings")

return {
  {
    id = "secure_boot_blocks_module",
    patterns = {
      any = {
        "key was rejected by service",
        "required +key not available",
        "loading of unsigned module is rejected",
        "module verification failed: signature and/or required key missing",
        "secure boot is enabled on this system",
        -- The kernel's own refusals: a key it does not hold, or lockdown forbidding unsigned modules.
        "loading of module with unavailable key is rejected",
        "unsigned module loading is restricted",
        -- modprobe and insmod refused by the kernel (EPERM): a module the locked-down (Secure Boot) kernel will not load unsigned.
        "could not insert '?[[:alnum:]_-]+'?: operation not permitted",
        "could not insert module [^:]+: operation not permitted",
        -- nvidia-installer's and DKMS's words for an unsigned module.
        "not signed by a key that is trusted by the kernel",
        "failed to sign module",
      },
    },
    when = { os = "linux", nvidia_driver_loaded = false },
    -- On a machine known to enforce Secure Boot, the driver that cannot be
    -- reached is most likely one the kernel refused to load (unsigned).
    given = {
      when = { secure_boot = true },
      any = W.with(W.NVIDIA_DRIVER_UNREACHABLE, {
        "no amdgpu devices|unable to open /dev/kfd",
      }),
    },
    hints = {
      "secure ?boot",
      "\\bmok(util)?\\b",
      "key was rejected|required +key|signature|lockdown|unsigned",
      "could not insert '[^']+': operation not permitted",
    },
    severity = "critical",
    confidence = 0.95,
    diagnosis = "Secure Boot is enabled and the kernel refuses to load the unsigned GPU driver module.",
    steps = {
      "Confirm: mokutil --sb-state",
      "Enroll the DKMS signing key (Ubuntu/Debian): sudo mokutil --import /var/lib/dkms/mok.pub, set a one-time password, reboot and choose 'Enroll MOK'",
      "Rebuild and sign the module: sudo dkms autoinstall && sudo modprobe nvidia",
      "Or disable Secure Boot in the UEFI/BIOS setup",
    },
  },
  {
    id = "wsl_libcuda_missing",
    patterns = {
      any = {
        "libcuda\\.so[.\\d]*: cannot open shared object file",
        "/usr/lib/wsl/lib/libcuda",
        "libcuda\\.so\\.1 is not a symbolic link",
        "libcuda\\.so not found",
        "could not load dynamic library 'libcuda\\.so",
      },
    },
    -- NVML failing to start inside WSL: its library is in /usr/lib/wsl/lib too.
    given = {
      when = { wsl = true },
      any = {
        "nvml[^\\n]{0,20}init(iali[sz]ation)? failure",
        -- The linker looking for libcuda, which WSL keeps in /usr/lib/wsl/lib.
        "cannot find -lcuda\\b",
      },
    },
    when = { wsl = true },
    hints = {
      "\\blibcuda\\b",
      "/usr/lib/wsl",
      "-lcuda\\b",
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "libcuda.so (provided by the Windows driver under /usr/lib/wsl/lib) is not on the library search path inside WSL.",
    steps = {
      "Check it exists: ls -l /usr/lib/wsl/lib/libcuda*",
      "Add it to the search path: export LD_LIBRARY_PATH=/usr/lib/wsl/lib:$LD_LIBRARY_PATH",
      "Make it permanent: echo 'export LD_LIBRARY_PATH=/usr/lib/wsl/lib:$LD_LIBRARY_PATH' >> ~/.bashrc && sudo ldconfig",
      "Do not install a Linux NVIDIA driver inside WSL; update the Windows NVIDIA driver instead",
    },
    fix = { action = "set_env", name = "LD_LIBRARY_PATH", value = "/usr/lib/wsl/lib" },
  },
  {
    id = "wsl_gpu_not_visible",
    patterns = {
      any = {
        "gpu access blocked by the operating system",
        -- nvidia-container-cli inside WSL finding no GPU adapter (/dev/dxg): WSL's GPU, not the toolkit.
        "wsl environment detected but no adapters were found",
        "cudaerroroperatingsystem",
        "code=304",
        -- cudaError 304 in words.
        "os call failed or operation not supported on this os",
        "can't link /usr/lib/wsl/lib/",
        -- libnvidia-container's dxcore probe: a Windows driver too old for WSL GPU support, or no adapters.
        "pre-wddm 2\\.8",
        "failed to enumerate adapters via dxcore",
        -- A WSL 1 kernel (4.4.0-NNNNN-Microsoft): WSL 1 has no GPU support at all.
        "\\b4\\.4\\.0-\\d+-microsoft\\b",
        -- The NVIDIA Container Toolkit finding no Windows driver store in WSL.
        "failed to find nvidia driver store path|at wsl driver store paths",
      },
    },
    -- Inside WSL there is no NVIDIA kernel module to reach: nvidia-smi failing
    -- means the GPU is not passed into WSL, and CUDA finding no device or no
    -- driver means the same. Off WSL these texts are other failures
    -- (nvidia_driver_not_loaded, cuda_visible_devices_hides_gpu).
    given = {
      when = { wsl = true },
      any = W.with(W.NVIDIA_DRIVER_UNREACHABLE, {
        "no cuda-capable device is detected",
        "all cuda-capable devices are busy or unavailable",
        "cuda_error_no_device",
        "unexpected error from cudagetdevicecount",
        -- nvidia-smi seeing the adapter but no usable device (a GPU in TCC mode, which WSL cannot use).
        "unable to determine the device handle for gpu",
        "^no devices were found",
        -- lspci finding no PCI bus to read: WSL 1, which has no GPU support.
        "cannot open /proc/bus/pci|lspci: cannot find any working access method",
      }),
    },
    when = { wsl = true },
    hints = {
      "\\bwsl",
      "/dev/dxg|dxcore|wddm",
      "blocked by the operating system|erroroperatingsystem",
      -- A Linux NVIDIA driver installed inside WSL hides the Windows one.
      "driver[^\\n]*\\b(in|inside|into) (the |my )?wsl|(cannot|can'?t|unable to) use (the |my )?gpu in (the |my )?wsl",
      -- lspci with no PCI bus to read: WSL exposes none.
      "cannot open /proc/bus/pci",
    },
    severity = "error",
    confidence = 0.8,
    diagnosis = "The GPU is not visible inside WSL: WSL 1 instead of WSL 2, an old Windows/WSL build, no Windows NVIDIA driver, a Linux NVIDIA driver installed inside WSL, or a data-center GPU in TCC mode.",
    steps = {
      "Update WSL from Windows: wsl --update, then wsl --shutdown",
      "Install the latest Windows NVIDIA driver (nothing NVIDIA-driver-related inside WSL)",
      "Check inside WSL: ls /dev/dxg && /usr/lib/wsl/lib/nvidia-smi",
      "Data-center GPUs must be in WDDM mode, not TCC: nvidia-smi -g 0 -dm 0 (from an admin prompt on Windows), then reboot",
    },
  },
  {
    id = "container_no_gpu",
    patterns = {
      any = {
        "could not select device driver \"[^\"]*\" with capabilities: \\[\\[gpu\\]\\]",
        "could not select device driver",
        "nvidia-container-cli: initialization error",
        -- The Kubernetes device plugin's container finding no GPU through the toolkit.
        "no devices found\\. waiting indefinitely",
        "unknown or invalid runtime name: nvidia",
        -- Podman: no nvidia-smi injected, or no CDI spec for the GPUs.
        "executable file `?nvidia-smi`? not found in \\$path",
        "stat nvidia\\.com/gpu=[[:alnum:]]+: no such file or directory",
        -- Docker without the nvidia runtime registered.
        "unknown runtime specified:? nvidia",
        -- The Kubernetes device plugin's hint, and CDI specs that could not be made or resolved.
        "did you set the docker default runtime to `?nvidia",
        "failed to generate cdi spec",
        "could not resolve cdi devices",
        -- Apptainer's --nv finding no NVIDIA files on the host.
        "could not find any nv (files|libraries) on this host",
        -- Kubernetes finding no node that advertises the GPU resource (no device plugin).
        "insufficient (nvidia\\.com|amd\\.com|gpu\\.intel\\.com)/gpu",
        -- A node advertising none of the GPU resource (kubectl describe node): its device plugin found no GPU to offer.
        "^\\s*(nvidia\\.com|amd\\.com|gpu\\.intel\\.com)/gpu:?\\s+0\\s*$",
      },
      -- The toolkit reached the host and found no driver: nvidia_driver_not_loaded.
      none = {
        "nvml error: driver not loaded",
        -- A version mismatch the toolkit reports: nvml_driver_library_mismatch.
        "driver/library version mismatch",
        -- The toolkit reached the host's CUDA, which failed: cuda_error_after_suspend.
        "initialization error: cuda error: unknown error",
        -- CUDA naming the library it loaded as the toolkit's stub: cuda_stub_library.
        "cuda driver is a stub library|cuda_error_stub_library",
        -- Inside WSL, no GPU adapter to hand over: wsl_gpu_not_visible.
        "wsl environment detected but no adapters were found",
      },
    },
    -- Inside a container NVML's "Unknown Error" is the container losing its
    -- device access (the cgroup rules reset by a daemon reload), and no NVML
    -- library is a container started without the NVIDIA runtime, not the driver.
    given = {
      when = { container = true },
      any = {
        "failed to initiali[sz]e nvml: unknown error",
        -- The Kubernetes device plugin in a container started without the NVIDIA runtime.
        "could not load nvml library",
        -- NVML refused the device nodes inside a container (SELinux, device cgroup rules).
        "failed to initiali[sz]e nvml: insufficient permissions",
        -- CUDA unable to count devices: inside a container, the GPU was not handed in (as in WSL).
        "unexpected error from cudagetdevicecount",
        -- The driver's libcuda is mounted into a container by the NVIDIA runtime: missing there, it was not used.
        "libcuda\\.so[.\\d]*: cannot open shared object file",
      },
    },
    when = { os = "linux" },
    hints = {
      -- A container named with the GPU it should have been given: any failure
      -- inside a container names the container, which alone says nothing.
      "\\b(docker|podman|containerd|container)\\b.*(gpu|nvidia|device)|(gpu|nvidia|device).*\\b(docker|podman|containerd|container)\\b",
      "nvidia-container",
      "--gpus",
      "\\bcdi\\b",
      "(nvidia|container|default)[- ]runtime|--runtime[= ]nvidia",
      -- The container engine's own failure lines.
      "error response from daemon|\\boci runtime\\b",
      "could not select device driver",
      "nvml[^\\n]*(insufficient permissions|unknown error)|could not load nvml",
      -- Kubernetes nodes advertising no GPU: the device plugin sees none.
      "nvidia\\.com/gpu",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "Docker cannot hand the GPU to the container: the NVIDIA Container Toolkit is missing/unconfigured or the host driver is not working.",
    steps = {
      "Check the host driver first: nvidia-smi",
      "Install the toolkit: sudo apt install nvidia-container-toolkit",
      "Register it with Docker: sudo nvidia-ctk runtime configure --runtime=docker && sudo systemctl restart docker",
      "Test: docker run --rm --gpus all ubuntu nvidia-smi",
    },
  },
  {
    id = "windows_dll_missing",
    patterns = {
      any = {
        "winerror 126",
        "error loading \"[^\"]*\\.dll\" or one of its dependencies",
        "dll load failed",
        "the specified module could not be found",
        -- The DLL was found but its initialisation failed (WinError 1114).
        "winerror 1114",
        "dynamic link library \\(dll\\) initiali[sz]ation routine failed",
        -- IPEX's hint for the missing Visual C++ runtime.
        "visual c\\+\\+ redistributable is not installed",
        -- Windows' own dialog for a DLL it could not find.
        "the code execution cannot proceed because [^\\n]*\\.dll",
        -- The zlib DLL cuDNN 8 needs on Windows.
        "zlibwapi\\.dll",
        -- MKL's own loader failing on Windows (conda's CPU MKL, not oneAPI's XPU runtime), and a DLL of another version found first.
        "intel mkl fatal error: cannot load [^\\n]*\\.dll",
        "the ordinal \\d+ could not be located",
        -- A program that could not start: Windows' STATUS_DLL_NOT_FOUND as its exit code.
        "-1073741515|0xc0000135|status_dll_not_found",
      },
      none = {
        -- CuPy loading CUDA's DLLs: cupy_cuda_library_missing says which and why
        "\\bcupy",
        -- ROCm's and oneAPI's runtime DLLs: rocm_lib_missing, oneapi_lib_missing.
        "\\bamdhip64(_\\d+)?\\.dll",
        "\\b(sycl\\d*|ze_loader|ur_loader|libiomp5md|svml_dispmd|libmmd|pi_level_zero|pti_view[-\\d]*)\\.dll",
        -- PyTorch's and IPEX's XPU DLLs, whose unresolved dependencies are oneAPI's (oneapi_lib_missing).
        "\\b(c10_xpu|torch_xpu|intel-ext-pt-gpu)\\.dll",
        -- torchvision's operators failing after torch itself loaded: the runtime DLLs torch needs are
        -- there, torchvision was built for another torch (extension_abi_mismatch).
        "from torchvision import _c\\b",
        -- The log says the CPU lacks AVX: the DLL's start-up failed on it (illegal_instruction_cpu).
        "(didn'?t|does not|doesn'?t|do not|not) support (the )?avx(2|512)?( instructions)?",
        -- A procedure missing from a DLL that loaded: extension_abi_mismatch.
        "the specified procedure could not be found",
        "winerror 127",
        "the procedure entry point [^\\n]* could not be located",
      },
    },
    when = { os = "windows" },
    hints = {
      "\\.dll\\b",
      -- The WinError codes of a DLL not found (126), not loadable (193) or failing its start-up (1114).
      "winerror (126|193|1114)\\b",
      "dll load",
      "(module|dll) could not be found",
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "A DLL needed by PyTorch (or one of its dependencies, often the Visual C++ runtime or libomp) could not be loaded.",
    steps = {
      "Install the latest Microsoft Visual C++ Redistributable (x64): winget install Microsoft.VCRedist.2015+.x64",
      "Reinstall torch cleanly: ${venv}\\Scripts\\pip install --force-reinstall --no-cache-dir torch --index-url https://download.pytorch.org/whl/${accelerator}",
      "Make sure no other CUDA/cuDNN folders on PATH shadow torch\\lib: where cudnn*.dll",
    },
    fix = { action = "purge_pip_cache" },
  },
  {
    id = "disk_full",
    patterns = {
      any = {
        "no space left on device",
        "errno 28",
        "disk quota exceeded",
        -- Ultralytics' own check before a download or a dataset cache.
        "insufficient free disk space",
        -- LocalAI's check of a node's free disk before placing a model.
        "\\bno\\b[^\\n]{0,20}\\benough free disk\\b",
        -- torch.save's writer when the disk fills mid-file.
        "pytorchstreamwriter failed writing file",
        -- nvcc's assembler unable to write its output (its temporary folder full).
        "ptxas fatal\\s*: internal error: writing file",
        -- Hugging Face Hub's check before a download.
        "not enough free disk space",
        -- ENOSPC in other locales (glibc's translations: zh_CN, de, fr, ru, es).
        "设备上没有空间|kein speicherplatz mehr verfügbar|aucun espace disponible sur le périphérique|デバイスに空き領域がありません|не осталось свободного места|no queda espacio en el dispositivo",
      },
      -- A full /dev/shm is shared memory (shm_too_small), not the disk.
      none = {
        "/dev/shm/[^\\n]*no space left on device",
        "error while creating shared memory segment",
        "unable to write to file </torch_\\d+_\\d+",
        -- NCCL's posix_fallocate is on its /dev/shm segment: shm_too_small.
        "posix_fallocate failed[^\\n]*no space left on device",
      },
    },
    hints = {
      "no space",
      "disk (is )?full",
      "\\benospc\\b|errno 28\\b",
      "\\bquota\\b",
      "(write|writing)[^\\n]*failed|failed (to )?writ",
      "no space left on (the )?device",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "The disk (or the temp/cache directory) ran out of space while downloading or unpacking packages.",
    steps = {
      "See free space: df -h . /tmp ~/.cache",
      "Free the pip cache: ${venv}/bin/pip cache purge",
      "Put temp files on a bigger disk: export TMPDIR=/path/with/space/tmp && mkdir -p $TMPDIR",
      "Retry without caching wheels: ${venv}/bin/pip install --no-cache-dir <package>",
    },
    fix = { action = "purge_pip_cache" },
  },
  {
    id = "glibc_too_old",
    patterns = {
      any = {
        "version `glibc_[\\d.]+' not found",
        "glibc_[\\d.]+' not found",
        "version `glibcxx_[\\d.]+' not found",
        "requires glibc ?>=? ?[\\d.]+, but (the )?system has",
        -- A wheel whose manylinux tag names a newer glibc than this system's.
        "manylinux_2_\\d+[^\\n]*is not a supported wheel on this platform",
        -- conda's and pixi's __glibc virtual package: this system's glibc, below what a package needs.
        "virtual package '__glibc[^']*' does not match",
        "virtual packages this platform does not provide: \\[__glibc",
        "-> __glibc\\[version=",
        -- libmamba's and pixi's __glibc virtual package below what a package needs.
        "__glibc'? ?>= ?[\\d.]+, which is missing on the system",
        "requires '__glibc' to be at least version",
      },
    },
    when = { os = "linux" },
    hints = {
      "\\bglibc",
      "glibcxx|libstdc\\+\\+",
      "manylinux",
      "version `[^']+' not found",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "The binary wheel needs a newer glibc/libstdc++ than this Linux distribution provides.",
    steps = {
      "Check the system version: ldd --version | head -1",
      "Install an older release of the package built for older glibc (manylinux2014), e.g. pin an earlier version",
      "Or run inside a newer distribution container: docker run --gpus all -it ubuntu:22.04",
      "For GLIBCXX errors in conda envs: conda install -c conda-forge libstdcxx-ng",
    },
  },
  {
    id = "illegal_instruction_cpu",
    patterns = {
      any = {
        -- An x86-64 Python under Rosetta 2, which lacks the AVX the wheels need (GPT4All's check).
        "under rosetta is not supported due to cpu feature requirements",
        "illegal instruction",
        "sigill",
        "illegal hardware instruction",
        -- TensorFlow's cpu_feature_guard.
        "was compiled to use [[:alnum:]. ]+ instructions, but these aren't available on your machine",
        -- A process killed by SIGILL: 128 + 4, as container runtimes report it.
        "exited with (status|code|exit code):? ?132\\b",
        -- jaxlib's wording of the same check.
        "(built|compiled) (using|to use) [[:alnum:]., ]+ instructions,? which your cpu",
        -- A CPU without the vector instructions a build needs, in any words.
        "(didn'?t|does not|doesn'?t|do not|not) support (the )?avx(2|512)?( instructions)?",
        -- glibc's own check of the CPU's x86-64 level at start-up.
        "cpu does not support x86-64-v\\d",
        -- The shell's name for SIGILL in other locales (glibc's translations: zh_CN, de, fr, ru, es).
        "非法指令|ungültiger maschinenbefehl|instruction non permise|недопустимая инструкция|instrucción ilegal",
        -- Windows' STATUS_ILLEGAL_INSTRUCTION (0xC000001D) as an exit code, signed or not.
        "(\\b0xc000001d|-1073741795|\\b3221225501)\\b",
      },
    },
    hints = {
      "illegal (hardware )?instruction",
      "\\bsigill\\b",
      "\\bavx",
      "(cpu|processor).*(does not|doesn'?t) support",
      "instruction set",
      "\\bsse ?[234]",
      "status 132\\b|code 132\\b|exit(ed)? 132\\b",
      -- Windows' STATUS_ILLEGAL_INSTRUCTION as an exit code, and the shell's words in Chinese.
      "-1073741795|0xc000001d|status_illegal_instruction|非法指令",
      -- A framework naming the instruction set it was compiled for that this CPU lacks.
      "compiled to use [[:alnum:]. ]+ instructions",
    },
    severity = "critical",
    confidence = 0.85,
    diagnosis = "The binary uses CPU instructions (usually AVX/AVX2) that this CPU or VM does not provide.",
    steps = {
      "Check the CPU flags: grep -o -w -E 'avx|avx2|avx512f' /proc/cpuinfo | sort -u",
      "In a VM, expose the host CPU model (e.g. Proxmox/QEMU: cpu type 'host')",
      "Install a build without AVX requirements (older release or build from source)",
    },
  },
  {
    id = "gpu_hang_or_xid",
    patterns = {
      any = {
        "nvrm: xid",
        "fallen off the bus",
        -- SwarmUI noticing nvidia-smi's GPUs gone mid-session.
        "has your gpu driver faulted",
        -- NVML's recovery action after a fault, as health checks (nvidia-resiliency-ext) print it.
        "requires a (node reboot|gpu reset) to recover",
        "ring [[:alnum:]_.]+ timeout",
        "gpu reset begin",
        "amdgpu_job_timedout",
        "mes failed to respond",
        -- A kernel that faulted on the GPU (the kernel log holds the Xid).
        "unspecified launch failure|cudaerrorlaunchfailure",
        -- Faults the GPU reports itself: uncorrectable ECC (Xid 48/63/64) and NVLink errors.
        "uncorrectable ecc error encountered|cudaerroreccuncorrectable|cuda_error_ecc_uncorrectable",
        "uncorrectable nvlink error|cudaerrornvlinkuncorrectable|cuda_error_nvlink_uncorrectable",
        -- A kernel the display watchdog stopped (Windows TDR, X's timeout).
        "the launch timed out and was terminated|cudaerrorlaunchtimeout|cuda_error_launch_timeout",
        -- nvidia-smi on a GPU the driver lost hold of.
        "unable to determine the device handle for gpu[^\\n]*: (unknown error|gpu is lost)",
        "\\bgpu is lost\\b|nvml_error_gpu_is_lost",
        -- The driver failing to bring the GPU up again (what follows an Xid 79).
        "nvrm: [^\\n]*rminitadapter failed",
        "nvrm: [^\\n]*cannot attach gpu",
        -- The GPU's firmware (GSP) not answering the driver: a hung GPU, as the driver logs it.
        "nvrm: [^\\n]*(gsp timeout|heartbeat timed out|_kgsplogrpctimeout)",
        -- Intel's kernel drivers (i915, xe) resetting a hung GPU, or failing to.
        "\\bgpu hang: ecode\\b",
        "\\b(xe|i915) [[:xdigit:]:.]+: \\[drm\\][^\\n]*(gpu hang|reset failed|job timeout|timedout_job)",
        -- xe's GuC naming the engine it reset and the job that timed out.
        "\\b(xe|i915) [[:xdigit:]:.]+: \\[drm\\][^\\n]*\\b(engine reset: engine_class|timedout job: seqno)",
        -- The runtimes' own status for a GPU that hung or was reset under them: Vulkan's
        -- VK_ERROR_DEVICE_LOST, DirectX's hung or reset device. (Level Zero's DEVICE_LOST stays
        -- level_zero_error, as the corpus reads it.)
        "vk_error_device_lost|\\berrordevicelost\\b|devicelosterror",
        "dxgi_error_device_(hung|reset)",
        -- ncnn's Vulkan calls answering -4 (VK_ERROR_DEVICE_LOST).
        "\\bvk(queuesubmit|waitforfences|devicewaitidle|queuewaitidle) failed -4\\b",
      },
    },
    hints = {
      "\\bxid\\b",
      "gpu.*(hang|hung|reset|lost|fell|fallen|stopped responding)",
      "\\bnvrm\\b",
      "\\btdr\\b|device removed|device_lost|device lost",
      -- A kernel GPU driver resetting its device, or dumping its state after a hang.
      "\\b(xe|i915|amdgpu) [[:xdigit:]:.]+:[^\\n]*\\b(resetting|reset (done|failed)|gpu reset|device coredump|dumping ip state)",
      "launch failure",
      -- The GPU dropping off PCIe, as the kernel's AER reports it.
      "fallen off the bus|\\baer\\b",
      -- A GPU program that SIGKILL cannot end is stuck inside the driver (uninterruptible sleep).
      "still around after sigkill|unkillable|uninterruptible sleep",
      -- A kernel driver resetting an engine or timing out a job.
      "\\bengine reset\\b|\\btimedout job\\b",
    },
    severity = "critical",
    confidence = 0.9,
    diagnosis = "The GPU hung or dropped off the PCIe bus (driver Xid / ring timeout) - often power, thermals, PCIe riser or driver bugs.",
    steps = {
      "Collect the kernel log: sudo dmesg -T | grep -i -E 'xid|nvrm|amdgpu|fallen off'",
      "Check power and temperature: nvidia-smi -q -d POWER,TEMPERATURE (AMD: rocm-smi)",
      "Reboot to recover the device: sudo reboot",
      "If it repeats: update the driver, reseat the card/power cables, or cap clocks: sudo nvidia-smi -lgc 300,1500",
    },
  },
  {
    id = "shm_too_small",
    patterns = {
      any = {
        "insufficient shared memory \\(shm\\)",
        "killed by signal: bus error",
        "out of shared memory",
        "raise your shared memory limit",
        "/dev/shm/[^\\n]*no space left on device",
        -- torch's shared-memory files (in /dev/shm) when it is full.
        "unable to write to file </torch_\\d+_\\d+",
        -- Ray's object store and JAX's RCCL check of /dev/shm.
        "exceeds memory available in /dev/shm",
        "/dev/shm size is only",
        -- Ray's object store finding /dev/shm too small.
        "/dev/shm has only \\d+ bytes available",
        "exceeds /dev/shm size",
        -- torch's shared-memory files (in /dev/shm) that cannot be mapped.
        "unable to mmap \\d+ bytes from file </torch_",
      },
      -- NCCL's (RCCL's) own segment in /dev/shm: nccl_error, whose diagnosis names the shared memory.
      none = {
        "/dev/shm/nccl-|\\bnccl-shm-",
      },
    },
    -- Inside a container a process killed by SIGBUS most often touched a page
    -- of /dev/shm the container's small tmpfs could not back.
    given = {
      when = { container = true },
      any = { "\\bbus error\\b|sigbus|signal 7\\b" },
    },
    when = { os = "linux" },
    hints = {
      "/dev/shm|shared memory|shm-size|--ipc=host",
      "bus error",
      "/torch_\\d+_\\d+",
      "\\bsigbus\\b",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "DataLoader worker processes ran out of shared memory (/dev/shm), which Docker limits to 64 MB by default.",
    steps = {
      "Check the size: df -h /dev/shm",
      "Start the container with more shm: docker run --shm-size=16g ... (or --ipc=host)",
      "Or reduce workers: set num_workers=0 in the DataLoader",
    },
  },
  {
    id = "libgl_missing",
    patterns = {
      any = {
        "libgl\\.so\\.1:? cannot open shared object file",
        -- musl's loader (Alpine images).
        "error loading shared library libgl\\.so\\.1: no such file or directory",
        "libgthread-2\\.0\\.so\\.0: cannot open shared object file",
        "libglib-2\\.0\\.so\\.0: cannot open shared object file",
        "libsm\\.so\\.6: cannot open shared object file",
        "libxext\\.so\\.6: cannot open shared object file",
        -- GTK, which OpenCV's highgui links against, missing the same way.
        "libgtk-x11-2\\.0\\.so\\.0: cannot open shared object file",
        -- X11's client library, which OpenCV's Qt GUI build links against.
        "libxcb\\.so\\.1:? cannot open shared object file",
        -- Mesa's OpenGL utility library (libglu1-mesa), which 3D and geometry packages link against.
        "libglu\\.so\\.1:? cannot open shared object file",
      },
    },
    when = { os = "linux" },
    hints = {
      "\\blibgl\\b|libgl\\.|opengl",
      "\\blib(sm|ice|xext|xrender|x11|gthread|glib|gtk)",
      "\\bcv2\\b|opencv",
      -- The OpenGL family's libraries (GL, GLU, EGL, GLX, OpenGL) missing.
      "\\blib(gl|glu|egl|glx|opengl)\\.so",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "OpenCV (cv2) needs system X11/OpenGL libraries that minimal images/servers do not ship.",
    steps = {
      "Install them: sudo apt-get update && sudo apt-get install -y libgl1 libglib2.0-0",
      "Or use the headless build: ${venv}/bin/pip uninstall -y opencv-python && ${venv}/bin/pip install opencv-python-headless",
    },
  },
  {
    id = "slurm_job_without_gpu",
    -- Slurm confines a job to the GPUs it asked for (--gres=gpu:N, --gpus):
    -- its cgroup hides the others, and a step without GPUs gets
    -- CUDA_VISIBLE_DEVICES=NoDevFiles. Inside a Slurm job "no device" is then
    -- the request, not the driver or the program's device index.
    patterns = {
      any = {
        "\\bnodevfiles\\b",
        "invalid generic resource \\(gres\\) specification",
        -- Sites' submit filters refusing a job that asks for no GPU on a GPU partition.
        "cannot find gpu specification",
        "(sbatch|srun|salloc): error:[^\\n]*\\bcpu job\\b",
        -- Cray MPICH's GPU transport layer (GTL), which runs in jobs Slurm starts on Cray (HPE)
        -- systems, finding no GPU: a step started without --gpus.
        "gtl_debug: [^\\n]*no cuda-capable device is detected",
      },
    },
    given = {
      when = { slurm = true },
      any = {
        "no cuda-capable device is detected",
        "cuda_error_no_device|cudaerrornodevice",
        "no cuda gpus are available",
        "^\\s*no devices were found",
        "no hip gpus are available",
      },
    },
    when = { slurm = true },
    hints = {
      "\\b(srun|sbatch|salloc)\\b[^\\n]*--(gres|gpus)",
      -- Slurm refusing a submission over GPUs, gres or the partition.
      "\\b(sbatch|srun|salloc): error\\b[^\\n]*\\b(gpus?|gres|tres|partition)\\b",
      -- A GPU check run as a Slurm step.
      "\\bsrun\\b[^\\n]*cuda\\.is_available",
      "\\bgres\\b",
      -- Cray MPICH's GPU transport layer, which runs in Slurm jobs on Cray (HPE) systems.
      "\\bgtl_debug\\b",
    },
    severity = "error",
    confidence = 0.85,
    diagnosis = "This ran in a Slurm job or step that was given no GPU: Slurm hides the node's GPUs from jobs that did not ask for them (--gres=gpu:N or --gpus on a GPU partition).",
    steps = {
      "See what the job got: echo $SLURM_JOB_ID $SLURM_JOB_GPUS $CUDA_VISIBLE_DEVICES; scontrol show job $SLURM_JOB_ID | grep -i -E 'tres|gres'",
      "Ask for a GPU: sbatch (or srun, salloc) --gres=gpu:1 or --gpus=1, on a partition that has GPUs (sinfo -o '%P %G' lists them)",
      "Inside an allocation, start the work with srun so the step gets the job's GPUs",
      "Then, inside the job: nvidia-smi (or rocm-smi), and: gpuhost run ${profile}",
    },
  },
}
