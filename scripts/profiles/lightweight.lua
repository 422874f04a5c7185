-- Lightweight: ONNX Runtime inference, small downloads, comfortable on a CPU.
return {
  name = "lightweight",
  description = "ONNX Runtime inference with few dependencies",
  framework = "onnxruntime",
  packages = { "numpy" },
  min_memory_mib = 1024,
  precision = "fp32",
  gpu = "optional",
  python = { min = "3.10", max = "3.13" },
  env_version = 1,
}
