// What `rocm-smi` (concise table) and `amd-smi list` say about the GPUs; used
// when the KFD topology cannot be read (a container without /sys/class/kfd).
#pragma once
#include <string>
#include <vector>

namespace gpuhost::rocm {

struct SmiGpu {
    int index = -1;
    std::string bus_id;  // amd-smi, rocm-smi --json
    std::string uuid;    // amd-smi only
    std::string name;    // marketing name (amd-smi static, rocm-smi --showproductname)
    std::string gfx;     // "gfx1101" (amd-smi static)
    std::string driver_version;  // amdgpu's (amd-smi static)
};

// Rows of the "Concise Info" table: lines that start with the GPU index.
std::vector<SmiGpu> parse_rocm_smi(const std::string &text);
// "GPU: 0" blocks with "BDF:" and "UUID:" lines.
std::vector<SmiGpu> parse_amd_smi_list(const std::string &text);

// `rocm-smi --showproductname` in any of its layouts (the "GPU[0] : Card
// series: ..." text, --csv, --json) and `rocm-smi -a --json` / `--json`: one
// entry per card, named by the first of "Card model", the bracketed part of
// "Card series", "Card series", "Device Name" that is a name and not a hex id.
// JSON cut short gives what it holds.
std::vector<SmiGpu> parse_rocm_smi_product(const std::string &text);
// `amd-smi static` (text, "GPU: 0" blocks) and `amd-smi static --json` (an
// array, or an object holding "gpu_data"): market name, gfx target, BDF,
// driver version. Warnings printed before the JSON and JSON cut short are
// survived.
std::vector<SmiGpu> parse_amd_smi_static(const std::string &text);

// `id -Gn` or `groups` output: group names ("user : a b" form too).
std::vector<std::string> parse_groups(const std::string &text);

}  // namespace gpuhost::rocm
