// One loaded plugin: its manifest, the negotiated table, and C++ wrappers
// around each call. Libraries are never unloaded while the host runs.
#pragma once
#include "gpuhost/plugin_abi.h"
#include "manifest.hpp"

#include <memory>
#include <string>

namespace gpuhost {

class ToolRunner;

// What a call returns: its status and the text the plugin emitted.
struct PluginReply {
    gpuhost_status status = GPUHOST_ERR_INTERNAL;
    std::string text;
    bool ok() const { return status == GPUHOST_OK; }
};

const char *status_name(gpuhost_status status);

// Thrown by load() with a one-line reason.
struct PluginLoadError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class PluginLibrary {
public:
    // Loads manifest.library, finds the entry symbol, negotiates the ABI and
    // checks the table against the manifest. Throws PluginLoadError.
    static std::shared_ptr<PluginLibrary> load(const Manifest &manifest);

    const Manifest &manifest() const { return manifest_; }
    const std::string &name() const { return manifest_.name; }
    std::string version() const { return table_->version ? table_->version : ""; }
    std::uint32_t abi_version() const { return table_->abi_version; }
    bool has_kernel() const { return table_->kernel != nullptr; }

    PluginReply detect(const ToolRunner &tools, const std::string &request_json) const;
    PluginReply score(const ToolRunner &tools, const std::string &device_json,
                      const std::string &workload_json) const;
    PluginReply install(const ToolRunner &tools, const std::string &device_json) const;
    PluginReply kernel(const ToolRunner &tools, const std::string &device_json, gpuhost_kernel_args &args) const;

private:
    PluginLibrary(Manifest m, const gpuhost_plugin_i *t) : manifest_(std::move(m)), table_(t) {}
    Manifest manifest_;
    const gpuhost_plugin_i *table_;
};

}  // namespace gpuhost
