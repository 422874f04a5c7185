#include "help_text.hpp"

#include "cli_support.hpp"
#include "commands.hpp"

#include <iostream>
#include <sstream>

namespace gpuhost::cli {

std::string general_help() {
    std::ostringstream out;
    out << "usage: gpuhost <command> [options]\n\n"
                 "Finds every GPU and the CPU through vendor plugins, picks the one for your ML work,\n"
                 "and builds a Python environment that is proven to compute on it.\n\ncommands:\n";
    Table table({"", ""});
    for (const auto &c : commands())
        if (!c.hidden) table.add({"  " + std::string(c.name), c.summary});
    std::string rendered = table.render();
    out << rendered.substr(rendered.find('\n') + 1)
              << "\n`gpuhost <command> --help` explains each command.\n\n"
                 "exit codes:\n"
                 "  0    success\n"
                 "  1    the job ran and failed (install, verification, detection with --strict), or a tool\n"
                 "       it needs is missing (a Python interpreter, uv for --installer uv)\n"
                 "  2    usage error: unknown command or option\n"
                 "  3    bad input: a config, profile, script or JSON file is broken (the message names it)\n"
                 "  4    no usable device for the request, or the forced backend is unusable\n"
                 "  130  interrupted; files on disk were left consistent\n\n"
                 "environment:\n"
                 "  GPUHOST_PLUGIN_PATH             extra plugin folders, ':'-separated, searched last\n"
                 "  GPUHOST_ALLOW_INSECURE_PLUGINS  1 to load plugins from folders others can write to\n"
                 "  GPUHOST_DISABLE_PLUGINS         plugin names not to load, ','-separated (e.g. opencl)\n"
                 "  GPUHOST_PROBE_MEMORY_MIB        data memory each probe child may use (4096; 0: no limit)\n"
                 "  GPUHOST_PROBE_OUTPUT_MIB        what each probe child may print before it is stopped (16; 1..1024)\n"
                 "  GPUHOST_ACCEPT_EXISTING         1: `run` uses an existing environment unchecked\n"
                 "  GPUHOST_AUTO_FIX                1: `run` lets a recovery rule apply its fix\n"
                 "  GPUHOST_ENVS_DIR                where `run` keeps environments (envs/<profile>)\n"
                 "  GPUHOST_INSTALLER               auto | uv | pip\n"
                 "  NO_COLOR                        set: no colour, even on a terminal\n"
                 "  GPUHOST_<KEY>                   any gpuhost.json setting, e.g. GPUHOST_FORCE_BACKEND=rocm\n"
                 "                                  (gpuhost config --help lists the keys)\n";
    return out.str();
}

std::string command_help(const Command &command) {
    // Each command prints its own --help (synopsis, description, options); the
    // text is caught here so completion and the man page say the same thing.
    std::ostringstream captured;
    std::streambuf *old = std::cout.rdbuf(captured.rdbuf());
    try {
        command.run({"--help"});
    } catch (...) {
        std::cout.rdbuf(old);
        throw;
    }
    std::cout.rdbuf(old);
    return captured.str();
}

std::vector<std::string> long_options(const std::string &help) {
    std::vector<std::string> out;
    std::istringstream lines(help);
    std::string line;
    bool in_options = false;
    while (std::getline(lines, line)) {
        if (line == "options:") in_options = true;
        if (!in_options) continue;
        // Option lines start "  -v [ --verbose ]" or "  --json"; a wrapped
        // description is indented further and may mention options itself.
        if (line.rfind("  -", 0) != 0) continue;
        auto at = line.find("--", 2);
        if (at == std::string::npos) continue;
        auto end = line.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-", at + 2);
        std::string name = line.substr(at, end == std::string::npos ? std::string::npos : end - at);
        if (name.size() > 2) out.push_back(name);
    }
    return out;
}

const Command *find_command(const std::string &name) {
    for (const auto &c : commands())
        if (!c.hidden && name == c.name) return &c;
    return nullptr;
}

}  // namespace gpuhost::cli
