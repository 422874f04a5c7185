-- plugins/cuda/doctor.lua: `gpuhost doctor` checks for NVIDIA GPUs
-- (sdk/docs/VENDORS.md): the kernel module and its version, and the module
-- disagreeing with the user-space library (NVML "Driver/library version
-- mismatch"), the CUDA toolkit's stub libcuda where the loader finds it
-- (CUDA error 34), and GPUs whose compute mode refuses a second process
-- (error 46). Files through the sysroot, nvidia-smi through the tool runner.

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

-- The lines of `text`, by plain search: the step limit charges a Lua pattern
-- over the whole output its worst case (nvidia-smi -q runs to 80 KB on 8 GPUs).
local function lines(text)
  local pos = 1
  return function()
    if pos > #text then return nil end
    local nl = text:find("\n", pos, true) or (#text + 1)
    local line = text:sub(pos, nl - 1)
    pos = nl + 1
    return line
  end
end

-- The folders the dynamic loader searches beyond its defaults, each with where
-- it was set: LD_LIBRARY_PATH (live only), /etc/ld.so.conf and its conf.d files.
local function loader_folders()
  local out = {}
  for _, dir in ipairs(gpuhost.library_path() or {}) do out[#out + 1] = { dir = dir, from = "LD_LIBRARY_PATH" } end
  local function read_conf(path)
    for line in lines(gpuhost.sysroot_read(path) or "") do
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

-- Each GPU's compute mode from `nvidia-smi -q`: { { gpu = "00000000:18:00.0", mode = "Default" }, ... }.
local function compute_modes(text)
  local out, gpu = {}, nil
  for line in lines(text) do
    if line:sub(1, 4) == "GPU " then gpu = line:match("^GPU (%S+)") end
    if gpu and line:find("Compute Mode", 1, true) then
      local mode = line:match(":%s*(%S+)%s*$")
      if mode then out[#out + 1] = { gpu = gpu, mode = mode } end
    end
  end
  return out
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
            local severity = not gpu and "info" or (so1 and "error" or "warning")
            findings[#findings + 1] = {
              check = "driver", severity = severity,
              summary = "the CUDA toolkit's stub " .. (so1 and "libcuda.so.1" or "libcuda.so") .. " in " .. dir
                .. " is on the loader's path (" .. f.from .. "): "
                .. (not gpu and "fine for building without a GPU, but CUDA fails with error 34 where it runs"
                    or (so1 and "CUDA loads it instead of the driver's and fails with error 34"
                        or "programs that open libcuda.so get it instead of the driver's (CUDA error 34)")),
              fix = f.from == "LD_LIBRARY_PATH" and ("remove " .. dir .. " from LD_LIBRARY_PATH; link against the stub at build time only")
                or ("remove " .. dir .. " from " .. f.from .. ", then: sudo ldconfig"),
              rule = "cuda_stub_library",
              details = { folder = dir, set_in = f.from, soname = so1 and "libcuda.so.1" or "libcuda.so" },
            }
          end
        end
      end
      return findings[1] and findings or nil
    end,
  },
  {
    -- Exclusive_Process lets one process at a time hold a GPU; Prohibited lets
    -- none. A second process then fails with CUDA error 46, "all CUDA-capable
    -- devices are busy or unavailable" (rule cuda_devices_busy).
    id = "compute_mode",
    run = function()
      if not nvidia_gpu_here() then return nil end
      local smi = gpuhost.tool({ "nvidia-smi", "-q" })
      if smi.exit_code ~= 0 then return nil end  -- the nvidia_driver check reports a failing nvidia-smi
      local findings = {}
      for _, g in ipairs(compute_modes(smi.output)) do
        local mode = g.mode:lower()
        if mode == "exclusive_process" or mode == "prohibited" then
          findings[#findings + 1] = {
            check = "driver", severity = mode == "prohibited" and "error" or "warning",
            summary = "GPU " .. g.gpu .. " is in compute mode " .. g.mode .. ": "
              .. (mode == "prohibited" and "no process may use it"
                  or "one process at a time may use it; a second fails with CUDA error 46 (busy or unavailable)"),
            fix = "if the GPU is not deliberately reserved (a cluster's scheduler may set this), allow sharing: "
              .. "sudo nvidia-smi -i " .. g.gpu .. " -c DEFAULT",
            rule = "cuda_devices_busy",
            details = { gpu = g.gpu, compute_mode = g.mode },
          }
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
