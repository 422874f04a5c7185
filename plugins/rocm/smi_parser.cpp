#include "smi_parser.hpp"

#include "plugin_text.hpp"

#include <sstream>

namespace gpuhost::rocm {

using namespace plugin_text;

std::vector<SmiGpu> parse_rocm_smi(const std::string &text) {
    std::vector<SmiGpu> gpus;
    bool header_seen = false;
    for (const auto &raw : lines(text)) {
        std::string line = trim(raw);
        if (starts_with(line, "GPU ") || starts_with(line, "Device ")) header_seen = true;
        if (!header_seen || line.empty() || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;
        std::string first = line.substr(0, line.find_first_of(" \t"));
        if (auto n = to_u64(first); n && *n < 1024) gpus.push_back({static_cast<int>(*n), {}, {}});
    }
    return gpus;
}

std::vector<SmiGpu> parse_amd_smi_list(const std::string &text) {
    std::vector<SmiGpu> gpus;
    for (const auto &raw : lines(text)) {
        std::string line = trim(raw);
        if (starts_with(line, "GPU:")) {
            auto n = to_u64(line.substr(4));
            if (n && *n < 1024) gpus.push_back({static_cast<int>(*n), {}, {}});
        } else if (!gpus.empty() && starts_with(line, "BDF:")) {
            gpus.back().bus_id = lower(trim(line.substr(4)));
        } else if (!gpus.empty() && starts_with(line, "UUID:")) {
            gpus.back().uuid = trim(line.substr(5));
        }
    }
    return gpus;
}

std::vector<std::string> parse_groups(const std::string &text) {
    std::string line = trim(lines(text).empty() ? std::string() : lines(text).front());
    if (auto colon = line.find(" : "); colon != std::string::npos) line = line.substr(colon + 3);
    std::istringstream words(line);
    std::vector<std::string> groups;
    for (std::string w; words >> w;) groups.push_back(w);
    return groups;
}

}  // namespace gpuhost::rocm
