// Reading a recorded `clinfo`. Two layouts exist:
// - Oblomov's clinfo (the one distributions ship): "  Key Name      value",
//   each platform's block "  Platform Name  X" then "Number of devices N" then
//   one "  Device Name" block per device, until "NULL platform behavior";
// - the AMD APP SDK's and ROCm's own clinfo: "  Key:<tabs or spaces>value",
//   each device block starting at "  Device Type:", named by "Board name:"
//   (the marketing name) and "Name:" (the chip).
#include "gpuhost/text.hpp"
#include "gpuhost/vendor_ids.hpp"
#include "opencl_probe.hpp"

#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace gpuhost::opencl {

namespace {

// "  Key Name      value" -> key, value (split at the first run of 2+ spaces).
bool split_spaced(const std::string &line, std::string &key, std::string &value) {
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

// "  Key:\t\t\t value" -> key, value (split at the first ':' followed by blank or end).
bool split_colon(const std::string &line, std::string &key, std::string &value) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string::npos) return false;
    for (auto colon = line.find(':', start); colon != std::string::npos; colon = line.find(':', colon + 1)) {
        if (colon + 1 < line.size() && line[colon + 1] != ' ' && line[colon + 1] != '\t' && line[colon + 1] != '\r') continue;
        key = line.substr(start, colon - start);
        value = text::trim(line.substr(colon + 1));
        return !key.empty();
    }
    return false;
}

std::uint64_t leading_number(const std::string &value) {
    try {
        return std::stoull(value);
    } catch (...) {
        return 0;
    }
}

// "PCI-E, 0000:03:00.0", "PCI-E, 01:00.0" or the AMD layout's decimal
// "PCI[ B#1, D#0, F#0 ]" -> "0000:01:00.0"; "" when there is none.
std::string topology_bus_id(const std::string &value) {
    static const std::regex bus_re(R"(([0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7])");
    // Bounded digit runs: a longer number is no PCI address (and would overflow stoul).
    static const std::regex amd_re(R"(PCI\[\s*B#([0-9]{1,3}),\s*D#([0-9]{1,3}),\s*F#([0-9]{1,3})\s*\])");
    std::smatch m;
    if (!text::fits_regex(value)) return {};
    if (std::regex_search(value, m, amd_re)) {
        unsigned long bus = std::stoul(m.str(1)), dev = std::stoul(m.str(2)), fn = std::stoul(m.str(3));
        if (bus > 255 || dev > 31 || fn > 7) return {};
        char out[16];
        std::snprintf(out, sizeof out, "0000:%02lx:%02lx.%lu", bus, dev, fn);
        return out;
    }
    if (std::regex_search(value, m, bus_re)) return text::normalize_pci_bus_id(m.str(0));
    return {};
}

}  // namespace

ProbeOutcome parse_clinfo(const std::string &text) {
    bool has_platforms = text.find("Number of platforms") != std::string::npos;
    if (!has_platforms && text.find("Number of devices") == std::string::npos)
        throw std::runtime_error("not clinfo output: no \"Number of platforms\" line");
    // The layout with "Number of platforms:" (a colon) rather than aligned columns.
    bool colon_layout = false;
    for (const auto &line : text::lines(text)) {
        std::string t = text::trim(line);
        if (text::starts_with(t, "Number of platforms:") || text::starts_with(t, "Number of devices:")) {
            colon_layout = true;
            break;
        }
    }
    ProbeOutcome out;
    out.driver_found = true;
    std::istringstream in(text);
    std::string line, key, value, platform;
    int platform_index = -1, device_index = -1;
    bool in_devices = false, unified = false;
    bool current_open = false;         // a device block is being read
    sdk::DeviceRecord current;
    std::string cl_type, device_name, board_name;
    auto finish = [&] {
        if (!current_open) return;
        current_open = false;
        std::string name = !board_name.empty() ? board_name : device_name;
        if (name.empty()) {  // cut off before its name: nothing to call it by
            out.notes.push_back("clinfo device without a name; skipped");
            return;
        }
        current.name = name;
        if (!board_name.empty() && !device_name.empty() && device_name != board_name) current.details["device_name"] = device_name;
        current.type = device_type(cl_type, unified);
        out.devices.push_back(std::move(current));
    };
    auto start_device = [&] {
        finish();
        ++device_index;
        current = {};
        current.backend = "opencl";
        current.signals = {"opencl"};
        current.runtime_name = "opencl";
        current.details = {{"platform", platform}, {"platform_index", platform_index}, {"device_index", device_index},
                           {"source", "clinfo"}};
        current_open = true;
        cl_type.clear();
        device_name.clear();
        board_name.clear();
        unified = false;
    };
    while (std::getline(in, line)) {
        if (line.rfind("NULL platform behavior", 0) == 0 || line.rfind("ICD loader properties", 0) == 0) break;
        if (!(colon_layout ? split_colon(line, key, value) : split_spaced(line, key, value))) continue;
        if (key == "Number of devices") {
            finish();
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
        if (!colon_layout && key == "Device Name") {
            start_device();
            device_name = value;
            continue;
        }
        if (colon_layout && key == "Device Type") {
            if (platform_index < 0) platform_index = 0;  // a paste that starts at "Number of devices"
            start_device();
            cl_type = value;
            continue;
        }
        if (!current_open) continue;
        if (key == "Device Vendor" || (colon_layout && key == "Vendor")) {
            current.vendor = sdk::vendor_from_text(value);
            current.details["vendor"] = value;
        } else if (key == "Device Vendor ID" || (colon_layout && key == "Vendor ID")) {
            // "0x1002", or the AMD layout's "1002h"
            std::string hex = value;
            if (!hex.empty() && (hex.back() == 'h' || hex.back() == 'H')) hex = "0x" + hex.substr(0, hex.size() - 1);
            auto id = std::uint32_t(std::strtoul(hex.c_str(), nullptr, 16));
            if (id && id < 0x10000) current.pci_vendor_id = sdk::hex_id(id);
            if (current.vendor.empty() && id) current.vendor = sdk::vendor_from_pci_id(id);
        } else if (key == "Device Board Name (AMD)" || key == "Board name") {
            board_name = value;
        } else if (colon_layout && key == "Name") {
            device_name = value;
        } else if (key == "Device Version" || (colon_layout && key == "Version")) {
            current.runtime_version = opencl_version(value);
        } else if (key == "Driver Version" || (colon_layout && key == "Driver version")) {
            current.driver_version = value;
        } else if (key == "Device Type") {
            cl_type = value;
        } else if (key == "Global memory size") {
            if (auto bytes = leading_number(value)) current.memory_total_bytes = bytes;
        } else if (key == "Unified memory for Host and Device") {
            unified = value == "Yes";
        } else if (key == "Device UUID") {
            current.uuid = value;
        } else if (key.rfind("Device Topology", 0) == 0 || key.rfind("Device PCI bus info", 0) == 0) {
            if (auto bus = topology_bus_id(value); !bus.empty()) current.pci_bus_id = bus;
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

ProbeOutcome parse_clinfo_list(const std::string &text) {
    // "Platform #0: rusticl" then " `-- Device #0: AMD Radeon RX 570 Series (radeonsi, ...)"
    // (" +-- Device #0:" when more follow).
    static const std::regex platform_re(R"(^Platform #([0-9]+): (.*)$)");
    static const std::regex device_re(R"(^\s*[`+|]-- Device #([0-9]+): (.*)$)");
    ProbeOutcome out;
    std::istringstream in(text);
    std::string line, platform;
    int platform_index = -1;
    bool any_platform = false;
    std::smatch m;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!text::fits_regex(line)) continue;  // no real device line is this long
        if (std::regex_match(line, m, platform_re)) {
            any_platform = true;
            platform_index = std::atoi(m.str(1).c_str());
            platform = text::trim(m.str(2));
            continue;
        }
        if (platform_index < 0 || !std::regex_match(line, m, device_re)) continue;
        std::string name = text::trim(m.str(2));
        if (name.empty()) continue;
        sdk::DeviceRecord d;
        d.backend = "opencl";
        d.name = name;
        d.vendor = sdk::vendor_from_text(name);
        if (d.vendor.empty()) d.vendor = sdk::vendor_from_text(platform);
        if (d.vendor.empty()) d.vendor = "other";
        d.type = "other";  // clinfo -l does not say
        d.signals = {"opencl"};
        d.runtime_name = "opencl";
        d.details = {{"platform", platform}, {"platform_index", platform_index},
                     {"device_index", std::atoi(m.str(1).c_str())}, {"source", "clinfo -l"}};
        out.devices.push_back(std::move(d));
    }
    if (!any_platform) throw std::runtime_error("not clinfo -l output: no \"Platform #N:\" line");
    out.driver_found = true;
    if (out.devices.empty()) out.notes.push_back("clinfo -l lists no OpenCL devices");
    return out;
}

std::string opencl_version(const std::string &version_text) {
    static const std::regex re(R"(OpenCL\s+(\d+\.\d+))");
    std::smatch m;
    return text::fits_regex(version_text) && std::regex_search(version_text, m, re) ? m.str(1) : std::string();
}

std::string device_type(const std::string &cl_type, bool unified_memory) {
    if (cl_type.find("GPU") != std::string::npos) return unified_memory ? "integrated" : "discrete";
    if (cl_type.find("CPU") != std::string::npos) return "cpu";
    return "other";
}

}  // namespace gpuhost::opencl
