// How well the recovery rules name the failure in real error texts
// (tests/data/errors): top-1 on the development part the rules were written
// against, and on the held-out part they never saw (the split is a hash of
// each source URL, tests/rules/corpus.hpp). Prints figures; asserts nothing.
//   build/bin/rules_quality [scripts-dir] [errors-dir]
#include "../tests/rules/corpus.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>

using namespace gpuhost;
namespace fs = std::filesystem;

int main(int argc, char **argv) {
    fs::path scripts = argc > 1 ? argv[1] : fs::path(GPUHOST_SOURCE_DIR) / "scripts";
    fs::path errors = argc > 2 ? argv[2] : fs::path(GPUHOST_SOURCE_DIR) / "tests/data/errors";
    lua::Engine engine{lua::ScriptPath({scripts})};
    recover::RuleBook rules(engine);
    for (const auto &p : rules.problems()) std::cerr << "rule problem: " << p << "\n";
    auto all = corpus::load(errors);
    std::set<std::string> urls, ids;
    for (const auto &s : all) {
        urls.insert(s.url);
        ids.insert(s.rule);
    }
    auto start = std::chrono::steady_clock::now();
    auto dev = corpus::score(rules, errors, all, false);
    auto held = corpus::score(rules, errors, all, true);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    auto line = [](const char *name, const corpus::Score &s) {
        std::printf("%-12s %4zu texts  top-1 %4zu (%5.1f%%)  tied %zu  another rule first %zu  unmatched %zu"
                    "  (by keywords only: %zu, %zu right)\n",
                    name, s.total, s.top1, s.percent(), s.ties, s.wrong, s.unmatched, s.by_keywords, s.by_keywords_right);
    };
    std::printf("rules loaded: %zu; texts: %zu from %zu sources, for %zu rules\n", rules.size(), all.size(),
                urls.size(), ids.size());
    line("development", dev);
    line("held-out", held);
    std::printf("target (held-out): top-1 >= 95%%, none unmatched\n");
    // The hints alone, as if no pattern had matched: how good the fallback's
    // guesses are, measured on the development part only (hints are tuned there).
    auto hints = corpus::score(rules, errors, all, false, recover::MatchMode::hints_only);
    std::printf("hints alone, development: top-1 %zu/%zu (%.1f%%), another rule first %zu, unmatched %zu\n", hints.top1,
                hints.total, hints.percent(), hints.wrong + hints.ties, hints.unmatched);
    std::printf("matching all %zu texts: %.0f ms (%.2f ms a text)\n", all.size(), ms, all.empty() ? 0.0 : ms / double(all.size()));
    for (const auto &m : dev.misses) std::printf("  development miss: %s\n", m.c_str());
    for (const auto &m : held.misses) std::printf("  held-out miss:    %s\n", m.c_str());
    for (const auto &m : hints.misses) std::printf("  hints-alone development miss: %s\n", m.c_str());
    return 0;
}
