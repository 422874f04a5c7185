// The one place Vulkan-Hpp is configured: every call goes through a dispatcher
// filled from a libvulkan opened at run time (sdk::open_vendor_library), so nothing
// links libvulkan and a machine without it simply reports Vulkan absent.
#pragma once
#define VULKAN_HPP_DISPATCH_LOADER_DYNAMIC 1
#include <vulkan/vulkan.hpp>

#include <string>

namespace gpuhost::vulkan {

// The process-wide instance (API 1.1), created on first use. Throws
// std::runtime_error with the reason when there is no loader or no driver.
vk::Instance instance();

}  // namespace gpuhost::vulkan
