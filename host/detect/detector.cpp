#include "detector.hpp"

#include "../core/files.hpp"
#include "../core/log.hpp"
#include "../core/paths.hpp"
#include "../core/tool_runner.hpp"
#include "../policy/config.hpp"
#include "device_schema.hpp"
#include "fingerprint.hpp"
#include "inventory_cache.hpp"
#include "probe_child.hpp"
#include "quarantine.hpp"

#include <chrono>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost {

ProbeResult interpret_detect_reply(const std::string &plugin, gpuhost_status status, const std::string &text) {
    ProbeResult r;
    r.outcome.plugin = plugin;
    auto fail = [&](std::string why) {
        r.broke = true;
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

namespace {

using Clock = std::chrono::steady_clock;

void note_stage(const DetectOptions &options, const char *name, Clock::time_point since) {
    if (options.report)
        options.report->stages.emplace_back(name, std::chrono::duration<double>(Clock::now() - since).count());
}

fs::path probe_program(const DetectOptions &options) {
    return options.probe_program.empty() ? default_probe_program() : options.probe_program;
}

ProbeResult skipped(const std::string &plugin, const std::string &why) {
    ProbeResult r;
    r.outcome.plugin = plugin;
    r.outcome.status = "failed";
    r.outcome.reason = why;
    return r;
}

std::chrono::milliseconds probe_timeout(const DetectOptions &options) {
    if (options.probe_timeout) return *options.probe_timeout;
    return std::chrono::milliseconds(load_config().integer("probe_timeout_ms"));
}

}  // namespace

Inventory detect_all(const PluginSet &plugins, const DetectOptions &options) {
    auto start = Clock::now();
    std::vector<Manifest> manifests = plugins.manifests();
    std::vector<ProbeResult> results(manifests.size());
    fs::path program = options.in_process ? fs::path() : probe_program(options);

    if (program.empty()) {
        ToolRunner tools(options.sysroot);
        for (size_t i = 0; i < manifests.size(); ++i) {
            auto library = plugins.find(manifests[i].name);
            try {
                if (!library) library = PluginLibrary::load(manifests[i]);
                results[i] = probe_in_process(*library, tools, options);
            } catch (const PluginLoadError &e) {
                results[i] = skipped(manifests[i].name, std::string("did not load: ") + e.what());
            }
        }
    } else {
        // Recorded machines (sysroot) replay in tests: they neither count nor skip.
        bool live = options.sysroot.empty();
        Quarantine quarantine = live ? Quarantine::load() : Quarantine();
        std::vector<Manifest> to_probe;
        std::vector<size_t> slot;
        for (size_t i = 0; i < manifests.size(); ++i) {
            if (auto why = live ? quarantine.skip_reason(manifests[i].name) : std::nullopt) {
                results[i] = skipped(manifests[i].name, *why);
                continue;
            }
            to_probe.push_back(manifests[i]);
            slot.push_back(i);
        }
        auto probed = probe_isolated(to_probe, program, options.sysroot, probe_timeout(options));
        for (size_t k = 0; k < probed.size(); ++k) {
            if (live) quarantine.record(to_probe[k].name, probed[k].broke, probed[k].outcome.reason);
            results[slot[k]] = std::move(probed[k]);
        }
        try {
            if (live) quarantine.save();
        } catch (const std::exception &e) {
            log::warn(std::string("quarantine record not saved: ") + e.what());
        }
    }
    note_stage(options, "probe", start);

    auto merge_start = Clock::now();
    Inventory inv;
    json::array all;
    for (auto &r : results) {
        for (auto &d : r.devices) all.push_back(std::move(d));
        inv.plugins.push_back(std::move(r.outcome));
    }
    inv.devices = merge_devices(all);
    note_stage(options, "merge", merge_start);
    return inv;
}

Inventory obtain_inventory(const PluginSet &plugins, const DetectOptions &options) {
    // In process is for watching plugins run: no cache read or written.
    if (options.in_process) {
        if (options.report) options.report->cache = "off (in process)";
        return detect_all(plugins, options);
    }
    auto start = Clock::now();
    // Absolute, so `--sysroot fixtures/x` means one cache whatever the current folder.
    std::error_code ec;
    std::string root = options.sysroot.empty() ? "" : fs::absolute(options.sysroot, ec).lexically_normal().string();
    json::object fingerprint = machine_fingerprint(root, plugins.manifests());
    note_stage(options, "fingerprint", start);
    fs::path file = inventory_cache_file(root);

    if (!options.use_cache) {  // --no-cache: ignore what is cached, replace it with a fresh result
        if (options.report) options.report->cache = "off (--no-cache; refreshed)";
    } else {
        auto read_start = Clock::now();
        std::chrono::seconds ttl = options.cache_ttl ? *options.cache_ttl
                                                     : std::chrono::seconds(load_config().integer("cache_ttl_s"));
        CacheLookup cached = read_inventory_cache(file, fingerprint, ttl);
        note_stage(options, "cache read", read_start);
        if (cached.inventory) {
            if (options.report) options.report->cache = "hit (" + file.string() + ")";
            return std::move(*cached.inventory);
        }
        log::info("inventory cache not used: " + cached.why);
        if (options.report) options.report->cache = "miss: " + cached.why;
    }

    Inventory inv = detect_all(plugins, options);
    auto write_start = Clock::now();
    try {
        write_inventory_cache(file, fingerprint, inv);
    } catch (const std::exception &e) {
        log::warn(std::string("inventory cache not written: ") + e.what());
    }
    note_stage(options, "cache write", write_start);
    return inv;
}

}  // namespace gpuhost
