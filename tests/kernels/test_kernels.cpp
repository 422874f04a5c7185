// Every kernel on every real device here (cpu, OpenCL on PoCL, Vulkan on
// llvmpipe) against the float64 reference at awkward and larger sizes; empty
// input rejected; top-k past the row count; deliberately wrong kernels caught;
// probe fallback when the device's own plugin has no kernel.
#include "gpuhost/kernel_support.hpp"
#include "kernel_fixture.hpp"
#include "kernels/checker.hpp"

#include <boost/test/data/test_case.hpp>
#include <cmath>

namespace json = boost::json;
namespace bdata = boost::unit_test::data;
using namespace gpuhost;
using kernels::KernelRequest;

namespace {

KernelRequest vector_request(std::uint32_t kernel, std::uint64_t n) {
    KernelRequest r;
    r.kernel = kernel;
    r.n = n;
    r.repeats = 2;
    return r;
}

KernelRequest sgemm_request(std::uint64_t m, std::uint64_t n, std::uint64_t k) {
    KernelRequest r;
    r.kernel = GPUHOST_KERNEL_SGEMM;
    r.m = m, r.n = n, r.k = k;
    r.repeats = 1;
    return r;
}

KernelRequest topk_request(std::uint64_t rows, std::uint64_t dims, std::uint32_t top_k) {
    KernelRequest r;
    r.kernel = GPUHOST_KERNEL_COSINE_TOPK;
    r.m = rows, r.k = dims, r.top_k = top_k;
    r.repeats = 1;
    return r;
}

void expect_pass(const std::string &plugin, const KernelRequest &r) {
    auto &live = test::LivePlugins::get();
    const auto &device = live.device_of(plugin);
    auto check = kernels::run_on_device(live.plugins, live.tools, device, r);
    std::string what = plugin + " " + check.kernel + " m=" + std::to_string(r.m) + " n=" + std::to_string(r.n) +
                       " k=" + std::to_string(r.k) + " top_k=" + std::to_string(r.top_k);
    BOOST_TEST_INFO(what << ": " << check.error << " / " << check.note);
    BOOST_TEST(check.ran);
    BOOST_TEST(check.passed);
    BOOST_TEST(check.plugin == plugin);
    BOOST_TEST(check.seconds > 0);
}

// The vulkan and opencl cases need llvmpipe and PoCL, and are skipped, saying so, without them.
const std::vector<std::string> kBackends = {"cpu", "opencl", "vulkan"};

}  // namespace

BOOST_TEST_DECORATOR(*test::needs_device_of_each(kBackends))
BOOST_DATA_TEST_CASE(vector_kernels_match_the_reference, bdata::make(kBackends), plugin) {
    for (std::uint32_t kernel : {GPUHOST_KERNEL_SAXPY, GPUHOST_KERNEL_DOT, GPUHOST_KERNEL_COPY})
        for (std::uint64_t n : {1ull, 3ull, 1023ull, 1000003ull}) expect_pass(plugin, vector_request(kernel, n));
}

BOOST_TEST_DECORATOR(*test::needs_device_of_each(kBackends))
BOOST_DATA_TEST_CASE(sgemm_matches_the_reference_square_and_not, bdata::make(kBackends), plugin) {
    expect_pass(plugin, sgemm_request(1, 1, 1));
    expect_pass(plugin, sgemm_request(3, 3, 3));
    expect_pass(plugin, sgemm_request(3, 5, 7));
    expect_pass(plugin, sgemm_request(33, 17, 1023));
    expect_pass(plugin, sgemm_request(130, 97, 61));
    expect_pass(plugin, sgemm_request(256, 256, 256));
}

BOOST_TEST_DECORATOR(*test::needs_device_of_each(kBackends))
BOOST_DATA_TEST_CASE(cosine_topk_matches_the_reference, bdata::make(kBackends), plugin) {
    expect_pass(plugin, topk_request(1, 384, 1));
    expect_pass(plugin, topk_request(3, 3, 2));
    expect_pass(plugin, topk_request(1023, 384, 10));
    expect_pass(plugin, topk_request(20000, 384, 25));
}

BOOST_TEST_DECORATOR(*test::needs_device_of_each(kBackends))
BOOST_DATA_TEST_CASE(top_k_larger_than_the_row_count_returns_every_row, bdata::make(kBackends), plugin) {
    expect_pass(plugin, topk_request(3, 16, 5));
    // And the rows come back: indices 0..2 in some order, then -1 twice.
    auto &live = test::LivePlugins::get();
    auto lib = live.plugins.find(plugin);
    BOOST_REQUIRE(lib);
    std::vector<float> a = {1, 0, 0, 0.5, 0.5, 0, 0, 0, 1}, q = {1, 0, 0}, scores(5, NAN);
    std::vector<std::int64_t> idx(5, -2);
    gpuhost_kernel_args args{};
    args.struct_size = sizeof args;
    args.kernel = GPUHOST_KERNEL_COSINE_TOPK;
    args.m = 3, args.k = 3, args.top_k = 5;
    args.a = a.data(), args.x = q.data(), args.c = scores.data(), args.indices = idx.data();
    auto reply = lib->kernel(live.tools, json::serialize(live.device_of(plugin)), args);
    BOOST_REQUIRE_MESSAGE(reply.ok(), reply.text);
    BOOST_TEST(idx == (std::vector<std::int64_t>{0, 1, 2, -1, -1}), boost::test_tools::per_element());
    BOOST_TEST(scores[0] == 1.0f, boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(scores[1] == float(std::sqrt(0.5)), boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(scores[2] == 0.0f);
    BOOST_TEST(std::isnan(scores[3]));
}

BOOST_TEST_DECORATOR(*test::needs_device_of_each(kBackends))
BOOST_DATA_TEST_CASE(empty_input_is_rejected_by_checker_and_plugin, bdata::make(kBackends), plugin) {
    auto &live = test::LivePlugins::get();
    const auto &device = live.device_of(plugin);
    auto check = kernels::run_on_device(live.plugins, live.tools, device, vector_request(GPUHOST_KERNEL_SAXPY, 0));
    BOOST_TEST(!check.ran);
    BOOST_TEST(check.error == "rejected: saxpy: empty input (n = 0)");
    check = kernels::run_on_device(live.plugins, live.tools, device, sgemm_request(4, 0, 4));
    BOOST_TEST(check.error.find("empty input") != std::string::npos);
    // The plugin itself refuses too, for a caller that skips the checker.
    float x = 1, y = 1;
    gpuhost_kernel_args args{};
    args.struct_size = sizeof args;
    args.kernel = GPUHOST_KERNEL_DOT;
    args.x = &x, args.y = &y, args.c = &y;
    auto reply = live.plugins.find(plugin)->kernel(live.tools, json::serialize(device), args);
    BOOST_TEST(reply.status == GPUHOST_ERR_ARGUMENT);
    BOOST_TEST(reply.text == "dot: empty input (n = 0)");
}

namespace {

std::shared_ptr<PluginLibrary> wrong_plugin() {
    Manifest m;
    m.name = "test_wrong";
    m.kind = "vendor";
    m.library = std::string(GPUHOST_TEST_PLUGIN_DIR) + "/libtest_wrong.so";
    m.abi_min = m.abi_max = 1;
    static auto lib = PluginLibrary::load(m);
    return lib;
}

kernels::KernelCheck run_wrong(const std::string &fault, std::uint32_t kernel) {
    auto lib = wrong_plugin();
    json::object device{{"plugin", "test_wrong"}, {"details", json::object{{"fault", fault}}}};
    ToolRunner tools;
    return kernels::run_and_check(vector_request(kernel, 1023), [&](gpuhost_kernel_args &a) {
        return lib->kernel(tools, json::serialize(device), a);
    });
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_kernel_off_by_a_little_is_caught) {
    auto control = run_wrong("correct", GPUHOST_KERNEL_SAXPY);
    BOOST_TEST(control.passed, control.error);
    auto saxpy = run_wrong("off_by_a_little", GPUHOST_KERNEL_SAXPY);
    BOOST_TEST(saxpy.ran);
    BOOST_TEST(!saxpy.passed);
    BOOST_TEST(saxpy.max_error > 1e-5);  // about 1e-4 where alpha * x dominates y
    BOOST_TEST(saxpy.error.find("wrong result: relative error") == 0, saxpy.error);
    auto copy = run_wrong("off_by_a_little", GPUHOST_KERNEL_COPY);
    BOOST_TEST(!copy.passed);
    BOOST_TEST(copy.max_error > 0);
}

BOOST_AUTO_TEST_CASE(a_kernel_that_skips_the_last_element_is_caught) {
    auto copy = run_wrong("skip_last", GPUHOST_KERNEL_COPY);
    BOOST_TEST(!copy.passed);
    BOOST_TEST(std::isinf(copy.max_error));  // still the NaN poison
    BOOST_TEST(copy.error.find("y[1022]") != std::string::npos, copy.error);
    BOOST_TEST(copy.error.find("never written") != std::string::npos, copy.error);
    auto saxpy = run_wrong("skip_last", GPUHOST_KERNEL_SAXPY);
    BOOST_TEST(!saxpy.passed);
    BOOST_TEST(saxpy.error.find("y[1022]") != std::string::npos, saxpy.error);
}

BOOST_AUTO_TEST_CASE(unsupported_kernels_fall_back_to_a_probe_that_saw_the_device, *test::needs(test::kLlvmpipe)) {
    auto &live = test::LivePlugins::get();
    // A device whose own plugin has no kernel for it, also seen by the Vulkan
    // probe (as a real GPU merged by PCI bus id would be): llvmpipe stands in.
    const auto &vk_device = live.device_of("vulkan");
    json::object view;
    // The view as merge_devices keeps it (no uuid: the merged record's own is
    // the vendor's, in another form).
    for (const char *key : {"name", "backend", "details"}) view[key] = vk_device.at(key);
    json::object merged{{"id", "other:0"},           {"plugin", "test_wrong"},
                        {"uuid", "GPU-5a1e0000-0000-0000-0000-000000000000"},
                        {"name", "a GPU without kernels"}, {"details", json::object{{"fault", "none"}}},
                        {"seen_by", json::array{"test_wrong", "vulkan"}},
                        {"views", json::object{{"vulkan", view}}}};
    PluginSet set = live.plugins;
    set.loaded.push_back(wrong_plugin());
    auto check = kernels::run_on_device(set, live.tools, merged, vector_request(GPUHOST_KERNEL_SAXPY, 1023));
    BOOST_TEST(check.passed, check.error);
    BOOST_TEST(check.plugin == "vulkan");
    BOOST_TEST(check.note.find("test_wrong has no kernel for this device") == 0, check.note);
    BOOST_TEST(check.note.find("ran through the vulkan probe instead") != std::string::npos, check.note);
    // Without a probe in seen_by, the "unsupported" answer stands.
    merged["seen_by"] = json::array{"test_wrong"};
    check = kernels::run_on_device(set, live.tools, merged, vector_request(GPUHOST_KERNEL_SAXPY, 8));
    BOOST_TEST(!check.ran);
    BOOST_TEST(check.error == "unsupported: no kernel for this device");
}

BOOST_AUTO_TEST_CASE(merged_views_keep_the_probe_details_needed_to_find_the_device) {
    json::object vendor{{"plugin", "cuda"}, {"backend", "cuda"}, {"name", "GPU"}, {"vendor", "nvidia"},
                        {"type", "discrete"}, {"pci", json::object{{"bus_id", "0000:01:00.0"}}},
                        {"memory", json::object{}}, {"signals", json::array{"nvml"}}, {"usable", true}};
    json::object probe{{"plugin", "vulkan"}, {"backend", "vulkan"}, {"name", "NVIDIA GPU"}, {"vendor", "nvidia"},
                       {"type", "discrete"}, {"pci", json::object{{"bus_id", "01:00.0"}}},
                       {"memory", json::object{}}, {"signals", json::array{"vulkan"}}, {"usable", true},
                       {"details", json::object{{"device_index", 2}}}};
    auto merged = merge_devices(json::array{probe, vendor});
    BOOST_REQUIRE(merged.size() == 1u);
    const auto &d = merged[0].as_object();
    BOOST_TEST(d.at("plugin") == "cuda");
    BOOST_TEST(d.at("views").at("vulkan").at("details").at("device_index") == 2);
    auto for_probe = kernels::device_for_plugin(d, "vulkan");
    BOOST_TEST(for_probe.at("plugin") == "vulkan");
    BOOST_TEST(for_probe.at("name") == "NVIDIA GPU");
    BOOST_TEST(for_probe.at("details").at("device_index") == 2);
}
