// Places where two parts of gpuhost used to disagree, each checked as a user
// meets it: a Mac plans MPS from PyPI; a profile that needs torchvision gets a
// torch line that has it; fix steps name the environment `run` really used;
// network steps test the index that failed.
#include "plan/plan.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include "core/files.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace gpuhost;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::string kFixtures = GPUHOST_FIXTURES;

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

std::map<std::string, std::string> env() { return {{"XDG_DATA_HOME", "/nonexistent-gpuhost-data"}}; }

json::object plan_json(const std::vector<std::string> &args) {
    std::vector<std::string> all = {"plan"};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("--json");
    auto r = test::run_gpuhost(all, env());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    return json::parse(r.output).as_object();
}

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_mac_plans_pypi_torch_on_mps) {
    // The recording has no macOS version: the PyPI arm64 wheel carries MPS either
    // way, and the smoke test checks torch.backends.mps.is_available().
    auto plan = plan_json({"learning", "--sysroot", kFixtures + "/machines/apple-m-series", "--device", "mps:0"});
    BOOST_TEST(plan.at("device").as_string() == "mps:0");
    BOOST_TEST(plan.at("backend").as_string() == "mps");
    BOOST_TEST(plan.at("accelerator").as_string() == "mps");
    BOOST_TEST(plan.at("index_url").as_string() == "");  // PyPI, not download.pytorch.org/whl/cpu
    BOOST_TEST(has(json::serialize(plan.at("notes")), "macOS version unknown"));
}

BOOST_AUTO_TEST_CASE(a_profile_that_needs_torchvision_gets_a_torch_line_with_it) {
    // An RTX 5090 (sm_120) on driver 580: the newest torch line (2.15) has no torchvision.
    auto value = json::parse(slurp(fs::path(kFixtures) / "inventories/nvidia-multi-gpu-server.json"));
    for (auto &d : value.at("devices").as_array()) {
        auto &o = d.as_object();
        if (o.at("backend").as_string() != "cuda") continue;
        o["architecture"] = "12.0";
        o["name"] = "NVIDIA GeForce RTX 5090";
        o["driver_version"] = "580.95.05";
    }
    test::TempDir dir;
    dir.write("rtx5090.json", json::serialize(value));
    auto inventory = (dir / "rtx5090.json").string();
    auto cv = plan_json({"computer_vision", "--inventory", inventory});
    BOOST_TEST(cv.at("backend").as_string() == "cuda");
    std::string torch, torchvision;
    for (const auto &p : cv.at("packages").as_array()) {
        std::string spec(p.as_string());
        if (spec.rfind("torch==", 0) == 0) torch = spec;
        if (spec.rfind("torchvision==", 0) == 0) torchvision = spec;
    }
    BOOST_TEST(!torchvision.empty(), json::serialize(cv.at("packages")));
    BOOST_TEST(torch == "torch==2.14.1");  // the line torchvision 0.29.1 is pinned to in tables/pytorch.lua
    // A profile that does not need it keeps the newest line.
    auto learning = plan_json({"learning", "--inventory", inventory});
    BOOST_TEST(has(json::serialize(learning.at("packages")), "torch==2.15.0"));
}

BOOST_AUTO_TEST_CASE(network_steps_test_the_index_that_failed) {
    test::TempDir dir;
    dir.write("log.txt",
              "Looking in indexes: https://download.pytorch.org/whl/cu126\n"
              "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection "
              "broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to "
              "establish a new connection: [Errno -3] Temporary failure in name resolution')': /whl/cu126/torch/\n"
              "ERROR: Could not find a version that satisfies the requirement torch==2.14.1 (from versions: none)\n");
    auto r = test::run_gpuhost({"explain", "--json", "--text-only", (dir / "log.txt").string()}, env());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    std::string found;
    json::value doc = json::parse(r.output);
    for (const auto &m : doc.at("matches").as_array())
        if (m.at("id").as_string() == "network_unreachable") found = json::serialize(m.at("steps"));
    BOOST_REQUIRE(!found.empty());
    BOOST_TEST(has(found, "getent hosts download.pytorch.org"), found);
    BOOST_TEST(!has(found, "pypi.org"), found);
}

BOOST_AUTO_TEST_CASE(fix_steps_name_the_environment_run_used) {
    // A plan whose one package no index has (an empty wheelhouse): resolving it
    // fails (exit 3), and the diagnosis's steps name the --env folder, not the default one.
    test::TempDir dir;
    Plan plan;
    plan.profile = "agreement";
    plan.device_id = "cpu:0";
    plan.device_name = "CPU";
    plan.backend = "cpu";
    plan.accelerator = "cpu";
    plan.framework = "numpy";
    plan.python_min = "3.8";
    plan.python_max = "3.99";
    plan.env_path = "/nonexistent-default/envs/agreement";
    plan.packages = {"gpuhost-no-such-package==1.0"};
    plan.smoke_test = "print('ok')";
    dir.write("plan.json", pretty_json(plan.to_json()));
    fs::create_directories(dir / "wheels");
    auto venv = dir / "my-env";
    auto r = test::run_gpuhost({"run", "--plan", (dir / "plan.json").string(), "--env", venv.string(), "--wheelhouse",
                                (dir / "wheels").string(), "--installer", "pip", "--json"},
                               env());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 3, r.exit_code << ": " << r.error_output);
    auto report = json::parse(r.output).as_object();
    std::string diagnosis = json::serialize(report.at("diagnosis"));
    BOOST_TEST(!has(diagnosis, "/nonexistent-default"), diagnosis);
    BOOST_TEST(has(diagnosis, venv.string()), diagnosis);
    BOOST_TEST(report.at("plan").at("env_path").as_string() == venv.string());
}
