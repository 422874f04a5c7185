// Signal 2: the CUDA driver API (libcuda.so.1), opened at run time. Works
// where NVML does not exist (Jetson, WSL2 without NVML in the distro).
#pragma once
#include "gpu_facts.hpp"
#include "gpuhost/sysroot.hpp"
#include "vendor_library.hpp"

#include <cuda.h>

namespace gpuhost::cuda {

// GPUHOST_CUDA_LIBRARY names another file to open (tests' fake drivers).
SignalReport probe_cuda_driver(const sdk::Sysroot &root);

// The CUDA_VISIBLE_DEVICES value this process started with, or nullopt.
const std::optional<std::string> &hidden_devices_setting();

// cuInit with CUDA_VISIBLE_DEVICES removed, so that it hides no GPU from
// gpuhost (the driver reads it once, in cuInit); afterwards it is put back,
// so processes gpuhost starts later still get the user's setting.
CUresult init_seeing_all_devices(decltype(&cuInit) init);

// The loaded libcuda (for kernels), or an error; opened once per process.
const VendorLibrary &cuda_library(const sdk::Sysroot &root);

}  // namespace gpuhost::cuda
