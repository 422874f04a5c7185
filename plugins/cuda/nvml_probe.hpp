// Signal 1, the most trusted: NVML (libnvidia-ml.so.1), opened at run time.
#pragma once
#include "gpu_facts.hpp"
#include "gpuhost/sysroot.hpp"

namespace gpuhost::cuda {

// GPUHOST_NVML_LIBRARY names another file to open (tests' fake drivers).
SignalReport probe_nvml(const sdk::Sysroot &root);

}  // namespace gpuhost::cuda
