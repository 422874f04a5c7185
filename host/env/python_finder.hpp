// Finds the Python interpreters on this machine and picks one whose version
// fits a plan's range. Versions come from running each interpreter, never
// from its file name (pyenv shims and python3 links lie about that).
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace gpuhost::env {

struct Interpreter {
    std::string path;        // what was run
    std::string executable;  // sys.executable as it reports it
    std::string version;     // "3.11.7"
    int major = 0, minor = 0;
};

// Candidate paths: python3.X and python3 on PATH, then ~/.pyenv/versions/*/bin/python.
std::vector<std::string> candidate_interpreters();
// Runs each candidate once; the ones that answer, deduplicated by sys.executable.
std::vector<Interpreter> query_interpreters(const std::vector<std::string> &paths);

// "3.9" <= version <= "3.13" on major.minor; an empty bound is open.
bool in_range(const Interpreter &py, const std::string &min, const std::string &max);

// The newest interpreter in range, or nullopt.
std::optional<Interpreter> pick_interpreter(const std::vector<Interpreter> &found, const std::string &min,
                                            const std::string &max);

}  // namespace gpuhost::env
