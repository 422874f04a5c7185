#include "kfd_topology.hpp"

#include "plugin_text.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace gpuhost::rocm {

using namespace plugin_text;

std::uint64_t KfdNode::get(const std::string &key, std::uint64_t fallback) const {
    auto it = properties.find(key);
    return it == properties.end() ? fallback : it->second;
}

KfdNode parse_kfd_properties(const std::string &text, const std::string &where) {
    KfdNode node;
    int number = 0;
    for (const auto &raw : lines(text)) {
        ++number;
        std::string line = trim(raw);
        if (line.empty()) continue;
        auto space = line.find_first_of(" \t");
        auto value = space == std::string::npos ? std::nullopt : to_u64(line.substr(space + 1));
        if (!value)
            throw std::runtime_error(where + ":" + std::to_string(number) + ": expected \"key number\", got \"" +
                                     line.substr(0, 80) + "\"");
        node.properties[line.substr(0, space)] = *value;
    }
    if (node.properties.empty()) throw std::runtime_error(where + ": empty properties file");
    return node;
}

std::string decode_gfx_target(std::uint64_t version) {
    std::uint64_t major = version / 10000, minor = version / 100 % 100, stepping = version % 100;
    if (major == 0 || minor > 15 || stepping > 15)
        throw std::invalid_argument("gfx_target_version " + std::to_string(version) + " is not major*10000+minor*100+stepping");
    static const char *hex = "0123456789abcdef";
    return "gfx" + std::to_string(major) + hex[minor] + hex[stepping];
}

std::string pci_bus_id(std::uint64_t domain, std::uint64_t location_id) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04x:%02x:%02x.%x", static_cast<unsigned>(domain & 0xffff),
                  static_cast<unsigned>((location_id >> 8) & 0xff), static_cast<unsigned>((location_id >> 3) & 0x1f),
                  static_cast<unsigned>(location_id & 0x7));
    return buf;
}

std::vector<KfdNode> read_kfd_nodes(const sdk::Sysroot &root, std::vector<std::string> &notes) {
    const std::string base = "/sys/class/kfd/kfd/topology/nodes";
    auto names = root.list(base);
    // Numeric order: node 10 after node 9.
    std::sort(names.begin(), names.end(), [](const std::string &a, const std::string &b) {
        return a.size() != b.size() ? a.size() < b.size() : a < b;
    });
    std::vector<KfdNode> nodes;
    for (const auto &name : names) {
        std::string file = base + "/" + name + "/properties";
        auto text = root.read(file);
        if (!text) {
            notes.push_back(file + ": unreadable");
            continue;
        }
        try {
            KfdNode node = parse_kfd_properties(*text, file);
            node.id = name;
            nodes.push_back(std::move(node));
        } catch (const std::exception &e) {
            notes.push_back(e.what());
        }
    }
    return nodes;
}

}  // namespace gpuhost::rocm
