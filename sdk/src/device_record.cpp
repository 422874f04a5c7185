#include "gpuhost/device_record.hpp"

namespace gpuhost::sdk {

namespace json = boost::json;

// Text from tool outputs and sysfs may hold control characters (a DEL after a
// clinfo device name, bytes of a garbled nvidia-smi table: found by
// tests/fuzz). The host refuses a record holding any (device_schema.cpp), which
// would fail the whole plugin's detection; they become spaces here.
static std::string printable(std::string s) {
    for (char &c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    return s;
}

static json::array strings(const std::vector<std::string> &items) {
    json::array out;
    for (const auto &s : items) out.emplace_back(printable(s));
    return out;
}

json::object DeviceRecord::to_json() const {
    json::object o;
    o["vendor"] = printable(vendor);
    o["backend"] = printable(backend);
    o["name"] = printable(name);
    o["type"] = printable(type);
    if (!pci_vendor_id.empty() || !pci_device_id.empty() || !pci_bus_id.empty()) {
        json::object pci;
        if (!pci_vendor_id.empty()) pci["vendor_id"] = printable(pci_vendor_id);
        if (!pci_device_id.empty()) pci["device_id"] = printable(pci_device_id);
        if (!pci_bus_id.empty()) pci["bus_id"] = printable(pci_bus_id);
        o["pci"] = std::move(pci);
    }
    if (!uuid.empty()) o["uuid"] = printable(uuid);
    json::object memory;
    if (memory_total_bytes) memory["total_bytes"] = *memory_total_bytes;
    if (memory_free_bytes) memory["free_bytes"] = *memory_free_bytes;
    if (memory_shared_bytes) memory["shared_bytes"] = *memory_shared_bytes;
    o["memory"] = std::move(memory);
    if (!driver_version.empty()) o["driver_version"] = printable(driver_version);
    if (!kmd_version.empty()) o["kmd_version"] = printable(kmd_version);
    if (!umd_version.empty()) o["umd_version"] = printable(umd_version);
    if (!runtime_name.empty()) {
        json::object runtime{{"name", printable(runtime_name)}};
        if (!runtime_version.empty()) runtime["version"] = printable(runtime_version);
        o["runtime"] = std::move(runtime);
    }
    if (!architecture.empty()) o["architecture"] = printable(architecture);
    if (!architecture_effective.empty()) o["architecture_effective"] = printable(architecture_effective);
    o["signals"] = strings(signals);
    o["features"] = strings(features);
    o["usable"] = usable;
    if (!usable) o["reason"] = reason.empty() ? std::string("unusable (no reason given)") : printable(reason);
    if (!details.empty()) o["details"] = details;
    return o;
}

json::object detect_result(const std::string &plugin, const std::string &status,
                           const std::vector<DeviceRecord> &devices,
                           const std::vector<std::string> &notes) {
    json::array list;
    for (const auto &d : devices) list.emplace_back(d.to_json());
    return json::object{{"schema", 1}, {"plugin", plugin},     {"status", status},
                        {"devices", std::move(list)},         {"notes", strings(notes)}};
}

}  // namespace gpuhost::sdk
