// How `run` talks to a person on stderr: colour only on a terminal and never
// with NO_COLOR; installer progress as one line redrawn in place on a
// terminal, a line per package otherwise; and how to use what was built.
#pragma once
#include <filesystem>
#include <string>

namespace gpuhost::cli {

// The rule, apart from the process: a terminal, NO_COLOR unset (any value,
// even empty, turns colour off: no-color.org), and TERM not "dumb".
bool colour_wanted(bool is_terminal, const char *no_color, const char *term);

// "name: status - detail" with the status in colour when `colour` (green ok,
// red failed, yellow skipped/warning-ish); the text unchanged otherwise.
std::string painted_stage(const std::string &line, bool colour);

// The line that activates `env` in `shell` ($SHELL: bash, zsh, fish, csh...).
std::string activate_line(const std::filesystem::path &env, const std::string &shell);

class StderrReporter {
public:
    StderrReporter();  // looks at stderr and NO_COLOR once
    void line(const std::string &text);      // a line that stays
    void progress(const std::string &text);  // redrawn in place on a terminal; a line otherwise
    void done();                             // clears a pending progress line
    bool terminal() const { return terminal_; }
    bool colour() const { return colour_; }

private:
    bool terminal_ = false, colour_ = false, pending_ = false;
};

}  // namespace gpuhost::cli
