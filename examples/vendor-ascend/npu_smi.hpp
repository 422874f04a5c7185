// `npu-smi info`: the table the Ascend driver's tool prints. Plain text
// parsing, tested on recorded outputs (SOURCE.md).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ascend {

struct SmiChip {
    int npu_id = -1;
    std::string chip;        // chip index within the NPU ("0")
    std::string name;        // "910B1"
    std::string health;      // "OK", "Warning", "Alarm", ...
    std::string bus_id;      // "0000:C1:00.0"
    std::optional<std::uint64_t> hbm_used_mb, hbm_total_mb;
};

struct SmiTable {
    std::string version;     // "24.1.0" from the header line
    std::vector<SmiChip> chips;
};

// Each chip spans two rows: "| NPU Name | Health | Power Temp Hugepages |" and
// "| Chip [Phy-ID] | Bus-Id | AICore Memory-Usage HBM-Usage |". The process
// table after the chips is ignored.
SmiTable parse_npu_smi_info(const std::string &text);

}  // namespace ascend
