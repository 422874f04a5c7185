// Signal 2: the CUDA driver API (libcuda.so.1), opened at run time. Works
// where NVML does not exist (Jetson, WSL2 without NVML in the distro).
#pragma once
#include "gpu_facts.hpp"
#include "gpuhost/sysroot.hpp"
#include "vendor_library.hpp"

namespace gpuhost::cuda {

// GPUHOST_CUDA_LIBRARY names another file to open (tests' fake drivers).
// CUDA_VISIBLE_DEVICES is removed from this process first so that it hides
// nothing from detection; its value is returned by hidden_devices_setting().
SignalReport probe_cuda_driver(const sdk::Sysroot &root);

// The CUDA_VISIBLE_DEVICES value this process started with, or nullopt.
const std::optional<std::string> &hidden_devices_setting();

// The loaded libcuda (for kernels), or an error; opened once per process.
const VendorLibrary &cuda_library(const sdk::Sysroot &root);

}  // namespace gpuhost::cuda
