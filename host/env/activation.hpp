// The plan's environment variables (HSA_OVERRIDE_GFX_VERSION, variables set by
// recovery fixes) in the virtual environment's activation script, so that
// `source ENV/bin/activate` gives a shell what `gpuhost run` verified with,
// and in a .pth file, so ENV/bin/python alone gets them too.
#pragma once
#include <filesystem>
#include <map>
#include <string>

namespace gpuhost::env {

// Replaces gpuhost's marked block at the end of ENV/bin/activate (written
// atomically) and hooks venv's deactivate() so it restores what the block
// changed; an empty map removes the block. Returns false when the environment
// has no bin/activate (nothing to do).
bool write_activation_env(const std::filesystem::path &env, const std::map<std::string, std::string> &vars);

// The same variables for programs that start ENV/bin/python directly (IDEs,
// Jupyter kernels) without activating: SITE/gpuhost_env.pth sets each one the
// process does not already have. An empty map removes the file.
void write_python_env(const std::filesystem::path &site_packages, const std::map<std::string, std::string> &vars);

}  // namespace gpuhost::env
