-- Reinforcement learning: small networks, many environment steps; its own run
-- flow adds the environment suite after the framework is installed.
return {
  name = "reinforcement_learning",
  description = "Gymnasium environments with Stable-Baselines3",
  framework = "pytorch",
  packages = { "gymnasium", "stable-baselines3", "tensorboard" },
  min_memory_mib = 2048,
  precision = "fp32",
  gpu = "optional",
  python = { min = "3.10", max = "3.12" },
  env_version = 1,
  -- Called by `gpuhost run` after the base install; actions go through the
  -- gpuhost module with argument lists and are logged.
  run = function(plan)
    gpuhost.info("reinforcement_learning: installing the classic-control environments")
    gpuhost.install({ "gymnasium[classic-control]" })
    gpuhost.verify()
  end,
}
