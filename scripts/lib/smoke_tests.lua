-- scripts/lib/smoke_tests.lua
--
-- The default smoke test per framework (planner.default_smoke_test uses it
-- when a vendor names none): a small computation whose result is checked and
-- whose device is checked too, so that a silent fall-back to the CPU (a
-- CPU-only wheel, a provider or plugin whose libraries did not load) exits
-- non-zero with a message naming where it ran instead.
--
--   S.script(framework, want) -> Python source
--   want = { gpu = true|false, backend = "<backend>", hip = true|false (CuPy),
--            provider = "<ONNX Runtime execution provider>", provider_options = {...},
--            preload_dlls = true|false (ONNX Runtime) }
-- The vendor-specific facts come from tables/frameworks.lua (via the planner);
-- nothing here names a vendor.

local S = {}

-- A Python string literal for a table value: tables may be a user's copy, and
-- the value lands inside a program.
local function py(s)
  s = tostring(s)
  return '"' .. s:gsub('[%c"\\\128-\255]', function(c) return string.format("\\x%02x", c:byte()) end) .. '"'
end

local function py_dict(t)
  local keys = {}
  for k in pairs(t or {}) do keys[#keys + 1] = tostring(k) end
  table.sort(keys)
  local items = {}
  for _, k in ipairs(keys) do items[#items + 1] = py(k) .. ": " .. py(t[k]) end
  return "{" .. table.concat(items, ", ") .. "}"
end

-- Fills {{NAME}} placeholders (no Lua pattern escapes to get wrong).
local function fill(template, values)
  return (template:gsub("{{(%u+)}}", function(name)
    local v = values[name]
    if v == nil then error("smoke_tests: no value for {{" .. name .. "}}") end
    return v
  end))
end

local NUMPY = [[
import numpy as np
a = np.arange(12, dtype=np.float32).reshape(3, 4)
assert np.allclose(a @ a.T, np.einsum("ij,kj->ik", a, a)), "numpy matmul"
print("numpy", np.__version__, "ok on CPU")
]]

-- The CPU check for torch: the vendors' own tests (plugins/*/vendor.lua
-- smoke_test.pytorch) put the tensor on their device.
local TORCH_CPU = [[
import torch
dev = torch.device("cpu")
a = torch.arange(12, dtype=torch.float32).reshape(3, 4)
got = a.to(dev) @ a.to(dev).T
assert got.device.type == "cpu", "the product is on %s" % got.device
assert torch.allclose(got, a @ a.T), "matmul on %s differs" % dev
print("torch", torch.__version__, "ok on", dev)
]]

-- A GPU plan with no device check known here (a vendor that gives no torch
-- test, an ONNX Runtime build with no provider named): passing would claim
-- what nobody checked.
local NO_CHECK = [[
import sys
sys.exit("no smoke test proves " + {{WHAT}} + " computes on the " + {{BACKEND}} + " device: " + {{WHY}})
]]

local CUPY = [[
import cupy as cp, numpy as np
assert cp.cuda.runtime.getDeviceCount() > 0, "CuPy sees no GPU"
if {{HIP}}:
    assert cp.cuda.runtime.is_hip, "a CUDA build of CuPy where a HIP (ROCm) one belongs"
a = np.arange(12, dtype=np.float32).reshape(3, 4)
x = cp.asarray(a)
got = x @ x.T
assert isinstance(got, cp.ndarray) and got.device.id >= 0, "the product is not a GPU array"
assert np.allclose(cp.asnumpy(got), a @ a.T), "CuPy matmul differs from NumPy"
print("cupy", cp.__version__, "ok on GPU", got.device.id)
]]

-- JAX names both CUDA and ROCm devices "gpu". A missing or broken plugin
-- makes JAX warn and carry on with the CPU.
local JAX = [[
import numpy as np
import jax, jax.numpy as jnp
WANT = {{WANT}}
backend = jax.default_backend()
assert backend == WANT, "JAX computes on %s, not %s (devices: %s)%s" % (backend, WANT, jax.devices(),
    ": the GPU plugin did not load, see JAX's warning above" if WANT == "gpu" else "")
a = np.arange(12, dtype=np.float32).reshape(3, 4)
x = jnp.asarray(a)
got = x @ x.T
where = sorted({d.platform for d in got.devices()})
assert where == [WANT], "the product is on %s, not %s" % (", ".join(where), WANT)
assert np.allclose(np.asarray(got), a @ a.T), "JAX matmul differs from NumPy"
print("jax", jax.__version__, "ok on", backend, got.devices())
]]

-- TensorFlow places an op on the CPU without a word when no GPU is there
-- (soft placement), so the product's own device is what counts.
local TENSORFLOW = [[
import numpy as np
import tensorflow as tf
WANT = {{WANT}}
if WANT == "GPU":
    assert tf.config.list_physical_devices("GPU"), "TensorFlow sees no GPU (list_physical_devices('GPU') is empty; it has %s): a CPU-only build, or its CUDA libraries did not load" % [d.name for d in tf.config.list_physical_devices()]
a = np.arange(12, dtype=np.float32).reshape(3, 4)
with tf.device("/%s:0" % WANT):
    x = tf.constant(a)
    got = tf.matmul(x, x, transpose_b=True)
assert (":%s:" % WANT) in got.device, "the product is on %s, not the %s" % (got.device, WANT)
assert np.allclose(got.numpy(), a @ a.T), "TensorFlow matmul differs from NumPy"
print("tensorflow", tf.__version__, "ok on", got.device)
]]

-- A one-node ONNX model (MatMul of two float inputs), written as protobuf
-- bytes here so the test needs no `onnx` package; the session's profile says
-- which provider ran each node.
local ONNXRUNTIME = [[
import json, os, shutil, tempfile
import numpy as np
import onnxruntime as ort
WANT = {{WANT}}
OPTIONS = {{OPTIONS}}
preload = ""
if {{PRELOAD}} and hasattr(ort, "preload_dlls"):
    try:
        ort.preload_dlls()  # the provider's libraries from their wheels (tables/frameworks.lua: preload_dlls)
    except Exception as e:
        preload = "; onnxruntime.preload_dlls() failed: %s" % e

def varint(n):
    out = b""
    while n > 0x7F:
        out += bytes([n & 0x7F | 0x80])
        n >>= 7
    return out + bytes([n])
def num(field, v): return varint(field << 3) + varint(v)
def sub(field, body): return varint(field << 3 | 2) + varint(len(body)) + body
def text(field, s): return sub(field, s.encode())
def value(name, rows, cols):  # ValueInfoProto: float tensor rows x cols
    return text(1, name) + sub(2, sub(1, num(1, 1) + sub(2, sub(1, num(1, rows)) + sub(1, num(1, cols)))))
node = text(1, "A") + text(1, "B") + text(2, "Y") + text(3, "matmul") + text(4, "MatMul")
graph = sub(1, node) + text(2, "smoke") + sub(11, value("A", 3, 4)) + sub(11, value("B", 4, 3)) + sub(12, value("Y", 3, 3))
model = num(1, 8) + text(2, "gpuhost") + sub(7, graph) + sub(8, num(2, 13))

available = ort.get_available_providers()
assert WANT in available, "%s is not in this onnxruntime %s (it has %s): the CPU-only package, or a build without that provider%s" % (
    WANT, ort.__version__, ", ".join(available), preload)
so = ort.SessionOptions()
so.enable_profiling = True
tmp = tempfile.mkdtemp(prefix="gpuhost-ort-smoke-")
so.profile_file_prefix = os.path.join(tmp, "profile")
providers = [(WANT, OPTIONS)] + ([] if WANT == "CPUExecutionProvider" else ["CPUExecutionProvider"])
sess = ort.InferenceSession(model, sess_options=so, providers=providers)
used = sess.get_providers()
assert used[0] == WANT, "the session runs on %s, not %s: the provider did not load (see ONNX Runtime's warning above)%s" % (
    ", ".join(used), WANT, preload)
a = np.arange(12, dtype=np.float32).reshape(3, 4)
got = sess.run(None, {"A": a, "B": np.ascontiguousarray(a.T)})[0]
with open(sess.end_profiling()) as f:
    events = json.load(f)
shutil.rmtree(tmp, ignore_errors=True)
ran = sorted({str(e["args"].get("provider")) for e in events if e.get("cat") == "Node" and "provider" in e.get("args", {})
              and not str(e["args"].get("op_name", "")).startswith("Memcpy")})
assert ran == [WANT], "the model ran on %s, not %s" % (", ".join(ran) or "no provider", WANT)
assert np.allclose(got, a @ a.T), "MatMul on %s differs from NumPy" % WANT
print("onnxruntime", ort.__version__, "ok on", WANT)
]]

function S.script(framework, want)
  want = want or {}
  local backend = py(want.backend or "cpu")
  if framework == "numpy" then return NUMPY end
  if framework == "pytorch" then
    if not want.gpu then return TORCH_CPU end
    return fill(NO_CHECK, { WHAT = py("torch"), BACKEND = backend,
      WHY = py("the vendor's vendor.lua sets no smoke_test.pytorch") })
  end
  if framework == "cupy" then
    return want.gpu and fill(CUPY, { HIP = want.hip and "True" or "False" }) or NUMPY
  end
  if framework == "jax" then return fill(JAX, { WANT = py(want.gpu and "gpu" or "cpu") }) end
  if framework == "tensorflow" then return fill(TENSORFLOW, { WANT = py(want.gpu and "GPU" or "CPU") }) end
  if framework == "onnxruntime" then
    local provider = want.provider or (not want.gpu and "CPUExecutionProvider") or nil
    if not provider then
      return fill(NO_CHECK, { WHAT = py("onnxruntime"), BACKEND = backend,
        WHY = py("tables/frameworks.lua names no provider for this build") })
    end
    return fill(ONNXRUNTIME, { WANT = py(provider), OPTIONS = py_dict(want.provider_options),
      PRELOAD = want.preload_dlls and "True" or "False" })
  end
  return nil
end

return S
