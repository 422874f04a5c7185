// One run against the real PyPI: a fresh environment with the real `six`.
// Needs the network; when pypi.org cannot be reached the test is skipped and
// says so (it never pretends with a local copy).
#include "env/env_fixture.hpp"
#include "support/pypi_reachable.hpp"

using namespace gpuhost;
using namespace gpuhost::test;

BOOST_AUTO_TEST_CASE(installs_six_from_the_real_pypi, *boost::unit_test::precondition(test::pypi_reachable{"six"})) {
    TempDir home, work;
    fs::path env = work / "env";
    auto plan = make_plan("https://pypi.org/simple/", {"six>=1.16"});
    plan["smoke_test"] = "import six; print('six', six.__version__)";
    fs::path p = write_plan(work, plan);
    std::vector<std::string> args = {"run", "--plan", p.string(), "--env", env.string(), "--installer", "pip", "--json"};
    auto r = run_cli(args, home);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto state = state_of(env);
    std::string version = str(state.at("packages").at("six"));
    BOOST_TEST(version.rfind("1.", 0) == 0, version);
    BOOST_TEST(str(state.at("verification").at("smoke_test").at("output")) == "six " + version + "\n");
    BOOST_TEST(r.error_output.find("Successfully installed six-" + version) != std::string::npos, r.error_output);
    auto again = parse_report(run_cli(args, home));
    BOOST_TEST(again.at("processes").as_array().empty());
}
