# A stand-in for the torch_npu adapter in gpuhost's end-to-end test of this
# vendor: importing it registers torch.npu, as the real adapter does.
import sys
import types

import torch

npu = types.ModuleType("torch.npu")
npu.is_available = lambda: True
npu.device_count = lambda: 1
torch.npu = npu
sys.modules["torch.npu"] = npu
