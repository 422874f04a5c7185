-- Computer vision: PyTorch with torchvision, image models and augmentation.
return {
  name = "computer_vision",
  description = "image classification and detection with torchvision and timm",
  framework = "pytorch",
  packages = { "timm", "opencv-python-headless", "albumentations", "pillow" },
  -- timm and the models import torchvision: plan a torch line that has it.
  needs = { "torchvision" },
  min_memory_mib = 6144,
  precision = "fp16",
  gpu = "preferred",
  python = { min = "3.10", max = "3.13" },
  env_version = 1,
}
