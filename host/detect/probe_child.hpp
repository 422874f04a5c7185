// Running one plugin's detect in a child process (`gpuhost __probe`) and reading
// its answer, many at once, each with a deadline.
#pragma once
#include "../plugins/manifest.hpp"
#include "../plugins/plugin_set.hpp"
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
inline constexpr int kProbeReplyLost = 4;  // the reply could not be written

// The gpuhost binary that runs `__probe`: this executable when it is gpuhost,
// else the gpuhost beside it (test programs), else empty.
std::filesystem::path default_probe_program();

// Runs every manifest's probe in parallel; results in the same order.
std::vector<ProbeResult> probe_isolated(const std::vector<Manifest> &plugins, const std::filesystem::path &program,
                                        const std::string &sysroot, std::chrono::milliseconds timeout);

// Only opens each library in a child (`__probe --load-only`): "" for each that
// loads, else the reason ("crashed with SIGSEGV"). For listings that then load
// the survivors in process.
std::vector<std::string> check_loads_isolated(const std::vector<Manifest> &plugins,
                                              const std::filesystem::path &program, std::chrono::milliseconds timeout);

// load_plugins, but each library is first opened in a child: one that crashes or
// hangs while loading is rejected ("load check: crashed with SIGSEGV") instead of
// taking this process down; the rest are loaded here. For commands that call
// plugins in process (score, install, kernel) without probing them first.
PluginSet load_plugins_checked(PluginSearchOptions options, std::chrono::milliseconds timeout);

// What `gpuhost __probe` does in the child: loads one plugin, runs detect (unless
// load_only), prints its answer.
int run_probe_child(const std::string &plugin, const std::filesystem::path &manifest, const std::string &sysroot,
                    bool load_only = false);

}  // namespace gpuhost
