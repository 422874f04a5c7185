// Python interpreters a gpuhost environment can be made from: python3* and
// python on PATH, and pyenv's versions.
#include "doctor.hpp"

#include "../core/paths.hpp"

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gpuhost::doctor {

static std::vector<fs::path> find_interpreters() {
    std::vector<fs::path> found;
    std::set<fs::path> seen;  // canonical paths: python3 -> python3.11 is one interpreter
    auto consider = [&](const fs::path &p) {
        std::error_code ec;
        if (!fs::is_regular_file(p, ec) || ::access(p.c_str(), X_OK) != 0) return;
        auto real = fs::canonical(p, ec);
        if (ec || !seen.insert(real).second) return;
        found.push_back(p);
    };
    static const std::regex name(R"(python(3(\.[0-9]+)?)?)");
    if (const char *path = std::getenv("PATH")) {
        std::stringstream dirs(path);
        for (std::string dir; std::getline(dirs, dir, ':');) {
            // Never the current directory; pyenv/asdf shims are wrappers, their real
            // interpreters are listed from ~/.pyenv/versions below.
            if (dir.empty() || fs::path(dir).filename() == "shims") continue;
            std::error_code ec;
            std::vector<fs::path> names;
            for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
                if (std::regex_match(it->path().filename().string(), name)) names.push_back(it->path());
            std::sort(names.begin(), names.end());
            for (const auto &p : names) consider(p);
        }
    }
    const char *pyenv_root = std::getenv("PYENV_ROOT");
    fs::path versions = (pyenv_root && *pyenv_root ? fs::path(pyenv_root) : paths::home() / ".pyenv") / "versions";
    std::error_code ec;
    std::vector<fs::path> pyenv;
    for (fs::directory_iterator it(versions, ec), end; !ec && it != end; it.increment(ec))
        pyenv.push_back(it->path() / "bin" / "python");
    std::sort(pyenv.begin(), pyenv.end());
    for (const auto &p : pyenv) consider(p);
    return found;
}

// "Python 3.11.2" -> {3, 11}
static std::pair<int, int> parse_version(const std::string &text, std::string &full) {
    static const std::regex v(R"(Python ([0-9]+)\.([0-9]+)(\.[0-9]+\S*)?)");
    std::smatch m;
    if (!std::regex_search(text, m, v)) return {0, 0};
    full = m[1].str() + "." + m[2].str() + m[3].str();
    return {std::stoi(m[1].str()), std::stoi(m[2].str())};
}

void check_python(const Context &ctx, Report &report) {
    if (!ctx.live()) {
        report.skipped.push_back("python: the interpreters on PATH and in ~/.pyenv are this machine's, not the recording's");
        return;
    }
    int usable = 0;
    boost::json::array list;
    std::string first_python3;
    for (const auto &p : find_interpreters()) {
        // Python 2 prints --version on stderr; this prints on stdout in both.
        auto out = ctx.tools.run({p.string(), "-c", "import sys; print('Python %d.%d.%d' % sys.version_info[:3])"});
        std::string full;
        auto [major, minor] = parse_version(out.output, full);
        if (major == 0) {
            report.add("python", Severity::warning, p.string() + " does not run (" + out.output.substr(0, 80) + ")",
                       "remove or repair it; a broken interpreter early on PATH breaks environments made from it",
                       "venv_broken_python");
            continue;
        }
        bool ok = major == 3 && minor >= 9;
        usable += ok;
        if (first_python3.empty() && major == 3) first_python3 = p.string();
        auto &f = report.add("python", Severity::info, "Python " + full + " at " + p.string() +
                                                           (ok ? "" : " (too old for current ML wheels)"));
        f.details["path"] = p.string();
        f.details["version"] = full;
        list.emplace_back(p.string());
    }
    if (list.empty()) {
        report.add("python", Severity::error, "no Python interpreter on PATH or in ~/.pyenv",
                   "install one: sudo apt install python3 python3-venv (or pyenv install 3.12)");
        return;
    }
    if (usable == 0)
        report.add("python", Severity::error,
                   "no Python 3.9 or newer: current PyTorch, JAX and CuPy wheels need it (PyTorch 2.9 needs 3.10)",
                   "install a newer Python: pyenv install 3.12, or your distribution's python3.12", "python_version_unsupported");
    // Debian and Ubuntu ship venv without ensurepip unless python3-venv is installed.
    if (!first_python3.empty()) {
        auto ensure = ctx.tools.run({first_python3, "-c", "import venv, ensurepip"});
        if (ensure.exit_code != 0)
            report.add("python", Severity::warning,
                       first_python3 + " cannot create environments with pip (ensurepip is missing)",
                       "sudo apt install python3-venv (Debian/Ubuntu), or let gpuhost use uv (pip install --user uv)",
                       "venv_broken_python");
    }
}

}  // namespace gpuhost::doctor
