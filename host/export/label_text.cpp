#include "label_text.hpp"

#include <cctype>

namespace gpuhost::fleet {

namespace {

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool inner(char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; }

std::string trim_to_alnum(std::string s) {
    while (!s.empty() && !alnum(s.back())) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && !alnum(s[start])) ++start;
    return s.substr(start);
}

}  // namespace

std::string label_value(const std::string &text) {
    std::string out;
    for (char c : text) {
        char keep = inner(c) ? c : '-';
        // Runs of replaced characters and spaces become one dash.
        if (keep == '-' && !out.empty() && out.back() == '-') continue;
        out += keep;
    }
    out = trim_to_alnum(out);
    if (out.size() > 63) out = trim_to_alnum(out.substr(0, 63));
    return out;
}

bool is_label_name(const std::string &name) {
    if (name.empty() || name.size() > 63 || !alnum(name.front()) || !alnum(name.back())) return false;
    for (char c : name)
        if (!inner(c)) return false;
    return true;
}

bool is_label_value(const std::string &value) { return value.empty() || is_label_name(value); }

bool is_dns_subdomain(const std::string &prefix) {
    if (prefix.empty() || prefix.size() > 253) return false;
    std::size_t start = 0;
    while (start <= prefix.size()) {
        auto dot = prefix.find('.', start);
        std::string part = prefix.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (part.empty() || part.size() > 63 || !alnum(part.front()) || !alnum(part.back())) return false;
        for (char c : part)
            if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-'))
                return false;
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return true;
}

}  // namespace gpuhost::fleet
