// `gpuhost snapshot DIR` then `gpuhost detect --sysroot DIR`: the replay shows
// the machine that was recorded.
#include "detect/snapshot.hpp"
#include "support/expected_devices.hpp"
#include "support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;

namespace {

json::object cpu_of(const json::object &inv) {
    for (const auto &d : inv.at("devices").as_array())
        if (d.at("id") == "cpu:0") return d.as_object();
    BOOST_FAIL("no cpu:0");
    return {};
}

// This machine as gpuhost detects it live, every plugin on its devices.
json::object live() {
    auto r = test::run_gpuhost_live({"detect", "--json"});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.error_output);
    return json::parse(r.output).as_object();
}

}  // namespace

// Live: this machine recorded, then replayed.
BOOST_AUTO_TEST_CASE(snapshot_replays_the_same_cpu_and_devices) {
    test::TempDir tmp;
    fs::path dir = tmp / "machine";
    auto r = test::run_gpuhost_live({"snapshot", dir.string(), "--json"});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output);
    auto report = json::parse(r.output).as_object();
    BOOST_TEST(fs::exists(dir / "proc/cpuinfo"));
    BOOST_TEST(fs::exists(dir / "proc/meminfo"));
    BOOST_TEST(fs::exists(dir / ".gpuhost/denied"));
    BOOST_TEST(!report.at("files").as_array().empty());

    auto now = live();
    auto replay = test::detect_sysroot(dir);
    auto a = cpu_of(now), b = cpu_of(replay);
    for (const char *k : {"name", "architecture", "features"}) BOOST_TEST(a.at(k) == b.at(k), k);
    BOOST_TEST(a.at("details").at("threads") == b.at("details").at("threads"));
    BOOST_TEST(a.at("memory").at("total_bytes") == b.at("memory").at("total_bytes"));
    // Same set of device ids (GPUs too, on a machine that has them).
    auto ids = [](const json::object &inv) {
        std::set<std::string> s;
        for (const auto &d : inv.at("devices").as_array()) s.insert(std::string(d.at("id").as_string()));
        return s;
    };
    BOOST_TEST(ids(now) == ids(replay), boost::test_tools::per_element());
    BOOST_TEST_INFO("live plugins: " << json::serialize(now.at("plugins")));
    BOOST_TEST_INFO("replayed plugins: " << json::serialize(replay.at("plugins")));
    BOOST_TEST(now.at("devices").as_array().size() == replay.at("devices").as_array().size());

    // Every recorded tool output follows the runner's key convention.
    for (const auto &key : report.at("tools").as_array())
        BOOST_TEST(fs::exists(dir / "tools" / (std::string(key.as_string()) + ".txt")));
}

BOOST_AUTO_TEST_CASE(snapshot_refuses_a_non_empty_folder) {
    test::TempDir tmp;
    tmp.write("keep.txt", "mine");
    auto r = test::run_gpuhost({"snapshot", tmp.path().string()});
    BOOST_TEST(!r.ok());
    BOOST_TEST(r.error_output.find("is not empty") != std::string::npos, r.error_output);
    BOOST_TEST(fs::exists(tmp / "keep.txt"));
    auto usage = test::run_gpuhost({"snapshot"});
    BOOST_TEST(usage.exit_code == 2);
}

BOOST_AUTO_TEST_CASE(snapshot_of_a_recorded_machine_replays_identically) {
    // Record a fixture as if it were this machine (files from its folder, tools
    // replayed from its tools/), then detect on both: the GPUs must agree.
    for (const char *name : {"amd-gfx1031-override", "amd-rdna3-discrete", "intel-arc"}) {
        fs::path source = fs::path(GPUHOST_FIXTURES) / "machines" / name;
        test::TempDir tmp;
        auto report = take_snapshot(tmp / "copy", ToolRunner(source.string()), source);
        BOOST_TEST(!report.files.empty());
        auto original = test::detect_sysroot(source), copy = test::detect_sysroot(tmp / "copy");
        auto gpus = [](const json::object &inv) {
            json::array out;
            for (const auto &d : inv.at("devices").as_array())
                if (d.at("vendor") != "cpu") out.push_back(d);
            return out;
        };
        BOOST_TEST(!gpus(original).empty());
        BOOST_TEST(json::serialize(gpus(original)) == json::serialize(gpus(copy)), name);
    }
}
