#include "intel_tools.hpp"

#include "gpuhost/text.hpp"

#include <cstdlib>
#include <map>
#include <regex>
#include <sstream>

namespace gpuhost::intel {

namespace {

using text::lines;
using text::trim;

// "Intel(R) Arc(TM) A770 Graphics OpenCL 3.0 NEO" -> "Intel(R) Arc(TM) A770 Graphics";
// "Intel(R) Data Center GPU Max 1550 1.3" -> "Intel(R) Data Center GPU Max 1550".
std::string without_version(const std::string &s) {
    static const std::regex tail(R"(\s+(OpenCL\s+)?[0-9]+\.[0-9]+(\s.*)?$)");
    return text::fits_regex(s) ? trim(std::regex_replace(s, tail, "")) : trim(s);
}

int backend_rank(const std::string &backend) {
    if (backend.find("level_zero") != std::string::npos) return 0;
    if (backend == "opencl") return 1;
    return 2;
}

std::vector<std::string> csv_cells(const std::string &line) {
    // Cells may be quoted ("Intel(R) Arc(TM) A310 LP Graphics").
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
        if (c == '"') quoted = !quoted;
        else if (c == ',' && !quoted) {
            cells.push_back(trim(cell));
            cell.clear();
        } else cell += c;
    }
    cells.push_back(trim(cell));
    return cells;
}

}  // namespace

std::vector<ToolGpu> parse_sycl_ls(const std::string &text) {
    // "[level_zero:gpu][level_zero:0] Intel(R) Level-Zero, Intel(R) Arc(TM) A770 Graphics 1.3 [1.3.26241]"
    // and the older "[ext_oneapi_level_zero:gpu:0] Intel(R) Level-Zero, NAME 1.3 [1.3.25733]".
    static const std::regex line_re(R"(^\[([a-z_0-9]+):([a-z]+)(?::([0-9]+))?\](?:\[[a-z_0-9]+:([0-9]+)\])?\s*(.*)$)");
    std::map<std::string, std::vector<ToolGpu>> by_backend;
    for (const auto &raw : lines(text)) {
        std::smatch m;
        std::string line = trim(raw);
        if (!text::fits_regex(line) || !std::regex_match(line, m, line_re) || m.str(2) != "gpu") continue;
        std::string rest = m.str(5);
        ToolGpu g;
        g.backend = m.str(1);
        if (g.backend.rfind("ext_oneapi_", 0) == 0) g.backend = g.backend.substr(11);
        std::string ordinal = m[3].matched ? m.str(3) : m.str(4);
        g.index = ordinal.empty() ? int(by_backend[g.backend].size()) : std::stoi(ordinal.substr(0, 6));
        if (auto open = rest.rfind('['); open != std::string::npos && rest.back() == ']') {
            g.driver_version = trim(rest.substr(open + 1, rest.size() - open - 2));
            rest = trim(rest.substr(0, open));
        }
        auto comma = rest.find(", ");
        if (comma == std::string::npos) continue;  // cut before the device name
        g.name = without_version(rest.substr(comma + 2));
        if (g.name.empty()) continue;
        by_backend[g.backend].push_back(std::move(g));
    }
    const std::vector<ToolGpu> *best = nullptr;
    std::string best_backend;
    for (const auto &[backend, gpus] : by_backend)
        if (!best || backend_rank(backend) < backend_rank(best_backend)) {
            best = &gpus;
            best_backend = backend;
        }
    return best ? *best : std::vector<ToolGpu>{};
}

std::vector<ToolGpu> parse_xpu_smi_discovery(const std::string &text) {
    std::vector<ToolGpu> gpus;
    std::vector<std::string> columns;
    for (const auto &raw : lines(text)) {
        std::string line = trim(raw);
        if (line.empty() || line[0] == '+') continue;
        if (line[0] != '|') {
            // --dump: "Device ID,Device Name,..." then one CSV row per device.
            auto cells = csv_cells(line);
            if (cells.size() > 1 && cells[0] == "Device ID") {
                columns = cells;
                continue;
            }
            if (columns.empty() || cells.size() != columns.size()) continue;
            ToolGpu g;
            for (size_t i = 0; i < cells.size(); ++i) {
                if (columns[i] == "Device ID") g.index = cells[i].empty() ? -1 : std::atoi(cells[i].c_str());
                else if (columns[i] == "Device Name") g.name = cells[i];
                else if (columns[i] == "PCI BDF Address") g.bus_id = text::normalize_pci_bus_id(cells[i]);
            }
            if (!g.name.empty() && g.name != "N/A") gpus.push_back(std::move(g));
            continue;
        }
        // "| 0         | Device Name: Intel(R) UHD Graphics 770       |"
        // "|           | PCI BDF Address: 0000:00:02.0                |"
        std::string inner = line.substr(1);
        if (!inner.empty() && inner.back() == '|') inner.pop_back();
        auto bar = inner.find('|');
        if (bar == std::string::npos) continue;
        std::string id = trim(inner.substr(0, bar)), info = trim(inner.substr(bar + 1));
        if (id == "Device ID") continue;  // the header row
        if (!id.empty()) {
            if (id.find_first_not_of("0123456789") != std::string::npos) continue;
            ToolGpu g;
            g.index = std::atoi(id.substr(0, 6).c_str());
            gpus.push_back(std::move(g));
        }
        if (gpus.empty()) continue;
        auto colon = info.find(": ");
        if (colon == std::string::npos) continue;
        std::string key = trim(info.substr(0, colon)), value = trim(info.substr(colon + 2));
        if (key == "Device Name") gpus.back().name = value;
        else if (key == "PCI BDF Address") gpus.back().bus_id = text::normalize_pci_bus_id(value);
    }
    std::vector<ToolGpu> named;
    for (auto &g : gpus)
        if (!g.name.empty()) named.push_back(std::move(g));
    return named;
}

}  // namespace gpuhost::intel
