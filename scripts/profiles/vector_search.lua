-- Embedding similarity search: cosine top-k over a matrix of vectors.
-- The default profile (`gpuhost plan vector_search`). The array library follows
-- the backend: CuPy on CUDA and ROCm, PyTorch on Apple's MPS, NumPy on the CPU.

-- Data and the check, shared by every backend; the search itself runs on the device.
local DATA = [==[
import numpy as np
rng = np.random.default_rng(7)
base = rng.standard_normal((2000, 64)).astype(np.float32)
queries = base[[3, 141, 1999]] + 0.01 * rng.standard_normal((3, 64)).astype(np.float32)
]==]
local CHECK = [[
assert top.shape == (3, 5), "top-k shape %s" % (top.shape,)
assert top[:, 0].tolist() == [3, 141, 1999], "wrong nearest neighbours: %s" % top[:, 0].tolist()
print("vector_search smoke test ok on", where, top[:, 0].tolist())
]]
local SEARCH = {
  numpy = [[
b = base / np.linalg.norm(base, axis=1, keepdims=True)
top = np.argsort(-(queries @ b.T), axis=1)[:, :5]
where = "cpu (numpy %s)" % np.__version__
]],
  cupy = [[
import cupy as cp
assert cp.cuda.runtime.getDeviceCount() > 0, "CuPy sees no GPU"
b = cp.asarray(base)
b = b / cp.linalg.norm(b, axis=1, keepdims=True)
top = cp.asnumpy(cp.argsort(-(cp.asarray(queries) @ b.T), axis=1))[:, :5]
where = "gpu (cupy %s)" % cp.__version__
]],
  pytorch = [[
import torch
assert torch.backends.mps.is_available(), "torch.backends.mps.is_available() is False"
dev = torch.device("mps")
b = torch.from_numpy(base).to(dev)
b = b / torch.linalg.norm(b, dim=1, keepdim=True)
top = torch.topk(torch.from_numpy(queries).to(dev) @ b.T, 5, dim=1).indices.cpu().numpy()
where = "mps (torch %s)" % torch.__version__
]],
}

return {
  name = "vector_search",
  description = "cosine top-k search over embeddings",
  framework = { cuda = "cupy", rocm = "cupy", mps = "pytorch", default = "numpy" },
  packages = { "numpy>=1.26" },
  min_memory_mib = 1024,
  precision = "fp32",
  gpu = "optional",
  python = { min = "3.10", max = "3.13" },
  env_version = 1,
  -- On a GPU plan this fails when the library cannot reach the GPU (a CPU-only build).
  -- On ROCm the CuPy build must be the HIP one.
  smoke_test = function(plan)
    local hip = (plan.framework == "cupy" and plan.backend == "rocm")
      and 'assert cp.cuda.runtime.is_hip, "a CUDA build of CuPy where a ROCm one belongs"\n' or ""
    return DATA .. (SEARCH[plan.framework] or SEARCH.numpy) .. hip .. CHECK
  end,
}
