// The plan's environment variables (HSA_OVERRIDE_GFX_VERSION, variables set by
// recovery fixes) in the virtual environment's activation script, so that
// `source ENV/bin/activate` gives a shell what `gpuhost run` verified with.
#pragma once
#include <filesystem>
#include <map>
#include <string>

namespace gpuhost::env {

// Replaces gpuhost's marked block at the end of ENV/bin/activate (written
// atomically); an empty map removes the block. Returns false when the
// environment has no bin/activate (nothing to do).
bool write_activation_env(const std::filesystem::path &env, const std::map<std::string, std::string> &vars);

}  // namespace gpuhost::env
