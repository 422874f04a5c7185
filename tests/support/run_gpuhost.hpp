// Runs the real gpuhost binary as a user would, with a controlled environment.
#pragma once
#include "core/subprocess.hpp"
#include "support/temp_dir.hpp"

#include <map>
#include <string>
#include <vector>

namespace gpuhost::test {

// XDG_CONFIG_HOME, XDG_CACHE_HOME and XDG_STATE_HOME point into a fresh folder for
// the call unless the test sets them: the user's settings, cache and plugin
// quarantine never leak into a test, nor a test's into them.
inline ProcessResult run_gpuhost(const std::vector<std::string> &args,
                                 std::map<std::string, std::string> env = {}, const std::string &working_dir = {}) {
    TempDir xdg;
    for (const char *var : {"XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
        env.emplace(var, (xdg / var).string());
    ProcessOptions options;
    options.timeout = std::chrono::seconds(120);
    options.env_set = std::move(env);
    if (!working_dir.empty()) options.working_dir = working_dir;
    return run_process(GPUHOST_BINARY, args, options);
}

}  // namespace gpuhost::test
