// The `gpuhost run` settings from gpuhost.json (user, then project) and
// GPUHOST_* variables, through the one config table (host/policy/config_keys.cpp);
// command-line flags override them.
#pragma once
#include <string>

namespace gpuhost::env {

struct RunSettings {
    std::string envs_dir;
    bool accept_existing = false;
    bool auto_fix = false;
    std::string installer = "auto";
    int lock_timeout_s = 600;
    int install_timeout_s = 1800;
};

// Throws FileError naming the file for broken JSON, unknown keys or wrong types.
RunSettings load_run_settings();

}  // namespace gpuhost::env
