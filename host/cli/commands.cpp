#include "commands.hpp"

namespace gpuhost::cli {

const std::vector<Command> &commands() {
    static const std::vector<Command> list = {
        {"detect", "find every accelerator and the CPU, with why each is or isn't usable", &run_detect},
        {"bench", "run and verify the compute kernels on each device: time, GB/s or GFLOP/s, share of the ceiling", &run_bench},
        {"run", "build the profile's Python environment (create, repair or reuse), install, verify, record", &run_run},
        {"plugins", "list plugins found on the search path, loaded or rejected with the reason", &run_plugins},
        {"select", "rank the devices for a workload and show which one the policy picks, and why", &run_select},
        {"config", "show or edit settings (gpuhost.json): backend policy, device, timeouts", &run_config},
        {"cache", "clear the cached inventory and the plugin quarantine", &run_cache},
        {"__probe", "run one plugin's detection (used by gpuhost itself)", &run_probe, true},
        {"snapshot", "record this machine's driver files and tool outputs for replay with --sysroot", &run_snapshot},
        {"recommend", "score every profile 0..100 for this machine, with the reasons", &run_recommend},
        {"plan", "show what `run PROFILE` would install and set, without doing it", &run_plan},
        {"doctor", "check the machine: Python, environments, disk, drivers, device access, network", &run_doctor},
        {"export", "write the inventory for fleet tools: NFD labels, Slurm GRES, Prometheus metrics, wheel variants", &run_export},
        {"explain", "match a failure's log against the recovery rules: diagnosis and steps", &run_explain},
        {"completion", "print the shell completion script for bash, zsh or fish", &run_completion},
        {"__man", "print the man page, gpuhost.1 (used by the build)", &run_man, true},
    };
    return list;
}

}  // namespace gpuhost::cli
