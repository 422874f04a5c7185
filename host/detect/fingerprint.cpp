#include "fingerprint.hpp"

#include "gpuhost/bounded_file.hpp"

#include <algorithm>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost {

namespace {

// A whole small file, trailing newline dropped; "" when absent or not a
// regular file (a FIFO in a recording must not hang the fingerprint).
std::string small_file(const std::string &path) {
    std::string s = read_bounded_file(path, 1 << 20).text.value_or("");
    if (s.size() > 512) s.resize(512);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
    return s;
}

std::vector<std::string> sorted_names(const std::string &dir, const std::string &prefix = {}) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (name.rfind(prefix, 0) == 0) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string join(const std::vector<std::string> &parts) {
    std::string s;
    for (const auto &p : parts) s += p + ";";
    return s;
}

}  // namespace

json::object machine_fingerprint(const std::string &sysroot, const std::vector<Manifest> &plugins) {
    const std::string root = sysroot;
    json::object f;
    f["sysroot"] = sysroot;
    f["boot_id"] = small_file(root + "/proc/sys/kernel/random/boot_id");
    f["kernel"] = small_file(root + "/proc/sys/kernel/osrelease");

    std::vector<std::string> drivers;
    if (auto v = small_file(root + "/proc/driver/nvidia/version"); !v.empty()) drivers.push_back("nvidia-proc=" + v.substr(0, v.find('\n')));
    for (const char *module : {"nvidia", "amdgpu", "i915", "xe"})
        if (auto v = small_file(root + "/sys/module/" + module + "/version"); !v.empty())
            drivers.push_back(std::string(module) + "=" + v);
        else if (fs::exists(root + "/sys/module/" + module)) drivers.push_back(std::string(module) + "=loaded");
    f["drivers"] = join(drivers);

    std::vector<std::string> pci;
    std::string pci_dir = root + "/sys/bus/pci/devices";
    for (const auto &slot : sorted_names(pci_dir)) {
        std::string base = pci_dir + "/" + slot + "/";
        pci.push_back(slot + "=" + small_file(base + "vendor") + ":" + small_file(base + "device") + ":" +
                      small_file(base + "class"));
    }
    f["pci"] = join(pci);

    std::vector<std::string> nodes = sorted_names(root + "/dev", "nvidia");
    if (fs::exists(root + "/dev/kfd")) nodes.push_back("kfd");
    for (const auto &n : sorted_names(root + "/dev/dri")) nodes.push_back("dri/" + n);
    f["dev_nodes"] = join(nodes);

    std::vector<std::string> set;
    for (const auto &m : plugins) {
        struct stat st {};
        std::string lib = m.library.string();
        ::stat(lib.c_str(), &st);
        set.push_back(m.name + "@" + m.version + "=" + lib + ":" + std::to_string(st.st_size) + ":" +
                      std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec));
    }
    f["plugins"] = join(set);

    // Variables that change what plugins find: a different value is another machine.
    std::vector<std::string> vars;
    for (const char *name : {"HSA_OVERRIDE_GFX_VERSION", "CUDA_VISIBLE_DEVICES", "GPUHOST_DISABLE_PLUGINS",
                             "GPUHOST_NVML_LIBRARY", "GPUHOST_CUDA_LIBRARY", "GPUHOST_LEVEL_ZERO_LIBRARY",
                             "GPUHOST_OPENCL_LOADER", "GPUHOST_VULKAN_LOADER"})
        if (const char *value = std::getenv(name)) vars.push_back(std::string(name) + "=" + value);
    f["environment"] = join(vars);
    return f;
}

std::vector<std::string> fingerprint_changes(const json::object &cached, const json::object &now) {
    std::vector<std::string> changed;
    for (const auto &[key, value] : now) {
        auto it = cached.find(key);
        if (it == cached.end() || it->value() != value) changed.emplace_back(key);
    }
    for (const auto &[key, value] : cached)
        if (!now.contains(key)) changed.emplace_back(key);
    return changed;
}

}  // namespace gpuhost
