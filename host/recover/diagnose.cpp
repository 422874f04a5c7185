#include "diagnose.hpp"

#include "../lua/vendors.hpp"

namespace json = boost::json;

namespace gpuhost::recover {

std::string Diagnosis::summary() const {
    if (matches.empty()) return "no recovery rule matches this failure; read the log";
    if (!matched())
        return "no recovery rule matches this failure; its words are most like " + matches.front().id +
               "'s known failures (a weak guess)";
    return "[" + matches.front().id + "] " + matches.front().shown_diagnosis();
}

json::object Diagnosis::to_json() const {
    json::array list;
    for (const auto &m : matches) list.push_back(m.to_json());
    json::array probs;
    for (const auto &p : problems) probs.emplace_back(p);
    json::object o{{"matched", matched()}, {"summary", summary()}, {"matches", std::move(list)}};
    o["fix"] = fix ? json::value(fix->to_json()) : json::value(nullptr);
    o["apply"] = apply;
    if (!why_not_applied.empty()) o["why_not_applied"] = why_not_applied;
    o["problems"] = std::move(probs);
    return o;
}

Diagnosis diagnose(const RuleBook &rules, const std::string &text, const Facts &facts, const DiagnoseOptions &options) {
    Diagnosis d;
    d.problems = rules.problems();
    // Ask for one more than kept, to see whether the best one wins clearly.
    auto all = rules.match(text, facts, options.top > 0 ? options.top + 1 : 0);
    bool clear_winner = all.size() < 2 || all[0].score > all[1].score;
    if (options.top > 0 && int(all.size()) > options.top) all.resize(options.top);
    d.matches = std::move(all);
    // A guess by words carries no fix: too weak even to propose one.
    if (!d.matched() || !d.matches.front().fix) return d;
    const Match &best = d.matches.front();
    d.fix = best.fix;
    if (!options.auto_fix) d.why_not_applied = "auto_fix is off";
    else if (best.by_keywords) d.why_not_applied = "no rule's patterns matched; this rule is a guess from its keywords";
    else if (!best.conditions_met) d.why_not_applied = "the rule's conditions do not hold on this machine";
    else if (!d.fix->ready) d.why_not_applied = "the fix needs facts that are unknown: " + d.fix->describe();
    else if (!clear_winner) d.why_not_applied = "another rule scores the same; not sure enough to change anything";
    else d.apply = true;
    return d;
}

Diagnosis diagnose(const std::string &text, const Facts &facts, const DiagnoseOptions &options) {
    lua::Engine engine(options.scripts ? *options.scripts : lua::ScriptPath::standard());
    // The installed scripts' view also gets the vendor folders' rules; a test's own
    // script folder stands alone.
    if (!options.scripts) lua::load_vendor_scripts(engine);
    RuleBook rules(engine);
    return diagnose(rules, text, facts, options);
}

Diagnosis diagnose(const std::string &text, const Facts &facts) { return diagnose(text, facts, DiagnoseOptions{}); }

}  // namespace gpuhost::recover
