-- plugins/cpu/vendor.lua: the CPU builds (sdk/docs/VENDORS.md). The last
-- resort of every plan: the generic chooser ends each device's list with
-- this vendor's build, carrying the reason the device's own vendor gave.
local T = require("lib.tables")
local CH = T.choose
local lower = CH.lower

local C = { backends = { "cpu" }, last_resort = true, complete_release = true }

function C.owns_tag(tag) return tag == "cpu" end
function C.tag_family(tag) return tag == "cpu" and "cpu" or nil end
function C.has_torch_tag(rel, tag) return tag == "cpu" end

local function macos(os_name)
  local o = lower(os_name)
  return o == "macos" or o == "darwin"
end

function C.accelerators(device, opts)
  local rel = CH.releases_to_try(opts or {})[1] or CH.newest_release()
  return { {
    tag = "cpu", backend = "cpu", release = rel.line, torch = rel.torch,
    index_url = not macos(device.os) and CH.index_url("cpu") or nil,
    reason = "CPU build (always available)",
  } }
end

-- On macOS the default PyPI wheel is the CPU build; elsewhere PyTorch's cpu index.
function C.pytorch(spec, rel, tag, opts)
  spec.index_url = not macos(opts.os) and CH.index_url("cpu") or nil
  return true
end

-- Its pytorch smoke test is the planner's own (torch computes on the CPU).

return C
