// `gpuhost detect` as a user runs it: the live CPU, recorded CPUs replayed
// through --sysroot, and the JSON checked against the SDK schema.
#include "cpu_probe.hpp"
#include "detect/device_schema.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;

namespace {

json::object detect_json(const std::vector<std::string> &extra = {}) {
    std::vector<std::string> args = {"detect", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = test::run_gpuhost(args);
    BOOST_REQUIRE_MESSAGE(result.ok(), result.describe() + ": " + result.error_output);
    return json::parse(result.output).as_object();
}

const json::object &device(const json::object &inventory, const std::string &id) {
    for (const auto &d : inventory.at("devices").as_array())
        if (d.at("id") == id.c_str()) return d.as_object();
    BOOST_FAIL("no device " + id);
    throw std::logic_error("unreachable");
}

json::object read_json(const fs::path &p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return json::parse(s.str()).as_object();
}

std::vector<fs::path> cpu_fixtures() {
    std::vector<fs::path> dirs;
    for (const auto &e : fs::directory_iterator(fs::path(GPUHOST_FIXTURES) / "cpu"))
        if (fs::exists(e.path() / "expected.json")) dirs.push_back(e.path());
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

}  // namespace

// Live: every device of this machine, a GPU's too, follows the schema.
BOOST_AUTO_TEST_CASE(live_detect_shows_this_cpu_and_follows_the_schema) {
    auto live = test::run_gpuhost_live({"detect", "--json"});
    BOOST_REQUIRE_MESSAGE(live.ok(), live.describe() + ": " + live.error_output);
    auto inv = json::parse(live.output).as_object();
    BOOST_TEST(inv.at("schema") == 1);
    for (const auto &d : inv.at("devices").as_array()) {
        auto errors = validate_device(d, std::string(d.at("id").as_string()));
        BOOST_TEST(errors.empty(), (errors.empty() ? "" : errors.front()));
    }
    const auto &cpu = device(inv, "cpu:0");
    BOOST_TEST(cpu.at("usable").as_bool());
    // Cross-check against what this machine says itself.
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line, model;
    unsigned threads = 0;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("processor", 0) == 0) ++threads;
        if (model.empty() && line.rfind("model name", 0) == 0) model = line.substr(line.find(':') + 2);
    }
    if (!model.empty()) BOOST_TEST(cpu.at("name") == model.c_str());
    BOOST_TEST(cpu.at("details").at("threads").to_number<unsigned>() == threads);
    BOOST_TEST(cpu.at("memory").at("total_bytes").to_number<std::uint64_t>() > 0u);
}

BOOST_AUTO_TEST_CASE(schema_validation_catches_bad_records) {
    json::value bad = json::parse(R"({"vendor":"x","backend":"warp-drive","name":"n","type":"discrete",
        "memory":{"total_bytes":-5},"signals":["a"],"usable":false})");
    auto errors = validate_device(bad, "d");
    BOOST_TEST(errors.size() == 3u);  // backend, total_bytes, missing reason
}

BOOST_AUTO_TEST_CASE(recorded_cpus_replay_through_sysroot) {
    auto fixtures = cpu_fixtures();
    BOOST_REQUIRE_GE(fixtures.size(), 3u);
    for (const auto &dir : fixtures) {
        BOOST_TEST_CONTEXT("fixture " << dir.filename().string()) {
            auto expected = read_json(dir / "expected.json");
            auto inv = detect_json({"--sysroot", dir.string()});
            const auto &cpu = device(inv, "cpu:0");
            const auto &details = cpu.at("details").as_object();
            if (expected.contains("model")) BOOST_TEST(cpu.at("name") == expected.at("model"));
            if (expected.contains("vendor")) BOOST_TEST(details.at("vendor_id") == expected.at("vendor"));
            if (expected.contains("architecture")) BOOST_TEST(cpu.at("architecture") == expected.at("architecture"));
            if (expected.contains("threads")) BOOST_TEST(details.at("threads") == expected.at("threads"));
            if (expected.contains("cores")) BOOST_TEST(details.at("cores") == expected.at("cores"));
            if (expected.contains("memory_total_kib"))
                BOOST_TEST(cpu.at("memory").at("total_bytes").to_number<std::uint64_t>() ==
                           expected.at("memory_total_kib").to_number<std::uint64_t>() * 1024);
            std::set<std::string> features;
            for (const auto &f : cpu.at("features").as_array()) features.insert(std::string(f.as_string()));
            if (auto p = expected.find("features_present"); p != expected.end())
                for (const auto &f : p->value().as_array()) BOOST_TEST(features.count(std::string(f.as_string())) == 1u, f);
            if (auto a = expected.find("features_absent"); a != expected.end())
                for (const auto &f : a->value().as_array()) BOOST_TEST(features.count(std::string(f.as_string())) == 0u, f);
            // Replay never mixes in the live machine's cpuid.
            for (const auto &s : cpu.at("signals").as_array()) BOOST_TEST(s != "cpuid");
        }
    }
}

BOOST_AUTO_TEST_CASE(cpuinfo_parser_rejects_garbage_and_reads_truncated_text) {
    BOOST_CHECK_THROW(cpu::parse_cpuinfo("hello world\n"), std::runtime_error);
    BOOST_CHECK_THROW(cpu::parse_cpuinfo(""), std::runtime_error);
    auto f = cpu::parse_cpuinfo("processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu lm avx2 fm");
    BOOST_TEST(f.threads == 1u);
    BOOST_TEST(f.architecture == "x86_64");
    BOOST_TEST((f.features == std::vector<std::string>{"avx2"}));  // "fm" is cut off, not "fma"
}

BOOST_AUTO_TEST_CASE(missing_cpuinfo_is_an_unknown_cpu_not_a_failure) {
    // A recording without /proc/cpuinfo (issue 15): the CPU is still listed,
    // named "unknown", and the note says what was missing.
    test::TempDir empty;
    auto result = test::run_gpuhost({"detect", "--json", "--sysroot", empty.path().string()});
    BOOST_REQUIRE(result.ok());
    auto inv = json::parse(result.output).as_object();
    bool reported = false;
    for (const auto &p : inv.at("plugins").as_array())
        if (p.at("plugin") == "cpu") {
            BOOST_TEST(p.at("status") == "present");
            for (const auto &n : p.at("notes").as_array())
                reported = reported || std::string(n.as_string()).find("no /proc/cpuinfo") == 0u;
        }
    BOOST_TEST(reported);
    bool listed = false;
    for (const auto &d : inv.at("devices").as_array())
        if (d.at("backend") == "cpu") {
            listed = true;
            BOOST_TEST(d.at("name") == "unknown");
            BOOST_TEST(d.at("usable").as_bool());
        }
    BOOST_TEST(listed);
}
