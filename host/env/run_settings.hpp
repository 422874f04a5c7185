// The `gpuhost run` settings that come from files and the environment:
// gpuhost.json in the user's config folder, then ./gpuhost.json (the project),
// then GPUHOST_* variables; command-line flags override all of them.
//   {"run": {"envs_dir": "/big/disk/envs", "accept_existing": false,
//            "auto_fix": false, "installer": "auto", "lock_timeout_s": 600}}
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace gpuhost::env {

struct RunSettings {
    std::string envs_dir;
    bool accept_existing = false;
    bool auto_fix = false;
    std::string installer = "auto";
    int lock_timeout_s = 600;
    int install_timeout_s = 1800;
    std::vector<std::string> sources;  // files read, for -v
};

// Throws FileError naming the file for broken JSON or wrong types.
RunSettings load_run_settings();
RunSettings load_run_settings(const std::vector<std::filesystem::path> &files);

}  // namespace gpuhost::env
