-- plugins/mps/vendor.lua: what gpuhost knows about Apple GPUs beyond detection
-- (sdk/docs/VENDORS.md): the macOS each PyTorch release's MPS backend needs
-- (the default PyPI arm64 wheel carries it), and the smoke test. Table:
-- scripts/tables/apple.lua.
local T = require("lib.tables")
local V, CH = T.version, T.choose
local AP = T.table("apple")
local lower = CH.lower

-- os = "macos": packages for this backend are chosen for macOS.
local C = { backends = { "mps" }, aliases = { "apple", "metal" }, os = "macos" }

---------------------------------------------------------------------------
-- Apple
---------------------------------------------------------------------------
-- Minimum macOS for MPS in a given torch release.
function C.mps_min_macos(release)
  local rel = CH.release(release)
  local v = rel and rel.torch or release
  local best
  for _, row in ipairs(AP.mps_min_macos) do
    if V.ge(v, row.torch_from) then best = row.macos end
  end
  return best
end

-- Newest release line whose MPS backend runs on `macos_version`.
function C.mps_newest_release(macos_version)
  local rs = CH.releases()
  for i = #rs, 1, -1 do
    local need = C.mps_min_macos(rs[i])
    if need and V.ge(macos_version, need) then return rs[i] end
  end
  return nil
end


function C.owns_tag(tag) return tag == "mps" end
function C.tag_family(tag) return tag == "mps" and "mps" or nil end
function C.has_torch_tag(rel, tag) return tag == "mps" end

function C.describe(device)
  local d = device.details or {}
  return { backend = device.backend, driver_version = device.driver_version,
           architecture = device.architecture, name = device.name,
           macos_version = d.macos_version, arch = d.arch, os = "macos" }
end

-- device = { backend = "mps", macos_version = "14.5", arch = "arm64" }
function C.accelerators(device, opts)
  local extra = { os = "macos" }
  local arch = lower(device.arch or device.cpu_arch or AP.arch)
  local mac = device.macos_version or device.os_version
  if arch ~= "arm64" and arch ~= "aarch64" then
    return {}, "MPS wheels are for Apple silicon (arm64) only; CPU build", extra
  elseif not mac or not V.parse(mac) then
    -- The PyPI arm64 wheel is the same with or without MPS support, so the MPS
    -- plan costs nothing if the macOS is too old: the smoke test then fails on
    -- torch.backends.mps.is_available() and says so.
    local rel = opts.release and CH.release(opts.release) or CH.releases_to_try(opts)[1]
    if not rel then return {}, "no PyTorch release to plan; CPU build", extra end
    return { {
      tag = "mps", backend = "mps", release = rel.line, torch = rel.torch,
      index_url = nil, env = {},
      reason = string.format("macOS version unknown: MPS in torch %s needs macOS %s or newer (the smoke test "
        .. "checks it); MPS ships in the default PyPI arm64 wheel", rel.torch, C.mps_min_macos(rel) or "?"),
    } }, nil, extra
  end
  local rel
  if opts.release then
    rel = CH.release(opts.release)
  else
    for _, r in ipairs(CH.releases_to_try(opts)) do
      local n = C.mps_min_macos(r)
      if n and V.ge(mac, n) then rel = r; break end
    end
  end
  local need = rel and C.mps_min_macos(rel)
  if rel and need and V.ge(mac, need) then
    return { {
      tag = "mps", backend = "mps", release = rel.line, torch = rel.torch,
      index_url = nil, env = {},
      reason = string.format("macOS %s >= %s required for MPS in torch %s; MPS ships in the "
        .. "default PyPI arm64 wheel", mac, need, rel.torch),
    } }, nil, extra
  end
  local first = AP.mps_min_macos[1].macos
  return {}, string.format("macOS %s is below the MPS minimum (%s for torch %s)", mac,
    need or first, rel and rel.torch or "any 2.x") .. "; CPU build", extra
end

-- The default PyPI wheel; a partial newest line gives way to the newest
-- complete one (with torchvision) unless the profile pins a line.
C.complete_release = true

function C.pytorch(spec, rel, tag, opts)
  spec.index_url = nil
  spec.notes[#spec.notes + 1] = "macOS arm64: the default PyPI wheel includes MPS"
  return true
end

C.smoke_test = {
  pytorch = [[
import sys, torch
assert torch.backends.mps.is_available(), "torch.backends.mps.is_available() is False"
dev = torch.device("mps")
a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
prod = a.to(dev) @ a.to(dev).T
assert prod.device.type == dev.type, "the product is on %s, not %s" % (prod.device, dev)
assert torch.allclose(prod.cpu(), a @ a.T), "matmul on %s differs from the CPU" % dev
print("torch", torch.__version__, "ok on", dev)
]],
}

return C
