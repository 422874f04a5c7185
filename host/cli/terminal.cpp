#include "terminal.hpp"

#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace gpuhost::cli {

bool colour_wanted(bool is_terminal, const char *no_color, const char *term) {
    if (!is_terminal || no_color) return false;
    return !(term && std::string(term) == "dumb");
}

std::string painted_stage(const std::string &line, bool colour) {
    if (!colour) return line;
    auto colon = line.find(": ");
    if (colon == std::string::npos) return line;
    auto start = colon + 2;
    auto end = line.find(" - ", start);
    std::string status = line.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const char *sgr = nullptr;
    if (status == "ok" || status == "passed" || status == "reuse" || status == "accepted") sgr = "32";
    else if (status == "failed" || status == "no-device") sgr = "31";
    else if (status == "skipped" || status == "repair" || status == "recreate" || status == "create") sgr = "33";
    if (!sgr) return line;
    return line.substr(0, start) + "\033[" + sgr + "m" + status + "\033[0m" +
           (end == std::string::npos ? std::string() : line.substr(end));
}

// The shell's own quoting for a path with spaces or quotes in it.
static std::string quoted(const std::string &path) {
    if (path.find_first_of(" '\"\\$`!*?&;|<>()[]{}#~") == std::string::npos) return path;
    std::string out = "'";
    for (char c : path) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string activate_line(const std::filesystem::path &env, const std::string &shell) {
    std::string name = std::filesystem::path(shell).filename().string();
    std::filesystem::path bin = env / "bin";
    if (name == "fish") return "source " + quoted((bin / "activate.fish").string());
    if (name == "csh" || name == "tcsh") return "source " + quoted((bin / "activate.csh").string());
    return ". " + quoted((bin / "activate").string());
}

StderrReporter::StderrReporter()
    : terminal_(isatty(STDERR_FILENO) == 1),
      colour_(colour_wanted(terminal_, std::getenv("NO_COLOR"), std::getenv("TERM"))) {}

void StderrReporter::line(const std::string &text) {
    done();
    std::cerr << text << "\n";
}

void StderrReporter::progress(const std::string &text) {
    if (!terminal_) {
        std::cerr << text << "\n";
        return;
    }
    // One line, cut to fit an ordinary terminal, redrawn over the last.
    std::string shown = text.size() > 100 ? text.substr(0, 97) + "..." : text;
    std::cerr << "\r\033[K" << shown << std::flush;
    pending_ = true;
}

void StderrReporter::done() {
    if (pending_) std::cerr << "\r\033[K" << std::flush;
    pending_ = false;
}

}  // namespace gpuhost::cli
