// Regression tests for the attacks of issue 13: what a profile, a plan file, a
// recording, a manifest or a plugin sends gpuhost is data, and stays data.
// Each case failed on the build the attack report was made against.
#include "core/files.hpp"
#include "core/subprocess.hpp"
#include "detect/device_schema.hpp"
#include "detect/inventory.hpp"
#include "env/installer.hpp"
#include "plan/plan.hpp"
#include "plan/plan_checks.hpp"
#include "plugins/plugin_library.hpp"
#include "plugins/trusted_file.hpp"
#include "policy/config.hpp"
#include "support/plugin_dir.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <fstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;
using test::contains;
using test::TempDir;

namespace {

json::object good_plan() {
    return json::parse(R"({"profile":"vector_search","device":"cpu:0","backend":"cpu","accelerator":"cpu",
        "packages":["numpy>=1.26"],"env":{"OMP_NUM_THREADS":"2"}})")
        .as_object();
}

std::string plan_error(json::object o) {
    try {
        Plan::from_json(o);
    } catch (const std::runtime_error &e) {
        return e.what();
    }
    return "";
}

bool alive(pid_t pid) { return pid > 0 && ::kill(pid, 0) == 0; }

// Waits up to `limit` for a process to be gone (a zombie of ours counts as gone).
bool gone_within(pid_t pid, std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        auto close = text.rfind(')');
        if (text.empty() || (close != std::string::npos && text.size() > close + 2 && text[close + 2] == 'Z'))
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

pid_t read_pid(const fs::path &file, std::chrono::milliseconds limit) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        std::ifstream in(file);
        int pid = 0;
        if (in >> pid && pid > 0) return pid;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
}

struct Detection {
    TempDir plugins, xdg;
    std::map<std::string, std::string> env(std::map<std::string, std::string> extra = {}) const {
        std::map<std::string, std::string> e = {{"GPUHOST_PLUGIN_PATH", plugins.path().string()},
                                                {"GPUHOST_PROBE_TIMEOUT_MS", "5000"},
                                                {"XDG_CACHE_HOME", (xdg / "cache").string()},
                                                {"XDG_STATE_HOME", (xdg / "state").string()},
                                                {"XDG_CONFIG_HOME", (xdg / "config").string()}};
        for (auto &[k, v] : extra) e[k] = v;
        return e;
    }
    json::object detect(std::map<std::string, std::string> extra = {}) const {
        auto r = test::run_gpuhost({"detect", "--json", "--no-cache"}, env(extra));
        BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + "\n" + r.error_output);
        return json::parse(r.output).as_object();
    }
};

std::string outcome_reason(const json::object &inv, const std::string &plugin) {
    for (const auto &p : inv.at("plugins").as_array())
        if (p.at("plugin") == plugin.c_str())
            return p.as_object().contains("reason") ? std::string(p.at("reason").as_string()) : "(no reason)";
    return "(no outcome)";
}

}  // namespace

// 1. Variable names reach `export NAME=...` in bin/activate: only POSIX names pass.
BOOST_AUTO_TEST_CASE(environment_variable_names_must_be_posix_names) {
    BOOST_TEST(is_posix_env_name("HSA_OVERRIDE_GFX_VERSION"));
    BOOST_TEST(is_posix_env_name("_private1"));
    for (const char *bad : {"A$(touch /tmp/x)", "1ABC", "", "A B", "A;B", "A=B", "A`id`"})
        BOOST_TEST(!is_posix_env_name(bad), bad);
    auto plan = good_plan();
    plan["env"] = json::object{{"A$(touch /tmp/gpuhost-pwned)", "1"}};
    BOOST_TEST(contains(plan_error(plan), "is not a POSIX name"), plan_error(plan));
}

BOOST_AUTO_TEST_CASE(a_plan_file_with_a_shell_in_a_variable_name_is_refused_before_anything_runs) {
    TempDir dir;
    auto plan = good_plan();
    plan["env"] = json::object{{"X$(touch " + (dir / "pwned").string() + ")", "1"}};
    dir.write("plan.json", json::serialize(plan));
    auto r = test::run_gpuhost({"run", "--plan", (dir / "plan.json").string(), "--env", (dir / "env").string()});
    BOOST_TEST(r.exit_code == 3, r.describe() + "\n" + r.output + r.error_output);
    BOOST_TEST(contains(r.error_output + r.output, "POSIX name"), r.error_output + r.output);
    BOOST_TEST(!fs::exists(dir / "pwned"));
    BOOST_TEST(!fs::exists(dir / "env"));
}

// 2. A profile name is one folder name, never a path.
BOOST_AUTO_TEST_CASE(profile_and_environment_names_cannot_leave_their_folder) {
    for (const char *bad : {"../../../../x", "..", ".", "a/b", "-rf", "", "name with space"})
        BOOST_TEST(!is_plain_name(bad), bad);
    BOOST_TEST(is_plain_name("vector_search"));
    BOOST_TEST(is_plain_name("nlp-2.1"));
    auto plan = good_plan();
    plan["profile"] = "../../../../x";
    BOOST_TEST(contains(plan_error(plan), "plain name"), plan_error(plan));
    plan = good_plan();
    plan["env_path"] = "/home/u/.local/share/gpuhost/envs/../../../other";
    BOOST_TEST(contains(plan_error(plan), "must not contain '..'"), plan_error(plan));
    plan["env_path"] = "relative/env";
    BOOST_TEST(contains(plan_error(plan), "absolute"), plan_error(plan));
}

// 3. Requirements are PEP 508 requirements that start with a project name.
BOOST_AUTO_TEST_CASE(requirements_that_pip_would_read_as_options_or_paths_are_refused) {
    for (const char *bad : {"-r/etc/hostname", "--extra-index-url=https://evil.example/simple", "--no-build-isolation",
                            "./local_pkg", "/abs/path/pkg.whl", "pkg @ file:///tmp/pkg", "torch @ https://x/t.whl",
                            "numpy\n--index-url=x", "", "numpy extra-words", "numpy==1.0; os.system('x')\\"})
        BOOST_TEST(requirement_problem(bad).has_value(), bad);
    for (const char *good : {"torch==2.8.0", "torch==2.8.0+cu126", "cupy-cuda12x[ctk]>=13.0", "jax[cuda12]",
                             "numpy>=1.26,<3", "numpy; python_version >= \"3.10\"", "onnxruntime-gpu[cuda,cudnn]",
                             "nvidia-cublas-cu12", "typing_extensions~=4.0", "a.b-c_d!=1.*"})
        BOOST_TEST(!requirement_problem(good).has_value(), good << ": " << requirement_problem(good).value_or(""));
    auto plan = good_plan();
    plan["packages"] = json::array{"numpy", "-r/etc/hostname"};
    BOOST_TEST(contains(plan_error(plan), "pip would read as an option"), plan_error(plan));
}

BOOST_AUTO_TEST_CASE(pip_and_uv_get_double_dash_before_the_requirements) {
    Plan plan = Plan::from_json(good_plan());
    for (const char *tool : {"pip", "uv"}) {
        env::InstallOptions options;
        options.tool = tool;
        options.uv = "uv";
        auto args = env::install_arguments("/tmp/env", plan, {"numpy>=1.26"}, false, options);
        auto dashes = std::find(args.begin(), args.end(), "--");
        BOOST_REQUIRE_MESSAGE(dashes != args.end(), tool);
        BOOST_TEST(*(dashes + 1) == "numpy>=1.26");
        long after = long(args.end() - dashes);
        BOOST_TEST(after == 2);
    }
}

// 4. The smoke test that run will execute can be read first.
BOOST_AUTO_TEST_CASE(plan_shows_the_smoke_test_it_would_run) {
    auto r = test::run_gpuhost({"plan", "vector_search", "--show-smoke"});
    BOOST_TEST(r.ok(), r.describe() + "\n" + r.error_output);
    BOOST_TEST(contains(r.output, "import "), r.output);
    BOOST_TEST(!contains(r.output, "packages"), r.output);  // the smoke test alone, not the plan
}

// 6. A probe's output and memory are bounded, and what it leaves running dies with it.
BOOST_AUTO_TEST_CASE(a_probe_that_prints_without_end_is_stopped_and_named) {
    Detection d;
    test::add_test_plugin(d.plugins, "test_flood", "flood");
    auto start = std::chrono::steady_clock::now();
    auto inv = d.detect();
    BOOST_TEST(contains(outcome_reason(inv, "flood"), "printed more than 16 MiB (stopped"), outcome_reason(inv, "flood"));
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
    // The limit is the user's to set; out-of-range values keep the default.
    auto small = d.detect({{"GPUHOST_PROBE_OUTPUT_MIB", "1"}});
    BOOST_TEST(contains(outcome_reason(small, "flood"), "printed more than 1 MiB (stopped; GPUHOST_PROBE_OUTPUT_MIB"),
               outcome_reason(small, "flood"));
    auto silly = d.detect({{"GPUHOST_PROBE_OUTPUT_MIB", "99999999"}});
    BOOST_TEST(contains(outcome_reason(silly, "flood"), "printed more than 16 MiB"), outcome_reason(silly, "flood"));
}

BOOST_AUTO_TEST_CASE(a_probe_that_allocates_without_end_stops_at_its_memory_limit) {
    Detection d;
    test::add_test_plugin(d.plugins, "test_memory", "memory");
    auto inv = d.detect({{"GPUHOST_PROBE_MEMORY_MIB", "256"}});
    BOOST_TEST(contains(outcome_reason(inv, "memory"), "crashed with SIGABRT"), outcome_reason(inv, "memory"));
}

BOOST_AUTO_TEST_CASE(a_daemon_left_by_a_probe_dies_and_costs_no_deadline) {
    Detection d;
    TempDir scratch;
    test::add_test_plugin(d.plugins, "test_daemon", "daemon");
    fs::path pid_file = scratch / "daemon.pid";
    auto start = std::chrono::steady_clock::now();
    auto inv = d.detect({{"GPUHOST_TEST_DAEMON_PID_FILE", pid_file.string()}, {"GPUHOST_PROBE_TIMEOUT_MS", "20000"}});
    auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST(outcome_reason(inv, "daemon") == "(no reason)", outcome_reason(inv, "daemon"));
    BOOST_TEST((took < std::chrono::seconds(10)), "detection took the deadline");
    pid_t daemon = read_pid(pid_file, std::chrono::seconds(2));
    BOOST_REQUIRE(daemon > 0);
    BOOST_TEST(gone_within(daemon, std::chrono::seconds(3)), "the setsid daemon outlived detection");
    if (alive(daemon)) ::kill(daemon, SIGKILL);
}

// 7. exit(0) in a constructor is not a passed load check.
BOOST_AUTO_TEST_CASE(a_constructor_that_exits_fails_the_load_check_and_plugins_goes_on) {
    Detection d;
    test::add_test_plugin(d.plugins, "test_exit_on_load", "exit-on-load");
    test::add_test_plugin(d.plugins, "test_good", "good");
    auto r = test::run_gpuhost({"plugins", "--json"}, d.env());
    BOOST_TEST(r.ok(), r.describe() + "\n" + r.error_output);
    BOOST_TEST(contains(r.output, "ended while loading"), r.output);
    BOOST_TEST(contains(r.output, "\"good\""), r.output);
}

// Installers and smoke tests: a setsid daemon they start dies with them, and
// everything dies when gpuhost itself is killed with SIGKILL.
BOOST_AUTO_TEST_CASE(supervised_children_take_their_setsid_daemons_with_them) {
    TempDir dir;
    fs::path pid_file = dir / "daemon.pid";
    ProcessOptions po;
    po.die_with_parent = true;
    po.timeout = std::chrono::seconds(20);
    auto r = run_process("sh", {"-c", "setsid sh -c 'echo $$ > " + pid_file.string() + "; sleep 120' & sleep 0.3; echo done"}, po);
    BOOST_TEST(r.ok(), r.describe());
    pid_t daemon = read_pid(pid_file, std::chrono::seconds(2));
    BOOST_REQUIRE(daemon > 0);
    BOOST_TEST(gone_within(daemon, std::chrono::seconds(3)));
    if (alive(daemon)) ::kill(daemon, SIGKILL);
}

BOOST_AUTO_TEST_CASE(killing_the_parent_with_sigkill_kills_grandchildren_and_daemons) {
    TempDir dir;
    fs::path pid_file = dir / "daemon.pid", child_file = dir / "child.pid";
    pid_t parent = ::fork();
    if (parent == 0) {
        ProcessOptions po;
        po.die_with_parent = true;
        po.timeout = std::chrono::seconds(60);
        run_process("sh", {"-c", "echo $$ > " + child_file.string() + "; setsid sh -c 'echo $$ > " +
                                     pid_file.string() + "; sleep 120' & sleep 120"},
                    po);
        ::_exit(0);
    }
    pid_t daemon = read_pid(pid_file, std::chrono::seconds(5));
    pid_t child = read_pid(child_file, std::chrono::seconds(5));
    BOOST_REQUIRE(daemon > 0);
    BOOST_REQUIRE(child > 0);
    ::kill(parent, SIGKILL);
    ::waitpid(parent, nullptr, 0);
    BOOST_TEST(gone_within(child, std::chrono::seconds(5)), "the installer outlived gpuhost");
    BOOST_TEST(gone_within(daemon, std::chrono::seconds(5)), "the setsid daemon outlived gpuhost");
    for (pid_t p : {child, daemon})
        if (alive(p)) ::kill(p, SIGKILL);
}

// 8. The file checked is the file loaded: a symlink into a folder another user
// controls is refused, even when the file it points to belongs to root.
// Skipped (and counted so) where the test cannot hand a folder to another user.
boost::test_tools::assertion_result running_as_root(boost::unit_test::test_unit_id) {
    boost::test_tools::assertion_result result(::getuid() == 0);
    result.message() << "needs root to make a folder owned by another user";
    return result;
}

BOOST_AUTO_TEST_CASE(a_library_reached_through_a_folder_another_user_controls_is_refused,
                     *boost::unit_test::precondition(running_as_root)) {
    TempDir plugins, elsewhere;
    fs::create_directories(elsewhere / "theirs");
    fs::copy_file(fs::path(GPUHOST_TEST_PLUGIN_DIR) / "libtest_good.so", elsewhere / "theirs" / "libtest_good.so");
    BOOST_REQUIRE(::chown((elsewhere / "theirs").c_str(), 65534, 65534) == 0);
    fs::create_symlink(elsewhere / "theirs" / "libtest_good.so", plugins / "libtest_good.so");
    plugins.write("good.gpuhost-plugin.json", test::plugin_manifest("good", "libtest_good.so"));
    Manifest m = read_manifest(plugins / "good.gpuhost-plugin.json");
    try {
        PluginLibrary::load(m);
        BOOST_FAIL("loaded a library from a folder another user controls");
    } catch (const PluginLoadError &e) {
        BOOST_TEST(contains(e.what(), "belongs to another user"), e.what());
    }
    // The same library in a folder of ours loads: the refusal is about the folder.
    fs::copy_file(fs::path(GPUHOST_TEST_PLUGIN_DIR) / "libtest_good.so", plugins / "real.so");
    plugins.write("good.gpuhost-plugin.json", test::plugin_manifest("good", "real.so"));
    BOOST_CHECK_NO_THROW(PluginLibrary::load(read_manifest(plugins / "good.gpuhost-plugin.json")));
}

// 9. Manifests are small regular files that only the user or root can change.
BOOST_AUTO_TEST_CASE(manifests_that_are_writable_by_others_fifos_or_devices_are_refused) {
    Detection d;
    test::add_test_plugin(d.plugins, "test_good", "good");
    fs::permissions(d.plugins / "good.gpuhost-plugin.json", fs::perms::others_write, fs::perm_options::add);
    BOOST_REQUIRE(::mkfifo((d.plugins / "fifo.gpuhost-plugin.json").c_str(), 0644) == 0);
    fs::create_symlink("/dev/zero", d.plugins / "zero.gpuhost-plugin.json");
    auto start = std::chrono::steady_clock::now();
    auto r = test::run_gpuhost({"plugins", "--json"}, d.env());
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(20)));
    BOOST_TEST(r.ok(), r.describe() + "\n" + r.error_output);
    BOOST_TEST(contains(r.output, "manifest refused"), r.output);
    BOOST_TEST(contains(r.output, "not a regular file"), r.output);
}

BOOST_AUTO_TEST_CASE(a_manifest_abi_beyond_32_bits_is_not_truncated) {
    TempDir dir;
    dir.write("x.gpuhost-plugin.json",
              R"({"manifest":1,"name":"x","vendor":"v","library":"libx.so","abi":{"min":4294967297,"max":4294967297}})");
    try {
        read_manifest(dir / "x.gpuhost-plugin.json");
        BOOST_FAIL("accepted ABI 4294967297");
    } catch (const FileError &e) {
        BOOST_TEST(contains(e.what(), "4294967297"), e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_fifo_in_a_recording_does_not_hang_detection) {
    TempDir root;
    fs::create_directories(root / "proc/sys/kernel/random");
    BOOST_REQUIRE(::mkfifo((root / "proc/sys/kernel/random/boot_id").c_str(), 0644) == 0);
    BOOST_REQUIRE(::mkfifo((root / "proc/cpuinfo").c_str(), 0644) == 0);
    auto start = std::chrono::steady_clock::now();
    auto r = test::run_gpuhost({"detect", "--json", "--sysroot", root.path().string()});
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(30)));
    BOOST_TEST(!r.timed_out);
}

// 10. Numbers in config files stay in documented ranges.
BOOST_AUTO_TEST_CASE(a_probe_timeout_that_would_overflow_the_deadline_is_refused) {
    const ConfigKey &timeout = *find_config_key("probe_timeout_ms");
    try {
        parse_config_text(timeout, "9223372036854775807");
        BOOST_FAIL("accepted a probe timeout of 2^63-1 ms");
    } catch (const std::invalid_argument &e) {
        BOOST_TEST(contains(e.what(), "600000"), e.what());
    }
    BOOST_CHECK_NO_THROW(parse_config_text(timeout, "600000"));
}

// 13. Escape sequences in names, the cache held to the schema, unusable devices.
BOOST_AUTO_TEST_CASE(terminal_escapes_in_device_records_break_the_schema) {
    auto device = json::parse(R"({"id":"x:0","plugin":"x","vendor":"v","backend":"cpu","type":"cpu","usable":true,
        "name":"GPU\u001b]0;owned\u0007"})");
    auto errors = validate_device(device, "devices[0]");
    BOOST_REQUIRE(!errors.empty());
    BOOST_TEST(contains(errors.front(), "control character"), errors.front());
    json::object inv{{"devices", json::array{device}}, {"plugins", json::array{}}};
    try {
        Inventory::from_json(inv);
        BOOST_FAIL("an inventory (cache or file) with an escape sequence was accepted");
    } catch (const std::runtime_error &e) {
        BOOST_TEST(contains(e.what(), "control character"), e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_device_marked_unusable_is_never_chosen_however_high_its_score) {
    Detection d;
    TempDir data;
    test::add_test_plugin(d.plugins, "test_fixture", "fixture");
    data.write("devices.json", R"({"schema":1,"plugin":"fixture","status":"present","devices":[
        {"vendor":"other","backend":"cuda","type":"discrete","name":"Broken GPU","pci":{"bus_id":"0000:01:00.0"},
         "memory":{"total_bytes":8589934592},"signals":["test"],"features":["fp16"],
         "usable":false,"reason":"the driver refused it"}]})");
    auto r = test::run_gpuhost({"select", "--json", "--no-cache"},
                               d.env({{"GPUHOST_TEST_FIXTURE_DEVICES", (data / "devices.json").string()},
                                      {"GPUHOST_TEST_FIXTURE_SCORE", "99"}}));
    auto out = json::parse(r.output).as_object();
    BOOST_TEST(out.at("chosen") == json::value("cpu:0"), r.output);
    BOOST_TEST(contains(r.output, "the driver refused it"), r.output);
}
