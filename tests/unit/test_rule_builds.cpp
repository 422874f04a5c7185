// One source of truth for builds: every build a recovery rule suggests (a
// `--accelerator TAG` in its steps, the accelerator of its reinstall fix) must
// be one `gpuhost plan --accelerator TAG` accepts on the machine the failure
// happened on. Every rule is matched against every real error text
// (tests/data/errors) with the facts of every GPU of every recorded machine
// (tests/fixtures/machines), and each distinct suggestion is then planned for
// that machine with the real CLI.
#include "lua/engine.hpp"
#include "lua/vendors.hpp"
#include "plugins/plugin_set.hpp"
#include "recover/diagnose.hpp"
#include "recover/table_builds.hpp"
#include "support/run_gpuhost.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace gpuhost;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const fs::path kErrors = fs::path(GPUHOST_SOURCE_DIR) / "tests/data/errors";
const fs::path kMachines = fs::path(GPUHOST_FIXTURES) / "machines";

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::map<std::string, std::string> no_user_data() {
    return {{"XDG_DATA_HOME", "/nonexistent-gpuhost-data"}};
}

// The machine's GPU records, as `gpuhost detect --json --sysroot` reports them.
std::vector<json::object> gpus_of(const fs::path &machine) {
    auto r = test::run_gpuhost({"detect", "--json", "--sysroot", machine.string()}, no_user_data());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, machine.string() << ": " << r.error_output);
    std::vector<json::object> out;
    json::value inventory = json::parse(r.output);
    for (const auto &d : inventory.at("devices").as_array()) {
        const auto &o = d.as_object();
        auto backend = o.if_contains("backend");
        auto type = o.if_contains("type");
        if (!backend || !backend->is_string() || backend->as_string() == "cpu") continue;
        if (type && type->is_string() && type->as_string() == "cpu") continue;  // a probe's view of the CPU
        out.push_back(o);
    }
    return out;
}

// Every build a match suggests: `--accelerator X` in a step, and a reinstall fix's accelerator.
std::set<std::string> suggested_builds(const recover::Match &m) {
    static const std::regex flag("--accelerator ([^ ,;)]+)");
    std::set<std::string> out;
    for (const auto &step : m.steps)
        for (std::sregex_iterator it(step.begin(), step.end(), flag), end; it != end; ++it) out.insert((*it)[1]);
    if (m.fix && m.fix->action == "reinstall" && m.fix->ready)
        if (auto a = m.fix->args.if_contains("accelerator"); a && a->is_string()) out.insert(std::string(a->as_string()));
    return out;
}

struct Suggestion {
    std::string machine, device, rule, sample;
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_build_a_rule_suggests_is_one_the_planner_accepts_for_that_machine) {
    lua::Engine engine;
    PluginSearchOptions search;
    search.dirs = {GPUHOST_PLUGIN_DIR};
    search.defer_loading = true;
    auto vendors = lua::load_vendor_scripts(engine, search);
    BOOST_REQUIRE(vendors.problems.empty());
    recover::RuleBook rules(engine);
    BOOST_REQUIRE(rules.problems().empty());

    std::vector<std::pair<std::string, std::string>> texts;  // file, text
    for (const auto &e : fs::directory_iterator(kErrors))
        if (e.path().extension() == ".txt") texts.emplace_back(e.path().filename().string(), slurp(e.path()));
    BOOST_REQUIRE(texts.size() > 100u);

    // (machine, device, tag) -> the first rule and text that suggested it
    std::map<std::tuple<std::string, std::string, std::string>, Suggestion> to_plan;
    std::size_t machines = 0, devices = 0, checked = 0;
    for (const auto &m : fs::directory_iterator(kMachines)) {
        if (!m.is_directory()) continue;
        ++machines;
        for (const auto &device : gpus_of(m.path())) {
            ++devices;
            std::string id(device.at("id").as_string());
            recover::Facts facts;
            facts.add_device(device);
            facts.add_machine(sdk::Sysroot(m.path().string()));
            facts.gpu_builds = recover::offered_gpu_builds(engine, device);
            facts.profile = "learning";
            // As `run` knows it: the installed build is the planned one (the best
            // offered), or the CPU build where the tables offer no GPU build.
            facts.accelerator = facts.gpu_builds->empty() ? "cpu" : facts.gpu_builds->front();
            for (const auto &[file, text] : texts) {
                for (const auto &match : rules.match(text, facts)) {
                    if (!match.conditions_met) continue;  // a rule for another machine, ranked lower and marked so
                    for (const auto &tag : suggested_builds(match)) {
                        ++checked;
                        // An unknown fact stays a visible placeholder ("<older_build>"), never a guessed tag.
                        if (tag.front() == '<') {
                            BOOST_TEST(!(match.fix && match.fix->ready && match.fix->action == "reinstall" &&
                                         match.fix->args.at("accelerator").as_string() == tag),
                                       match.id << " on " << m.path().filename().string() << " " << id);
                            continue;
                        }
                        to_plan.emplace(std::make_tuple(m.path().string(), id, tag),
                                        Suggestion{m.path().filename().string(), id, match.id, file});
                    }
                }
            }
        }
    }
    BOOST_TEST_MESSAGE(machines << " machines, " << devices << " GPUs, " << checked << " suggestions, "
                                << to_plan.size() << " distinct builds planned");
    BOOST_REQUIRE(machines >= 10u);
    BOOST_REQUIRE(devices >= 10u);
    BOOST_REQUIRE(!to_plan.empty());
    for (const auto &[key, s] : to_plan) {
        const auto &[machine, device, tag] = key;
        // The CPU build plans on the CPU whatever the GPU; every other build on the GPU that failed.
        std::vector<std::string> args = {"plan", "learning", "--json", "--sysroot", machine, "--accelerator", tag};
        if (tag != "cpu") args.insert(args.end(), {"--device", device});
        auto r = test::run_gpuhost(args, no_user_data());
        BOOST_TEST(r.exit_code == 0, "rule " << s.rule << " (" << s.sample << ") on " << s.machine << " " << s.device
                                                << " suggests --accelerator " << tag << ", which plan refuses: "
                                                << r.error_output);
        if (r.exit_code == 0) BOOST_TEST(json::parse(r.output).at("accelerator").as_string() == tag);
    }
}

// The two failures the issue names: "driver too old" on the H100 recording
// (driver 565) suggested cu118, and "no kernel image" on a GTX 1080 (sm_61)
// offered cu128, which has no sm_61 kernels.
BOOST_AUTO_TEST_CASE(explain_suggests_builds_the_tables_offer_for_the_recorded_gpu) {
    auto machine = (kMachines / "nvidia-multi-gpu-server").string();
    auto r = test::run_gpuhost({"explain", "--json", "--sysroot", machine, (kErrors / "cuda_driver_too_old--1.txt").string()},
                               no_user_data());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto doc = json::parse(r.output).as_object();
    const auto &best = doc.at("matches").as_array().at(0).as_object();
    BOOST_TEST(best.at("id").as_string() == "cuda_driver_too_old");
    const auto &builds = doc.at("facts").at("gpu_builds").as_array();
    BOOST_REQUIRE(!builds.empty());
    std::string steps = json::serialize(best.at("steps"));
    BOOST_TEST(steps.find("--accelerator cu118") == std::string::npos, steps);
    BOOST_TEST(steps.find("--accelerator " + std::string(builds.front().as_string())) != std::string::npos, steps);
    BOOST_TEST(best.at("fix").at("accelerator").as_string() == builds.front().as_string());
}

BOOST_AUTO_TEST_CASE(no_kernel_image_on_a_pascal_gpu_offers_a_build_with_its_kernels) {
    // The H100 recording's inventory with its GPUs turned into GTX 1080s (sm_61).
    auto value = json::parse(slurp(fs::path(GPUHOST_FIXTURES) / "inventories/nvidia-multi-gpu-server.json"));
    for (auto &d : value.at("devices").as_array()) {
        auto &o = d.as_object();
        if (o.at("backend").as_string() != "cuda") continue;
        o["architecture"] = "6.1";
        o["name"] = "NVIDIA GeForce GTX 1080";
    }
    test::TempDir dir;
    dir.write("gtx1080.json", json::serialize(value));
    auto inventory = (dir / "gtx1080.json").string();
    auto r = test::run_gpuhost({"explain", "--json", "--inventory", inventory, (kErrors / "no_kernel_image--1.txt").string()},
                               no_user_data());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto doc = json::parse(r.output).as_object();
    const auto &best = doc.at("matches").as_array().at(0).as_object();
    BOOST_TEST(best.at("id").as_string() == "no_kernel_image");
    std::string tag(best.at("fix").at("accelerator").as_string());
    BOOST_TEST(tag != "cu128");  // torch's cu128 builds dropped sm_61
    auto plan = test::run_gpuhost({"plan", "learning", "--json", "--inventory", inventory, "--accelerator", tag},
                                  no_user_data());
    BOOST_REQUIRE_MESSAGE(plan.exit_code == 0, tag << ": " << plan.error_output);
    BOOST_TEST(json::parse(plan.output).at("device").as_string() == "cuda:0");
}
