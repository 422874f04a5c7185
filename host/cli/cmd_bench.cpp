// gpuhost bench: runs the compute kernels on each device, checks every result
// against a float64 reference, and reports time, throughput and how close each
// kernel comes to the device's measured bandwidth ceiling (its copy kernel).
#include "../core/tool_runner.hpp"
#include "../detect/detector.hpp"
#include "../kernels/routing.hpp"
#include "../plugins/plugin_set.hpp"
#include "cli_support.hpp"
#include "detect_flags.hpp"
#include "commands.hpp"
#include "gpuhost/kernel_support.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace json = boost::json;

namespace gpuhost::cli {

static std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

static std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

// Why a kernel can outrun the measured copy ceiling; said whenever it does.
static std::string above_ceiling_reason(const kernels::KernelCheck &check, double ceiling_gbps) {
    std::string why = "faster than the measured copy (" + fixed(ceiling_gbps, 2) + " GB/s). Bytes are counted as "
                      "STREAM does, once per array, so ";
    if (check.kernel == "saxpy")
        why += "saxpy, which reads two arrays per written one, gains more from the device's read/write asymmetry "
               "and caches than a copy does";
    else
        why += "a kernel that only reads (no write stream) can beat a copy, which must also write";
    why += "; at this size (" + fixed(check.bytes / 1e6, 1) + " MB) caches and timing noise also count: use a "
           "larger --size for a ceiling that is main memory alone";
    return why;
}

int run_bench(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common, false);
    std::string device_id, kernel_name;
    // Read signed, so "-1" is refused by name rather than wrapping to 2^64-1.
    std::int64_t size = 1 << 24;
    std::int64_t repeats = 5;
    DetectFlags flags;
    add_detect_flags(options, flags);
    options.add_options()
        ("device", po::value<std::string>(&device_id), "only this device (an id from `gpuhost detect`)")
        ("kernel", po::value<std::string>(&kernel_name), "only this kernel: saxpy, dot, sgemm, cosine_topk, copy")
        ("size", po::value<std::int64_t>(&size)->default_value(size),
         "N: vectors of N floats; sgemm side sqrt(N)/8; cosine_topk N/384 rows of 384")
        ("repeats", po::value<std::int64_t>(&repeats)->default_value(repeats), "timed runs after one warm-up, 1..1000");
    po::variables_map vm;
    if (!parse("bench", "[--device ID] [--kernel NAME] [--size N] [--repeats N] [options]",
               "Runs each compute kernel on each usable device (or the one given), checks the result\n"
               "against a float64 reference on the CPU, and prints the median time, GB/s or GFLOP/s, and\n"
               "the fraction of the device's bandwidth ceiling (the better of the driver's own copy and\n"
               "the copy kernel), and which implementation ran (own kernel or a vendor library). A device\n"
               "whose result is wrong is reported unusable with the error figure. Exit 1 when a check fails.",
               options, args, vm))
        return kOk;
    apply_verbosity(common);

    std::vector<std::uint32_t> kernels;
    if (!kernel_name.empty()) {
        std::uint32_t id = sdk::kernel_id(kernel_name);
        if (!id) throw UsageError("gpuhost bench: unknown kernel \"" + kernel_name + "\" (saxpy, dot, sgemm, cosine_topk, copy)");
        kernels.push_back(id);
    } else {
        // copy first: it is the ceiling the others are measured against.
        kernels = {GPUHOST_KERNEL_COPY, GPUHOST_KERNEL_SAXPY, GPUHOST_KERNEL_DOT, GPUHOST_KERNEL_COSINE_TOPK,
                   GPUHOST_KERNEL_SGEMM};
    }
    // 2^28 floats is 1 GiB a vector: a bench, not a memory test.
    constexpr std::int64_t kMaxSize = std::int64_t(1) << 28;
    if (size < 1 || size > kMaxSize)
        throw UsageError("gpuhost bench: --size must be from 1 to " + std::to_string(kMaxSize) + " (got " +
                         std::to_string(size) + ")");
    if (repeats < 1 || repeats > 1000)
        throw UsageError("gpuhost bench: --repeats must be from 1 to 1000 (got " + std::to_string(repeats) + ")");

    PluginSet plugins;
    // Bench runs on every device, the ones only Vulkan or OpenCL sees included,
    // and falls back to a probe where a vendor plugin has no kernels.
    flags.needs_probes = true;
    Inventory inv = detect_for_command(common, flags, plugins);
    // Kernels run in this process: only in plugins whose isolated probe passed.
    open_plugins_that_probed(plugins, inv);
    std::vector<const json::object *> devices;
    for (const auto &v : inv.devices) {
        const auto &d = v.as_object();
        if (!device_id.empty() ? text(d, "id") == device_id : d.at("usable").as_bool()) devices.push_back(&d);
    }
    if (devices.empty()) {
        std::cerr << "gpuhost bench: " << (device_id.empty() ? "no usable device" : "no device " + device_id)
                  << " (see `gpuhost detect`)\n";
        return kNoDevice;
    }

    ToolRunner tools;
    json::array results;
    Table table({"DEVICE", "KERNEL", "BY", "PLUGIN", "MEDIAN", "RATE", "OF CEILING", "CHECK"});
    std::vector<std::string> notes;
    bool all_passed = true;
    for (const auto *device : devices) {
        std::string id = text(*device, "id");
        // The bandwidth ceiling: the better of the driver's own copy and the
        // copy kernel, both moving the same bytes.
        double ceiling_gbps = 0;
        std::string ceiling_by;
        for (auto kernel : kernels) {
            auto request = kernels::request_for(kernel, std::uint64_t(size), std::uint32_t(repeats));
            auto check = kernels::run_on_device(plugins, tools, *device, request);
            auto row = check.to_json();
            row["device"] = id;
            row["name"] = text(*device, "name");
            double gbps = check.seconds > 0 ? check.bytes / check.seconds / 1e9 : 0;
            if (kernel == GPUHOST_KERNEL_COPY && check.passed) {
                double driver = check.driver_copy_seconds > 0 ? check.bytes / check.driver_copy_seconds / 1e9 : 0;
                ceiling_gbps = std::max(gbps, driver);
                ceiling_by = driver > gbps ? "the driver's own copy" : "the copy kernel";
                row["ceiling_gb_per_s"] = ceiling_gbps;
                row["ceiling_by"] = driver > gbps ? "driver_copy" : "copy_kernel";
                std::string line = id + " ceiling " + fixed(ceiling_gbps, 2) + " GB/s, " + ceiling_by +
                                   " (copy kernel " + fixed(gbps, 2) + " GB/s";
                line += driver > 0 ? ", driver's copy " + fixed(driver, 2) + " GB/s)" : "; the driver's copy not measured)";
                notes.push_back(line);
            }
            std::string fraction;
            if (check.passed && kernels::bandwidth_bound(kernel) && ceiling_gbps > 0) {
                double f = gbps / ceiling_gbps;
                row["fraction_of_ceiling"] = f;
                fraction = fixed(100 * f, 0) + "%";
                if (f > 1.0) {
                    // Never a fraction above 100% without the reason.
                    fraction += " !";
                    row["above_ceiling_reason"] = above_ceiling_reason(check, ceiling_gbps);
                    notes.push_back(id + " " + check.kernel + " at " + fixed(100 * f, 0) + "% of the ceiling: " +
                                    above_ceiling_reason(check, ceiling_gbps));
                }
            }
            std::string rate;
            if (check.ran && check.seconds > 0)
                rate = kernels::bandwidth_bound(kernel) ? fixed(gbps, 2) + " GB/s"
                                                        : fixed(check.flops / check.seconds / 1e9, 2) + " GFLOP/s";
            std::string verdict = check.passed ? "ok" : check.ran ? "WRONG" : "not run";
            std::string by = check.implementation.empty() ? "" : check.implementation;
            table.add({id, check.kernel, by, check.plugin,
                       check.ran ? fixed(check.seconds * 1e3, 3) + " ms" + (check.device_timer ? "" : "*") : "",
                       rate, fraction, verdict});
            if (check.passed && kernel == GPUHOST_KERNEL_SGEMM && check.own_kernel_seconds > 0 && check.flops > 0) {
                // A vendor library ran: the own kernel is reported against it.
                double own = check.flops / check.own_kernel_seconds / 1e9, lib = check.flops / check.seconds / 1e9;
                row["own_kernel_fraction_of_library"] = own / lib;
                table.add({id, check.kernel, "own kernel", check.plugin, fixed(check.own_kernel_seconds * 1e3, 3) + " ms",
                           fixed(own, 2) + " GFLOP/s", fixed(100 * own / lib, 0) + "% of " + by, "agrees"});
            }
            if (!check.passed) {
                all_passed = false;
                notes.push_back(id + " " + check.kernel + ": " + (check.ran ? "unusable: " : "") + check.error);
            } else if (check.note.find("instead") != std::string::npos ||
                       (kernel == GPUHOST_KERNEL_SGEMM && check.note.find("own kernel") != std::string::npos)) {
                notes.push_back(id + " " + check.kernel + ": " + check.note);
            }
            results.push_back(std::move(row));
        }
    }
    if (common.json) {
        print_json(json::object{{"size", size}, {"repeats", repeats}, {"results", std::move(results)}});
    } else {
        std::cout << table.render();
        std::cout << "(* wall clock; otherwise the device's own timer. Ceiling: the better of the driver's own\n"
                     "   device-to-device copy and the copy kernel, in GB/s counted as STREAM does, without\n"
                     "   write-allocate traffic. sgemm is compute-bound: with a vendor library (BY), the own\n"
                     "   kernel's row gives its share of the library's rate.)\n";
        for (const auto &n : notes) std::cout << "  " << n << "\n";
    }
    return all_passed ? kOk : kFailed;
}

}  // namespace gpuhost::cli
