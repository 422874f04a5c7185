#include "amd_gpus.hpp"

#include "device_access.hpp"
#include "gfx_targets.hpp"
#include "kfd_topology.hpp"
#include "pci_devices.hpp"
#include "rocminfo_parser.hpp"
#include "smi_parser.hpp"

#include <optional>

namespace gpuhost::rocm {

using namespace plugin_text;
namespace json = boost::json;

namespace {

constexpr std::uint64_t kCarveOutLimit = 2ull << 30;  // an APU's VRAM carve-out is at most 2 GiB

// What the whole machine says once, shared by every GPU.
struct MachineFacts {
    AccessFacts access;
    std::optional<Rocminfo> rocminfo;  // nullopt: rocminfo not installed
    bool rocminfo_named_gpus = false;  // some GPU agent has a marketing name
    std::string driver_version, rocm_version;
    std::string override_value, override_target, override_error;
    // What `amd-smi static` or `rocm-smi --showproductname` say, read once and
    // only when a GPU needs a name that nothing earlier gave.
    mutable std::optional<std::vector<SmiGpu>> smi_products;
    mutable std::string smi_products_tool;
};

const std::vector<SmiGpu> &smi_products(const sdk::Host &host, const MachineFacts &m) {
    if (m.smi_products) return *m.smi_products;
    m.smi_products.emplace();
    if (auto r = host.run({"amd-smi", "static"}); r.ran()) {
        *m.smi_products = parse_amd_smi_static(r.output);
        m.smi_products_tool = "amd-smi";
    }
    if (m.smi_products->empty())
        if (auto r = host.run({"rocm-smi", "--showproductname"}); r.ran()) {
            *m.smi_products = parse_rocm_smi_product(r.output);
            m.smi_products_tool = "rocm-smi";
        }
    return *m.smi_products;
}

// The SMI entry for a GPU: by bus id when both have one, else by index.
const SmiGpu *smi_product(const std::vector<SmiGpu> &gpus, const std::string &bus, int index) {
    bool any_bus = false;
    for (const auto &g : gpus) {
        any_bus = any_bus || !g.bus_id.empty();
        if (!bus.empty() && g.bus_id == bus) return &g;
    }
    if (any_bus && !bus.empty()) return nullptr;
    for (const auto &g : gpus)
        if (g.index == index) return &g;
    return nullptr;
}

MachineFacts read_machine(const sdk::Host &host, const std::string &override_value, std::vector<std::string> &notes) {
    MachineFacts m;
    m.access = check_kfd(host);
    auto ri = host.run({"rocminfo"});
    if (ri.ran()) {
        m.rocminfo = parse_rocminfo(ri.output);
        if (!ri.ok() && m.rocminfo->error.empty()) m.rocminfo->error = "exited with code " + std::to_string(ri.exit_code);
        for (const auto &a : m.rocminfo->agents)
            m.rocminfo_named_gpus = m.rocminfo_named_gpus || (a.is_gpu() && !a.marketing_name.empty());
    } else {
        notes.push_back("rocminfo not found: names come from sysfs only (ROCm user space not installed)");
    }
    m.driver_version = host.root().read_line("/sys/module/amdgpu/version").value_or("");
    if (auto v = host.root().read_line("/opt/rocm/.info/version")) m.rocm_version = v->substr(0, v->find('-'));
    m.override_value = override_value;
    if (!override_value.empty()) {
        try {
            m.override_target = gfx_from_override(override_value);
        } catch (const std::exception &e) {
            m.override_error = e.what();
            notes.push_back(m.override_error + ": ignored, as the HSA runtime would fail on it");
        }
    }
    return m;
}

// The sysfs folders that describe one GPU, best first: the PCI device, the
// render node's device, and the DRM card whose uevent names the same slot.
std::vector<std::string> device_dirs(const sdk::Sysroot &root, const std::string &bus, const KfdNode &node) {
    std::vector<std::string> dirs;
    if (!bus.empty() && root.exists("/sys/bus/pci/devices/" + bus)) dirs.push_back("/sys/bus/pci/devices/" + bus);
    if (node.get("drm_render_minor") > 0) {
        std::string render = "/sys/class/drm/renderD" + std::to_string(node.get("drm_render_minor")) + "/device";
        if (root.exists(render)) dirs.push_back(render);
    }
    for (const auto &card : root.list("/sys/class/drm")) {
        if (!starts_with(card, "card") || card.find('-') != std::string::npos) continue;
        auto uevent = root.read("/sys/class/drm/" + card + "/device/uevent");
        if (uevent && lower(uevent_value(*uevent, "PCI_SLOT_NAME").value_or("")) == bus)
            dirs.push_back("/sys/class/drm/" + card + "/device");
    }
    return dirs;
}

std::optional<std::string> read_first(const sdk::Sysroot &root, const std::vector<std::string> &dirs,
                                      const std::string &file) {
    for (const auto &d : dirs)
        if (auto v = root.read_line(d + "/" + file)) return v;
    return std::nullopt;
}

const RocminfoAgent *match_agent(const std::optional<Rocminfo> &ri, const KfdNode &node, size_t gpu_index) {
    if (!ri) return nullptr;
    std::vector<const RocminfoAgent *> gpus;
    for (const auto &a : ri->agents)
        if (a.is_gpu()) gpus.push_back(&a);
    if (node.has("location_id"))
        for (const auto *a : gpus)
            if (a->bdfid && *a->bdfid == node.get("location_id")) return a;
    // Old rocminfo without BDFID: agents come in KFD node order.
    bool any_bdfid = false;
    for (const auto *a : gpus) any_bdfid = any_bdfid || a->bdfid.has_value();
    return !any_bdfid && gpu_index < gpus.size() ? gpus[gpu_index] : nullptr;
}

// Sets usable/reason from the target the runtime will use.
void judge_target(sdk::DeviceRecord &d, const MachineFacts &m) {
    const std::string &real = d.architecture, &eff = d.architecture_effective;
    bool ships = rocm_builds_ship(eff);
    d.details["rocm_builds_ship_target"] = ships;
    if (ships) {
        if (eff != real)
            d.details["override_applied"] = "HSA_OVERRIDE_GFX_VERSION=" + m.override_value + " runs " + eff + " kernels on " + real;
        return;
    }
    std::string why = eff + " is not a target current ROCm builds ship kernels for";
    if (eff != real) {
        d.mark_unusable("HSA_OVERRIDE_GFX_VERSION=" + m.override_value + " makes " + real + " run as " + why);
        return;
    }
    if (auto o = suggested_override(real); !o.empty()) {
        d.details["suggested_env"] = json::object{{"HSA_OVERRIDE_GFX_VERSION", o}};
        d.mark_unusable(why + "; set the override HSA_OVERRIDE_GFX_VERSION=" + o +
                        " to run its sibling's kernels (a community workaround AMD does not support)");
    } else {
        d.mark_unusable(why + " (support ended in older ROCm releases); use an older ROCm build or the "
                              "Vulkan/OpenCL backends");
    }
}

sdk::DeviceRecord from_kfd_node(const sdk::Host &host, const KfdNode &node, size_t gpu_index,
                                const MachineFacts &m, std::vector<std::string> &notes) {
    const auto &root = host.root();
    sdk::DeviceRecord d;
    d.vendor = "amd";
    d.backend = "rocm";
    d.signals = {"sysfs"};
    d.details["kfd_node"] = node.id;
    d.details["gfx_target_version"] = node.get("gfx_target_version");
    bool target_known = true;
    try {
        d.architecture = decode_gfx_target(node.get("gfx_target_version"));
        d.architecture_effective = m.override_target.empty() ? d.architecture : m.override_target;
    } catch (const std::exception &e) {
        target_known = false;
        notes.push_back("KFD node " + node.id + ": " + e.what());
    }

    std::string bus = node.has("location_id") ? pci_bus_id(node.get("domain"), node.get("location_id")) : "";
    auto dirs = device_dirs(root, bus, node);
    d.pci_bus_id = bus;
    d.pci_vendor_id = lower(read_first(root, dirs, "vendor").value_or(hex16(node.get("vendor_id", 0x1002))));
    d.pci_device_id = lower(read_first(root, dirs, "device").value_or(hex16(node.get("device_id"))));
    auto vram = read_first(root, dirs, "mem_info_vram_total");
    auto gtt = read_first(root, dirs, "mem_info_gtt_total");
    std::optional<std::uint64_t> vram_bytes = vram ? to_u64(*vram) : std::nullopt;
    std::optional<std::uint64_t> gtt_bytes = gtt ? to_u64(*gtt) : std::nullopt;
    if (node.get("drm_render_minor") > 0) d.details["drm_render_minor"] = node.get("drm_render_minor");
    if (node.get("simd_count") && node.get("simd_per_cu"))
        d.details["compute_units"] = node.get("simd_count") / node.get("simd_per_cu");

    const RocminfoAgent *agent = match_agent(m.rocminfo, node, gpu_index);
    if (agent) {
        d.signals.push_back("rocminfo");
        if (!agent->marketing_name.empty()) d.name = agent->marketing_name;
        if (!agent->uuid.empty() && agent->uuid != "GPU-XX") d.uuid = agent->uuid;
        if (agent->compute_units) d.details["compute_units"] = *agent->compute_units;
        if (!agent->name.empty() && target_known && agent->name != d.architecture)
            notes.push_back("rocminfo names " + agent->name + " where KFD says " + d.architecture);
    }
    if (d.name.empty() && !m.rocminfo_named_gpus)
        if (const auto *p = smi_product(smi_products(host, m), bus, int(gpu_index)); p && !p->name.empty()) {
            d.name = p->name;
            d.signals.push_back(m.smi_products_tool);
        }
    if (d.name.empty())
        d.name = "AMD GPU " + (target_known ? d.architecture : std::string("(unknown target)")) + " [" +
                 d.pci_vendor_id.substr(2) + ":" + d.pci_device_id.substr(2) + "]";

    // APU or discrete, and the evidence for it.
    std::string evidence;
    if (agent && agent->apu) evidence = "rocminfo reports Memory Properties: APU";
    else if (vram_bytes && *vram_bytes <= kCarveOutLimit) evidence = "VRAM is a carve-out of at most 2 GiB";
    else if (!vram_bytes && target_known && apu_target(d.architecture)) evidence = d.architecture + " exists only as an APU";
    d.type = evidence.empty() ? "discrete" : "integrated";
    if (!evidence.empty()) d.details["integrated_because"] = evidence;
    if (d.type == "discrete") {
        d.memory_total_bytes = vram_bytes;
    } else {
        // An APU computes in system memory mapped through GTT.
        d.memory_total_bytes = gtt_bytes;
        d.memory_shared_bytes = gtt_bytes;
        if (vram_bytes) d.details["vram_carveout_bytes"] = *vram_bytes;
    }
    if (gtt_bytes) d.details["gtt_bytes"] = *gtt_bytes;

    d.driver_version = m.driver_version;
    if (!m.rocm_version.empty()) {
        d.runtime_name = "rocm";
        d.runtime_version = m.rocm_version;
    }
    if (m.rocminfo && !m.rocminfo->runtime_version.empty()) d.details["hsa_runtime_version"] = m.rocminfo->runtime_version;
    d.features = {"fp16"};  // every GCN/CDNA/RDNA target does packed or native fp16

    // Usable: can the driver stack reach it now, and will ROCm's kernels run on it?
    bool stack_ready = true;
    if (!target_known) {
        d.mark_unusable("unknown gfx_target_version " + std::to_string(node.get("gfx_target_version")) + " in KFD node " + node.id);
        stack_ready = false;
    }
    if (!m.access.kfd_reason.empty()) {
        d.mark_unusable(m.access.kfd_reason);
        stack_ready = false;
    }
    if (node.get("drm_render_minor") > 0) {
        auto problem = render_node_problem(host, m.access.groups, node.get("drm_render_minor"));
        if (!problem.empty()) {
            d.mark_unusable(problem);
            stack_ready = false;
        }
    }
    if (m.rocminfo && m.rocminfo->agents.empty()) {
        d.mark_unusable("rocminfo cannot enumerate GPUs: " + m.rocminfo->error);
        stack_ready = false;
    }
    d.details["driver_stack_ready"] = stack_ready;
    if (target_known) judge_target(d, m);
    return d;
}

// No KFD topology: still list what PCI or the SMI tools show, unusable.
std::vector<sdk::DeviceRecord> without_topology(const sdk::Host &host, const MachineFacts &m,
                                                std::vector<std::string> &notes) {
    std::string why = !m.access.kfd_reason.empty()
                          ? m.access.kfd_reason
                          : "no KFD topology for this GPU under /sys/class/kfd: the amdgpu driver did not bring up "
                            "compute (see dmesg for amdgpu/kfd errors)";
    if (m.rocminfo && !m.rocminfo->error.empty()) notes.push_back("rocminfo: " + m.rocminfo->error);
    std::vector<sdk::DeviceRecord> out;
    auto base = [&](sdk::DeviceRecord &d) {
        d.vendor = "amd";
        d.backend = "rocm";
        d.driver_version = m.driver_version;
        d.mark_unusable(why);
        d.details["driver_stack_ready"] = false;
    };
    for (const auto &pci : display_devices(host.root(), "0x1002")) {
        sdk::DeviceRecord d;
        base(d);
        d.name = "AMD GPU [1002:" + pci.device_id.substr(2) + "]";
        if (const auto *p = smi_product(smi_products(host, m), pci.bus_id, int(out.size())); p && !p->name.empty()) {
            d.name = p->name;
            if (!p->gfx.empty()) d.architecture = p->gfx;
        }
        d.pci_vendor_id = pci.vendor_id;
        d.pci_device_id = pci.device_id;
        d.pci_bus_id = pci.bus_id;
        d.signals = {"sysfs"};
        auto vram = host.root().read_line("/sys/bus/pci/devices/" + pci.bus_id + "/mem_info_vram_total");
        auto bytes = vram ? to_u64(*vram) : std::nullopt;
        d.type = bytes && *bytes <= kCarveOutLimit ? "integrated" : "discrete";
        if (d.type == "discrete") d.memory_total_bytes = bytes;
        if (!pci.driver.empty()) d.details["kernel_driver"] = pci.driver;
        out.push_back(std::move(d));
    }
    if (!out.empty()) return out;
    // Containers often hide /sys/bus/pci but keep the SMI tools working.
    std::vector<SmiGpu> gpus;
    std::string tool = "amd-smi";
    if (auto r = host.run({"amd-smi", "list"}); r.ok()) gpus = parse_amd_smi_list(r.output);
    if (gpus.empty()) {
        tool = "rocm-smi";
        if (auto r = host.run({"rocm-smi"}); r.ran()) gpus = parse_rocm_smi(r.output);
    }
    if (gpus.empty() && !smi_products(host, m).empty()) {
        gpus = smi_products(host, m);
        tool = m.smi_products_tool;
    }
    for (const auto &g : gpus) {
        sdk::DeviceRecord d;
        base(d);
        d.name = "AMD GPU " + std::to_string(g.index) + " (seen by " + tool + ")";
        d.type = "discrete";
        d.details["type_assumed"] = tool + " lists the GPU without its memory layout; discrete assumed";
        d.pci_bus_id = g.bus_id;
        d.uuid = g.uuid;
        d.signals = {tool};
        if (const auto *p = smi_product(smi_products(host, m), g.bus_id, g.index); p && !p->name.empty()) {
            d.name = p->name;
            if (!p->gfx.empty()) d.architecture = p->gfx;
            if (d.pci_bus_id.empty()) d.pci_bus_id = p->bus_id;
            if (m.smi_products_tool != tool) d.signals.push_back(m.smi_products_tool);
        }
        out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

AmdScan scan_amd_gpus(const sdk::Host &host, const std::string &override_value) {
    AmdScan scan;
    std::vector<KfdNode> gpus;
    for (auto &node : read_kfd_nodes(host.root(), scan.notes))
        if (node.is_gpu()) gpus.push_back(std::move(node));
    bool amd_pci = !display_devices(host.root(), "0x1002").empty();
    bool hints = !gpus.empty() || amd_pci || host.root().exists("/dev/kfd") ||
                 host.root().exists("/sys/module/amdgpu");
    if (!hints) {
        scan.notes.push_back("no AMD GPU: no KFD topology, no PCI display device of vendor 0x1002, no /dev/kfd");
        return scan;
    }
    MachineFacts m = read_machine(host, override_value, scan.notes);
    if (gpus.empty()) {
        scan.devices = without_topology(host, m, scan.notes);
        if (scan.devices.empty()) scan.notes.push_back("amdgpu is loaded but no GPU was found by KFD, PCI, amd-smi or rocm-smi");
        return scan;
    }
    for (size_t i = 0; i < gpus.size(); ++i) scan.devices.push_back(from_kfd_node(host, gpus[i], i, m, scan.notes));
    return scan;
}

}  // namespace gpuhost::rocm
