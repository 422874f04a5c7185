// gpuhost __probe: the child that runs one plugin's detect (detect/probe_child.hpp).
// Hidden: only gpuhost itself starts it. Parsed by hand to keep the child quick.
#include "../detect/probe_child.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

namespace gpuhost::cli {

int run_probe(const std::vector<std::string> &args) {
    std::string plugin, manifest, sysroot;
    for (size_t i = 0; i + 1 < args.size(); i += 2) {
        if (args[i] == "--plugin") plugin = args[i + 1];
        else if (args[i] == "--manifest") manifest = args[i + 1];
        else if (args[i] == "--sysroot") sysroot = args[i + 1];
        else throw UsageError("gpuhost __probe: unknown option " + args[i]);
    }
    if (plugin.empty() || manifest.empty() || args.size() % 2)
        throw UsageError("usage: gpuhost __probe --plugin NAME --manifest PATH [--sysroot DIR]");
    return run_probe_child(plugin, manifest, sysroot);
}

}  // namespace gpuhost::cli
