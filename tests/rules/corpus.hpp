// The corpus of real error texts (tests/data/errors) and how the rules score
// on it, shared by the rules test and bench/rules_quality.
//
// Each text is tests/data/errors/<rule_id>--<n>.txt, cited in SOURCES.tsv:
//   file <TAB> url <TAB> title <TAB> verbatim|trimmed [<TAB> facts]
// facts (optional): what was known about the machine the text came from, as
// space-separated KEY=VALUE (backend=rocm wsl=true os=macos gfx=gfx1030 compute_capability=6.1).
//
// The split: a text is held out when the 64-bit FNV-1a hash of its source URL
// is divisible by 3 (about a third). It depends on the URL alone, so nobody
// chooses which texts are held out, and texts from one thread stay together.
// Rules are written against the development part only; the held-out part is
// only measured (tests/data/errors/README.md).
#pragma once
#include "recover/rule_book.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace gpuhost::corpus {

inline std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

inline bool held_out(std::string_view url) { return fnv1a(url) % 3 == 0; }

struct Sample {
    std::string file;   // cuda_out_of_memory--1.txt
    std::string rule;   // cuda_out_of_memory
    std::string url;
    std::string facts;  // "backend=rocm wsl=true", may be empty
    bool held_out = false;
};

inline std::string slurp(const std::filesystem::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The TAB-separated columns of one line of SOURCES.tsv or EMITTERS.tsv.
inline std::vector<std::string> tab_columns(const std::string &line) {
    std::vector<std::string> cols;
    std::size_t at = 0;
    for (std::size_t tab; (tab = line.find('\t', at)) != std::string::npos; at = tab + 1)
        cols.push_back(line.substr(at, tab - at));
    cols.push_back(line.substr(at));
    return cols;
}

// Every cited text in dir/SOURCES.tsv whose file exists, in the file's order.
inline std::vector<Sample> load(const std::filesystem::path &dir) {
    std::vector<Sample> out;
    std::istringstream tsv(slurp(dir / "SOURCES.tsv"));
    for (std::string line; std::getline(tsv, line);) {
        auto cols = tab_columns(line);
        if (cols.size() < 4 || (cols[1].rfind("https://", 0) != 0 && cols[1].rfind("http://", 0) != 0)) continue;
        auto cut = cols[0].find("--");
        if (cut == std::string::npos || !std::filesystem::exists(dir / cols[0])) continue;
        Sample s{cols[0], cols[0].substr(0, cut), cols[1], cols.size() > 4 ? cols[4] : "", held_out(cols[1])};
        out.push_back(std::move(s));
    }
    return out;
}

// "backend=rocm wsl=true gfx=gfx1031" as the matcher's facts; unknown keys are skipped.
inline recover::Facts facts_from(const std::string &text) {
    recover::Facts f;
    std::istringstream in(text);
    for (std::string kv; in >> kv;) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) continue;
        auto k = kv.substr(0, eq), v = kv.substr(eq + 1);
        if (k == "backend") f.backend = v;
        else if (k == "os") f.os = v;
        else if (k == "wsl") f.wsl = v == "true";
        else if (k == "container") f.container = v == "true";
        else if (k == "secure_boot") f.secure_boot = v == "true";
        else if (k == "slurm") f.slurm = v == "true";
        else if (k == "gfx") f.gfx = v;
        else if (k == "compute_capability") f.compute_capability = v;
        else if (k == "driver_version") f.driver_version = v;
    }
    return f;
}

inline recover::Facts facts_of(const Sample &s) { return facts_from(s.facts); }

// One row of dir/EMITTERS.tsv: a program's own message for a failure.
struct Emitted {
    std::string rule, text, facts, source;
};

// Every row of dir/EMITTERS.tsv (rule, text, facts, source); a malformed row
// is returned with an empty source for the caller to report.
inline std::vector<Emitted> load_emitters(const std::filesystem::path &dir) {
    std::vector<Emitted> out;
    std::istringstream tsv(slurp(dir / "EMITTERS.tsv"));
    for (std::string line; std::getline(tsv, line);) {
        if (line.empty() || line[0] == '#') continue;
        auto cols = tab_columns(line);
        if (cols.size() != 4) {
            out.push_back({"", line, "", ""});
            continue;
        }
        out.push_back({cols[0], cols[1], cols[2], cols[3]});
    }
    return out;
}

// What lib/word_guess.lua learns its word weights from: the development texts
// and the emitters' messages, never a held-out text. A JSON array of
// {"rule", "text"} in file order, for the learner.
inline boost::json::array learning_samples(const std::filesystem::path &dir, const std::vector<Sample> &samples) {
    boost::json::array out;
    for (const auto &s : samples)
        if (!s.held_out) out.push_back(boost::json::object{{"rule", s.rule}, {"text", slurp(dir / s.file)}});
    for (const auto &e : load_emitters(dir))
        if (!e.source.empty()) out.push_back(boost::json::object{{"rule", e.rule}, {"text", e.text}});
    return out;
}

struct Score {
    std::size_t total = 0, top1 = 0, ties = 0, wrong = 0, unmatched = 0;
    std::size_t by_keywords = 0, by_keywords_right = 0;  // answered by hints alone, and how many rightly
    std::size_t by_words = 0, by_words_right = 0;        // of those, answered by the learned words
    std::vector<std::string> misses;  // "file -> rule (score)" for every text not ranked first alone
    double percent() const { return total ? 100.0 * double(top1) / double(total) : 0.0; }
};

// Top-1: the text's own rule first with a score above the runner-up.
inline Score score(const recover::RuleBook &rules, const std::filesystem::path &dir, const std::vector<Sample> &samples,
                   bool held, recover::MatchMode mode = recover::MatchMode::patterns_then_hints) {
    Score sc;
    for (const auto &s : samples) {
        if (s.held_out != held) continue;
        ++sc.total;
        auto ms = rules.match(slurp(dir / s.file), facts_of(s), 2, mode);
        if (ms.empty()) {
            ++sc.unmatched;
            sc.misses.push_back(s.file + " -> nothing");
            continue;
        }
        bool clear = ms.size() < 2 || ms[0].score > ms[1].score;
        if (ms[0].by_keywords) {
            ++sc.by_keywords;
            if (ms[0].id == s.rule && clear) ++sc.by_keywords_right;
        }
        if (ms[0].by_words) {
            ++sc.by_words;
            if (ms[0].id == s.rule && clear) ++sc.by_words_right;
        }
        if (ms[0].id == s.rule && clear) {
            ++sc.top1;
            continue;
        }
        if (ms[0].id == s.rule) ++sc.ties;
        else ++sc.wrong;
        std::ostringstream why;
        why << s.file << " -> " << ms[0].id << " (" << ms[0].score << ")";
        if (ms.size() > 1) why << ", then " << ms[1].id << " (" << ms[1].score << ")";
        sc.misses.push_back(why.str());
    }
    return sc;
}

}  // namespace gpuhost::corpus
