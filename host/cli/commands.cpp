#include "commands.hpp"

namespace gpuhost::cli {

const std::vector<Command> &commands() {
    static const std::vector<Command> list = {
        {"detect", "find every accelerator and the CPU, with why each is or isn't usable", &run_detect},
        {"plugins", "list plugins found on the search path, loaded or rejected with the reason", &run_plugins},
        {"snapshot", "record this machine's driver files and tool outputs for replay with --sysroot", &run_snapshot},
    };
    return list;
}

}  // namespace gpuhost::cli
