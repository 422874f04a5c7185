// The auto-fix seam for `gpuhost run`: give it the text of a failure and what
// is known about the machine and environment, get the ranked rule matches and
// the best rule's fix as data. The caller applies the fix (reinstall with
// args.accelerator, add args.name=args.value to the environment's activation,
// purge the pip cache, recreate the environment, or switch to the CPU build)
// and retries once, and only when `apply` is true.
#pragma once
#include "../lua/script_path.hpp"
#include "facts.hpp"
#include "rule_book.hpp"

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::recover {

struct DiagnoseOptions {
    // The user allows fixes to be applied (config key `auto_fix`, `run --auto-fix`).
    bool auto_fix = false;
    int top = 5;  // matches kept; 0 keeps all
    // Where rules/ and lib/rules.lua are found; the standard script path when unset.
    std::optional<lua::ScriptPath> scripts;
};

struct Diagnosis {
    std::vector<Match> matches;      // best first
    std::optional<Fix> fix;          // the best match's fix, placeholders filled (none for a guess by words)
    bool apply = false;              // auto_fix on, the fix is ready, the best rule's conditions
                                     // hold and it scores above the runner-up
    std::string why_not_applied;     // empty when apply, or when there is no fix
    std::vector<std::string> problems;  // rule files or rules left out (file: reason)

    // A rule matched: by its patterns, or as a guess by its hints. Matches
    // ranked only by the log's words (by_words) are leads, not a match.
    bool matched() const { return !matches.empty() && !matches.front().by_words; }
    const Match *best() const { return matches.empty() ? nullptr : &matches.front(); }
    // One line for people: "[cuda_driver_too_old] The installed NVIDIA driver is older ..."
    std::string summary() const;
    boost::json::object to_json() const;
};

Diagnosis diagnose(const std::string &text, const Facts &facts);
Diagnosis diagnose(const std::string &text, const Facts &facts, const DiagnoseOptions &options);
// With rules already loaded (explain, tests, many texts).
Diagnosis diagnose(const RuleBook &rules, const std::string &text, const Facts &facts, const DiagnoseOptions &options);

}  // namespace gpuhost::recover
