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

// `nvidia-smi --query-gpu=<kSmiQueryFields> --format=csv,noheader,nounits`
SignalReport parse_smi_csv(const std::string &text);
// `nvidia-smi -q`
SignalReport parse_smi_query(const std::string &text);
// `nvidia-smi` (the default table)
SignalReport parse_smi_table(const std::string &text);

// Recognises nvidia-smi's own failure messages (driver/library mismatch, no
// driver); returns a report with failure == none when the text is not one.
SignalReport parse_smi_failure(const std::string &text);

}  // namespace gpuhost::cuda
