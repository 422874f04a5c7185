// `gpuhost plan` and `recommend` as a user runs them: every profile on six
// recorded machines (hand-written inventories from tests/fixtures/machines) and
// a replayed CPU-only machine, compared with reviewed golden plans; bad input.
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include "core/files.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>

using namespace gpuhost;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

const char *kProfiles[] = {"vector_search", "learning",    "research",   "computer_vision",       "nlp",
                           "deep_learning", "production", "lightweight", "reinforcement_learning"};
const char *kMachines[] = {"nvidia-multi-gpu-server", "laptop-intel-igpu-nvidia-dgpu", "amd-rdna3-discrete",
                           "amd-gfx1031-override",    "amd-polaris-gfx803",            "apple-m-series"};

// Paths and prose are left out: the golden holds the decisions.
json::object decisions(const json::object &plan) {
    json::object o;
    for (const char *k : {"device", "backend", "accelerator", "framework", "index_url", "extra_index_urls", "packages", "env"})
        o[k] = plan.at(k);
    return o;
}

std::map<std::string, std::string> env() { return {{"XDG_DATA_HOME", "/nonexistent-gpuhost-data"}, {"XDG_CACHE_HOME", "/nonexistent-gpuhost-cache"}}; }

void compare_with_golden(const std::string &machine, const std::vector<std::string> &extra) {
    json::object got;
    for (const char *profile : kProfiles) {
        std::vector<std::string> args = {"plan", profile, "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto r = test::run_gpuhost(args, env());
        BOOST_REQUIRE_MESSAGE(r.exit_code == 0, machine << " " << profile << ": " << r.error_output);
        got[profile] = decisions(json::parse(r.output).as_object());
    }
    fs::path golden = fs::path(GPUHOST_FIXTURES) / "plans" / (machine + ".json");
    if (std::getenv("GPUHOST_UPDATE_GOLDENS")) {
        // Rewriting is not checking: fail so the diff gets reviewed before anyone trusts it.
        write_file_atomic(golden, pretty_json(got));
        BOOST_FAIL("golden " << golden.string() << " rewritten: review `git diff` and run again without GPUHOST_UPDATE_GOLDENS");
    }
    auto want = read_json_file(golden);
    for (const char *profile : kProfiles)
        BOOST_TEST(json::serialize(got.at(profile)) == json::serialize(want.at(profile)), machine << " " << profile);
}

}  // namespace

BOOST_AUTO_TEST_CASE(recorded_machines_match_golden_plans) {
    for (const char *m : kMachines)
        compare_with_golden(m, {"--inventory", std::string(GPUHOST_FIXTURES) + "/inventories/" + m + ".json"});
}

BOOST_AUTO_TEST_CASE(replayed_cpu_only_machine_matches_golden_plans) {
    compare_with_golden("cpu-only", {"--sysroot", std::string(GPUHOST_FIXTURES) + "/cpu/x86-avx512"});
}

BOOST_AUTO_TEST_CASE(default_profile_plans_numpy_with_a_smoke_test) {
    auto r = test::run_gpuhost({"plan", "--json"}, env());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto p = json::parse(r.output).as_object();
    BOOST_TEST(p.at("profile").as_string() == "vector_search");
    std::string smoke(p.at("smoke_test").as_string());
    BOOST_TEST(smoke.find("import numpy") != std::string::npos);
    BOOST_TEST(smoke.find("assert top[:, 0].tolist() == [3, 141, 1999]") != std::string::npos);
    auto req = test::run_gpuhost({"plan", "vector_search", "--format", "requirements", "--inventory",
                                  std::string(GPUHOST_FIXTURES) + "/inventories/nvidia-multi-gpu-server.json"}, env());
    BOOST_TEST(req.exit_code == 0);
    BOOST_TEST(req.output.find("cupy-cuda12x") != std::string::npos, req.output);
    auto nlp = test::run_gpuhost({"plan", "nlp", "--format", "conda", "--inventory",
                                  std::string(GPUHOST_FIXTURES) + "/inventories/amd-rdna3-discrete.json"}, env());
    // torch from PyTorch's index (pinned with its label), transformers from the default index.
    BOOST_TEST(nlp.output.find("    - --extra-index-url https://download.pytorch.org/whl/rocm") != std::string::npos, nlp.output);
    BOOST_TEST(nlp.output.find("    - torch==2.14.1+rocm") != std::string::npos, nlp.output);
    BOOST_TEST(nlp.output.find("    - transformers\n") != std::string::npos, nlp.output);
    BOOST_TEST(nlp.output.find("  - pip:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(gpu_smoke_tests_demand_the_gpu) {
    auto r = test::run_gpuhost({"plan", "nlp", "--json", "--inventory",
                                std::string(GPUHOST_FIXTURES) + "/inventories/nvidia-multi-gpu-server.json"}, env());
    auto smoke = std::string(json::parse(r.output).at("smoke_test").as_string());
    // The cuda vendor's own smoke test (plugins/cuda/vendor.lua): on the GPU or it fails.
    BOOST_TEST(smoke.find("dev = torch.device(\"cuda\")") != std::string::npos, smoke);
    BOOST_TEST(smoke.find("assert torch.cuda.is_available()") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(device_option_and_bad_input) {
    std::string inv = std::string(GPUHOST_FIXTURES) + "/inventories/nvidia-multi-gpu-server.json";
    auto r = test::run_gpuhost({"plan", "nlp", "--json", "--device", "cuda:3", "--inventory", inv}, env());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    BOOST_TEST(json::parse(r.output).at("device").as_string() == "cuda:3");
    r = test::run_gpuhost({"plan", "nlp", "--device", "cuda:9", "--inventory", inv}, env());
    BOOST_TEST(r.exit_code == 4);
    r = test::run_gpuhost({"plan", "nlp", "--device", "rocm:0", "--inventory",
                           std::string(GPUHOST_FIXTURES) + "/inventories/amd-polaris-gfx803.json"}, env());
    BOOST_TEST(r.exit_code == 4);
    BOOST_TEST(r.error_output.find("gfx803") != std::string::npos, r.error_output);
    r = test::run_gpuhost({"plan", "no_such_profile"}, env());
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.error_output.find("known: computer_vision") != std::string::npos, r.error_output);

    test::TempDir dir;
    dir.write("broken.lua", "return {\n  name = 'broken',\n  framework = 'pytorch',\n  packages = {'x'} .. nil,\n}\n");
    r = test::run_gpuhost({"plan", (dir / "broken.lua").string()}, env());
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.error_output.find((dir / "broken.lua").string() + ":4:") != std::string::npos, r.error_output);
    dir.write("escape.lua", "io.open('/etc/passwd')\nreturn {}\n");
    r = test::run_gpuhost({"plan", (dir / "escape.lua").string()}, env());
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.error_output.find("escape.lua:1: attempt to index a nil value (global 'io')") != std::string::npos, r.error_output);
    // A project's scripts/ beside the profile overrides one installed table.
    dir.write("proj/p.lua", "return {name = 'p', framework = 'numpy', packages = {require('lib.extra').pkg}}\n");
    dir.write("proj/scripts/lib/extra.lua", "return {pkg = 'faiss-cpu'}\n");
    r = test::run_gpuhost({"plan", (dir / "proj/p.lua").string(), "--json"}, env());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    BOOST_TEST(r.output.find("faiss-cpu") != std::string::npos);
    // ...but not when other users can write to that scripts/ folder.
    fs::permissions(dir / "proj/scripts", fs::perms::others_write, fs::perm_options::add);
    r = test::run_gpuhost({"plan", (dir / "proj/p.lua").string(), "--json"}, env());
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.error_output.find("project scripts " + (dir / "proj/scripts").string() + " ignored") != std::string::npos,
               r.error_output);

    // A recorded inventory that breaks the schema is named, not blamed on a script.
    dir.write("bad-inventory.json", R"({"schema":1,"plugins":[],"devices":[{"id":"cuda:0","vendor":"nvidia",
        "backend":"cuda","name":"x","type":"discrete","memory":5,"signals":[],"usable":true}]})");
    r = test::run_gpuhost({"plan", "--inventory", (dir / "bad-inventory.json").string()}, env());
    BOOST_TEST(r.exit_code == 3);
    BOOST_TEST(r.error_output.find("bad-inventory.json: devices[0].memory: must be an object") != std::string::npos,
               r.error_output);
}

BOOST_AUTO_TEST_CASE(recommend_scores_every_profile) {
    auto r = test::run_gpuhost({"recommend", "--json", "--inventory",
                                std::string(GPUHOST_FIXTURES) + "/inventories/amd-polaris-gfx803.json"}, env());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto list = json::parse(r.output).at("profiles").as_array();
    BOOST_TEST(list.size() == 9u);
    for (const auto &p : list) {
        BOOST_TEST(p.at("score").as_int64() >= 0);
        BOOST_TEST(p.at("score").as_int64() <= 100);
        if (p.at("profile").as_string() == "deep_learning") BOOST_TEST(p.at("score").as_int64() < 50);
    }
    auto gpu = test::run_gpuhost({"recommend", "--json", "--inventory",
                                  std::string(GPUHOST_FIXTURES) + "/inventories/nvidia-multi-gpu-server.json"}, env());
    BOOST_REQUIRE_MESSAGE(gpu.exit_code == 0, gpu.error_output);
    auto scored = json::parse(gpu.output);
    for (const auto &p : scored.at("profiles").as_array()) BOOST_TEST(p.at("score").as_int64() == 100);
}
