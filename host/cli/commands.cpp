#include "commands.hpp"

namespace gpuhost::cli {

const std::vector<Command> &commands() {
    static const std::vector<Command> list = {
        {"detect", "find every accelerator and the CPU, with why each is or isn't usable", &run_detect},
        {"bench", "run and verify the compute kernels on each device: time, GB/s or GFLOP/s, share of the ceiling", &run_bench},
        {"plugins", "list plugins found on the search path, loaded or rejected with the reason", &run_plugins},
    };
    return list;
}

}  // namespace gpuhost::cli
