// How well the recovery rules name the failure in real error texts
// (tests/data/errors): top-1 on the development part the rules were written
// against, and on the held-out part they never saw (the split is a hash of
// each source URL, tests/rules/corpus.hpp). Prints figures; asserts nothing.
// The held-out misses are named only on request: whoever changes the rules
// should see the figure, never the texts it was measured on.
//   build/bin/rules_quality [--show-held-out] [scripts-dir] [errors-dir]
//   build/bin/rules_quality --learn-words [scripts-dir] [errors-dir]
//   build/bin/rules_quality --cross-validate [scripts-dir] [errors-dir]
#include "../tests/rules/corpus.hpp"
#include "core/files.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <string>
#include <vector>

using namespace gpuhost;
namespace fs = std::filesystem;

static int usage(std::FILE *to) {
    std::fprintf(to, "usage: rules_quality [--show-held-out | --learn-words | --cross-validate] [SCRIPTS_DIR] [ERRORS_DIR]\n"
                     "Ranks every cited error text in ERRORS_DIR (default tests/data/errors) with the rules\n"
                     "under SCRIPTS_DIR (default scripts) and prints top-1 figures for the development and\n"
                     "held-out parts, the rules alone and with the matcher's last resort (the learned words),\n"
                     "each fallback alone, and the development misses.\n"
                     "  --show-held-out  also name the held-out misses (do not look while changing rules)\n"
                     "  --learn-words    learn the word weights (lib/word_guess.lua) from the development texts\n"
                     "                   and EMITTERS.tsv, and write SCRIPTS_DIR/lib/word_weights.lua\n"
                     "  --cross-validate measure the learned words on the development part fairly: each of\n"
                     "                   5 folds (by source URL) with words learned from the others\n");
    return to == stdout ? 0 : 2;
}

// Writes SCRIPTS_DIR/lib/word_weights.lua from the development part (never the held-out one).
static int learn_words(lua::Engine &engine, const fs::path &scripts, const fs::path &errors,
                       const std::vector<corpus::Sample> &all) {
    auto samples = corpus::learning_samples(errors, all);
    auto source = engine.require("lib.word_guess").field("learn").call({samples}, "lib/word_guess.lua: learn").to_json();
    if (!source.is_string()) {
        std::cerr << "rules_quality: lib/word_guess.lua: learn did not return the file's text\n";
        return 1;
    }
    auto file = scripts / "lib" / "word_weights.lua";
    write_file_atomic(file, std::string(source.as_string()));
    std::printf("learned from %zu texts (development and emitters): %s\n", samples.size(), file.string().c_str());
    return 0;
}

// The learned words measured fairly on the development part: it is cut in
// kFolds by source URL; each fold is ranked with weights learned from the
// other folds and the emitters, never from its own texts.
static constexpr std::uint64_t kFolds = 5;

static int cross_validate(lua::Engine &engine, const recover::RuleBook &rules, const fs::path &errors,
                          const std::vector<corpus::Sample> &all) {
    auto module = engine.require("lib.rules");
    auto learner = engine.require("lib.word_guess").field("learn_weights");
    corpus::Score words;
    for (std::uint64_t fold = 0; fold < kFolds; ++fold) {
        std::vector<corpus::Sample> train, test;
        for (auto s : all) {
            if (s.held_out) continue;
            bool in_fold = corpus::fnv1a(s.url) / 3 % kFolds == fold;
            // score() measures the part marked held out: mark this fold so.
            s.held_out = in_fold;
            (in_fold ? test : train).push_back(s);
        }
        auto learned = learner.call({corpus::learning_samples(errors, train)}, "lib/word_guess.lua: learn_weights");
        module.field("use_word_weights").call_refs({learned.field("rules")}, "lib/rules.lua: use_word_weights");
        auto fold_score = corpus::score(rules, errors, test, true, recover::MatchMode::words_only);
        words.total += fold_score.total;
        words.top1 += fold_score.top1;
        words.unmatched += fold_score.unmatched;
    }
    module.field("use_word_weights").call({nullptr}, "lib/rules.lua: use_word_weights");
    std::printf("learned words alone, development, %llu-fold cross-validated (each fold ranked with words learned "
                "from the other folds and the emitters): top-1 %zu/%zu (%.1f%%), unmatched %zu\n",
                static_cast<unsigned long long>(kFolds), words.top1, words.total, words.percent(), words.unmatched);
    return 0;
}

// The texts no pattern matched: how many the hints alone rank first, how many
// the learned words alone would, and how many gpuhost's answer does (the
// hints, near-ties broken by the words; the words where no hint matches). On
// the development part all were shaped by these texts; bench/rules_arrival.sh
// --hints-vs-words measures it on texts as they arrived, with the hints and
// words of before.
struct Fallbacks {
    std::size_t total = 0, hints_right = 0, words_right = 0, answer_right = 0;
};

static Fallbacks fallbacks(const recover::RuleBook &rules, const fs::path &errors,
                           const std::vector<corpus::Sample> &all, bool held) {
    Fallbacks out;
    auto first = [](const std::vector<recover::Match> &ms, const std::string &rule) {
        return !ms.empty() && ms[0].id == rule && (ms.size() < 2 || ms[0].score > ms[1].score);
    };
    for (const auto &s : all) {
        if (s.held_out != held) continue;
        auto text = corpus::slurp(errors / s.file);
        auto facts = corpus::facts_of(s);
        if (!rules.match(text, facts, 1, recover::MatchMode::patterns_only).empty()) continue;
        ++out.total;
        if (first(rules.match(text, facts, 2, recover::MatchMode::hints_only), s.rule)) ++out.hints_right;
        if (first(rules.match(text, facts, 2, recover::MatchMode::words_only), s.rule)) ++out.words_right;
        if (first(rules.match(text, facts, 2, recover::MatchMode::all_tiers), s.rule)) ++out.answer_right;
    }
    return out;
}

int main(int argc, char **argv) {
    bool show_held_out = false, learn = false, cross = false;
    std::vector<fs::path> dirs;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") return usage(stdout);
        if (a == "--show-held-out") show_held_out = true;
        else if (a == "--learn-words") learn = true;
        else if (a == "--cross-validate") cross = true;
        else if (a.rfind("-", 0) == 0) return usage(stderr);
        else dirs.emplace_back(a);
    }
    if (dirs.size() > 2) return usage(stderr);
    fs::path scripts = dirs.size() > 0 ? dirs[0] : fs::path(GPUHOST_SOURCE_DIR) / "scripts";
    fs::path errors = dirs.size() > 1 ? dirs[1] : fs::path(GPUHOST_SOURCE_DIR) / "tests/data/errors";
    lua::Engine engine{lua::ScriptPath({scripts})};
    auto all = corpus::load(errors);
    if (learn) return learn_words(engine, scripts, errors, all);
    recover::RuleBook rules(engine);
    for (const auto &p : rules.problems()) std::cerr << "rule problem: " << p << "\n";
    if (cross) return cross_validate(engine, rules, errors, all);
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
    // What gpuhost itself answers: the rules, then the learned words for a text
    // no pattern or hint matched. On the development part the words were
    // learned from the texts themselves, so only the held-out figure says how
    // well they guess.
    auto full = corpus::score(rules, errors, all, true, recover::MatchMode::all_tiers);
    std::printf("held-out with the learned words as last resort: top-1 %zu/%zu (%.1f%%), another rule first %zu, "
                "unmatched %zu (by words only: %zu, %zu right)\n",
                full.top1, full.total, full.percent(), full.wrong + full.ties, full.unmatched, full.by_words,
                full.by_words_right);
    // The hints alone, as if no pattern had matched: how good the fallback's
    // guesses are, measured on the development part only (hints are tuned there).
    auto hints = corpus::score(rules, errors, all, false, recover::MatchMode::hints_only);
    std::printf("hints alone, development: top-1 %zu/%zu (%.1f%%), another rule first %zu, unmatched %zu\n", hints.top1,
                hints.total, hints.percent(), hints.wrong + hints.ties, hints.unmatched);
    auto words = corpus::score(rules, errors, all, true, recover::MatchMode::words_only);
    std::printf("learned words alone, held-out: top-1 %zu/%zu (%.1f%%), unmatched %zu\n", words.top1, words.total,
                words.percent(), words.unmatched);
    auto versus = fallbacks(rules, errors, all, false);
    std::printf("fallbacks, development texts no pattern matched: %zu; first by the hints alone %zu, by the learned "
                "words alone %zu, by gpuhost's answer %zu\n",
                versus.total, versus.hints_right, versus.words_right, versus.answer_right);
    std::printf("matching all %zu texts: %.0f ms (%.2f ms a text)\n", all.size(), ms, all.empty() ? 0.0 : ms / double(all.size()));
    for (const auto &m : dev.misses) std::printf("  development miss: %s\n", m.c_str());
    if (show_held_out)
        for (const auto &m : held.misses) std::printf("  held-out miss:    %s\n", m.c_str());
    for (const auto &m : hints.misses) std::printf("  hints-alone development miss: %s\n", m.c_str());
    return 0;
}
