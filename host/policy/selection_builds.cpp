#include "selection_builds.hpp"

#include "../lua/engine.hpp"
#include "../lua/vendors.hpp"

namespace json = boost::json;

namespace gpuhost {

void name_table_builds(Selection &selection, const Inventory &inv) {
    lua::Engine engine;
    lua::load_vendor_scripts(engine);
    engine.set_context("inventory", inv.to_json());
    auto best_build = engine.require("lib.planner").field("best_build");
    for (auto &c : selection.ranked) {
        const json::object *device = inv.find(c.device_id);
        if (!device) continue;
        json::value install = c.install.empty() ? json::value(nullptr) : json::value(c.install);
        auto tag = best_build.call({*device, install}, "planner.best_build").to_json();
        if (!tag.is_string()) continue;
        for (auto &r : c.reasons)
            if (r.rfind("best build: ", 0) == 0) r = "best build: " + std::string(tag.as_string());
        if (c.install.empty()) continue;
        // The tables' build first, then the plugin's CPU fallback entry (its GPU guesses are dropped).
        json::array list{json::object{{"tag", tag.as_string()}, {"reason", "the version tables' best build for this device"}}};
        if (auto a = c.install.if_contains("accelerators"); a && a->is_array())
            for (const auto &e : a->as_array())
                if (e.is_object() && e.as_object().if_contains("tag") && e.as_object().at("tag") != tag &&
                    e.as_object().at("tag") == json::value("cpu"))
                    list.push_back(e);
        c.install["accelerators"] = std::move(list);
    }
    if (selection.chosen)
        for (const auto &c : selection.ranked)
            if (c.device_id == selection.chosen->device_id) selection.chosen = c;
}

}  // namespace gpuhost
