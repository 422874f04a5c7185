#include "planning.hpp"

#include "../core/paths.hpp"
#include "../core/log.hpp"
#include "../core/tool_runner.hpp"
#include "vendors.hpp"

#include <algorithm>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gpuhost::lua {

fs::path resolve_profile(const std::string &name) {
    std::error_code ec;
    bool looks_like_path = name.find('/') != std::string::npos || fs::path(name).extension() == ".lua";
    if (looks_like_path) {
        if (fs::is_regular_file(name, ec)) return fs::absolute(name);
        throw FileError(name + ": no such profile file");
    }
    auto path = ScriptPath::standard();
    if (auto found = path.find("profiles/" + name + ".lua")) return *found;
    std::string known;
    for (const auto &p : path.list("profiles")) known += (known.empty() ? "" : ", ") + p.stem().string();
    throw FileError("profile \"" + name + "\" not found in " + path.describe() + " (profiles/" + name +
                    ".lua); known: " + (known.empty() ? "none" : known));
}

std::unique_ptr<Engine> engine_for_profile(const fs::path &profile_file) {
    // A profile inside a scripts/profiles folder already is on the path; one
    // elsewhere brings its own project scripts/ (its folder's scripts/).
    auto engine = std::make_unique<Engine>(ScriptPath::standard(profile_file.parent_path()));
    // Each vendor folder's Lua: its builds, smoke tests and rules. A broken one
    // is left out (gpuhost plugins names it); the others still plan.
    auto vendors = load_vendor_scripts(*engine);
    for (const auto &p : vendors.problems) log::warn("vendor script left out: " + p.describe());
    return engine;
}

static std::string text_field(const json::object &o, const char *key, const fs::path &file, bool required) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) {
        if (required) throw ScriptError(file.string(), 0, std::string("the profile table needs a \"") + key + "\" field");
        return {};
    }
    if (!it->value().is_string())
        throw ScriptError(file.string(), 0, std::string("profile field \"") + key + "\" must be a string");
    return std::string(it->value().as_string());
}

// "3.10" -> {3, 10}; empty when the text is not a dotted version.
static std::vector<int> version_parts(const std::string &text) {
    std::vector<int> parts;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t dot = text.find('.', at);
        std::string part = text.substr(at, dot == std::string::npos ? std::string::npos : dot - at);
        if (part.empty() || part.size() > 4 || part.find_first_not_of("0123456789") != std::string::npos) return {};
        parts.push_back(std::stoi(part));
        if (dot == std::string::npos) break;
        at = dot + 1;
    }
    return parts;
}

// python = {min = "3.10", max = "3.13"}: both versions, and a range some Python
// can be in (the planner's defaults fill a missing end).
static void check_python_range(const json::object &o, const fs::path &file) {
    auto py = o.find("python");
    if (py == o.end()) return;
    if (!py->value().is_object())
        throw ScriptError(file.string(), 0, "\"python\" must be a table like {min = \"3.10\", max = \"3.13\"}");
    const auto &range = py->value().as_object();
    std::string ends[2] = {"3.10", "3.13"};  // scripts/lib/planner.lua's defaults
    const char *names[2] = {"min", "max"};
    for (int i = 0; i < 2; ++i) {
        auto v = range.find(names[i]);
        if (v == range.end()) continue;
        if (!v->value().is_string() || version_parts(std::string(v->value().as_string())).empty())
            throw ScriptError(file.string(), 0, std::string("python.") + names[i] + " must be a version text like \"3.10\"");
        ends[i] = std::string(v->value().as_string());
    }
    if (version_parts(ends[0]) > version_parts(ends[1]))
        throw ScriptError(file.string(), 0, "python.min " + ends[0] + " is above python.max " + ends[1] +
                                                ": no Python is in that range (fix the profile's python table)");
}

Profile load_profile(Engine &engine, const fs::path &file) {
    Profile p;
    p.path = file;
    p.table = engine.run_file(file);
    if (!p.table.is_table())
        throw ScriptError(file.string(), 0, "a profile must return a table (got " + p.table.type_name() + ")");
    auto data = p.table.to_json();
    if (!data.is_object()) throw ScriptError(file.string(), 0, "a profile must return a table with named fields");
    const auto &o = data.as_object();
    p.name = text_field(o, "name", file, true);
    if (!o.contains("framework") || !(o.at("framework").is_string() || o.at("framework").is_object()))
        throw ScriptError(file.string(), 0, "the profile table needs \"framework\": a name or a table by backend");
    if (auto m = o.find("min_memory_mib"); m != o.end()) {
        if (!m->value().is_number()) throw ScriptError(file.string(), 0, "\"min_memory_mib\" must be a number");
        p.workload.min_memory_mib = int(m->value().to_number<double>());
    }
    if (auto pr = text_field(o, "precision", file, false); !pr.empty()) {
        if (pr != "fp32" && pr != "fp16" && pr != "bf16" && pr != "fp64" && pr != "int8")
            throw ScriptError(file.string(), 0, "\"precision\" must be fp32, fp16, bf16, fp64 or int8 (got " + pr + ")");
        p.workload.precision = pr;
    }
    check_python_range(o, file);
    if (o.at("framework").is_string()) p.workload.framework = std::string(o.at("framework").as_string());
    p.workload.profile = p.name;
    auto run = p.table.field("run");
    if (!run.is_nil() && !run.is_function())
        throw ScriptError(file.string(), 0, "\"run\" must be a function (got " + run.type_name() + ")");
    return p;
}

static std::string str(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

Plan plan_from_lua(const json::value &value, const std::string &origin) {
    if (!value.is_object()) throw ScriptError(origin, 0, "the planner must return a plan table");
    json::object o = value.as_object();
    // Lua cannot tell an empty list from an empty map: normalize both ways.
    if (auto e = o.find("env"); e != o.end() && e->value().is_array() && e->value().as_array().empty())
        e->value() = json::object{};
    for (const char *list : {"extra_index_urls", "index_packages", "packages", "steps", "notes"})
        if (auto e = o.find(list); e != o.end() && e->value().is_object() && e->value().as_object().empty())
            e->value() = json::array{};
    try {
        return Plan::from_json(o);
    } catch (const std::runtime_error &e) {
        throw ScriptError(origin, 0, e.what());
    }
}

Selection tables_selection(Engine &engine, const Inventory &inv, const Workload &workload, const Policy &policy,
                           const Selection *scored, bool *none_ranked) {
    auto planner = engine.require("lib.planner");
    json::array priority;
    for (const auto &b : policy.backend_priority) priority.emplace_back(b);
    auto ranked = planner.field("rank").call({inv.devices, workload.to_json(), priority}, "planner.rank").to_json();
    if (none_ranked) *none_ranked = !ranked.is_array() || ranked.as_array().empty();
    // The tables' order as scores (best highest), the devices it passed over at 0,
    // then the user's policy exactly as select applies it.
    Selection fallback;
    int place = 100;
    for (const auto &r : ranked.is_array() ? ranked.as_array() : json::array{}) {
        const json::object *d = inv.find(str(r.as_object(), "id"));
        if (!d) continue;
        Candidate c;
        c.device_id = str(*d, "id");
        c.plugin = str(*d, "plugin");
        c.backend = str(*d, "backend");
        c.score = std::max(1, place--);
        c.reasons.push_back("the tables' fallback ranking (backend order, then memory)");
        if (auto w = str(r.as_object(), "why"); !w.empty()) c.reasons.push_back(w);
        fallback.ranked.push_back(std::move(c));
    }
    for (const auto &d : inv.devices) {
        std::string id = str(d.as_object(), "id");
        bool listed = false;
        for (const auto &c : fallback.ranked) listed = listed || c.device_id == id;
        if (listed) continue;
        Candidate c;
        c.device_id = id;
        c.plugin = str(d.as_object(), "plugin");
        c.backend = str(d.as_object(), "backend");
        auto passed = planner.field("passed_over").call({d, workload.min_memory_mib}, "planner.passed_over").to_json();
        c.reasons.push_back("unusable: " + (passed.is_string() ? std::string(passed.as_string()) : std::string("passed over")));
        fallback.ranked.push_back(std::move(c));
    }
    if (scored)
        for (auto &c : fallback.ranked)
            for (const auto &s : scored->ranked)
                if (s.device_id == c.device_id) c.install = s.install;
    apply_policy(fallback, inv, policy);
    return fallback;
}

PlanResult make_plan(Engine &engine, const Profile &profile, const PlanInputs &in) {
    PlanResult result;
    const Inventory &inv = *in.inventory;
    engine.set_context("inventory", inv.to_json());
    auto planner = engine.require("lib.planner");

    result.selection = select_device(inv, *in.plugins, in.policy, profile.workload, *in.tools);
    // Devices whose plugin is not loaded here (a recorded inventory) cannot be
    // scored by their plugin; the tables' fallback ranking then decides.
    std::vector<std::string> unscored;
    for (const auto &d : inv.devices) {
        std::string plugin = str(d.as_object(), "plugin");
        if (!in.plugins->find(plugin)) unscored.push_back(str(d.as_object(), "id") + " (plugin " + plugin + ")");
    }

    std::string chosen_id;
    std::vector<std::string> why;
    const Candidate *candidate = nullptr;
    if (!in.policy.device.empty()) {
        // Read as `select --device` reads it: an index, id, UUID or PCI bus id.
        chosen_id = device_named(inv, in.policy, in.policy.device);
        if (chosen_id.empty())
            throw NoDeviceError("--device " + in.policy.device +
                                ": no such device in the inventory (an index, id, UUID or PCI bus id; see gpuhost detect)");
        auto eligible = planner.field("eligible").call({*inv.find(chosen_id)}, "planner.eligible");
        if (!eligible.to_json().as_bool()) {
            auto reason = str(*inv.find(chosen_id), "reason");
            throw NoDeviceError("--device " + in.policy.device + " (" + chosen_id + ") is not usable: " + reason);
        }
        why.push_back("device " + chosen_id + " was asked for with --device");
    } else if (unscored.empty() && result.selection.chosen) {
        chosen_id = result.selection.chosen->device_id;
        for (const auto &w : result.selection.why) why.push_back(w);
    } else if (unscored.empty() && !in.policy.force_backend.empty()) {
        // force_backend is strict in every command: select's reason, exit 4.
        throw NoDeviceError(result.selection.error);
    } else {
        if (inv.devices.empty())
            throw NoDeviceError("no devices were detected: no plugin found any (see `gpuhost plugins` and `gpuhost detect`)");
        bool none_ranked = false;
        Selection fallback = tables_selection(engine, inv, profile.workload, in.policy, &result.selection, &none_ranked);
        if (!fallback.chosen && none_ranked && in.policy.force_backend.empty())
            throw NoDeviceError("no usable device has the " + std::to_string(profile.workload.min_memory_mib) +
                                " MiB profile " + profile.name + " needs");
        if (!fallback.chosen) throw NoDeviceError(fallback.error);
        chosen_id = fallback.chosen->device_id;
        std::string list;
        for (const auto &u : unscored) list += (list.empty() ? "" : ", ") + u;
        if (!unscored.empty())
            why.push_back("chosen by the tables' fallback ranking (backend order, then memory): no plugin loaded for " + list);
        for (const auto &w : fallback.why) why.push_back(w);
        if (fallback.chosen->reasons.size() > 1) why.push_back(chosen_id + ": " + fallback.chosen->reasons[1]);
        result.selection = std::move(fallback);
    }
    for (const auto &c : result.selection.ranked)
        if (c.device_id == chosen_id) candidate = &c;

    const json::object &device = *inv.find(chosen_id);
    json::value install = candidate && !candidate->install.empty() ? json::value(candidate->install) : json::value(nullptr);
    engine.set_context("device", device);
    json::object options{{"devices", inv.devices},
                         {"env_root", in.env_root.string()},
                         {"accelerator", in.accelerator},
                         {"profile_path", profile.path.string()}};
    // The profile table itself goes in, so its functions (smoke_test, packages) run.
    auto built = planner.field("build").call_refs(
        {profile.table, engine.value(device), engine.value(install), engine.value(options)}, "planner.build");
    json::value built_json = built.to_json();
    // The planner answers {unavailable = why} when the requested build does not exist.
    if (built_json.is_object())
        if (auto why = built_json.as_object().if_contains("unavailable"); why && why->is_string())
            throw NoDeviceError(std::string(why->as_string()));
    result.plan = plan_from_lua(built_json, "lib/planner.lua");
    result.plan.notes.insert(result.plan.notes.begin(), why.begin(), why.end());
    engine.set_context("plan", result.plan.to_json());
    engine.set_context("selection", result.selection.to_json());
    return result;
}

bool run_profile_flow(Engine &engine, const Profile &profile, const Plan &plan) {
    auto run = profile.table.field("run");
    if (!run.is_function()) return false;
    engine.set_context("plan", plan.to_json());
    run.call({plan.to_json()}, "profile " + profile.name + ": run");
    return true;
}

}  // namespace gpuhost::lua
