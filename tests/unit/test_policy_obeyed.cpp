// The user's policy means the same in select, recommend, plan and run:
// force_backend is strict everywhere (exit 4 with the reason, before anything
// is written), settings naming unknown backends are refused (exit 2, listing
// the known ones), device and preferred_backend pick the same device in select
// and plan, memory classes ("8 GB" cards meet 8 GiB needs), and select names the
// build plan installs.
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <map>

using namespace gpuhost;
namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

const std::string kFixtures = GPUHOST_FIXTURES;
const std::string kCpuOnly = kFixtures + "/cpu/x86-avx512";
const std::string kH100 = kFixtures + "/machines/nvidia-multi-gpu-server";  // H100s, driver 565
const std::string kRtx4060 = kFixtures + "/machines/wsl2-nvidia";           // 8188 MiB

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

std::map<std::string, std::string> env(std::map<std::string, std::string> more = {}) {
    more.emplace("XDG_DATA_HOME", "/nonexistent-gpuhost-data");
    return more;
}

json::object plan_json(const std::vector<std::string> &args, const std::map<std::string, std::string> &vars = {}) {
    std::vector<std::string> all = {"plan"};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("--json");
    auto r = test::run_gpuhost(all, env(vars));
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    return json::parse(r.output).as_object();
}

std::string chosen_by_select(const std::vector<std::string> &args, const std::map<std::string, std::string> &vars = {}) {
    std::vector<std::string> all = {"select", "--json"};
    all.insert(all.end(), args.begin(), args.end());
    auto r = test::run_gpuhost(all, env(vars));
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    auto chosen = json::parse(r.output).at("chosen");
    return chosen.is_string() ? std::string(chosen.as_string()) : std::string();
}

// `run` has no --sysroot: it runs on this machine, where a unit test sees only
// the cpu plugin. A plugin folder declaring backend "cuda" (its library is never
// opened successfully: its probe fails) makes cuda a known backend without a device.
struct DeclaredCuda {
    test::TempDir dir;
    DeclaredCuda() {
        dir.write("fakecuda.gpuhost-plugin.json",
                  R"({"manifest":1,"name":"fakecuda","vendor":"other","library":"libfakecuda.so",)"
                  R"("abi":{"min":1,"max":1},"backends":["cuda"],"priority":50})");
        dir.write("libfakecuda.so", "not a library");
    }
    std::map<std::string, std::string> vars(std::map<std::string, std::string> more = {}) const {
        more.emplace("GPUHOST_PLUGIN_PATH", dir.path().string());
        return env(more);
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(force_backend_with_no_such_device_exits_4_in_every_command) {
    std::map<std::string, std::string> forced{{"GPUHOST_FORCE_BACKEND", "cuda"}};
    auto select = test::run_gpuhost({"select", "--sysroot", kCpuOnly}, env(forced));
    BOOST_TEST(select.exit_code == 4, select.error_output);

    auto plan = test::run_gpuhost({"plan", "vector_search", "--sysroot", kCpuOnly}, env(forced));
    BOOST_TEST(plan.exit_code == 4, plan.output);
    BOOST_TEST(has(plan.error_output, "force_backend cuda: no cuda device was detected"), plan.error_output);
    BOOST_TEST(plan.output.empty(), plan.output);  // no CPU plan printed instead

    auto recommend = test::run_gpuhost({"recommend", "--sysroot", kCpuOnly}, env(forced));
    BOOST_TEST(recommend.exit_code == 4, recommend.output);
    BOOST_TEST(has(recommend.error_output, "force_backend cuda"), recommend.error_output);

    // run: refused before the environment's folder is made.
    DeclaredCuda cuda;
    test::TempDir dir;
    auto venv = dir / "venv";
    auto run = test::run_gpuhost({"run", "vector_search", "--env", venv.string()}, cuda.vars(forced));
    BOOST_TEST(run.exit_code == 4, run.error_output);
    BOOST_TEST(has(run.error_output, "force_backend cuda: no cuda device was detected"), run.error_output);
    BOOST_TEST(!fs::exists(venv));
}

BOOST_AUTO_TEST_CASE(force_backend_with_a_gpu_that_has_no_build_for_it_exits_4) {
    // The H100s are there, but --accelerator cpu would plan for the CPU.
    auto plan = test::run_gpuhost({"plan", "learning", "--sysroot", kH100, "--accelerator", "cpu"},
                                  env({{"GPUHOST_FORCE_BACKEND", "cuda"}}));
    BOOST_TEST(plan.exit_code == 4, plan.output);
    BOOST_TEST(has(plan.error_output, "force_backend cuda: the plan would run on cpu:0"), plan.error_output);
}

BOOST_AUTO_TEST_CASE(a_run_of_a_plan_file_for_another_backend_is_refused_under_force_backend) {
    test::TempDir dir;
    auto plan = test::run_gpuhost({"plan", "vector_search", "--sysroot", kCpuOnly, "--json", "-o", (dir / "plan.json").string()},
                                  env());
    BOOST_REQUIRE_MESSAGE(plan.exit_code == 0, plan.error_output);
    auto venv = dir / "venv";
    DeclaredCuda cuda;
    auto run = test::run_gpuhost({"run", "--plan", (dir / "plan.json").string(), "--env", venv.string()},
                                 cuda.vars({{"GPUHOST_FORCE_BACKEND", "cuda"}}));
    BOOST_TEST(run.exit_code == 4, run.error_output);
    BOOST_TEST(has(run.error_output, "force_backend cuda: the plan is for cpu:0"), run.error_output);
    BOOST_TEST(!fs::exists(venv));
}

BOOST_AUTO_TEST_CASE(settings_naming_an_unknown_backend_are_refused_with_the_known_ones) {
    for (const auto &[var, value] : std::map<std::string, std::string>{{"GPUHOST_FORCE_BACKEND", "banana"},
                                                                       {"GPUHOST_PREFERRED_BACKEND", "banana"},
                                                                       {"GPUHOST_BACKEND_PRIORITY", "cuda,banana"}}) {
        for (const auto &command : std::vector<std::vector<std::string>>{{"select", "--sysroot", kCpuOnly},
                                                                         {"plan", "learning", "--sysroot", kCpuOnly},
                                                                         {"recommend", "--sysroot", kCpuOnly},
                                                                         {"run", "learning", "--env",
                                                                          "/nonexistent-gpuhost-env"}}) {
            DeclaredCuda cuda;
            auto r = test::run_gpuhost(command, cuda.vars({{var, value}}));
            BOOST_TEST(r.exit_code == 2, command[0] << " " << var << ": " << r.error_output);
            BOOST_TEST(has(r.error_output, "\"banana\" is not a backend any loaded plugin declares"), r.error_output);
            BOOST_TEST(has(r.error_output, "cuda"), r.error_output);  // the known backends are listed
        }
    }
    // config reads the manifests only (no probe): every real plugin may take part.
    test::TempDir config;
    std::map<std::string, std::string> all_plugins{{"XDG_CONFIG_HOME", config.path().string()},
                                                   {"GPUHOST_DISABLE_PLUGINS", ""}};
    for (const char *key : {"force_backend", "preferred_backend", "backend_priority"}) {
        auto r = test::run_gpuhost({"config", "set", key, "banana"}, all_plugins);
        BOOST_TEST(r.exit_code == 2, key << ": " << r.error_output);
        BOOST_TEST(has(r.error_output, std::string(key) + " \"banana\" is not a backend any loaded plugin declares"),
                   r.error_output);
        BOOST_TEST(has(r.error_output, "rocm"), r.error_output);
    }
    BOOST_TEST(!fs::exists(config / "gpuhost.json"));  // nothing written
    auto ok = test::run_gpuhost({"config", "set", "force_backend", "rocm"}, all_plugins);
    BOOST_TEST(ok.exit_code == 0, ok.error_output);
}

BOOST_AUTO_TEST_CASE(device_and_preferred_backend_pick_the_same_device_in_select_and_plan) {
    struct Case {
        std::map<std::string, std::string> vars;
        std::string want;
    };
    std::vector<Case> cases = {
        {{}, ""},  // whatever select picks, plan picks
        {{{"GPUHOST_DEVICE", "cuda:1"}}, "cuda:1"},
        {{{"GPUHOST_DEVICE", "2"}, {"GPUHOST_PREFERRED_BACKEND", "cuda"}}, "cuda:2"},
        {{{"GPUHOST_PREFERRED_BACKEND", "cpu"}}, "cpu:0"},
        {{{"GPUHOST_FORCE_BACKEND", "cpu"}}, "cpu:0"},
    };
    for (const auto &c : cases) {
        std::string selected = chosen_by_select({"--sysroot", kH100, "--workload-memory", "2048"}, c.vars);
        auto plan = plan_json({"learning", "--sysroot", kH100}, c.vars);
        if (!c.want.empty()) BOOST_TEST(selected == c.want);
        BOOST_TEST(plan.at("device").as_string() == selected, json::serialize(plan.at("notes")));
    }
}

BOOST_AUTO_TEST_CASE(an_8_gb_card_meets_an_8_gib_profile) {
    // The RTX 4060 reports 8188 MiB; nlp needs 8192 MiB.
    auto plan = plan_json({"nlp", "--sysroot", kRtx4060});
    BOOST_TEST(plan.at("backend").as_string() == "cuda");
    BOOST_TEST(plan.at("device").as_string() == "cuda:0");
    BOOST_TEST(chosen_by_select({"--sysroot", kRtx4060, "--workload-memory", "8192"}) == "cuda:0");
    // More than 5% short is not the same class: 16384 MiB (deep_learning) plans on the CPU,
    // and the first line says which device was passed over and why.
    auto text = test::run_gpuhost({"plan", "deep_learning", "--sysroot", kRtx4060}, env());
    BOOST_REQUIRE_MESSAGE(text.exit_code == 0, text.error_output);
    BOOST_TEST(text.output.rfind("passed over  cuda:0", 0) == 0, text.output);
    BOOST_TEST(has(text.output.substr(0, text.output.find('\n')), "8188 MiB, needs 16384 MiB"), text.output);
}

BOOST_AUTO_TEST_CASE(select_names_the_build_plan_installs) {
    // Driver 565 supports CUDA up to 12.7; there is no cu127 wheel.
    auto r = test::run_gpuhost({"select", "--sysroot", kH100}, env());
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.error_output);
    BOOST_TEST(!has(r.output, "cu127"), r.output);
    auto plan = plan_json({"learning", "--sysroot", kH100});
    BOOST_TEST(has(r.output, "best build: " + std::string(plan.at("accelerator").as_string())), r.output);
    // The fleet labels name the same build.
    auto labels = test::run_gpuhost({"export", "nfd", "--sysroot", kH100}, env());
    BOOST_REQUIRE_MESSAGE(labels.exit_code == 0, labels.error_output);
    BOOST_TEST(!has(labels.output, "cu127"), labels.output);
    BOOST_TEST(has(labels.output, "gpuhost.io/cuda-0.best-build=" + std::string(plan.at("accelerator").as_string())),
               labels.output);
}
