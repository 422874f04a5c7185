// `--json` keeps its word on failure too: when a command given --json exits
// non-zero without printing its own document, stdout gets one
// {"schema": N, "error": {"exit_code", "kind", "message", "details"}} built
// from what the command said on stderr (which still goes to stderr as well).
#pragma once
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace gpuhost::cli {

// True when args ask for JSON (--json before any "--").
bool wants_json(const std::vector<std::string> &args);

// Watches std::cout and std::cerr from construction to finish(); restores them when destroyed.
class JsonFailureGuard {
public:
    JsonFailureGuard();
    ~JsonFailureGuard();
    JsonFailureGuard(const JsonFailureGuard &) = delete;
    JsonFailureGuard &operator=(const JsonFailureGuard &) = delete;

    // Prints the error document when `exit_code` is a failure and stdout is still empty.
    int finish(int exit_code);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The name scripts can match on: "failed", "usage", "bad_input", "no_device", "interrupted".
std::string exit_kind(int exit_code);

}  // namespace gpuhost::cli
