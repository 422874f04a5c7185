-- Deep learning at scale: large models, mixed precision, multi-GPU training.
return {
  name = "deep_learning",
  description = "large-model training with mixed precision",
  framework = "pytorch",
  packages = { "accelerate", "deepspeed", "tensorboard" },
  min_memory_mib = 16384,
  precision = "bf16",
  gpu = "required",
  python = { min = "3.10", max = "3.12" },
  env_version = 1,
}
