// gpuhost doctor: checks the machine for what makes GPU Python setups fail.
// Files are read through sdk::Sysroot and tools run through ToolRunner, so a
// recorded machine (--sysroot) replays; checks that only make sense live
// (interpreters on PATH, environments, disk space, network) are skipped there
// with a note.
#pragma once
#include "../core/tool_runner.hpp"
#include "gpuhost/sysroot.hpp"
#include "report.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace gpuhost::doctor {

struct Options {
    std::string sysroot;  // "" for this machine
    std::filesystem::path envs_dir;     // default: $GPUHOST_ENVS_DIR or data_dir()/envs
    // PyPI's index and its file host, and PyTorch's index (the CUDA/ROCm/XPU builds).
    std::vector<std::string> index_hosts = {"pypi.org", "files.pythonhosted.org", "download.pytorch.org"};
    std::chrono::milliseconds network_timeout{3000};
    std::chrono::milliseconds tool_timeout{5000};
};

// A GPU on the PCI bus (display or processing-accelerator class).
struct PciGpu {
    std::string address;  // "0000:01:00.0"
    std::string vendor;   // nvidia | amd | intel | other
    std::string driver;   // the kernel driver bound to it (uevent DRIVER=), "" when none
};

struct Context {
    explicit Context(const Options &options);
    Options options;
    sdk::Sysroot root;
    ToolRunner tools;
    bool live() const { return root.is_live(); }
    std::vector<PciGpu> gpus;  // read once
    bool has_gpu(const std::string &vendor) const;
    bool module_loaded(const std::string &name) const;  // /sys/module/<name>
};

Report run(const Options &options);

// The hosts a plan installs from: PyPI's two, plus each index URL's host.
std::vector<std::string> index_hosts_of(const std::string &index_url, const std::vector<std::string> &extra_index_urls);

// $GPUHOST_ENVS_DIR, else data_dir()/envs: where `gpuhost run` keeps environments.
std::filesystem::path default_envs_dir();

// Each check adds its findings; the live-only ones note themselves in
// report.skipped under a sysroot.
void check_python(const Context &ctx, Report &report);
void check_environments(const Context &ctx, Report &report);
void check_disk(const Context &ctx, Report &report);
void check_drivers(const Context &ctx, Report &report);
void check_secure_boot(const Context &ctx, Report &report);
void check_device_nodes(const Context &ctx, Report &report);
void check_platform(const Context &ctx, Report &report);
void check_network(const Context &ctx, Report &report);
// The checks vendor folders ship (their manifest's scripts.doctor).
void check_vendors(const Context &ctx, Report &report);

}  // namespace gpuhost::doctor
