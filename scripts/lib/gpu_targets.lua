-- What the tables say about a GPU target: an AMD gfx target's class and
-- HSA override, whether it is an APU, and an NVIDIA compute capability's class.
-- The recovery rules' `when` conditions use these (scripts/lib/rules.lua).
local M = {}

-- What ROCm's own builds say about a gfx target, for texts that mean one
-- thing on a target every build ships and another elsewhere ("invalid device
-- function": a build that left the target out, or a target ROCm dropped):
--   "polaris"    gfx80x, which ROCm 4.0 dropped
--   "shipped"    in every confirmed PyTorch ROCm wheel line of tables/rocm.lua
--   "unshipped"  any other target: some or all current builds lack its kernels
-- nil when the target is unknown or the table cannot be read.
local shipped_everywhere
function M.gfx_class(gfx)
  if type(gfx) ~= "string" then return nil end
  gfx = gfx:lower()
  if not gfx:match("^gfx%x%x%x%x?$") then return nil end
  if gfx:match("^gfx80%x$") then return "polaris" end
  if shipped_everywhere == nil then
    local ok, rocm = pcall(dofile, "tables/rocm.lua")
    if not ok or type(rocm) ~= "table" or type(rocm.pytorch_wheels) ~= "table" then return nil end
    local count, lines = {}, 0
    for _, line in ipairs(rocm.pytorch_wheels) do
      if not line.approximate then
        lines = lines + 1
        for _, g in ipairs(line.gfx) do count[g] = (count[g] or 0) + 1 end
      end
    end
    shipped_everywhere = {}
    for g, n in pairs(count) do shipped_everywhere[g] = n == lines end
  end
  return shipped_everywhere[gfx] and "shipped" or "unshipped"
end

-- The gfx targets LLVM's AMDGPU processor table (llvm/docs/AMDGPUUsage.rst,
-- its dGPU/APU column) marks as APUs: integrated GPUs whose VRAM is a carve-out
-- of system memory set in firmware, so "out of memory" there means the
-- carve-out, not the model. Any other known target is a dGPU; nil when unknown.
M.APU_GFX = { gfx700 = true, gfx801 = true, gfx810 = true, gfx902 = true, gfx909 = true, gfx90c = true,
  gfx1013 = true, gfx1033 = true, gfx1035 = true, gfx1036 = true, gfx1103 = true,
  gfx1150 = true, gfx1151 = true, gfx1152 = true, gfx1153 = true }
function M.gfx_is_apu(gfx)
  if type(gfx) ~= "string" or not gfx:lower():match("^gfx%x%x%x%x?$") then return nil end
  return M.APU_GFX[gfx:lower()] == true
end

-- HSA_OVERRIDE_GFX_VERSION for targets the ROCm libraries lack, from the
-- families the rules name (RDNA2 gfx103x -> 10.3.0, RDNA3 gfx110x -> 11.0.0).
-- None for gfx1030 and gfx1100 themselves: reporting their own version changes nothing.
function M.gfx_override(gfx)
  if type(gfx) ~= "string" then return nil end
  gfx = gfx:lower()
  if gfx == "gfx1030" or gfx == "gfx1100" then return nil end
  if gfx:match("^gfx103%x$") then return "10.3.0" end
  if gfx:match("^gfx110%x$") then return "11.0.0" end
  return nil
end

-- What PyTorch's CUDA builds (tables/pytorch.lua) say about a compute
-- capability ("8.6"), for texts that mean one thing on a GPU the builds carry
-- and another on one none does ("no kernel image is available"); a build
-- carries a GPU when M.cc_coverage says so.
--   "current"  a CUDA build of the newest release carries it
--   "dropped"  only older releases' builds do (an older build still runs it)
--   "too_old"  no build of any release carries it: below them all
--   "too_new"  above them all
-- nil when the capability is unknown or the table cannot be read.
local cuda_releases
local function capability_number(cc)
  local major, minor = tostring(cc):match("^(%d+)%.(%d)$")
  if major then return tonumber(major) * 10 + tonumber(minor) end
  return nil
end
-- How a build's targets cover a GPU of capability `cc` ("8.6"): "sass" and
-- the cubin ("sm_86") when one of the same major and a minor at most its own
-- is there, "ptx" and the PTX target when only PTX of a capability at most its
-- own is (JIT), nil when neither. `sm` and `ptx` list "M.m" capabilities.
-- plugins/cuda/vendor.lua asks the same question when it picks a build.
function M.cc_coverage(cc, sm, ptx)
  local gpu = capability_number(cc)
  if not gpu then return nil end
  local best, best_ptx
  for _, s in ipairs(sm or {}) do
    local n = capability_number(s)
    if n and n // 10 == gpu // 10 and n <= gpu and (not best or n > best) then best = n end
  end
  if best then return "sass", string.format("sm_%d", best) end
  for _, p in ipairs(ptx or {}) do
    local n = capability_number(p)
    if n and n <= gpu and (not best_ptx or n > best_ptx) then best_ptx = n end
  end
  if best_ptx then return "ptx", string.format("compute_%d (PTX JIT)", best_ptx) end
  return nil
end

-- Whether any of a release's CUDA builds covers the GPU, and the lowest cubin
-- target among them (to tell a GPU below them all from one above).
local function builds_carry(builds, cc)
  local lowest
  for _, build in ipairs(builds) do
    if M.cc_coverage(cc, build.sm, build.ptx) then return true end
    for _, sm in ipairs(build.sm or {}) do
      local n = capability_number(sm)
      if n and (not lowest or n < lowest) then lowest = n end
    end
  end
  return false, lowest
end
function M.capability_class(cc)
  local gpu = capability_number(cc)
  if not gpu then return nil end
  if cuda_releases == nil then
    local ok, torch = pcall(dofile, "tables/pytorch.lua")
    cuda_releases = false
    if ok and type(torch) == "table" and type(torch.releases) == "table" and #torch.releases > 0 then
      cuda_releases = {}
      for _, r in ipairs(torch.releases) do
        if type(r.cuda) == "table" then cuda_releases[#cuda_releases + 1] = r.cuda end
      end
    end
  end
  if not cuda_releases or #cuda_releases == 0 then return nil end
  if builds_carry(cuda_releases[#cuda_releases], cc) then return "current" end
  local lowest
  for _, builds in ipairs(cuda_releases) do
    local carried, low = builds_carry(builds, cc)
    if carried then return "dropped" end
    if low and (not lowest or low < lowest) then lowest = low end
  end
  if not lowest then return nil end
  return gpu < lowest and "too_old" or "too_new"
end

return M
