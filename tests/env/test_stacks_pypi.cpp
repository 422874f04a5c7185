// The smoke tests of real plans against the real CPU packages from PyPI:
// the smoke test planned for a CUDA machine must fail on the CPU build, and
// name where it ran; the one planned for a CPU machine must pass. Needs the
// network; when pypi.org cannot be reached the cases are skipped and say so.
// Downloads go through a pip cache in the build tree (GPUHOST_TEST_PIP_CACHE),
// so only the first run fetches them: onnxruntime and numpy (about 45 MB), and
// for the JAX case (its own ctest entry, stacks_pypi_jax) jax, jaxlib and
// scipy (about 130 MB).
#include "core/subprocess.hpp"
#include "support/pypi_reachable.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"
#include "support/text.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <memory>

namespace fs = std::filesystem;
namespace json = boost::json;
using namespace gpuhost;
using test::contains;

namespace {

// A venv with `packages` from the real PyPI (pip's user settings ignored), made
// once per test program.
class PypiVenv {
public:
    explicit PypiVenv(const std::vector<std::string> &packages) {
        ProcessOptions o;
        o.timeout = std::chrono::seconds(600);
        o.env_set = {{"PIP_CONFIG_FILE", "/dev/null"}, {"PIP_DISABLE_PIP_VERSION_CHECK", "1"}};
        auto made = run_process("python3", {"-m", "venv", venv().string()}, o);
        BOOST_REQUIRE_MESSAGE(made.ok(), made.describe() + made.error_output);
        std::vector<std::string> args = {"-m", "pip", "install", "-q", "--index-url", "https://pypi.org/simple/",
                                         "--cache-dir", GPUHOST_TEST_PIP_CACHE};
        args.insert(args.end(), packages.begin(), packages.end());
        auto r = run_process(python(), args, o);
        BOOST_REQUIRE_MESSAGE(r.ok(), "pip install from PyPI failed: " + r.describe() + r.output + r.error_output);
    }
    fs::path venv() const { return dir_ / "venv"; }
    std::string python() const { return (venv() / "bin" / "python").string(); }
    // The smoke test as gpuhost runs it (python -c, verify.cpp).
    ProcessResult smoke(const std::string &script) const {
        ProcessOptions o;
        o.timeout = std::chrono::seconds(120);
        return run_process(python(), {"-c", script}, o);
    }

private:
    test::TempDir dir_;
};

const PypiVenv &onnxruntime_venv() {
    static std::unique_ptr<PypiVenv> v = std::make_unique<PypiVenv>(std::vector<std::string>{"onnxruntime", "numpy"});
    return *v;
}

std::string fixtures(const std::string &p) { return std::string(GPUHOST_FIXTURES) + "/" + p; }


std::string smoke(const json::object &p) { return std::string(p.at("smoke_test").as_string()); }

}  // namespace

BOOST_AUTO_TEST_SUITE(onnxruntime, *boost::unit_test::precondition(test::pypi_reachable{"onnxruntime"}))

BOOST_AUTO_TEST_CASE(cuda_plans_fail_on_the_cpu_package_naming_its_provider) {
    const auto &ort = onnxruntime_venv();
    // CUDA 13 (H200, driver 580) and CUDA 12 (the multi-GPU server) plans.
    for (const auto &where : {std::vector<std::string>{"--sysroot", fixtures("machines/nvidia-h200")},
                              std::vector<std::string>{"--inventory", fixtures("inventories/nvidia-multi-gpu-server.json")}}) {
        auto p = test::plan_json("lightweight", where);
        BOOST_TEST_REQUIRE(contains(json::serialize(p.at("packages")), "onnxruntime-gpu[cuda,cudnn]"));
        auto r = ort.smoke(smoke(p));
        BOOST_TEST(r.exit_code == 1, where[1] << ": " << r.describe() << r.output);
        BOOST_TEST(contains(r.error_output, "CUDAExecutionProvider is not in this onnxruntime"), r.error_output);
        BOOST_TEST(contains(r.error_output, "CPUExecutionProvider"), r.error_output);
    }
}

BOOST_AUTO_TEST_CASE(the_cpu_plan_passes_on_the_cpu_package) {
    auto p = test::plan_json("lightweight", {"--sysroot", fixtures("cpu/x86-avx512")});
    auto r = onnxruntime_venv().smoke(smoke(p));
    BOOST_TEST(r.ok(), r.describe() + r.output + r.error_output);
    BOOST_TEST(contains(r.output, "ok on CPUExecutionProvider"), r.output);
}

// A provider this package has (Azure) but that does not compute the MatMul:
// the session's profile shows the CPU ran it, and the test says so. A project
// copy of tables/frameworks.lua names that provider for the CPU entry.
BOOST_AUTO_TEST_CASE(a_provider_that_loads_but_does_not_compute_fails_too) {
    test::TempDir dir;
    auto table = test::read(fs::path(GPUHOST_SOURCE_DIR) / "scripts/tables/frameworks.lua");
    const std::string cpu_row = "cpu = { packages = { \"onnxruntime\" }, fallback = true },";
    auto at = table.find(cpu_row);
    BOOST_REQUIRE_MESSAGE(at != std::string::npos, "the onnxruntime cpu row changed: update this test");
    table.replace(at, cpu_row.size(), "cpu = { packages = { \"onnxruntime\" }, fallback = true, provider = \"AzureExecutionProvider\" },");
    dir.write("proj/scripts/tables/frameworks.lua", table);
    dir.write("proj/azure.lua", "return { name = 'azure', framework = 'onnxruntime', packages = { 'numpy' } }\n");
    auto p = test::plan_json((dir / "proj/azure.lua").string(), {"--sysroot", fixtures("cpu/x86-avx512")});
    BOOST_REQUIRE(contains(smoke(p), "WANT = \"AzureExecutionProvider\""));
    auto r = onnxruntime_venv().smoke(smoke(p));
    BOOST_TEST(r.exit_code == 1, r.describe() + r.output);
    BOOST_TEST(contains(r.error_output, "the model ran on CPUExecutionProvider, not AzureExecutionProvider"), r.error_output);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(jax, *boost::unit_test::precondition(test::pypi_reachable{"jax"}))

BOOST_AUTO_TEST_CASE(cuda_plans_fail_on_cpu_jax_and_the_cpu_plan_passes) {
    test::TempDir dir;
    dir.write("jax_stack.lua", "return { name = 'jax_stack', framework = 'jax', packages = {} }\n");
    std::string profile = (dir / "jax_stack.lua").string();
    auto cuda = test::plan_json(profile, {"--inventory", fixtures("inventories/nvidia-multi-gpu-server.json")});
    BOOST_TEST_REQUIRE(contains(json::serialize(cuda.at("packages")), "jax[cuda12]"));
    auto cpu = test::plan_json(profile, {"--sysroot", fixtures("cpu/x86-avx512")});
    PypiVenv jax({"jax"});  // CPU jax and jaxlib: what a GPU plan gets when the plugin is missing
    auto r = jax.smoke(smoke(cuda));
    BOOST_TEST(r.exit_code == 1, r.describe() + r.output);
    BOOST_TEST(contains(r.error_output, "JAX computes on cpu, not gpu"), r.error_output);
    r = jax.smoke(smoke(cpu));
    BOOST_TEST(r.ok(), r.describe() + r.output + r.error_output);
    BOOST_TEST(contains(r.output, "ok on cpu"), r.output);
}

BOOST_AUTO_TEST_SUITE_END()
