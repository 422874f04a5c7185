-- Recovery rules for AMD / ROCm / HIP failures.
-- Patterns are Lua patterns matched against the LOWER-CASED failure text.
return {
  {
    id = "hip_invalid_device_function",
    patterns = {
      any = {
        "hip error: invalid device function",
        "hiperrorinvaliddevicefunction",
      },
    },
    when = { backend = "rocm" },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The ROCm build has no kernels for this GPU's gfx target (${gfx}); it is not in the wheel's target list.",
    steps = {
      "Show the GPU target: rocminfo | grep -m1 -o 'gfx[0-9a-f]*'",
      "Show the wheel's targets: ${python} -c \"import torch; print(torch.version.hip, torch.cuda.get_arch_list())\"",
      "Pretend to be the closest supported target: export HSA_OVERRIDE_GFX_VERSION=${gfx_override} (RDNA2 cards: 10.3.0, RDNA3: 11.0.0)",
      "Or install a newer ROCm build that lists this gfx target: gpuhost run ${profile} --accelerator ${accelerator}",
    },
    fix = { action = "set_env", name = "HSA_OVERRIDE_GFX_VERSION", value = "${gfx_override}" },
  },
  {
    id = "rocm_unsupported_gfx",
    patterns = {
      any = {
        "hiperrornobinaryforgpu",
        "unable to find code object for all current devices",
        "coudn't find binary for current devices",
        "amdgpu %[%d+%] gfx%w+ is not supported",
        "gfx%w+ is not supported by",
      },
      none = {
        "gfx80[0-3]",
        "polaris",
        "radeon rx 5[4-9]0",
        "radeon rx 4[6-8]0",
      },
    },
    when = { backend = "rocm" },
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
        "radeon rx 5[4-9]0.-segmentation fault",
        "radeon rx 5[4-9]0.-hiperrornobinaryforgpu",
        "radeon rx 4[6-8]0.-hiperrornobinaryforgpu",
      },
    },
    when = { backend = "rocm" },
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
        "unable to open /dev/kfd read%-write: permission denied",
        "open /dev/kfd: permission denied",
        "is not member of \"render\" group",
        "is not member of \"video\" group",
        "permission problems block access",
      },
    },
    when = { backend = "rocm", os = "linux" },
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
        "hip out of memory.-[%d%.]+ mib total capacity",
        "hip out of memory",
        "ttm pages limit",
        "gtt size",
      },
    },
    when = { backend = "rocm" },
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
}
