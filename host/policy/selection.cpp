#include "selection.hpp"

#include "../core/files.hpp"
#include "../core/tool_runner.hpp"
#include "../detect/device_schema.hpp"

#include <algorithm>

namespace json = boost::json;

namespace gpuhost {

json::object Workload::to_json() const {
    json::object o{{"min_memory_mib", min_memory_mib}, {"precision", precision}};
    if (!framework.empty()) o["framework"] = framework;
    if (!profile.empty()) o["profile"] = profile;
    return o;
}

static json::array strings(const std::vector<std::string> &v) {
    json::array a;
    for (const auto &s : v) a.emplace_back(s);
    return a;
}

json::object Candidate::to_json() const {
    return {{"device", device_id}, {"plugin", plugin}, {"backend", backend},
            {"score", score},      {"reasons", strings(reasons)}, {"install", install}};
}

json::object Selection::to_json() const {
    json::array list;
    for (const auto &c : ranked) list.push_back(c.to_json());
    json::object o{{"candidates", std::move(list)}, {"why", strings(why)}};
    o["chosen"] = chosen ? json::value(chosen->device_id) : json::value(nullptr);
    return o;
}

static std::string text(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

static Candidate score_one(const json::object &device, const PluginSet &plugins, const Workload &workload,
                           const ToolRunner &tools) {
    Candidate c;
    c.device_id = text(device, "id");
    c.plugin = text(device, "plugin");
    c.backend = text(device, "backend");
    auto plugin = plugins.find(c.plugin);
    if (!plugin) {
        c.reasons.push_back("plugin " + c.plugin + " is not loaded");
        return c;
    }
    std::string device_text = json::serialize(device);
    auto install = plugin->install(tools, device_text);
    if (install.ok()) {
        try {
            auto value = parse_json(install.text, c.plugin + " install reply");
            if (validate_install(value).empty()) c.install = value.as_object();
        } catch (const FileError &) {
        }
    }
    auto reply = plugin->score(tools, device_text, json::serialize(workload.to_json()));
    if (!reply.ok()) {
        c.reasons.push_back("score failed: " + reply.text);
        return c;
    }
    try {
        auto value = parse_json(reply.text, c.plugin + " score reply");
        if (auto errors = validate_score(value); !errors.empty()) {
            c.reasons.push_back("score reply breaks the schema: " + errors.front());
            return c;
        }
        c.score = int(value.at("score").as_int64());
        for (const auto &r : value.at("reasons").as_array()) c.reasons.emplace_back(r.as_string());
    } catch (const FileError &e) {
        c.reasons.push_back(e.what());
    }
    return c;
}

Selection select_device(const Inventory &inventory, const PluginSet &plugins, const Policy &policy,
                        const Workload &workload, const ToolRunner &tools) {
    Selection s;
    for (const auto &d : inventory.devices) s.ranked.push_back(score_one(d.as_object(), plugins, workload, tools));
    std::stable_sort(s.ranked.begin(), s.ranked.end(),
                     [](const Candidate &a, const Candidate &b) { return a.score > b.score; });
    for (const auto &c : s.ranked) {
        if (c.score <= 0) continue;
        if (!policy.force_backend.empty() && c.backend != policy.force_backend) continue;
        s.chosen = c;
        s.why.push_back("highest score: " + c.device_id + " (" + std::to_string(c.score) + ")");
        break;
    }
    if (!s.chosen) s.why.push_back("no device scored above 0 for this workload");
    return s;
}

}  // namespace gpuhost
