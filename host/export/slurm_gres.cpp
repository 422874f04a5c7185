#include "slurm_gres.hpp"

#include <gpuhost/sysroot.hpp>

#include <cctype>
#include <map>
#include <set>
#include <sstream>

namespace gpuhost::fleet {

namespace {

// Where Debian, RHEL and source installs put slurmd's plugins.
const char *kSlurmPluginDirs[] = {"/usr/lib/x86_64-linux-gnu/slurm-wlm", "/usr/lib/aarch64-linux-gnu/slurm-wlm",
                                  "/usr/lib64/slurm", "/usr/lib/slurm", "/usr/local/lib/slurm"};

struct AutoDetectPlugin {
    const char *vendor, *name, *file;
};
const AutoDetectPlugin kAutoDetect[] = {
    {"nvidia", "nvml", "gpu_nvml.so"}, {"amd", "rsmi", "gpu_rsmi.so"}, {"intel", "oneapi", "gpu_oneapi.so"}};

std::string device_file(const ExportDevice &d) {
    if (d.backend == "cuda" && d.nvidia_minor) return "/dev/nvidia" + std::to_string(*d.nvidia_minor);
    if ((d.backend == "rocm" || d.backend == "xpu") && d.render_minor)
        return "/dev/dri/renderD" + std::to_string(*d.render_minor);
    return {};
}

// Slurm's Cores= takes the first hardware thread of each core: drop SMT siblings
// from the NUMA node's CPU list when the topology says which they are.
std::string first_threads(const std::string &cpulist, const sdk::Sysroot &root) {
    std::vector<int> cpus;
    std::istringstream parts(cpulist);
    for (std::string part; std::getline(parts, part, ',');) {
        try {
            auto dash = part.find('-');
            int lo = std::stoi(part.substr(0, dash));
            int hi = dash == std::string::npos ? lo : std::stoi(part.substr(dash + 1));
            if (lo < 0 || hi < lo || hi - lo > 65536) return {};
            for (int c = lo; c <= hi; ++c) cpus.push_back(c);
        } catch (const std::exception &) {
            return {};
        }
    }
    std::vector<int> kept;
    for (int c : cpus) {
        auto siblings = root.read_line("/sys/devices/system/cpu/cpu" + std::to_string(c) + "/topology/thread_siblings_list");
        int first = c;
        if (siblings) try {
                first = std::stoi(*siblings);
            } catch (const std::exception &) {
            }
        if (first == c) kept.push_back(c);
    }
    // Back to ranges: 0,1,2,5 -> 0-2,5
    std::string out;
    for (std::size_t i = 0; i < kept.size();) {
        std::size_t j = i;
        while (j + 1 < kept.size() && kept[j + 1] == kept[j] + 1) ++j;
        out += (out.empty() ? "" : ",") + std::to_string(kept[i]) + (j > i ? "-" + std::to_string(kept[j]) : "");
        i = j + 1;
    }
    return out;
}

std::string find_slurm_plugin(const sdk::Sysroot &root, const char *file) {
    for (const char *dir : kSlurmPluginDirs) {
        std::string path = std::string(dir) + "/" + file;
        if (root.exists(path)) return path;
    }
    return {};
}

}  // namespace

std::string slurm_gres_type(const std::string &device_name) {
    std::string out;
    for (char c : device_name) {
        char l = char(std::tolower(static_cast<unsigned char>(c)));
        // Slurm turns spaces into '_'; anything else outside [a-z0-9_.-] would
        // break slurm.conf's Gres= list (slurmd -G then matches no type), so it
        // becomes '_' too: "Intel(R) Arc(TM)" -> "intel_r__arc_tm_".
        if (!(std::isalnum(static_cast<unsigned char>(l)) || l == '_' || l == '.' || l == '-')) l = '_';
        out += l;
    }
    return out.empty() ? "gpu" : out;
}

SlurmExport slurm_export(const FleetView &view, const std::string &node_name, const sdk::Sysroot *machine) {
    SlurmExport out;
    std::ostringstream gres, skipped;
    std::map<std::string, int> per_type;
    std::vector<std::string> type_order;
    std::set<std::string> vendors;
    for (const auto &d : view.devices) {
        if (!is_accelerator(d)) continue;
        std::string file = device_file(d);
        if (!d.usable) {
            skipped << "# " << d.id << " " << d.name << " left out: " << (d.reason.empty() ? "not usable" : d.reason) << "\n";
            continue;
        }
        if (file.empty()) {
            skipped << "# " << d.id << " " << d.name << " left out: no device file known (no driver minor number or render node)\n";
            continue;
        }
        std::string type = slurm_gres_type(d.name);
        gres << "Name=gpu Type=" << type << " File=" << file;
        if (!d.numa_cpus.empty())
            if (auto cores = machine ? first_threads(d.numa_cpus, *machine) : std::string(); !cores.empty())
                gres << " Cores=" << cores;
        gres << "\n";
        if (!per_type.count(type)) type_order.push_back(type);
        ++per_type[type];
        vendors.insert(d.vendor);
        ++out.gpus;
    }

    if (vendors.size() == 1) {
        for (const auto &p : kAutoDetect) {
            if (*vendors.begin() != p.vendor) continue;
            std::string plugin = machine ? find_slurm_plugin(*machine, p.file) : std::string();
            if (!machine) {
                out.autodetect_reason = "the inventory came from a file: whether slurmd can detect the GPUs itself is not known";
            } else if (!plugin.empty()) {
                out.autodetect = p.name;
                out.autodetect_reason = "slurmd's " + plugin + " is installed and every listed GPU is " + p.vendor;
            } else {
                out.autodetect_reason = std::string("slurmd's ") + p.file + " is not installed here: the lines list the devices";
            }
        }
    } else if (vendors.size() > 1) {
        out.autodetect_reason = "GPUs of more than one vendor: one AutoDetect plugin cannot see them all";
    }

    std::ostringstream conf;
    conf << "# gres.conf for " << node_name << ", written by gpuhost export slurm\n";
    if (!out.autodetect.empty())
        conf << "# " << out.autodetect_reason << "; the lines below agree with what it finds\n"
             << "AutoDetect=" << out.autodetect << "\n";
    else if (!out.autodetect_reason.empty())
        conf << "# AutoDetect not set: " << out.autodetect_reason << "\n";
    conf << gres.str() << skipped.str();
    out.gres_conf = conf.str();

    std::ostringstream node;
    node << "# slurm.conf: merge into the cluster's configuration\nGresTypes=gpu\nNodeName=" << node_name;
    if (!type_order.empty()) {
        node << " Gres=";
        for (std::size_t i = 0; i < type_order.size(); ++i)
            node << (i ? "," : "") << "gpu:" << type_order[i] << ":" << per_type[type_order[i]];
    }
    node << "\n";
    out.node_fragment = node.str();
    return out;
}

}  // namespace gpuhost::fleet
