// Requirement strings from profiles and plan files: requirement_problem (the
// boundary check: nothing pip would read as an option or a path passes, and with
// --allow-direct-references only http(s) and file URLs),
// parse_requirement and the PEP 440 comparison the reuse check relies on.
// Input: a requirement on the first line, an installed version on the second.
#include "fuzz_support.hpp"

#include "env/requirements.hpp"
#include "plan/plan_checks.hpp"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    std::string text = fuzz::text(data, size);
    auto nl = text.find('\n');
    std::string spec = text.substr(0, nl);
    std::string version = nl == std::string::npos ? std::string() : text.substr(nl + 1);
    bool allowed = !requirement_problem(spec).has_value();
    if (allowed) FUZZ_CHECK(!spec.empty() && spec.front() != '-', spec);
    // --allow-direct-references only widens the boundary, and what it lets
    // through still parses and names an http(s) or file URL.
    bool allowed_direct = !requirement_problem(spec, true).has_value();
    if (allowed) FUZZ_CHECK(allowed_direct, spec);
    if (allowed_direct && !allowed) {
        FUZZ_CHECK(spec.front() != '-', spec);
        std::string url = direct_reference_url(spec);
        FUZZ_CHECK(url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0 || url.rfind("file:///", 0) == 0, spec);
        try {
            FUZZ_CHECK(env::parse_requirement(spec).has_url, spec);
        } catch (const std::invalid_argument &) {
            FUZZ_CHECK(false, spec);
        }
    }
    try {
        auto req = env::parse_requirement(spec);
        FUZZ_CHECK(env::normalize_name(req.name) == req.name, req.name);
        env::satisfies(version, req);
        env::check_packages({spec}, {{req.name, version}});
    } catch (const std::invalid_argument &) {
        // Anything the boundary lets through must parse: the reuse check reads it later.
        FUZZ_CHECK(!allowed, spec);
    }
    // compare_versions is an order: antisymmetric, and equal to itself.
    int ab = env::compare_versions(spec, version), ba = env::compare_versions(version, spec);
    FUZZ_CHECK((ab < 0) == (ba > 0) && (ab == 0) == (ba == 0), spec + " vs " + version);
    FUZZ_CHECK(env::compare_versions(version, version) == 0, version);
    env::local_label(version);
    return 0;
}
