// Runs a program with an argument list (never a shell string), captures its
// output, and enforces a deadline. Built on Boost.Process v2 over Asio.
#pragma once
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gpuhost {

struct ProcessOptions {
    // At the deadline the child's whole process group is killed (it leads its own).
    std::chrono::milliseconds timeout{std::chrono::seconds(30)};
    // After the child exits, how long its output pipes may stay open (held by
    // something it left running) before they are closed and the wait ends.
    std::chrono::milliseconds pipe_grace{std::chrono::seconds(2)};
    bool merge_stderr = false;                       // stderr into the same output
    std::optional<std::string> working_dir;
    std::map<std::string, std::string> env_set;      // added to the inherited environment
    std::vector<std::string> env_unset;
    // Called for each complete output line as it arrives (progress, streaming logs).
    std::function<void(const std::string &line)> on_line;
    // Polled every 100 ms; when it returns true the child's group is killed and the
    // result says cancelled (a run interrupted by SIGINT/SIGTERM).
    std::function<bool()> cancelled;
    // stdout and stderr on a new pseudo-terminal (sized like ours), so the child
    // draws its own progress bars; both come as one stream (into output).
    bool terminal = false;
    // Called with each chunk of output as it arrives, unsplit (to pass a child's
    // terminal output through as it drew it).
    std::function<void(const std::string &chunk)> on_raw;
    // The child gets SIGKILL if gpuhost itself dies (even by SIGKILL), so no
    // orphaned installer keeps writing into an environment nobody holds.
    bool die_with_parent = false;
};

struct ProcessResult {
    bool started = false;     // false: not found or could not be executed
    int exit_code = -1;       // valid when exited normally
    int signal = 0;           // non-zero when killed by a signal
    bool timed_out = false;
    bool cancelled = false;   // killed because options.cancelled() said so
    std::string output;       // stdout (and stderr when merged)
    std::string error_output; // stderr when not merged
    std::string start_error;  // why it did not start

    bool ok() const { return started && !timed_out && signal == 0 && exit_code == 0; }
    // "exit code 2", "killed by SIGSEGV", "timed out after 5 s", "not started: ..."
    std::string describe() const;
};

// program: an absolute path, or a name looked up on PATH.
ProcessResult run_process(const std::string &program, const std::vector<std::string> &args,
                          const ProcessOptions &options = {});

// The absolute path of a program on PATH, or empty.
std::string find_on_path(const std::string &program);

}  // namespace gpuhost
