// The checks every plan passes at the boundary, whether it came from a
// profile through Lua or from a --plan file: names that reach a shell, a
// folder or pip's command line must be plain data there.
#pragma once
#include <optional>
#include <string>

namespace gpuhost {

struct Plan;

// A POSIX environment variable name: [A-Za-z_][A-Za-z0-9_]*.
bool is_posix_env_name(const std::string &name);
// A profile or environment name usable as one path component: letters,
// digits, '.', '_' and '-', not starting with '.' or '-', at most 64 characters.
bool is_plain_name(const std::string &name);
// Why `spec` is not a PEP 508 requirement that starts with a project name
// (`torch==2.8.0`, `cupy-cuda12x[ctk]>=13`, `numpy; python_version >= "3.10"`),
// or nullopt when it is. Direct references (`name @ url`), paths and anything
// that pip would read as an option are refused.
std::optional<std::string> requirement_problem(const std::string &spec);
// Throws std::runtime_error("plan: ...") naming the field and the fix.
void check_plan(const Plan &plan);

}  // namespace gpuhost
