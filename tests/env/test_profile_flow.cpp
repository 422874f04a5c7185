// A profile's own run() flow inside `gpuhost run`: it installs more packages
// through the run's installer after the base install, every action logged, and
// a flow that fails is a failed stage with the installer's text diagnosed.
#include "env_fixture.hpp"

#include <boost/test/unit_test.hpp>

using namespace gpuhost;
using namespace gpuhost::test;

namespace {

// A project profile, written beside its own scripts: numpy from the base
// install, `extra` from the flow; the smoke test needs both.
fs::path write_profile(const TempDir &dir, const std::string &extra) {
    std::string py = python3_minor();
    dir.write("flowtest.lua", "return {\n"
                              "  name = 'flowtest', description = 'base install plus the flow', framework = 'numpy',\n"
                              "  packages = { 'numpy' }, min_memory_mib = 0, precision = 'fp32', env_version = 1,\n"
                              "  python = { min = '" + py + "', max = '" + py + "' },\n"
                              "  smoke_test = 'import numpy, six; print(\"both in\")',\n"
                              "  run = function(plan)\n"
                              "    gpuhost.install({ '" + extra + "' })\n"
                              "    gpuhost.verify()\n"
                              "  end,\n"
                              "}\n");
    return dir / "flowtest.lua";
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_profile_flow_installs_after_the_base_and_then_verification_runs) {
    WheelServer server{{"numpy==1.26.4", "six==1.16.0"}};
    TempDir home, work;
    auto profile = write_profile(work, "six==1.16.0");
    // The user's own pip settings must not add sources to an offline install.
    auto r = run_cli({"run", profile.string(), "--wheelhouse", server.wheels().string(), "--json"}, home,
                     {{"PIP_FIND_LINKS", (work / "elsewhere").string()}});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    BOOST_TEST(r.error_output.find((work / "elsewhere").string()) == std::string::npos, r.error_output);
    auto report = parse_report(r);
    std::string stages = json::serialize(report.at("stages"));
    BOOST_TEST(stages.find("profile-flow") != std::string::npos, stages);
    BOOST_TEST(r.error_output.find("profile flow: install six==1.16.0") != std::string::npos, r.error_output);
    auto env = fs::path(str(report.at("env")));
    auto state = state_of(env);
    BOOST_TEST(str(state.at("packages").at("six")) == "1.16.0");
    BOOST_TEST(str(state.at("verification").at("smoke_test").at("status")) == "passed");
    BOOST_TEST(str(state.at("verification").at("kernel").at("status")) == "passed");
}

BOOST_AUTO_TEST_CASE(a_failing_profile_flow_is_a_failed_stage_with_a_diagnosis) {
    WheelServer server{{"numpy==1.26.4"}};
    TempDir home, work;
    auto profile = write_profile(work, "no-such-package-anywhere==9.9");
    auto r = run_cli({"run", profile.string(), "--wheelhouse", server.wheels().string(), "--json"}, home);
    BOOST_TEST(r.exit_code == 1, r.error_output);
    auto report = parse_report(r);
    BOOST_TEST(str(report.at("diagnosis").at("rule")) == "no_matching_distribution", json::serialize(report.at("diagnosis")));
    auto state = state_of(fs::path(str(report.at("env"))));
    BOOST_TEST(str(state.at("last_failure").at("stage")) == "profile-flow");
}
