// The mps plugin: GPUs of a Mac through system_profiler, sw_vers and sysctl.
// Live it runs only on macOS; under a sysroot recorded on a Mac it replays the
// same tool outputs on any OS.
#include "gpuhost/plugin.hpp"
#include "macos_parsers.hpp"

#include <optional>
#ifdef __APPLE__
#include <sys/types.h>
#include <sys/sysctl.h>
#endif

namespace gpuhost::mps {

namespace json = boost::json;

namespace {

struct MacFacts {
    std::optional<MacVersion> version;
    std::optional<std::uint64_t> memsize;
    std::string cpu_brand;
};

MacFacts read_mac_facts(const sdk::Host &host, std::vector<std::string> &notes) {
    MacFacts f;
    if (auto r = host.run({"sw_vers"}); r.ok()) {
        try {
            f.version = parse_sw_vers(r.output);
        } catch (const std::exception &e) {
            notes.push_back(e.what());
        }
    } else {
        notes.push_back("sw_vers gave no answer: the macOS version is unknown");
    }
#ifdef __APPLE__
    if (host.root().is_live()) {
        std::uint64_t mem = 0;
        size_t size = sizeof mem;
        if (sysctlbyname("hw.memsize", &mem, &size, nullptr, 0) == 0) f.memsize = mem;
        char brand[256] = {0};
        size = sizeof brand - 1;
        if (sysctlbyname("machdep.cpu.brand_string", brand, &size, nullptr, 0) == 0) f.cpu_brand = brand;
        return f;
    }
#endif
    if (auto r = host.run({"sysctl", "-a"}); r.ok()) {
        auto values = parse_sysctl(r.output);
        if (auto it = values.find("hw.memsize"); it != values.end()) {
            try {
                f.memsize = std::stoull(it->second);
            } catch (...) {
                notes.push_back("sysctl hw.memsize \"" + it->second + "\" is not a number");
            }
        }
        if (auto it = values.find("machdep.cpu.brand_string"); it != values.end()) f.cpu_brand = it->second;
    } else {
        notes.push_back("sysctl -a gave no answer: unified memory size unknown");
    }
    return f;
}

std::vector<MacGpu> read_gpus(const sdk::Host &host, std::vector<std::string> &notes, std::string &source) {
    if (auto r = host.run({"system_profiler", "SPDisplaysDataType", "-json"}); r.ok()) {
        try {
            source = "system_profiler -json";
            return parse_displays_json(r.output);
        } catch (const std::exception &e) {
            notes.push_back(e.what());
        }
    }
    if (auto r = host.run({"system_profiler", "SPDisplaysDataType"}); r.ok()) {
        try {
            source = "system_profiler";
            return parse_displays_text(r.output);
        } catch (const std::exception &e) {
            notes.push_back(e.what());
        }
    }
    return {};
}

sdk::DeviceRecord to_device(const MacGpu &g, const MacFacts &mac) {
    sdk::DeviceRecord d;
    d.vendor = g.vendor == "other" ? "other" : g.vendor;
    d.backend = "mps";
    d.name = g.model;
    d.signals = {"system_profiler"};
    bool apple = g.vendor == "apple";
    d.type = apple || g.bus == "Built-In" ? "integrated" : "discrete";
    d.architecture = apple_architecture(g.model);
    if (apple && mac.memsize) {
        d.memory_total_bytes = mac.memsize;  // unified memory: the GPU shares all of it
        d.memory_shared_bytes = mac.memsize;
        d.signals.push_back("sysctl");
    } else if (g.vram_bytes) {
        d.memory_total_bytes = g.vram_bytes;
    }
    if (!g.metal_support.empty()) {
        d.runtime_name = "metal";
        auto space = g.metal_support.find_last_of(' ');
        d.runtime_version = space == std::string::npos ? g.metal_support : g.metal_support.substr(space + 1);
        d.details["metal_support"] = g.metal_support;
    }
    if (g.cores) d.details["gpu_cores"] = *g.cores;
    if (!g.bus.empty()) d.details["bus"] = g.bus;
    if (!mac.cpu_brand.empty()) d.details["chip"] = mac.cpu_brand;
    d.features = {"fp16"};
    if (mac.version) {
        d.driver_version = "macOS " + mac.version->product_version;
        d.details["macos_version"] = mac.version->product_version;
    } else {
        d.details["macos_version"] = "unknown (sw_vers not recorded)";
    }
    // PyTorch's MPS backend needs macOS 12.3+ and a Metal-capable GPU.
    if (g.metal_support.empty()) d.mark_unusable(g.model + " reports no Metal support; MPS needs Metal");
    if (mac.version && !mac.version->at_least(12, 3))
        d.mark_unusable("macOS " + mac.version->product_version + " is too old: PyTorch MPS needs macOS 12.3 or later; update macOS");
    return d;
}

}  // namespace

class MpsPlugin : public sdk::Plugin {
public:
    json::object detect(sdk::Host &host) override {
#ifndef __APPLE__
        if (host.root().is_live())
            return sdk::detect_result("mps", "unsupported_platform", {}, {"MPS (Metal Performance Shaders) runs only on macOS"});
#endif
        std::vector<std::string> notes;
        std::string source;
        auto gpus = read_gpus(host, notes, source);
        if (gpus.empty()) {
            notes.push_back("no system_profiler SPDisplaysDataType output: not a Mac, or no GPU listed");
            return sdk::detect_result("mps", "absent", {}, notes);
        }
        MacFacts mac = read_mac_facts(host, notes);
        std::vector<sdk::DeviceRecord> devices;
        for (const auto &g : gpus) devices.push_back(to_device(g, mac));
        return sdk::detect_result("mps", "present", devices, notes);
    }

    json::object install(sdk::Host &, const json::object &device) override {
        json::array accelerators;
        bool usable = device.contains("usable") && device.at("usable").is_bool() && device.at("usable").as_bool();
        if (usable) accelerators.push_back(json::object{{"tag", "mps"}, {"reason", "macOS PyTorch wheels include MPS"}});
        accelerators.push_back(json::object{{"tag", "cpu"}, {"reason", "CPU builds run everywhere"}});
        return {{"accelerators", std::move(accelerators)}, {"env", json::object{}}};
    }
};

}  // namespace gpuhost::mps

GPUHOST_PLUGIN(gpuhost::mps::MpsPlugin, "mps", "0.1.0", "apple")
