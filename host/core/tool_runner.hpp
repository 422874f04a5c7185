// The one place vendor tools run. Live, it runs them with a deadline; under a
// sysroot it replays recorded outputs (tests/fixtures/README.md) and runs nothing.
#pragma once
#include <chrono>
#include <string>
#include <vector>

namespace gpuhost {

struct ToolOutput {
    int exit_code = 127;  // 127: tool absent, 124: timed out
    std::string output;
};

class ToolRunner {
public:
    explicit ToolRunner(std::string sysroot = {}, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ToolOutput run(const std::vector<std::string> &argv) const;
    // tools/<key>.txt under a sysroot: program basename and arguments joined by
    // '_', with '/' written as '%'.
    static std::string recording_key(const std::vector<std::string> &argv);
    const std::string &sysroot() const { return sysroot_; }

private:
    std::string sysroot_;
    std::chrono::milliseconds timeout_;
};

}  // namespace gpuhost
