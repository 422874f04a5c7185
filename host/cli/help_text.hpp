// The help text, written once: `gpuhost --help`, each command's --help, and
// what completion scripts and the man page are generated from.
#pragma once
#include "commands.hpp"

#include <string>
#include <vector>

namespace gpuhost::cli {

// `gpuhost --help`: the commands, the exit codes, the environment.
std::string general_help();
// `gpuhost COMMAND --help`, as that command prints it.
std::string command_help(const Command &command);
// The long options ("--json", ...) listed in a command's help text.
std::vector<std::string> long_options(const std::string &help);
// A visible command by name, or nullptr.
const Command *find_command(const std::string &name);

}  // namespace gpuhost::cli
