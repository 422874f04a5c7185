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
inline constexpr int kProbeBadRequest = 5;  // a --calls request file could not be read

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

// What the host asks one plugin after detection: its install contribution and
// its score for each of its devices (device records as JSON text) for a workload.
struct PluginCallsRequest {
    Manifest manifest;
    std::vector<std::string> devices;
    std::string workload;  // JSON text
};
// Each device's replies, in the request's order, or why there are none: the
// child's failure in detection's words ("crashed with SIGSEGV", "no answer
// within 10 s (killed)"), which then stands for every device of that plugin.
struct PluginCallsResult {
    std::string failure;
    struct Replies {
        PluginReply install, score;
    };
    std::vector<Replies> replies;
};

// Runs every request's install() and score() calls in a child per plugin
// (`__probe --calls FILE`), all at once, each with the deadline: a plugin that
// crashes, hangs or floods while scoring takes only its own devices down.
std::vector<PluginCallsResult> call_plugins_isolated(const std::vector<PluginCallsRequest> &requests,
                                                     const std::filesystem::path &program, const std::string &sysroot,
                                                     std::chrono::milliseconds timeout);

// What `gpuhost __probe` does in the child: loads one plugin, runs detect (unless
// load_only), prints its answer. With calls_file: runs the install and score calls
// that file asks for (call_plugins_isolated) instead of detect.
int run_probe_child(const std::string &plugin, const std::filesystem::path &manifest, const std::string &sysroot,
                    bool load_only = false, const std::filesystem::path &calls_file = {});

}  // namespace gpuhost
