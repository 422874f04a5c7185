// Which planner, kernel check and recovery rules `gpuhost run` uses: the Lua
// planner, the plugins' kernel slot through host/kernels, and the rules.
#pragma once
#include "../env/seams.hpp"
#include "detect_flags.hpp"

#include <string>

namespace gpuhost::cli {

struct RunWiring {
    std::string device;       // --device
    std::string accelerator;  // --accelerator
    DetectFlags detect;       // --no-cache, --in-process, --timings
};

env::RunSeams run_seams(const RunWiring &wiring = {});

}  // namespace gpuhost::cli
