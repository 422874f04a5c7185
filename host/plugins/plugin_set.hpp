// Finding and loading plugins: the search path, permission checks, manifests,
// duplicates. Every plugin found ends up loaded or rejected with one reason.
#pragma once
#include "plugin_library.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace gpuhost {

struct RejectedPlugin {
    std::filesystem::path path;  // the manifest (or the folder when it is unreadable)
    std::string name;            // when the manifest named one
    std::string reason;
};

struct PluginSearchOptions {
    // Beside the executable, the user's data folder, then GPUHOST_PLUGIN_PATH.
    std::vector<std::filesystem::path> dirs;
    // Load plugins from folders or files that other users can write to.
    bool allow_insecure = false;
    // Check manifests but open no library: detection then loads each one in its
    // probe child, so a library that crashes while loading cannot take the host down.
    bool defer_loading = false;
    // Plugin names not to load (GPUHOST_DISABLE_PLUGINS=opencl,vulkan), e.g. to
    // sidestep a driver that misbehaves; they are listed as rejected with that reason.
    std::vector<std::string> disabled;
};

// The default search path. Never includes the current directory.
std::vector<std::filesystem::path> default_plugin_dirs();
PluginSearchOptions default_search_options();

struct PluginSet {
    std::vector<std::shared_ptr<PluginLibrary>> loaded;  // in search order
    std::vector<Manifest> deferred;  // passed every manifest check, library not opened yet
    std::vector<RejectedPlugin> rejected;
    std::vector<std::filesystem::path> searched;

    std::shared_ptr<PluginLibrary> find(const std::string &name) const;
    // Every usable manifest in search order, loaded or deferred.
    std::vector<Manifest> manifests() const;
    // The backends the usable manifests declare, lowest priority number first, then by name.
    std::vector<std::string> backends() const;
    // The declaring manifest's priority (50 when no manifest declares it).
    int backend_priority(const std::string &backend) const;
    // Opens the deferred libraries that `wanted` accepts (e.g. those whose probe
    // passed), moving each to loaded, or to rejected with the reason.
    void load_deferred(const std::function<bool(const std::string &name)> &wanted);
};

// Reads manifests (sorted by file name within each folder) and loads the
// libraries. Never throws for a bad plugin: it is rejected with its reason.
PluginSet load_plugins(const PluginSearchOptions &options);

// Why a path is unsafe to load code from, or empty when it is fine: it must
// belong to the user or root and not be writable by group or others.
std::string insecure_reason(const std::filesystem::path &path);

}  // namespace gpuhost
