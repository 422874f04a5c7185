#include "wheel_variants.hpp"

#include "variant_providers.hpp"

#include <algorithm>

namespace json = boost::json;

namespace gpuhost::fleet {

namespace {

json::object to_json(const VariantFeatures &features) {
    json::object o;
    for (const auto &f : features) {
        json::array values;
        for (const auto &v : f.values) values.emplace_back(v);
        o[f.name] = std::move(values);
    }
    return o;
}

// Which provider speaks for a device, and what it says about that device alone.
std::string provider_of(const ExportDevice &d) {
    if (d.backend == "cuda" && d.vendor == "nvidia") return "nvidia";
    if (d.backend == "rocm" && d.vendor == "amd") return "amd";
    if (d.backend == "xpu" && d.vendor == "intel") return "intel";
    return {};
}

std::string runtime_version(const ExportDevice &d, const char *runtime) {
    return d.runtime_name == runtime ? d.runtime_version : std::string();
}

VariantFeatures features_of(const ExportDevice &d) {
    std::string p = provider_of(d);
    if (p == "nvidia") return nvidia_features(runtime_version(d, "cuda"), d.architecture);
    if (p == "amd") return amd_features({d.architecture}, runtime_version(d, "rocm"));
    if (p == "intel") return intel_features({intel_device_ip(d.pci_device_id)});
    return {};
}

// "9.0" < "10.0" as compute capabilities.
bool lower_cc(const std::string &a, const std::string &b) {
    auto num = [](const std::string &s) {
        try {
            auto dot = s.find('.');
            return std::pair{std::stoi(s.substr(0, dot)), dot == std::string::npos ? 0 : std::stoi(s.substr(dot + 1))};
        } catch (const std::exception &) {
            return std::pair{-1, -1};
        }
    };
    return num(a) < num(b);
}

// Machine-wide, as each provider sees the whole machine.
VariantFeatures machine_features(const std::string &provider, const std::vector<const ExportDevice *> &devices) {
    if (provider == "nvidia") {
        // The provider asks the driver once for its CUDA version and uses only
        // the highest SM architecture present.
        std::string cc = devices.front()->architecture;
        for (auto *d : devices)
            if (lower_cc(cc, d->architecture)) cc = d->architecture;
        return nvidia_features(runtime_version(*devices.front(), "cuda"), cc);
    }
    if (provider == "amd") {
        std::vector<std::string> gfx;
        for (auto *d : devices) gfx.push_back(d->architecture);
        return amd_features(gfx, runtime_version(*devices.front(), "rocm"));
    }
    if (provider == "intel") {
        std::vector<std::string> ips;
        for (auto *d : devices) ips.push_back(intel_device_ip(d->pci_device_id));
        return intel_features(ips);
    }
    return {};
}

}  // namespace

json::object wheel_variants(const FleetView &view) {
    std::vector<const ExportDevice *> ranked;
    for (const auto &d : view.devices) ranked.push_back(&d);
    // Best ranked first; devices select did not rank keep their detect order after.
    std::stable_sort(ranked.begin(), ranked.end(), [](auto *a, auto *b) {
        return (a->rank < 0 ? 1 << 30 : a->rank) < (b->rank < 0 ? 1 << 30 : b->rank);
    });

    std::vector<std::string> order;
    std::map<std::string, std::vector<const ExportDevice *>> by_provider;
    json::array devices, notes;
    for (auto *d : ranked) {
        std::string p = provider_of(*d);
        if (p.empty()) continue;
        if (!d->usable) {
            notes.emplace_back(d->id + " (" + d->name + ") left out: " + (d->reason.empty() ? "not usable" : d->reason) +
                               "; the " + p + " provider would not see it either");
            continue;
        }
        if (!by_provider.count(p)) order.push_back(p);
        by_provider[p].push_back(d);
        json::object props;
        if (auto f = features_of(*d); !f.empty()) props[p] = to_json(f);
        else notes.emplace_back(d->id + " (" + d->name + "): the " + p + " provider reports nothing for it");
        devices.push_back(json::object{{"id", d->id}, {"name", d->name}, {"properties", std::move(props)}});
    }

    json::object properties;
    for (const auto &p : order)
        if (auto f = machine_features(p, by_provider[p]); !f.empty()) properties[p] = to_json(f);

    // The CPU's level last: every accelerator build also needs a CPU, but prefers its GPU.
    bool x86 = std::any_of(view.devices.begin(), view.devices.end(),
                           [](const ExportDevice &d) { return d.type == "cpu" && d.architecture == "x86_64"; });
    if (x86) {
        if (auto f = x86_64_features(x86_64_level(view.cpu_flags)); !f.empty()) properties["x86_64"] = to_json(f);
        else notes.emplace_back("x86_64 level unknown: /proc/cpuinfo was not readable (an inventory file carries no CPU flags)");
    }

    json::array namespaces;
    for (const auto &[ns, _] : properties) namespaces.emplace_back(ns);
    return {{"followed", json::object{{"pep_817", "Wheel Variants: Beyond Platform Tags, Draft of 10-Dec-2025"},
                                      {"pep_825", "Wheel Variants: Package Format, Draft of 17-Feb-2026"},
                                      {"nvidia", "wheelnext/nvidia-variant-provider@ffea5d3bf372d7a3b4504b4ee295282417af767c"},
                                      {"amd", "wheelnext/amd-variant-provider@4d985a994601a4dea6303338728fb019053577ad"},
                                      {"intel", "wheelnext/intel-variant-provider@281ecc07ae77be0a96e51f5f014002382da338a1"},
                                      {"x86_64", "wheelnext/provider-variant-x86-64@033f2c585aaa47a6864e9e52816e6cd3146983ca"}}},
            {"default-priorities", json::object{{"namespace", std::move(namespaces)}}},
            {"properties", std::move(properties)},
            {"devices", std::move(devices)},
            {"notes", std::move(notes)}};
}

std::vector<std::string> variant_property_strings(const json::object &variants) {
    std::vector<std::string> out;
    auto props = variants.find("properties");
    if (props == variants.end() || !props->value().is_object()) return out;
    for (const auto &[ns, features] : props->value().as_object())
        for (const auto &[feature, values] : features.as_object())
            for (const auto &v : values.as_array())
                out.push_back(std::string(ns) + " :: " + std::string(feature) + " :: " + std::string(v.as_string()));
    return out;
}

}  // namespace gpuhost::fleet
