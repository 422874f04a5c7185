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

static json::array evidence_json(const std::vector<Evidence> &why) {
    json::array a;
    for (const auto &e : why)
        a.push_back(json::object{{"pattern", e.pattern}, {"line", e.line}, {"text", e.text}, {"required", e.required}});
    return a;
}

json::object Match::to_json() const {
    auto why_json = [this] { return evidence_json(why); };
    auto facts_json = [this] {
        json::array a;
        for (const auto &e : facts_from_log) {
            auto eq = e.pattern.find('=');
            a.push_back(json::object{{"fact", e.pattern.substr(0, eq)},
                                     {"value", eq == std::string::npos ? std::string() : e.pattern.substr(eq + 1)},
                                     {"line", e.line},
                                     {"text", e.text}});
        }
        return a;
    };
    json::object o{{"id", id},
                   {"score", score},
                   {"confidence", confidence},
                   {"severity", severity},
                   {"diagnosis", diagnosis},
                   {"steps", to_array(steps)},
                   {"matched", to_array(matched)},
                   {"why", why_json()},
                   {"facts_from_log", facts_json()},
                   {"conditions_met", conditions_met},
                   {"by_keywords", by_keywords},
                   {"by_words", by_words},
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
    if (auto w = o.if_contains("why"); w && w->is_array())
        for (const auto &v : w->as_array()) {
            if (!v.is_object()) continue;
            const auto &e = v.as_object();
            Evidence ev;
            ev.pattern = str(e, "pattern");
            ev.text = str(e, "text");
            if (auto l = e.if_contains("line"); l && l->is_number()) ev.line = std::size_t(l->to_number<double>());
            if (auto r = e.if_contains("required"); r && r->is_bool()) ev.required = r->as_bool();
            m.why.push_back(std::move(ev));
        }
    if (auto w = o.if_contains("facts_from_log"); w && w->is_array())
        for (const auto &v : w->as_array()) {
            if (!v.is_object()) continue;
            const auto &e = v.as_object();
            Evidence ev;
            ev.pattern = str(e, "fact") + "=" + str(e, "value");
            ev.text = str(e, "text");
            if (auto l = e.if_contains("line"); l && l->is_number()) ev.line = std::size_t(l->to_number<double>());
            m.facts_from_log.push_back(std::move(ev));
        }
    if (auto c = o.if_contains("conditions_met"); c && c->is_bool()) m.conditions_met = c->as_bool();
    if (auto k = o.if_contains("by_keywords"); k && k->is_bool()) m.by_keywords = k->as_bool();
    if (auto k = o.if_contains("by_words"); k && k->is_bool()) m.by_words = k->as_bool();
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

// Logs beyond kLogHead + kLogTail are cut to their first and last parts: the
// error that matters is near the start (pip's first failure) or the end (the
// traceback), and the window bounds the time and the Lua state's memory.
static const char kGap[] = "[... gpuhost: middle of the log left out ...]\n";

static std::string join_window(std::string head, std::string_view tail) {
    // Whole lines only: the head up to its last line end, the tail from its first.
    if (auto nl = head.rfind('\n'); nl != std::string::npos) head.resize(nl + 1);
    else head.push_back('\n');
    if (auto nl = tail.find('\n'); nl != std::string_view::npos && nl + 1 < tail.size()) tail.remove_prefix(nl + 1);
    head += kGap;
    head.append(tail);
    return head;
}

std::string clip_log(const std::string &text) {
    // A window read_log_window already cut (head, marker line, tail) is left alone.
    if (text.size() <= kLogHead + kLogTail + sizeof kGap) return text;
    return join_window(text.substr(0, kLogHead), std::string_view(text).substr(text.size() - kLogTail));
}

std::string read_log_window(std::istream &in) {
    std::string head(kLogHead + kLogTail, '\0');
    in.read(head.data(), std::streamsize(head.size()));
    head.resize(std::size_t(in.gcount()));
    if (head.size() < kLogHead + kLogTail || in.peek() == std::char_traits<char>::eof()) return head;
    std::string tail = head.substr(kLogHead);
    head.resize(kLogHead);
    in.clear();
    auto here = in.tellg();
    in.seekg(0, std::ios::end);
    auto end = in.tellg();
    if (here != std::streampos(-1) && end != std::streampos(-1) && end > here) {
        // A file: jump to its last kLogTail bytes.
        in.seekg(end - std::streamoff(kLogTail));
        tail.assign(kLogTail, '\0');
        in.read(tail.data(), std::streamsize(kLogTail));
        tail.resize(std::size_t(in.gcount()));
    } else {
        // A pipe: read through, keeping the last kLogTail bytes.
        in.clear();
        std::string chunk(std::size_t(1) << 20, '\0');
        while (in.read(chunk.data(), std::streamsize(chunk.size())) || in.gcount() > 0) {
            tail.append(chunk.data(), std::size_t(in.gcount()));
            if (tail.size() > 2 * kLogTail) tail.erase(0, tail.size() - kLogTail);
        }
        if (tail.size() > kLogTail) tail.erase(0, tail.size() - kLogTail);
    }
    return join_window(std::move(head), tail);
}

std::vector<Match> RuleBook::match(const std::string &text, const Facts &facts, int top, MatchMode mode) const {
    json::value how = mode == MatchMode::patterns_only         ? json::value("patterns")
                      : mode == MatchMode::patterns_then_hints ? json::value("rules")
                      : mode == MatchMode::hints_only  ? json::value("keywords")
                      : mode == MatchMode::words_only  ? json::value("words")
                                                       : json::value(nullptr);
    auto result = matcher_.call({json::string(clip_log(text)), facts.to_json(), top > 0 ? json::value(top) : json::value(nullptr), how},
                                "lib/rules.lua: match");
    std::vector<Match> out;
    auto data = result.to_json();
    if (data.is_array())
        for (const auto &v : data.as_array())
            if (v.is_object()) out.push_back(match_from_json(v.as_object()));
    return out;
}

}  // namespace gpuhost::recover
