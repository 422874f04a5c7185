// `gpuhost run PROFILE` end to end, as a user runs it: a project's own profile
// planned by the Lua planner on this machine, a venv built offline from a
// wheelhouse, the CPU plugin's kernel check on cpu:0, the profile's smoke test,
// and failures matched against the shipped recovery rules (scripts/rules) with
// real error texts from tests/data/errors, fixed with --auto-fix and retried.
//
// Hermetic: fresh XDG folders, pip's user settings masked, installs only from a
// local wheelhouse of tiny wheels (tests/env/wheel_index.py). The "numpy" there is
// such a stand-in, so the smoke tests compute in pure Python and check the
// installed package they import.
#include "env/env_fixture.hpp"

#include <set>

using namespace gpuhost;
using namespace gpuhost::test;

namespace {

const std::string kNvidiaInventory = std::string(GPUHOST_FIXTURES) + "/inventories/nvidia-multi-gpu-server.json";

std::string error_text(const std::string &name) { return std::string(GPUHOST_SOURCE_DIR) + "/tests/data/errors/" + name + ".txt"; }

// Cosine nearest neighbour over seeded random vectors, checked; and the installed
// package's version. BACKEND is set by the profile's smoke_test(plan).
const char *kSmokeBody = R"PY(
import math, random, tinycalc
assert tinycalc.__version__ == "0.3.1", "tinycalc " + tinycalc.__version__
rng = random.Random(7)
vecs = [[rng.gauss(0, 1) for _ in range(32)] for _ in range(300)]
query = [x + 0.01 * rng.gauss(0, 1) for x in vecs[141]]
def cosine(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
best = max(range(len(vecs)), key=lambda i: cosine(query, vecs[i]))
assert best == 141, "nearest neighbour %d, expected 141" % best
print("e2e smoke ok on", BACKEND, "nearest", best)
)PY";

// A project-local profile: framework numpy plus one package from the wheelhouse.
// gate_backend/gate: Python run before the body when the plan's backend is that
// one ("any" for every backend), to fail the way a real broken setup does.
std::string profile_lua(const std::string &name, const std::string &gate_backend = "", const std::string &gate = "") {
    std::string py = python3_minor();
    return "local BODY = [==[" + std::string(kSmokeBody) + "]==]\n" +
           "local GATE = [==[\n" + gate + "\n]==]\n" +
           "return {\n"
           "  name = '" + name + "',\n"
           "  framework = 'numpy',\n"
           "  packages = { 'tinycalc==0.3.1' },\n"
           "  python = { min = '" + py + "', max = '" + py + "' },\n"
           "  env_version = 1,\n"
           "  smoke_test = function(plan)\n"
           "    local gated = '" + gate_backend + "' == 'any' or plan.backend == '" + gate_backend + "'\n"
           "    return 'import os, sys\\nBACKEND = ' .. string.format('%q', plan.backend) .. '\\n' ..\n"
           "      (gated and GATE or '') .. BODY\n"
           "  end,\n"
           "}\n";
}

// Prints the recorded error text to stderr and fails, as the real program did.
std::string fail_with(const std::string &error_name) {
    return "sys.stderr.write(open(" + json::serialize(json::value(error_text(error_name))) + ").read())\nsys.exit(1)";
}

std::string indented(const std::string &code) {
    std::string out = "    ";
    for (char c : code) out += c == '\n' ? std::string("\n    ") : std::string(1, c);
    return out;
}

struct RunFixture {
    TempDir home, work, wheels;
    RunFixture() {
        auto r = run_process("python3", {wheel_index_script(), "build", wheels.path().string(), "numpy==1.26.4",
                                         "tinycalc==0.3.1"});
        BOOST_REQUIRE_MESSAGE(r.ok(), "building test wheels failed: " + r.output + r.error_output);
    }
    std::string wheelhouse() const { return (wheels / "wheels").string(); }

    fs::path write_profile(const std::string &name, const std::string &gate_backend = "", const std::string &gate = "") {
        work.write("project/" + name + ".lua", profile_lua(name, gate_backend, gate));
        return work / ("project/" + name + ".lua");
    }

    // gpuhost with every user setting, cache, CUDA_HOME and device of this machine masked.
    ProcessResult gpuhost(std::vector<std::string> args) const {
        ProcessOptions options;
        options.timeout = std::chrono::seconds(300);
        gpuhost_environment(home, args,
                            {{"XDG_CACHE_HOME", (home / "cache").string()}, {"XDG_STATE_HOME", (home / "state").string()}})
            .apply_to(options);
        options.working_dir = work.path();
        return run_process(GPUHOST_BINARY, args, options);
    }
    ProcessResult run(const fs::path &profile, std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"run", profile.string(), "--wheelhouse", wheelhouse(), "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return gpuhost(args);
    }
    ProcessResult run_plan(const fs::path &plan, std::vector<std::string> extra = {}) const {
        std::vector<std::string> args = {"run", "--plan", plan.string(), "--wheelhouse", wheelhouse(), "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return gpuhost(args);
    }
    // `gpuhost plan` for the recorded 8-GPU server, written as a file `run --plan` takes.
    fs::path plan_for_nvidia_server(const fs::path &profile) const {
        fs::path out = work / (profile.stem().string() + "-cuda.json");
        auto r = gpuhost({"plan", profile.string(), "--inventory", kNvidiaInventory, "--json", "-o", out.string()});
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
        return out;
    }
};

std::string stage_status(const json::object &report, const std::string &name) {
    std::string status = "(absent)";
    for (const auto &s : report.at("stages").as_array())
        if (s.at("stage").as_string() == name) status = std::string(s.at("status").as_string());  // the last one
    return status;
}

std::string describe(const ProcessResult &r) { return "exit " + std::to_string(r.exit_code) + "\nstderr:\n" + r.error_output; }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(run_profile, RunFixture)

BOOST_AUTO_TEST_CASE(a_project_profile_is_planned_built_checked_on_cpu0_and_then_reused) {
    fs::path profile = write_profile("e2e_calc");
    auto r = run(profile);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, describe(r));
    auto report = parse_report(r);
    BOOST_TEST(report.at("outcome").as_string() == "created");
    auto plan = report.at("plan").as_object();
    BOOST_TEST(plan.at("profile").as_string() == "e2e_calc");
    BOOST_TEST(plan.at("profile_path").as_string() == profile.string());
    BOOST_TEST(plan.at("framework").as_string() == "numpy");
    BOOST_TEST(stage_status(report, "kernel") == "passed");
    BOOST_TEST(stage_status(report, "smoke-test") == "passed");

    fs::path env(str(report.at("env")));
    BOOST_TEST(env == home / "data/gpuhost/envs/e2e_calc");  // one environment per profile under XDG_DATA_HOME
    auto state = state_of(env);
    BOOST_TEST(str(state.at("backend")) == "cpu");
    BOOST_TEST(str(state.at("accelerator")) == "cpu");
    BOOST_TEST(str(state.at("device").at("id")) == "cpu:0");
    BOOST_TEST(str(state.at("packages").at("tinycalc")) == "0.3.1");
    BOOST_TEST(str(state.at("last_run").at("status")) == "ok");
    auto verification = state.at("verification").as_object();
    BOOST_TEST(str(verification.at("status")) == "passed");
    BOOST_TEST(str(verification.at("smoke_test").at("output")).find("e2e smoke ok on cpu nearest 141") != std::string::npos);
    // The kernel check ran for real: each kernel through a plugin, within tolerance.
    auto kernels = verification.at("kernel").at("details").at("kernels").as_array();
    BOOST_REQUIRE(kernels.size() == 3u);
    std::set<std::string> names;
    for (const auto &k : kernels) {
        names.insert(str(k.at("kernel")));
        BOOST_TEST(str(k.at("plugin")) == "cpu", json::serialize(k));
        BOOST_TEST(k.at("ran").as_bool());
        BOOST_TEST(k.at("passed").as_bool());
        BOOST_TEST(k.at("max_error").as_double() <= k.at("tolerance").as_double());
    }
    BOOST_TEST((names == std::set<std::string>{"saxpy", "sgemm", "cosine_topk"}));
    BOOST_TEST(!report.at("processes").as_array().empty());

    // Nothing changed: reused without starting a single process.
    auto again = run(profile);
    BOOST_REQUIRE_MESSAGE(again.exit_code == 0, describe(again));
    auto second = parse_report(again);
    BOOST_TEST(second.at("outcome").as_string() == "reused");
    BOOST_TEST(second.at("processes").as_array().empty(), json::serialize(second.at("processes")));
    BOOST_TEST(second.at("env").as_string() == env.string());
}

BOOST_AUTO_TEST_CASE(accelerator_forces_a_build_or_names_the_ones_offered) {
    fs::path profile = write_profile("e2e_calc");
    // The 8-GPU server's best plan is a CUDA build; --accelerator cpu plans the CPU one.
    auto best = gpuhost({"plan", profile.string(), "--inventory", kNvidiaInventory, "--json"});
    BOOST_REQUIRE_MESSAGE(best.exit_code == 0, describe(best));
    auto gpu = json::parse(best.output).as_object();
    BOOST_TEST(gpu.at("backend").as_string() == "cuda");
    BOOST_TEST(gpu.at("device").as_string() == "cuda:0");
    auto forced = gpuhost({"plan", profile.string(), "--inventory", kNvidiaInventory, "--accelerator", "cpu", "--json"});
    BOOST_REQUIRE_MESSAGE(forced.exit_code == 0, describe(forced));
    auto cpu = json::parse(forced.output).as_object();
    BOOST_TEST(cpu.at("backend").as_string() == "cpu");
    BOOST_TEST(cpu.at("accelerator").as_string() == "cpu");
    BOOST_TEST(cpu.at("device").as_string() == "cpu:0");
    BOOST_TEST(str(cpu.at("smoke_test")).find("BACKEND = \"cpu\"") != std::string::npos);

    // A build the tables do not have: exit 4 (no device), naming what they offer.
    auto none = gpuhost({"plan", profile.string(), "--inventory", kNvidiaInventory, "--accelerator", "cu999"});
    BOOST_TEST(none.exit_code == 4, describe(none));
    BOOST_TEST(none.output.empty(), none.output);
    BOOST_TEST(none.error_output.find("accelerator cu999 is not available for cuda:0") != std::string::npos, none.error_output);
    // Best first, ending with the CPU build.
    std::string offered = "the tables offer: " + str(gpu.at("accelerator")) + ", ";
    BOOST_TEST(none.error_output.find(offered) != std::string::npos, none.error_output);
    BOOST_TEST(none.error_output.find(", cpu\n") != std::string::npos, none.error_output);

    // The same for run, on this CPU machine: nothing is created.
    auto run_none = run(profile, {"--accelerator", "cu999"});
    BOOST_TEST(run_none.exit_code == 4, describe(run_none));
    // With --json a failure is still one document on stdout: the error, with the exit code.
    BOOST_TEST(json::parse(run_none.output).at("error").at("exit_code").as_int64() == 4, run_none.output);
    BOOST_TEST(run_none.error_output.find("accelerator cu999 is not available for cpu:0") != std::string::npos,
               run_none.error_output);
    BOOST_TEST(run_none.error_output.find("the tables offer: cpu") != std::string::npos, run_none.error_output);
    BOOST_TEST(!fs::exists(home / "data/gpuhost/envs"));
    // And run --accelerator cpu is the CPU build it plans anyway.
    auto run_cpu = run(profile, {"--accelerator", "cpu"});
    BOOST_REQUIRE_MESSAGE(run_cpu.exit_code == 0, describe(run_cpu));
    BOOST_TEST(parse_report(run_cpu).at("plan").at("accelerator").as_string() == "cpu");
}

// cuda_home_not_set (scripts/rules/nvidia.lua): fix set_env CUDA_HOME=/usr/local/cuda.
// The plan is the recorded server's CUDA plan, run here with --no-kernel-check (no
// GPU), so the rule's `when = {backend = "cuda"}` holds and the smoke test decides.
BOOST_AUTO_TEST_CASE(auto_fix_sets_the_variable_a_rule_names_and_the_retry_passes) {
    fs::path profile = write_profile("e2e_cuda_home", "any",
                                     "if os.environ.get('CUDA_HOME') != '/usr/local/cuda':\n" +
                                         indented(fail_with("cuda_home_not_set--1")));
    fs::path plan = plan_for_nvidia_server(profile);

    auto failed = run_plan(plan, {"--no-kernel-check"});
    BOOST_TEST(failed.exit_code == 1, describe(failed));
    auto report = parse_report(failed);
    BOOST_TEST(stage_status(report, "kernel") == "skipped");
    BOOST_TEST(stage_status(report, "smoke-test") == "failed");
    auto d = report.at("diagnosis").as_object();
    BOOST_TEST(d.at("matched").as_bool());
    BOOST_TEST(d.at("rule").as_string() == "cuda_home_not_set");
    BOOST_TEST(!d.at("fix_applied").as_bool());
    BOOST_TEST(d.at("fix_note").as_string() == "available with --auto-fix");
    BOOST_TEST(failed.error_output.find("CUDA_HOME environment variable is not set") != std::string::npos);
    fs::path env(str(report.at("env")));
    auto state = state_of(env);
    BOOST_TEST(str(state.at("last_run").at("status")) == "failed");
    BOOST_TEST(str(state.at("last_failure").at("stage")) == "verify");
    BOOST_TEST(str(state.at("last_failure").at("diagnosis").at("rule")) == "cuda_home_not_set");

    auto fixed = run_plan(plan, {"--no-kernel-check", "--auto-fix"});
    BOOST_REQUIRE_MESSAGE(fixed.exit_code == 0, describe(fixed));
    report = parse_report(fixed);
    d = report.at("diagnosis").as_object();
    BOOST_TEST(d.at("rule").as_string() == "cuda_home_not_set");
    BOOST_TEST(d.at("fix_applied").as_bool());
    BOOST_TEST(d.at("fix_note").as_string() == "set CUDA_HOME=/usr/local/cuda");
    BOOST_TEST(stage_status(report, "smoke-test") == "passed");  // the retry's
    BOOST_TEST(fixed.error_output.find("retrying once after the fix") != std::string::npos, fixed.error_output);
    state = state_of(env);
    BOOST_TEST(str(state.at("last_run").at("status")) == "ok");
    BOOST_TEST(state.at("last_failure").is_null());
    BOOST_TEST(str(state.at("verification").at("status")) == "smoke-test-only");
    BOOST_TEST(str(state.at("verification").at("smoke_test").at("output")).find("e2e smoke ok on cuda") != std::string::npos);

    // The fix sticks: recorded in the state, kept by a later run without
    // --auto-fix, and exported by the environment's activation script.
    BOOST_TEST(str(state.at("fix_env").at("CUDA_HOME")) == "/usr/local/cuda");
    auto later = run_plan(plan, {"--no-kernel-check", "--reverify"});
    BOOST_TEST(later.exit_code == 0, describe(later));
    BOOST_TEST(later.error_output.find("keeping CUDA_HOME=/usr/local/cuda (set by an earlier fix)") != std::string::npos,
               later.error_output);
    auto activate = read_text(env / "bin" / "activate").value_or("");
    BOOST_TEST(activate.find("export CUDA_HOME='/usr/local/cuda'") != std::string::npos);
    auto shell = run_process("bash", {"-c", "source \"$1/bin/activate\" && printf %s \"$CUDA_HOME\"", "bash", env.string()});
    BOOST_TEST(shell.output == "/usr/local/cuda", shell.output + shell.error_output);
}

// gpu_too_old (scripts/rules/nvidia.lua): fix switch_cpu. The CUDA plan fails twice
// here (the GPU is not in this machine, and the smoke test prints the real error);
// --auto-fix re-plans the profile with the CPU build, reinstalls, and the retry's
// kernel check runs on cpu:0.
BOOST_AUTO_TEST_CASE(auto_fix_switches_to_the_cpu_build_and_the_retry_checks_cpu0) {
    fs::path profile = write_profile("e2e_old_gpu", "cuda", fail_with("gpu_too_old--1"));
    fs::path plan = plan_for_nvidia_server(profile);

    auto failed = run_plan(plan);
    BOOST_TEST(failed.exit_code == 4, describe(failed));
    auto report = parse_report(failed);
    BOOST_TEST(stage_status(report, "kernel") == "no-device");
    BOOST_TEST(report.at("diagnosis").at("rule").as_string() == "gpu_too_old");
    BOOST_TEST(report.at("diagnosis").at("fix_note").as_string() == "available with --auto-fix");
    // The rule's id once, then its diagnosis.
    BOOST_TEST(failed.error_output.find("diagnosis: [gpu_too_old] The GPU's CUDA compute capability") != std::string::npos,
               failed.error_output);
    fs::path env(str(report.at("env")));
    BOOST_TEST(str(state_of(env).at("last_run").at("status")) == "failed");

    auto fixed = run_plan(plan, {"--auto-fix"});
    BOOST_REQUIRE_MESSAGE(fixed.exit_code == 0, describe(fixed));
    report = parse_report(fixed);
    auto d = report.at("diagnosis").as_object();
    BOOST_TEST(d.at("rule").as_string() == "gpu_too_old");
    BOOST_TEST(d.at("fix_applied").as_bool());
    BOOST_TEST(d.at("fix_note").as_string() == "re-planned with the cpu build; reinstall");
    // The report shows the plan the environment was built with: the revised one.
    BOOST_TEST(report.at("plan").at("accelerator").as_string() == "cpu");
    BOOST_TEST(report.at("plan").at("device").as_string() == "cpu:0");
    BOOST_TEST(str(report.at("plan").at("smoke_test")).find("BACKEND = \"cpu\"") != std::string::npos);
    BOOST_TEST(stage_status(report, "kernel") == "passed");
    BOOST_TEST(stage_status(report, "smoke-test") == "passed");
    auto state = state_of(env);
    BOOST_TEST(str(state.at("backend")) == "cpu");
    BOOST_TEST(str(state.at("accelerator")) == "cpu");
    BOOST_TEST(str(state.at("device").at("id")) == "cpu:0");
    BOOST_TEST(str(state.at("last_run").at("status")) == "ok");
    BOOST_TEST(str(state.at("verification").at("status")) == "passed");
    BOOST_TEST(str(state.at("verification").at("smoke_test").at("output")).find("e2e smoke ok on cpu") != std::string::npos);
}

// extension_abi_mismatch (scripts/rules/python_env.lua): fix purge_pip_cache, which
// reinstalls. An installed package is broken so that importing it prints the real
// error, with its RECORD agreeing (as when a bad cached wheel was installed: the
// files are what the installer wrote, so the reuse check cannot see it and only
// verification can); the fix must install it again for the retry to pass.
BOOST_AUTO_TEST_CASE(auto_fix_purges_the_cache_and_reinstalls_a_broken_package) {
    fs::path profile = write_profile("e2e_abi");
    auto r = run(profile);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, describe(r));
    fs::path env(str(parse_report(r).at("env")));
    fs::path init = env / "lib" / ("python" + python3_minor()) / "site-packages/tinycalc/__init__.py";
    BOOST_REQUIRE(fs::exists(init));
    const std::string broken = "import sys\n" + fail_with("extension_abi_mismatch--1") + "\n";
    write_file_atomic(init, broken);
    fs::path record = init.parent_path().parent_path() / "tinycalc-0.3.1.dist-info/RECORD";
    auto rows = read_text(record);
    BOOST_REQUIRE(rows);
    auto at = rows->find("tinycalc/__init__.py,");
    BOOST_REQUIRE(at != std::string::npos);
    auto end = rows->find('\n', at), size_at = rows->rfind(',', end) + 1;  // path,hash,size
    rows->replace(size_at, end - size_at, std::to_string(broken.size()));
    write_file_atomic(record, *rows);

    auto fixed = run(profile, {"--reverify", "--auto-fix"});
    BOOST_REQUIRE_MESSAGE(fixed.exit_code == 0, describe(fixed));
    auto report = parse_report(fixed);
    auto d = report.at("diagnosis").as_object();
    BOOST_TEST(d.at("rule").as_string() == "extension_abi_mismatch");
    BOOST_TEST(d.at("fix_applied").as_bool());
    BOOST_TEST(str(d.at("fix_note")).find("purged the pip cache") == 0u, str(d.at("fix_note")));
    BOOST_TEST(stage_status(report, "install") == "ok");  // the retry's reinstall
    BOOST_TEST(stage_status(report, "smoke-test") == "passed");
    BOOST_TEST(read_text(init).value_or("") == "__version__ = '0.3.1'\n");
    BOOST_TEST(str(state_of(env).at("last_run").at("status")) == "ok");
}

// A plan made for another machine: its device is not here.
BOOST_AUTO_TEST_CASE(a_plan_for_a_missing_device_exits_4_unless_the_kernel_check_is_skipped) {
    json::object cuda = make_plan("", {"numpy==1.26.4", "tinycalc==0.3.1"}, "cuda", "cu128");
    cuda["smoke_test"] = "import tinycalc\nassert tinycalc.__version__ == '0.3.1'\nprint('tinycalc', tinycalc.__version__, 2 ** 10)";
    fs::path plan = write_plan(work, cuda, "cuda.json");
    auto r = run_plan(plan, {"--env", (work / "env").string()});
    BOOST_TEST(r.exit_code == 4, describe(r));
    auto report = parse_report(r);
    BOOST_TEST(stage_status(report, "kernel") == "no-device");
    BOOST_TEST(stage_status(report, "smoke-test") == "passed");
    BOOST_TEST(str(state_of(work / "env").at("verification").at("status")) == "no-device");
    BOOST_TEST(r.error_output.find("device cuda:0") != std::string::npos, r.error_output);

    // --no-kernel-check: the smoke test alone decides, both ways.
    r = run_plan(plan, {"--env", (work / "env").string(), "--no-kernel-check"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, describe(r));
    report = parse_report(r);
    BOOST_TEST(stage_status(report, "kernel") == "skipped");
    BOOST_TEST(stage_status(report, "smoke-test") == "passed");
    BOOST_TEST(str(state_of(work / "env").at("verification").at("status")) == "smoke-test-only");

    cuda["smoke_test"] = "import tinycalc\nassert tinycalc.__version__ == '9.9', 'wrong tinycalc ' + tinycalc.__version__";
    plan = write_plan(work, cuda, "cuda-bad.json");
    r = run_plan(plan, {"--env", (work / "env").string(), "--no-kernel-check", "--reverify"});
    BOOST_TEST(r.exit_code == 1, describe(r));
    report = parse_report(r);
    BOOST_TEST(stage_status(report, "kernel") == "skipped");
    BOOST_TEST(stage_status(report, "smoke-test") == "failed");
    BOOST_TEST(str(state_of(work / "env").at("last_failure").at("stage")) == "verify");
}

BOOST_AUTO_TEST_SUITE_END()
