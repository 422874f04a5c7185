#include "previous_env.hpp"

#include <ctime>
#include <fstream>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;

namespace gpuhost::env {

namespace {

constexpr const char *kComplete = ".complete";
constexpr const char *kRestoring = ".restoring";

void touch(const fs::path &p) {
    std::ofstream f(p);
    if (!f) throw fs::filesystem_error("cannot write", p, std::make_error_code(std::errc::io_error));
}

std::vector<fs::path> entries(const fs::path &dir) {
    std::vector<fs::path> out;
    for (const auto &e : fs::directory_iterator(dir)) out.push_back(e.path());
    return out;
}

// Every entry of the previous folder back into env (a name already back is skipped).
void move_back(const fs::path &env, const fs::path &previous) {
    for (const auto &p : entries(previous)) {
        std::string name = p.filename().string();
        if (name == kComplete || name == kRestoring) continue;
        if (!fs::exists(env / name)) fs::rename(p, env / name);
    }
    fs::remove_all(previous);
}

}  // namespace

bool is_swap_entry(const std::string &name) {
    return name == kPreviousName || name.rfind(kDiscardPrefix, 0) == 0;
}

bool has_previous(const fs::path &env) {
    std::error_code ec;
    return fs::is_directory(env / kPreviousName, ec);
}

bool previous_complete(const fs::path &env) {
    std::error_code ec;
    return fs::exists(env / kPreviousName / kComplete, ec);
}

void set_aside(const fs::path &env, const std::set<std::string> &keep) {
    fs::path previous = env / kPreviousName;
    fs::create_directory(previous);
    try {
        for (const auto &p : entries(env)) {
            std::string name = p.filename().string();
            if (keep.count(name) || is_swap_entry(name)) continue;
            fs::rename(p, previous / name);
        }
        touch(previous / kComplete);  // from here on, what ENV holds is the new environment
    } catch (const fs::filesystem_error &) {
        std::error_code ec;
        for (const auto &p : entries(previous))
            if (p.filename() != kComplete) fs::rename(p, env / p.filename(), ec);
        fs::remove_all(previous, ec);
        throw;
    }
}

bool restore_previous(const fs::path &env, const std::set<std::string> &keep) {
    fs::path previous = env / kPreviousName;
    if (!has_previous(env)) return false;
    if (fs::exists(previous / kComplete)) {
        // The new environment (or what was begun of it) goes; then the old one comes back.
        for (const auto &p : entries(env)) {
            std::string name = p.filename().string();
            if (keep.count(name) || is_swap_entry(name)) continue;
            fs::remove_all(p);
        }
        fs::rename(previous / kComplete, previous / kRestoring);
    }
    // No mark: moving aside was cut short, so ENV holds only old entries. .restoring: moving back was.
    move_back(env, previous);
    return true;
}

void drop_previous(const fs::path &env) {
    std::error_code ec;
    if (has_previous(env)) {
        // A rename first, so that a cut-short delete never looks like an environment set aside.
        fs::rename(env / kPreviousName,
                   env / (std::string(kDiscardPrefix) + std::to_string(getpid()) + "-" + std::to_string(time(nullptr))));
    }
    for (const auto &p : entries(env))
        if (p.filename().string().rfind(kDiscardPrefix, 0) == 0) fs::remove_all(p, ec);
}

}  // namespace gpuhost::env
