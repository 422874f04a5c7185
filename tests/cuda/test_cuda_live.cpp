// Live, on a real NVIDIA GPU: the cuda plugin's own kernels (PTX from nvcc,
// JIT-compiled by the driver) on every GPU gpuhost finds, against the float64
// reference at awkward and larger sizes; and each GPU as nvidia-smi lists it.
// The GPU is found through the machine's own libcuda.so.1, never a test driver
// (support/live_machine.hpp); where there is none, every case is skipped and
// says why (ctest: cuda_live_nvidia, skipped).
#include "kernels/kernel_fixture.hpp"
#include "kernels/checker.hpp"
#include "support/live_machine.hpp"
#include "support/run_gpuhost.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <cctype>
#include <map>
#include <sstream>
#include <tuple>
#include <vector>

namespace json = boost::json;
using namespace gpuhost;
using kernels::KernelRequest;

namespace {

std::string s(const json::value &v) { return v.is_string() ? std::string(v.as_string()) : json::serialize(v); }

// The cuda plugin's usable GPUs in the live inventory.
std::vector<const json::object *> usable_gpus() {
    std::vector<const json::object *> out;
    for (const auto &d : test::LivePlugins::get().inventory.devices)
        if (d.at("plugin") == "cuda" && d.at("usable").as_bool()) out.push_back(&d.as_object());
    return out;
}

struct cuda_kernels_built {
    boost::test_tools::assertion_result operator()(boost::unit_test::test_unit_id) {
        boost::test_tools::assertion_result ok(GPUHOST_CUDA_KERNELS_BUILT != 0);
        ok.message() << "this build's cuda plugin has no kernels (nvcc was not found when it was configured)";
        return ok;
    }
};

std::vector<KernelRequest> requests() {
    std::vector<KernelRequest> all;
    for (std::uint32_t kernel : {GPUHOST_KERNEL_SAXPY, GPUHOST_KERNEL_DOT, GPUHOST_KERNEL_COPY})
        for (std::uint64_t n : {1ull, 3ull, 1023ull, 1000003ull, 1ull << 26})
            all.push_back(KernelRequest{.kernel = kernel, .n = n, .repeats = 2});
    using Shape = std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>;
    for (auto [m, n, k] : std::vector<Shape>{{1, 1, 1}, {3, 5, 7}, {33, 17, 1023}, {130, 97, 61}, {1024, 1024, 1024}})
        all.push_back(KernelRequest{.kernel = GPUHOST_KERNEL_SGEMM, .m = m, .n = n, .k = k, .repeats = 1});
    // rows, dimensions, top k (past the row count too)
    for (auto [rows, dims, top] : std::vector<Shape>{{1, 384, 1}, {3, 3, 2}, {1023, 384, 10}, {3, 16, 5}, {200000, 384, 25}})
        all.push_back(KernelRequest{.kernel = GPUHOST_KERNEL_COSINE_TOPK, .m = rows, .k = dims,
                                    .top_k = std::uint32_t(top), .repeats = 1});
    return all;
}

}  // namespace

BOOST_AUTO_TEST_CASE(cuda_kernels_match_the_reference_on_every_gpu,
                     *test::needs(test::kNvidiaGpu) * boost::unit_test::precondition(cuda_kernels_built())) {
    auto &live = test::LivePlugins::get();
    auto gpus = usable_gpus();
    BOOST_REQUIRE_MESSAGE(!gpus.empty(), "libcuda reports a GPU, but gpuhost lists no usable cuda device");
    for (const auto *gpu : gpus)
        for (const auto &r : requests()) {
            auto check = kernels::run_on_device(live.plugins, live.tools, *gpu, r);
            BOOST_TEST_CONTEXT(s(gpu->at("id")) << " " << check.kernel << " m=" << r.m << " n=" << r.n << " k=" << r.k
                                                << " top_k=" << r.top_k << ": " << check.error << " / " << check.note) {
                BOOST_TEST(check.ran);
                BOOST_TEST(check.passed);
                BOOST_TEST(check.plugin == "cuda");  // the plugin's own kernel, not a probe's
                BOOST_TEST(check.device_timer);      // CUDA events
                BOOST_TEST(check.seconds > 0);
            }
        }
}

// nvidia-smi, the driver's own tool, against gpuhost's records of the same GPUs.
BOOST_AUTO_TEST_CASE(every_gpu_is_the_one_nvidia_smi_lists,
                     *test::needs(test::kNvidiaGpu) * test::needs_tool("nvidia-smi")) {
    auto smi = test::run_machine_tool(
        "nvidia-smi", {"--query-gpu=uuid,name,pci.bus_id,memory.total,driver_version", "--format=csv,noheader,nounits"});
    BOOST_REQUIRE_MESSAGE(smi.ok(), "nvidia-smi: " + smi.describe() + ": " + smi.error_output);
    auto detected = test::run_gpuhost_live({"detect", "--json"});
    BOOST_REQUIRE_MESSAGE(detected.ok(), detected.describe() + ": " + detected.error_output);
    std::map<std::string, json::object> by_uuid;
    auto inventory = json::parse(detected.output);
    for (const auto &d : inventory.at("devices").as_array())
        if (d.at("plugin") == "cuda") by_uuid[s(d.at("uuid"))] = d.as_object();
    std::istringstream lines(smi.output);
    size_t listed = 0;
    for (std::string line; std::getline(lines, line);) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        for (std::string x; std::getline(fields, x, ',');) f.push_back(x.substr(x.find_first_not_of(' ')));
        BOOST_REQUIRE_MESSAGE(f.size() == 5u, "unexpected nvidia-smi line: " + line);
        ++listed;
        BOOST_TEST_CONTEXT("nvidia-smi: " << line) {
            auto it = by_uuid.find(f[0]);
            BOOST_REQUIRE(it != by_uuid.end());
            const auto &d = it->second;
            BOOST_TEST(s(d.at("name")) == f[1]);
            // nvidia-smi prints an 8-digit PCI domain ("00000000:00:06.0"), gpuhost 4.
            std::string bus = f[2].size() > 12 ? f[2].substr(f[2].size() - 12) : f[2];
            for (auto &c : bus) c = char(std::tolower(static_cast<unsigned char>(c)));
            BOOST_TEST(s(d.at("pci").at("bus_id")) == bus);
            BOOST_TEST(d.at("memory").at("total_bytes").to_number<std::int64_t>() / (1 << 20) == std::stoll(f[3]));
            BOOST_TEST(s(d.at("driver_version")) == f[4]);
            BOOST_TEST(d.at("usable").as_bool(), (d.contains("reason") ? s(d.at("reason")) : std::string()));
        }
    }
    BOOST_TEST(listed == by_uuid.size());
}
