// The uv path: uv venv (no pip inside), uv pip install, repair with uv, and a
// pip run on a uv-made environment recreating it (pip has nothing to run with).
// uv comes from PATH, else it is installed from PyPI into build/test-tools/uv.
#include "cli/cli_support.hpp"
#include "env/env_fixture.hpp"
#include "env/uv_tool.hpp"

using namespace gpuhost;
using namespace gpuhost::test;

namespace {

struct UvFixture {
    WheelServer server{{"numpy==1.26.4", "six==1.16.0"}};
    TempDir home, work;
    fs::path env = work / "env";
    ProcessResult run(const std::string &installer) {
        fs::path p = write_plan(work, make_plan(server.url(), {"numpy==1.26.4", "six==1.16.0"}));
        std::string path = fs::path(find_or_install_uv()).parent_path().string() + ":" + std::getenv("PATH");
        return run_cli({"run", "--plan", p.string(), "--env", env.string(), "--installer", installer, "--json"}, home,
                       {{"PATH", path}, {"UV_CACHE_DIR", (work / "uv-cache").string()}});
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(env_uv, *boost::unit_test::precondition(have_uv()))

BOOST_FIXTURE_TEST_CASE(uv_creates_reuses_and_repairs, UvFixture) {
    auto r = run("uv");
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto report = parse_report(r);
    const auto procs = work_processes(report);
    BOOST_REQUIRE(procs.size() == 3u);  // uv venv, uv pip install, smoke test
    BOOST_TEST(str(procs[0]).find("uv venv --allow-existing") != std::string::npos, str(procs[0]));
    BOOST_TEST(str(procs[1]).find("uv pip install --python " + (env / "bin" / "python").string()) != std::string::npos);
    auto state = state_of(env);
    BOOST_TEST(str(state.at("installer")) == "uv");
    BOOST_TEST(str(state.at("packages").at("six")) == "1.16.0");
    BOOST_TEST(str(state.at("verification").at("smoke_test").at("status")) == "passed");

    auto again = parse_report(run("uv"));
    BOOST_TEST(str(again.at("decision").at("action")) == "reuse");
    BOOST_TEST(work_processes(again).empty());

    auto sp = env / "lib" / ("python" + python3_minor()) / "site-packages";
    fs::remove_all(sp / "six-1.16.0.dist-info");
    fs::remove(sp / "six" / "__init__.py");
    auto repaired = run("uv");
    BOOST_TEST(repaired.exit_code == 0, repaired.error_output);
    auto rep = parse_report(repaired);
    BOOST_TEST(str(rep.at("decision").at("action")) == "repair");
    std::string install = str(work_processes(rep)[0]);
    BOOST_TEST(install.find("six==1.16.0") != std::string::npos);
    BOOST_TEST(install.find("numpy") == std::string::npos, install);
    BOOST_TEST(repaired.error_output.find("+ six==1.16.0") != std::string::npos, repaired.error_output);
}

// Switching the installer does not rebuild an environment that is up to date;
// only a repair needs the environment's own pip, which one made by uv lacks.
BOOST_FIXTURE_TEST_CASE(pip_on_a_uv_environment_reuses_it_and_recreates_only_to_repair, UvFixture) {
    BOOST_REQUIRE(run("uv").exit_code == 0);
    auto r = run("pip");
    BOOST_TEST(r.exit_code == 0, r.error_output);
    auto report = parse_report(r);
    BOOST_TEST(str(report.at("decision").at("action")) == "reuse");
    BOOST_TEST(report.at("processes").as_array().empty());

    auto sp = env / "lib" / ("python" + python3_minor()) / "site-packages";
    fs::remove_all(sp / "six-1.16.0.dist-info");
    fs::remove(sp / "six" / "__init__.py");
    auto repaired = run("pip");
    BOOST_TEST(repaired.exit_code == 0, repaired.error_output);
    auto rep = parse_report(repaired);
    BOOST_TEST(str(rep.at("decision").at("action")) == "recreate");
    std::string reasons = json::serialize(rep.at("decision").at("reasons"));
    BOOST_TEST(reasons.find("made with uv, has no pip") != std::string::npos, reasons);
    // uv is on PATH here: the reason says pip was asked for, not that uv is missing.
    BOOST_TEST(reasons.find("uv is not on PATH") == std::string::npos, reasons);
    BOOST_TEST(reasons.find("asked for with --installer pip") != std::string::npos, reasons);
    BOOST_TEST(str(state_of(env).at("installer")) == "pip");
}

BOOST_AUTO_TEST_SUITE_END()
