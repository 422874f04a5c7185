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
               "the fraction of the device's bandwidth ceiling (measured by its copy kernel). A device\n"
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
    Table table({"DEVICE", "KERNEL", "PLUGIN", "MEDIAN", "RATE", "OF CEILING", "CHECK"});
    std::vector<std::string> notes;
    bool all_passed = true;
    for (const auto *device : devices) {
        std::string id = text(*device, "id");
        double ceiling_gbps = 0;
        for (auto kernel : kernels) {
            auto request = kernels::request_for(kernel, std::uint64_t(size), std::uint32_t(repeats));
            auto check = kernels::run_on_device(plugins, tools, *device, request);
            auto row = check.to_json();
            row["device"] = id;
            row["name"] = text(*device, "name");
            double gbps = check.seconds > 0 ? check.bytes / check.seconds / 1e9 : 0;
            if (kernel == GPUHOST_KERNEL_COPY && check.passed) ceiling_gbps = gbps;
            std::string fraction;
            if (check.passed && kernels::bandwidth_bound(kernel) && ceiling_gbps > 0) {
                row["fraction_of_ceiling"] = gbps / ceiling_gbps;
                fraction = fixed(100 * gbps / ceiling_gbps, 0) + "%";
            }
            std::string rate;
            if (check.ran && check.seconds > 0)
                rate = kernels::bandwidth_bound(kernel) ? fixed(gbps, 2) + " GB/s"
                                                        : fixed(check.flops / check.seconds / 1e9, 2) + " GFLOP/s";
            std::string verdict = check.passed ? "ok" : check.ran ? "WRONG" : "not run";
            table.add({id, check.kernel, check.plugin,
                       check.ran ? fixed(check.seconds * 1e3, 3) + " ms" + (check.device_timer ? "" : "*") : "",
                       rate, fraction, verdict});
            if (!check.passed) {
                all_passed = false;
                notes.push_back(id + " " + check.kernel + ": " + (check.ran ? "unusable: " : "") + check.error);
            } else if (check.note.find("instead") != std::string::npos) {
                notes.push_back(id + " " + check.kernel + ": " + check.note);
            }
            results.push_back(std::move(row));
        }
    }
    if (common.json) {
        print_json(json::object{{"size", size}, {"repeats", repeats}, {"results", std::move(results)}});
    } else {
        std::cout << table.render();
        std::cout << "(* wall clock; otherwise the device's own timer. Ceiling: the copy kernel's GB/s, counted\n"
                     "   as STREAM does, without write-allocate traffic; sgemm is compute-bound and has none.)\n";
        for (const auto &n : notes) std::cout << "  " << n << "\n";
    }
    return all_passed ? kOk : kFailed;
}

}  // namespace gpuhost::cli
