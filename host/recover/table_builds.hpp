// The builds the version tables offer for a device, for the recovery rules:
// a rule suggests ${gpu_build} / ${older_build} computed from this list, so it
// never names a build `gpuhost plan --accelerator` would refuse for the machine.
#pragma once
#include "../lua/engine.hpp"

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace gpuhost::recover {

// The device's GPU builds, best first, as scripts/lib/planner.lua's
// P.gpu_builds lists them (the CPU build left out). `engine` must have the
// vendor scripts loaded (lua::load_vendor_scripts).
std::vector<std::string> offered_gpu_builds(lua::Engine &engine, const boost::json::object &device);

}  // namespace gpuhost::recover
