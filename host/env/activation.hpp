// The plan's environment variables (HSA_OVERRIDE_GFX_VERSION, variables set by
// recovery fixes) in the virtual environment's activation scripts (bash/zsh,
// fish, csh/tcsh, PowerShell), so that sourcing one gives a shell what
// `gpuhost run` verified with, and in a .pth file, so ENV/bin/python alone
// gets them too.
#pragma once
#include <filesystem>
#include <map>
#include <string>

namespace gpuhost::env {

// Replaces gpuhost's marked block in each of ENV/bin/activate, activate.fish,
// activate.csh and Activate.ps1 / activate.ps1 that the environment has
// (written atomically), and hooks the script's own deactivate so it restores
// what the block changed; an empty map removes block and hook. Returns false
// when the environment has no bin/activate.
bool write_activation_env(const std::filesystem::path &env, const std::map<std::string, std::string> &vars);

// The same variables for programs that start ENV/bin/python directly (IDEs,
// Jupyter kernels) without activating: SITE/gpuhost_env.pth sets each one the
// process does not already have. An empty map removes the file.
void write_python_env(const std::filesystem::path &site_packages, const std::map<std::string, std::string> &vars);

}  // namespace gpuhost::env
