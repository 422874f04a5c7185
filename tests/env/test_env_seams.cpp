// The seams `gpuhost run` hands its work to: the failure text reaching the
// diagnosis, --auto-fix retrying once, the kernel check's verdict deciding the
// exit code, and the environment lock between two runs.
#include "cli/cli_support.hpp"
#include "env/env_lock.hpp"
#include "env/environment_run.hpp"
#include "env/env_fixture.hpp"

#include <cstdlib>

using namespace gpuhost;
using namespace gpuhost::test;

namespace {

struct SeamFixture {
    WheelServer server{{"six==1.16.0"}};
    TempDir home, work;
    fs::path env = work / "env";

    SeamFixture() {
        for (const auto &name : masked_variables()) ::unsetenv(name.c_str());
        for (const auto &[k, v] : hermetic_variables(home.path())) ::setenv(k.c_str(), v.c_str(), 1);
    }
    Plan plan(std::vector<std::string> packages = {"six==1.16.0"}) {
        return Plan::from_json(make_plan(server.url(), packages));
    }
    env::RunOptions options() {
        env::RunOptions o;
        o.env = env;
        o.installer = "pip";
        return o;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(env_seams, SeamFixture)

BOOST_AUTO_TEST_CASE(a_failed_install_hands_pips_words_to_the_diagnosis) {
    std::vector<env::FailureContext> seen;
    std::vector<std::string> texts;
    auto o = options();
    o.diagnose = [&](const env::FailureContext &ctx) {
        seen.push_back(ctx);
        texts.push_back(ctx.text);
        env::Diagnosis d;
        d.matched = true;
        d.rule = "package_not_found";
        d.summary = "the index has no such package";
        return d;
    };
    o.resolve = false;  // the install itself fails (resolving first would stop it before; see the next case)
    auto report = env::run_environment(plan({"six==1.16.0", "doesnotexist==1.0"}), o);
    BOOST_TEST(report.exit_code == cli::kFailed);
    BOOST_REQUIRE(seen.size() == 1u);
    BOOST_TEST(seen[0].stage == "install");
    BOOST_TEST(!seen[0].auto_fix);
    BOOST_TEST(texts[0].find("doesnotexist") != std::string::npos, texts[0]);
    BOOST_TEST(texts[0].find("No matching distribution found") != std::string::npos, texts[0]);
    auto state = state_of(env);
    BOOST_TEST(str(state.at("last_run").at("status")) == "failed");
    BOOST_TEST(str(state.at("last_failure").at("diagnosis").at("rule")) == "package_not_found");
    std::string log = str(state.at("last_failure").at("log"));
    BOOST_TEST(read_text(log).value_or("").find("No matching distribution") != std::string::npos);
}

// Resolving first finds the same problem before the folder exists, and the diagnosis gets pip's words.
BOOST_AUTO_TEST_CASE(resolving_first_finds_a_missing_package_before_anything_is_made) {
    std::vector<env::FailureContext> seen;
    auto o = options();
    o.diagnose = [&](const env::FailureContext &ctx) {
        seen.push_back(ctx);
        return env::Diagnosis{};
    };
    auto report = env::run_environment(plan({"six==1.16.0", "doesnotexist==1.0"}), o);
    BOOST_TEST(report.exit_code == cli::kBadInput);
    BOOST_REQUIRE(seen.size() == 1u);
    BOOST_TEST(seen[0].stage == "resolve");
    BOOST_TEST(seen[0].text.find("No matching distribution found for doesnotexist==1.0") != std::string::npos, seen[0].text);
    BOOST_TEST(str(report.resolution.at("package")) == "doesnotexist==1.0");
    BOOST_TEST(!fs::exists(env), "resolving made " << env);
}

BOOST_AUTO_TEST_CASE(auto_fix_applies_the_fix_and_retries_once) {
    fs::path marker = work / "fixed";
    auto p = plan();
    p.smoke_test = "import os, sys; sys.exit(0 if os.path.exists(" + json::serialize(json::value(marker.string())) +
                   ") else 'marker missing')";
    int calls = 0;
    auto o = options();
    o.auto_fix = true;
    o.diagnose = [&](const env::FailureContext &ctx) {
        ++calls;
        env::Diagnosis d;
        d.matched = true;
        d.rule = "marker";
        BOOST_TEST(ctx.text.find("marker missing") != std::string::npos, ctx.text);
        if (ctx.auto_fix) {
            std::ofstream(marker) << "";
            d.fix_applied = true;
        }
        return d;
    };
    auto report = env::run_environment(p, o);
    BOOST_TEST(report.exit_code == cli::kOk);
    BOOST_TEST(calls == 1);
    BOOST_TEST(str(state_of(env).at("verification").at("smoke_test").at("status")) == "passed");

    // Without --auto-fix the same failure stays a failure.
    fs::remove(marker);
    fs::remove_all(env);
    o.auto_fix = false;
    calls = 0;
    report = env::run_environment(p, o);
    BOOST_TEST(report.exit_code == cli::kFailed);
    BOOST_TEST(calls == 1);
}

BOOST_AUTO_TEST_CASE(the_kernel_check_decides_the_exit_code) {
    auto o = options();
    env::KernelCheck verdict;
    o.kernel_check = [&](const Plan &) { return verdict; };
    std::string diagnosed;
    o.diagnose = [&](const env::FailureContext &ctx) {
        diagnosed = ctx.text;
        return env::Diagnosis{};
    };
    verdict.status = env::KernelCheck::Status::passed;
    verdict.summary = "sgemm ok";
    BOOST_TEST(env::run_environment(plan(), o).exit_code == cli::kOk);
    BOOST_TEST(str(state_of(env).at("verification").at("status")) == "passed");

    verdict.status = env::KernelCheck::Status::failed;
    verdict.summary = "max error 3.5";
    verdict.output = "mismatch at [3,4]";
    o.reverify = true;
    BOOST_TEST(env::run_environment(plan(), o).exit_code == cli::kFailed);
    BOOST_TEST(diagnosed.find("mismatch at [3,4]") != std::string::npos, diagnosed);

    verdict.status = env::KernelCheck::Status::no_device;
    verdict.summary = "cuda:0 is gone";
    BOOST_TEST(env::run_environment(plan(), o).exit_code == cli::kNoDevice);
    BOOST_TEST(str(state_of(env).at("verification").at("status")) == "no-device");
}

BOOST_AUTO_TEST_CASE(a_held_lock_makes_the_next_run_wait_then_give_up) {
    auto held = env::lock_environment(env, std::chrono::seconds(1), {});
    fs::path p = write_plan(work, make_plan(server.url(), {"six==1.16.0"}));
    auto r = run_cli({"run", "--plan", p.string(), "--env", env.string(), "--lock-timeout", "1"}, home);
    BOOST_TEST(r.exit_code == cli::kFailed);
    BOOST_TEST(r.error_output.find("waiting for the lock on " + env.string() + " (held by gpuhost pid ") !=
                   std::string::npos,
               r.error_output);
    BOOST_TEST(r.error_output.find("gave up after 1 s") != std::string::npos, r.error_output);
    BOOST_TEST(!fs::exists(env / "environment_state.json"));
}

BOOST_AUTO_TEST_CASE(two_runs_at_once_build_one_environment) {
    fs::path p = write_plan(work, make_plan(server.url(), {"six==1.16.0"}));
    std::vector<std::unique_ptr<BackgroundProcess>> runs;
    std::vector<std::string> args = {"run", "--plan", p.string(), "--env", env.string(), "--installer", "pip"};
    auto environment = gpuhost_environment(home, args);
    args.insert(args.begin(), GPUHOST_BINARY);
    for (int i = 0; i < 2; ++i)
        runs.push_back(std::make_unique<BackgroundProcess>(args, environment.set, environment.unset,
                                                           (work / ("out" + std::to_string(i))).string()));
    for (auto &r : runs) {
        int status = r->wait();
        BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    }
    std::string out = read_text(work / "out0").value_or("") + read_text(work / "out1").value_or("");
    BOOST_TEST(out.find("run: created") != std::string::npos, out);
    BOOST_TEST(out.find("run: reused") != std::string::npos, out);
    BOOST_TEST(out.find("waiting for the lock") != std::string::npos, out);
    BOOST_TEST(str(state_of(env).at("last_run").at("status")) == "ok");
}

BOOST_AUTO_TEST_SUITE_END()
