// Runs the real gpuhost binary as a user would, with a controlled environment.
#pragma once
#include "core/subprocess.hpp"

#include <map>
#include <string>
#include <vector>

namespace gpuhost::test {

inline ProcessResult run_gpuhost(const std::vector<std::string> &args,
                                 std::map<std::string, std::string> env = {}) {
    ProcessOptions options;
    options.timeout = std::chrono::seconds(120);
    options.env_set = std::move(env);
    return run_process(GPUHOST_BINARY, args, options);
}

}  // namespace gpuhost::test
