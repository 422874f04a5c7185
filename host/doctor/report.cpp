#include "report.hpp"

namespace json = boost::json;

namespace gpuhost::doctor {

const char *to_string(Severity s) {
    switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
    case Severity::critical: return "critical";
    }
    return "?";
}

json::object Finding::to_json() const {
    json::object o{{"check", check}, {"severity", to_string(severity)}, {"summary", summary}};
    o["fix"] = fix.empty() ? json::value(nullptr) : json::value(fix);
    o["rule"] = rule.empty() ? json::value(nullptr) : json::value(rule);
    if (!details.empty()) o["details"] = details;
    return o;
}

Finding &Report::add(std::string check, Severity severity, std::string summary, std::string fix, std::string rule) {
    findings.push_back({std::move(check), severity, std::move(summary), std::move(fix), std::move(rule), {}});
    return findings.back();
}

bool Report::has(Severity at_least) const {
    for (const auto &f : findings)
        if (f.severity >= at_least) return true;
    return false;
}

std::size_t Report::count(Severity s) const {
    std::size_t n = 0;
    for (const auto &f : findings) n += f.severity == s;
    return n;
}

json::object Report::to_json() const {
    json::array list, skip;
    for (const auto &f : findings) list.push_back(f.to_json());
    for (const auto &s : skipped) skip.emplace_back(s);
    json::object counts;
    for (auto s : {Severity::info, Severity::warning, Severity::error, Severity::critical})
        counts[to_string(s)] = count(s);
    json::object o{{"findings", std::move(list)}, {"counts", std::move(counts)}, {"skipped", std::move(skip)},
                   {"critical", has(Severity::critical)}};
    o["sysroot"] = sysroot.empty() ? json::value(nullptr) : json::value(sysroot);
    return o;
}

}  // namespace gpuhost::doctor
