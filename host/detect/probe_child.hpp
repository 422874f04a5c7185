// Running one plugin's detect in a child process (`gpuhost __probe`) and reading
// its answer, many at once, each with a deadline.
#pragma once
#include "../plugins/manifest.hpp"
#include "detector.hpp"

#include <chrono>
#include <filesystem>
#include <vector>

namespace gpuhost {

// The child's exit codes: 0 = the reply on stdout is detect's answer (GPUHOST_OK);
// kProbeStatusBase + status = detect returned that status, its text on stdout;
// kProbeLoadFailed = the library did not load, the reason on stderr.
inline constexpr int kProbeStatusBase = 10;
inline constexpr int kProbeLoadFailed = 3;

// Runs every manifest's probe in parallel; results in the same order.
std::vector<ProbeResult> probe_isolated(const std::vector<Manifest> &plugins, const std::filesystem::path &program,
                                        const std::string &sysroot, std::chrono::milliseconds timeout);

// What `gpuhost __probe` does in the child: loads one plugin, runs detect, prints.
int run_probe_child(const std::string &plugin, const std::filesystem::path &manifest, const std::string &sysroot);

}  // namespace gpuhost
