#include "gpuhost/text.hpp"

#include <cctype>
#include <cstdio>
#include <regex>
#include <sstream>

namespace gpuhost::text {

namespace {
bool blank(char c) { return c == '\0' || std::isspace(static_cast<unsigned char>(c)); }
}  // namespace

std::string trim(const std::string &s) {
    size_t b = 0, e = s.size();
    while (b < e && blank(s[b])) ++b;
    while (e > b && blank(s[e - 1])) --e;
    return s.substr(b, e - b);
}

std::vector<std::string> lines(const std::string &text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(line);
    }
    return out;
}

bool starts_with(const std::string &s, const std::string &prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::string lower(std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::optional<std::uint64_t> to_u64(const std::string &raw) {
    std::string s = trim(raw);
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s = s.substr(2);
    }
    if (s.empty() || s.size() > 20) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        int d;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (base == 16 && std::isxdigit(static_cast<unsigned char>(c))) d = std::tolower(c) - 'a' + 10;
        else return std::nullopt;
        if (v > (UINT64_MAX - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base)) return std::nullopt;
        v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
    }
    return v;
}

std::string hex16(std::uint64_t v) {
    static const char *digits = "0123456789abcdef";
    std::string s;
    for (int shift = 12; shift >= 0; shift -= 4) s += digits[(v >> shift) & 0xf];
    return "0x" + s;
}

std::optional<std::string> uevent_value(const std::string &text, const std::string &key) {
    for (const auto &line : lines(text))
        if (starts_with(line, key + "=")) return trim(line.substr(key.size() + 1));
    return std::nullopt;
}

std::string normalize_pci_bus_id(const std::string &bus_id) {
    static const std::regex re(R"(^\s*(?:([0-9A-Fa-f]{1,8}):)?([0-9A-Fa-f]{1,2}):([0-9A-Fa-f]{1,2})\.([0-7])\s*$)");
    std::smatch m;
    if (!fits_regex(bus_id) || !std::regex_match(bus_id, m, re)) return {};
    auto hex = [](const std::string &s) { return std::stoul(s.empty() ? "0" : s, nullptr, 16); };  // at most 8 digits
    char out[32];
    std::snprintf(out, sizeof out, "%04lx:%02lx:%02lx.%lx", hex(m[1]) & 0xffff, hex(m[2]), hex(m[3]), hex(m[4]));
    return out;
}

}  // namespace gpuhost::text

namespace gpuhost::text {

// Walks the text once, remembering the open brackets and the last point where
// everything before it was a complete value (after a ',' or a '{' / '['); a cut
// text is taken back to that point and closed there.
std::string close_truncated_json(const std::string &text) {
    auto start = text.find_first_of("{[");
    if (start == std::string::npos) return {};
    std::string body = text.substr(start);
    std::string open;          // the brackets still open, innermost last
    size_t safe = 0;           // body[0, safe) ends just after a complete member or an opening bracket
    std::string safe_open;     // `open` at that point
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            open.push_back(c);
            safe = i + 1;
            safe_open = open;
        } else if (c == '}' || c == ']') {
            if (open.empty()) return body.substr(0, i);  // text after the document: not ours
            open.pop_back();
            if (open.empty()) return body.substr(0, i + 1);  // whole: unchanged
            safe = i + 1;
            safe_open = open;
        } else if (c == ',') {
            safe = i;  // before the comma: the member before it is complete
            safe_open = open;
        }
    }
    std::string out = body.substr(0, safe);
    // A trailing "key": with no value yet, or a dangling comma, cannot stay.
    while (!out.empty() && (out.back() == ',' || std::isspace(static_cast<unsigned char>(out.back())))) out.pop_back();
    for (auto it = safe_open.rbegin(); it != safe_open.rend(); ++it) out += *it == '{' ? '}' : ']';
    return out;
}

}  // namespace gpuhost::text
