-- NLP: transformers on PyTorch; fine-tuning wants a GPU with room for the model.
return {
  name = "nlp",
  description = "Hugging Face transformers, datasets and tokenizers",
  framework = "pytorch",
  packages = { "transformers", "datasets", "tokenizers", "accelerate", "sentencepiece" },
  min_memory_mib = 8192,
  precision = "bf16",
  gpu = "preferred",
  python = { min = "3.10", max = "3.13" },
  env_version = 1,
}
