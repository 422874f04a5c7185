// `gpuhost run --plan` with real pip and real venvs against a loopback index:
// create, reuse (no process at all), repair, the four recreate causes,
// --accept-existing, --wheelhouse, a CPU torch on a GPU plan, no fitting Python,
// a package damaged in place.
#include "cli/cli_support.hpp"
#include "env/env_fixture.hpp"

using namespace gpuhost;
using namespace gpuhost::test;

namespace {

struct PipFixture {
    WheelServer server{{"numpy==1.26.4", "six==1.16.0", "torch==2.7.0+cpu"}};
    TempDir home, work;
    fs::path env = work / "env";

    ProcessResult run(const json::object &plan, std::vector<std::string> extra = {},
                      std::map<std::string, std::string> vars = {}) {
        fs::path p = write_plan(work, plan);
        std::vector<std::string> args = {"run", "--plan", p.string(), "--env", env.string(), "--installer", "pip", "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_cli(args, home, vars);
    }
    json::object base() { return make_plan(server.url(), {"numpy==1.26.4", "six==1.16.0"}); }
    json::object created() {
        auto r = run(base());
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, "create failed: " + r.error_output);
        return parse_report(r);
    }
};

std::string action(const json::object &report) { return str(report.at("decision").at("action")); }
std::string reasons(const json::object &report) { return json::serialize(report.at("decision").at("reasons")); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(env_pip, PipFixture)

BOOST_AUTO_TEST_CASE(create_then_reuse_starts_no_process) {
    auto first = created();
    BOOST_TEST(action(first) == "create");
    BOOST_TEST(str(first.at("outcome")) == "created");
    auto state = state_of(env);
    BOOST_TEST(str(state.at("packages").at("numpy")) == "1.26.4");
    BOOST_TEST(str(state.at("packages").at("six")) == "1.16.0");
    BOOST_TEST(str(state.at("installer")) == "pip");
    BOOST_TEST(str(state.at("last_run").at("status")) == "ok");
    // The plan's device is this CPU: the real kernel check runs and passes.
    BOOST_TEST(str(state.at("verification").at("status")) == "passed");
    BOOST_TEST(str(state.at("verification").at("kernel").at("status")) == "passed");
    BOOST_TEST(fs::exists(env / "lib"));
    size_t logs = count_logs(env);
    BOOST_TEST(logs >= 2u);  // create + install

    auto second = run(base());
    BOOST_TEST(second.exit_code == 0);
    auto report = parse_report(second);
    BOOST_TEST(action(report) == "reuse");
    BOOST_TEST(str(report.at("outcome")) == "reused");
    BOOST_TEST(work_processes(report).empty(), "reuse started: " << json::serialize(work_processes(report)));
    BOOST_TEST(count_logs(env) == logs);
    BOOST_TEST(second.error_output.find("reuse - all 2 packages in place") != std::string::npos, second.error_output);

    // A new smoke test is run once (no installer), then reuse is silent again.
    auto plan = base();
    plan["smoke_test"] = "import six; print('six', six.__version__)";
    auto third = parse_report(run(plan));
    BOOST_TEST(action(third) == "reuse");
    BOOST_TEST(reasons(third).find("smoke test changed") != std::string::npos, reasons(third));
    BOOST_REQUIRE(work_processes(third).size() == 1u);
    BOOST_TEST(str(work_processes(third)[0]).find(" -c import six") != std::string::npos);
    BOOST_TEST(str(state_of(env).at("verification").at("smoke_test").at("output")) == "six 1.16.0\n");
    BOOST_TEST(parse_report(run(plan)).at("processes").as_array().empty());
}

BOOST_AUTO_TEST_CASE(repair_installs_only_the_missing_package) {
    created();
    auto un = run_process((env / "bin" / "python").string(), {"-m", "pip", "uninstall", "-y", "six"});
    BOOST_REQUIRE(un.ok());
    auto r = run(base());
    BOOST_TEST(r.exit_code == 0, r.error_output);
    auto report = parse_report(r);
    BOOST_TEST(action(report) == "repair");
    BOOST_TEST(reasons(report).find("six: not installed") != std::string::npos);
    const auto procs = work_processes(report);
    BOOST_REQUIRE(procs.size() == 2u);  // pip install, smoke test
    std::string install = str(procs[0]);
    BOOST_TEST(install.find("-m pip install") != std::string::npos);
    BOOST_TEST(install.find("six==1.16.0") != std::string::npos);
    BOOST_TEST(install.find("numpy") == std::string::npos, install);
    BOOST_TEST(str(state_of(env).at("packages").at("six")) == "1.16.0");
    // and it is up to date again
    BOOST_TEST(action(parse_report(run(base()))) == "reuse");
}

// Issue 13 item 12: a package damaged in place keeps its dist-info, so its
// version still reads right; its RECORD's sizes show the damage, and the run
// reinstalls it without --reverify instead of reusing a broken environment.
BOOST_AUTO_TEST_CASE(a_package_damaged_in_place_is_reinstalled_without_reverify) {
    created();
    fs::path init = env / "lib" / ("python" + python3_minor()) / "site-packages/six/__init__.py";
    BOOST_REQUIRE(fs::exists(init));
    auto size = fs::file_size(init);
    write_file_atomic(init, "");
    auto r = run(base());
    BOOST_TEST(r.exit_code == 0, r.error_output);
    auto report = parse_report(r);
    BOOST_TEST(action(report) == "repair");
    BOOST_TEST(reasons(report).find("six 1.16.0 is damaged (six/__init__.py: 0 bytes, RECORD says " + std::to_string(size) + ")") !=
                   std::string::npos,
               reasons(report));
    const auto procs = work_processes(report);
    BOOST_REQUIRE(procs.size() == 2u);  // pip install --force-reinstall six, smoke test
    std::string install = str(procs[0]);
    BOOST_TEST(install.find("--force-reinstall") != std::string::npos, install);
    BOOST_TEST(install.find("six==1.16.0") != std::string::npos, install);
    BOOST_TEST(install.find("numpy") == std::string::npos, install);
    BOOST_TEST(fs::file_size(init) == size);
    BOOST_TEST(action(parse_report(run(base()))) == "reuse");
}

// Direct references (issue 13): refused unless the user passes
// --allow-direct-references; then installed from that URL, shown before the
// installer starts, and judged on reuse by the installed copy's direct_url.json.
BOOST_AUTO_TEST_CASE(direct_references_only_with_the_flag_shown_and_reused) {
    std::string url = "file://" + (server.wheels() / "six-1.16.0-py3-none-any.whl").string();
    auto plan = make_plan(server.url(), {"numpy==1.26.4", "six @ " + url});
    auto refused = run(plan);
    BOOST_TEST(refused.exit_code == int(cli::kBadInput), refused.error_output);
    BOOST_TEST(refused.error_output.find("is a direct reference (name @ URL); gpuhost installs only from indexes unless "
                                         "you pass --allow-direct-references") != std::string::npos,
               refused.error_output);
    BOOST_TEST(!fs::exists(env));

    auto r = run(plan, {"--allow-direct-references"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    BOOST_TEST(r.error_output.find("direct reference (allowed by --allow-direct-references): six @ " + url) !=
                   std::string::npos,
               r.error_output);
    BOOST_TEST(str(state_of(env).at("packages").at("six")) == "1.16.0");
    auto again = parse_report(run(plan, {"--allow-direct-references"}));
    BOOST_TEST(action(again) == "reuse", reasons(again));

    // Another URL for the same package is not the installed copy.
    auto moved = plan;
    moved["packages"] = json::array{"numpy==1.26.4", "six @ file:///nowhere/six-1.16.0-py3-none-any.whl"};
    auto elsewhere = parse_report(run(moved, {"--allow-direct-references", "--no-resolve"}));
    BOOST_TEST(reasons(elsewhere).find("six: 1.16.0 was installed from " + url) != std::string::npos, reasons(elsewhere));

    // Only http(s) and file URLs, even with the flag.
    auto ftp = plan;
    ftp["packages"] = json::array{"six @ ftp://example.org/six-1.16.0-py3-none-any.whl"};
    auto bad = run(ftp, {"--allow-direct-references"});
    BOOST_TEST(bad.exit_code == int(cli::kBadInput), bad.error_output);
    BOOST_TEST(bad.error_output.find("no https://, http:// or file:/// URL") != std::string::npos, bad.error_output);
}

BOOST_AUTO_TEST_CASE(a_wrong_version_is_repaired) {
    created();
    auto plan = base();
    plan["packages"] = json::array{"numpy==1.26.4", "six>=1.17"};
    // The index has only six 1.16.0: resolving first says so, and nothing in the environment changes.
    auto resolved = run(plan);
    BOOST_TEST(resolved.exit_code == int(cli::kBadInput), resolved.error_output);
    BOOST_TEST(action(parse_report(resolved)) == "repair");
    BOOST_TEST(str(parse_report(resolved).at("resolution").at("package")) == "six>=1.17");
    BOOST_TEST(str(state_of(env).at("last_run").at("status")) == "ok");
    // Without resolving, the repair is attempted and fails with pip's own words.
    auto r = run(plan, {"--no-resolve"});
    auto report = parse_report(r);
    BOOST_TEST(action(report) == "repair");
    BOOST_TEST(reasons(report).find("1.16.0 does not satisfy") != std::string::npos, reasons(report));
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(str(state_of(env).at("last_run").at("status")) == "failed");
}

BOOST_AUTO_TEST_CASE(recreate_when_the_backend_changes) {
    created();
    auto plan = base();
    plan["backend"] = "vulkan";
    plan["device"] = "vulkan:0";
    // A plan for a device this hermetic machine lacks (only the cpu plugin runs): no kernel check.
    auto report = parse_report(run(plan, {"--no-kernel-check"}));
    BOOST_TEST(action(report) == "recreate");
    BOOST_TEST(reasons(report).find("backend changed: cpu -> vulkan") != std::string::npos);
    BOOST_TEST(str(report.at("outcome")) == "recreated");
    BOOST_TEST(str(state_of(env).at("backend")) == "vulkan");
    BOOST_TEST(fs::exists(env / "gpuhost-logs"));  // history kept across the recreate
}

BOOST_AUTO_TEST_CASE(recreate_when_the_env_version_goes_up) {
    created();
    auto plan = base();
    plan["profile_env_version"] = 2;
    auto report = parse_report(run(plan));
    BOOST_TEST(action(report) == "recreate");
    BOOST_TEST(reasons(report).find("profile env version went up: 1 -> 2") != std::string::npos);
    BOOST_TEST(state_of(env).at("profile_env_version").as_int64() == 2);
}

BOOST_AUTO_TEST_CASE(recreate_when_python_is_deleted) {
    created();
    for (const auto &e : fs::directory_iterator(env / "bin"))
        if (e.path().filename().string().rfind("python", 0) == 0) fs::remove(e.path());
    auto r = run(base());
    BOOST_TEST(r.exit_code == 0, r.error_output);
    auto report = parse_report(r);
    BOOST_TEST(action(report) == "recreate");
    BOOST_TEST(reasons(report).find("bin/python is missing") != std::string::npos, reasons(report));
    BOOST_TEST(fs::exists(env / "bin" / "python"));
}

BOOST_AUTO_TEST_CASE(recreate_when_the_state_file_is_corrupt) {
    created();
    std::ofstream(env / "environment_state.json") << "{\"schema\": 1, \"profile\": ";
    auto r = run(base());
    BOOST_TEST(r.exit_code == 0, r.error_output);
    auto report = parse_report(r);
    BOOST_TEST(action(report) == "recreate");
    BOOST_TEST(reasons(report).find("state file is corrupt") != std::string::npos, reasons(report));
    BOOST_TEST(str(state_of(env).at("last_run").at("status")) == "ok");
}

BOOST_AUTO_TEST_CASE(accept_existing_checks_and_fixes_nothing) {
    created();
    BOOST_REQUIRE(run_process((env / "bin" / "python").string(), {"-m", "pip", "uninstall", "-y", "six"}).ok());
    for (auto how : {std::string("flag"), std::string("variable")}) {
        auto r = how == "flag" ? run(base(), {"--accept-existing"}) : run(base(), {}, {{"GPUHOST_ACCEPT_EXISTING", "1"}});
        BOOST_TEST(r.exit_code == 0);
        BOOST_TEST(r.error_output.find("WARNING: --accept-existing") != std::string::npos, r.error_output);
        auto report = parse_report(r);
        BOOST_TEST(str(report.at("outcome")) == "accepted");
        BOOST_TEST(work_processes(report).empty());
    }
    BOOST_TEST(!fs::exists(env / "lib" / ("python" + python3_minor()) / "site-packages" / "six.py"));
    BOOST_TEST(!state_of(env).at("packages").as_object().empty());
}

BOOST_AUTO_TEST_CASE(wheelhouse_installs_offline) {
    auto plan = base();
    plan["index_url"] = "http://127.0.0.1:9/simple/";  // nothing listens: any index access fails
    auto r = run(plan, {"--wheelhouse", server.wheels().string(), "--no-verify"});
    BOOST_TEST(r.exit_code == 0, r.error_output);
    auto report = parse_report(r);
    BOOST_REQUIRE(work_processes(report).size() == 2u);  // venv, install: no smoke test
    std::string install = str(work_processes(report)[1]);
    BOOST_TEST(install.find("--no-index --find-links " + server.wheels().string()) != std::string::npos, install);
    BOOST_TEST(install.find("127.0.0.1:9") == std::string::npos);
    BOOST_TEST(str(state_of(env).at("packages").at("numpy")) == "1.26.4");
    BOOST_TEST(str(state_of(env).at("verification").at("status")) == "skipped");
    // Unverified is not up to date: the next run verifies (and only verifies).
    auto next = parse_report(run(plan));
    BOOST_TEST(action(next) == "reuse");
    BOOST_TEST(reasons(next).find("the last verification was skipped") != std::string::npos, reasons(next));
    BOOST_REQUIRE(work_processes(next).size() == 1u);
    BOOST_TEST(str(work_processes(next)[0]).find(" -c ") != std::string::npos);
    BOOST_TEST(str(state_of(env).at("verification").at("status")) == "passed");
}

BOOST_AUTO_TEST_CASE(a_cpu_torch_on_a_gpu_plan_is_a_failure) {
    auto plan = make_plan(server.url(), {"torch==2.7.0"}, "cuda", "cu128");
    plan["smoke_test"] = "import torch; print(torch.__version__)";  // lenient on purpose: the build check decides
    // A plan for a GPU this machine lacks: the build check, not the kernel check, is under test.
    auto r = run(plan, {"--no-kernel-check"});
    BOOST_TEST(r.exit_code == 1);
    BOOST_TEST(r.error_output.find("torch 2.7.0+cpu is the CPU build on a cu128 plan") != std::string::npos,
               r.error_output);
    auto state = state_of(env);
    BOOST_TEST(str(state.at("verification").at("status")) == "failed");
    BOOST_TEST(str(state.at("last_failure").at("stage")) == "verify");
    // The next run does not reuse a failed environment.
    auto again = parse_report(run(plan, {"--no-kernel-check"}));
    BOOST_TEST(action(again) == "repair");
}

BOOST_AUTO_TEST_CASE(a_wrong_torch_build_is_reinstalled_and_the_rest_kept) {
    auto plan = make_plan(server.url(), {"torch==2.7.0", "six==1.16.0"}, "cuda", "cu128");
    BOOST_TEST(run(plan, {"--no-kernel-check"}).exit_code == 1);  // the index has only the +cpu build
    WheelServer gpu_index{{"torch==2.7.0+cu128"}};
    plan["index_url"] = gpu_index.url();
    auto r = run(plan, {"--no-kernel-check"});
    BOOST_TEST(r.exit_code == 0, r.error_output);
    auto report = parse_report(r);
    BOOST_TEST(action(report) == "repair");
    BOOST_TEST(json::serialize(report.at("decision").at("reinstall")) == "[\"torch==2.7.0\"]");
    std::string install = str(work_processes(report)[0]);
    BOOST_TEST(install.find("--force-reinstall --no-deps -- torch==2.7.0") != std::string::npos, install);
    BOOST_TEST(install.find("six") == std::string::npos, install);
    BOOST_TEST(str(state_of(env).at("packages").at("torch")) == "2.7.0+cu128");
    BOOST_TEST(str(state_of(env).at("verification").at("torch_build")) == "ok");
}

BOOST_AUTO_TEST_CASE(settings_file_gives_the_envs_dir_and_accept_existing) {
    fs::path envs = work / "envs";
    home.write("config/gpuhost/gpuhost.json", "{\"envs_dir\": \"" + envs.string() + "\"}");
    fs::path p = write_plan(work, base());
    auto r = run_cli({"run", "--plan", p.string(), "--installer", "pip"}, home);
    BOOST_TEST(r.exit_code == 0, r.error_output);
    BOOST_TEST(fs::exists(envs / "test" / "environment_state.json"));
    home.write("config/gpuhost/gpuhost.json",
               "{\"envs_dir\": \"" + envs.string() + "\", \"accept_existing\": true}");
    r = run_cli({"run", "--plan", p.string(), "--json"}, home);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(str(parse_report(r).at("outcome")) == "accepted");
    home.write("config/gpuhost/gpuhost.json", "{\"envs_dri\": \"x\"}");
    r = run_cli({"run", "--plan", p.string()}, home);
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.error_output.find("gpuhost.json: unknown key \"envs_dri\"") != std::string::npos, r.error_output);
}

BOOST_AUTO_TEST_CASE(no_python_in_range_names_the_versions) {
    auto plan = base();
    plan["python"] = json::object{{"min", "3.99"}, {"max", "3.99"}};
    auto r = run(plan);
    BOOST_TEST(r.exit_code == 1);  // a missing tool: the job failed, no file is broken
    BOOST_TEST(r.error_output.find("no interpreter in 3.99..3.99; found: ") != std::string::npos, r.error_output);
    BOOST_TEST(r.error_output.find(python3_minor() + ".") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_folder_that_is_not_an_environment_is_left_alone) {
    work.write("env/notes.txt", "mine");
    auto r = run(base());
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.error_output.find("holds files gpuhost did not make (notes.txt)") != std::string::npos, r.error_output);
    BOOST_TEST(read_text(env / "notes.txt").value_or("") == "mine");
    BOOST_TEST(!fs::exists(env / "bin"));
}

BOOST_AUTO_TEST_CASE(a_broken_plan_is_bad_input) {
    work.write("bad.json", "{\"profile\": \"x\"}");
    auto r = run_cli({"run", "--plan", (work / "bad.json").string(), "--env", env.string()}, home);
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.error_output.find("bad.json") != std::string::npos);
    BOOST_TEST(r.error_output.find("missing \"device\"") != std::string::npos, r.error_output);
}

BOOST_AUTO_TEST_SUITE_END()
