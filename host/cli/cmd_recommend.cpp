// gpuhost recommend: every profile on the script path scored 0..100 for this
// machine, with the reasons (memory, a GPU build for the best device, precision).
#include "../lua/planning.hpp"
#include "../lua/vendors.hpp"
#include "../policy/config.hpp"
#include "../policy/policy_backends.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "plan_inputs.hpp"

#include <algorithm>
#include <iostream>

namespace json = boost::json;

namespace gpuhost::cli {

int run_recommend(const std::vector<std::string> &args) {
    po::options_description options("options");
    Common common;
    add_common(options, common);
    std::string inventory_file;
    options.add_options()("inventory", po::value(&inventory_file), "score for a recorded inventory (detect --json output)");
    DetectFlags flags;
    add_detect_flags(options, flags);
    po::variables_map vm;
    if (!parse("recommend", "[options]",
               "Scores every profile found on the script path (scripts/profiles/*.lua) for this\n"
               "machine, 0..100, and says why: enough memory, whether a GPU build exists for the\n"
               "best device, whether it supports the precision the profile wants.\n"
               "A broken profile is listed with its error; the others are still scored.",
               options, args, vm))
        return kOk;
    apply_verbosity(common);

    PlanContext ctx = obtain_plan_context(common.sysroot, inventory_file, flags);
    lua::Engine engine;
    lua::load_vendor_scripts(engine);  // each vendor's builds, for the scores
    engine.set_context("inventory", ctx.inventory.to_json());
    auto planner = engine.require("lib.planner");
    auto score = planner.field("score");
    auto devices = engine.value(ctx.inventory.devices);

    // The device every profile is scored on: the user's policy applied to the
    // tables' ranking exactly as select and plan apply it.
    Policy policy = policy_from_config(load_config());
    if (auto why = unknown_backend_in(policy, known_backends(ctx.plugins, &ctx.inventory)); !why.empty())
        throw UsageError("gpuhost recommend: " + why + " (from gpuhost config, a gpuhost.json or a GPUHOST_* variable)");
    Selection chosen = lua::tables_selection(engine, ctx.inventory, Workload{}, policy);
    bool policy_set = !policy.force_backend.empty() || !policy.device.empty();
    if (!chosen.chosen && policy_set) {
        std::cerr << "gpuhost recommend: " << chosen.error << "\n";
        return kNoDevice;
    }
    json::value chosen_id = chosen.chosen ? json::value(chosen.chosen->device_id) : json::value(nullptr);

    struct Row {
        std::string profile, path, error;
        int score = 0;
        json::array reasons;
    };
    std::vector<Row> rows;
    for (const auto &file : engine.script_path().list("profiles")) {
        Row row{file.stem().string(), file.string(), {}, 0, {}};
        try {
            auto profile = lua::load_profile(engine, file);
            row.profile = profile.name;
            auto scored = engine.run_string("return function(f, p, d, c) return {f(p, d, c)} end", "recommend glue");
            auto pair = scored.call_refs({score, profile.table, devices, engine.value(chosen_id)}, "planner.score").to_json();
            const auto &a = pair.as_array();
            row.score = int(a.at(0).to_number<double>());
            if (a.size() > 1 && a.at(1).is_array()) row.reasons = a.at(1).as_array();
        } catch (const FileError &e) {
            row.error = e.what();
        }
        rows.push_back(std::move(row));
    }
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.score > b.score; });

    bool broken = false;
    if (common.json) {
        json::array out;
        for (const auto &r : rows) {
            json::object o{{"profile", r.profile}, {"path", r.path}, {"score", r.score}, {"reasons", r.reasons}};
            if (!r.error.empty()) o["error"] = r.error;
            out.push_back(std::move(o));
        }
        print_json(json::object{{"profiles", std::move(out)}});
    } else {
        Table table({"PROFILE", "SCORE", "WHY"});
        for (const auto &r : rows) {
            std::string why;
            for (const auto &x : r.reasons) why += (why.empty() ? "" : "; ") + std::string(x.as_string());
            table.add({r.profile, r.error.empty() ? std::to_string(r.score) : "error", r.error.empty() ? why : r.error});
        }
        std::cout << table.render();
    }
    for (const auto &r : rows) broken = broken || !r.error.empty();
    return broken ? kBadInput : kOk;
}

}  // namespace gpuhost::cli
