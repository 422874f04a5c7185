#include "activation.hpp"

#include "../core/files.hpp"
#include "../plan/plan_checks.hpp"

#include <stdexcept>

#include <boost/json.hpp>
#include <system_error>

namespace gpuhost::env {

namespace {

const std::string kBegin = "# >>> gpuhost: the plan's environment variables >>>\n";
const std::string kEnd = "# <<< gpuhost: the plan's environment variables <<<\n";
// The one line gpuhost adds inside venv's own deactivate(): it puts back what
// the block below changed, so `deactivate` removes the plan's variables.
const std::string kHook = "    if command -v _gpuhost_restore_env >/dev/null 2>&1; then _gpuhost_restore_env \"${1:-}\"; fi  # gpuhost\n";
const std::string kDeactivate = "deactivate () {\n";
const char *kPthName = "gpuhost_env.pth";

// A POSIX shell single-quoted word: nothing inside is expanded.
std::string quoted(const std::string &value) {
    std::string out = "'";
    for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Saves each variable's earlier value (or that it had none), exports the
// plan's, and defines the restore function the deactivate hook calls.
std::string shell_block(const std::map<std::string, std::string> &vars) {
    std::string restore = "_gpuhost_restore_env () {\n";
    std::string set;
    for (const auto &[name, value] : vars) {
        // Names are checked at the plan boundary; a shell script is no place to trust that twice.
        if (!is_posix_env_name(name)) throw std::runtime_error("environment variable name \"" + name + "\" is not a POSIX name");
        std::string old = "_GPUHOST_OLD_" + name, had = "_GPUHOST_HAD_" + name;
        restore += "    if [ -n \"${" + had + ":-}\" ]; then " + name + "=\"$" + old + "\"; export " + name +
                   "; else unset " + name + "; fi\n    unset " + old + " " + had + "\n";
        set += "if [ -n \"${" + name + "+_}\" ]; then " + old + "=\"$" + name + "\"; " + had + "=1; fi\n";
        set += "export " + name + "=" + quoted(value) + "\n";
    }
    restore += "    if [ \"${1:-}\" != nondestructive ]; then unset -f _gpuhost_restore_env; fi\n}\n";
    return kBegin + restore + set + kEnd;
}

}  // namespace

bool write_activation_env(const std::filesystem::path &env, const std::map<std::string, std::string> &vars) {
    auto file = env / "bin" / "activate";
    auto text = read_text(file);
    if (!text) return false;
    std::string script = *text;
    if (auto begin = script.find(kBegin); begin != std::string::npos) {
        auto end = script.find(kEnd, begin);
        script.erase(begin, end == std::string::npos ? std::string::npos : end + kEnd.size() - begin);
    }
    if (auto at = script.find(kDeactivate); at != std::string::npos && script.find(kHook) == std::string::npos)
        script.insert(at + kDeactivate.size(), kHook);
    if (!vars.empty()) script += shell_block(vars);
    if (script != *text) write_file_atomic(file, script);
    return true;
}

void write_python_env(const std::filesystem::path &site_packages, const std::map<std::string, std::string> &vars) {
    auto file = site_packages / kPthName;
    std::error_code ec;
    if (vars.empty()) {
        std::filesystem::remove(file, ec);
        return;
    }
    // A .pth line that starts with "import" runs when the interpreter starts;
    // a JSON string literal is a valid Python one. setdefault: a value the
    // user exported on purpose still wins, as it would over a shell profile.
    std::string line = "import os;";
    for (const auto &[name, value] : vars)
        line += " os.environ.setdefault(" + boost::json::serialize(boost::json::string(name)) + ", " +
                boost::json::serialize(boost::json::string(value)) + ");";
    write_file_atomic(file, "# written by gpuhost run: the plan's environment variables for ENV/bin/python\n" + line + "\n");
}

}  // namespace gpuhost::env
