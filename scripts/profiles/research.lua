-- Research: the newest PyTorch with experiment tracking and config tools.
return {
  name = "research",
  description = "newest PyTorch, experiment tracking, configs",
  framework = "pytorch",
  packages = { "numpy", "scipy", "einops", "tensorboard", "hydra-core" },
  min_memory_mib = 8192,
  precision = "bf16",
  gpu = "preferred",
  python = { min = "3.10", max = "3.13" },
  env_version = 1,
}
