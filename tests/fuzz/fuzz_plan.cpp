// A plan file (`run --plan FILE`, `plan --json` output): parsed, read by
// Plan::from_json, which ends in check_plan, the boundary that keeps names
// out of shells, folders and pip's options. A plan it accepts must read back
// the same after to_json, and must pass check_plan again.
#include "fuzz_support.hpp"

#include "core/files.hpp"
#include "plan/plan.hpp"
#include "plan/plan_checks.hpp"

#include <boost/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    using namespace gpuhost;
    boost::json::value value;
    try {
        value = parse_json(fuzz::text(data, size), "plan.json");
    } catch (const FileError &) {
        return 0;
    }
    if (!value.is_object()) return 0;
    Plan plan;
    try {
        plan = Plan::from_json(value.as_object());
    } catch (const std::runtime_error &) {
        return 0;  // refused with a reason: the documented outcome
    }
    auto once = plan.to_json();
    Plan again = Plan::from_json(once);  // must not throw: it was accepted once
    FUZZ_CHECK(boost::json::serialize(again.to_json()) == boost::json::serialize(once), boost::json::serialize(once));
    for (const auto &[name, value] : plan.env) FUZZ_CHECK(is_posix_env_name(name), name);
    for (const auto &spec : plan.packages) FUZZ_CHECK(!requirement_problem(spec), spec);
    return 0;
}
