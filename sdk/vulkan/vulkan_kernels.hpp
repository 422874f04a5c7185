// The five kernels as Vulkan compute shaders (GLSL in kernels/, compiled to
// SPIR-V at build time and embedded) on the device a record names, timed with
// timestamp queries where the queue has them.
#pragma once
#include "gpuhost/plugin_abi.h"

#include <boost/json.hpp>
#include <string>

namespace gpuhost::vulkan {

gpuhost_status run_vulkan_kernel(const boost::json::object &device, gpuhost_kernel_args &args, std::string &message);

}  // namespace gpuhost::vulkan
