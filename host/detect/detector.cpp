#include "detector.hpp"

#include "../core/files.hpp"
#include "../core/log.hpp"
#include "../core/paths.hpp"
#include "../core/tool_runner.hpp"
#include "../policy/config.hpp"
#include "device_schema.hpp"
#include "fingerprint.hpp"
#include "inventory_cache.hpp"
#include "probe_need.hpp"
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

namespace {

// Runs one batch of plugins' detect: each in a child with a deadline, or all in
// this process when there is no probe program. Results in the batch's order.
class DetectRunner {
public:
    DetectRunner(const PluginSet &plugins, const DetectOptions &options)
        : plugins_(plugins), options_(options), program_(options.in_process ? fs::path() : probe_program(options)),
          // Recorded machines (sysroot) replay in tests: they neither count nor skip.
          live_(options.sysroot.empty() && !program_.empty()),
          quarantine_(live_ ? Quarantine::load() : Quarantine()) {}

    std::vector<ProbeResult> run(const std::vector<Manifest> &batch) {
        std::vector<ProbeResult> results(batch.size());
        if (program_.empty()) {
            ToolRunner tools(options_.sysroot);
            for (size_t i = 0; i < batch.size(); ++i) {
                auto library = plugins_.find(batch[i].name);
                try {
                    if (!library) library = PluginLibrary::load(batch[i]);
                    results[i] = probe_in_process(*library, tools, options_);
                } catch (const PluginLoadError &e) {
                    results[i] = skipped(batch[i].name, std::string("did not load: ") + e.what());
                }
            }
            return results;
        }
        std::vector<Manifest> to_probe;
        std::vector<size_t> slot;
        for (size_t i = 0; i < batch.size(); ++i) {
            if (auto why = live_ ? quarantine_.skip_reason(batch[i].name) : std::nullopt) {
                results[i] = skipped(batch[i].name, *why);
                continue;
            }
            to_probe.push_back(batch[i]);
            slot.push_back(i);
        }
        auto probed = probe_isolated(to_probe, program_, options_.sysroot, probe_timeout(options_));
        for (size_t k = 0; k < probed.size(); ++k) {
            if (live_) quarantine_.record(to_probe[k].name, probed[k].broke, probed[k].outcome.reason);
            results[slot[k]] = std::move(probed[k]);
        }
        return results;
    }

    void save_quarantine() {
        if (live_) quarantine_.save_or_warn();
    }

private:
    const PluginSet &plugins_;
    const DetectOptions &options_;
    fs::path program_;
    bool live_;
    Quarantine quarantine_;
};

ProbeRequest probe_request(const DetectOptions &options) {
    if (options.probes) return *options.probes;
    return parse_probe_request(load_config().text("probes")).value_or(ProbeRequest::automatic);
}

}  // namespace

Inventory detect_all(const PluginSet &plugins, const DetectOptions &options) {
    auto start = Clock::now();
    std::vector<Manifest> manifests = plugins.manifests();
    // Vendor plugins answer first; the probes (kind "probe") follow if needed.
    std::vector<Manifest> vendors, probes;
    std::vector<size_t> vendor_slots, probe_slots;
    for (size_t i = 0; i < manifests.size(); ++i) {
        bool probe = manifests[i].kind == "probe";
        (probe ? probes : vendors).push_back(manifests[i]);
        (probe ? probe_slots : vendor_slots).push_back(i);
    }
    ProbeRequest request = probe_request(options);
    DetectRunner runner(plugins, options);
    std::vector<ProbeResult> results(manifests.size());
    auto place = [&](std::vector<ProbeResult> batch, const std::vector<size_t> &slots) {
        for (size_t k = 0; k < batch.size(); ++k) results[slots[k]] = std::move(batch[k]);
    };
    ProbeRun run{probe_request_name(request), true, "requested"};

    if (request == ProbeRequest::always) {
        // Nothing to wait for: every plugin at once.
        results = runner.run(manifests);
        note_stage(options, "probe", start);
    } else {
        place(runner.run(vendors), vendor_slots);
        note_stage(options, "probe vendors", start);
        std::vector<PluginOutcome> outcomes;
        json::array vendor_devices;
        for (size_t i : vendor_slots) {
            outcomes.push_back(results[i].outcome);
            for (const auto &d : results[i].devices) vendor_devices.push_back(d);
        }
        std::string why_not = "probes: never (config)";
        std::optional<std::string> need;
        if (request == ProbeRequest::automatic)
            need = probe_need(options.sysroot, manifests, outcomes, vendor_devices, why_not);
        run.ran = need.has_value();
        run.why = need ? *need : why_not;
        if (need) {
            auto probes_start = Clock::now();
            place(runner.run(probes), probe_slots);
            note_stage(options, "probe vulkan/opencl", probes_start);
        } else {
            for (size_t i : probe_slots) {
                results[i] = skipped(manifests[i].name, "not needed: " + why_not + " (detect --all runs it)");
                results[i].outcome.status = "skipped";
            }
        }
    }
    runner.save_quarantine();

    auto merge_start = Clock::now();
    Inventory inv;
    inv.probes = run;
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
        CacheLookup cached = read_inventory_cache(file, fingerprint, probe_request(options), ttl);
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
