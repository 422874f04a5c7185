// gpuhost cache clear: forget the cached inventory and the plugin quarantine.
#include "../core/paths.hpp"
#include "../detect/inventory_cache.hpp"
#include "../detect/quarantine.hpp"
#include "cli_support.hpp"
#include "commands.hpp"

#include <iostream>

namespace gpuhost::cli {

int run_cache(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common, false);
    std::string action;
    options.add_options()("action", po::value<std::string>(&action), "clear");
    po::positional_options_description positional;
    positional.add("action", 1);
    po::variables_map vm;
    if (!parse("cache", "clear",
               "clear: removes the cached inventory (" + paths::cache_dir().string() +
                   "/inventory*.json) and the record of quarantined plugins, so the next command detects afresh\n"
                   "and retries every plugin. The cache is also ignored when the machine changes (boot, kernel,\n"
                   "drivers, PCI devices, GPU device nodes, plugins), when it is older than cache_ttl_s, or with\n"
                   "--no-cache.",
               options, args, vm, &positional))
        return kOk;
    if (action != "clear") throw UsageError("gpuhost cache: expected \"clear\" (see gpuhost cache --help)");
    apply_verbosity(common);
    int removed = clear_inventory_cache();
    Quarantine quarantine = Quarantine::load();
    quarantine.clear();
    quarantine.save();
    if (common.json) print_json(boost::json::object{{"removed", removed}});
    else std::cout << "removed " << removed << " cached inventor" << (removed == 1 ? "y" : "ies")
                   << "; plugin quarantine lifted\n";
    return kOk;
}

}  // namespace gpuhost::cli
