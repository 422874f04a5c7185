// `gpuhost bench` as a user runs it: every live device (cpu, PoCL, llvmpipe;
// a GPU where there is one) benched and verified, JSON on stdout only, bad
// options named. The cases on one device alone are skipped where it is absent.
#include "support/live_machine.hpp"
#include "support/run_gpuhost.hpp"
#include "support/temp_dir.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <set>

namespace json = boost::json;
using namespace gpuhost;

// Live: every usable device this machine has (cpu, PoCL and llvmpipe here; a GPU
// where there is one) is benched, and every result is right.
BOOST_AUTO_TEST_CASE(bench_json_covers_every_device_and_every_check_passes) {
    auto detected = test::run_gpuhost_live({"detect", "--json", "--all"});  // bench runs the probes too
    BOOST_REQUIRE_MESSAGE(detected.ok(), detected.describe() + ": " + detected.error_output);
    std::set<std::string> usable;
    auto inventory = json::parse(detected.output);
    for (const auto &d : inventory.at("devices").as_array())
        if (d.at("usable").as_bool()) usable.insert(std::string(d.at("id").as_string()));
    auto r = test::run_gpuhost_live({"bench", "--size", "4096", "--repeats", "2", "--json"});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output + r.output);
    auto doc = json::parse(r.output).as_object();
    BOOST_TEST(doc.at("size") == 4096);
    std::set<std::string> devices, kernels;
    for (const auto &v : doc.at("results").as_array()) {
        const auto &row = v.as_object();
        devices.insert(std::string(row.at("device").as_string()));
        kernels.insert(std::string(row.at("kernel").as_string()));
        BOOST_TEST(row.at("passed").as_bool(), json::serialize(row));
        BOOST_TEST(row.at("seconds").to_number<double>() > 0);
        // Memory-bound kernels are measured against the same device's copy; nothing
        // streams much faster than a copy (saxpy may exceed it a little: write-allocate).
        if (row.at("kernel") == "saxpy" || row.at("kernel") == "dot")
            BOOST_TEST(row.at("fraction_of_ceiling").to_number<double>() > 0.0, json::serialize(row));
        if (row.at("kernel") == "sgemm") BOOST_TEST(row.at("gflop_per_s").to_number<double>() > 0);
        else BOOST_TEST(row.at("gb_per_s").to_number<double>() > 0);
        // Device timers where the API has them: OpenCL events, Vulkan timestamps.
        if (row.at("plugin") != "cpu") BOOST_TEST(row.at("device_timer").as_bool(), json::serialize(row));
    }
    BOOST_TEST(devices == usable, boost::test_tools::per_element());
    BOOST_TEST(kernels.size() == 5u);
}

BOOST_AUTO_TEST_CASE(bench_one_device_one_kernel_as_a_table) {
    auto r = test::run_gpuhost({"bench", "--device", "cpu:0", "--kernel", "dot", "--size", "1000"});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output);
    BOOST_TEST(r.output.find("cpu:0   dot") != std::string::npos, r.output);
    BOOST_TEST(r.output.find(" ok") != std::string::npos, r.output);
    BOOST_TEST(r.output.find("vulkan") == std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(bench_names_bad_options) {
    auto r = test::run_gpuhost({"bench", "--kernel", "fft"});
    BOOST_TEST(r.exit_code == 2);
    BOOST_TEST(r.error_output.find("unknown kernel \"fft\"") != std::string::npos, r.error_output);
    r = test::run_gpuhost({"bench", "--device", "cuda:7", "--size", "10"});
    BOOST_TEST(r.exit_code == 4);
    BOOST_TEST(r.error_output.find("no device cuda:7") != std::string::npos, r.error_output);
}

BOOST_AUTO_TEST_CASE(vulkan_staging_path_computes_correctly_too, *test::needs(test::kLlvmpipe)) {
    // llvmpipe's memory is host-visible, so the direct path is the default;
    // this forces device-local buffers with staged uploads and readbacks.
    auto r = test::run_gpuhost_live({"bench", "--device", "vulkan:0", "--size", "5000", "--repeats", "1", "--json"},
                               {{"GPUHOST_VULKAN_STAGING", "1"}});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output + r.output);
    auto results = json::parse(r.output).at("results").as_array();
    BOOST_TEST(results.size() == 5u);
    for (const auto &v : results) {
        BOOST_TEST(v.at("passed").as_bool(), json::serialize(v));
        BOOST_TEST(std::string(v.at("note").as_string()).find("staged copies") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(opencl_gpu_kernel_shapes_compute_correctly_too, *test::needs(test::kPocl)) {
    // PoCL is a CPU device, so it gets the loop-shaped dot and cosine kernels;
    // this forces the work-group-tree forms a GPU runs.
    auto r = test::run_gpuhost_live({"bench", "--device", "opencl:0", "--size", "5000", "--repeats", "1", "--json"},
                               {{"GPUHOST_OPENCL_GPU_SHAPES", "1"}});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output + r.output);
    auto results = json::parse(r.output).at("results").as_array();
    BOOST_TEST(results.size() == 5u);
    for (const auto &v : results) {
        BOOST_TEST(v.at("passed").as_bool(), json::serialize(v));
        BOOST_TEST(std::string(v.at("note").as_string()).find("CPU kernel shapes") == std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(bench_says_what_ran_and_measures_an_honest_ceiling,
                     *test::needs(test::kLlvmpipe) * test::needs(test::kPocl)) {
    auto r = test::run_gpuhost_live({"bench", "--size", "65536", "--repeats", "3", "--json"});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output + r.output);
    std::set<std::string> ceilings;
    auto doc = json::parse(r.output);
    for (const auto &v : doc.at("results").as_array()) {
        const auto &row = v.as_object();
        std::string plugin(row.at("plugin").as_string()), kernel(row.at("kernel").as_string());
        BOOST_TEST_CONTEXT(plugin << " " << kernel) {
            BOOST_TEST(row.contains("implementation"), json::serialize(row));
            if (kernel == "copy") {
                // Every plugin here also times its driver's own copy; the ceiling is the better one.
                BOOST_TEST(row.at("driver_copy_gb_per_s").to_number<double>() > 0);
                double ceiling = row.at("ceiling_gb_per_s").to_number<double>();
                BOOST_TEST(ceiling >= row.at("gb_per_s").to_number<double>());
                BOOST_TEST(ceiling >= row.at("driver_copy_gb_per_s").to_number<double>());
                ceilings.insert(plugin);
            } else if (kernel != "sgemm") {
                BOOST_TEST(!row.contains("driver_copy_gb_per_s"));
            }
            // Never a fraction above 100% without the reason.
            if (row.contains("fraction_of_ceiling") && row.at("fraction_of_ceiling").to_number<double>() > 1.0)
                BOOST_TEST(row.contains("above_ceiling_reason"), json::serialize(row));
            if (kernel == "sgemm" && plugin == "cpu") BOOST_TEST(row.at("implementation") == "OpenBLAS");
            if (kernel == "sgemm" && plugin == "vulkan") BOOST_TEST(row.at("implementation") == "own kernel");
            if (kernel == "sgemm" && plugin == "opencl") {
                // CLBlast is installed here (tools/install-deps.sh): it runs, and the own kernel beside it.
                BOOST_TEST(row.at("implementation") == "CLBlast", json::serialize(row));
                BOOST_TEST(row.at("own_kernel_gflop_per_s").to_number<double>() > 0);
                BOOST_TEST(row.at("own_kernel_fraction_of_library").to_number<double>() > 0);
            }
            if ((kernel == "dot" || kernel == "cosine_topk") && plugin != "cpu") {
                // Reductions and the top-k selection finish on the device.
                std::string note(row.at("note").as_string());
                bool on_device = note.find("on the device") != std::string::npos || note.find("device-side sum") != std::string::npos;
                BOOST_TEST(on_device, note);
            }
        }
    }
    // Every backend here measured its ceiling (a GPU machine adds its own).
    for (const char *backend : {"cpu", "opencl", "vulkan"}) BOOST_TEST(ceilings.count(backend) == 1u, backend);
}

BOOST_AUTO_TEST_CASE(bench_table_names_the_library_and_the_own_kernel_against_it, *test::needs(test::kPocl)) {
    auto r = test::run_gpuhost_live({"bench", "--device", "opencl:0", "--kernel", "sgemm", "--size", "20000", "--repeats", "1"});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output + r.output);
    BOOST_TEST(r.output.find("CLBlast") != std::string::npos, r.output);
    BOOST_TEST(r.output.find("% of CLBlast") != std::string::npos, r.output);
    // Without the library: the own kernel, and why.
    r = test::run_gpuhost_live({"bench", "--device", "opencl:0", "--kernel", "sgemm", "--size", "20000", "--repeats", "1"},
                          {{"GPUHOST_CLBLAST_LIBRARY", "/nonexistent/libclblast.so.1"}});
    BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output + r.output);
    BOOST_TEST(r.output.find("own kernel") != std::string::npos, r.output);
    BOOST_TEST(r.output.find("CLBlast not found") != std::string::npos, r.output);
    BOOST_TEST(r.output.find("/nonexistent/libclblast.so.1") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(vulkan_uses_subgroups_where_the_device_has_them_and_shared_memory_otherwise,
                     *test::needs(test::kLlvmpipe)) {
    for (const char *off : {"", "1"}) {
        auto r = test::run_gpuhost_live({"bench", "--device", "vulkan:0", "--kernel", "dot", "--size", "100003", "--json"},
                                   {{"GPUHOST_VULKAN_NO_SUBGROUPS", off}});
        BOOST_REQUIRE_MESSAGE(r.ok(), r.describe() + ": " + r.error_output + r.output);
        auto doc = json::parse(r.output);
        auto row = doc.at("results").at(0).as_object();
        BOOST_TEST(row.at("passed").as_bool(), json::serialize(row));
        std::string note(row.at("note").as_string());
        // llvmpipe offers subgroup arithmetic to compute shaders.
        BOOST_TEST(note.find(*off ? "(shared-memory sums)" : "(subgroup sums)") != std::string::npos, note);
    }
}

BOOST_AUTO_TEST_CASE(a_device_that_computes_wrongly_is_reported_unusable_with_the_error) {
    // The deliberately wrong test plugin, installed the way a user installs one.
    test::TempDir dir;
    std::filesystem::copy_file(std::string(GPUHOST_TEST_PLUGIN_DIR) + "/libtest_wrong.so", dir / "libtest_wrong.so");
    dir.write("test_wrong.gpuhost-plugin.json",
              R"({"manifest": 1, "name": "test_wrong", "vendor": "other", "kind": "vendor", "version": "1.0",
                  "library": "libtest_wrong.so", "abi": {"min": 1, "max": 1}})");
    auto r = test::run_gpuhost({"bench", "--device", "cpu:1", "--kernel", "saxpy", "--size", "1000"},
                               {{"GPUHOST_PLUGIN_PATH", dir.path().string()}});
    BOOST_TEST(r.exit_code == 1, r.describe() + ": " + r.error_output);
    BOOST_TEST(r.output.find("WRONG") != std::string::npos, r.output);
    BOOST_TEST(r.output.find("cpu:1 saxpy: unusable: wrong result: relative error") != std::string::npos, r.output);
    BOOST_TEST(r.output.find("exceeds the float32 tolerance") != std::string::npos, r.output);
}
