#include "npu_smi.hpp"

#include <algorithm>
#include <cctype>
#include <regex>
#include <sstream>

namespace ascend {

namespace {

std::vector<std::string> cells(const std::string &line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    for (std::string cell; std::getline(in, cell, '|');) {
        auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
        out.push_back(b == std::string::npos ? std::string() : cell.substr(b, e - b + 1));
    }
    // "| a | b |" splits into "", "a", "b": drop the empty lead.
    if (!out.empty() && out.front().empty()) out.erase(out.begin());
    return out;
}

std::vector<std::string> words(const std::string &s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

}  // namespace

SmiTable parse_npu_smi_info(const std::string &text) {
    SmiTable t;
    static const std::regex version_re(R"(Version:\s*([0-9][0-9A-Za-z.\-]*))");
    static const std::regex bus_re(R"(^[0-9A-Fa-fx]{4}:[0-9A-Fa-fx]{2}:[0-9A-Fa-fx]{2}\.[0-9]$)");
    static const std::regex usage_re(R"((\d+)\s*/\s*(\d+)\s*$)");
    std::smatch m;
    if (std::regex_search(text, m, version_re)) t.version = m[1].str();

    std::stringstream in(text);
    SmiChip pending;
    bool have_first = false;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] != '|') {
            have_first = false;
            continue;
        }
        auto c = cells(line);
        if (c.size() < 3) continue;
        auto first = words(c[0]);
        if (first.empty()) continue;
        // The process table begins: no more chips.
        if (c[1].find("Process id") != std::string::npos) break;
        bool numeric = std::all_of(first[0].begin(), first[0].end(), ::isdigit);
        if (!numeric) {
            have_first = false;
            continue;
        }
        if (std::regex_match(c[1], bus_re)) {
            if (!have_first) continue;
            pending.chip = first[0];
            pending.bus_id = c[1];
            if (std::regex_search(c[2], m, usage_re)) {
                pending.hbm_used_mb = std::stoull(m[1].str());
                pending.hbm_total_mb = std::stoull(m[2].str());
            }
            t.chips.push_back(pending);
            have_first = false;
        } else if (first.size() >= 2) {
            pending = SmiChip{};
            pending.npu_id = std::stoi(first[0]);
            pending.name = first[1];
            pending.health = c[1];
            have_first = true;
        }
    }
    return t;
}

}  // namespace ascend
