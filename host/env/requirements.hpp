// Just enough of PEP 508 / PEP 440 to tell, without running pip, whether the
// packages installed in an environment satisfy a plan's requirement specs.
// Anything this cannot judge is reported as "unsure", and the installer is
// asked (it is the authority); a wrong "satisfied" is what must never happen.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::env {

// PEP 503 normalized: lower case, runs of -_. become one '-'.
std::string normalize_name(const std::string &name);

struct Requirement {
    std::string spec;   // as written in the plan
    std::string name;   // normalized
    std::vector<std::pair<std::string, std::string>> clauses;  // ("==", "2.7.0"), (">=", "1.26")
    bool has_marker = false;  // "; python_version < ..." (not evaluated)
    bool has_url = false;     // "name @ https://..." (not judged)
};
// Throws std::invalid_argument for text that is not a requirement.
Requirement parse_requirement(const std::string &spec);

// Negative, zero, positive like strcmp. Local labels (+cu128) are compared
// only when both have one; pre-releases sort before the release.
int compare_versions(const std::string &a, const std::string &b);
std::string local_label(const std::string &version);  // "2.7.0+cu128" -> "cu128"

enum class Satisfied { yes, no, unsure };
Satisfied satisfies(const std::string &installed_version, const Requirement &req);

// What is installed, read from the *.dist-info (and *.egg-info) folder names
// in site-packages: one directory listing, no Python started.
struct InstalledDist {
    std::string version;
    std::filesystem::path folder;  // its *.dist-info (RECORD, direct_url.json) or *.egg-info
};
std::map<std::string, InstalledDist> scan_installed_dists(const std::filesystem::path &site_packages);
// The same, name (normalized) -> version.
std::map<std::string, std::string> scan_installed(const std::filesystem::path &site_packages);
std::map<std::string, std::string> versions_of(const std::map<std::string, InstalledDist> &dists);

struct PackageCheck {
    std::string spec;
    std::string name;
    std::string installed;  // empty: not installed
    Satisfied status = Satisfied::no;
    std::string why;        // "not installed", "2.6.0 does not satisfy ==2.7.0"
};
std::vector<PackageCheck> check_packages(const std::vector<std::string> &specs,
                                         const std::map<std::string, std::string> &installed);

}  // namespace gpuhost::env
