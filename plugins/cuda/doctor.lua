-- plugins/cuda/doctor.lua: `gpuhost doctor` checks for NVIDIA GPUs
-- (sdk/docs/VENDORS.md): the kernel module and its version, and the module
-- disagreeing with the user-space library (NVML "Driver/library version
-- mismatch"). Files through the sysroot, nvidia-smi through the tool runner.

-- "NVRM version: NVIDIA UNIX x86_64 Kernel Module  580.173.02  Tue Jun ..." -> "580.173.02"
-- Plain find first, then anchored patterns on a short tail: the step limit
-- charges Lua patterns their worst case, which grows with the subject's length.
local function nvrm_version(text)
  local at = text:find("Kernel Module", 1, true)
  if not at then return "" end
  local tail = text:sub(at, at + 100)
  local rest = tail:match("^Kernel Module for %S+%s+(%d[%d%.]*)") or tail:match("^Kernel Module%s+(%d[%d%.]*)")
  if not rest then return "" end
  return rest:match("^(%d+%.%d+%.%d+)") or rest:match("^(%d+%.%d+)") or ""
end

local function module_loaded(name) return gpuhost.sysroot_exists("/sys/module/" .. name) end

-- The user-space NVML version: nvidia-smi names it on a mismatch, and the
-- library file carries it (libnvidia-ml.so.580.178).
local function library_version(smi_output)
  local at = smi_output:find("NVML library version:", 1, true)
  local printed = at and smi_output:sub(at + 21, at + 60):match("^%s*([%d%.]+)")
  if printed then return printed end
  for _, dir in ipairs({ "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib" }) do
    for _, name in ipairs(gpuhost.sysroot_list(dir) or {}) do
      local version = name:sub(17)
      if name:sub(1, 16) == "libnvidia-ml.so." and version:find(".", 1, true) then return version end
    end
  end
  return ""
end

return {
  {
    id = "nvidia_driver",
    run = function()
      local proc = gpuhost.sysroot_read("/proc/driver/nvidia/version")
      local kernel = proc and nvrm_version(proc) or ""
      if kernel == "" then
        kernel = ((gpuhost.sysroot_read("/sys/module/nvidia/version") or ""):match("^%s*(%S+)")) or ""
      end
      if not proc and not module_loaded("nvidia") then return nil end
      local findings = { {
        check = "driver", severity = "info",
        summary = "nvidia kernel module loaded" .. (kernel ~= "" and (", version " .. kernel) or ""),
        details = { module = "nvidia", version = kernel },
      } }
      local smi = gpuhost.tool({ "nvidia-smi" })
      if smi.exit_code == 127 then return findings end  -- nothing to compare with
      local library = library_version(smi.output)
      local said_mismatch = smi.output:find("Driver/library version mismatch", 1, true) ~= nil
      if said_mismatch or (library ~= "" and kernel ~= "" and library ~= kernel) then
        findings[#findings + 1] = {
          check = "driver", severity = "critical",
          summary = "NVIDIA kernel module " .. (kernel ~= "" and kernel or "?") .. " does not match the user-space library "
            .. (library ~= "" and library or "?") .. ": NVML, nvidia-smi and CUDA fail until they agree",
          fix = "reboot (the driver was upgraded but the old module is still loaded), or reload it: "
            .. "sudo rmmod nvidia_uvm nvidia_drm nvidia_modeset nvidia && sudo modprobe nvidia",
          rule = "nvml_driver_library_mismatch",
          details = { kernel_module = kernel, library = library },
        }
      elseif smi.exit_code ~= 0 then
        findings[#findings + 1] = {
          check = "driver", severity = "error",
          summary = "nvidia-smi fails: " .. (smi.output:match("^[^\n]*") or ""),
          fix = "read `nvidia-smi` and `sudo dmesg | grep -i nvrm`; gpuhost explain can match the message",
          rule = "nvidia_driver_not_loaded",
        }
      end
      return findings
    end,
  },
}
