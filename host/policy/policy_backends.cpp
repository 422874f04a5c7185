#include "policy_backends.hpp"

#include <algorithm>

namespace json = boost::json;

namespace gpuhost {

std::vector<std::string> known_backends(const PluginSet &plugins, const Inventory *inventory) {
    auto known = plugins.backends();
    if (inventory)
        for (const auto &d : inventory->devices)
            if (auto b = d.as_object().if_contains("backend"); b && b->is_string() &&
                                                            std::find(known.begin(), known.end(), b->as_string()) == known.end())
                known.emplace_back(b->as_string());
    return known;
}

std::string unknown_backend_setting(const std::string &key, const json::value &value,
                                    const std::vector<std::string> &known) {
    std::vector<std::string> named;
    if (value.is_string()) named.emplace_back(value.as_string());
    if (value.is_array())
        for (const auto &v : value.as_array())
            if (v.is_string()) named.emplace_back(v.as_string());
    for (const auto &n : named) {
        if (n.empty() || (n == "auto" && key == "preferred_backend")) continue;
        if (std::find(known.begin(), known.end(), n) != known.end()) continue;
        std::string list;
        for (const auto &b : known) list += (list.empty() ? "" : ", ") + b;
        return key + " \"" + n + "\" is not a backend any loaded plugin declares (known: " +
               (list.empty() ? "none" : list) + (key == "preferred_backend" ? ", or auto" : "") +
               "; see gpuhost plugins)";
    }
    return "";
}

std::string unknown_backend_in(const Policy &policy, const std::vector<std::string> &known) {
    json::array priority;
    for (const auto &b : policy.backend_priority) priority.emplace_back(b);
    for (const auto &[key, value] : std::vector<std::pair<std::string, json::value>>{
             {"force_backend", json::string(policy.force_backend)},
             {"preferred_backend", json::string(policy.preferred_backend)},
             {"backend_priority", priority}})
        if (auto why = unknown_backend_setting(key, value, known); !why.empty()) return why;
    return "";
}

}  // namespace gpuhost
