-- Recovery rules for Apple Silicon / MPS failures.
-- Patterns are RE2 regular expressions, matched line by line, ignoring case.

-- An MPS op or feature that a later macOS than the running one brings: the
-- op exists, this macOS lacks it (mps_unavailable_old_macos, not the op rule).
local NEEDS_NEWER_MACOS = "(support (has been|was) added|(is )?(only )?(supported|available)) (in|on|from|starting (from|with)) macos \\d+"

return {
  {
    id = "mps_op_not_implemented",
    patterns = {
      any = {
        "is not currently implemented for the mps device",
        "is not current implemented for the mps device",
        "pytorch_enable_mps_fallback",
        "not supported at the mps device",
        -- The dispatcher's wording, for dense and sparse MPS tensors.
        "could not run '[^']+' with arguments from the '(sparse)?mps' backend",
        -- The CPU fallback's warning names the same missing MPS operator.
        "is not currently supported on the mps backend and will fall back",
        -- A dtype MPS cannot hold, which an op asked for.
        "cannot convert a mps tensor to float64 dtype",
        "mps framework doesn'?t support float64",
        -- An operator, shape or dtype MPS lacks, as the op itself says.
        "\\bnot (currently )?supported (on|by|for) (the )?mps\\b",
        "\\bmps (does not|doesn'?t) support\\b",
        -- A dtype the MPS backend has no support for, as torch says it.
        "to the mps backend but it does not have support for that dtype",
        "\\btypes? (are|is) unsupported on mps\\b",
        -- An MPS kernel refusing complex inputs it has no implementation for.
        "\\bops? (are|is) not supported for complex\\b",
      },
      none = {
        -- The op exists on a newer macOS: mps_unavailable_old_macos.
        NEEDS_NEWER_MACOS,
      },
    },
    when = { backend = "mps", os = "macos" },
    hints = {
      "\\bmps\\b.*not (currently )?(implemented|supported)|not (currently )?(implemented|supported).*\\bmps\\b",
      "pytorch_enable_mps_fallback|fall ?back to (run on )?(the )?cpu",
      "\\baten::",
      "\\bmps\\b[^\\n]*(doesn'?t|does not|cannot|can'?t) (support|convert)",
      "not supported for complex",
    },
    severity = "warning",
    confidence = 0.95,
    diagnosis = "An operator used by the model has no MPS (Metal) implementation in this PyTorch version.",
    steps = {
      "Let PyTorch run the missing op on the CPU: export PYTORCH_ENABLE_MPS_FALLBACK=1",
      "Upgrade PyTorch, which adds MPS ops regularly: ${venv}/bin/pip install --upgrade torch torchvision torchaudio",
      "If it still fails, run the whole model on the CPU: gpuhost run ${profile} --accelerator cpu",
    },
    fix = { action = "set_env", name = "PYTORCH_ENABLE_MPS_FALLBACK", value = "1" },
  },
  {
    id = "mps_out_of_memory",
    patterns = {
      any = {
        "mps backend out of memory",
        "pytorch_mps_high_watermark_ratio",
        -- Metal's own out-of-memory status (llama.cpp, koboldcpp and others on Apple GPUs).
        "kiogpucommandbuffercallbackerroroutofmemory",
        -- A single MPS buffer beyond what Metal allows.
        "invalid buffer size: [\\d.]+ ?[kmgt]i?b",
        -- ggml's Metal backend: a command buffer ended in error (status 5), out of memory as a rule.
        "ggml_metal_graph_compute: command buffer \\d+ failed with status 5",
        -- MLX's Metal allocator.
        "\\[metal::malloc\\] attempting to allocate",
        -- ggml's Metal backend failing to allocate a buffer.
        "ggml_metal[[:alnum:]_]*: error: failed to allocate buffer",
        -- MLX's Metal allocator refusing a buffer.
        "\\[malloc\\] unable to allocate \\d+ bytes",
      },
    },
    when = { backend = "mps", os = "macos" },
    hints = {
      -- Memory named with MPS or Metal: "mps" alone is every MPS failure's word.
      "(\\bmps\\b|\\bmetal\\b).*(memory|alloc|buffer)|(memory|alloc|buffer).*(\\bmps\\b|\\bmetal\\b)",
      "out ?of ?memory|\\boom\\b|buffer size|watermark",
      -- Metal's command buffer failing (status 5: an error, here out of GPU memory).
      "command buffer \\d+ failed with status|kiogpucommandbuffercallbackerror",
    },
    severity = "warning",
    confidence = 0.95,
    diagnosis = "The MPS allocator hit its memory limit (a share of unified memory) for this model / batch size.",
    steps = {
      "Close other memory-hungry apps and check memory pressure: vm_stat; memory_pressure",
      "Lower the batch size / resolution, or use float16 weights",
      "Relax the limit (can make macOS unstable): export PYTORCH_MPS_HIGH_WATERMARK_RATIO=0.0",
    },
    fix = { action = "set_env", name = "PYTORCH_MPS_HIGH_WATERMARK_RATIO", value = "0.0" },
  },
  {
    id = "mps_unavailable_old_macos",
    patterns = {
      any = {
        "mps backend is supported on macos",
        "current macos version is not 1[2-9](\\.\\d)?\\+",
        "you do not have an mps-enabled device",
        "is mps available\\?:? false",
        "mps\\.is_available\\(\\)[^\\n]{0,20}false",
        "\\bmacos[- ](1[01]\\.\\d|12\\.[0-2])",
        -- An MPS feature that needs a newer macOS than the one running.
        "\\bmps\\b[^\\n]*starting (from|with) macos \\d+",
        -- A Metal plugin built for a newer macOS, missing MPS classes the running one lacks.
        "symbol not found: _objc_class_\\$_mps",
        "which was built for mac ?os x? \\d+",
        -- An MPS op whose support came with a newer macOS than the running one.
        NEEDS_NEWER_MACOS,
        -- A GPU without the Metal feature set MPS needs, as torch reports it.
        "does not support metal 2\\.0",
        "missing metal support for mtlgpufamily",
        -- MLX finding no Metal device at all.
        "no metal device available",
      },
    },
    when = { os = "macos" },
    hints = {
      "(mac ?os|os x).*(\\d+\\.\\d+|version|upgrade|update|older|newer)",
      "\\bmps\\b.*(not available|unavailable|is_available\\(\\).*false|not supported on)",
    },
    severity = "error",
    confidence = 0.95,
    diagnosis = "This PyTorch build needs a newer macOS (and an Apple Silicon or Metal-capable GPU) to use the MPS backend.",
    steps = {
      "Check the macOS version and CPU: sw_vers -productVersion; uname -m",
      "Update macOS via System Settings > General > Software Update",
      "Check the Python is arm64 (not Rosetta): ${python} -c \"import platform; print(platform.machine())\"",
      "Until then run on the CPU: gpuhost run ${profile} --accelerator cpu",
    },
    fix = { action = "switch_cpu" },
  },
  {
    id = "cuda_requested_on_mac",
    -- macOS has no CUDA (NVIDIA's last macOS toolkit was 10.2); PyTorch's Mac
    -- wheels carry the MPS backend instead. A program asking for CUDA there
    -- needs the "mps" device or the CPU, not another torch build. Off macOS
    -- the same words are a CPU wheel (torch_cpu_build_on_gpu) or hidden GPUs.
    patterns = {
      any = {
        "\\bcuda\\b[^\\n]*\\bnot (supported|available) on (mac ?os|os x|darwin|apple)",
        "(mac ?os|darwin|apple silicon)[^\\n]*(does not|doesn'?t) support cuda",
      },
    },
    given = {
      when = { os = "macos" },
      any = {
        "torch not compiled with cuda enabled",
        "no cuda gpus are available",
        "found no nvidia driver on your system",
        "pytorch was compiled without cuda support",
        "attempting to deserialize object on a cuda device but torch\\.cuda\\.is_available\\(\\) is false",
        "cuda used to build pytorch: none",
        -- JAX asked for its GPU backend, which its Mac wheels do not have.
        "unknown backend:? '?(gpu|cuda)\\b",
        "no gpu/tpu found",
      },
    },
    when = { os = "macos" },
    hints = {
      "\\bmps\\b[^\\n]*\\bcuda\\b|\\bcuda\\b[^\\n]*\\bmps\\b",
      "(mac ?os|apple silicon|\\bm[1-4] (pro|max|ultra)?\\b)[^\\n]*\\bcuda\\b",
      -- A framework asked for a GPU backend it has none of (JAX's 'Unknown backend gpu').
      "unknown backend:? '?(gpu|cuda)\\b",
    },
    severity = "error",
    confidence = 0.9,
    diagnosis = "The program asks for CUDA, which macOS does not have: the installed PyTorch is the Mac's (with the MPS backend for the Apple GPU), so the program must use the \"mps\" device or the CPU.",
    steps = {
      "Check the Mac's GPU backend: ${python} -c \"import torch; print(torch.backends.mps.is_available())\"",
      "Use it: the program's device option set to mps (e.g. --device mps), or in code device = 'mps' if torch.backends.mps.is_available() else 'cpu', with .to(device) in place of .cuda()",
      "Load checkpoints saved on a CUDA machine with torch.load(path, map_location=device)",
      "For operators MPS lacks: export PYTORCH_ENABLE_MPS_FALLBACK=1; there is no CUDA build of PyTorch for macOS to install",
    },
  },
}
