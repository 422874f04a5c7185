-- plugins/intel/vendor.lua: what gpuhost knows about Intel GPUs beyond
-- detection (sdk/docs/VENDORS.md): which GPU families PyTorch's xpu wheels
-- support (validated or same-generation), from which index, and the smoke
-- test. Table: scripts/tables/intel.lua.
local T = require("lib.tables")
local V, CH = T.version, T.choose
local IN = T.table("intel")
local contains, lower = CH.contains, CH.lower

local C = { backends = { "xpu" }, aliases = { "intel" } }

---------------------------------------------------------------------------
-- Intel
---------------------------------------------------------------------------
local function parse_pci(x)
  if type(x) == "number" then return x end
  if type(x) ~= "string" then return nil end
  local h = x:lower():match("^0x(%x+)$") or x:lower():match("^(%x%x%x%x)$")
    or x:lower():match("8086:(%x%x%x%x)")
  return h and tonumber(h, 16) or nil
end

-- device: { pci_id = "0x56a0" | 0x56A0 | "8086:56a0", name = "Intel(R) Arc(TM) A770 Graphics" }
-- Returns the family table from tables/intel.lua, or nil.
function C.intel_family(device)
  local id = parse_pci(device.pci_id or device.device_id)
  if id then
    for _, fam in ipairs(IN.families) do
      if contains(fam.pci_ids, id) then return fam end
    end
  end
  local name = lower(device.name or "")
  if name ~= "" then
    name = name:gsub("^intel%(r%)%s*", ""):gsub("^intel%s+", "")
    for _, fam in ipairs(IN.families) do
      for _, pat in ipairs(fam.name_patterns or {}) do
        if name:find(pat) then return fam end
      end
    end
  end
  return nil
end


function C.owns_tag(tag) return tag == "xpu" end
function C.tag_family(tag) return tag == "xpu" and "xpu" or nil end
function C.has_torch_tag(rel, tag) return tag == "xpu" and rel.xpu and true or false end

function C.describe(device)
  return { backend = device.backend, driver_version = device.driver_version,
           architecture = device.architecture, name = device.name,
           pci_id = device.pci and device.pci.device_id, os = "linux" }
end

-- device = { backend = "xpu", name = "...", pci_id = "0x56a0" }
function C.accelerators(device, opts)
  local fam = C.intel_family(device)
  if fam and (fam.status == "validated" or fam.status == "unvalidated") then
    local rel
    for _, r in ipairs(CH.releases_to_try(opts)) do
      if r.xpu and V.ge(r.torch, fam.min_torch or IN.min_torch) then rel = r; break end
    end
    if rel then
      return { {
        tag = "xpu", backend = "xpu", release = rel.line, torch = rel.torch,
        index_url = IN.index_url, env = {}, family = fam.key,
        experimental = (fam.status ~= "validated") or nil,
        reason = fam.name .. (fam.status == "validated"
          and " is in PyTorch's validated Intel GPU list"
          or " is not in PyTorch's validated list (same GPU generation as listed parts); experimental")
          .. "; xpu wheels from torch " .. (fam.min_torch or IN.min_torch),
      } }
    end
    return {}, fam.name .. ": no torch release in range has an xpu build; CPU fallback"
  elseif fam then
    return {}, (fam.reason or (fam.name .. " is not supported by the xpu builds")) .. "; CPU build"
  end
  return {}, "unrecognised Intel GPU '" .. tostring(device.name or device.pci_id)
    .. "'; not in PyTorch's validated xpu list; CPU build"
end

function C.pytorch(spec, rel, tag, opts)
  if not rel.xpu then return nil, "torch " .. rel.line .. " has no xpu build (xpu wheels start with 2.5)" end
  spec.index_url = IN.index_url
  return true
end

C.smoke_test = {
  pytorch = [[
import sys, torch
assert hasattr(torch, "xpu") and torch.xpu.is_available(), "torch.xpu.is_available() is False"
dev = torch.device("xpu")
a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
prod = a.to(dev) @ a.to(dev).T
assert prod.device.type == dev.type, "the product is on %s, not %s" % (prod.device, dev)
assert torch.allclose(prod.cpu(), a @ a.T), "matmul on %s differs from the CPU" % dev
print("torch", torch.__version__, "ok on", dev)
]],
}

return C
