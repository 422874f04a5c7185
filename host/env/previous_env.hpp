// Recreating an environment without losing the one it replaces. The old
// environment's entries move (one rename each, same file system) into
// ENV/.gpuhost-previous; the new one is built in ENV at the same path (a venv
// is not relocatable); only when the new one has passed is the old one
// dropped. A run that fails or is interrupted puts the old one back, and one
// that was killed is put right by the next run before it decides anything.
//
// Every moment is recoverable because each phase leaves a mark:
//   .gpuhost-previous without .complete  moving aside: what is in ENV is old
//   .gpuhost-previous/.complete           moved aside: what is in ENV is new
//   .gpuhost-previous/.restoring          moving back: what is in ENV is old
//   .gpuhost-discard-*                    the old one, dropped: delete it
#pragma once
#include <filesystem>
#include <set>
#include <string>

namespace gpuhost::env {

constexpr const char *kPreviousName = ".gpuhost-previous";
constexpr const char *kDiscardPrefix = ".gpuhost-discard-";

// gpuhost's own bookkeeping names (the previous environment, a dropped one).
bool is_swap_entry(const std::string &name);

// Moves every entry of env whose name is not in keep into env/.gpuhost-previous.
// Throws std::filesystem::filesystem_error after putting back what had moved.
void set_aside(const std::filesystem::path &env, const std::set<std::string> &keep);

// Is an old environment set aside in env? And was setting it aside finished (so that
// what env holds besides keep is the new one)?
bool has_previous(const std::filesystem::path &env);
bool previous_complete(const std::filesystem::path &env);

// Puts the set-aside environment back: what a finished set-aside left in env (the
// new one, except keep) is removed, then the old entries are renamed back.
// Safe to repeat after an interruption at any point. Returns false when nothing was aside.
bool restore_previous(const std::filesystem::path &env, const std::set<std::string> &keep);

// The new environment passed: the old one goes (renamed away first, then deleted),
// with any earlier dropped one. Safe to repeat.
void drop_previous(const std::filesystem::path &env);

}  // namespace gpuhost::env
