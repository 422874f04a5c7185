// Reading a recorded `clinfo` (its default, human-readable layout): each
// platform's block is "  Platform Name  X" then "Number of devices N" then one
// "  Device Name" block per device, until "NULL platform behavior".
#include "gpuhost/vendor_ids.hpp"
#include "opencl_probe.hpp"

#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace gpuhost::opencl {

namespace {

// "  Key Name      value" -> key, value (split at the first run of 2+ spaces).
bool split_line(const std::string &line, std::string &key, std::string &value) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos) return false;
    auto gap = line.find("  ", start);
    if (gap == std::string::npos) return false;
    key = line.substr(start, gap - start);
    auto v = line.find_first_not_of(" \t", gap);
    value = v == std::string::npos ? "" : line.substr(v);
    while (!value.empty() && (value.back() == '\r' || value.back() == ' ')) value.pop_back();
    return true;
}

std::uint64_t leading_number(const std::string &value) {
    try {
        return std::stoull(value);
    } catch (...) {
        return 0;
    }
}

}  // namespace

ProbeOutcome parse_clinfo(const std::string &text) {
    if (text.find("Number of platforms") == std::string::npos)
        throw std::runtime_error("not clinfo output: no \"Number of platforms\" line");
    ProbeOutcome out;
    out.driver_found = true;
    std::istringstream in(text);
    std::string line, key, value, platform;
    int platform_index = -1, device_index = -1;
    bool in_devices = false, unified = false;
    sdk::DeviceRecord *current = nullptr;
    std::string cl_type;
    static const std::regex bus_re(R"(([0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])");
    auto finish = [&] {
        if (current) current->type = device_type(cl_type, unified);
        current = nullptr;
    };
    while (std::getline(in, line)) {
        if (line.rfind("NULL platform behavior", 0) == 0 || line.rfind("ICD loader properties", 0) == 0) break;
        if (!split_line(line, key, value)) continue;
        if (key == "Number of devices") {
            in_devices = true;
            ++platform_index;  // each platform's device section starts here
            device_index = -1;
            continue;
        }
        if (key == "Platform Name") {
            finish();
            // The summary at the top lists each platform; the device section
            // repeats the name just before "Number of devices".
            platform = value;
            in_devices = false;
            continue;
        }
        if (!in_devices) continue;
        if (key == "Device Name") {
            finish();
            ++device_index;
            if (value.empty()) {  // cut off mid-line: nothing to name it by
                out.notes.push_back("clinfo device without a name; skipped");
                continue;
            }
            sdk::DeviceRecord d;
            d.backend = "opencl";
            d.name = value;
            d.signals = {"opencl"};
            d.runtime_name = "opencl";
            d.details = {{"platform", platform}, {"platform_index", platform_index}, {"device_index", device_index},
                         {"source", "clinfo"}};
            out.devices.push_back(std::move(d));
            current = &out.devices.back();
            cl_type.clear();
            unified = false;
            continue;
        }
        if (!current) continue;
        if (key == "Device Vendor") {
            current->vendor = sdk::vendor_from_text(value);
            current->details["vendor"] = value;
        } else if (key == "Device Vendor ID") {
            current->pci_vendor_id = value;
            if (current->vendor.empty())
                current->vendor = sdk::vendor_from_pci_id(std::uint32_t(std::strtoul(value.c_str(), nullptr, 16)));
        } else if (key == "Device Version") {
            current->runtime_version = opencl_version(value);
        } else if (key == "Driver Version") {
            current->driver_version = value;
        } else if (key == "Device Type") {
            cl_type = value;
        } else if (key == "Global memory size") {
            if (auto bytes = leading_number(value)) current->memory_total_bytes = bytes;
        } else if (key == "Unified memory for Host and Device") {
            unified = value == "Yes";
        } else if (key == "Device UUID") {
            current->uuid = value;
        } else if (key.rfind("Device Topology", 0) == 0 || key.rfind("Device PCI bus info", 0) == 0) {
            std::smatch m;
            if (std::regex_search(value, m, bus_re)) current->pci_bus_id = m.str(0);
        }
    }
    finish();
    for (auto &d : out.devices) {
        if (d.vendor.empty()) d.vendor = "other";
        if (d.type.empty()) d.type = "other";
    }
    if (out.devices.empty()) out.notes.push_back("clinfo lists no OpenCL devices");
    return out;
}

std::string opencl_version(const std::string &version_text) {
    static const std::regex re(R"(OpenCL\s+(\d+\.\d+))");
    std::smatch m;
    return std::regex_search(version_text, m, re) ? m.str(1) : std::string();
}

std::string device_type(const std::string &cl_type, bool unified_memory) {
    if (cl_type.find("GPU") != std::string::npos) return unified_memory ? "integrated" : "discrete";
    if (cl_type.find("CPU") != std::string::npos) return "cpu";
    return "other";
}

}  // namespace gpuhost::opencl
