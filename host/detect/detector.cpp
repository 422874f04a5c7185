#include "detector.hpp"

#include "../core/files.hpp"
#include "../core/tool_runner.hpp"
#include "device_schema.hpp"

#include <chrono>

namespace json = boost::json;

namespace gpuhost {

ProbeResult interpret_detect_reply(const std::string &plugin, gpuhost_status status, const std::string &text) {
    ProbeResult r;
    r.outcome.plugin = plugin;
    auto fail = [&](std::string why) {
        r.outcome.status = "failed";
        r.outcome.reason = std::move(why);
        r.devices.clear();
        return r;
    };
    if (status != GPUHOST_OK)
        return fail(std::string("detect returned ") + status_name(status) + (text.empty() ? "" : ": " + text));
    json::value value;
    try {
        value = parse_json(text, plugin + " detect reply");
    } catch (const FileError &e) {
        return fail(e.what());
    }
    auto errors = validate_detect_result(value);
    if (!errors.empty()) {
        std::string why = "detect reply breaks the schema: " + errors.front();
        if (errors.size() > 1) why += " (and " + std::to_string(errors.size() - 1) + " more)";
        return fail(why);
    }
    const auto &o = value.as_object();
    if (o.at("plugin").as_string() != plugin)
        return fail("detect reply names plugin \"" + std::string(o.at("plugin").as_string()) + "\"");
    r.outcome.status = std::string(o.at("status").as_string());
    if (auto n = o.find("notes"); n != o.end())
        for (const auto &note : n->value().as_array()) r.outcome.notes.emplace_back(note.as_string());
    add_detect_result(o, plugin, r.devices);
    return r;
}

ProbeResult probe_in_process(const PluginLibrary &plugin, const ToolRunner &tools, const DetectOptions &options) {
    auto start = std::chrono::steady_clock::now();
    json::object request{{"schema", 1}, {"sysroot", options.sysroot}};
    auto reply = plugin.detect(tools, json::serialize(request));
    ProbeResult r = interpret_detect_reply(plugin.name(), reply.status, reply.text);
    r.outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

Inventory detect_all(const PluginSet &plugins, const DetectOptions &options) {
    ToolRunner tools(options.sysroot);
    Inventory inv;
    json::array all;
    for (const auto &plugin : plugins.loaded) {
        ProbeResult r = probe_in_process(*plugin, tools, options);
        for (auto &d : r.devices) all.push_back(std::move(d));
        inv.plugins.push_back(std::move(r.outcome));
    }
    inv.devices = merge_devices(all);
    return inv;
}

}  // namespace gpuhost

namespace gpuhost {
// The cache arrives with the detection engine; until then, always fresh.
Inventory obtain_inventory(const PluginSet &plugins, const DetectOptions &options) {
    return detect_all(plugins, options);
}
}  // namespace gpuhost
