#include "routing.hpp"

#include "core/tool_runner.hpp"

namespace json = boost::json;

namespace gpuhost::kernels {

static std::string str(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

json::object device_for_plugin(const json::object &device, const std::string &plugin) {
    json::object out = device;
    out["plugin"] = plugin;
    if (auto views = device.find("views"); views != device.end() && views->value().is_object())
        if (auto v = views->value().as_object().find(plugin); v != views->value().as_object().end() &&
                                                                v->value().is_object())
            for (const auto &[key, value] : v->value().as_object()) out[key] = value;
    out.erase("views");
    return out;
}

KernelCheck run_on_device(const PluginSet &plugins, const ToolRunner &tools, const json::object &device,
                          const KernelRequest &request) {
    std::string primary = str(device, "plugin");
    std::string ran_by, routing_note;
    KernelCall call = [&](gpuhost_kernel_args &args) -> PluginReply {
        PluginReply reply{GPUHOST_ERR_UNSUPPORTED, "plugin " + primary + " is not loaded"};
        if (auto lib = plugins.find(primary)) {
            ran_by = primary;
            reply = lib->kernel(tools, json::serialize(device), args);
        }
        if (reply.status != GPUHOST_ERR_UNSUPPORTED) return reply;
        // Fall back to a probe that saw this device and has kernels.
        auto seen = device.find("seen_by");
        if (seen == device.end() || !seen->value().is_array()) return reply;
        for (const auto &v : seen->value().as_array()) {
            if (!v.is_string() || v.as_string() == primary) continue;
            auto probe = plugins.find(std::string(v.as_string()));
            if (!probe || probe->manifest().kind != "probe" || !probe->has_kernel()) continue;
            routing_note = primary + " has no kernel for this device (" + reply.text + "); ran through the " +
                           probe->name() + " probe instead";
            ran_by = probe->name();
            return probe->kernel(tools, json::serialize(device_for_plugin(device, probe->name())), args);
        }
        return reply;
    };
    KernelCheck check = run_and_check(request, call);
    check.plugin = ran_by;
    if (!routing_note.empty()) check.note = routing_note + (check.note.empty() ? "" : "; " + check.note);
    return check;
}

}  // namespace gpuhost::kernels
