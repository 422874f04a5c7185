#include "index_routing.hpp"

#include "requirements.hpp"

#include <algorithm>

namespace gpuhost::env {

// A plan from before routing (no index_packages) sent everything to index_url: it is not routed.
bool routes_by_index(const Plan &plan) { return !plan.index_url.empty() && !plan.index_packages.empty(); }

bool served_by_index(const Plan &plan, const std::string &project) {
    std::string name = normalize_name(project);
    return routes_by_index(plan) &&
           std::any_of(plan.index_packages.begin(), plan.index_packages.end(),
                       [&](const std::string &n) { return normalize_name(n) == name; });
}

Routed route(const Plan &plan, const std::vector<std::string> &specs) {
    Routed r;
    for (const auto &spec : specs) {
        std::string name;
        try {
            name = parse_requirement(spec).name;
        } catch (const std::exception &) {
            // Not a requirement at all: the plan's boundary check refuses these; route it nowhere special.
        }
        (served_by_index(plan, name) ? r.from_index : r.from_default).push_back(spec);
    }
    return r;
}

std::string with_index_label(const Plan &plan, const std::string &spec) {
    if (plan.index_label.empty() || !routes_by_index(plan)) return spec;
    Requirement req;
    try {
        req = parse_requirement(spec);
    } catch (const std::exception &) {
        return spec;
    }
    bool family = req.name == "torch" || req.name == "torchvision" || req.name == "torchaudio";
    if (!family || req.clauses.size() != 1 || req.clauses[0].first != "==" || req.has_marker ||
        req.clauses[0].second.find_first_of("+*") != std::string::npos)
        return spec;
    return spec + "+" + plan.index_label;
}

std::string default_index_words(const Plan &plan) {
    if (!plan.default_index_url.empty()) return plan.default_index_url;
    return "the default index (PyPI, unless pip or uv is configured with another)";
}

}  // namespace gpuhost::env
