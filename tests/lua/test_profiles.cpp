// The shipped profiles: each loads in the sandbox with sane fields, production
// pins its versions, vector_search follows the backend, and a profile's own
// run() flow acts only through registered, logged gpuhost functions.
#include "core/tool_runner.hpp"
#include "lua/planning.hpp"
#include "plugins/plugin_set.hpp"

#include <boost/test/unit_test.hpp>

using namespace gpuhost;
using namespace gpuhost::lua;
namespace json = boost::json;

namespace {

const char *kProfiles[] = {"vector_search", "learning",    "research",   "computer_vision",       "nlp",
                           "deep_learning", "production", "lightweight", "reinforcement_learning"};

Plan plan_on(const std::string &name, const json::array &devices) {
    auto file = resolve_profile(name);
    auto engine = engine_for_profile(file);
    auto profile = load_profile(*engine, file);
    Inventory inv;
    inv.devices = devices;
    PluginSet none;
    ToolRunner tools;
    PlanInputs in;
    in.inventory = &inv;
    in.plugins = &none;
    in.tools = &tools;
    in.env_root = "/envs";
    return make_plan(*engine, profile, in).plan;
}

json::object cpu() {
    return {{"id", "cpu:0"}, {"plugin", "cpu"}, {"backend", "cpu"}, {"name", "CPU"}, {"type", "cpu"},
            {"memory", {{"total_bytes", 32ll << 30}}}, {"usable", true}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_profile_loads_with_its_fields) {
    for (const char *name : kProfiles) {
        auto file = resolve_profile(name);
        BOOST_TEST(file.filename().string() == std::string(name) + ".lua");
        auto engine = engine_for_profile(file);
        auto p = load_profile(*engine, file);
        BOOST_TEST(p.name == name);
        BOOST_TEST(p.workload.min_memory_mib >= 1024, name);
        auto data = p.table.to_json().as_object();
        BOOST_TEST(data.at("env_version").as_int64() >= 1, name);
        BOOST_TEST(data.at("python").at("min").is_string(), name);
        BOOST_TEST(data.contains("description"), name);
    }
}

BOOST_AUTO_TEST_CASE(production_pins_every_package) {
    auto plan = plan_on("production", {cpu()});
    BOOST_REQUIRE(!plan.packages.empty());
    for (const auto &p : plan.packages) BOOST_TEST(p.find("==") != std::string::npos, p);
    BOOST_TEST(plan.python_max == "3.12");
}

BOOST_AUTO_TEST_CASE(vector_search_follows_the_backend) {
    auto on_cpu = plan_on("vector_search", {cpu()});
    BOOST_TEST(on_cpu.framework == "numpy");
    BOOST_TEST(on_cpu.smoke_test.find("np.argsort") != std::string::npos);
    BOOST_TEST(on_cpu.env_path == "/envs/vector_search");  // one environment per profile, as `run` uses

    json::object mac{{"id", "mps:0"}, {"plugin", "mps"}, {"backend", "mps"}, {"name", "Apple M2"},
                     {"type", "integrated"}, {"memory", {{"shared_bytes", 16ll << 30}}}, {"usable", true},
                     {"details", {{"macos_version", "14.5"}, {"arch", "arm64"}}}};
    auto on_mps = plan_on("vector_search", {mac, cpu()});
    BOOST_TEST(on_mps.device_id == "mps:0");
    BOOST_TEST(on_mps.framework == "pytorch");
    BOOST_TEST(on_mps.index_url.empty());  // the PyPI arm64 wheel carries MPS
    BOOST_TEST(on_mps.smoke_test.find("assert torch.backends.mps.is_available()") != std::string::npos);

    json::object nv{{"id", "cuda:0"}, {"plugin", "cuda"}, {"backend", "cuda"}, {"name", "RTX 3060"},
                    {"type", "discrete"}, {"memory", {{"total_bytes", 12ll << 30}}}, {"usable", true},
                    {"driver_version", "535.104.05"}, {"architecture", "8.6"}};
    auto on_cuda = plan_on("vector_search", {nv, cpu()});
    BOOST_TEST(on_cuda.framework == "cupy");
    BOOST_TEST(on_cuda.packages.front() == "cupy-cuda12x[ctk]>=14");
    BOOST_TEST(on_cuda.smoke_test.find("getDeviceCount() > 0") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(profile_run_flow_acts_through_logged_functions) {
    auto file = resolve_profile("reinforcement_learning");
    auto engine = engine_for_profile(file);
    auto profile = load_profile(*engine, file);
    std::vector<std::vector<std::string>> installs;
    int verified = 0;
    engine->add_function("install", [&](Call &c) { installs.push_back(c.strings(1)); }, Engine::Kind::action);
    engine->add_function("verify", [&](Call &) { ++verified; }, Engine::Kind::action);
    Plan plan;
    plan.profile = "reinforcement_learning";
    BOOST_TEST(run_profile_flow(*engine, profile, plan));
    BOOST_REQUIRE(installs.size() == 1u);
    BOOST_TEST(installs[0] == std::vector<std::string>{"gymnasium[classic-control]"});
    BOOST_TEST(verified == 1);
    BOOST_REQUIRE(engine->actions().size() == 2u);
    BOOST_TEST(engine->actions()[0].name == "install");
    BOOST_TEST(json::serialize(engine->actions()[0].args) == R"([["gymnasium[classic-control]"]])");

    auto plain = resolve_profile("nlp");
    auto e2 = engine_for_profile(plain);
    BOOST_TEST(!run_profile_flow(*e2, load_profile(*e2, plain), plan));
}
