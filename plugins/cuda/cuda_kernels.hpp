// Runs one of the ABI's kernels (gpuhost_kernel_args) on an NVIDIA GPU via the
// CUDA driver API, opened at run time, with the embedded PTX.
#pragma once
#include "gpuhost/plugin_abi.h"
#include "gpuhost/sysroot.hpp"

#include <boost/json.hpp>
#include <string>

namespace gpuhost::cuda {

// The device is chosen by the record's pci.bus_id, else details.index, else 0.
// Times are device-side (cuEvent), the median of `repeats` after one warm-up.
// GPUHOST_ERR_UNSUPPORTED with the reason when the plugin has no PTX or
// libcuda cannot be used; GPUHOST_ERR_ARGUMENT for bad sizes or buffers.
gpuhost_status run_cuda_kernel(const sdk::Sysroot &root, const boost::json::object &device,
                               gpuhost_kernel_args &args, std::string &message);

}  // namespace gpuhost::cuda
