// The C++ helper layer: a plugin is one class deriving from gpuhost::sdk::Plugin
// plus one GPUHOST_PLUGIN(...) line. The glue below turns it into the C table,
// catches every exception at the boundary and sends text out via the callback.
#pragma once
#include "gpuhost/device_record.hpp"
#include "gpuhost/plugin_abi.h"
#include "gpuhost/sysroot.hpp"

#include <boost/json.hpp>
#include <exception>
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace gpuhost::sdk {

namespace json = boost::json;

struct ToolResult {
    int exit_code = 127;
    std::string output;
    bool ran() const { return exit_code != 127; }
    bool ok() const { return exit_code == 0; }
};

// What the host lends for one call.
class Host {
public:
    explicit Host(const gpuhost_host_i *raw) : raw_(raw), root_(raw && raw->sysroot ? raw->sysroot : "") {}
    const Sysroot &root() const { return root_; }
    ToolResult run(const std::vector<std::string> &argv) const;
    void log(gpuhost_log_level level, const std::string &message) const;
    void debug(const std::string &m) const { log(GPUHOST_LOG_DEBUG, m); }
    void warn(const std::string &m) const { log(GPUHOST_LOG_WARN, m); }

private:
    const gpuhost_host_i *raw_;
    Sysroot root_;
};

// A plugin's behaviour. detect and install are required; score has a sensible
// default (score_device below); kernel is optional.
class Plugin {
public:
    virtual ~Plugin() = default;
    // Returns detect_result(...) (device_record.hpp).
    virtual json::object detect(Host &host) = 0;
    // {"accelerators":[{"tag":"cu128","reason":"..."},...,{"tag":"cpu"}],"env":{...},"facts":{...}}
    virtual json::object install(Host &host, const json::object &device) = 0;
    virtual json::object score(Host &host, const json::object &device, const json::object &workload);
    virtual bool has_kernel() const { return false; }
    virtual gpuhost_status kernel(Host &host, const json::object &device, gpuhost_kernel_args &args,
                                  std::string &message);
};

// The default scoring: usability, memory against the workload's need, device
// type, half-precision support, and whether a non-cpu accelerator tag exists.
// Unusable: 0. Base: discrete 70, integrated 45, cpu 20, other 10. Memory below
// the need: 0; above it, up to +15 for headroom; no need stated: +1 per 4 GiB of
// accelerator memory, at most +10. Precision other than fp32: +5 when listed in
// features, else -10. A GPU whose first install tag is "cpu" (no GPU build): -40.
// At least 1 when usable; clamped to 0..100.
json::object score_device(const json::object &device, const json::object &workload,
                          const json::object &install);

namespace detail {

inline void emit_text(gpuhost_emit_fn emit, void *ctx, const std::string &text) {
    if (emit) emit(ctx, text.data(), text.size());
}

template <class Fn>
gpuhost_status guarded(gpuhost_emit_fn emit, void *ctx, Fn &&fn) {
    try {
        return fn();
    } catch (const std::exception &e) {
        emit_text(emit, ctx, std::string("internal error: ") + e.what());
    } catch (...) {
        emit_text(emit, ctx, "internal error: unknown exception");
    }
    return GPUHOST_ERR_INTERNAL;
}

json::object parse_object(const char *text, const char *what);

template <class T>
T &instance() {
    static T plugin;
    return plugin;
}

template <class T>
gpuhost_status detect(const gpuhost_host_i *h, const char *, gpuhost_emit_fn emit, void *ctx) {
    return guarded(emit, ctx, [&] {
        Host host(h);
        emit_text(emit, ctx, json::serialize(instance<T>().detect(host)));
        return GPUHOST_OK;
    });
}

template <class T>
gpuhost_status score(const gpuhost_host_i *h, const char *device, const char *workload,
                     gpuhost_emit_fn emit, void *ctx) {
    return guarded(emit, ctx, [&] {
        Host host(h);
        auto result = instance<T>().score(host, parse_object(device, "device"),
                                          parse_object(workload, "workload"));
        emit_text(emit, ctx, json::serialize(result));
        return GPUHOST_OK;
    });
}

template <class T>
gpuhost_status install(const gpuhost_host_i *h, const char *device, gpuhost_emit_fn emit, void *ctx) {
    return guarded(emit, ctx, [&] {
        Host host(h);
        emit_text(emit, ctx, json::serialize(instance<T>().install(host, parse_object(device, "device"))));
        return GPUHOST_OK;
    });
}

template <class T>
gpuhost_status kernel(const gpuhost_host_i *h, const char *device, gpuhost_kernel_args *args,
                      gpuhost_emit_fn emit, void *ctx) {
    return guarded(emit, ctx, [&] {
        if (!args || args->struct_size < GPUHOST_KERNEL_ARGS_V1_SIZE) {
            emit_text(emit, ctx, "kernel arguments missing or from an older ABI");
            return GPUHOST_ERR_ARGUMENT;
        }
        // A host that knows fewer fields passes a shorter struct: the plugin
        // works on a full copy and only the caller's part is written back.
        gpuhost_kernel_args full{};
        std::uint32_t given = std::min<std::uint32_t>(args->struct_size, sizeof full);
        std::memcpy(&full, args, given);
        Host host(h);
        std::string message;
        auto status = instance<T>().kernel(host, parse_object(device, "device"), full, message);
        full.struct_size = args->struct_size;
        std::memcpy(args, &full, given);
        emit_text(emit, ctx, message);
        return status;
    });
}

template <class T>
gpuhost_status entry(uint32_t host_max_version, const gpuhost_plugin_i **out, const char *name,
                     const char *version, const char *vendor) {
    if (!out) return GPUHOST_ERR_ARGUMENT;
    *out = nullptr;
    if (host_max_version < GPUHOST_ABI_CURRENT) return GPUHOST_ERR_VERSION;  // we speak only v1
    static const gpuhost_plugin_i table = {
        sizeof(gpuhost_plugin_i), GPUHOST_ABI_CURRENT, name, version, vendor,
        &detail::detect<T>,       &detail::score<T>,   &detail::install<T>,
        instance<T>().has_kernel() ? &detail::kernel<T> : nullptr,
    };
    *out = &table;
    return GPUHOST_OK;
}

}  // namespace detail
}  // namespace gpuhost::sdk

// Defines the exported entry point for plugin class T.
#define GPUHOST_PLUGIN(T, NAME, VERSION, VENDOR)                                               \
    extern "C" GPUHOST_PLUGIN_EXPORT gpuhost_status gpuhost_plugin_entry(                       \
        uint32_t host_max_version, const gpuhost_plugin_i **out) {                              \
        return ::gpuhost::sdk::detail::entry<T>(host_max_version, out, NAME, VERSION, VENDOR); \
    }
