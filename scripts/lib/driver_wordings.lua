-- Wordings shared by several recovery rules (scripts/rules/*.lua), kept in
-- one place so that a wording learnt for one cause reaches every rule that
-- reads the same symptom with a machine fact. Patterns are RE2, as in rules.
local M = {}

-- The NVIDIA kernel driver cannot be reached, in the words of nvidia-smi,
-- NVML, PyTorch, TensorFlow/XLA, RAPIDS and the driver's own tools. The line
-- says nothing of why: nvidia_driver_not_loaded reads it as such, and on a
-- machine whose facts say why (nouveau holds the GPU, Secure Boot refused the
-- module) those rules read it as theirs.
M.NVIDIA_DRIVER_UNREACHABLE = {
  "has failed because it couldn",
  "communicate with the nvidia driver",
  "nvidia driver is not loaded",
  "nvml: driver not loaded",
  "nvml error: driver not loaded",
  "failed to initialize nvml: driver not loaded",
  "nvmlerror_drivernotloaded",
  "\\bdriver not loaded\\b",
  "found no nvidia driver on your system",
  -- TensorFlow/XLA when /proc/driver/nvidia is missing.
  "kernel driver does not appear to be running on this host",
  -- XLA's diagnosis: no device node.
  "/dev/nvidia0 does not exist",
  -- RAPIDS and nvitop finding no driver; RPM Fusion's fallback service
  -- (akmods) finding the module absent at boot.
  "couldn'?t detect the gpu driver",
  "nvidia kernel module (is )?(not loaded|missing)",
  -- The module would not load (modprobe, nvidia-installer, libnvidia-container).
  "unable to load the kernel module '?nvidia(\\.ko)?",
  "could not load kernel module nvidia",
}

-- A CUDA driver or runtime call answering a status by its number, as programs
-- print it ("cuInit err: 802", "cuInit failed with error 34", "cuda driver
-- library init failure: 802"): the number right after an error word, near the
-- call's name, so that other numbers in a log (steps, sizes) do not count;
-- or the number first, then the call ("Return value 46 from 'cudaStreamCreate(...)'").
function M.cuda_call_answered(code)
  return "\\bcu[[:alpha:]]+[^\\n]{0,30}?\\b(err(or)?|returned|failed|failure|code|status)\\W{1,4}" .. code .. "\\b"
    .. "|\\b(return(ed)? value|err(or)?|code|status)\\W{1,4}" .. code .. " (from|in|by) \\W?cu[[:alpha:]]+"
end

-- NCCL (RCCL, which keeps NCCL's words) failing to allocate on the GPU.
M.NCCL_OUT_OF_MEMORY = "failed to cuda malloc \\d+ bytes|cuda failure 'out of memory'"

-- A GPU out of memory in words that name no vendor: NCCL's allocations, hashcat's
-- check of the device's allocatable memory, and Vulkan's VK_ERROR_OUT_OF_DEVICE_MEMORY
-- (-2, as ncnn's tools print it). The machine's backend decides whose
-- out-of-memory rule (cuda_out_of_memory, hip_out_of_memory) reads them.
M.GPU_OUT_OF_MEMORY = {
  M.NCCL_OUT_OF_MEMORY,
  "does not provide enough allocatable device-memory",
  "vkallocatememory failed -2\\b|vk_error_out_of_device_memory|\\berroroutofdevicememory\\b",
  -- CUDA.jl's and AMDGPU.jl's allocators, and the NVIDIA resource manager's status, which tinygrad prints.
  "\\bout of gpu memory trying to allocate\\b",
  "\\bnv_err_no_memory\\b",
  -- Applications' own checks of free video memory (Wan2GP, Fooocus, exllamav3).
  "\\b(in|un)sufficient (vram|gpu memory)\\b",
  "need: [\\d.]+ ?gb free, have: ?[\\d.]+ ?gb free",
  "failed to allocate [^\\n]*\\bkv cache\\b",
  "\\bno(t)? enough gpu memory\\b",
  -- cuVS's check of the memory a build needs against what is free.
  "\\bgpu memory insufficient\\b",
}

-- A copy of `list` followed by `more` (a rule's own wordings after shared ones).
function M.with(list, more)
  local out = {}
  for _, v in ipairs(list) do out[#out + 1] = v end
  for _, v in ipairs(more or {}) do out[#out + 1] = v end
  return out
end

return M
