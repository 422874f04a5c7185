#include "commands.hpp"

namespace gpuhost::cli {

const std::vector<Command> &commands() {
    static const std::vector<Command> list = {
        {"detect", "find every accelerator and the CPU, with why each is or isn't usable", &run_detect},
        {"plugins", "list plugins found on the search path, loaded or rejected with the reason", &run_plugins},
        {"recommend", "score every profile 0..100 for this machine, with the reasons", &run_recommend},
        {"plan", "show what `run PROFILE` would install and set, without doing it", &run_plan},
        {"doctor", "check the machine: Python, environments, disk, drivers, device access, network", &run_doctor},
        {"explain", "match a failure's log against the recovery rules: diagnosis and steps", &run_explain},
    };
    return list;
}

}  // namespace gpuhost::cli
