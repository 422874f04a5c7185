-- vendor.lua: what gpuhost installs for a Huawei Ascend NPU (the interface:
-- sdk/docs/VENDORS.md). PyTorch reaches an Ascend NPU through the torch_npu
-- adapter, published on PyPI for one torch release each; torch itself is the
-- CPU build (PyTorch's cpu index). Facts and their sources: SOURCE.md.
local T = require("lib.tables")
local V, CH = T.version, T.choose

local BACKEND = "npu"
local ADAPTER = "torch_npu"

-- torch_npu releases and the torch release each is built for, newest first
-- (pypi.org/project/torch-npu/<version>/: "pip3 install torch==<torch>").
local ADAPTERS = {
  { torch = "2.12.0", adapter = "2.12.0.post3", python = { min = "3.10", max = "3.12" } },
  { torch = "2.11.0", adapter = "2.11.0.post3", python = { min = "3.10", max = "3.12" } },
  { torch = "2.10.0", adapter = "2.10.0.post7", python = { min = "3.10", max = "3.12" } },
  { torch = "2.7.1", adapter = "2.7.1.post11", python = { min = "3.9", max = "3.11" } },
}

local N = { backends = { BACKEND }, adapters = ADAPTERS }

local function row_for(rel)
  for _, row in ipairs(ADAPTERS) do
    if V.same_line(row.torch, rel.line) then return row end
  end
  return nil
end

local function python_fits(row, py)
  return not py or V.between(V.prefix(py, 2), row.python.min, row.python.max)
end

function N.owns_tag(tag) return tag == BACKEND end
function N.has_torch_tag(rel, tag) return tag == BACKEND and row_for(rel) ~= nil end

-- The builds on offer for an NPU: torch plus the matching adapter, the newest
-- release first that gpuhost's PyTorch table knows and the Python allows.
function N.accelerators(device, opts)
  local out, skipped = {}, {}
  local pin = opts.release and CH.release(opts.release)
  for _, row in ipairs(ADAPTERS) do
    local rel = CH.release(row.torch)
    if not rel then
      skipped[#skipped + 1] = "torch " .. row.torch .. " is not in gpuhost's PyTorch table"
    elseif pin and not V.same_line(row.torch, pin.line) then
      skipped[#skipped + 1] = "the profile pins torch " .. tostring(opts.release)
    elseif not python_fits(row, opts.python) then
      skipped[#skipped + 1] = ADAPTER .. " " .. row.adapter .. " has no wheels for Python " .. tostring(opts.python)
    else
      out[#out + 1] = {
        tag = BACKEND, backend = BACKEND, release = rel.line, torch = row.torch, adapter = row.adapter,
        torch_build = "cpu",   -- torch is the CPU wheel; the adapter brings the NPU
        index_url = CH.index_url("cpu"),
        reason = string.format("%s %s is built for torch %s (CPU wheel from PyTorch's cpu index, %s from PyPI)%s",
          ADAPTER, row.adapter, row.torch, ADAPTER,
          device.runtime and device.runtime.version and ("; CANN " .. device.runtime.version .. " found") or
            "; no CANN toolkit was found: install it before running"),
      }
      break
    end
  end
  if #out == 0 then
    return out, "no " .. ADAPTER .. " build fits (" .. table.concat(skipped, "; ") .. "); CPU build"
  end
  return out
end

-- torch (the CPU wheel) pinned to the adapter's torch, then the adapter.
function N.pytorch(spec, rel, tag, opts)
  local row = row_for(rel)
  if not row then return nil, "no " .. ADAPTER .. " release is built for torch " .. rel.line end
  if opts.python and not python_fits(row, opts.python) then
    return nil, ADAPTER .. " " .. row.adapter .. " has no wheels for Python " .. opts.python
  end
  spec.index_url = CH.index_url("cpu")
  spec.after_torch = { ADAPTER .. "==" .. row.adapter }
  spec.python = { min = row.python.min, max = row.python.max }
  spec.notes[#spec.notes + 1] = ADAPTER .. " " .. row.adapter .. " needs the CANN toolkit: source "
    .. "/usr/local/Ascend/ascend-toolkit/set_env.sh before using the environment"
  -- torchvision only where its pin is built for exactly this torch; the
  -- adapter's own audio support is not covered, so no torchaudio
  local pins = { torch = row.torch, torchvision = false, torchaudio = false }
  if rel.torch == row.torch and rel.torchvision then pins.torchvision = rel.torchvision end
  return pins
end

N.smoke_test = {
  pytorch = [[
import torch, torch_npu
assert torch.npu.is_available(), "torch.npu.is_available() is False: torch_npu cannot reach the NPU (driver, CANN set_env.sh, /dev/davinci*)"
dev = torch.device("npu:0")
a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
prod = a.to(dev) @ a.to(dev).T
assert prod.device.type == dev.type, "the product is on %s, not %s" % (prod.device, dev)
assert torch.allclose(prod.cpu(), a @ a.T), "matmul on %s differs from the CPU" % dev
print("torch", torch.__version__, "torch_npu", torch_npu.__version__, "ok on", dev)
]],
}

return N
