// The environment a test runs in, and every process it starts.
//
// The machine under a unit or replay test must not matter: not its GPUs, its
// driver libraries, its loaders' settings, nor the user's gpuhost and pip
// settings. So each suite's main (unit/test_main.cpp) clears those variables
// from its own environment and gives itself a private HOME before any test
// runs, and each helper that starts gpuhost clears them again for the child and
// sets only what the test asks for. Live tests, which compare gpuhost with this
// machine's own tools, take the machine's device variables back explicitly
// (support/live_machine.hpp).
#pragma once
#include "core/subprocess.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

extern char **environ;

namespace gpuhost::test {

// Variables that select, hide or redirect this machine's devices: the GPU
// runtimes' visibility masks and overrides, and the Vulkan and OpenCL loaders'
// driver lists. The machine's own tools (nvidia-smi, vulkaninfo, clinfo) obey
// them too, so live tests keep them; unit and replay tests never see them.
inline bool is_device_variable(std::string_view name) {
    static const std::vector<std::string_view> names = {
        "CUDA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER", "NVIDIA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES",
        "ROCR_VISIBLE_DEVICES", "GPU_DEVICE_ORDINAL", "HSA_OVERRIDE_GFX_VERSION", "ZE_AFFINITY_MASK",
        "ONEAPI_DEVICE_SELECTOR", "VK_ICD_FILENAMES", "VK_DRIVER_FILES", "VK_ADD_DRIVER_FILES",
        "VK_LOADER_DRIVERS_SELECT", "VK_LOADER_DRIVERS_DISABLE", "OCL_ICD_VENDORS", "OCL_ICD_FILENAMES",
        "OPENCL_VENDOR_PATH", "POCL_DEVICES"};
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Everything no test process inherits: gpuhost's own settings and overrides
// (GPUHOST_*, the driver-library overrides GPUHOST_NVML_LIBRARY, GPUHOST_CUDA_LIBRARY,
// GPUHOST_LEVEL_ZERO_LIBRARY... among them), the device variables, and the
// Python installers' settings (another index, another environment, CUDA_HOME).
inline bool is_machine_variable(std::string_view name) {
    for (std::string_view prefix : {"GPUHOST_", "PIP_", "UV_"})
        if (name.substr(0, prefix.size()) == prefix) return true;
    for (std::string_view other : {"VIRTUAL_ENV", "CONDA_PREFIX", "CUDA_HOME", "CUDA_PATH"})
        if (name == other) return true;
    return is_device_variable(name);
}

inline std::map<std::string, std::string> current_environment() {
    std::map<std::string, std::string> env;
    for (char **e = environ; *e; ++e) {
        std::string_view kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
    return env;
}

// The environment as this test program started, before anything was cleared.
// main() asks first, so the copy is taken before make_process_hermetic().
inline const std::map<std::string, std::string> &original_environment() {
    static const std::map<std::string, std::string> original = current_environment();
    return original;
}

// The machine variables set in this process now: what a child must not inherit.
inline std::vector<std::string> machine_variables_set() {
    std::vector<std::string> names;
    for (const auto &[name, value] : current_environment())
        if (is_machine_variable(name)) names.push_back(name);
    return names;
}

// The device variables this machine had when the program started (live tests).
inline std::map<std::string, std::string> machine_device_variables() {
    std::map<std::string, std::string> out;
    for (const auto &[name, value] : original_environment())
        if (is_device_variable(name)) out.emplace(name, value);
    return out;
}

// "VK_ICD_FILENAMES=/nonexistent OCL_ICD_VENDORS=/nonexistent", or "" when none is set:
// said in a skip message, since it is the usual reason a device is hidden.
inline std::string describe_machine_device_variables() {
    std::string text;
    for (const auto &[name, value] : machine_device_variables()) text += (text.empty() ? "" : " ") + name + "=" + value;
    return text;
}

// Removes a folder tree when the program ends.
struct PrivateHome {
    std::filesystem::path path;
    ~PrivateHome() {
        std::error_code ec;
        if (!path.empty()) std::filesystem::remove_all(path, ec);
    }
};

// Called once by main before any test: clears the machine variables from this
// process (so plugins loaded in-process and every child inherit none of them)
// and points HOME and the XDG folders into a private folder, so the user's
// gpuhost settings, cache, plugins and environments never meet a test.
// A ctest entry that reruns a suite on another code path names the variables
// that choose the path in GPUHOST_TEST_KEEP (comma-separated): those stay for
// this process, which is the one whose in-process code they steer.
inline bool kept_for_this_run(const std::string &name) {
    const char *keep = std::getenv("GPUHOST_TEST_KEEP");
    if (!keep) return false;
    std::string list = std::string(",") + keep + ",";
    return list.find("," + name + ",") != std::string::npos;
}

inline void make_process_hermetic() {
    (void)original_environment();
    for (const auto &name : machine_variables_set())
        if (!kept_for_this_run(name)) ::unsetenv(name.c_str());
    static PrivateHome home;
    std::random_device rd;
    home.path = std::filesystem::temp_directory_path() /
                ("gpuhost-test-home-" + std::to_string(rd()) + std::to_string(rd()));
    for (const char *sub : {"home", "config", "cache", "state", "data"})
        std::filesystem::create_directories(home.path / sub);
    ::setenv("HOME", (home.path / "home").c_str(), 1);
    ::setenv("XDG_CONFIG_HOME", (home.path / "config").c_str(), 1);
    ::setenv("XDG_CACHE_HOME", (home.path / "cache").c_str(), 1);
    ::setenv("XDG_STATE_HOME", (home.path / "state").c_str(), 1);
    ::setenv("XDG_DATA_HOME", (home.path / "data").c_str(), 1);
}

// In-process live code (plugins loaded into the test, the machine's tools run
// from it) sees the machine's devices as the machine's own tools do: the device
// variables go back into this process. The children of hermetic helpers still
// get none of them (they clear machine_variables_set()).
inline void expose_machine_devices() {
    for (const auto &[name, value] : machine_device_variables()) ::setenv(name.c_str(), value.c_str(), 1);
}

// The real plugins the build made (build/bin/plugins), by name.
inline std::vector<std::string> real_plugin_names() {
    static const std::vector<std::string> names = [] {
        const std::string suffix = ".gpuhost-plugin.json";
        std::vector<std::string> out;
        std::error_code ec;
        for (std::filesystem::directory_iterator it(GPUHOST_PLUGIN_DIR, ec), end; !ec && it != end; it.increment(ec)) {
            std::string file = it->path().filename().string();
            if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0)
                out.push_back(file.substr(0, file.size() - suffix.size()));
        }
        std::sort(out.begin(), out.end());
        return out;
    }();
    return names;
}

// {"GPUHOST_DISABLE_PLUGINS", every real plugin but these}: for a unit test that
// needs more real plugins than cpu and keeps them off this machine's devices
// (pointing their loaders or libraries elsewhere).
inline std::pair<const std::string, std::string> only_real_plugins(const std::vector<std::string> &keep) {
    std::string off;
    for (const auto &name : real_plugin_names())
        if (std::find(keep.begin(), keep.end(), name) == keep.end()) off += (off.empty() ? "" : ",") + name;
    return {"GPUHOST_DISABLE_PLUGINS", off};
}

// What a child process gets: variables removed from the inherited environment,
// then variables set.
struct ChildEnvironment {
    std::map<std::string, std::string> set;
    std::vector<std::string> unset;

    void apply_to(ProcessOptions &options) const {
        options.env_set = set;
        options.env_unset = unset;
    }
};

// A replay reads only the recording under --sysroot, or the devices of an
// --inventory file (the plugins then only score and plan them, with their
// vendor Lua), so every plugin may take part; anywhere else the real vendor
// plugins would probe this machine.
inline bool replays_a_recording(const std::vector<std::string> &args) {
    for (const char *flag : {"--sysroot", "--inventory"})
        if (std::find(args.begin(), args.end(), flag) != args.end()) return true;
    return false;
}

// For a gpuhost that a unit or replay test starts: no machine variable; of the
// real plugins only cpu (every machine has one), unless the call replays a
// recording; then what the test sets (its own plugin path, XDG folders,
// settings, even its own GPUHOST_DISABLE_PLUGINS) on top.
inline ChildEnvironment hermetic_gpuhost_environment(const std::vector<std::string> &args,
                                                      const std::map<std::string, std::string> &wanted = {}) {
    ChildEnvironment e;
    e.unset = machine_variables_set();
    if (!replays_a_recording(args)) e.set.insert(only_real_plugins({"cpu"}));
    for (const auto &[k, v] : wanted) e.set[k] = v;
    return e;
}

// For a gpuhost that a live test starts: the machine's devices as its own tools
// see them (every real plugin, the machine's device variables), but none of the
// user's gpuhost or installer settings; then what the test sets.
inline ChildEnvironment live_gpuhost_environment(const std::map<std::string, std::string> &wanted = {}) {
    ChildEnvironment e;
    e.unset = machine_variables_set();
    e.set = machine_device_variables();
    for (const auto &[k, v] : wanted) e.set[k] = v;
    return e;
}

}  // namespace gpuhost::test
