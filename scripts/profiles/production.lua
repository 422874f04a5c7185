-- Production inference: pinned versions, so a rebuild gives the same environment.
-- Bump env_version after changing a pin: gpuhost then recreates the environment.
return {
  name = "production",
  description = "pinned PyTorch inference stack",
  framework = "pytorch",
  pytorch = "2.7",   -- release line from scripts/tables/pytorch.lua
  packages = { "numpy==2.2.6", "transformers==4.51.3", "safetensors==0.5.3", "fastapi==0.115.12", "uvicorn==0.34.2" },
  min_memory_mib = 8192,
  precision = "fp16",
  gpu = "preferred",
  python = { min = "3.10", max = "3.12" },
  env_version = 1,
}
