// What the recovery rules know about the machine and the environment: the
// `when` conditions test backend/os/wsl/container/secure_boot, and steps and fixes fill
// ${placeholders} from the rest. An empty string or unset optional is unknown,
// and an unknown fact neither fails a condition nor fills a placeholder.
#pragma once
#include "../plan/plan.hpp"
#include "gpuhost/sysroot.hpp"

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::recover {

struct Facts {
    std::string backend;         // cuda | rocm | xpu | mps | cpu | vulkan | opencl
    std::string os;              // linux | macos | windows
    std::optional<bool> wsl;
    std::optional<bool> container;
    std::optional<bool> secure_boot;  // the firmware enforces signed kernel modules
    std::optional<bool> slurm;        // inside a Slurm job (SLURM_JOB_ID); only ever true or unknown
    // What the machine's device nodes and kernel modules say now, where they can tell
    // (a live Linux machine, or a recording's nodes and .gpuhost/denied):
    std::optional<bool> kfd_access;            // this user may open /dev/kfd read-write (ROCm)
    std::optional<bool> render_access;         // this user may open a /dev/dri/renderD* node
    std::optional<bool> nvidia_driver_loaded;  // the NVIDIA kernel module is loaded
    std::optional<bool> nouveau_loaded;        // the nouveau kernel module is loaded
    std::string driver_version;
    std::string gfx;             // AMD target, "gfx1031"
    std::string gfx_override;    // HSA_OVERRIDE_GFX_VERSION to use; derived from gfx when empty
    std::string compute_capability;  // NVIDIA GPU, "8.6"
    std::string python;          // the environment's interpreter
    std::string venv;            // the environment's folder
    std::string accelerator;     // cu128 | rocm6.4 | xpu | mps | cpu
    std::string profile;
    // The GPU builds the tables offer for the failing device, best first (what
    // `gpuhost plan --accelerator` accepts for it); unset when no device is
    // known. Rules suggest ${gpu_build} and ${older_build} from it, never a tag
    // of their own (scripts/lib/rules.lua, M.computed).
    std::optional<std::vector<std::string>> gpu_builds;

    // Only the known facts, as the Lua matcher takes them.
    boost::json::object to_json() const;

    // backend, accelerator, profile, venv and python (venv/bin/python) from a plan.
    void add_plan(const Plan &plan);
    // backend, driver_version, gfx (an architecture starting with "gfx") and
    // compute_capability (a CUDA device's "8.6") from a device record
    // (sdk/docs/SCHEMA.md); facts already set are kept.
    void add_device(const boost::json::object &device);
    // os, wsl, container, secure_boot, the device nodes' access and the GPU kernel modules, read
    // through the sysroot (a recording under --sysroot); slurm from this process's
    // environment on a live machine.
    void add_machine(const sdk::Sysroot &root);
};

// "8.6", "12.0": a CUDA compute capability as MAJOR.MINOR.
bool is_compute_capability(const std::string &text);

// Secure Boot from the EFI variable SecureBoot-<guid> (4 attribute bytes, then
// 1 when enforcing); unset when there is none (no EFI, or not readable).
// `source` gets the variable's path when one was read.
std::optional<bool> secure_boot_from_efi(const sdk::Sysroot &root, std::string *source = nullptr);

// Whether this user may open the device node (true/false), unknown when it is absent.
std::optional<bool> node_access(const sdk::Sysroot &root, const std::string &node);
// Whether one of the /dev/dri/renderD* nodes opens; unknown when there are none.
std::optional<bool> render_node_access(const sdk::Sysroot &root);
// Whether the kernel module is loaded: true when its /sys/module folder (or, for
// nvidia, /proc/driver/nvidia) is there; false only on a live machine whose
// /sys/module lists every loaded module; unknown otherwise (a recording holds
// only what was captured).
std::optional<bool> module_loaded(const sdk::Sysroot &root, const std::string &module);

// Is this machine (or recording) WSL? /proc/version or osrelease names Microsoft.
bool is_wsl(const sdk::Sysroot &root);
// Inside a container? /.dockerenv, /run/.containerenv, or a container runtime in /proc/1/cgroup.
// Returns the hint that says so ("/.dockerenv"), empty when none.
std::string container_hint(const sdk::Sysroot &root);

}  // namespace gpuhost::recover
