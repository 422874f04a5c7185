#include "python_finder.hpp"

#include "../core/paths.hpp"
#include "../core/subprocess.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gpuhost::env {

std::vector<std::string> candidate_interpreters() {
    std::vector<std::string> out;
    std::set<std::string> seen;
    auto add = [&](const fs::path &p) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0 && seen.insert(p.string()).second)
            out.push_back(p.string());
    };
    if (const char *path = std::getenv("PATH")) {
        std::stringstream dirs(path);
        for (std::string dir; std::getline(dirs, dir, ':');) {
            if (dir.empty()) continue;  // never the current directory
            for (int minor = 30; minor >= 6; --minor) add(fs::path(dir) / ("python3." + std::to_string(minor)));
            add(fs::path(dir) / "python3");
        }
    }
    fs::path pyenv = paths::home() / ".pyenv" / "versions";
    if (const char *root = std::getenv("PYENV_ROOT"); root && *root == '/') pyenv = fs::path(root) / "versions";
    std::error_code ec;
    std::vector<fs::path> versions;
    for (fs::directory_iterator it(pyenv, ec), end; !ec && it != end; it.increment(ec)) versions.push_back(it->path());
    std::sort(versions.begin(), versions.end());
    for (const auto &v : versions) add(v / "bin" / "python");
    return out;
}

std::vector<Interpreter> query_interpreters(const std::vector<std::string> &paths) {
    std::vector<Interpreter> out;
    std::set<std::string> seen;
    ProcessOptions options;
    options.timeout = std::chrono::seconds(15);
    for (const auto &p : paths) {
        // Works on every Python from 2.7 on, so an old one answers instead of failing to parse.
        // Inside a virtual environment, the interpreter it was made from (a venv is no base for another).
        auto r = run_process(p,
                             {"-c", "import sys; print('%d.%d.%d' % tuple(sys.version_info[:3])); "
                                    "print(getattr(sys, '_base_executable', sys.executable) "
                                    "if getattr(sys, 'base_prefix', sys.prefix) != sys.prefix else sys.executable)"},
                             options);
        if (!r.ok()) continue;
        std::istringstream lines(r.output);
        Interpreter py;
        py.path = p;
        std::getline(lines, py.version);
        std::getline(lines, py.executable);
        if (std::sscanf(py.version.c_str(), "%d.%d", &py.major, &py.minor) != 2) continue;
        if (py.executable.empty()) py.executable = p;
        if (!seen.insert(py.executable).second) continue;
        out.push_back(py);
    }
    return out;
}

static std::pair<int, int> major_minor(const std::string &v) {
    int a = 0, b = 0;
    std::sscanf(v.c_str(), "%d.%d", &a, &b);
    return {a, b};
}

bool in_range(const Interpreter &py, const std::string &min, const std::string &max) {
    std::pair<int, int> have{py.major, py.minor};
    if (!min.empty() && have < major_minor(min)) return false;
    if (!max.empty() && have > major_minor(max)) return false;
    return true;
}

std::optional<Interpreter> pick_interpreter(const std::vector<Interpreter> &found, const std::string &min,
                                            const std::string &max) {
    std::optional<Interpreter> best;
    for (const auto &py : found) {
        if (!in_range(py, min, max)) continue;
        if (!best || std::pair(py.major, py.minor) > std::pair(best->major, best->minor)) best = py;
    }
    return best;
}

}  // namespace gpuhost::env
