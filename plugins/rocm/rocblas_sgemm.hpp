// sgemm on an AMD GPU through rocBLAS, with the HIP runtime for memory and
// timing. Both are opened at run time, never linked: from GPUHOST_HIP_LIBRARY
// and GPUHOST_ROCBLAS_LIBRARY (tests: fakes at the driver boundary), else, on
// the live machine, the sonames (the loader's path), the active Python
// environment's torch/lib (PyTorch's ROCm wheels carry both), $ROCM_PATH/lib and
// /opt/rocm/lib. The plugin has no kernels of its own: every other kernel, and
// sgemm where rocBLAS is missing, is answered "unsupported" and runs on the
// Vulkan or OpenCL view of the same GPU.
#pragma once
#include "gpuhost/plugin_abi.h"
#include "gpuhost/sysroot.hpp"

#include <functional>
#include <string>
#include <vector>

namespace gpuhost::rocm {

// The folders to try after the loader's path (sdk::open_vendor_library's
// fallback_dirs, each ending in '/'): the Python environment's torch/lib,
// $ROCM_PATH/lib, /opt/rocm/lib, /opt/rocm-*/lib. `env` reads a variable, `glob`
// lists folders matching a pattern (parameters so tests can describe any machine).
std::vector<std::string> rocm_library_dirs(const std::function<const char *(const char *)> &env,
                                           const std::function<std::vector<std::string>(const std::string &)> &glob);

// Runs args (an SGEMM, row-major) on the GPU whose PCI bus id is bus_id ("" for
// the only one). GPUHOST_OK: args.c, seconds (HIP events) and implementation are
// set. GPUHOST_ERR_UNSUPPORTED: HIP or rocBLAS is not there, message says why.
// Another status: a call failed, message names it.
gpuhost_status rocblas_sgemm(const sdk::Sysroot &root, const std::string &bus_id, gpuhost_kernel_args &args,
                             std::string &message);

}  // namespace gpuhost::rocm
