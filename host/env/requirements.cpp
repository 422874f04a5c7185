#include "requirements.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <stdexcept>

namespace fs = std::filesystem;

namespace gpuhost::env {

std::string normalize_name(const std::string &name) {
    std::string out;
    for (char c : name) {
        if (c == '-' || c == '_' || c == '.') {
            if (!out.empty() && out.back() != '-') out += '-';
        } else {
            out += char(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

static std::string trim(const std::string &s) {
    size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

Requirement parse_requirement(const std::string &spec) {
    Requirement r;
    r.spec = spec;
    std::string text = spec;
    if (auto semi = text.find(';'); semi != std::string::npos) {
        r.has_marker = true;
        text = text.substr(0, semi);
    }
    text = trim(text);
    size_t i = 0;
    while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '-' ||
                               text[i] == '_' || text[i] == '.'))
        ++i;
    if (i == 0) throw std::invalid_argument("not a requirement: \"" + spec + "\"");
    r.name = normalize_name(text.substr(0, i));
    std::string rest = trim(text.substr(i));
    if (!rest.empty() && rest[0] == '[') {  // extras do not change the version check
        auto close = rest.find(']');
        if (close == std::string::npos) throw std::invalid_argument("unclosed extras in \"" + spec + "\"");
        rest = trim(rest.substr(close + 1));
    }
    if (!rest.empty() && rest[0] == '@') {
        r.has_url = true;
        return r;
    }
    if (!rest.empty() && rest[0] == '(' && rest.back() == ')') rest = rest.substr(1, rest.size() - 2);
    size_t start = 0;
    while (start < rest.size()) {
        size_t comma = rest.find(',', start);
        std::string clause = trim(rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        start = comma == std::string::npos ? rest.size() : comma + 1;
        if (clause.empty()) continue;
        static const char *ops[] = {"===", "~=", "==", "!=", "<=", ">=", "<", ">"};
        bool found = false;
        for (const char *op : ops) {
            std::string o(op);
            if (clause.compare(0, o.size(), o) == 0) {
                std::string v = trim(clause.substr(o.size()));
                if (v.empty()) throw std::invalid_argument("no version after " + o + " in \"" + spec + "\"");
                r.clauses.emplace_back(o, v);
                found = true;
                break;
            }
        }
        if (!found) throw std::invalid_argument("cannot read \"" + clause + "\" in \"" + spec + "\"");
    }
    return r;
}

std::string local_label(const std::string &version) {
    auto plus = version.find('+');
    return plus == std::string::npos ? std::string() : version.substr(plus + 1);
}

namespace {

// A version as (epoch, release numbers, pre-release rank and number, post, dev).
struct Parsed {
    long epoch = 0;
    std::vector<long> release;
    int pre_rank = 3;  // 0 a, 1 b, 2 rc, 3 final
    long pre_num = 0;
    long post = -1;
    long dev = -1;     // dev sorts before everything else of the same release
    std::string local;
    bool ok = true;
};

Parsed parse_version(std::string v) {
    Parsed p;
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (!v.empty() && v[0] == 'v') v.erase(0, 1);
    p.local = local_label(v);
    if (auto plus = v.find('+'); plus != std::string::npos) v.resize(plus);
    // A digit run too long for a long (or an epoch that is no number) makes the
    // version unparsable, so comparisons with it are "unsure", never a throw.
    auto to_long = [&](size_t b, size_t e, long &out) {
        auto [end, ec] = std::from_chars(v.data() + b, v.data() + e, out);
        // from_chars leaves `out` as it was on overflow: 0, never an unset value
        // that comparisons then read (found by tests/fuzz).
        if (b == e || ec != std::errc() || end != v.data() + e) p.ok = false, out = 0;
    };
    if (auto bang = v.find('!'); bang != std::string::npos) {
        to_long(0, bang, p.epoch);
        v.erase(0, bang + 1);
    }
    size_t i = 0;
    auto number = [&](long &out) {
        size_t b = i;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
        if (b == i) return false;
        to_long(b, i, out);
        return true;
    };
    long n = 0;
    if (!number(n)) {
        p.ok = false;
        return p;
    }
    p.release.push_back(n);
    while (i + 1 < v.size() && v[i] == '.' && std::isdigit(static_cast<unsigned char>(v[i + 1]))) {
        ++i;
        number(n);
        p.release.push_back(n);
    }
    auto skip_sep = [&] {
        if (i < v.size() && (v[i] == '.' || v[i] == '-' || v[i] == '_')) ++i;
    };
    auto word = [&](const char *w) {
        std::string s(w);
        if (v.compare(i, s.size(), s) == 0) {
            i += s.size();
            return true;
        }
        return false;
    };
    size_t save = i;
    skip_sep();
    if (word("rc") || word("c")) p.pre_rank = 2;
    else if (word("alpha") || word("a")) p.pre_rank = 0;
    else if (word("beta") || word("b")) p.pre_rank = 1;
    else if (word("pre") || word("preview")) p.pre_rank = 2;
    else i = save;
    if (p.pre_rank < 3) {
        skip_sep();
        long num = 0;
        number(num);
        p.pre_num = num;
    }
    save = i;
    skip_sep();
    if (word("post") || word("rev") || word("r")) {
        skip_sep();
        long num = 0;
        number(num);
        p.post = num;
    } else {
        i = save;
    }
    save = i;
    skip_sep();
    if (word("dev")) {
        long num = 0;
        number(num);
        p.dev = num;
    } else {
        i = save;
    }
    if (i != v.size()) p.ok = false;
    return p;
}

int cmp(long a, long b) { return a < b ? -1 : a > b ? 1 : 0; }

int compare_parsed(const Parsed &a, const Parsed &b, bool with_local) {
    if (int c = cmp(a.epoch, b.epoch)) return c;
    size_t n = std::max(a.release.size(), b.release.size());
    for (size_t k = 0; k < n; ++k) {
        long x = k < a.release.size() ? a.release[k] : 0, y = k < b.release.size() ? b.release[k] : 0;
        if (int c = cmp(x, y)) return c;
    }
    // A dev release with no pre/post sorts before that release's pre-releases.
    auto pre_key = [](const Parsed &p) { return (p.pre_rank == 3 && p.post < 0 && p.dev >= 0) ? -1 : p.pre_rank; };
    if (int c = cmp(pre_key(a), pre_key(b))) return c;
    if (int c = cmp(a.pre_num, b.pre_num)) return c;
    if (int c = cmp(a.post, b.post)) return c;
    long da = a.dev < 0 ? std::numeric_limits<long>::max() : a.dev;
    long db = b.dev < 0 ? std::numeric_limits<long>::max() : b.dev;
    if (int c = cmp(da, db)) return c;
    if (with_local && a.local != b.local) return a.local < b.local ? -1 : 1;
    return 0;
}

bool prefix_match(const Parsed &installed, const std::string &pattern) {  // "==2.7.*"
    Parsed want = parse_version(pattern.substr(0, pattern.size() - 2));
    if (!want.ok || installed.epoch != want.epoch) return false;
    for (size_t k = 0; k < want.release.size(); ++k)
        if ((k < installed.release.size() ? installed.release[k] : 0) != want.release[k]) return false;
    return true;
}

}  // namespace

int compare_versions(const std::string &a, const std::string &b) {
    Parsed pa = parse_version(a), pb = parse_version(b);
    bool local = !pa.local.empty() && !pb.local.empty();
    return compare_parsed(pa, pb, local);
}

Satisfied satisfies(const std::string &installed_version, const Requirement &req) {
    if (req.has_url) return Satisfied::unsure;
    Parsed have = parse_version(installed_version);
    if (!have.ok) return Satisfied::unsure;
    for (const auto &[op, want_text] : req.clauses) {
        bool wildcard = want_text.size() > 2 && want_text.compare(want_text.size() - 2, 2, ".*") == 0;
        if (wildcard) {
            if (op != "==" && op != "!=") return Satisfied::unsure;
            if (prefix_match(have, want_text) != (op == "==")) return Satisfied::no;
            continue;
        }
        if (op == "===") {
            if (installed_version != want_text) return Satisfied::no;
            continue;
        }
        Parsed want = parse_version(want_text);
        if (!want.ok) return Satisfied::unsure;
        // PEP 440: a specifier without a local label ignores the candidate's.
        int c = compare_parsed(have, want, !want.local.empty());
        bool ok = true;
        if (op == "==") ok = c == 0;
        else if (op == "!=") ok = c != 0;
        else if (op == "<=") ok = c <= 0;
        else if (op == ">=") ok = c >= 0;
        else if (op == "<") ok = c < 0;
        else if (op == ">") ok = c > 0;
        else if (op == "~=") {  // ~=X.Y.Z means >=X.Y.Z, ==X.Y.*
            if (want.release.size() < 2) return Satisfied::unsure;
            ok = c >= 0;
            for (size_t k = 0; ok && k + 1 < want.release.size(); ++k)
                ok = (k < have.release.size() ? have.release[k] : 0) == want.release[k];
        }
        if (!ok) return Satisfied::no;
    }
    // Pre-releases are not picked unless asked for: an installed one satisfies only when the
    // spec names a pre-release itself.
    if ((have.pre_rank < 3 || have.dev >= 0) && !req.clauses.empty()) {
        bool asked = false;
        for (const auto &cl : req.clauses) {
            Parsed w = parse_version(cl.second);
            asked = asked || w.pre_rank < 3 || w.dev >= 0;
        }
        if (!asked) return Satisfied::unsure;
    }
    return Satisfied::yes;
}

std::map<std::string, InstalledDist> scan_installed_dists(const fs::path &site_packages) {
    std::map<std::string, InstalledDist> out;
    std::error_code ec;
    for (fs::directory_iterator it(site_packages, ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        std::string stem;
        for (const char *suffix : {".dist-info", ".egg-info"}) {
            std::string s(suffix);
            if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
                stem = name.substr(0, name.size() - s.size());
        }
        auto dash = stem.find('-');
        if (dash == std::string::npos) continue;
        std::string version = stem.substr(dash + 1);
        if (auto py = version.find("-py"); py != std::string::npos) version.resize(py);  // egg-info
        out[normalize_name(stem.substr(0, dash))] = {version, it->path()};
    }
    return out;
}

std::map<std::string, std::string> versions_of(const std::map<std::string, InstalledDist> &dists) {
    std::map<std::string, std::string> out;
    for (const auto &[name, dist] : dists) out[name] = dist.version;
    return out;
}

std::map<std::string, std::string> scan_installed(const fs::path &site_packages) {
    return versions_of(scan_installed_dists(site_packages));
}

std::vector<PackageCheck> check_packages(const std::vector<std::string> &specs,
                                         const std::map<std::string, std::string> &installed) {
    std::vector<PackageCheck> out;
    for (const auto &spec : specs) {
        PackageCheck pc;
        pc.spec = spec;
        Requirement req = parse_requirement(spec);
        pc.name = req.name;
        auto it = installed.find(req.name);
        if (it == installed.end()) {
            pc.status = Satisfied::no;
            pc.why = "not installed";
        } else {
            pc.installed = it->second;
            pc.status = satisfies(it->second, req);
            if (pc.status == Satisfied::no) pc.why = it->second + " does not satisfy \"" + spec + "\"";
            if (pc.status == Satisfied::unsure) pc.why = it->second + ": cannot judge \"" + spec + "\" without pip";
        }
        if (pc.status == Satisfied::yes && req.has_marker) {
            // Installed and matching; the marker only matters when it is not installed.
        } else if (pc.status == Satisfied::no && req.has_marker) {
            pc.status = Satisfied::unsure;
            pc.why += " (has an environment marker gpuhost does not evaluate)";
        }
        out.push_back(std::move(pc));
    }
    return out;
}

}  // namespace gpuhost::env
