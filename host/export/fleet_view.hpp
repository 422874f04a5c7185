// What the fleet exporters need to know about one machine, read once from the
// inventory (and the sysroot) so each formatter is a pure function of it.
#pragma once
#include "../detect/inventory.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace gpuhost {
class ToolRunner;
struct Selection;
namespace sdk {
class Sysroot;
}
}  // namespace gpuhost

namespace gpuhost::fleet {

struct BenchFigure {
    double gbps = 0;    // bandwidth-bound kernels
    double gflops = 0;  // sgemm
};

struct ExportDevice {
    std::string id, vendor, backend, name, type;
    bool usable = false;
    std::string reason;                    // why not usable
    std::optional<long long> memory_bytes; // total, when known
    std::optional<long long> memory_mib;
    std::string driver_version;
    std::string runtime_name, runtime_version;  // "cuda" "12.7"
    std::string architecture;              // "9.0", "gfx1100", "xe2-hpg"
    std::string best_build;                // the plugin's first accelerator tag (as `select` shows it)
    int rank = -1;                         // place in select's ranking, 0 = best; -1 not ranked
    std::string pci_bus_id, pci_device_id, uuid;
    std::optional<int> nvidia_minor;       // /dev/nvidiaN
    std::optional<int> render_minor;       // /dev/dri/renderDN
    std::optional<int> numa_node;
    std::string numa_cpus;                 // "0-31,64-95" from the node's cpulist
    std::string last_verified_at;          // ISO 8601 UTC, from an environment's state
    std::map<std::string, BenchFigure> bench;  // kernel -> figure, from a `bench --json` file
    std::set<std::string> features;
};

struct FleetView {
    std::vector<ExportDevice> devices;     // detect order
    std::set<std::string> cpu_flags;       // /proc/cpuinfo flags, when readable
    std::string sysroot;                   // "" on the live machine
};

// Accelerators a scheduler can hand out: GPUs with a vendor backend, not the
// CPU and not the vendor-neutral probes' second views of the same device.
bool is_accelerator(const ExportDevice &d);

// Builds the view: every device of the inventory, with the best build from the
// selection's candidates and, where the files exist under the sysroot, the
// device's NUMA node, its CPUs and the CPU flags. `machine` is null when the
// inventory came from a file: this machine's files would describe another one.
FleetView build_fleet_view(const Inventory &inventory, const Selection &selection, const sdk::Sysroot *machine);

// Adds the last verification of each environment under envs_dir whose state
// names a device of the view (newest wins). Unreadable states are skipped.
void add_verifications(FleetView &view, const std::string &envs_dir);

// Adds the figures of a `gpuhost bench --json` document. Throws FileError
// naming the file when it is not such a document.
void add_bench(FleetView &view, const std::string &bench_file);

}  // namespace gpuhost::fleet
