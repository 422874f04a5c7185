-- rules.lua: recovery rules for Ascend NPU failures, in the shape of
-- gpuhost's scripts/rules (RE2 regular expressions, matched line by line, ignoring case).
-- Each pattern comes from a public report, cited in SOURCE.md.
return {
  {
    id = "ascend_cann_env_not_loaded",
    patterns = {
      any = {
        "libhccl\\.so: cannot open shared object file",
        "please run 'source set_env\\.sh' in the cann installation path",
        "libascendcl\\.so: cannot open shared object file",
      },
    },
    when = { backend = "npu" },
    severity = "error",
    confidence = 0.9,
    diagnosis = "torch_npu cannot load the CANN libraries: the CANN toolkit is not installed, or its set_env.sh was not sourced in this shell.",
    steps = {
      "Load CANN into this shell: source /usr/local/Ascend/ascend-toolkit/set_env.sh",
      "Check that the toolkit is there: cat /usr/local/Ascend/ascend-toolkit/latest/*-linux/ascend_toolkit_install.info",
      "Then try again: gpuhost run ${profile}",
    },
  },
  {
    id = "ascend_torch_npu_cann_mismatch",
    patterns = {
      any = {
        "libtorch_npu\\.so: undefined symbol",
        "libop_plugin_atb\\.so: undefined symbol",
      },
    },
    when = { backend = "npu" },
    severity = "error",
    confidence = 0.8,
    diagnosis = "The installed torch_npu was built against another CANN (or NNAL/ATB) version than the one on this machine.",
    steps = {
      "Show the versions: pip show torch torch_npu; cat /usr/local/Ascend/ascend-toolkit/latest/*-linux/ascend_toolkit_install.info",
      "Install the torch_npu release made for this CANN (Ascend/pytorch's version table), or upgrade CANN to the one torch_npu names",
      "Recreate the environment afterwards: gpuhost run ${profile}",
    },
  },
  {
    id = "ascend_init_env_failed",
    patterns = {
      any = {
        "init\\]\\[env\\]init env failed",
        "eh9999: inner error",
      },
    },
    when = { backend = "npu" },
    severity = "error",
    confidence = 0.6,
    diagnosis = "CANN failed to initialise its runtime environment; a common cause is Python packages CANN's operator compiler imports being missing (decorator, sympy, cffi, protobuf, attrs, psutil...).",
    steps = {
      "Install CANN's Python dependencies into the environment: ${python} -m pip install decorator sympy cffi protobuf attrs pyyaml pathlib2 scipy requests psutil absl-py",
      "Load CANN into the shell: source /usr/local/Ascend/ascend-toolkit/set_env.sh",
      "Try again: gpuhost run ${profile}",
    },
  },
}
