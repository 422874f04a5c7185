#include "macos_parsers.hpp"

#include "plugin_text.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <regex>
#include <stdexcept>

namespace gpuhost::mps {

using namespace plugin_text;
namespace json = boost::json;

namespace {

size_t indent(const std::string &line) {
    size_t n = 0;
    while (n < line.size() && line[n] == ' ') ++n;
    return n;
}

std::string vendor_of(const std::string &text) {
    std::string t = lower(text);
    if (t.find("apple") != std::string::npos) return "apple";
    if (t.find("amd") != std::string::npos || t.find("ati") != std::string::npos || t.find("0x1002") != std::string::npos) return "amd";
    if (t.find("intel") != std::string::npos || t.find("0x8086") != std::string::npos) return "intel";
    if (t.find("nvidia") != std::string::npos || t.find("0x10de") != std::string::npos) return "nvidia";
    return "other";
}

// "8 GB" / "1536 MB" -> bytes.
std::optional<std::uint64_t> size_bytes(const std::string &text) {
    unsigned long long n = 0;
    char unit[8] = {0};
    if (std::sscanf(text.c_str(), "%llu %7s", &n, unit) != 2) return std::nullopt;
    std::string u = lower(unit);
    if (u == "gb") return n << 30;
    if (u == "mb") return n << 20;
    return std::nullopt;
}

void finish(MacGpu &g) {
    if (g.vendor.empty() || g.vendor == "other") g.vendor = vendor_of(g.model);
}

}  // namespace

std::vector<MacGpu> parse_displays_text(const std::string &text) {
    auto all = lines(text);
    size_t i = 0;
    while (i < all.size() && trim(all[i]).empty()) ++i;
    if (i == all.size() || trim(all[i]) != "Graphics/Displays:")
        throw std::runtime_error("system_profiler SPDisplaysDataType text does not start with \"Graphics/Displays:\"");
    std::vector<MacGpu> gpus;
    size_t gpu_indent = 0;
    for (++i; i < all.size(); ++i) {
        const std::string &raw = all[i];
        std::string line = trim(raw);
        if (line.empty()) continue;
        size_t in = indent(raw);
        if (line.back() == ':' && (gpus.empty() || in <= gpu_indent)) {
            gpus.push_back({});
            gpus.back().model = line.substr(0, line.size() - 1);
            gpu_indent = in;
            continue;
        }
        if (gpus.empty() || in <= gpu_indent) continue;
        auto colon = line.find(": ");
        if (colon == std::string::npos) continue;  // a sub-block header ("Displays:")
        // Only the GPU's own keys (the first level below its name), not its displays'.
        size_t key_indent = gpu_indent + 2;
        if (in != key_indent) continue;
        std::string key = line.substr(0, colon), value = trim(line.substr(colon + 2));
        MacGpu &g = gpus.back();
        if (key == "Chipset Model") g.model = value;
        else if (key == "Bus") g.bus = value;
        else if (key == "Vendor") g.vendor = vendor_of(value);
        else if (key == "Metal Support" || key == "Metal Family" || key == "Metal") g.metal_support = value;
        else if (key == "Total Number of Cores") {
            if (auto n = to_u64(value)) g.cores = static_cast<unsigned>(*n);
        } else if (key == "VRAM (Total)" || key == "VRAM (Dynamic, Max)") g.vram_bytes = size_bytes(value);
    }
    if (gpus.empty()) throw std::runtime_error("system_profiler SPDisplaysDataType text lists no GPU");
    for (auto &g : gpus) finish(g);
    return gpus;
}

// "kHW_AppleM1ProItem" (the localisation key macOS 11 put in "_name") -> "Apple M1 Pro".
static std::string apple_item_name(const std::string &name) {
    static const std::regex re(R"(^kHW_Apple(M[0-9]+)(Pro|Max|Ultra)?Item$)");
    std::smatch m;
    if (!std::regex_match(name, m, re)) return name;
    return "Apple " + m.str(1) + (m[2].matched ? " " + m.str(2) : std::string());
}

std::vector<MacGpu> parse_displays_json(const std::string &text) {
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec);
    if (ec) {
        // Cut short (a paste, a killed run): read what the whole part holds.
        std::string closed = text::close_truncated_json(text);
        boost::system::error_code ec2;
        if (!closed.empty()) doc = json::parse(closed, ec2);
        if (closed.empty() || ec2)
            throw std::runtime_error("system_profiler SPDisplaysDataType -json: not JSON (" + ec.message() + ")");
    }
    const json::array *list = nullptr;
    if (doc.is_object())
        if (auto it = doc.as_object().find("SPDisplaysDataType"); it != doc.as_object().end() && it->value().is_array())
            list = &it->value().as_array();
    if (!list) throw std::runtime_error("system_profiler SPDisplaysDataType -json: no \"SPDisplaysDataType\" array");
    auto str = [](const json::object &o, const char *key) {
        auto it = o.find(key);
        return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
    };
    std::vector<MacGpu> gpus;
    for (const auto &item : *list) {
        if (!item.is_object()) continue;
        const auto &o = item.as_object();
        MacGpu g;
        g.model = str(o, "sppci_model");
        if (g.model.empty()) g.model = apple_item_name(str(o, "_name"));
        if (g.model.empty()) continue;
        std::string vendor = str(o, "spdisplays_vendor") + str(o, "sppci_vendor");
        g.vendor = vendor.empty() ? std::string() : vendor_of(vendor);
        std::string bus = str(o, "sppci_bus");
        g.bus = bus.find("builtin") != std::string::npos ? "Built-In" : bus.find("pcie") != std::string::npos ? "PCIe" : bus;
        std::string metal = str(o, "spdisplays_mtlgpufamilysupport");
        if (metal.empty()) metal = str(o, "spdisplays_metal");
        // "spdisplays_metal3" -> "Metal 3"
        if (auto p = metal.find("metal"); p != std::string::npos) {
            std::string level = metal.substr(p + 5);
            g.metal_support = level.empty() ? "Metal" : "Metal " + level;
        }
        if (auto n = to_u64(str(o, "sppci_cores"))) g.cores = static_cast<unsigned>(*n);
        if (auto v = str(o, "spdisplays_vram"); !v.empty()) g.vram_bytes = size_bytes(v);
        finish(g);
        gpus.push_back(std::move(g));
    }
    if (gpus.empty()) throw std::runtime_error("system_profiler SPDisplaysDataType -json lists no GPU");
    return gpus;
}

MacVersion parse_sw_vers(const std::string &text) {
    for (const auto &raw : lines(text)) {
        std::string line = trim(raw);
        if (!starts_with(line, "ProductVersion:")) continue;
        MacVersion v;
        v.product_version = trim(line.substr(15));
        unsigned major = 0, minor = 0;
        int got = std::sscanf(v.product_version.c_str(), "%u.%u", &major, &minor);
        if (got < 1 || major == 0) throw std::runtime_error("sw_vers: ProductVersion \"" + v.product_version + "\" is not a version");
        v.major = major;
        v.minor = got == 2 ? minor : 0;
        return v;
    }
    throw std::runtime_error("sw_vers output has no ProductVersion line");
}

std::map<std::string, std::string> parse_sysctl(const std::string &text) {
    std::map<std::string, std::string> out;
    for (const auto &raw : lines(text)) {
        auto sep = raw.find(": ");
        auto eq = raw.find(" = ");
        if (eq != std::string::npos && (sep == std::string::npos || eq < sep)) out[trim(raw.substr(0, eq))] = trim(raw.substr(eq + 3));
        else if (sep != std::string::npos) out[trim(raw.substr(0, sep))] = trim(raw.substr(sep + 2));
    }
    return out;
}

std::string apple_architecture(const std::string &model) {
    unsigned generation = 0;
    if (std::sscanf(model.c_str(), "Apple M%u", &generation) == 1 && generation > 0) return "apple-m" + std::to_string(generation);
    return {};
}

}  // namespace gpuhost::mps
