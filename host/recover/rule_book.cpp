#include "rule_book.hpp"

namespace json = boost::json;

namespace gpuhost::recover {

static std::string str(const json::object &o, const char *key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

static std::vector<std::string> strings(const json::object &o, const char *key) {
    std::vector<std::string> out;
    if (auto it = o.find(key); it != o.end() && it->value().is_array())
        for (const auto &v : it->value().as_array())
            if (v.is_string()) out.emplace_back(v.as_string());
    return out;
}

static json::array to_array(const std::vector<std::string> &list) {
    json::array a;
    for (const auto &s : list) a.emplace_back(s);
    return a;
}

std::string Fix::describe() const {
    auto arg = [this](const char *key) {
        auto it = args.find(key);
        return it != args.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
    };
    std::string text;
    if (action == "set_env") text = "set " + arg("name") + "=" + arg("value") + " in the environment";
    else if (action == "reinstall") text = "reinstall with the " + arg("accelerator") + " build";
    else if (action == "purge_pip_cache") text = "purge the pip cache";
    else if (action == "recreate_env") text = "recreate the environment";
    else if (action == "switch_cpu") text = "switch to the CPU build";
    else text = action;
    if (!ready) {
        text += " (not applicable: unknown ";
        for (std::size_t i = 0; i < missing.size(); ++i) text += (i ? ", " : "") + missing[i];
        text += ")";
    }
    return text;
}

json::object Fix::to_json() const {
    json::object o = args;
    o["action"] = action;
    o["ready"] = ready;
    if (!missing.empty()) o["missing"] = to_array(missing);
    o["description"] = describe();
    return o;
}

json::object Match::to_json() const {
    json::object o{{"id", id},
                   {"score", score},
                   {"confidence", confidence},
                   {"severity", severity},
                   {"diagnosis", diagnosis},
                   {"steps", to_array(steps)},
                   {"matched", to_array(matched)},
                   {"conditions_met", conditions_met},
                   {"failed_conditions", to_array(failed_conditions)},
                   {"unfilled", to_array(unfilled)},
                   {"rule_file", file}};
    o["fix"] = fix ? json::value(fix->to_json()) : json::value(nullptr);
    return o;
}

Match match_from_json(const json::object &o) {
    Match m;
    m.id = str(o, "id");
    m.file = str(o, "file");
    if (auto s = o.if_contains("score"); s && s->is_number()) m.score = s->to_number<double>();
    if (auto c = o.if_contains("confidence"); c && c->is_number()) m.confidence = c->to_number<double>();
    m.severity = str(o, "severity");
    m.diagnosis = str(o, "diagnosis");
    m.steps = strings(o, "steps");
    m.matched = strings(o, "matched");
    if (auto c = o.if_contains("conditions_met"); c && c->is_bool()) m.conditions_met = c->as_bool();
    m.failed_conditions = strings(o, "failed_conditions");
    m.unfilled = strings(o, "unfilled");
    if (auto f = o.if_contains("fix"); f && f->is_object()) {
        Fix fix;
        for (const auto &[k, v] : f->as_object()) {
            if (k == "action") fix.action = v.is_string() ? std::string(v.as_string()) : std::string();
            else if (k == "ready") fix.ready = v.is_bool() && v.as_bool();
            else if (k == "missing") fix.missing = strings(f->as_object(), "missing");
            else fix.args[k] = v;
        }
        m.fix = std::move(fix);
    }
    return m;
}

RuleBook::RuleBook(lua::Engine &engine) {
    auto module = engine.require("lib.rules");
    json::array modules;
    for (const auto &file : engine.script_path().list("rules")) {
        auto stem = file.stem().string();
        // require() turns dots into folders, so such a file could never load.
        if (stem.find('.') != std::string::npos) {
            problems_.push_back(file.string() + ": a rule file name must not contain '.' besides .lua");
            continue;
        }
        modules.emplace_back("rules." + stem);
    }
    auto set = module.field("load").call({modules}, "lib/rules.lua: load");
    // Rules from vendor folders (the manifest's scripts.rules), checked the same way.
    for (const auto &[origin, list] : engine.rule_sources())
        module.field("add").call_refs({set, list, engine.value(json::string(origin))}, "lib/rules.lua: add");
    auto data = set.to_json();
    if (data.is_object()) {
        for (auto &p : strings(data.as_object(), "problems")) problems_.push_back(std::move(p));
        files_ = strings(data.as_object(), "files");
        if (auto r = data.as_object().if_contains("rules"); r && r->is_array()) size_ = r->as_array().size();
    }
    matcher_ = module.field("matcher").call_refs({set}, "lib/rules.lua: matcher");
}

// Logs beyond this are cut to their first and last parts: the Lua state has a
// memory limit, and the error that matters is near the start (pip's first
// failure) or the end (the traceback).
constexpr std::size_t kHead = std::size_t(256) << 10, kTail = std::size_t(1792) << 10;

std::string clip_log(const std::string &text) {
    if (text.size() <= kHead + kTail) return text;
    return text.substr(0, kHead) + "\n[... gpuhost: middle of the log left out ...]\n" + text.substr(text.size() - kTail);
}

std::vector<Match> RuleBook::match(const std::string &text, const Facts &facts, int top) const {
    auto result = matcher_.call({json::string(clip_log(text)), facts.to_json(), top > 0 ? json::value(top) : json::value(nullptr)},
                                "lib/rules.lua: match");
    std::vector<Match> out;
    auto data = result.to_json();
    if (data.is_array())
        for (const auto &v : data.as_array())
            if (v.is_object()) out.push_back(match_from_json(v.as_object()));
    return out;
}

}  // namespace gpuhost::recover
