#include "probe_need.hpp"

#include "gpu_class_devices.hpp"
#include "gpuhost/vendor_ids.hpp"

#include <cstdint>
#include <cstdlib>

namespace json = boost::json;

namespace gpuhost {

const char *probe_request_name(ProbeRequest r) {
    switch (r) {
    case ProbeRequest::automatic: return "auto";
    case ProbeRequest::always: return "always";
    case ProbeRequest::never: return "never";
    }
    return "auto";
}

std::optional<ProbeRequest> parse_probe_request(const std::string &name) {
    for (auto r : {ProbeRequest::automatic, ProbeRequest::always, ProbeRequest::never})
        if (name == probe_request_name(r)) return r;
    return std::nullopt;
}

ProbeRequest resolve_probe_request(const std::string &configured, bool command_needs_probes, bool flag_all) {
    if (flag_all) return ProbeRequest::always;
    ProbeRequest r = parse_probe_request(configured).value_or(ProbeRequest::automatic);
    if (r == ProbeRequest::never) return r;
    return command_needs_probes ? ProbeRequest::always : r;
}

namespace {

std::string str(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

const json::object *pci_of(const json::object &d) {
    auto it = d.find("pci");
    return it != d.end() && it->value().is_object() ? &it->value().as_object() : nullptr;
}

std::string vendor_name_of_pci_id(const std::string &id) {
    return sdk::vendor_from_pci_id(std::uint32_t(std::strtoul(id.c_str(), nullptr, 16)));
}

// Does a vendor record without a bus id stand for this device? Same PCI vendor
// id when it gives one, else the same vendor name.
bool same_maker(const json::object &record, const GpuClassDevice &device) {
    if (const auto *pci = pci_of(record); pci && !str(*pci, "vendor_id").empty())
        return str(*pci, "vendor_id") == device.vendor_id;
    return !str(record, "vendor").empty() && str(record, "vendor") == vendor_name_of_pci_id(device.vendor_id);
}

}  // namespace

std::optional<std::string> probe_need(const std::string &sysroot, const std::vector<Manifest> &vendor_plugins,
                                      const std::vector<PluginOutcome> &outcomes, const json::array &vendor_devices,
                                      std::string &why_not) {
    bool gpu_plugin_answered = false;
    for (const auto &m : vendor_plugins) {
        if (m.kind == "probe" || m.vendor == "cpu") continue;
        for (const auto &o : outcomes)
            if (o.plugin == m.name && (o.status == "present" || o.status == "absent")) gpu_plugin_answered = true;
    }
    if (!gpu_plugin_answered) return std::string("no vendor GPU plugin answered on this machine");

    std::vector<GpuClassDevice> devices = gpu_class_devices(sysroot);
    std::vector<bool> claimed(devices.size(), false);
    std::vector<const json::object *> without_bus;
    for (const auto &v : vendor_devices) {
        if (!v.is_object()) continue;
        const auto &record = v.as_object();
        if (str(record, "type") == "cpu") continue;  // the CPU is no PCI device, whatever its maker
        const auto *pci = pci_of(record);
        std::string bus = pci ? normalize_bus_id(str(*pci, "bus_id")) : std::string();
        if (bus.empty()) {
            without_bus.push_back(&record);
            continue;
        }
        for (size_t i = 0; i < devices.size(); ++i)
            if (devices[i].bus_id == bus) claimed[i] = true;
    }
    // Each record without a bus id claims one device of its maker.
    for (const auto *record : without_bus)
        for (size_t i = 0; i < devices.size(); ++i)
            if (!claimed[i] && same_maker(*record, devices[i])) {
                claimed[i] = true;
                break;
            }
    for (size_t i = 0; i < devices.size(); ++i)
        if (!claimed[i])
            return devices[i].bus_id + " (" + devices[i].vendor_id + ":" + devices[i].device_id + ", class " +
                   devices[i].class_code + ") is claimed by no vendor plugin";
    why_not = devices.empty() ? "no GPU-class PCI device on this machine"
                              : "the vendor plugins claimed every GPU-class PCI device (" +
                                    std::to_string(devices.size()) + ")";
    return std::nullopt;
}

}  // namespace gpuhost
