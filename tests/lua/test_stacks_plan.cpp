// Complete runtime stacks in the plan (issue 11): on recorded CUDA machines
// CuPy, ONNX Runtime and JAX come with the extras that bring their CUDA
// libraries from PyPI, and each smoke test demands the GPU; on a CPU machine
// neither the extras nor a GPU demand appear.
#include "core/subprocess.hpp"
#include "lua/vendors.hpp"
#include "plugins/manifest.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>

using namespace gpuhost;
using test::contains;
namespace json = boost::json;

namespace {


std::string machine(const std::string &name) { return std::string(GPUHOST_FIXTURES) + "/machines/" + name; }
std::string cpu_machine() { return std::string(GPUHOST_FIXTURES) + "/cpu/x86-avx512"; }
std::string inventory(const std::string &name) { return std::string(GPUHOST_FIXTURES) + "/inventories/" + name + ".json"; }


std::vector<std::string> packages(const json::object &p) {
    std::vector<std::string> out;
    for (const auto &x : p.at("packages").as_array()) out.emplace_back(x.as_string());
    return out;
}

std::string joined(const std::vector<std::string> &v) {
    std::string s;
    for (const auto &x : v) s += x + " ";
    return s;
}

bool has(const std::vector<std::string> &v, const std::string &x) { return std::find(v.begin(), v.end(), x) != v.end(); }

std::string smoke(const json::object &p) { return std::string(p.at("smoke_test").as_string()); }

// A profile file for a framework no shipped profile uses.
std::string profile_file(const test::TempDir &dir, const std::string &framework) {
    dir.write(framework + "_stack.lua", "return { name = '" + framework + "_stack', framework = '" + framework + "', packages = {} }\n");
    return (dir / (framework + "_stack.lua")).string();
}

struct Cuda {
    std::vector<std::string> where;
    int major;  // the CUDA major version the machine's plan is built for
};

// The recorded NVIDIA machines: H200 on driver 580 (CUDA 13), a WSL2 laptop
// and a multi-GPU server (CUDA 12).
std::vector<Cuda> cuda_machines() {
    return {{{"--sysroot", machine("nvidia-h200")}, 13},
            {{"--sysroot", machine("wsl2-nvidia")}, 12},
            {{"--sysroot", machine("nvidia-multi-gpu-server")}, 12},
            {{"--inventory", inventory("nvidia-multi-gpu-server")}, 12}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(cuda_machines_get_onnxruntime_with_its_cuda_libraries_and_a_provider_check) {
    for (const auto &m : cuda_machines()) {
        auto p = test::plan_json("lightweight", m.where);
        auto pk = packages(p);
        std::string want = m.major == 13 ? "onnxruntime-gpu[cuda,cudnn]>=1.27" : "onnxruntime-gpu[cuda,cudnn]>=1.21,<1.27";
        BOOST_TEST(has(pk, want), m.where[1] << ": " << joined(pk));
        BOOST_TEST(contains(smoke(p), "WANT = \"CUDAExecutionProvider\""), smoke(p));
        BOOST_TEST(contains(smoke(p), "if True and hasattr(ort, \"preload_dlls\")"), smoke(p));
    }
}

BOOST_AUTO_TEST_CASE(cuda_machines_get_cupy_with_its_toolkit_extra) {
    for (const auto &m : cuda_machines()) {
        auto p = test::plan_json("vector_search", m.where);
        auto pk = packages(p);
        BOOST_TEST(has(pk, "cupy-cuda" + std::to_string(m.major) + "x[ctk]>=14"), m.where[1] << ": " << joined(pk));
        BOOST_TEST(contains(smoke(p), "getDeviceCount() > 0"));
    }
}

BOOST_AUTO_TEST_CASE(cuda_machines_get_jax_with_its_cuda_plugin_and_tensorflow_with_cuda) {
    test::TempDir dir;
    std::string jax = profile_file(dir, "jax"), tf = profile_file(dir, "tensorflow");
    for (const auto &m : cuda_machines()) {
        auto p = test::plan_json(jax, m.where);
        std::string want = m.major == 13 ? "jax[cuda13]>=0.7" : "jax[cuda12]>=0.4.30";
        BOOST_TEST(has(packages(p), want), m.where[1] << ": " << joined(packages(p)));
        BOOST_TEST(contains(smoke(p), "WANT = \"gpu\""), smoke(p));
        auto t = test::plan_json(tf, m.where);
        BOOST_TEST(has(packages(t), "tensorflow[and-cuda]"), joined(packages(t)));
        BOOST_TEST(contains(smoke(t), "WANT = \"GPU\""), smoke(t));
    }
}

BOOST_AUTO_TEST_CASE(a_cpu_machine_gets_no_gpu_extras_and_smoke_tests_that_expect_the_cpu) {
    test::TempDir dir;
    auto p = test::plan_json("lightweight", {"--sysroot", cpu_machine()});
    BOOST_TEST(joined(packages(p)) == "onnxruntime numpy ");
    BOOST_TEST(contains(smoke(p), "WANT = \"CPUExecutionProvider\""), smoke(p));
    BOOST_TEST(contains(smoke(p), "if False and hasattr(ort, \"preload_dlls\")"), smoke(p));
    auto v = test::plan_json("vector_search", {"--sysroot", cpu_machine()});
    BOOST_TEST(joined(packages(v)) == "numpy>=1.26 ");
    auto j = test::plan_json(profile_file(dir, "jax"), {"--sysroot", cpu_machine()});
    BOOST_TEST(joined(packages(j)) == "jax ");
    BOOST_TEST(contains(smoke(j), "WANT = \"cpu\""), smoke(j));
    auto t = test::plan_json(profile_file(dir, "tensorflow"), {"--sysroot", cpu_machine()});
    BOOST_TEST(joined(packages(t)) == "tensorflow-cpu ");
    BOOST_TEST(contains(smoke(t), "WANT = \"CPU\""), smoke(t));
    // A CPU stand-in on a GPU backend (Apple: plain onnxruntime) expects the CPU too.
    auto a = test::plan_json("lightweight", {"--inventory", inventory("apple-m-series")});
    BOOST_TEST(contains(smoke(a), "WANT = \"CPUExecutionProvider\""), smoke(a));
    for (const auto &x : {p, v, j, t, a})
        for (const auto &pkg : packages(x)) BOOST_TEST(!contains(pkg, "["), pkg);
}

BOOST_AUTO_TEST_CASE(rocm7_gets_onnxruntime_migraphx_with_the_system_requirement_said) {
    auto p = test::plan_json("lightweight", {"--inventory", inventory("amd-rdna3-discrete")});
    BOOST_TEST(has(packages(p), "onnxruntime-migraphx"), joined(packages(p)));
    BOOST_TEST(contains(smoke(p), "WANT = \"MIGraphXExecutionProvider\""));
    // vector_search's own test demands CuPy's HIP build there.
    auto v = test::plan_json("vector_search", {"--inventory", inventory("amd-rdna3-discrete")});
    BOOST_TEST(contains(smoke(v), "assert cp.cuda.runtime.is_hip"), smoke(v));
    BOOST_TEST(contains(json::serialize(p.at("notes")), "needs ROCm 7 with MIGraphX installed on the system"));
}

// The vendors' torch tests check the product's device, the CPU's one too.
BOOST_AUTO_TEST_CASE(torch_smoke_tests_check_the_products_device) {
    auto p = test::plan_json("nlp", {"--inventory", inventory("nvidia-multi-gpu-server")});
    BOOST_TEST(contains(smoke(p), "assert prod.device.type == dev.type"), smoke(p));
    auto c = test::plan_json("nlp", {"--sysroot", cpu_machine()});
    BOOST_TEST(contains(smoke(c), "assert got.device.type == \"cpu\""), smoke(c));
}

// A GPU plan with no device check known (a third-party vendor that gives no
// torch test, an ONNX Runtime build with no provider named) gets a smoke test
// that fails and says why, never one that passes on the CPU.
BOOST_AUTO_TEST_CASE(a_gpu_plan_without_a_known_device_check_fails_and_says_why) {
    test::TempDir dir;
    dir.write("quiet.gpuhost-plugin.json",
              R"({"manifest":1,"name":"quiet","vendor":"other","library":"libquiet.so","abi":{"min":1,"max":1},)"
              R"("backends":["xyz"],"priority":50,"scripts":{"vendor":"quiet/vendor.lua"}})");
    dir.write("libquiet.so", "not opened");
    dir.write("quiet/vendor.lua", "return { backends = { 'xyz' }, accelerators = function() return {} end }\n");
    std::filesystem::permissions(dir / "quiet", std::filesystem::perms::group_write | std::filesystem::perms::others_write,
                                 std::filesystem::perm_options::remove);
    lua::Engine engine;
    PluginSearchOptions o;
    o.dirs = {dir.path()};
    auto v = lua::load_vendor_scripts(engine, o);
    BOOST_REQUIRE(v.problems.empty());
    for (auto [framework, named] : {std::pair{"pytorch", "torch"}, std::pair{"onnxruntime", "onnxruntime"}}) {
        auto got = engine
                       .run_string(std::string("return require('lib.planner').default_smoke_test('") + framework +
                                       "', 'xyz', { accelerator = 'xyz' })",
                                   "check")
                       .to_json();
        std::string script(got.as_string());
        auto r = run_process("python3", {"-c", script}, {});
        BOOST_TEST(r.exit_code == 1, framework << ": " << r.describe());
        BOOST_TEST(contains(r.error_output, std::string("no smoke test proves ") + named + " computes on the xyz device"),
                   r.error_output);
    }
}
