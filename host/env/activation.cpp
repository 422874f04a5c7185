#include "activation.hpp"

#include "../core/files.hpp"
#include "../plan/plan_checks.hpp"

#include <stdexcept>

#include <boost/json.hpp>
#include <system_error>

namespace gpuhost::env {

namespace {

const char *kPthName = "gpuhost_env.pth";

// One activation script: where gpuhost's block goes, and the line it adds
// inside the script's own deactivate so that deactivate removes the plan's
// variables again.
using BlockText = std::string (*)(const std::map<std::string, std::string> &);
struct ShellScript {
    const char *file;
    std::string deactivate;     // the start of the script's deactivate definition
    std::string hook;           // added after that line (or, without a newline, right after the anchor)
    BlockText block;            // sets the variables: appended, or put before `block_before`
    std::string block_before;   // a signature block, when the file has one
    BlockText prelude = nullptr;  // csh: the restore, which must exist before the script's deactivate runs
};

void check_name(const std::string &name) {
    // Names are checked at the plan boundary; a shell script is no place to trust that twice.
    if (!is_posix_env_name(name)) throw std::runtime_error("environment variable name \"" + name + "\" is not a POSIX name");
}

// Values arrive checked by the plan (no newline or NUL); these quoters refuse
// them again rather than write a script that breaks.
void check_value(const std::string &name, const std::string &value) {
    if (value.find_first_of(std::string("\n\r\0", 3)) != std::string::npos)
        throw std::runtime_error("environment variable " + name + " has a newline or NUL in its value");
}

// POSIX sh: a single-quoted word, nothing inside is expanded.
std::string sh_quoted(const std::string &value) {
    std::string out = "'";
    for (char c : value) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// fish: inside single quotes only \\ and \' are escapes.
std::string fish_quoted(const std::string &value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

// csh: single quotes stop $ but not history (!), and a quote cannot be
// escaped inside them: close, add it escaped, reopen.
std::string csh_quoted(const std::string &value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'') out += "'\\''";
        else if (c == '!') out += "'\\!'";
        else out += c;
    }
    return out + "'";
}

// PowerShell: inside single quotes only '' is an escape.
std::string ps_quoted(const std::string &value) {
    std::string out = "'";
    for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// bash/zsh/sh (bin/activate): saves each variable's earlier value (or that it
// had none), exports the plan's, and defines the restore function the hook calls.
std::string sh_block(const std::map<std::string, std::string> &vars) {
    std::string restore = "_gpuhost_restore_env () {\n";
    std::string set;
    for (const auto &[name, value] : vars) {
        check_name(name);
        check_value(name, value);
        std::string old = "_GPUHOST_OLD_" + name, had = "_GPUHOST_HAD_" + name;
        restore += "    if [ -n \"${" + had + ":-}\" ]; then " + name + "=\"$" + old + "\"; export " + name +
                   "; else unset " + name + "; fi\n    unset " + old + " " + had + "\n";
        set += "if [ -n \"${" + name + "+_}\" ]; then " + old + "=\"$" + name + "\"; " + had + "=1; fi\n";
        set += "export " + name + "=" + sh_quoted(value) + "\n";
    }
    restore += "    if [ \"${1:-}\" != nondestructive ]; then unset -f _gpuhost_restore_env; fi\n}\n";
    return restore + set;
}

// fish (bin/activate.fish): the same, with fish's own syntax; a saved value
// keeps a list variable's elements.
std::string fish_block(const std::map<std::string, std::string> &vars) {
    std::string restore = "function _gpuhost_restore_env\n";
    std::string set;
    for (const auto &[name, value] : vars) {
        check_name(name);
        check_value(name, value);
        std::string old = "_GPUHOST_OLD_" + name, had = "_GPUHOST_HAD_" + name;
        restore += "    if set -q " + had + "\n        set -gx " + name + " $" + old + "\n    else\n        set -e " + name +
                   "\n    end\n    set -e " + old + "\n    set -e " + had + "\n";
        set += "if set -q " + name + "\n    set -g " + old + " $" + name + "\n    set -g " + had + " 1\nend\n";
        set += "set -gx " + name + " " + fish_quoted(value) + "\n";
    }
    restore += "    if test \"$argv[1]\" != nondestructive\n        functions -e _gpuhost_restore_env\n    end\nend\n";
    return restore + set;
}

// csh/tcsh (bin/activate.csh): the script's deactivate is an alias of one
// line, and csh has no functions, so the restore is an alias too. It goes
// before deactivate's definition (the script runs `deactivate nondestructive`
// before the block below sets anything) and touches only variables the block
// set (_GPUHOST_SET_*). `test ... && cmd` as in venv's own alias: csh
// substitutes each command of the list only when it runs.
std::string csh_restore(const std::map<std::string, std::string> &vars) {
    std::string restore = "alias _gpuhost_restore_env '";
    for (const auto &[name, value] : vars) {
        std::string old = "_GPUHOST_OLD_" + name, had = "_GPUHOST_HAD_" + name, mine = "_GPUHOST_SET_" + name;
        restore += "test $?" + had + " != 0 && setenv " + name + " \"$" + old + ":q\"; test $?" + had + " = 0 && test $?" +
                   mine + " != 0 && unsetenv " + name + "; unset " + old + " " + had + " " + mine + "; ";
    }
    return restore + "true'\n";
}

std::string csh_block(const std::map<std::string, std::string> &vars) {
    std::string set;
    for (const auto &[name, value] : vars) {
        check_name(name);
        check_value(name, value);
        std::string old = "_GPUHOST_OLD_" + name, had = "_GPUHOST_HAD_" + name, mine = "_GPUHOST_SET_" + name;
        set += "if ($?" + name + ") then\n    set " + old + "=\"$" + name + ":q\"\n    set " + had + "=1\nendif\n";
        set += "set " + mine + "=1\nsetenv " + name + " " + csh_quoted(value) + "\n";
    }
    return set;
}

// PowerShell (bin/Activate.ps1 of venv, activate.ps1 of uv and virtualenv).
std::string ps_block(const std::map<std::string, std::string> &vars) {
    std::string restore = "function global:_gpuhost_restore_env([switch] $NonDestructive) {\n";
    std::string set;
    for (const auto &[name, value] : vars) {
        check_name(name);
        check_value(name, value);
        std::string old = "_GPUHOST_OLD_" + name, had = "_GPUHOST_HAD_" + name;
        restore += "    if (Test-Path variable:global:" + had + ") { $env:" + name + " = $global:" + old +
                   " } else { Remove-Item env:" + name + " -ErrorAction SilentlyContinue }\n"
                   "    Remove-Variable -Scope global -Name " + old + ", " + had + " -ErrorAction SilentlyContinue\n";
        set += "if (Test-Path env:" + name + ") { $global:" + old + " = $env:" + name + "; $global:" + had + " = $true }\n";
        set += "$env:" + name + " = " + ps_quoted(value) + "\n";
    }
    restore += "    if (-not $NonDestructive) { Remove-Item function:_gpuhost_restore_env -ErrorAction SilentlyContinue }\n}\n";
    return restore + set;
}

const std::string kPsHook =
    "    if (Get-Command _gpuhost_restore_env -ErrorAction SilentlyContinue) { _gpuhost_restore_env "
    "-NonDestructive:$NonDestructive }  # gpuhost\n";

const ShellScript kScripts[] = {
    {"activate", "deactivate () {",
     "    if command -v _gpuhost_restore_env >/dev/null 2>&1; then _gpuhost_restore_env \"${1:-}\"; fi  # gpuhost\n",
     sh_block, ""},
    {"activate.fish", "function deactivate",
     "    functions -q _gpuhost_restore_env; and _gpuhost_restore_env $argv  # gpuhost\n", fish_block, ""},
    {"activate.csh", "alias deactivate '", "_gpuhost_restore_env; ", csh_block, "", csh_restore},
    // venv signs Activate.ps1: the block goes before the signature, which no
    // longer matches once the file is changed (it matters under AllSigned only).
    {"Activate.ps1", "function global:deactivate", kPsHook, ps_block, "# SIG # Begin signature block"},
    {"activate.ps1", "function global:deactivate", kPsHook, ps_block, "# SIG # Begin signature block"},
};

const std::string kBegin = "# >>> gpuhost: the plan's environment variables >>>\n";
const std::string kEnd = "# <<< gpuhost: the plan's environment variables <<<\n";
const std::string kPreludeBegin = "# >>> gpuhost: restores the plan's environment variables >>>\n";
const std::string kPreludeEnd = "# <<< gpuhost: restores the plan's environment variables <<<\n";

void erase_block(std::string &script, const std::string &begin, const std::string &end) {
    if (auto b = script.find(begin); b != std::string::npos) {
        auto e = script.find(end, b);
        script.erase(b, e == std::string::npos ? std::string::npos : e + end.size() - b);
    }
}

// `text` before the first `anchor`, or at the end when the file has none.
void put_before(std::string &script, const std::string &anchor, const std::string &text) {
    auto at = anchor.empty() ? std::string::npos : script.find(anchor);
    if (at != std::string::npos) {
        script.insert(at, text);
        return;
    }
    if (!script.empty() && script.back() != '\n') script += '\n';
    script += text;
}

// The hook: a line after the deactivate definition's first line, or (csh,
// where deactivate is one line) text right after the anchor.
std::string with_hook(std::string script, const ShellScript &s) {
    auto at = script.find(s.deactivate);
    if (at == std::string::npos || script.find(s.hook) != std::string::npos) return script;
    if (s.hook.back() != '\n') return script.insert(at + s.deactivate.size(), s.hook);
    auto eol = script.find('\n', at);
    if (eol == std::string::npos) return script;
    return script.insert(eol + 1, s.hook);
}

// Rewrites one script: the old block out, then the new block and the hook in
// (neither for an empty map). False when the environment has no such file.
bool rewrite(const std::filesystem::path &file, const ShellScript &s, const std::map<std::string, std::string> &vars) {
    auto text = read_text(file);
    if (!text) return false;
    std::string script = *text;
    erase_block(script, kBegin, kEnd);
    erase_block(script, kPreludeBegin, kPreludeEnd);
    if (vars.empty()) {
        // No variables, no hook: the csh one is a plain call to an alias that is gone now.
        if (auto at = script.find(s.hook); at != std::string::npos) script.erase(at, s.hook.size());
    } else {
        if (s.prelude) put_before(script, s.deactivate, kPreludeBegin + s.prelude(vars) + kPreludeEnd);
        put_before(script, s.block_before, kBegin + s.block(vars) + kEnd);
        script = with_hook(script, s);
    }
    if (script != *text) write_file_atomic(file, script);
    return true;
}

}  // namespace

bool write_activation_env(const std::filesystem::path &env, const std::map<std::string, std::string> &vars) {
    // All or none: a bad variable is refused before any script changes.
    for (const auto &[name, value] : vars) {
        check_name(name);
        check_value(name, value);
    }
    bool bash = false;
    for (const auto &s : kScripts) {
        bool found = rewrite(env / "bin" / s.file, s, vars);
        if (std::string(s.file) == "activate") bash = found;
    }
    return bash;
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
