// gpuhost: what accelerators are here, which one to use, and a Python
// environment that really computes on it.
#include "../core/files.hpp"
#include "../core/log.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "gpuhost/plugin_abi.h"
#include "version.hpp"

#include <cstring>
#include <iostream>

using namespace gpuhost;

static void print_help() {
    std::cout << "usage: gpuhost <command> [options]\n\n"
                 "Finds every GPU and the CPU through vendor plugins, picks the one for your ML work,\n"
                 "and builds a Python environment that is proven to compute on it.\n\ncommands:\n";
    cli::Table table({"", ""});
    for (const auto &c : cli::commands())
        if (!c.hidden) table.add({"  " + std::string(c.name), c.summary});
    std::string rendered = table.render();
    std::cout << rendered.substr(rendered.find('\n') + 1)
              << "\n`gpuhost <command> --help` explains each command.\n\n"
                 "exit codes:\n"
                 "  0    success\n"
                 "  1    the job ran and failed (install, verification, detection with --strict)\n"
                 "  2    usage error: unknown command or option\n"
                 "  3    bad input: a config, profile, script or JSON file is broken (the message names it)\n"
                 "  4    no usable device for the request, or the forced backend is unusable\n"
                 "  130  interrupted; files on disk were left consistent\n\n"
                 "environment:\n"
                 "  GPUHOST_PLUGIN_PATH             extra plugin folders, ':'-separated, searched last\n"
                 "  GPUHOST_ALLOW_INSECURE_PLUGINS  1 to load plugins from folders others can write to\n"
                 "  GPUHOST_DISABLE_PLUGINS         plugin names not to load, ','-separated (e.g. opencl)\n"
                 "  GPUHOST_PROBE_MEMORY_MIB        data memory each probe child may use (4096; 0: no limit)\n"
                 "  GPUHOST_ACCEPT_EXISTING         1: `run` uses an existing environment unchecked\n"
                 "  GPUHOST_AUTO_FIX                1: `run` lets a recovery rule apply its fix\n"
                 "  GPUHOST_ENVS_DIR                where `run` keeps environments (envs/<profile>)\n"
                 "  GPUHOST_INSTALLER               auto | uv | pip\n"
                 "  GPUHOST_<KEY>                   any gpuhost.json setting, e.g. GPUHOST_FORCE_BACKEND=rocm\n"
                 "                                  (gpuhost config --help lists the keys)\n";
}

int main(int argc, char **argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_help();
        return args.empty() ? cli::kUsage : cli::kOk;
    }
    if (args[0] == "--version" || args[0] == "version") {
        std::cout << "gpuhost " << kVersion << " (plugin ABI " << GPUHOST_ABI_MIN << ".." << GPUHOST_ABI_CURRENT
                  << ")\n";
        return cli::kOk;
    }
    for (const auto &command : cli::commands()) {
        if (args[0] != command.name) continue;
        try {
            return command.run({args.begin() + 1, args.end()});
        } catch (const cli::UsageError &e) {
            std::cerr << e.what() << "\n";
            return cli::kUsage;
        } catch (const FileError &e) {
            std::cerr << "gpuhost: " << e.what() << "\n";
            return cli::kBadInput;
        } catch (const WriteError &e) {
            std::cerr << "gpuhost " << command.name << ": " << e.what() << "\n";
            return cli::kFailed;
        } catch (const std::exception &e) {
            std::cerr << "gpuhost " << command.name << ": " << e.what() << "\n";
            return cli::kFailed;
        }
    }
    std::cerr << "gpuhost: unknown command \"" << args[0] << "\" (see gpuhost --help)\n";
    return cli::kUsage;
}
