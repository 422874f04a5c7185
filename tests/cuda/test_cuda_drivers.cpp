// The cuda plugin against test drivers that export NVML's and libcuda's C
// functions with a recorded 2x H100's answers (tests/drivers/). Each call runs
// in a forked child with a deadline, as the detection engine will run plugins:
// the NVML variants that hang or crash must cost only that child.
#include "gpuhost/plugin_abi.h"
#include "support/plugin_child.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <cstring>
#include <map>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

using gpuhost::test::append;
using gpuhost::test::ChildResult;
using gpuhost::test::driver;

ChildResult in_child(const std::map<std::string, std::string> &env,
                     const std::function<int(const gpuhost_plugin_i &, const gpuhost_host_i &, std::string &)> &call,
                     std::chrono::seconds deadline = std::chrono::seconds(20)) {
    return gpuhost::test::in_child(GPUHOST_CUDA_PLUGIN, env, call, deadline);
}


ChildResult detect(std::map<std::string, std::string> env, std::chrono::seconds deadline = std::chrono::seconds(20)) {
    return in_child(env, [](const gpuhost_plugin_i &p, const gpuhost_host_i &h, std::string &out) {
        return int(p.detect(&h, R"({"schema":1,"sysroot":""})", &append, &out));
    }, deadline);
}

json::array devices_of(const ChildResult &r) {
    BOOST_REQUIRE_MESSAGE(r.status == GPUHOST_OK, r.text);
    auto reply = json::parse(r.text).as_object();
    BOOST_TEST(reply.at("status") == "present");
    return reply.at("devices").as_array();
}

bool has(const json::value &list, const char *item) {
    for (const auto &v : list.as_array())
        if (v == item) return true;
    return false;
}

void expect_recorded_h100s(const json::array &devices, const char *signal) {
    BOOST_REQUIRE_EQUAL(devices.size(), 2u);
    const auto &d = devices[0].as_object();
    BOOST_TEST(d.at("name") == "NVIDIA H100 80GB HBM3");
    BOOST_TEST(d.at("uuid") == "GPU-b42dd28e-ffdd-8720-1df0-98bd8cdc05b1");
    BOOST_TEST(d.at("pci").at("bus_id") == "0000:18:00.0");
    BOOST_TEST(devices[1].at("pci").at("bus_id") == "0000:2a:00.0");
    BOOST_TEST(d.at("memory").at("total_bytes").to_number<std::uint64_t>() == 81559ull * 1024 * 1024);
    BOOST_TEST(d.at("architecture") == "9.0");
    BOOST_TEST(d.at("runtime").at("version") == "12.7");
    BOOST_TEST(has(d.at("features"), "bf16"));
    BOOST_TEST(has(d.at("signals"), signal));
    BOOST_TEST(d.at("usable").as_bool());
}

const std::map<std::string, std::string> no_nvml{{"GPUHOST_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1"},
                                                 {"GPUHOST_CUDA_LIBRARY", "/nonexistent/libcuda.so.1"}};

}  // namespace

BOOST_AUTO_TEST_CASE(nvml_answers_come_through) {
    auto r = detect({{"GPUHOST_NVML_LIBRARY", driver("fake_nvml_good")}});
    auto devices = devices_of(r);
    expect_recorded_h100s(devices, "nvml");
    BOOST_TEST(devices[0].at("driver_version") == "565.57.01");
    BOOST_TEST(devices[0].at("pci").at("device_id") == "0x2330");
    BOOST_TEST(devices[0].at("memory").at("free_bytes").to_number<std::uint64_t>() == 81106ull * 1024 * 1024);
}

BOOST_AUTO_TEST_CASE(cuda_driver_answers_when_nvml_is_missing) {
    auto env = no_nvml;
    env["GPUHOST_CUDA_LIBRARY"] = driver("fake_cuda");
    auto devices = devices_of(detect(env));
    expect_recorded_h100s(devices, "cuda-driver");
    BOOST_TEST(!has(devices[0].at("signals"), "nvml"));
}

BOOST_AUTO_TEST_CASE(cuda_visible_devices_hides_nothing_from_detection) {
    auto env = no_nvml;
    env["GPUHOST_CUDA_LIBRARY"] = driver("fake_cuda");
    env["CUDA_VISIBLE_DEVICES"] = "1";  // the fake driver, like the real one, would then show one GPU
    std::string after;
    auto r = in_child(env, [](const gpuhost_plugin_i &p, const gpuhost_host_i &h, std::string &out) {
        int status = int(p.detect(&h, R"({"schema":1,"sysroot":""})", &append, &out));
        const char *value = std::getenv("CUDA_VISIBLE_DEVICES");  // still the user's, for processes started later
        out = std::string(value ? value : "(unset)") + "\n" + out;
        return status;
    });
    after = r.text.substr(0, r.text.find('\n'));
    r.text.erase(0, after.size() + 1);
    BOOST_TEST(after == "1");
    auto devices = devices_of(r);
    BOOST_REQUIRE_EQUAL(devices.size(), 2u);
    BOOST_TEST(devices[1].at("details").at("cuda_visible_devices") == "1");
    BOOST_TEST(r.text.find("CUDA_VISIBLE_DEVICES=1 is set") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(nvml_version_mismatch_makes_the_gpu_unusable) {
    auto r = detect({{"GPUHOST_NVML_LIBRARY", driver("fake_nvml_mismatch")}, {"GPUHOST_CUDA_LIBRARY", "/nonexistent"}});
    auto devices = devices_of(r);
    BOOST_REQUIRE_EQUAL(devices.size(), 1u);
    BOOST_TEST(!devices[0].at("usable").as_bool());
    std::string reason(devices[0].at("reason").as_string());
    BOOST_TEST(reason.find("driver/library version mismatch") != std::string::npos, reason);
    BOOST_TEST(r.text.find("nvmlInit: Driver/library version mismatch (NVML error 18)") != std::string::npos, r.text);
}

BOOST_AUTO_TEST_CASE(nvml_that_hangs_costs_only_the_child) {
    auto r = detect({{"GPUHOST_NVML_LIBRARY", driver("fake_nvml_hang")}}, std::chrono::seconds(2));
    BOOST_TEST(r.timed_out);  // the hazard is real: in-process detection would hang here; the child was killed
    // and the next probe, in a fresh child, works.
    expect_recorded_h100s(devices_of(detect({{"GPUHOST_NVML_LIBRARY", driver("fake_nvml_good")}})), "nvml");
}

BOOST_AUTO_TEST_CASE(nvml_that_crashes_costs_only_the_child) {
    auto r = detect({{"GPUHOST_NVML_LIBRARY", driver("fake_nvml_crash")}});
    BOOST_TEST(r.signal == SIGSEGV);
    BOOST_TEST(!r.timed_out);
}

BOOST_AUTO_TEST_CASE(ptx_is_built_with_every_entry_point) {
    const std::multimap<std::string, std::string> entries = {{"saxpy", "gpuhost_saxpy"},
                                                             {"dot", "gpuhost_dot"},
                                                             {"dot", "gpuhost_sum_partials"},
                                                             {"sgemm", "gpuhost_sgemm"},
                                                             {"cosine_topk", "gpuhost_cosine_scores"},
                                                             {"cosine_topk", "gpuhost_topk"},
                                                             {"copy", "gpuhost_copy"}};
    for (const auto &[file, entry] : entries) {
        std::ifstream in(fs::path(GPUHOST_CUDA_PTX_DIR) / (file + ".ptx"));
        BOOST_REQUIRE_MESSAGE(in, file + ".ptx was not generated");
        std::stringstream s;
        s << in.rdbuf();
        BOOST_TEST(s.str().find(".visible .entry " + entry + "(") != std::string::npos, file);
        BOOST_TEST(s.str().find(".target sm_") != std::string::npos);
    }
    // The same text is inside the plugin.
    std::ifstream plugin(GPUHOST_CUDA_PLUGIN, std::ios::binary);
    std::stringstream bytes;
    bytes << plugin.rdbuf();
    for (const auto &[file, entry] : entries) BOOST_TEST(bytes.str().find(".visible .entry " + entry + "(") != std::string::npos);
}

namespace {
ChildResult saxpy_in_child(std::map<std::string, std::string> env, std::uint64_t n) {
    return in_child(env, [n](const gpuhost_plugin_i &p, const gpuhost_host_i &h, std::string &out) {
        if (!p.kernel) {
            out = "no kernel slot";
            return -1;
        }
        std::vector<float> x(16, 1.0f), y(16, 2.0f);
        gpuhost_kernel_args args{};
        args.struct_size = sizeof args;
        args.kernel = GPUHOST_KERNEL_SAXPY;
        args.n = n;
        args.alpha = 2.0f;
        args.x = x.data();
        args.y = y.data();
        int status = int(p.kernel(&h, R"({"vendor":"nvidia","pci":{"bus_id":"0000:18:00.0"}})", &args, &append, &out));
        if (y[0] != 2.0f) out += " [y was changed]";
        return status;
    });
}
}  // namespace

BOOST_AUTO_TEST_CASE(kernels_refuse_cleanly_without_a_usable_libcuda) {
    auto missing = saxpy_in_child(no_nvml, 16);
    BOOST_TEST(missing.status == GPUHOST_ERR_UNSUPPORTED);
    BOOST_TEST(missing.text.find("cannot run CUDA kernels: libcuda not loaded") != std::string::npos, missing.text);
    BOOST_TEST(missing.text.find("/nonexistent/libcuda.so.1") != std::string::npos, missing.text);

    // A driver library that can enumerate but not launch: named, with the missing function.
    auto partial = saxpy_in_child({{"GPUHOST_CUDA_LIBRARY", driver("fake_cuda")}}, 16);
    BOOST_TEST(partial.status == GPUHOST_ERR_UNSUPPORTED);
    BOOST_TEST(partial.text.find("lacks cuDeviceGetByPCIBusId") != std::string::npos, partial.text);

    auto bad = saxpy_in_child({{"GPUHOST_CUDA_LIBRARY", driver("fake_cuda")}}, 0);
    BOOST_TEST(bad.status == GPUHOST_ERR_ARGUMENT);
    BOOST_TEST(bad.text.find("need n > 0") != std::string::npos, bad.text);
}

namespace {
// Runs all five kernels through the plugin on the emulating test driver, in
// the child, and reports "<kernel> <status> <max relative error> <device_timer>
// <implementation> <own kernel timed> <driver copy timed>" per line, against
// float64 references computed here. Vectors of n floats; cosine_topk over
// `rows` rows of `dim`.
int run_all_kernels(const gpuhost_plugin_i &p, const gpuhost_host_i &h, std::string &out, std::uint64_t n = 1000,
                    std::uint64_t rows = 50, std::uint64_t dim = 33) {
    const std::uint64_t m = 37, k = 41, cols = 29;
    const unsigned top_k = unsigned(std::min<std::uint64_t>(5, rows));
    // Offset so that a vector of one element is not zero (its dot would have no scale).
    auto value = [](std::uint64_t i, double scale) { return float(std::sin(double(i) * scale + 0.25)); };
    std::vector<float> x(std::max(n, dim)), y(n), a(std::max(m * k, rows * dim)), b(k * cols), c(std::max(m * cols, n));
    for (std::uint64_t i = 0; i < n; ++i) { x[i] = value(i, 0.37); y[i] = value(i, 0.11); }
    for (std::uint64_t i = 0; i < a.size(); ++i) a[i] = value(i, 0.7);
    for (std::uint64_t i = 0; i < b.size(); ++i) b[i] = value(i, 0.3);
    std::vector<std::int64_t> indices(top_k, -1);
    const char *device = R"({"vendor":"nvidia","pci":{"bus_id":"0000:2a:00.0"}})";
    auto call = [&](gpuhost_kernel_args &args) {
        args.struct_size = sizeof args;
        args.repeats = 3;
        std::string message;
        return int(p.kernel(&h, device, &args, &append, &message));
    };
    auto report = [&](const char *name, int status, double err, const gpuhost_kernel_args &args) {
        std::string impl = args.implementation[0] ? std::string(args.implementation) : "-";
        for (auto &ch : impl) if (ch == ' ') ch = '_';
        out += std::string(name) + " " + std::to_string(status) + " " + std::to_string(err) + " " +
               std::to_string(args.device_timer) + " " + impl + " " + (args.own_kernel_seconds > 0 ? "1" : "0") + " " +
               (args.driver_copy_seconds > 0 ? "1" : "0") + "\n";
    };
    // NaN (an element nobody wrote: the driver fills new memory with NaN) counts as a huge error.
    auto rel = [](double got, double want) {
        double e = std::abs(got - want) / std::max(std::abs(want), 1.0);
        return std::isfinite(e) ? e : 1e30;
    };
    {  // saxpy: y in and out, so repeats must each start from the caller's y
        std::vector<float> y_io = y;
        gpuhost_kernel_args args{};
        args.kernel = GPUHOST_KERNEL_SAXPY; args.n = n; args.alpha = 2.5f; args.x = x.data(); args.y = y_io.data();
        int s = call(args);
        double err = 0;
        for (std::uint64_t i = 0; i < n; ++i) err = std::max(err, rel(y_io[i], 2.5 * x[i] + y[i]));
        report("saxpy", s, err, args);
    }
    {
        gpuhost_kernel_args args{};
        args.kernel = GPUHOST_KERNEL_COPY; args.n = n; args.x = x.data(); args.y = c.data();
        int s = call(args);
        double err = 0;
        for (std::uint64_t i = 0; i < n; ++i) err = std::max(err, rel(c[i], x[i]));
        report("copy", s, err, args);
    }
    {
        gpuhost_kernel_args args{};
        args.kernel = GPUHOST_KERNEL_DOT; args.n = n; args.x = x.data(); args.y = y.data(); args.c = c.data();
        int s = call(args);
        double want = 0, scale = 0;
        for (std::uint64_t i = 0; i < n; ++i) { want += double(x[i]) * y[i]; scale += std::abs(double(x[i]) * y[i]); }
        report("dot", s, rel(c[0], want) * std::max(std::abs(want), 1.0) / scale, args);
    }
    {  // sizes that are not multiples of the 16-wide tiles
        gpuhost_kernel_args args{};
        args.kernel = GPUHOST_KERNEL_SGEMM; args.m = m; args.n = cols; args.k = k;
        args.a = a.data(); args.b = b.data(); args.c = c.data();
        int s = call(args);
        double err = 0;
        for (std::uint64_t i = 0; i < m; ++i)
            for (std::uint64_t j = 0; j < cols; ++j) {
                double want = 0;
                for (std::uint64_t q = 0; q < k; ++q) want += double(a[i * k + q]) * b[q * cols + j];
                err = std::max(err, rel(c[i * cols + j], want));
            }
        report("sgemm", s, err, args);
    }
    {  // cosine_topk: the best rows, best first, with their scores
        gpuhost_kernel_args args{};
        args.kernel = GPUHOST_KERNEL_COSINE_TOPK; args.m = rows; args.k = dim; args.top_k = top_k;
        args.a = a.data(); args.x = x.data(); args.c = c.data(); args.indices = indices.data();
        int s = call(args);
        std::vector<std::pair<double, std::int64_t>> scores;
        double qn = 0;
        for (std::uint64_t i = 0; i < dim; ++i) qn += double(x[i]) * x[i];
        for (std::uint64_t r = 0; r < rows; ++r) {
            double d = 0, norm = 0;
            for (std::uint64_t i = 0; i < dim; ++i) { d += double(a[r * dim + i]) * x[i]; norm += double(a[r * dim + i]) * a[r * dim + i]; }
            scores.push_back({-d / std::sqrt(norm * qn), std::int64_t(r)});
        }
        std::sort(scores.begin(), scores.end());
        double err = 0;
        for (unsigned i = 0; i < top_k; ++i) {
            err = std::max(err, rel(c[i], -scores[i].first));
            if (indices[i] != scores[i].second) err = 1;  // wrong row, or not best first
        }
        report("cosine_topk", s, err, args);
    }
    return 0;
}
}  // namespace

namespace {
struct KernelLine {
    int status = -1, device_timer = 0, own_timed = 0, driver_copy_timed = 0;
    double err = 1;
    std::string implementation;
};
std::map<std::string, KernelLine> kernel_lines(const std::string &text) {
    std::map<std::string, KernelLine> lines;
    std::istringstream in(text);
    for (std::string name; in >> name;) {
        KernelLine l;
        in >> l.status >> l.err >> l.device_timer >> l.implementation >> l.own_timed >> l.driver_copy_timed;
        lines[name] = l;
    }
    return lines;
}
const std::string kFakeCublas = "GPUHOST_CUBLAS_LIBRARY";
}  // namespace

BOOST_AUTO_TEST_CASE(launch_path_computes_every_kernel_on_an_emulating_driver) {
    // Sizes at and around the float4 width and the blocks, rows of a width
    // that is and one that is not a multiple of 4, and fewer rows than top_k.
    struct Case { std::uint64_t n, rows, dim; };
    for (Case c : {Case{1, 1, 1}, Case{3, 3, 3}, Case{1000, 50, 33}, Case{1023, 50, 384}, Case{1000003, 700, 33}}) {
        BOOST_TEST_CONTEXT("n " << c.n << ", " << c.rows << " rows of " << c.dim) {
            auto r = in_child({{"GPUHOST_CUDA_LIBRARY", driver("fake_cuda_launch")}, {kFakeCublas, driver("fake_cublas")}},
                              [c](const gpuhost_plugin_i &p, const gpuhost_host_i &h, std::string &out) {
                                  return run_all_kernels(p, h, out, c.n, c.rows, c.dim);
                              }, std::chrono::seconds(60));
            BOOST_REQUIRE_EQUAL(r.status, 0);
            auto lines = kernel_lines(r.text);
            BOOST_TEST(lines.size() == 5u);
            for (const auto &[name, l] : lines) BOOST_TEST_CONTEXT(name) {
                BOOST_TEST(l.status == int(GPUHOST_OK));
                BOOST_TEST(l.err < 1e-5);
                BOOST_TEST(l.device_timer == 1);
            }
            // sgemm by the (fake) cuBLAS, the own kernel timed beside it; the
            // others by the own kernels; the copy with the driver's copy too.
            BOOST_TEST(lines["sgemm"].implementation == "cuBLAS");
            BOOST_TEST(lines["sgemm"].own_timed == 1);
            BOOST_TEST(lines["dot"].implementation == "own_kernel");
            BOOST_TEST(lines["copy"].driver_copy_timed == 1);
            BOOST_TEST(lines["saxpy"].driver_copy_timed == 0);
        }
    }
}

BOOST_AUTO_TEST_CASE(sgemm_falls_back_to_the_own_kernel_and_says_why) {
    struct Case { std::map<std::string, std::string> env; std::string why; };
    const std::string fake = driver("fake_cuda_launch");
    std::vector<Case> cases = {
        // A fake driver is never paired with a real cuBLAS found on this machine.
        {{{"GPUHOST_CUDA_LIBRARY", fake}, {kFakeCublas, ""}}, "libcuda came from GPUHOST_CUDA_LIBRARY"},
        {{{"GPUHOST_CUDA_LIBRARY", fake}, {kFakeCublas, "/nonexistent/libcublas.so.12"}}, "/nonexistent/libcublas.so.12"},
        {{{"GPUHOST_CUDA_LIBRARY", fake}, {kFakeCublas, driver("fake_cuda_launch")}}, "lacks cublasCreate_v2"},
        {{{"GPUHOST_CUDA_LIBRARY", fake}, {kFakeCublas, driver("fake_cublas")}, {"FAKE_CUBLAS_CREATE_FAILS", "1"}},
         "cublasCreate failed with status 1"},
    };
    for (const auto &c : cases) BOOST_TEST_CONTEXT(c.why) {
        auto r = in_child(c.env, [](const gpuhost_plugin_i &p, const gpuhost_host_i &h, std::string &out) {
            std::vector<float> a(7 * 5), b(5 * 3), cm(7 * 3, NAN);
            for (size_t i = 0; i < a.size(); ++i) a[i] = float(i % 7) - 3;
            for (size_t i = 0; i < b.size(); ++i) b[i] = float(i % 5) - 2;
            gpuhost_kernel_args args{};
            args.struct_size = sizeof args;
            args.kernel = GPUHOST_KERNEL_SGEMM;
            args.m = 7, args.n = 3, args.k = 5;
            args.a = a.data(), args.b = b.data(), args.c = cm.data();
            int status = int(p.kernel(&h, R"({"vendor":"nvidia","pci":{"bus_id":"0000:18:00.0"}})", &args, &append, &out));
            for (int i = 0; i < 7; ++i)
                for (int j = 0; j < 3; ++j) {
                    float want = 0;
                    for (int l = 0; l < 5; ++l) want += a[i * 5 + l] * b[l * 3 + j];
                    if (cm[i * 3 + j] != want) out += " [wrong c]";
                }
            out += std::string(" [by ") + args.implementation + "]";
            if (args.own_kernel_seconds != 0) out += " [own kernel timed]";
            return status;
        });
        BOOST_TEST(r.status == int(GPUHOST_OK), r.text);
        BOOST_TEST(r.text.find(c.why) != std::string::npos, r.text);
        BOOST_TEST(r.text.find("the own kernel ran") != std::string::npos, r.text);
        BOOST_TEST(r.text.find("[by own kernel]") != std::string::npos, r.text);
        BOOST_TEST(r.text.find("[wrong c]") == std::string::npos, r.text);
        BOOST_TEST(r.text.find("[own kernel timed]") == std::string::npos, r.text);
    }
}

BOOST_AUTO_TEST_CASE(an_older_host_struct_is_accepted_and_only_its_part_written) {
    auto r = in_child({{"GPUHOST_CUDA_LIBRARY", driver("fake_cuda_launch")}},
                      [](const gpuhost_plugin_i &p, const gpuhost_host_i &h, std::string &out) {
                          std::vector<float> x(9, 1.5f), y(9, 0.0f);
                          // The first ABI's struct, with a guard where the new fields would be.
                          struct { gpuhost_kernel_args args; } holder{};
                          auto &args = holder.args;
                          std::memset(&args, 0x5a, sizeof args);
                          std::memset(&args, 0, GPUHOST_KERNEL_ARGS_V1_SIZE);
                          args.struct_size = GPUHOST_KERNEL_ARGS_V1_SIZE;
                          args.kernel = GPUHOST_KERNEL_COPY;
                          args.n = 9, args.x = x.data(), args.y = y.data();
                          int status = int(p.kernel(&h, R"({"pci":{"bus_id":"0000:18:00.0"}})", &args, &append, &out));
                          auto *bytes = reinterpret_cast<const unsigned char *>(&args);
                          for (size_t i = GPUHOST_KERNEL_ARGS_V1_SIZE; i < sizeof args; ++i)
                              if (bytes[i] != 0x5a) { out += " [wrote past the struct]"; break; }
                          if (y[8] != 1.5f || args.seconds <= 0) out += " [not run]";
                          return status;
                      });
    BOOST_TEST(r.status == int(GPUHOST_OK), r.text);
    BOOST_TEST(r.text.find("[") == std::string::npos, r.text);
}

BOOST_AUTO_TEST_CASE(kernel_on_a_device_the_driver_does_not_know_fails_with_the_reason) {
    auto r = in_child({{"GPUHOST_CUDA_LIBRARY", driver("fake_cuda_launch")}},
                      [](const gpuhost_plugin_i &p, const gpuhost_host_i &h, std::string &out) {
                          std::vector<float> x(4, 1.0f), y(4, 1.0f);
                          gpuhost_kernel_args args{};
                          args.struct_size = sizeof args;
                          args.kernel = GPUHOST_KERNEL_COPY;
                          args.n = 4;
                          args.x = x.data();
                          args.y = y.data();
                          return int(p.kernel(&h, R"({"pci":{"bus_id":"0000:99:00.0"}})", &args, &append, &out));
                      });
    BOOST_TEST(r.status == int(GPUHOST_ERR_FAILED));
    BOOST_TEST(r.text.find("cuDeviceGetByPCIBusId") != std::string::npos, r.text);
}
