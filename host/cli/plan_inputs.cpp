#include "plan_inputs.hpp"

#include "../core/files.hpp"
#include "../detect/detector.hpp"
#include "../detect/device_schema.hpp"
#include "../detect/probe_child.hpp"
#include "../policy/config.hpp"
#include "detect_flags.hpp"

#include <iostream>

namespace gpuhost::cli {

PlanContext obtain_plan_context(const std::string &sysroot, const std::string &inventory_file,
                                const DetectFlags &flags) {
    PlanContext ctx{{}, {}, ToolRunner(sysroot)};
    if (!inventory_file.empty()) {
        // A recorded inventory: the plugins score it, each opened only after a
        // child process showed that loading it does not crash.
        PluginSearchOptions search = default_search_options();
        ctx.plugins = load_plugins_checked(search, std::chrono::milliseconds(load_config().integer("probe_timeout_ms")));
        auto value = read_json_file(inventory_file);
        if (!value.is_object()) throw FileError(inventory_file + ": not an inventory (expected a JSON object)");
        try {
            ctx.inventory = Inventory::from_json(value.as_object());
        } catch (const std::runtime_error &e) {
            // Held to the plugins' schema in from_json, so a bad file is named here
            // rather than failing later inside a script.
            throw FileError(inventory_file + ": " + e.what() + " (write it with gpuhost detect --json)");
        }
        return ctx;
    }
    Common common;
    common.sysroot = sysroot;
    ctx.inventory = detect_for_command(common, flags, ctx.plugins);
    open_plugins_that_probed(ctx.plugins, ctx.inventory);
    return ctx;
}

}  // namespace gpuhost::cli
