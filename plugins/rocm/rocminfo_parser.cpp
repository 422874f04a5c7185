#include "rocminfo_parser.hpp"

#include "plugin_text.hpp"

namespace gpuhost::rocm {

using namespace plugin_text;

namespace {

// Texts rocminfo and the HSA runtime print when they cannot enumerate
// (rocminfo.cc: "Unable to open /dev/kfd read-write", "hsa api call failure at").
bool error_line(const std::string &line) {
    static const char *markers[] = {"Unable to open", "hsa api call failure", "HSA_STATUS_ERROR", "Failed to",
                                    "failed to", "Permission denied", "not found", "No such file"};
    for (const char *m : markers)
        if (line.find(m) != std::string::npos) return true;
    return false;
}

// Keys of the agent itself sit at two spaces; pool and ISA entries are deeper
// (the ISA also has a "Name:"), so only two-space keys are read.
bool agent_key(const std::string &raw, const std::string &key, std::string &value) {
    std::string prefix = "  " + key + ":";
    if (!starts_with(raw, prefix) || (raw.size() > 2 && raw[2] == ' ')) return false;
    value = trim(raw.substr(prefix.size()));
    return true;
}

std::optional<std::uint64_t> leading_number(const std::string &value) {
    auto end = value.find_first_of(" (");
    return to_u64(value.substr(0, end));
}

}  // namespace

Rocminfo parse_rocminfo(const std::string &text) {
    Rocminfo info;
    bool in_agents = false;
    RocminfoAgent *agent = nullptr;
    for (const auto &raw : lines(text)) {
        std::string line = trim(raw);
        if (info.error.empty() && error_line(line)) info.error = line;
        if (starts_with(line, "Runtime Version:")) info.runtime_version = trim(line.substr(16));
        if (line == "HSA Agents") in_agents = true;
        // A paste may start at an agent, without the "HSA Agents" header: an
        // "Agent N" line opens the list as well.
        bool agent_line = starts_with(line, "Agent ") && to_u64(line.substr(6));
        if (agent_line) in_agents = true;
        std::string value;
        // Or a paste that starts at an agent's own keys, with no "Agent N" line
        // at all: its two-space "Name:" opens that agent.
        if (!agent && !agent_line && agent_key(raw, "Name", value)) {
            in_agents = true;
            info.agents.emplace_back();
            agent = &info.agents.back();
        }
        if (!in_agents) continue;
        if (agent_line) {
            info.agents.emplace_back();
            agent = &info.agents.back();
            continue;
        }
        if (!agent) continue;
        if (agent_key(raw, "Name", value)) agent->name = value;
        else if (agent_key(raw, "Marketing Name", value)) agent->marketing_name = value;
        else if (agent_key(raw, "Uuid", value)) agent->uuid = value;
        else if (agent_key(raw, "Device Type", value)) agent->device_type = value;
        else if (agent_key(raw, "Compute Unit", value)) agent->compute_units = leading_number(value);
        else if (agent_key(raw, "BDFID", value)) agent->bdfid = leading_number(value);
        else if (agent_key(raw, "Memory Properties", value)) agent->apu = value.find("APU") != std::string::npos;
    }
    if (info.agents.empty() && info.error.empty()) {
        auto first = lines(text);
        info.error = "rocminfo printed no HSA agent list" +
                     (first.empty() || trim(first.front()).empty() ? std::string() : " (first line: \"" + trim(first.front()).substr(0, 120) + "\")");
    }
    return info;
}

}  // namespace gpuhost::rocm
