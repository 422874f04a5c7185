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
// or nullopt when it is. Paths and anything that pip would read as an option
// are refused; a direct reference (`name @ https://...`, `name @ file:///...`)
// only passes with allow_direct_reference, and then only with an http(s) or
// file URL of printable characters.
std::optional<std::string> requirement_problem(const std::string &spec, bool allow_direct_reference = false);

// Whether plans may name direct references: off unless the user passed
// --allow-direct-references to this command (a direct reference installs code
// from a place no index vouches for, and a local path runs its build backend).
void allow_direct_references(bool allowed);
bool direct_references_allowed();
// The URL of a direct reference ("name @ URL ; marker" -> "URL"), else "".
std::string direct_reference_url(const std::string &spec);
// Throws std::runtime_error("plan: ...") naming the field and the fix.
void check_plan(const Plan &plan);

}  // namespace gpuhost
