// Proves a kernel computes: fresh random inputs each call, outputs poisoned
// with NaN so unwritten elements show, and every result compared with a float64
// reference on the CPU by relative error against float32 tolerances.
#pragma once
#include "gpuhost/plugin_abi.h"
#include "plugins/plugin_library.hpp"

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <string>

namespace gpuhost::kernels {

struct KernelRequest {
    std::uint32_t kernel = 0;  // gpuhost_kernel_id
    std::uint64_t m = 0, n = 0, k = 0;
    std::uint32_t top_k = 0;
    std::uint32_t repeats = 1;
};

// Sizes for one bench figure N: vectors of N floats, sgemm of side ~sqrt(N)/8,
// cosine_topk over N/384 rows of 384 floats with top 10.
KernelRequest request_for(std::uint32_t kernel, std::uint64_t size, std::uint32_t repeats);
double bytes_moved(const KernelRequest &r);
double flops(const KernelRequest &r);
// Memory-bound kernels are judged against the copy bandwidth; sgemm is not.
bool bandwidth_bound(std::uint32_t kernel);

struct KernelCheck {
    std::string kernel;
    std::string plugin;    // the plugin that ran it
    bool ran = false;      // the plugin returned OK
    bool passed = false;   // ran, and the result matched the reference
    std::string error;     // why it was rejected, did not run, or what was wrong
    std::string note;      // what the plugin said; routing notes
    double max_error = 0;  // largest relative error seen (inf for NaN / missing)
    double tolerance = 0;
    double seconds = 0;
    bool device_timer = false;
    double bytes = 0, flops = 0;
    std::string implementation;      // what computed it ("own kernel", "cuBLAS", ...); "" if unsaid
    double driver_copy_seconds = 0;  // copy: the driver's own copy of the same bytes (0: none)
    double own_kernel_seconds = 0;   // sgemm by a vendor library: the plugin's own kernel (0: none)

    boost::json::object to_json() const;
};

// Calls the kernel on the device; returns the plugin's reply.
using KernelCall = std::function<PluginReply(gpuhost_kernel_args &)>;

// Rejects empty sizes with a clear error before calling anything.
KernelCheck run_and_check(const KernelRequest &request, const KernelCall &call);

}  // namespace gpuhost::kernels
