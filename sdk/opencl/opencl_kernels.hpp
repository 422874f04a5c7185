// The five kernels through OpenCL on the device a record names: the OpenCL C
// source is embedded and built by the driver on first use (then cached), and
// timing comes from profiling events, so it is the device's own clock.
#pragma once
#include "gpuhost/plugin_abi.h"

#include <boost/json.hpp>
#include <string>

namespace gpuhost::opencl {

gpuhost_status run_opencl_kernel(const boost::json::object &device, gpuhost_kernel_args &args, std::string &message);

}  // namespace gpuhost::opencl
