// What `rocm-smi` (concise table) and `amd-smi list` say about the GPUs; used
// when the KFD topology cannot be read (a container without /sys/class/kfd).
#pragma once
#include <string>
#include <vector>

namespace gpuhost::rocm {

struct SmiGpu {
    int index = -1;
    std::string bus_id;  // amd-smi only
    std::string uuid;    // amd-smi only
};

// Rows of the "Concise Info" table: lines that start with the GPU index.
std::vector<SmiGpu> parse_rocm_smi(const std::string &text);
// "GPU: 0" blocks with "BDF:" and "UUID:" lines.
std::vector<SmiGpu> parse_amd_smi_list(const std::string &text);

// `id -Gn` or `groups` output: group names ("user : a b" form too).
std::vector<std::string> parse_groups(const std::string &text);

}  // namespace gpuhost::rocm
