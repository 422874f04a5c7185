// Signal 4, the last resort: nvidia-smi's text, parsed as plain code so that
// recordings from any machine can be tested anywhere. Every parser returns a
// SignalReport; text it cannot read gives a failure with the reason, never a crash.
#pragma once
#include "gpu_facts.hpp"

#include <string>

namespace gpuhost::cuda {

// The fields asked for with --query-gpu, in this order.
inline constexpr const char *kSmiQueryFields =
    "index,name,uuid,pci.bus_id,memory.total,memory.free,driver_version,compute_cap";

// `nvidia-smi --query-gpu=<kSmiQueryFields> --format=csv,noheader,nounits`, or
// any --query-gpu CSV with its header line ("name, memory.total [MiB], ..."),
// whose columns are then found by name and whose values may carry units.
SignalReport parse_smi_csv(const std::string &text);
// `nvidia-smi -q`
SignalReport parse_smi_query(const std::string &text);
// `nvidia-smi` (the default table)
SignalReport parse_smi_table(const std::string &text);
// `nvidia-smi -q -x` (the XML report)
SignalReport parse_smi_xml(const std::string &text);
// `nvidia-smi -L`: "GPU 0: NAME (UUID: GPU-...)" per GPU; MIG lines are skipped.
SignalReport parse_smi_list(const std::string &text);

// Both header generations name the same two versions: drivers before the 6xx
// series print "Driver Version" and "CUDA Version", later ones "KMD Version"
// (the kernel-mode driver) and "CUDA UMD Version" (the CUDA version the
// user-mode driver implements). The parsers put the first in driver_version
// and the second in cuda_version, whatever the label.

// Recognises nvidia-smi's own failure messages (driver/library mismatch, no
// driver); returns a report with failure == none when the text is not one.
SignalReport parse_smi_failure(const std::string &text);

}  // namespace gpuhost::cuda
