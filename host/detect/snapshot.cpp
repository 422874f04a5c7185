#include "snapshot.hpp"

#include "../core/files.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gpuhost {

namespace {

// Files read whole, wherever they exist.
const char *kSingleFiles[] = {
    "/proc/cpuinfo", "/proc/meminfo", "/proc/version", "/proc/sys/kernel/osrelease",
    "/sys/module/nvidia/version", "/sys/module/amdgpu/version", "/sys/module/amdgpu/initstate",
    "/sys/module/nouveau/version", "/etc/nv_tegra_release", "/proc/device-tree/model",
    "/proc/device-tree/compatible", "/opt/rocm/.info/version",
};
// Libraries whose presence the plugins check (recorded as empty markers).
const char *kLibraryMarkers[] = {
    "/usr/lib/x86_64-linux-gnu/libze_loader.so.1", "/usr/lib64/libze_loader.so.1",
    "/usr/lib/libze_loader.so.1", "/usr/local/lib/libze_loader.so.1", "/usr/lib/wsl/lib/libcuda.so",
};
// Per-device sysfs files (PCI device folders and DRM cards' device folders).
const char *kDeviceFiles[] = {"vendor", "device", "class", "uevent", "subsystem_vendor", "subsystem_device",
                              "mem_info_vram_total", "mem_info_gtt_total", "mem_info_vis_vram_total"};

class Recorder {
public:
    Recorder(fs::path dir, fs::path source) : dir_(std::move(dir)), source_(std::move(source)) {}

    fs::path live(const std::string &machine) const {
        return source_ == "/" ? fs::path(machine) : source_ / machine.substr(1);
    }
    fs::path out(const std::string &machine) const { return dir_ / machine.substr(1); }

    // procfs and sysfs files report size 0, so they are read as streams.
    void copy(const std::string &machine) {
        std::error_code ec;
        if (!fs::is_regular_file(live(machine), ec)) return;
        std::ifstream in(live(machine), std::ios::binary);
        std::ostringstream text;
        if (in) text << in.rdbuf();
        if (!in && !in.eof()) {
            report.skipped.push_back(machine + ": unreadable");
            return;
        }
        write(machine, text.str());
        report.files.push_back(machine);
    }

    void marker(const std::string &machine) {
        std::error_code ec;
        if (!fs::exists(live(machine), ec)) return;
        write(machine, "");
        report.files.push_back(machine);
    }

    void node(const std::string &machine) {
        std::error_code ec;
        if (!fs::exists(live(machine), ec)) return;
        write(machine, "");
        report.nodes.push_back(machine);
        if (::access(live(machine).c_str(), R_OK | W_OK) != 0) report.denied.push_back(machine);
    }

    void dir_entry(const std::string &machine) {
        fs::create_directories(out(machine));
        report.files.push_back(machine + "/");
    }

    // Entry names under a machine folder, sorted.
    std::vector<std::string> list(const std::string &machine) const {
        std::vector<std::string> names;
        std::error_code ec;
        for (fs::directory_iterator it(live(machine), ec), end; !ec && it != end; it.increment(ec))
            names.push_back(it->path().filename().string());
        std::sort(names.begin(), names.end());
        return names;
    }

    // Regular files below a folder; only those named `only` when given.
    void copy_tree(const std::string &machine, const std::string &only = {}) {
        std::error_code ec;
        for (fs::recursive_directory_iterator it(live(machine), fs::directory_options::skip_permission_denied, ec), end;
             !ec && it != end; it.increment(ec)) {
            if (!it->is_regular_file(ec)) continue;
            if (!only.empty() && it->path().filename() != only) continue;
            auto rel = fs::relative(it->path(), live(machine), ec);
            copy(machine + "/" + rel.string());
        }
    }

    void write(const std::string &machine, const std::string &content) {
        auto target = out(machine);
        fs::create_directories(target.parent_path());
        std::ofstream o(target, std::ios::binary | std::ios::trunc);
        o << content;
        if (!o) throw std::runtime_error("cannot write " + target.string());
    }

    SnapshotReport report;

private:
    fs::path dir_, source_;
};

}  // namespace

const std::vector<std::vector<std::string>> &snapshot_tool_invocations() {
    static const std::vector<std::vector<std::string>> list = {
        {"rocminfo"}, {"rocm-smi"}, {"amd-smi", "list"}, {"id", "-Gn"}, {"groups"},
        {"nvidia-smi"}, {"nvidia-smi", "-q"}, {"clinfo", "-l"},
        // What the Vulkan and OpenCL probes replay from (sdk/vulkan, sdk/opencl).
        {"vulkaninfo", "--summary"}, {"clinfo"},
#ifdef __APPLE__
        // Only on a Mac: Linux's `sysctl -a` is large and holds nothing the plugins read.
        {"system_profiler", "SPDisplaysDataType"}, {"system_profiler", "SPDisplaysDataType", "-json"},
        {"sw_vers"}, {"sysctl", "-a"},
#endif
    };
    return list;
}

SnapshotReport take_snapshot(const fs::path &dir, const ToolRunner &tools, const fs::path &source_root) {
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
        throw std::runtime_error(dir.string() + " is not empty: give a new or empty folder");
    fs::create_directories(dir);
    Recorder r(dir, source_root);

    for (const char *f : kSingleFiles) r.copy(f);
    for (const char *f : kLibraryMarkers) r.marker(f);
    r.copy_tree("/proc/driver/nvidia");
    r.copy_tree("/sys/class/kfd", "properties");  // nodes, their mem_banks, caches and io_links

    for (const auto &card : r.list("/sys/class/drm")) {
        bool wanted = (card.rfind("card", 0) == 0 && card.find('-') == std::string::npos) || card.rfind("renderD", 0) == 0;
        if (!wanted) continue;
        for (const char *f : kDeviceFiles) r.copy("/sys/class/drm/" + card + "/device/" + f);
    }
    for (const auto &bus : r.list("/sys/bus/pci/devices")) {
        std::string base = "/sys/bus/pci/devices/" + bus;
        std::ifstream cls(r.live(base + "/class"));
        std::string code;
        cls >> code;
        if (code.rfind("0x03", 0) != 0) continue;  // display controllers only
        for (const char *f : kDeviceFiles) r.copy(base + "/" + f);
        for (const auto &drm : r.list(base + "/drm")) r.dir_entry(base + "/drm/" + drm);
    }

    r.node("/dev/kfd");
    r.node("/dev/dxg");
    for (const auto &n : r.list("/dev/dri"))
        if (n.rfind("card", 0) == 0 || n.rfind("renderD", 0) == 0) r.node("/dev/dri/" + n);
    for (const auto &n : r.list("/dev"))
        if (n.rfind("nvidia", 0) == 0) r.node("/dev/" + n);
    std::string denied;
    for (const auto &d : r.report.denied) denied += d + "\n";
    r.write("/.gpuhost/denied", denied);

    for (const auto &argv : snapshot_tool_invocations()) {
        ToolOutput result = tools.run(argv);
        if (result.exit_code == 127) continue;  // not installed here: absent in the replay too
        std::string key = ToolRunner::recording_key(argv);
        r.write("/tools/" + key + ".txt", result.output);
        if (result.exit_code != 0) r.write("/tools/" + key + ".exit", std::to_string(result.exit_code) + "\n");
        r.report.tools.push_back(key);
    }
    std::string readme = "Recorded by `gpuhost snapshot` on this machine; replay with `gpuhost detect --sysroot " +
                         dir.string() + "`.\n";
    write_file_atomic(dir / ".gpuhost" / "SNAPSHOT.md", readme);
    return r.report;
}

}  // namespace gpuhost
