// Which planner, kernel check and recovery rules `gpuhost run` uses. Until the
// Lua planner (plan), the plugins' kernel slot (kernels) and the rules engine
// (explain) are merged, the defaults say plainly that they are unavailable.
#include "run_wiring.hpp"

namespace gpuhost::cli {

env::RunSeams run_seams() {
    env::RunSeams seams;
    return seams;
}

}  // namespace gpuhost::cli
