#include "plan_inputs.hpp"

#include "../core/files.hpp"
#include "../detect/detector.hpp"

#include <iostream>

namespace gpuhost::cli {

PlanContext obtain_plan_context(const std::string &sysroot, const std::string &inventory_file) {
    PlanContext ctx{load_plugins(default_search_options()), {}, ToolRunner(sysroot)};
    for (const auto &r : ctx.plugins.rejected)
        std::cerr << "gpuhost: plugin skipped: " << r.path.string() << ": " << r.reason << "\n";
    if (!inventory_file.empty()) {
        auto value = read_json_file(inventory_file);
        if (!value.is_object()) throw FileError(inventory_file + ": not an inventory (expected a JSON object)");
        try {
            ctx.inventory = Inventory::from_json(value.as_object());
        } catch (const std::runtime_error &e) {
            throw FileError(inventory_file + ": " + e.what() + " (write it with gpuhost detect --json)");
        }
        for (const auto &d : ctx.inventory.devices)
            if (!d.is_object() || !d.as_object().contains("id") || !d.as_object().contains("backend"))
                throw FileError(inventory_file + ": every device needs \"id\" and \"backend\"");
        return ctx;
    }
    DetectOptions options;
    options.sysroot = sysroot;
    ctx.inventory = sysroot.empty() ? obtain_inventory(ctx.plugins, options) : detect_all(ctx.plugins, options);
    return ctx;
}

}  // namespace gpuhost::cli
