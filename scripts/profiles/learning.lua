-- Learning ML: PyTorch with notebooks and plotting; small models, any device.
return {
  name = "learning",
  description = "PyTorch, Jupyter and plotting for courses and tutorials",
  framework = "pytorch",
  packages = { "jupyterlab", "matplotlib", "pandas", "scikit-learn" },
  min_memory_mib = 2048,
  precision = "fp32",
  gpu = "optional",
  python = { min = "3.10", max = "3.13" },
  env_version = 1,
}
