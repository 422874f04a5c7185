#include "fleet_view.hpp"

#include "../core/files.hpp"
#include "../env/env_state.hpp"
#include "../policy/selection.hpp"

#include <gpuhost/sysroot.hpp>

#include <cctype>
#include <filesystem>
#include <sstream>

namespace json = boost::json;
namespace fs = std::filesystem;

namespace gpuhost::fleet {

namespace {

std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

const json::object *object(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_object() ? &it->value().as_object() : nullptr;
}

std::optional<long long> integer(const json::object &o, const char *key) {
    auto it = o.find(key);
    if (it == o.end()) return std::nullopt;
    if (it->value().is_int64()) return it->value().as_int64();
    if (it->value().is_uint64()) return static_cast<long long>(it->value().as_uint64());
    return std::nullopt;
}

// "renderD128" or "/dev/dri/renderD128" -> 128.
std::optional<int> render_minor_of(const std::string &node) {
    auto at = node.rfind("renderD");
    if (at == std::string::npos) return std::nullopt;
    std::string digits = node.substr(at + 7);
    if (digits.empty() || digits.size() > 4) return std::nullopt;
    for (char c : digits)
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    return std::stoi(digits);
}

// The kernel's NUMA node of a PCI device (-1: none) and that node's CPUs.
void add_numa(ExportDevice &d, const sdk::Sysroot &root) {
    if (d.pci_bus_id.empty()) return;
    auto node = root.read_line("/sys/bus/pci/devices/" + d.pci_bus_id + "/numa_node");
    if (!node || node->empty()) return;
    try {
        int n = std::stoi(*node);
        if (n < 0 || n > 4095) return;
        d.numa_node = n;
        if (auto cpus = root.read_line("/sys/devices/system/node/node" + std::to_string(n) + "/cpulist"))
            d.numa_cpus = *cpus;
    } catch (const std::exception &) {
    }
}

std::set<std::string> cpuinfo_flags(const sdk::Sysroot &root) {
    std::set<std::string> flags;
    auto info = root.read("/proc/cpuinfo");
    if (!info) return flags;
    std::istringstream lines(*info);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("flags", 0) != 0) continue;
        auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        std::istringstream words(line.substr(colon + 1));
        for (std::string w; words >> w;) flags.insert(w);
        break;  // every core lists the same flags
    }
    return flags;
}

ExportDevice from_record(const json::object &r) {
    ExportDevice d;
    d.id = text(r, "id");
    d.vendor = text(r, "vendor");
    d.backend = text(r, "backend");
    d.name = text(r, "name");
    d.type = text(r, "type");
    auto usable = r.find("usable");
    d.usable = usable != r.end() && usable->value().is_bool() && usable->value().as_bool();
    d.reason = text(r, "reason");
    if (auto *m = object(r, "memory"))
        if (auto total = integer(*m, "total_bytes"); total && *total > 0) {
            d.memory_bytes = *total;
            d.memory_mib = *total / (1024 * 1024);
        }
    d.driver_version = text(r, "driver_version");
    if (auto *rt = object(r, "runtime")) {
        d.runtime_name = text(*rt, "name");
        d.runtime_version = text(*rt, "version");
    }
    d.architecture = text(r, "architecture");
    if (auto *pci = object(r, "pci")) {
        d.pci_bus_id = text(*pci, "bus_id");
        if (!d.pci_bus_id.empty()) d.pci_bus_id = normalize_bus_id(d.pci_bus_id);
        d.pci_device_id = text(*pci, "device_id");
    }
    d.uuid = text(r, "uuid");
    if (auto f = r.find("features"); f != r.end() && f->value().is_array())
        for (const auto &v : f->value().as_array())
            if (v.is_string()) d.features.insert(std::string(v.as_string()));
    if (auto *details = object(r, "details")) {
        // The driver's minor number names /dev/nvidiaN; without it, nvidia-smi's
        // index, which equals the minor on every machine we have recorded.
        if (auto minor = integer(*details, "minor_number")) d.nvidia_minor = int(*minor);
        else if (auto index = integer(*details, "index"); index && d.backend == "cuda") d.nvidia_minor = int(*index);
        if (auto minor = integer(*details, "drm_render_minor")) d.render_minor = int(*minor);
        else if (auto node = render_minor_of(text(*details, "render_node"))) d.render_minor = node;
    }
    return d;
}

}  // namespace

bool is_accelerator(const ExportDevice &d) {
    return d.type != "cpu" && (d.backend == "cuda" || d.backend == "rocm" || d.backend == "xpu" || d.backend == "mps");
}

FleetView build_fleet_view(const Inventory &inventory, const Selection &selection, const sdk::Sysroot *machine) {
    FleetView view;
    if (machine) view.sysroot = machine->prefix();
    for (const auto &v : inventory.devices) {
        if (!v.is_object()) continue;
        ExportDevice d = from_record(v.as_object());
        for (std::size_t i = 0; i < selection.ranked.size(); ++i) {
            const auto &c = selection.ranked[i];
            if (c.device_id != d.id) continue;
            d.rank = int(i);
            if (auto a = c.install.find("accelerators"); a != c.install.end() && a->value().is_array())
                for (const auto &tag : a->value().as_array())
                    if (tag.is_object()) {
                        d.best_build = text(tag.as_object(), "tag");
                        break;
                    }
        }
        if (machine) add_numa(d, *machine);
        view.devices.push_back(std::move(d));
    }
    if (machine) view.cpu_flags = cpuinfo_flags(*machine);
    return view;
}

void add_verifications(FleetView &view, const std::string &envs_dir) {
    std::error_code ec;
    if (envs_dir.empty() || !fs::is_directory(envs_dir, ec)) return;
    for (const auto &entry : fs::directory_iterator(envs_dir, ec)) {
        auto loaded = env::load_state(entry.path());
        if (loaded.kind != env::LoadedState::Kind::ok) continue;
        const auto &s = loaded.state;
        auto status = s.verification.find("status");
        if (status == s.verification.end() || !status->value().is_string() || status->value().as_string() != "passed")
            continue;
        std::string at = text(s.verification, "at");
        for (auto &d : view.devices)
            if (d.id == s.device_id && d.name == s.device_name && at > d.last_verified_at) d.last_verified_at = at;
    }
}

void add_bench(FleetView &view, const std::string &bench_file) {
    auto value = read_json_file(bench_file);
    const json::array *results = nullptr;
    if (value.is_object())
        if (auto it = value.as_object().find("results"); it != value.as_object().end() && it->value().is_array())
            results = &it->value().as_array();
    if (!results) throw FileError(bench_file + ": not a `gpuhost bench --json` document (no \"results\" list)");
    for (const auto &row : *results) {
        if (!row.is_object()) continue;
        const auto &r = row.as_object();
        auto passed = r.find("passed");
        if (passed == r.end() || !passed->value().is_bool() || !passed->value().as_bool()) continue;
        std::string id = text(r, "device"), kernel = text(r, "kernel");
        for (auto &d : view.devices) {
            if (d.id != id || (!text(r, "name").empty() && text(r, "name") != d.name)) continue;
            BenchFigure f;
            if (auto g = r.find("gb_per_s"); g != r.end() && g->value().is_number()) f.gbps = g->value().to_number<double>();
            if (auto g = r.find("gflop_per_s"); g != r.end() && g->value().is_number()) f.gflops = g->value().to_number<double>();
            if (f.gbps > 0 || f.gflops > 0) d.bench[kernel] = f;
        }
    }
}

}  // namespace gpuhost::fleet
