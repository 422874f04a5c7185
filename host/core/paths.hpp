// Where gpuhost keeps things: XDG directories and the executable's folder.
#pragma once
#include <filesystem>

namespace gpuhost::paths {

std::filesystem::path executable_dir();
std::filesystem::path home();
std::filesystem::path config_dir();  // $XDG_CONFIG_HOME/gpuhost or ~/.config/gpuhost
std::filesystem::path data_dir();    // $XDG_DATA_HOME/gpuhost or ~/.local/share/gpuhost
std::filesystem::path cache_dir();   // $XDG_CACHE_HOME/gpuhost or ~/.cache/gpuhost
std::filesystem::path state_dir();   // $XDG_STATE_HOME/gpuhost or ~/.local/state/gpuhost

}  // namespace gpuhost::paths
