#include "subprocess.hpp"

#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
#include <boost/process/v2/src.hpp>  // v2 is not header-only in 1.81: compiled into this one file
#include <csignal>
#include <cstring>
#include <filesystem>
#include <sys/wait.h>

namespace asio = boost::asio;
namespace bp = boost::process::v2;

namespace gpuhost {

std::string ProcessResult::describe() const {
    if (!started) return "not started: " + start_error;
    if (timed_out) return "timed out (killed at its deadline)";
    if (signal) {
        const char *name = sigabbrev_np(signal);
        return std::string("killed by SIG") + (name ? name : std::to_string(signal).c_str());
    }
    return "exit code " + std::to_string(exit_code);
}

std::string find_on_path(const std::string &program) {
    if (program.find('/') != std::string::npos)
        return ::access(program.c_str(), X_OK) == 0 ? program : std::string();
    auto found = bp::environment::find_executable(program);
    return found.empty() ? std::string() : found.string();
}

namespace {

// Reads a pipe to its end, handing complete lines to on_line as they arrive.
struct PipeReader {
    asio::readable_pipe pipe;
    std::string &sink;
    const std::function<void(const std::string &)> *on_line;
    std::array<char, 8192> chunk{};
    size_t line_start = 0;

    PipeReader(asio::io_context &ctx, std::string &s, const std::function<void(const std::string &)> *cb)
        : pipe(ctx), sink(s), on_line(cb) {}

    void start() {
        pipe.async_read_some(asio::buffer(chunk), [this](boost::system::error_code ec, size_t n) {
            if (n) {
                sink.append(chunk.data(), n);
                emit_lines(false);
            }
            if (!ec) start();
            else emit_lines(true);
        });
    }
    void emit_lines(bool at_end) {
        if (!on_line || !*on_line) return;
        for (size_t nl; (nl = sink.find('\n', line_start)) != std::string::npos; line_start = nl + 1)
            (*on_line)(sink.substr(line_start, nl - line_start));
        if (at_end && line_start < sink.size()) {
            (*on_line)(sink.substr(line_start));
            line_start = sink.size();
        }
    }
};

}  // namespace

ProcessResult run_process(const std::string &program, const std::vector<std::string> &args,
                          const ProcessOptions &options) {
    ProcessResult result;
    std::string exe = find_on_path(program);
    if (exe.empty()) {
        result.start_error = program + ": not found";
        return result;
    }
    asio::io_context ctx;
    PipeReader out(ctx, result.output, &options.on_line);
    PipeReader err(ctx, options.merge_stderr ? result.output : result.error_output,
                   options.merge_stderr ? &options.on_line : nullptr);

    std::unordered_map<std::string, std::string> env;
    for (const auto &kv : bp::environment::current()) {
        std::string key = kv.key().string();
        env[key] = kv.value().string();
    }
    for (const auto &name : options.env_unset) env.erase(name);
    for (const auto &[k, v] : options.env_set) env[k] = v;
    std::vector<std::string> env_lines;
    for (const auto &[k, v] : env) env_lines.push_back(k + "=" + v);

    boost::system::error_code ec;
    std::optional<bp::process> proc;
    try {
        bp::process_stdio stdio{nullptr, out.pipe, err.pipe};
        if (options.working_dir)
            proc.emplace(ctx, exe, args, stdio, bp::process_environment(env_lines),
                         bp::process_start_dir(*options.working_dir));
        else
            proc.emplace(ctx, exe, args, stdio, bp::process_environment(env_lines));
    } catch (const std::exception &e) {
        result.start_error = e.what();
        return result;
    }
    result.started = true;
    out.start();
    err.start();

    asio::steady_timer deadline(ctx, options.timeout);
    bool exited = false;
    int native_status = 0;
    proc->async_wait([&](boost::system::error_code wait_ec, int) {
        exited = true;
        deadline.cancel();
        (void)wait_ec;
    });
    deadline.async_wait([&](boost::system::error_code timer_ec) {
        if (timer_ec || exited) return;
        result.timed_out = true;
        boost::system::error_code ignore;
        proc->terminate(ignore);  // SIGKILL
    });
    ctx.run();
    native_status = proc->native_exit_code();
    if (WIFSIGNALED(native_status)) {
        result.signal = WTERMSIG(native_status);
    } else if (WIFEXITED(native_status)) {
        result.exit_code = WEXITSTATUS(native_status);
    }
    if (result.timed_out) result.signal = 0;
    return result;
}

}  // namespace gpuhost
