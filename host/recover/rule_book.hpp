// The recovery rules (scripts/rules/*.lua) loaded into a sandboxed Lua engine
// and ranked by scripts/lib/rules.lua, so ranking changes ship without a
// rebuild. The patterns are RE2 expressions that gpuhost.regex_scan (C++,
// lua/regex_module.cpp) reads over the log in one linear pass, line by line;
// a huge log is read only at its start and end (read_log_window), so time and
// memory are bounded whatever the log (bench/explain_bench.sh).
#pragma once
#include "../lua/engine.hpp"
#include "facts.hpp"

#include <boost/json.hpp>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::recover {

// A rule's fix with placeholders filled. action: reinstall (args.accelerator:
// a tag such as "cu118", or "older" meaning the next older build than
// facts.accelerator), set_env (args.name, args.value: set in the environment's
// activation), purge_pip_cache, recreate_env, switch_cpu.
struct Fix {
    std::string action;
    boost::json::object args;       // every other field of the rule's fix
    bool ready = true;              // false: a placeholder had no fact; do not apply
    std::vector<std::string> missing;
    std::string describe() const;   // "set HSA_OVERRIDE_GFX_VERSION=10.3.0"
    boost::json::object to_json() const;
};

// One pattern of a rule and the first line of the log where it matched.
struct Evidence {
    std::string pattern;
    std::size_t line = 0;           // 1-based, counted in the text matched (see read_log_window)
    std::string text;               // that line, cut to 300 bytes
    bool required = false;          // an `all` pattern (needed) rather than an `any` one (scored)
};

struct Match {
    std::string id;
    std::string file;               // the rule module ("rules.amd")
    double score = 0;               // matching `any` patterns x confidence (x penalty when a condition fails)
    double confidence = 0;
    std::string severity;           // info | warning | error | critical
    std::string diagnosis;
    std::vector<std::string> steps;
    std::vector<std::string> matched;            // the patterns found
    std::vector<Evidence> why;                   // where each pattern found matched, by line
    std::vector<Evidence> facts_from_log;        // facts read from the log: pattern = "wsl=true", its line
    bool conditions_met = true;
    // Ranked by the rule's hints (keywords of its failure family) because no
    // rule's patterns matched: a guess to show, never a fix to apply.
    bool by_keywords = false;
    // Of those guesses, the weaker kind: not even a hint matched, and the rule
    // ranked by the words its known failures share with the log (lib/word_guess.lua).
    bool by_words = false;
    std::vector<std::string> failed_conditions;  // "backend is cuda, the rule is for rocm"
    std::vector<std::string> unfilled;           // placeholders without a fact, shown as <name>
    std::optional<Fix> fix;
    boost::json::object to_json() const;
    // The diagnosis as a person should read it: marked when it is a guess.
    std::string shown_diagnosis() const {
        if (by_words) return "(a guess from words its known failures share with this log) " + diagnosis;
        return by_keywords ? "(a guess from its keywords) " + diagnosis : diagnosis;
    }
};

// How RuleBook::match ranks: by patterns, by hints only when no pattern of
// any rule matched, and by the learned words only when no hint matched either
// (all_tiers: what gpuhost does); or by the rules alone (patterns, then hints),
// or by one tier alone, which the quality bench and tests use to measure each.
enum class MatchMode { all_tiers, patterns_then_hints, patterns_only, hints_only, words_only };

class RuleBook {
public:
    // Loads lib/rules.lua and every rules/*.lua on the engine's script path. A
    // rule file that fails to load, or a rule that is malformed, is left out
    // and listed in problems() with its file; the others still work. Throws
    // lua::ScriptError when lib/rules.lua itself is missing or broken. The
    // rules live in the engine: keep it alive as long as this RuleBook.
    explicit RuleBook(lua::Engine &engine);

    const std::vector<std::string> &problems() const { return problems_; }
    std::size_t size() const { return size_; }
    std::vector<std::string> files() const { return files_; }

    // Best first; top = 0 means all matches. A log over 2 MiB is matched on its
    // first 256 KiB and last 1.75 MiB, cut at line ends (clip_log).
    std::vector<Match> match(const std::string &text, const Facts &facts, int top = 0,
                             MatchMode mode = MatchMode::all_tiers) const;

private:
    lua::Ref matcher_;
    std::vector<std::string> problems_;
    std::vector<std::string> files_;
    std::size_t size_ = 0;
};

Match match_from_json(const boost::json::object &o);
// The start and end of a log over kLogHead + kLogTail bytes, cut at line ends,
// with a marker line between them; shorter logs unchanged.
constexpr std::size_t kLogHead = std::size_t(256) << 10, kLogTail = std::size_t(1792) << 10;
std::string clip_log(const std::string &text);
// The same window read from a stream without holding the whole log: a regular
// file is read at its start and end only (seek); a pipe is read through,
// keeping the start and a rolling end.
std::string read_log_window(std::istream &in);

}  // namespace gpuhost::recover
