// Detection as a user runs it, against plugins that crash, hang, answer garbage,
// exit, answer slowly or die while loading: each is reported with its reason and
// the CPU still comes through.
#include "detect/quarantine.hpp"
#include "support/plugin_dir.hpp"
#include "support/text.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <fstream>
#include <map>
#include <set>
#include <thread>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;
using test::TempDir;

using gpuhost::test::contains;

namespace {

// A plugin folder and private XDG dirs for one test.
struct Setup {
    TempDir plugins, xdg;
    std::map<std::string, std::string> env(std::string timeout_ms = "3000") const {
        return {{"GPUHOST_PLUGIN_PATH", plugins.path().string()},
                {"GPUHOST_PROBE_TIMEOUT_MS", timeout_ms},
                {"XDG_CACHE_HOME", (xdg / "cache").string()},
                {"XDG_STATE_HOME", (xdg / "state").string()},
                {"XDG_CONFIG_HOME", (xdg / "config").string()}};
    }
};

json::object detect(const Setup &s, std::vector<std::string> extra = {}, std::string *messages = nullptr) {
    std::vector<std::string> args = {"detect", "--json", "--no-cache"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = test::run_gpuhost(args, s.env());
    BOOST_REQUIRE_MESSAGE(result.ok(), result.describe() + "\n" + result.error_output);
    if (messages) *messages = result.error_output;
    return json::parse(result.output).as_object();
}

const json::object &outcome(const json::object &inv, const std::string &plugin) {
    for (const auto &p : inv.at("plugins").as_array())
        if (p.at("plugin") == plugin.c_str()) return p.as_object();
    BOOST_FAIL("no outcome for plugin " + plugin);
    throw;
}

std::string reason(const json::object &inv, const std::string &plugin) {
    const auto &o = outcome(inv, plugin);
    return o.contains("reason") ? std::string(o.at("reason").as_string()) : "";
}

bool has_device(const json::object &inv, const std::string &id) {
    for (const auto &d : inv.at("devices").as_array())
        if (d.at("id") == id.c_str()) return true;
    return false;
}

// Processes whose command line mentions text (the probe children of one test).
std::vector<pid_t> processes_mentioning(const std::string &text) {
    std::vector<pid_t> found;
    for (const auto &entry : fs::directory_iterator("/proc")) {
        std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (contains(cmdline, text) && contains(cmdline, "__probe")) found.push_back(std::stoi(name));
    }
    return found;
}

pid_t parent_of(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = stat.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream rest(stat.substr(close + 2));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    return ppid;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_misbehaviour_is_reported_and_the_cpu_still_comes_through) {
    Setup s;
    test::add_test_plugin(s.plugins, "test_crash", "crash");
    test::add_test_plugin(s.plugins, "test_hang", "hang");
    test::add_test_plugin(s.plugins, "test_bad_json", "bad-json");
    test::add_test_plugin(s.plugins, "test_exit", "exit");
    test::add_test_plugin(s.plugins, "test_slow", "slow");  // answers after 2 s, deadline 3 s
    test::add_test_plugin(s.plugins, "test_crash_on_load", "crash-on-load");
    test::add_test_plugin(s.plugins, "test_chatty", "chatty");
    std::string messages;
    auto inv = detect(s, {}, &messages);

    BOOST_TEST(has_device(inv, "cpu:0"));
    // What a plugin logs in its child reaches the user.
    BOOST_TEST(contains(messages, "gpuhost: warning: slow: answering after 2000 ms"), messages);
    BOOST_TEST(outcome(inv, "cpu").at("status") == "present");
    for (const char *p : {"crash", "hang", "bad-json", "exit", "crash-on-load"})
        BOOST_TEST(outcome(inv, p).at("status") == "failed", p);
    BOOST_TEST(reason(inv, "crash") == "crashed with SIGSEGV");
    BOOST_TEST(reason(inv, "crash-on-load") == "crashed with SIGSEGV");
    BOOST_TEST(reason(inv, "hang") == "no answer within 3 s (killed)");
    BOOST_TEST(contains(reason(inv, "bad-json"), "bad-json detect reply"), reason(inv, "bad-json"));
    BOOST_TEST(reason(inv, "exit") == "probe exited with code 7");
    // A banner on stdout does not spoil the reply; it is passed on to stderr.
    BOOST_TEST(outcome(inv, "chatty").at("status") == "absent");
    BOOST_TEST(contains(messages, "vendor library 1.2 initialised"));
    // Just under the deadline is in time.
    BOOST_TEST(outcome(inv, "slow").at("status") == "absent");
    BOOST_TEST(outcome(inv, "slow").at("seconds").to_number<double>() >= 2.0);
}

BOOST_AUTO_TEST_CASE(a_plugin_failing_three_times_in_a_row_is_quarantined_until_cleared) {
    Setup s;
    test::add_test_plugin(s.plugins, "test_crash", "crash");
    for (int i = 0; i < 3; ++i) BOOST_TEST(reason(detect(s), "crash") == "crashed with SIGSEGV");
    auto inv = detect(s);
    std::string why = reason(inv, "crash");
    BOOST_TEST(contains(why, "quarantined until"), why);
    BOOST_TEST(contains(why, "3 failures in a row (last: crashed with SIGSEGV)"), why);
    BOOST_TEST(has_device(inv, "cpu:0"));
    BOOST_TEST(fs::exists(s.xdg / "state/gpuhost/quarantine.json"));

    auto listing = test::run_gpuhost({"plugins", "--json"}, s.env());
    bool shown = false;
    json::value listed = json::parse(listing.output);
    for (const auto &p : listed.at("loaded").as_array())
        if (p.at("name") == "crash") shown = contains(std::string(p.at("quarantined").as_string()), "quarantined until");
    BOOST_TEST(shown);
    auto text = test::run_gpuhost({"plugins"}, s.env());
    BOOST_TEST(contains(text.output, "quarantined: crash:"), text.output);

    BOOST_REQUIRE(test::run_gpuhost({"cache", "clear"}, s.env()).ok());
    BOOST_TEST(reason(detect(s), "crash") == "crashed with SIGSEGV");
}

BOOST_AUTO_TEST_CASE(a_probe_dies_with_the_gpuhost_that_started_it) {
    Setup s;
    test::add_test_plugin(s.plugins, "test_hang", "hang");
    std::thread run([&] { test::run_gpuhost({"detect", "--no-cache"}, s.env("600000")); });
    std::vector<pid_t> probes;
    for (int i = 0; i < 200 && probes.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        probes = processes_mentioning(s.plugins.path().string());
    }
    BOOST_REQUIRE_MESSAGE(probes.size() == 1u, "the hanging probe never started");
    pid_t gpuhost = parent_of(probes[0]);
    BOOST_REQUIRE(gpuhost > 1);
    ::kill(gpuhost, SIGKILL);
    run.join();
    for (int i = 0; i < 100 && !processes_mentioning(s.plugins.path().string()).empty(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    BOOST_TEST(processes_mentioning(s.plugins.path().string()).empty());
}

BOOST_AUTO_TEST_CASE(in_process_mode_and_timings) {
    Setup s;
    test::add_test_plugin(s.plugins, "test_good", "good");
    auto inv = detect(s, {"--in-process"});
    BOOST_TEST(has_device(inv, "cpu:0"));
    BOOST_TEST(outcome(inv, "good").at("status") == "present");

    auto result = test::run_gpuhost({"detect", "--timings"}, s.env());
    BOOST_REQUIRE(result.ok());
    BOOST_TEST(contains(result.error_output, "isolated probes; cache miss: absent"), result.error_output);
    BOOST_TEST(contains(result.error_output, "probe cpu"));
    BOOST_TEST(contains(result.error_output, "probe good"));
    BOOST_TEST(contains(result.output, "cpu:0"));
}

BOOST_AUTO_TEST_CASE(plugins_listing_survives_a_library_that_crashes_while_loading) {
    Setup s;
    test::add_test_plugin(s.plugins, "test_crash_on_load", "crash-on-load");
    test::add_test_plugin(s.plugins, "test_good", "good");
    auto result = test::run_gpuhost({"plugins", "--json"}, s.env());
    BOOST_REQUIRE_MESSAGE(result.ok(), result.describe() + "\n" + result.error_output);
    auto listing = json::parse(result.output);
    std::set<std::string> loaded;
    for (const auto &p : listing.at("loaded").as_array()) loaded.insert(std::string(p.at("name").as_string()));
    BOOST_TEST(loaded.count("cpu") == 1u);  // the vendor plugins of this build load too
    BOOST_TEST(loaded.count("good") == 1u);
    BOOST_TEST(loaded.count("crash-on-load") == 0u);
    auto refused = test::refused_plugins(listing);
    BOOST_REQUIRE_EQUAL(refused.size(), 1u);
    const auto &rejected = refused.at(0);
    BOOST_TEST(rejected.at("name") == "crash-on-load");
    BOOST_TEST(rejected.at("reason") == "load check: crashed with SIGSEGV");
}

// Every command that calls plugins in process after detecting (plan, recommend,
// bench, select) opens only the plugins whose isolated probe passed: a library
// that crashes while loading, or in detect, never takes such a command down.
BOOST_AUTO_TEST_CASE(commands_that_call_plugins_in_process_survive_crashing_plugins) {
    Setup s;
    test::add_test_plugin(s.plugins, "test_crash_on_load", "crash-on-load");
    test::add_test_plugin(s.plugins, "test_crash", "crash");
    std::string inventory_file = (s.xdg / "inventory.json").string();
    auto detected = test::run_gpuhost({"detect", "--json", "--no-cache"}, s.env());
    BOOST_REQUIRE_MESSAGE(detected.ok(), detected.describe());
    s.xdg.write("inventory.json", detected.output);
    // Each command, and something its answer must hold.
    const std::vector<std::pair<std::vector<std::string>, std::string>> commands = {
        {{"plan", "vector_search", "--json"}, "\"cpu:0\""},
        {{"plan", "vector_search", "--json", "--inventory", inventory_file}, "\"cpu:0\""},
        {{"recommend", "--json"}, "\"vector_search\""},
        {{"select", "--json"}, "\"cpu:0\""},
        {{"bench", "--kernel", "saxpy", "--size", "1000", "--device", "cpu:0", "--json"}, "\"cpu:0\""},
    };
    for (const auto &[args, expected] : commands) {
        auto r = test::run_gpuhost(args, s.env());
        std::string line;
        for (const auto &a : args) line += a + " ";
        BOOST_TEST(r.signal == 0, line << r.describe());
        BOOST_TEST(r.exit_code == 0, line << r.describe() << "\n" << r.error_output);
        BOOST_TEST(r.output.find(expected) != std::string::npos, line << r.output.substr(0, 400));
    }
}

// score() and install() run in a child per plugin like detect() (issue 13, item 5):
// a plugin whose score or install crashes or hangs loses its own devices, named
// with the child's reason, and select, plan and plan --inventory still choose
// the CPU; three failures in a row quarantine it as a failing probe would.
BOOST_AUTO_TEST_CASE(a_plugin_crashing_or_hanging_in_score_or_install_takes_only_its_devices_down) {
    Setup s;
    test::add_test_plugin(s.plugins, "test_score_crash", "score-crash");
    test::add_test_plugin(s.plugins, "test_install_crash", "install-crash");
    test::add_test_plugin(s.plugins, "test_score_hang", "score-hang");
    auto detected = test::run_gpuhost({"detect", "--json", "--no-cache"}, s.env());
    BOOST_REQUIRE_MESSAGE(detected.ok(), detected.describe());
    auto inv = json::parse(detected.output).as_object();
    for (const char *p : {"score-crash", "install-crash", "score-hang"}) BOOST_TEST(outcome(inv, p).at("status") == "present", p);
    s.xdg.write("inventory.json", detected.output);

    auto selected = test::run_gpuhost({"select", "--json"}, s.env());
    BOOST_TEST(selected.signal == 0, selected.describe());
    BOOST_REQUIRE_MESSAGE(selected.exit_code == 0, selected.describe() + "\n" + selected.error_output);
    auto selection = json::parse(selected.output).as_object();
    BOOST_TEST(selection.at("chosen") == "cpu:0");
    std::map<std::string, std::string> why;  // plugin -> its device's reasons
    for (const auto &c : selection.at("candidates").as_array()) {
        std::string reasons;
        for (const auto &r : c.at("reasons").as_array()) reasons += std::string(r.as_string()) + ";";
        why[std::string(c.at("plugin").as_string())] = reasons;
        if (c.at("plugin") != "cpu") BOOST_TEST(c.at("score").as_int64() == 0);
    }
    BOOST_TEST(why["score-crash"] == "score failed: crashed with SIGSEGV;");
    BOOST_TEST(why["install-crash"] == "score failed: crashed with SIGSEGV;");
    BOOST_TEST(why["score-hang"] == "score failed: no answer within 3 s (killed);");
    BOOST_TEST(contains(selected.error_output, "plugin score-crash: its install/score calls failed (crashed with SIGSEGV)"),
               selected.error_output);

    for (const std::vector<std::string> &args :
         {std::vector<std::string>{"plan", "vector_search", "--json"},
          std::vector<std::string>{"plan", "vector_search", "--json", "--inventory", (s.xdg / "inventory.json").string()}}) {
        auto r = test::run_gpuhost(args, s.env());
        BOOST_TEST(r.signal == 0, args.back() << r.describe());
        BOOST_TEST(r.exit_code == 0, args.back() << r.describe() << "\n" << r.error_output);
        BOOST_TEST(contains(r.output, "\"device\": \"cpu:0\""), r.output.substr(0, 300));
    }
    // Three failures in a row (select and the two plans): quarantined, not called again.
    auto again = test::run_gpuhost({"select", "--json"}, s.env());
    BOOST_REQUIRE(again.ok());
    BOOST_TEST(contains(again.output, "plugin score-crash quarantined until"), again.output);
    BOOST_TEST(contains(again.output, "(last: score/install: crashed with SIGSEGV)"), again.output);
    BOOST_TEST(!contains(again.error_output, "its install/score calls failed"), again.error_output);
}

BOOST_AUTO_TEST_CASE(detections_saving_the_quarantine_at_once_keep_each_others_failures) {
    // Two detections load the record, probe, then save: the later save must
    // add to the earlier one, not overwrite it.
    test::TempDir state;
    fs::path file = state / "quarantine.json";
    auto a = Quarantine::load(file), b = Quarantine::load(file);
    a.record("amd", true, "hung", 1000);
    b.record("amd", true, "hung again", 1001);
    b.record("intel", true, "crashed", 1001);
    a.save();
    b.save();
    std::ifstream in(file);
    auto both = json::parse(std::string(std::istreambuf_iterator<char>(in), {})).at("plugins").as_object();
    BOOST_TEST(both.at("amd").at("failures") == 2);
    BOOST_TEST(both.at("amd").at("reason") == "hung again");
    BOOST_TEST(both.at("intel").at("failures") == 1);
    BOOST_TEST(fs::exists(state / "quarantine.json.lock"));

    auto c = Quarantine::load(file);
    c.record("amd", true, "third", 2000);
    c.save();
    BOOST_TEST(c.skip_reason("amd", 2001).has_value());
    auto d = Quarantine::load(file);
    d.clear();
    d.save();
    BOOST_TEST(!Quarantine::load(file).skip_reason("amd", 2001).has_value());
}
