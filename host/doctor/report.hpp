// What `gpuhost doctor` found: one finding per fact worth telling, each with a
// severity and, when something is wrong, the fix and the recovery rule that
// covers the failure it causes.
#pragma once
#include <boost/json.hpp>
#include <string>
#include <vector>

namespace gpuhost::doctor {

enum class Severity { info, warning, error, critical };
const char *to_string(Severity s);

struct Finding {
    std::string check;    // python | environments | disk | driver | device_nodes | groups | secure_boot | platform | network
    Severity severity = Severity::info;
    std::string summary;  // one line: what is so
    std::string fix;      // what to do; empty when nothing needs doing
    std::string rule;     // id of the recovery rule for the failure this causes, if any
    boost::json::object details;
    boost::json::object to_json() const;
};

struct Report {
    std::vector<Finding> findings;
    std::vector<std::string> skipped;  // "python: live-only, skipped under --sysroot"
    std::string sysroot;

    Finding &add(std::string check, Severity severity, std::string summary, std::string fix = {}, std::string rule = {});
    bool has(Severity at_least) const;
    std::size_t count(Severity s) const;
    boost::json::object to_json() const;
};

}  // namespace gpuhost::doctor
