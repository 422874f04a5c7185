#include "record_builder.hpp"

#include "compute_capability.hpp"

#include <algorithm>

namespace gpuhost::cuda {

namespace {

struct Entry {
    GpuFacts facts;
    std::vector<std::string> signals;
    std::string pci_driver;  // from sysfs; "" unknown or none
    bool seen_by_driver = false;  // NVML, libcuda or nvidia-smi answered for it
};

bool same_gpu(const GpuFacts &a, const GpuFacts &b) {
    if (!a.pci_bus_id.empty() && a.pci_bus_id == b.pci_bus_id) return true;
    return !a.uuid.empty() && a.uuid == b.uuid;
}

void fill(GpuFacts &into, const GpuFacts &from) {
    auto take = [](std::string &a, const std::string &b) { if (a.empty()) a = b; };
    if (into.name.empty() || (into.name_truncated && !from.name.empty() && !from.name_truncated)) {
        into.name = from.name;
        into.name_truncated = from.name_truncated;
    }
    take(into.uuid, from.uuid);
    take(into.pci_bus_id, from.pci_bus_id);
    take(into.pci_device_id, from.pci_device_id);
    take(into.architecture_name, from.architecture_name);
    take(into.problem, from.problem);
    if (!into.memory_total) into.memory_total = from.memory_total;
    if (!into.memory_free) into.memory_free = from.memory_free;
    if (into.cc_major < 0) { into.cc_major = from.cc_major; into.cc_minor = from.cc_minor; }
    if (!into.index) into.index = from.index;
}

Entry &merge(std::vector<Entry> &entries, const GpuFacts &g, const std::string &signal) {
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry &e) { return same_gpu(e.facts, g); });
    if (it == entries.end()) {
        entries.push_back(Entry{g, {signal}, {}, false});
        return entries.back();
    }
    fill(it->facts, g);
    if (std::find(it->signals.begin(), it->signals.end(), signal) == it->signals.end()) it->signals.push_back(signal);
    return *it;
}

std::string cc_text(int major, int minor) { return std::to_string(major) + "." + std::to_string(minor); }

const SignalReport *first_failure(const Signals &s, Failure kind) {
    for (const auto *r : {&s.nvml, &s.cuda_driver, &s.smi})
        if (r->failure == kind) return r;
    return nullptr;
}

std::string mismatch_reason(const Signals &s) {
    std::string library;
    for (const auto *r : {&s.nvml, &s.smi})
        if (r->failure == Failure::mismatch && library.empty()) library = r->library_version;
    std::string versions;
    if (!s.procfs.kernel_module_version.empty()) versions = "kernel module " + s.procfs.kernel_module_version;
    if (!library.empty()) versions += (versions.empty() ? "" : ", ") + ("NVML library " + library);
    return "NVIDIA driver/library version mismatch" + (versions.empty() ? "" : " (" + versions + ")") +
           ": the driver was upgraded without reloading the kernel module; reboot, or reinstall one driver "
           "version so both match";
}

std::string no_driver_reason(const Entry &e, const Signals &s) {
    if (e.pci_driver == "vfio-pci") return "bound to vfio-pci (reserved for a virtual machine), not the NVIDIA driver";
    for (const auto *r : {&s.nvml, &s.cuda_driver, &s.smi})
        if (r->ok())
            return "on the PCI bus, but " + r->signal + " lists other GPUs and not this one: the driver failed to "
                   "initialise it (look in dmesg for RmInitAdapter or Xid errors)";
    if (s.procfs.control_node_denied || first_failure(s, Failure::no_permission))
        return "no permission to open /dev/nvidiactl: add the user to the group that owns /dev/nvidia* (often "
               "video), or in a container pass the GPU in (--gpus all)";
    if (e.pci_driver == "nvidia" || s.procfs.driver_loaded()) {
        std::string why = "the nvidia kernel module";
        if (!s.procfs.kernel_module_version.empty()) why += " " + s.procfs.kernel_module_version;
        why += " is loaded but neither NVML, libcuda nor nvidia-smi answered";
        if (const auto *failed = first_failure(s, Failure::other)) why += " (" + failed->error + ")";
        return why + ": install the NVIDIA user-space driver of the same version (libnvidia-ml, libcuda, nvidia-smi)";
    }
    std::string why = "NVIDIA driver not loaded";
    if (e.pci_driver == "nouveau" || s.procfs.nouveau_loaded)
        why += " (the open-source nouveau driver is loaded instead; CUDA needs NVIDIA's driver)";
    return why + ": install the NVIDIA driver and reboot";
}

}  // namespace

Detection build_records(const Signals &s) {
    Detection out;
    const auto &p = s.procfs;
    for (const auto *r : {&s.nvml, &s.cuda_driver, &s.smi}) {
        if (!r->ok() && !r->error.empty()) out.notes.push_back(r->error);
        out.notes.insert(out.notes.end(), r->notes.begin(), r->notes.end());
    }

    std::vector<Entry> entries;
    for (const auto *r : {&s.nvml, &s.cuda_driver, &s.smi})
        if (r->ok())
            for (const auto &g : r->gpus) merge(entries, g, r->signal).seen_by_driver = true;
    for (const auto &g : p.driver_gpus) merge(entries, g, "procfs");
    for (const auto &pci : p.pci_gpus) {
        GpuFacts g;
        g.pci_bus_id = pci.bus_id;
        g.pci_device_id = pci.device_id;
        merge(entries, g, "sysfs").pci_driver = pci.driver;
    }
    const bool mismatch = first_failure(s, Failure::mismatch) != nullptr;
    if (p.jetson && entries.empty()) {
        GpuFacts g;
        g.name = p.jetson->model;
        merge(entries, g, "procfs").seen_by_driver = s.jetson_cuda_library;
    }
    if (entries.empty() && mismatch) {
        // The mismatch hides every detail but the fact that a GPU and a driver exist.
        GpuFacts g;
        g.name = "NVIDIA GPU";
        merge(entries, g, "procfs");
    }
    if (entries.empty()) {
        out.status = "absent";
        out.notes.push_back(p.driver_loaded() ? "nvidia kernel module " + p.kernel_module_version + " loaded, but no GPU found"
                                              : "no NVIDIA GPU on the PCI bus, no /proc/driver/nvidia, no NVML or libcuda");
        return out;
    }
    out.status = "present";

    std::string user_driver = !s.nvml.driver_version.empty() ? s.nvml.driver_version : s.smi.driver_version;
    int cuda_version = s.nvml.cuda_version ? s.nvml.cuda_version
                       : s.cuda_driver.cuda_version ? s.cuda_driver.cuda_version : s.smi.cuda_version;
    for (auto &e : entries) {
        auto &g = e.facts;
        sdk::DeviceRecord d;
        d.vendor = "nvidia";
        d.backend = "cuda";
        d.name = !g.name.empty() ? g.name
                 : !g.pci_device_id.empty() ? "NVIDIA GPU [10de:" + g.pci_device_id.substr(2) + "]" : "NVIDIA GPU";
        d.type = p.jetson ? "integrated" : "discrete";
        if (!g.pci_bus_id.empty() || !g.pci_device_id.empty()) {
            d.pci_vendor_id = "0x10de";
            d.pci_device_id = g.pci_device_id;
            d.pci_bus_id = g.pci_bus_id;
        }
        d.uuid = g.uuid;
        d.memory_total_bytes = g.memory_total;
        d.memory_free_bytes = g.memory_free;
        if (p.jetson) {
            d.driver_version = p.jetson->l4t_release.empty() ? "" : "L4T " + p.jetson->l4t_release;
            d.details["l4t_release"] = p.jetson->l4t_release;
            d.details["soc"] = p.jetson->soc;
            if (g.cc_major < 0) { g.cc_major = p.jetson->cc_major; g.cc_minor = p.jetson->cc_minor; }
        } else if (!mismatch && !user_driver.empty()) {
            d.driver_version = user_driver;
        } else if (!p.kernel_module_version.empty()) {
            d.driver_version = p.kernel_module_version;
            if (std::find(e.signals.begin(), e.signals.end(), "procfs") == e.signals.end()) e.signals.push_back("procfs");
        }
        if (e.seen_by_driver && cuda_version) {
            d.runtime_name = "cuda";
            d.runtime_version = cuda_version_text(cuda_version);
            d.umd_version = d.runtime_version;
        }
        if (!p.jetson) d.kmd_version = d.driver_version;
        if (g.cc_major < 0)
            if (auto cc = architecture_compute_capability(g.architecture_name, g.name)) std::tie(g.cc_major, g.cc_minor) = *cc;
        if (g.cc_major >= 0) {
            d.architecture = cc_text(g.cc_major, g.cc_minor);
            d.features = cuda_features({g.cc_major, g.cc_minor});
        }
        d.signals = e.signals;
        if (g.index) d.details["index"] = *g.index;
        if (g.name_truncated) d.details["name_truncated"] = true;
        if (!g.architecture_name.empty()) d.details["architecture_name"] = g.architecture_name;
        if (!p.kernel_module_version.empty()) d.details["kernel_module_version"] = p.kernel_module_version;
        if (p.open_kernel_module) d.details["open_kernel_module"] = true;
        if (p.wsl) d.details["wsl"] = true;
        if (s.cuda_visible_devices) d.details["cuda_visible_devices"] = *s.cuda_visible_devices;

        if (!g.problem.empty()) d.mark_unusable(g.problem);
        if (mismatch) d.mark_unusable(mismatch_reason(s));
        if (!e.seen_by_driver) {
            if (p.jetson)
                d.mark_unusable("libcuda not found (looked in /usr/lib/aarch64-linux-gnu/tegra): install the L4T CUDA "
                                "driver package (nvidia-l4t-cuda, part of JetPack)");
            else
                d.mark_unusable(no_driver_reason(e, s));
        }
        if (g.cc_major >= 0 && ComputeCapability{g.cc_major, g.cc_minor} < kOldestSupported)
            d.mark_unusable("compute capability " + d.architecture + " is below " + cc_text(kOldestSupported.first, kOldestSupported.second) +
                            ", the oldest that current CUDA builds support");
        out.devices.push_back(std::move(d));
    }
    if (s.cuda_visible_devices)
        out.notes.push_back("CUDA_VISIBLE_DEVICES=" + *s.cuda_visible_devices +
                            " is set: applications will see only those GPUs; detection ignored it");
    return out;
}

}  // namespace gpuhost::cuda
