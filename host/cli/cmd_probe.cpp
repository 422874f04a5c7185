// gpuhost __probe: the child that runs one plugin's detect, or its install and score
// calls (--calls), for the host (detect/probe_child.hpp).
// Hidden: only gpuhost itself starts it. Parsed by hand to keep the child quick.
#include "../core/log.hpp"
#include "../detect/probe_child.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

#include <algorithm>
#include <cstdlib>

namespace gpuhost::cli {

int run_probe(const std::vector<std::string> &args) {
    std::string plugin, manifest, sysroot, calls;
    std::vector<std::string> rest = args;
    bool load_only = !rest.empty() && rest.back() == "--load-only";
    if (load_only) rest.pop_back();
    for (size_t i = 0; i + 1 < rest.size(); i += 2) {
        const auto &args = rest;
        if (args[i] == "--plugin") plugin = args[i + 1];
        else if (args[i] == "--manifest") manifest = args[i + 1];
        else if (args[i] == "--sysroot") sysroot = args[i + 1];
        else if (args[i] == "--calls") calls = args[i + 1];
        else if (args[i] == "--log-level") log::set_level(log::Level(std::clamp(std::atoi(args[i + 1].c_str()), 0, 4)));
        else throw UsageError("gpuhost __probe: unknown option " + args[i]);
    }
    if (plugin.empty() || manifest.empty() || rest.size() % 2)
        throw UsageError("usage: gpuhost __probe --plugin NAME --manifest PATH [--sysroot DIR] [--log-level N] [--load-only | --calls FILE]");
    return run_probe_child(plugin, manifest, sysroot, load_only, calls);
}

}  // namespace gpuhost::cli
