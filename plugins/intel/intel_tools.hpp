// What Intel's command-line tools print about the GPUs, read as a fallback
// for names when Level Zero is not there to ask: `sycl-ls` (every SYCL
// backend's devices, one line each) and `xpu-smi discovery` (its table, or
// the CSV of `--dump`). Plain code, tested on any machine.
#pragma once
#include <string>
#include <vector>

namespace gpuhost::intel {

struct ToolGpu {
    int index = -1;              // the tool's own ordinal
    std::string name;            // "Intel(R) Arc(TM) A770 Graphics"
    std::string bus_id;          // "0000:03:00.0" (xpu-smi only)
    std::string driver_version;  // "23.17.26241.33" (sycl-ls' bracket)
    std::string backend;         // "level_zero", "opencl" (sycl-ls only)
};

// The GPUs of one backend (Level Zero when listed, else OpenCL, else the
// first), since every backend lists the same GPU again. Never throws.
std::vector<ToolGpu> parse_sycl_ls(const std::string &text);
// Devices of `xpu-smi discovery` (the boxed table, rows cut short too) or of
// `xpu-smi discovery --dump ...` (CSV with a header). Never throws.
std::vector<ToolGpu> parse_xpu_smi_discovery(const std::string &text);

}  // namespace gpuhost::intel
