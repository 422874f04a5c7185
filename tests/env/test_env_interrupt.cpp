// Interrupting `gpuhost run` while pip is downloading (the wheel server stalls
// that one download, so the moment is exact): SIGTERM gives exit 130 and a
// state file that says "interrupted"; SIGKILL leaves the "in-progress" mark and
// takes pip down with it. Either way the state file parses, no temporary file
// is left, the lock is free, and the next run repairs.
#include "cli/cli_support.hpp"
#include "env/env_lock.hpp"
#include "env/env_fixture.hpp"

#include <fstream>

using namespace gpuhost;
using namespace gpuhost::test;

namespace {

struct InterruptFixture {
    WheelServer stalling{{"numpy==1.26.4", "six==1.16.0"}, "six"};  // never answers for six's wheel
    WheelServer good{{"numpy==1.26.4", "six==1.16.0"}};
    TempDir home, work;
    fs::path env = work / "env";

    fs::path plan_for(const WheelServer &s, std::vector<std::string> packages, const std::string &name) {
        return write_plan(work, make_plan(s.url(), packages), name);
    }
    // resolve: false skips the resolution before the install (pip's dry run downloads the
    // wheels too, so the stalled download would stop it there instead of in the install).
    std::unique_ptr<BackgroundProcess> start(const fs::path &plan, const std::string &out, bool resolve = false) {
        std::vector<std::string> args = {"run", "--plan", plan.string(), "--env", env.string(), "--installer", "pip"};
        if (!resolve) args.push_back("--no-resolve");
        auto environment = gpuhost_environment(home, args);
        args.insert(args.begin(), GPUHOST_BINARY);
        return std::make_unique<BackgroundProcess>(args, environment.set, environment.unset, (work / out).string());
    }
    void wait_for_stall() {
        for (int i = 0; i < 1200 && !stalling.stalled(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
        BOOST_REQUIRE_MESSAGE(stalling.stalled(), "pip never asked for the stalled wheel");
    }
    void check_consistent() {
        auto text = read_text(env / "environment_state.json");
        BOOST_REQUIRE(text);
        BOOST_CHECK_NO_THROW(json::parse(*text));
        for (const auto &e : fs::directory_iterator(env))
            BOOST_TEST(e.path().filename().string().find(".tmp-") == std::string::npos, e.path());
        BOOST_CHECK_NO_THROW(env::lock_environment(env, std::chrono::seconds(0), {}));
    }
    // Processes still running with this environment in their command line (pip left behind).
    int processes_using_env() {
        int n = 0;
        for (const auto &e : fs::directory_iterator("/proc")) {
            std::ifstream f(e.path() / "cmdline");
            std::string cmd((std::istreambuf_iterator<char>(f)), {});
            if (cmd.find((env / "bin" / "python").string()) != std::string::npos) ++n;
        }
        return n;
    }
    json::object next_run_repairs() {
        auto r = run_cli({"run", "--plan", plan_for(good, {"numpy==1.26.4", "six==1.16.0"}, "good.json").string(), "--env",
                          env.string(), "--installer", "pip", "--json"},
                         home);
        BOOST_TEST(r.exit_code == 0, r.error_output);
        auto report = parse_report(r);
        BOOST_TEST(str(report.at("decision").at("action")) == "repair");
        BOOST_TEST(str(state_of(env).at("last_run").at("status")) == "ok");
        BOOST_TEST(str(state_of(env).at("packages").at("six")) == "1.16.0");
        return report;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(env_interrupt, InterruptFixture)

BOOST_AUTO_TEST_CASE(sigterm_during_install_records_interrupted) {
    auto run = start(plan_for(stalling, {"numpy==1.26.4", "six==1.16.0"}, "stall.json"), "out");
    wait_for_stall();
    run->signal(SIGTERM);
    int status = run->wait();
    std::string out = read_text(work / "out").value_or("");
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == cli::kInterrupted), out);
    BOOST_TEST(out.find("install: interrupted") != std::string::npos, out);
    check_consistent();
    auto state = state_of(env);
    BOOST_TEST(str(state.at("last_run").at("status")) == "interrupted");
    BOOST_TEST(str(state.at("last_failure").at("stage")) == "install");
    // pip was killed, not left behind (polled: the kernel reaps it a moment later)
    bool pip_gone = false;
    for (int i = 0; i < 50 && !pip_gone; ++i) {
        pip_gone = processes_using_env() == 0;
        if (!pip_gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    BOOST_TEST(pip_gone);
    auto report = next_run_repairs();
    BOOST_TEST(json::serialize(report.at("decision").at("reasons")).find("ended interrupted") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sigkill_during_a_repair_leaves_the_in_progress_mark) {
    // A good environment first, then a plan that adds the package whose download stalls.
    auto first = run_cli({"run", "--plan", plan_for(stalling, {"numpy==1.26.4"}, "one.json").string(), "--env",
                          env.string(), "--installer", "pip"},
                         home);
    BOOST_REQUIRE_MESSAGE(first.exit_code == 0, first.error_output);
    auto run = start(plan_for(stalling, {"numpy==1.26.4", "six==1.16.0"}, "stall.json"), "out");
    wait_for_stall();
    run->signal(SIGKILL);
    run->wait();
    check_consistent();
    auto state = state_of(env);
    BOOST_TEST(str(state.at("last_run").at("status")) == "in-progress");
    BOOST_TEST(str(state.at("packages").at("numpy")) == "1.26.4");  // the previous good record, marked
    bool pip_gone = false;
    for (int i = 0; i < 50 && !pip_gone; ++i) {
        pip_gone = processes_using_env() == 0;
        if (!pip_gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    BOOST_TEST(pip_gone);  // PR_SET_PDEATHSIG took pip down with gpuhost
    auto report = next_run_repairs();
    BOOST_TEST(json::serialize(report.at("decision").at("reasons")).find("did not finish: still marked in-progress") != std::string::npos);
}

// Recreate (issue 13, item 11): killed while the new environment is being built,
// the next run puts the old one back and finds it as it was: reused, not rebuilt.
BOOST_AUTO_TEST_CASE(sigkill_during_a_recreate_loses_nothing) {
    auto first_plan = plan_for(stalling, {"numpy==1.26.4"}, "one.json");
    auto first = run_cli({"run", "--plan", first_plan.string(), "--env", env.string(), "--installer", "pip"}, home);
    BOOST_REQUIRE_MESSAGE(first.exit_code == 0, first.error_output);
    // The same packages plus the stalled one, and a new env_version: a recreate.
    auto plan = make_plan(stalling.url(), {"numpy==1.26.4", "six==1.16.0"});
    plan["profile_env_version"] = 2;
    auto run = start(write_plan(work, plan, "v2.json"), "out");
    wait_for_stall();
    BOOST_TEST(fs::exists(env / ".gpuhost-previous"), "the old environment was not set aside");
    run->signal(SIGKILL);
    run->wait();
    auto again = run_cli({"run", "--plan", first_plan.string(), "--env", env.string(), "--installer", "pip", "--json"}, home);
    BOOST_TEST(again.exit_code == 0, again.error_output);
    BOOST_TEST(again.error_output.find("is back in place") != std::string::npos, again.error_output);
    auto report = parse_report(again);
    BOOST_TEST(str(report.at("decision").at("action")) == "reuse");
    BOOST_TEST(!fs::exists(env / ".gpuhost-previous"));
    BOOST_TEST(str(state_of(env).at("packages").at("numpy")) == "1.26.4");
}

// A recreate whose install fails ends with the old environment in place, working.
BOOST_AUTO_TEST_CASE(a_failed_recreate_puts_the_old_environment_back) {
    auto first_plan = plan_for(good, {"numpy==1.26.4"}, "one.json");
    auto first = run_cli({"run", "--plan", first_plan.string(), "--env", env.string(), "--installer", "pip"}, home);
    BOOST_REQUIRE_MESSAGE(first.exit_code == 0, first.error_output);
    auto plan = make_plan(good.url(), {"numpy==1.26.4", "no-such-project==1.0"});
    plan["profile_env_version"] = 2;
    auto r = run_cli({"run", "--plan", write_plan(work, plan, "v2.json").string(), "--env", env.string(), "--installer",
                      "pip", "--no-resolve"},
                     home);
    BOOST_TEST(r.exit_code == int(cli::kFailed), r.error_output);
    BOOST_TEST(r.error_output.find("the previous environment is back") != std::string::npos, r.error_output);
    BOOST_TEST(!fs::exists(env / ".gpuhost-previous"));
    auto back = run_cli({"run", "--plan", first_plan.string(), "--env", env.string(), "--installer", "pip", "--json"}, home);
    BOOST_TEST(back.exit_code == 0, back.error_output);
    BOOST_TEST(str(parse_report(back).at("decision").at("action")) == "reuse");
}

// Stopped while resolving, before anything was made: exit 130 and no folder at all.
BOOST_AUTO_TEST_CASE(sigterm_while_resolving_leaves_nothing_behind) {
    auto run = start(plan_for(stalling, {"numpy==1.26.4", "six==1.16.0"}, "stall.json"), "out", true);
    wait_for_stall();
    run->signal(SIGTERM);
    int status = run->wait();
    std::string out = read_text(work / "out").value_or("");
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == cli::kInterrupted), out);
    BOOST_TEST(out.find("resolve: interrupted") != std::string::npos, out);
    BOOST_TEST(!fs::exists(env), "an interrupted resolution left " << env);
}

BOOST_AUTO_TEST_SUITE_END()
