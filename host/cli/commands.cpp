#include "commands.hpp"

namespace gpuhost::cli {

const std::vector<Command> &commands() {
    static const std::vector<Command> list = {
        {"detect", "find every accelerator and the CPU, with why each is or isn't usable", &run_detect},
        {"run", "build the profile's Python environment (create, repair or reuse), install, verify, record", &run_run},
        {"plugins", "list plugins found on the search path, loaded or rejected with the reason", &run_plugins},
    };
    return list;
}

}  // namespace gpuhost::cli
