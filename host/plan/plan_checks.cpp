#include "plan_checks.hpp"

#include "plan.hpp"
#include "../env/requirements.hpp"

#include <cctype>
#include <filesystem>
#include <stdexcept>

namespace gpuhost {

namespace {

bool alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Length of the PEP 508 project name at s[i]: [A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?
size_t name_length(const std::string &s, size_t i) {
    size_t j = i;
    while (j < s.size() && (alnum(s[j]) || s[j] == '.' || s[j] == '_' || s[j] == '-')) ++j;
    while (j > i && !alnum(s[j - 1])) --j;
    return j > i && alnum(s[i]) ? j - i : 0;
}

bool printable_ascii(const std::string &s) {
    for (unsigned char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

}  // namespace

bool is_posix_env_name(const std::string &name) {
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
    for (char c : name)
        if (!alnum(c) && c != '_') return false;
    return true;
}

bool is_plain_name(const std::string &name) {
    if (name.empty() || name.size() > 64 || name[0] == '.' || name[0] == '-') return false;
    for (char c : name)
        if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
    return true;
}

namespace {
bool g_direct_references_allowed = false;
}

void allow_direct_references(bool allowed) { g_direct_references_allowed = allowed; }
bool direct_references_allowed() { return g_direct_references_allowed; }

std::string direct_reference_url(const std::string &spec) {
    size_t at = spec.find('@');
    if (at == std::string::npos) return {};
    size_t end = spec.find(';', at);
    std::string url = spec.substr(at + 1, end == std::string::npos ? std::string::npos : end - at - 1);
    auto b = url.find_first_not_of(' '), e = url.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : url.substr(b, e - b + 1);
}

std::optional<std::string> requirement_problem(const std::string &spec, bool allow_direct_reference) {
    if (spec.empty()) return "an empty requirement";
    if (spec.size() > 512) return "longer than 512 characters";
    if (!printable_ascii(spec)) return "holds control or non-ASCII characters";
    if (spec[0] == '-') return "starts with '-', which pip would read as an option";
    size_t n = name_length(spec, 0);
    if (n == 0) return "does not start with a project name (a path or URL is not allowed here)";
    size_t i = n;
    auto skip_space = [&] {
        while (i < spec.size() && spec[i] == ' ') ++i;
    };
    skip_space();
    if (i < spec.size() && spec[i] == '[') {  // extras: [a, b-c]
        ++i;
        for (;;) {
            skip_space();
            size_t e = name_length(spec, i);
            if (e == 0) return "has a malformed extras list";
            i += e;
            skip_space();
            if (i < spec.size() && spec[i] == ',') { ++i; continue; }
            if (i < spec.size() && spec[i] == ']') { ++i; break; }
            return "has a malformed extras list";
        }
    }
    skip_space();
    // Version specifiers up to an optional marker: operators, version text, commas.
    size_t marker = spec.find(';', i);
    std::string versions = spec.substr(i, marker == std::string::npos ? std::string::npos : marker - i);
    if (versions.find('@') != std::string::npos) {
        if (!allow_direct_reference)
            return "is a direct reference (name @ URL); gpuhost installs only from indexes unless you pass "
                   "--allow-direct-references";
        if (versions[0] != '@') return "has a version specifier before its direct reference";
        std::string url = direct_reference_url(spec);
        if (url.find(' ') != std::string::npos) return "has a direct reference URL with a space in it";
        if (!(url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0 || url.rfind("file:///", 0) == 0))
            return "has a direct reference that is no https://, http:// or file:/// URL";
        if (url.find_first_of("'\"\\<>`") != std::string::npos) return "has a quote or bracket in its direct reference URL";
        if (marker == std::string::npos) return std::nullopt;
        versions.clear();  // the marker is checked below
    }
    for (char c : versions)
        if (!(alnum(c) || std::string(" ,.*+!_-=<>~()").find(c) != std::string::npos))
            return std::string("has '") + c + "' in its version specifier";
    if (!versions.empty() && versions.find_first_of("=<>~!") == std::string::npos)
        return "has text after the project name that is no version specifier";
    if (marker != std::string::npos) {
        std::string m = spec.substr(marker + 1);
        // Markers compare names with quoted strings; no quote may stay open.
        size_t singles = 0, doubles = 0;
        for (char c : m) singles += c == '\'', doubles += c == '"';
        if (singles % 2 || doubles % 2 || m.find('\\') != std::string::npos) return "has a malformed environment marker";
    }
    // The reuse check reads every spec again (env/requirements.cpp); a spec it
    // cannot read ("torch=2=.14.1", found by tests/fuzz) must stop here, not
    // throw later in the middle of `run`.
    try {
        env::parse_requirement(spec);
    } catch (const std::invalid_argument &e) {
        return std::string("has a version specifier that does not parse (") + e.what() + ")";
    }
    return std::nullopt;
}

void check_plan(const Plan &plan) {
    auto fail = [](const std::string &why) { throw std::runtime_error("plan: " + why); };
    if (!is_plain_name(plan.profile))
        fail("profile name \"" + plan.profile + "\" must be a plain name (letters, digits, '.', '_', '-'; "
             "it names the environment's folder)");
    for (const auto &spec : plan.packages)
        if (auto why = requirement_problem(spec, direct_references_allowed())) fail("package \"" + spec + "\" " + *why);
    for (const auto &[name, value] : plan.env) {
        if (!is_posix_env_name(name))
            fail("environment variable name \"" + name + "\" is not a POSIX name ([A-Za-z_][A-Za-z0-9_]*)");
        if (value.find('\0') != std::string::npos || value.find('\n') != std::string::npos)
            fail("environment variable " + name + " has a newline or NUL in its value");
    }
    auto url_ok = [](const std::string &u) {
        return printable_ascii(u) && u.find(' ') == std::string::npos &&
               (u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0 || u.rfind("file://", 0) == 0);
    };
    if (!plan.index_url.empty() && !url_ok(plan.index_url))
        fail("index_url \"" + plan.index_url + "\" must be an http(s):// or file:// URL");
    for (const auto &u : plan.extra_index_urls)
        if (!url_ok(u)) fail("extra index URL \"" + u + "\" must be an http(s):// or file:// URL");
    if (!plan.default_index_url.empty() && !url_ok(plan.default_index_url))
        fail("default_index_url \"" + plan.default_index_url + "\" must be an http(s):// or file:// URL");
    for (const auto &name : plan.index_packages)
        if (!is_plain_name(name)) fail("index_packages entry \"" + name + "\" must be a project name");
    for (char c : plan.index_label)
        if (!alnum(c) && c != '.') fail("index_label \"" + plan.index_label + "\" must be letters, digits and dots");
    if (!plan.env_path.empty()) {
        std::filesystem::path p(plan.env_path);
        if (!p.is_absolute()) fail("env_path \"" + plan.env_path + "\" must be an absolute path");
        for (const auto &part : p)
            if (part == "..") fail("env_path \"" + plan.env_path + "\" must not contain '..'");
    }
}

}  // namespace gpuhost
