-- plugins/rocm/vendor.lua: what gpuhost knows about AMD GPUs beyond detection
-- (sdk/docs/VENDORS.md): which PyTorch ROCm builds ship kernels for a gfx
-- target, which HSA_OVERRIDE_GFX_VERSION makes a near target run, from which
-- index, and the smoke test. Tables: scripts/tables/rocm.lua and the rocm
-- rows of tables/pytorch.lua. AMD targets are "gfxNNNN".
local T = require("lib.tables")
local V, CH = T.version, T.choose
local RO = T.table("rocm")
local contains, copy = CH.contains, CH.copy
local release_or_error = CH.release_or_error

local C = { backends = { "rocm" }, aliases = { "amd", "hip" } }

-- "gfx1031", "GFX1031", "gfx90a:sramecc+:xnack-" -> "gfx1031" / "gfx90a"
function C.normalize_gfx(x)
  if type(x) ~= "string" then return nil end
  local g = x:lower():match("(gfx%w+)")
  return g
end

-- "rocm6.2.4" -> "6.2.4"
function C.rocm_tag_version(tag)
  return type(tag) == "string" and tag:match("^rocm(%d[%d.]*)$") or nil
end

---------------------------------------------------------------------------
-- ROCm
---------------------------------------------------------------------------
-- gfx targets compiled into the wheels of (release line, rocm tag).
function C.rocm_wheel_gfx(release, tag)
  local rel = CH.release(release)
  if not rel then return nil end
  for _, row in ipairs(RO.pytorch_wheels) do
    if contains(row.releases, rel.line) and (row.tags == nil or contains(row.tags, tag)) then
      return row.gfx, row
    end
  end
  return nil
end

-- ROCm tag of `release` that runs `gfx`.
-- Returns tag, env (table of environment overrides, possibly empty), info
--       | nil, reason.
function C.rocm_tag(release, gfx, opts)
  opts = opts or {}
  local rel, err = release_or_error(release)
  if not rel then return nil, err end
  local g = C.normalize_gfx(gfx)
  if not g then return nil, "unrecognised AMD GPU target '" .. tostring(gfx) .. "'" end
  local tags = {}
  for _, t in ipairs(rel.rocm or {}) do tags[#tags + 1] = t end
  if #tags == 0 then return nil, "torch " .. rel.line .. " has no ROCm builds" end
  table.sort(tags, function(a, b) return V.gt(C.rocm_tag_version(a), C.rocm_tag_version(b)) end)

  for _, t in ipairs(tags) do
    local list, row = C.rocm_wheel_gfx(rel.line, t)
    if list and contains(list, g) then
      return t, {}, { tag = t, release = rel.line, torch = rel.torch, native = true,
        index_url = CH.index_url(t), approximate = row.approximate,
        reason = string.format("torch %s %s ships %s kernels", rel.torch, t, g) }
    end
  end
  local ov = RO.overrides[g]
  if ov and not (ov.community_only and opts.no_community_overrides) then
    for _, t in ipairs(tags) do
      local list, row = C.rocm_wheel_gfx(rel.line, t)
      if list and contains(list, ov.target) then
        local envtxt = {}
        for k, v in pairs(ov.env) do envtxt[#envtxt + 1] = k .. "=" .. v end
        table.sort(envtxt)
        return t, copy(ov.env), { tag = t, release = rel.line, torch = rel.torch, native = false,
          override_target = ov.target, community_only = ov.community_only,
          index_url = CH.index_url(t), approximate = row.approximate,
          reason = string.format("torch %s %s has no %s kernels; runs the %s kernels with %s%s",
            rel.torch, t, g, ov.target, table.concat(envtxt, " "),
            ov.community_only and " (community workaround, not supported by AMD)" or "") }
      end
    end
  end
  local un = RO.unsupported[g]
  if un then return nil, g .. " (" .. un.family .. "): " .. un.reason end
  return nil, string.format("torch %s ROCm wheels (%s) have no kernels for %s and no known override",
    rel.line, table.concat(tags, ", "), g)
end


function C.owns_tag(tag) return C.rocm_tag_version(tag) ~= nil end
-- "rocm6.2.4" -> family "rocm6" (tables/frameworks.lua)
function C.tag_family(tag)
  local rv = C.rocm_tag_version(tag)
  return rv and ("rocm" .. tostring(V.major(rv))) or nil
end
function C.has_torch_tag(rel, tag) return contains(rel.rocm, tag) end

function C.describe(device)
  return { backend = device.backend, driver_version = device.driver_version,
           architecture = device.architecture, name = device.name, os = "linux" }
end

-- device = { backend = "rocm", architecture = "gfx1031" }
function C.accelerators(device, opts)
  local gfx = device.architecture or device.gfx
  local out, first_reason = {}, nil
  for _, rel in ipairs(CH.releases_to_try(opts)) do
    local tag, env, info = C.rocm_tag(rel, gfx, opts)
    if tag then
      local e = copy(info)
      e.backend = "rocm"
      e.env = env
      out[#out + 1] = e
      break
    elseif not first_reason and #(rel.rocm or {}) > 0 then
      first_reason = env   -- the reason string (from a line that has ROCm builds)
    end
  end
  if #out == 0 then
    return out, (first_reason or "no ROCm build found") .. "; CPU fallback"
  end
  return out
end

-- A ROCm GPU that the tables' HSA_OVERRIDE_GFX_VERSION makes usable (the plan sets it).
function C.eligible(device)
  if device.usable then return true end
  if device.architecture then
    local cands = CH.accelerators(C.describe(device))
    local first = cands[1]
    if first and first.tag ~= "cpu" and first.env and first.env.HSA_OVERRIDE_GFX_VERSION then
      return true, "usable with HSA_OVERRIDE_GFX_VERSION=" .. first.env.HSA_OVERRIDE_GFX_VERSION
    end
  end
  return false
end

function C.pytorch(spec, rel, tag, opts)
  if not contains(rel.rocm, tag) then return nil, "torch " .. rel.line .. " has no " .. tag .. " build" end
  spec.index_url = CH.index_url(tag)
  if opts.gfx then
    local t, env = C.rocm_tag(rel, opts.gfx, opts)
    if t == tag and type(env) == "table" then spec.env = env end
  end
  return true
end

function C.package_options(device)
  return { gfx = device.architecture }
end

C.smoke_test = {
  pytorch = [[
import sys, torch
assert torch.cuda.is_available(), "torch.cuda.is_available() is False: the CPU-only wheel or no driver"
assert torch.version.hip, "a CUDA wheel where a ROCm one belongs"
dev = torch.device("cuda")
a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
prod = a.to(dev) @ a.to(dev).T
assert prod.device.type == dev.type, "the product is on %s, not %s" % (prod.device, dev)
assert torch.allclose(prod.cpu(), a @ a.T), "matmul on %s differs from the CPU" % dev
print("torch", torch.__version__, "ok on", dev)
]],
}

return C
