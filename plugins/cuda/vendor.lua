-- plugins/cuda/vendor.lua: what gpuhost knows about NVIDIA GPUs beyond
-- detection (sdk/docs/VENDORS.md): which PyTorch CUDA builds run on a driver
-- and carry kernels for a GPU's compute capability, from which index, and the
-- smoke test that proves torch computes on the GPU. Tables:
-- scripts/tables/nvidia_driver_cuda.lua and the cuda rows of tables/pytorch.lua.
--
-- Conventions: compute capabilities are "M.m" strings ("8.6", "12.0");
-- failures return nil plus a reason.
local T = require("lib.tables")
local GT = require("lib.gpu_targets")
local V, CH = T.version, T.choose
local NV = T.table("nvidia_driver_cuda")
local contains, copy, as_list, lower = CH.contains, CH.copy, CH.as_list, CH.lower
local os_key = CH.os_key
local release_or_error = CH.release_or_error

local C = { backends = { "cuda" }, aliases = { "nvidia" } }

-- "8.6", "sm_86", "86", "sm_120", "12.0", 8.6 -> "8.6" / "12.0"
function C.normalize_cc(x)
  if type(x) == "number" then x = string.format("%.1f", x) end
  if type(x) ~= "string" then return nil end
  x = x:lower():gsub("^%s+", ""):gsub("%s+$", "")
  x = x:gsub("^sm_", ""):gsub("^compute_", ""):gsub("^sm", "")
  local maj, min = x:match("^(%d+)%.(%d+)$")
  if maj then return tostring(tonumber(maj)) .. "." .. tostring(tonumber(min)) end
  local digits = x:match("^(%d+)[a-z]?$")          -- "86", "90a", "120"
  -- a bare "10" / "12" means 10.0 / 12.0: read compactly it would be a
  -- pre-Kepler capability (< 3.0) that no supported build targets
  if digits and #digits == 2 and tonumber(digits:sub(1, 1)) < 3 then
    return tostring(tonumber(digits)) .. ".0"
  end
  if digits and #digits >= 2 then
    return digits:sub(1, -2) .. "." .. digits:sub(-1)
  end
  if digits then return digits .. ".0" end
  return nil
end

-- "cu128" -> "12.8", "cu118" -> "11.8", "cu130" -> "13.0"
function C.cuda_tag_version(tag)
  local d = type(tag) == "string" and tag:match("^cu(%d+)$")
  if not d or #d < 2 then return nil end
  return tostring(tonumber(d:sub(1, -2))) .. "." .. d:sub(-1)
end

-- Minimum driver of a CUDA line (its GA row = the smallest requirement).
function C.min_driver_for_cuda(cuda, os_name)
  local key = os_key(os_name)
  local best
  for _, row in ipairs(NV.toolkits) do
    if V.prefix(row.cuda, 2) == V.prefix(cuda, 2) and row[key] then
      if best == nil or V.lt(row[key], best) then best = row[key] end
    end
  end
  return best
end

local function compat_floor(major, os_name)
  local key = os_key(os_name)
  for _, row in ipairs(NV.minor_compat) do
    if row.major == major then return row[key] end
  end
  return nil
end

-- Distinct CUDA lines in the table, newest first.
local function cuda_lines()
  local seen, out = {}, {}
  for _, row in ipairs(NV.toolkits) do
    if not seen[row.cuda] then seen[row.cuda] = true; out[#out + 1] = row.cuda end
  end
  return V.sorted(out, true)
end

-- Can a driver run code built with CUDA `cuda`?
-- opts.os = "linux" (default) | "windows"
-- opts.mode = "minor_compat" (default: NVIDIA minor-version compatibility,
--             which is how PyTorch/JAX/CuPy CUDA wheels are meant to run) |
--             "strict" (driver >= the toolkit's own GA driver).
function C.driver_supports_cuda(driver, cuda, opts)
  opts = opts or {}
  if not V.parse(driver) then return false, "unparseable driver version '" .. tostring(driver) .. "'" end
  local ga = C.min_driver_for_cuda(cuda, opts.os)
  if ga and V.ge(driver, ga) then
    return true, string.format("driver %s >= %s (CUDA %s GA requirement)", driver, ga, cuda), "ga"
  end
  if opts.mode ~= "strict" then
    local major = V.major(cuda)
    local floor = compat_floor(major, opts.os)
    if floor and V.ge(driver, floor) then
      return true, string.format("driver %s >= %s (CUDA %d.x minor-version compatibility floor)",
        driver, floor, major), "minor_compat"
    end
    if floor then
      return false, string.format("driver %s is below %s, the minimum for any CUDA %d.x build",
        driver, floor, major)
    end
  end
  if ga then
    return false, string.format("driver %s is below %s required by CUDA %s", driver, ga, cuda)
  end
  return false, string.format("no driver requirement known for CUDA %s on %s", cuda, os_key(opts.os))
end

-- Newest CUDA toolkit line the driver can run, e.g. "535.104.05" -> "12.9"
-- (minor-compat mode) or "12.2" (strict mode). Returns version, reason.
function C.cuda_max_for_driver(driver, opts)
  opts = opts or {}
  if driver == nil then return nil, "no driver version given" end
  if not V.parse(driver) then return nil, "unparseable driver version '" .. tostring(driver) .. "'" end
  local lines = cuda_lines()
  local best, why
  for _, line in ipairs(lines) do
    local ga = C.min_driver_for_cuda(line, opts.os)
    if ga and V.ge(driver, ga) then
      best, why = line, string.format("driver %s >= %s (CUDA %s GA)", driver, ga, line)
      break
    end
  end
  if opts.mode ~= "strict" then
    local majors = {}
    for _, row in ipairs(NV.minor_compat) do majors[#majors + 1] = row end
    table.sort(majors, function(a, b) return a.major > b.major end)
    for _, row in ipairs(majors) do
      local floor = compat_floor(row.major, opts.os)
      if floor and V.ge(driver, floor) then
        local newest
        for _, line in ipairs(lines) do
          if V.major(line) == row.major then newest = line; break end
        end
        if newest and (best == nil or V.gt(newest, best)) then
          best = newest
          why = string.format("driver %s >= %s: any CUDA %d.x build runs via minor-version "
            .. "compatibility; newest known %d.x is %s", driver, floor, row.major, row.major, newest)
        end
        break
      end
    end
  end
  if not best then
    return nil, string.format("driver %s is older than any CUDA 11+ requirement (CUDA 11.0 GA needs %s)",
      driver, C.min_driver_for_cuda("11.0", opts.os) or "?")
  end
  return best, why
end

---------------------------------------------------------------------------
-- Compute capability coverage
---------------------------------------------------------------------------
-- "sass" when a cubin of the same major and minor <= the device's exists,
-- "ptx" when only embedded PTX of an older-or-equal target exists (JIT),
-- nil otherwise; the rule lives in lib/gpu_targets.lua, which the recovery
-- rules share.
function C.cc_coverage(cc, sm, ptx)
  cc = C.normalize_cc(cc)
  if not cc or not sm then return nil end
  return GT.cc_coverage(cc, sm, ptx)
end

local function sm_list_text(sm)
  local out = {}
  for i, s in ipairs(sm or {}) do out[i] = "sm_" .. s:gsub("%.", "") end
  return table.concat(out, " ")
end

local function normalize_ccs(ccs)
  local out = {}
  for _, c in ipairs(as_list(ccs)) do
    local n = C.normalize_cc(c)
    if n and not contains(out, n) then out[#out + 1] = n end
  end
  return out
end

---------------------------------------------------------------------------
-- PyTorch CUDA tag selection
---------------------------------------------------------------------------
-- All CUDA tags of `release` usable with `driver` and every compute
-- capability in `ccs`, newest CUDA first. Returns accepted, rejected
-- (lists of info tables). opts: os, mode, allow_ptx (default true),
-- include_unselectable (default false), prefer_strict (rank builds whose own
-- GA driver requirement is met ahead of minor-compat-only ones).
-- info.driver_mode = "ga" | "minor_compat" tells which rule admitted it.
function C.torch_cuda_tags(release, driver, ccs, opts)
  opts = opts or {}
  local rel, err = release_or_error(release)
  if not rel then return nil, err end
  ccs = normalize_ccs(ccs)
  local entries = {}
  for _, e in ipairs(rel.cuda or {}) do entries[#entries + 1] = e end
  table.sort(entries, function(a, b) return V.gt(a.cuda, b.cuda) end)
  local accepted, rejected = {}, {}
  for _, e in ipairs(entries) do
    local info = { tag = e.tag, cuda = e.cuda, release = rel.line, partial = rel.partial or nil,
                   torch = (e.pins and e.pins.torch) or rel.torch,
                   index_url = CH.index_url(e.tag),
                   pypi_default = (e.tag == rel.pypi_default),
                   experimental = e.experimental or nil, coverage = {} }
    local why
    if e.select == false and not opts.include_unselectable then
      why = e.tag .. ": published but not auto-selected (unofficial or unknown arch list)"
      info.reject_kind = "unselectable"
    end
    if not why and driver ~= nil then
      local ok, r, mode = C.driver_supports_cuda(driver, e.cuda, opts)
      info.driver_reason = r
      info.driver_mode = mode
      if not ok then why = e.tag .. ": " .. r; info.reject_kind = "driver" end
    elseif not why then
      info.driver_reason = "driver version unknown - not checked"
    end
    if not why then
      if not e.sm then
        why = e.tag .. ": architecture list unknown"
        info.reject_kind = "unknown_arch"
      else
        for _, cc in ipairs(ccs) do
          local kind, detail = C.cc_coverage(cc, e.sm, e.ptx)
          if not kind then
            why = string.format("%s: no kernels for compute capability %s (ships %s)",
              e.tag, cc, sm_list_text(e.sm))
            info.reject_kind = "arch"
            break
          elseif kind == "ptx" and opts.allow_ptx == false then
            why = string.format("%s: compute capability %s only covered by PTX JIT", e.tag, cc)
            info.reject_kind = "arch"
            break
          end
          info.coverage[cc] = detail
        end
      end
    end
    if why then
      info.reason = why
      rejected[#rejected + 1] = info
    else
      local parts = {}
      for _, cc in ipairs(ccs) do parts[#parts + 1] = cc .. " -> " .. info.coverage[cc] end
      info.reason = string.format("torch %s %s (CUDA %s): %s%s%s", info.torch, e.tag, e.cuda,
        info.driver_reason or "",
        #parts > 0 and "; kernels " .. table.concat(parts, ", ") or "; no GPU architecture given",
        info.pypi_default and "; same build as the default PyPI wheel" or "")
      accepted[#accepted + 1] = info
    end
  end
  if opts.prefer_strict then
    -- builds whose own GA driver requirement is met first, then the ones
    -- that only run through minor-version compatibility (stable sort)
    local ga, mc = {}, {}
    for _, a in ipairs(accepted) do
      if a.driver_mode == "minor_compat" then mc[#mc + 1] = a else ga[#ga + 1] = a end
    end
    for _, a in ipairs(mc) do ga[#ga + 1] = a end
    accepted = ga
  end
  return accepted, rejected
end

-- Newest CUDA tag of `release` that the driver supports and that has
-- kernels for every given compute capability.
-- Returns tag, info  |  nil, reason.
function C.torch_cuda_tag(release, driver, ccs, opts)
  local accepted, rejected = C.torch_cuda_tags(release, driver, ccs, opts)
  if accepted == nil then return nil, rejected end
  if #accepted > 0 then return accepted[1].tag, accepted[1] end
  local rel = CH.release(release)
  if #rejected == 0 then
    return nil, "torch " .. rel.line .. " has no CUDA builds"
  end
  local reasons = {}
  for _, r in ipairs(rejected) do reasons[#reasons + 1] = r.reason end
  return nil, "no CUDA build of torch " .. rel.line .. " fits: " .. table.concat(reasons, "; ")
end


-- "cu128" -> family "cuda12" (tables/frameworks.lua)
function C.owns_tag(tag) return C.cuda_tag_version(tag) ~= nil end
function C.tag_family(tag)
  local cv = C.cuda_tag_version(tag)
  return cv and ("cuda" .. tostring(V.major(cv))) or nil
end
function C.has_torch_tag(rel, tag)
  for _, e in ipairs(rel.cuda or {}) do
    if e.tag == tag and e.select ~= false then return true end
  end
  return false
end

-- device = { backend = "cuda", driver_version = "535.104.05",
--            architecture = "8.6" | {"8.6", "6.1"}, os = "linux" }
-- opts.mode / opts.prefer_strict / opts.allow_ptx as in torch_cuda_tags.
function C.accelerators(device, opts)
  local os_name = device.os or opts.os
  local out, cpu_reason = {}, nil
  local ccs = device.architecture or device.architectures or device.compute_capability
  local copts = { os = os_name, mode = opts.mode, allow_ptx = opts.allow_ptx,
                  prefer_strict = opts.prefer_strict }
  local first_arch, first_any
  for _, rel in ipairs(CH.releases_to_try(opts)) do
    local acc, rej = C.torch_cuda_tags(rel, device.driver_version, ccs, copts)
    if acc and #acc > 0 then
      for _, info in ipairs(acc) do
        local e = copy(info)
        e.backend = "cuda"
        e.env = {}
        out[#out + 1] = e
      end
      break
    end
    for _, r in ipairs(rej or {}) do
      local txt = "torch " .. rel.line .. " " .. r.reason
      if r.reject_kind == "arch" and not first_arch then first_arch = txt end
      if not first_any then first_any = txt end
    end
  end
  if #out == 0 then
    local cc_txt = table.concat(normalize_ccs(ccs), ", ")
    if first_arch then
      -- some build runs on this driver, none has kernels for the GPU
      cpu_reason = string.format("no PyTorch 2.x CUDA build that runs on this driver has kernels "
        .. "for compute capability %s (newest tried: %s); CPU fallback", cc_txt, first_arch)
    else
      local maxc, maxwhy
      if device.driver_version then
        maxc, maxwhy = C.cuda_max_for_driver(device.driver_version, copts)
      end
      cpu_reason = string.format("no PyTorch 2.x CUDA build runs on driver %s (%s)%s; CPU fallback",
        tostring(device.driver_version),
        maxc and ("newest CUDA it supports: " .. maxc) or (maxwhy or "driver unknown"),
        first_any and (" - e.g. " .. first_any) or "")
    end
  end
  return out, cpu_reason
end

-- PyTorch on a cuda tag: the tag's index, its own pins when it has them.
function C.pytorch(spec, rel, tag, opts)
  local entry
  for _, e in ipairs(rel.cuda or {}) do if e.tag == tag then entry = e end end
  if not entry then return nil, "torch " .. rel.line .. " has no " .. tag .. " build" end
  if entry.select == false then
    spec.notes[#spec.notes + 1] = tag .. " is published for torch " .. rel.line
      .. " but not part of its official support matrix"
  end
  spec.index_url = CH.index_url(tag)
  if tag == rel.pypi_default then
    spec.notes[#spec.notes + 1] = "same CUDA build as plain `pip install torch` from PyPI on Linux x86_64"
  end
  return entry.pins or true
end

-- What the frameworks table's cuda rows require of the driver and GPU.
function C.framework_ok(framework, tag, spec, opts)
  if spec.min_driver and opts.driver_version and V.lt(opts.driver_version, spec.min_driver) then
    return false, string.format("%s %s needs NVIDIA driver >= %s (have %s)", framework, tag,
      spec.min_driver, opts.driver_version)
  end
  if spec.min_cc and opts.ccs then
    for _, cc in ipairs(normalize_ccs(opts.ccs)) do
      if V.lt(cc, spec.min_cc) then
        return false, string.format("%s %s needs compute capability >= %s (GPU has %s)", framework,
          tag, spec.min_cc, cc)
      end
    end
  end
  return true
end

-- The planner's options for packages() on this device.
function C.package_options(device)
  return { ccs = device.architecture and { device.architecture } or nil }
end

C.smoke_test = {
  pytorch = [[
import sys, torch
assert torch.cuda.is_available(), "torch.cuda.is_available() is False: the CPU-only wheel or no driver"
dev = torch.device("cuda")
a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
prod = a.to(dev) @ a.to(dev).T
assert prod.device.type == dev.type, "the product is on %s, not %s" % (prod.device, dev)
assert torch.allclose(prod.cpu(), a @ a.T), "matmul on %s differs from the CPU" % dev
print("torch", torch.__version__, "ok on", dev)
]],
}

return C
