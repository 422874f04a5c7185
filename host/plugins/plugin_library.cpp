#include "plugin_library.hpp"

#include "../core/log.hpp"
#include "../core/tool_runner.hpp"
#include "trusted_file.hpp"

#include <boost/dll/shared_library.hpp>
#include <dlfcn.h>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace gpuhost {

const char *status_name(gpuhost_status status) {
    switch (status) {
    case GPUHOST_OK: return "ok";
    case GPUHOST_ERR_VERSION: return "version";
    case GPUHOST_ERR_ARGUMENT: return "argument";
    case GPUHOST_ERR_UNSUPPORTED: return "unsupported";
    case GPUHOST_ERR_FAILED: return "failed";
    case GPUHOST_ERR_INTERNAL: return "internal";
    }
    return "unknown status";
}

namespace {

// The smallest v1 table: everything up to and including the kernel slot.
constexpr size_t kMinTableSize = offsetof(gpuhost_plugin_i, kernel) + sizeof(void *);

void append_text(void *ctx, const char *text, size_t length) {
    if (text && length) static_cast<std::string *>(ctx)->append(text, length);
}

// Host services lent to one call.
struct CallContext {
    const ToolRunner *tools;
    std::string plugin;
};

void host_log(void *ctx, gpuhost_log_level level, const char *message) {
    auto *c = static_cast<CallContext *>(ctx);
    log::Level l = level <= GPUHOST_LOG_DEBUG  ? log::Level::debug
                   : level == GPUHOST_LOG_INFO ? log::Level::info
                   : level == GPUHOST_LOG_WARN ? log::Level::warn
                                               : log::Level::error;
    log::write(l, c->plugin + ": " + (message ? message : ""));
}

int host_run_tool(void *ctx, const char *const *argv, gpuhost_emit_fn emit, void *emit_ctx) {
    auto *c = static_cast<CallContext *>(ctx);
    std::vector<std::string> args;
    for (; argv && *argv; ++argv) args.emplace_back(*argv);
    if (args.empty()) return 127;
    ToolOutput out = c->tools->run(args);
    log::debug(c->plugin + ": ran " + args[0] + " -> " + std::to_string(out.exit_code));
    if (emit && !out.output.empty()) emit(emit_ctx, out.output.data(), out.output.size());
    return out.exit_code;
}

template <class Fn>
PluginReply call(const std::string &plugin, const ToolRunner &tools, Fn &&fn) {
    CallContext ctx{&tools, plugin};
    gpuhost_host_i host{sizeof(gpuhost_host_i), GPUHOST_ABI_CURRENT, &ctx,
                        tools.sysroot().c_str(), &host_log, &host_run_tool};
    PluginReply reply;
    reply.status = fn(&host, &append_text, &reply.text);
    return reply;
}

}  // namespace

std::shared_ptr<PluginLibrary> PluginLibrary::load(const Manifest &manifest) {
    // Never unloaded: a plugin's threads, atexit handlers or cached function
    // pointers may outlive any moment we could pick to unload it.
    static std::vector<boost::dll::shared_library *> kept_loaded;

    // Check and load the same file: through one descriptor (trusted_file.hpp).
    const char *allow = std::getenv("GPUHOST_ALLOW_INSECURE_PLUGINS");
    bool waive = manifest.trust_waived || (allow && std::string(allow) == "1");
    TrustedFile file;
    try {
        file = TrustedFile::open(manifest.library, waive);
    } catch (const std::runtime_error &e) {
        throw PluginLoadError(std::string("refused: ") + e.what());
    }
    boost::dll::fs::error_code ec;
    auto *lib = new boost::dll::shared_library(
        file.proc_path(),
        boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
    if (!ec && lib->is_loaded()) file.keep_open();
    if (ec || !lib->is_loaded()) {
        delete lib;
        const char *why = dlerror();
        throw PluginLoadError("not a loadable shared library (" +
                              std::string(why ? why : ec.message()) + ")");
    }
    kept_loaded.push_back(lib);
    if (!lib->has(GPUHOST_PLUGIN_ENTRY_SYMBOL))
        throw PluginLoadError(std::string("no entry symbol ") + GPUHOST_PLUGIN_ENTRY_SYMBOL +
                              "(): not a gpuhost plugin");
    auto entry = lib->get<std::remove_pointer_t<gpuhost_plugin_entry_fn>>(GPUHOST_PLUGIN_ENTRY_SYMBOL);

    const gpuhost_plugin_i *table = nullptr;
    gpuhost_status status = entry(GPUHOST_ABI_CURRENT, &table);
    std::string host_range = std::to_string(GPUHOST_ABI_MIN) + ".." + std::to_string(GPUHOST_ABI_CURRENT);
    if (status == GPUHOST_ERR_VERSION)
        throw PluginLoadError("speaks no ABI version this host supports (host speaks " + host_range + ")");
    if (status != GPUHOST_OK || !table)
        throw PluginLoadError(std::string("entry point failed (") + status_name(status) + ")");
    if (table->struct_size < kMinTableSize)
        throw PluginLoadError("function table too small (" + std::to_string(table->struct_size) + " bytes)");
    if (table->abi_version < GPUHOST_ABI_MIN || table->abi_version > GPUHOST_ABI_CURRENT)
        throw PluginLoadError("answered ABI version " + std::to_string(table->abi_version) +
                              ", host speaks " + host_range);
    if (table->abi_version < manifest.abi_min || table->abi_version > manifest.abi_max)
        throw PluginLoadError("manifest claims ABI " + std::to_string(manifest.abi_min) + ".." +
                              std::to_string(manifest.abi_max) + " but the library speaks " +
                              std::to_string(table->abi_version));
    if (!table->name || manifest.name != table->name)
        throw PluginLoadError("manifest names it \"" + manifest.name + "\" but the library calls itself \"" +
                              std::string(table->name ? table->name : "(null)") + "\"");
    if (!table->detect || !table->score || !table->install)
        throw PluginLoadError("function table lacks a required slot (detect, score, install)");
    return std::shared_ptr<PluginLibrary>(new PluginLibrary(manifest, table));
}

PluginReply PluginLibrary::detect(const ToolRunner &tools, const std::string &request_json) const {
    return call(name(), tools, [&](const gpuhost_host_i *h, gpuhost_emit_fn emit, void *ctx) {
        return table_->detect(h, request_json.c_str(), emit, ctx);
    });
}

PluginReply PluginLibrary::score(const ToolRunner &tools, const std::string &device_json,
                                 const std::string &workload_json) const {
    return call(name(), tools, [&](const gpuhost_host_i *h, gpuhost_emit_fn emit, void *ctx) {
        return table_->score(h, device_json.c_str(), workload_json.c_str(), emit, ctx);
    });
}

PluginReply PluginLibrary::install(const ToolRunner &tools, const std::string &device_json) const {
    return call(name(), tools, [&](const gpuhost_host_i *h, gpuhost_emit_fn emit, void *ctx) {
        return table_->install(h, device_json.c_str(), emit, ctx);
    });
}

PluginReply PluginLibrary::kernel(const ToolRunner &tools, const std::string &device_json,
                                  gpuhost_kernel_args &args) const {
    if (!table_->kernel) return {GPUHOST_ERR_UNSUPPORTED, name() + " has no kernel entry point"};
    return call(name(), tools, [&](const gpuhost_host_i *h, gpuhost_emit_fn emit, void *ctx) {
        return table_->kernel(h, device_json.c_str(), &args, emit, ctx);
    });
}

}  // namespace gpuhost
