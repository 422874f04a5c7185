-- plugins/cuda/doctor.lua: `gpuhost doctor` checks for NVIDIA GPUs
-- (sdk/docs/VENDORS.md): the kernel module and its version, and the module
-- disagreeing with the user-space library (NVML "Driver/library version
-- mismatch"), and the CUDA toolkit's stub libcuda where the loader finds it
-- (CUDA error 34). Files through the sysroot, nvidia-smi through the tool runner.

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

-- The folders the dynamic loader searches beyond its defaults, each with where
-- it was set: LD_LIBRARY_PATH (live only), /etc/ld.so.conf and its conf.d files.
local function loader_folders()
  local out = {}
  for _, dir in ipairs(gpuhost.library_path() or {}) do out[#out + 1] = { dir = dir, from = "LD_LIBRARY_PATH" } end
  local function read_conf(path)
    for line in (gpuhost.sysroot_read(path) or ""):gmatch("[^\n]+") do
      local dir = line:match("^%s*(/%S*)")
      if dir then out[#out + 1] = { dir = dir, from = path } end
    end
  end
  read_conf("/etc/ld.so.conf")
  local names = gpuhost.sysroot_list("/etc/ld.so.conf.d") or {}
  table.sort(names)
  for _, name in ipairs(names) do
    if name:sub(-5) == ".conf" then read_conf("/etc/ld.so.conf.d/" .. name) end
  end
  return out
end

local function nvidia_gpu_here()
  return module_loaded("nvidia") or gpuhost.sysroot_exists("/proc/driver/nvidia") or gpuhost.sysroot_exists("/dev/dxg")
end

return {
  {
    -- The toolkit's lib64/stubs/libcuda.so lets programs link without a
    -- driver; found at run time it answers every call with CUDA error 34.
    id = "cuda_stub_library",
    run = function()
      local findings = {}
      local gpu = nvidia_gpu_here()
      for _, f in ipairs(loader_folders()) do
        local dir = f.dir:gsub("/+$", "")
        if dir:sub(-6) == "/stubs" then
          local so1 = gpuhost.sysroot_exists(dir .. "/libcuda.so.1")
          if so1 or gpuhost.sysroot_exists(dir .. "/libcuda.so") then
            local where = f.from == "LD_LIBRARY_PATH" and "LD_LIBRARY_PATH" or f.from
            local severity = not gpu and "info" or (so1 and "error" or "warning")
            findings[#findings + 1] = {
              check = "driver", severity = severity,
              summary = "the CUDA toolkit's stub " .. (so1 and "libcuda.so.1" or "libcuda.so") .. " in " .. dir
                .. " is on the loader's path (" .. where .. "): "
                .. (not gpu and "fine for building without a GPU, but CUDA fails with error 34 where it runs"
                    or (so1 and "CUDA loads it instead of the driver's and fails with error 34"
                        or "programs that open libcuda.so get it instead of the driver's (CUDA error 34)")),
              fix = f.from == "LD_LIBRARY_PATH" and ("remove " .. dir .. " from LD_LIBRARY_PATH; link against the stub at build time only")
                or ("remove " .. dir .. " from " .. f.from .. ", then: sudo ldconfig"),
              rule = "cuda_stub_library",
              details = { folder = dir, set_in = where, soname = so1 and "libcuda.so.1" or "libcuda.so" },
            }
          end
        end
      end
      return findings[1] and findings or nil
    end,
  },
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
