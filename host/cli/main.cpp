// gpuhost: what accelerators are here, which one to use, and a Python
// environment that really computes on it.
#include "../core/files.hpp"
#include "../core/log.hpp"
#include "cli_support.hpp"
#include "commands.hpp"
#include "help_text.hpp"
#include "json_failure.hpp"
#include "gpuhost/plugin_abi.h"
#include "version.hpp"

#include <cstring>
#include <filesystem>
#include <new>
#include <iostream>

using namespace gpuhost;

static int run_command(const cli::Command &command, const std::vector<std::string> &args) {
    try {
        return command.run(args);
    } catch (const cli::UsageError &e) {
        std::cerr << e.what() << "\n";
        return cli::kUsage;
    } catch (const FileError &e) {
        std::cerr << "gpuhost: " << e.what() << "\n";
        return cli::kBadInput;
    } catch (const WriteError &e) {
        std::cerr << "gpuhost " << command.name << ": " << e.what() << "\n";
        return cli::kFailed;
    } catch (const std::filesystem::filesystem_error &e) {
        // Not the library's "filesystem error: ..." text: the path and the reason.
        std::cerr << "gpuhost " << command.name << ": " << e.path1().string() << ": " << e.code().message() << "\n";
        return cli::kFailed;
    } catch (const std::bad_alloc &) {
        std::cerr << "gpuhost " << command.name << ": out of memory\n";
        return cli::kFailed;
    } catch (const std::exception &e) {
        std::cerr << "gpuhost " << command.name << ": " << e.what() << "\n";
        return cli::kFailed;
    }
}

static int dispatch(const std::vector<std::string> &args) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        // `gpuhost help run` is `gpuhost run --help`.
        if (args.size() == 2 && args[0] == "help") {
            if (const auto *command = cli::find_command(args[1])) return run_command(*command, {"--help"});
            std::cerr << "gpuhost help: unknown command \"" << args[1] << "\" (see gpuhost --help)\n";
            return cli::kUsage;
        }
        if (args.size() > 2) {
            std::cerr << "gpuhost help: give one command (usage: gpuhost help [COMMAND])\n";
            return cli::kUsage;
        }
        std::cout << cli::general_help();
        return args.empty() ? cli::kUsage : cli::kOk;
    }
    if (args[0] == "--version" || args[0] == "version") {
        std::cout << "gpuhost " << kVersion << " (plugin ABI " << GPUHOST_ABI_MIN << ".." << GPUHOST_ABI_CURRENT
                  << ")\n";
        return cli::kOk;
    }
    for (const auto &command : cli::commands())
        if (args[0] == command.name) return run_command(command, {args.begin() + 1, args.end()});
    std::cerr << "gpuhost: unknown command \"" << args[0] << "\" (see gpuhost --help)\n";
    return cli::kUsage;
}

int main(int argc, char **argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!cli::wants_json(args)) return dispatch(args);
    // With --json, a failure is a JSON document on stdout as well (json_failure.hpp).
    cli::JsonFailureGuard guard;
    return guard.finish(dispatch(args));
}
