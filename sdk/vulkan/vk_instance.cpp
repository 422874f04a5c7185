#include "vk.hpp"

#include "gpuhost/vendor_library.hpp"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>

VULKAN_HPP_DEFAULT_DISPATCH_LOADER_DYNAMIC_STORAGE

namespace gpuhost::vulkan {

vk::Instance instance() {
    static std::mutex lock;
    static vk::Instance created;
    static std::string failure;
    std::lock_guard<std::mutex> guard(lock);
    if (created) return created;
    if (!failure.empty()) throw std::runtime_error(failure);
    // GPUHOST_VULKAN_LOADER may name another loader file (tests use it). Kept
    // open: drivers may not unload cleanly.
    auto loader = sdk::open_vendor_library("GPUHOST_VULKAN_LOADER", {"libvulkan.so.1", "libvulkan.so"}, true);
    if (!loader.handle) {
        const char *forced = std::getenv("GPUHOST_VULKAN_LOADER");
        std::string tried = forced && *forced ? loader.path : "libvulkan.so.1";
        failure = "no Vulkan loader (" + tried + " could not be opened)";
        throw std::runtime_error(failure);
    }
    auto get_proc = reinterpret_cast<PFN_vkGetInstanceProcAddr>(loader.symbol("vkGetInstanceProcAddr"));
    if (!get_proc) throw std::runtime_error(failure = "libvulkan has no vkGetInstanceProcAddr");
    VULKAN_HPP_DEFAULT_DISPATCHER.init(get_proc);
    vk::ApplicationInfo app("gpuhost", 1, "gpuhost", 1, VK_API_VERSION_1_1);
    try {
        created = vk::createInstance(vk::InstanceCreateInfo({}, &app));
    } catch (const vk::SystemError &e) {
        failure = std::string("vkCreateInstance failed: ") + e.what();
        throw std::runtime_error(failure);
    }
    VULKAN_HPP_DEFAULT_DISPATCHER.init(created);
    return created;
}

}  // namespace gpuhost::vulkan
