// The rocm plugin's sgemm through rocBLAS, against a HIP runtime and a rocBLAS
// at the driver boundary (tests/drivers/fake_hip.c, fake_rocblas.c), loaded
// the way the real ones are; each call runs in a child (support/plugin_child.hpp).
// Every other kernel, and sgemm without the libraries, is "unsupported" with
// the reason, which sends the host to the GPU's Vulkan or OpenCL view.
#include "support/plugin_child.hpp"

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <sstream>

using gpuhost::test::append;
using gpuhost::test::ChildResult;
using gpuhost::test::driver;

namespace {

const char *kDevice = R"({"vendor":"amd","backend":"rocm","pci":{"bus_id":"0000:03:00.0"}})";

std::map<std::string, std::string> fakes(std::map<std::string, std::string> more = {}) {
    std::map<std::string, std::string> env = {{"GPUHOST_HIP_LIBRARY", driver("fake_hip")},
                                              {"GPUHOST_ROCBLAS_LIBRARY", driver("fake_rocblas")},
                                              {"FAKE_HIP_BUS_IDS", "0000:03:00.0"}};
    for (const auto &[k, v] : more) env[k] = v;
    return env;
}

// sgemm of m x k by k x n in the child; the text says the largest error against
// a float64 reference, the implementation and whether a device timer measured it.
ChildResult sgemm(const std::map<std::string, std::string> &env, std::uint64_t m, std::uint64_t n, std::uint64_t k,
                  const char *device = kDevice, std::uint32_t kernel = GPUHOST_KERNEL_SGEMM) {
    return gpuhost::test::in_child(GPUHOST_ROCM_PLUGIN, env,
                                   [=](const gpuhost_plugin_i &p, const gpuhost_host_i &h, std::string &out) {
        std::vector<float> a(m * k), b(k * n), c(m * n, NAN);
        for (size_t i = 0; i < a.size(); ++i) a[i] = float(int(i % 7) - 3) / 4;
        for (size_t i = 0; i < b.size(); ++i) b[i] = float(int(i % 5) - 2) / 2;
        gpuhost_kernel_args args{};
        args.struct_size = sizeof args;
        args.kernel = kernel;
        args.m = m, args.n = n, args.k = k, args.repeats = 3;
        args.a = a.data(), args.b = b.data(), args.c = c.data();
        int status = int(p.kernel(&h, device, &args, &append, &out));
        double worst = 0;
        for (std::uint64_t i = 0; i < m; ++i)
            for (std::uint64_t j = 0; j < n; ++j) {
                double want = 0;
                for (std::uint64_t l = 0; l < k; ++l) want += double(a[i * k + l]) * b[l * n + j];
                worst = std::max(worst, std::fabs(c[i * n + j] - want));
            }
        std::ostringstream s;
        s << " [err " << worst << "] [by " << args.implementation << "] [device timer " << args.device_timer << "]";
        out += s.str();
        return status;
    });
}

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(sgemm_runs_through_rocblas_at_odd_shapes) {
    struct Shape { std::uint64_t m, n, k; };
    for (Shape s : {Shape{1, 1, 1}, Shape{3, 3, 3}, Shape{7, 3, 5}, Shape{33, 17, 64}, Shape{1, 1023, 3}}) {
        BOOST_TEST_CONTEXT(s.m << "x" << s.k << " by " << s.k << "x" << s.n) {
            auto r = sgemm(fakes(), s.m, s.n, s.k);
            BOOST_TEST(r.status == int(GPUHOST_OK), r.text);
            BOOST_TEST(has(r.text, "[err 0]"), r.text);
            BOOST_TEST(has(r.text, "[by rocBLAS]"), r.text);
            BOOST_TEST(has(r.text, "[device timer 1]"), r.text);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_device_is_the_hip_device_with_the_records_bus_id) {
    auto second = sgemm(fakes({{"FAKE_HIP_BUS_IDS", "0000:01:00.0,0000:03:00.0"}}), 4, 4, 4);
    BOOST_TEST(second.status == int(GPUHOST_OK), second.text);
    auto absent = sgemm(fakes({{"FAKE_HIP_BUS_IDS", "0000:01:00.0"}}), 4, 4, 4);
    BOOST_TEST(absent.status == int(GPUHOST_ERR_UNSUPPORTED));
    BOOST_TEST(has(absent.text, "no HIP device has PCI bus id 0000:03:00.0"), absent.text);
    auto no_bus = sgemm(fakes({{"FAKE_HIP_BUS_IDS", "0000:01:00.0,0000:03:00.0"}}), 4, 4, 4, R"({"vendor":"amd"})");
    BOOST_TEST(has(no_bus.text, "the record has no PCI bus id and HIP sees 2 devices"), no_bus.text);
}

// Without the libraries the answer is "unsupported" with the reason, never a
// guess: the host then runs sgemm on the GPU's Vulkan or OpenCL view.
BOOST_AUTO_TEST_CASE(sgemm_without_hip_or_rocblas_is_unsupported_and_says_why) {
    struct Case { std::map<std::string, std::string> env; std::string why; };
    std::vector<Case> cases = {
        {{{"GPUHOST_HIP_LIBRARY", ""}, {"GPUHOST_ROCBLAS_LIBRARY", ""}}, "HIP not opened under a recorded sysroot"},
        {fakes({{"GPUHOST_ROCBLAS_LIBRARY", ""}}), "rocBLAS not opened: HIP came from GPUHOST_HIP_LIBRARY"},
        {fakes({{"GPUHOST_ROCBLAS_LIBRARY", "/nonexistent/librocblas.so.4"}}), "rocBLAS (librocblas) did not open"},
        {fakes({{"GPUHOST_ROCBLAS_LIBRARY", driver("fake_hip")}}), "lacks rocblas_create_handle"},
        {fakes({{"GPUHOST_HIP_LIBRARY", driver("fake_rocblas")}}), "lacks a HIP function gpuhost uses"},
        {fakes({{"FAKE_ROCBLAS_CREATE_FAILS", "1"}}), "rocblas_create_handle failed with status 4"},
        {fakes({{"FAKE_HIP_BUS_IDS", "none"}}), "hipGetDeviceCount found no device (hipErrorNoDevice)"},
    };
    for (const auto &c : cases) BOOST_TEST_CONTEXT(c.why) {
        auto r = sgemm(c.env, 5, 3, 2);
        BOOST_TEST(r.signal == 0);
        BOOST_TEST(r.status == int(GPUHOST_ERR_UNSUPPORTED), r.text);
        BOOST_TEST(has(r.text, c.why), r.text);
    }
}

BOOST_AUTO_TEST_CASE(every_other_kernel_goes_to_the_vulkan_or_opencl_view) {
    for (std::uint32_t kernel : {GPUHOST_KERNEL_SAXPY, GPUHOST_KERNEL_DOT, GPUHOST_KERNEL_COPY, GPUHOST_KERNEL_COSINE_TOPK}) {
        auto r = sgemm(fakes(), 4, 4, 4, kDevice, kernel);
        BOOST_TEST(r.status == int(GPUHOST_ERR_UNSUPPORTED), r.text);
        BOOST_TEST(has(r.text, "runs on the device's Vulkan or OpenCL view"), r.text);
    }
}
