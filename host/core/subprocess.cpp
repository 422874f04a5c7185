#include "subprocess.hpp"

#include "child_setup.hpp"
#include "process_supervisor.hpp"

#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
#include <boost/process/v2/src.hpp>  // v2 is not header-only in 1.81: compiled into this one file
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <pty.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace asio = boost::asio;
namespace bp = boost::process::v2;

namespace gpuhost {

std::string ProcessResult::describe() const {
    if (!started) return "not started: " + start_error;
    if (timed_out) return "timed out (killed at its deadline)";
    if (cancelled) return "cancelled (interrupted)";
    if (signal) return "killed by " + signal_name(signal);
    return "exit code " + std::to_string(exit_code);
}

std::string find_on_path(const std::string &program) {
    if (program.find('/') != std::string::npos)
        return ::access(program.c_str(), X_OK) == 0 ? program : std::string();
    auto found = bp::environment::find_executable(program);
    return found.empty() ? std::string() : found.string();
}

namespace {

// Reads a pipe (or a pseudo-terminal's master side) to its end, handing
// complete lines to on_line and raw chunks to on_raw as they arrive.
template <class Stream>
struct StreamReader {
    Stream pipe;
    std::string &sink;
    const std::function<void(const std::string &)> *on_line;
    const std::function<void(const std::string &)> *on_raw = nullptr;
    std::array<char, 8192> chunk{};
    size_t &line_start;  // shared by both readers when stderr is merged into one sink
    std::function<void()> on_end;  // the pipe reached its end (or was closed; a pty answers EIO)

    StreamReader(asio::io_context &ctx, std::string &s, const std::function<void(const std::string &)> *cb,
                 size_t &start)
        : pipe(ctx), sink(s), on_line(cb), line_start(start) {}

    void start() {
        pipe.async_read_some(asio::buffer(chunk), [this](boost::system::error_code ec, size_t n) {
            if (n) {
                sink.append(chunk.data(), n);
                if (on_raw && *on_raw) (*on_raw)(std::string(chunk.data(), n));
                emit_lines(false);
            }
            if (!ec) return start();
            emit_lines(true);
            if (on_end) on_end();
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

using PipeReader = StreamReader<asio::readable_pipe>;
using TerminalReader = StreamReader<asio::posix::stream_descriptor>;

// A pseudo-terminal the size of ours (80x24 when stderr is no terminal).
bool open_terminal(int &master, int &slave) {
    struct winsize size {};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) {
        size.ws_col = 80;
        size.ws_row = 24;
    }
    if (openpty(&master, &slave, nullptr, nullptr, &size) != 0) return false;
    ::fcntl(master, F_SETFD, FD_CLOEXEC);
    return true;
}

// Kills the child's whole process group (it leads its own), so what it
// started dies with it; falls back to the child alone if the group is gone.
void kill_group(bp::process &proc) {
    pid_t pid = proc.id();
    if (pid <= 0) return;
    if (::kill(-pid, SIGKILL) != 0) ::kill(pid, SIGKILL);
}

// A supervised child (process_supervisor.hpp) is asked with SIGTERM, so it can
// kill what left the process group too (setsid daemons); the group gets
// SIGKILL after a grace period in case the supervisor itself is stuck.
void stop_tree(bp::process &proc, bool supervised, asio::steady_timer &grace) {
    if (!supervised) return kill_group(proc);
    if (proc.id() > 0) ::kill(proc.id(), SIGTERM);
    grace.expires_after(std::chrono::seconds(3));
    grace.async_wait([&proc](boost::system::error_code ec) {
        if (!ec) kill_group(proc);
    });
}

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
    size_t out_start = 0, err_start = 0;
    PipeReader out(ctx, result.output, &options.on_line, out_start);
    PipeReader err(ctx, options.merge_stderr ? result.output : result.error_output,
                   options.merge_stderr ? &options.on_line : nullptr, options.merge_stderr ? out_start : err_start);

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
    TerminalReader tty(ctx, result.output, &options.on_line, out_start);
    int master = -1, slave = -1;
    if (options.terminal && !open_terminal(master, slave)) {
        result.start_error = std::string("no pseudo-terminal: ") + std::strerror(errno);
        return result;
    }
    try {
        auto start = [&](auto stdio) {
            DieWithParent tie{options.die_with_parent};
            SupervisedTree tree{options.die_with_parent};
            if (options.working_dir)
                proc.emplace(ctx, exe, args, stdio, bp::process_environment(env_lines),
                             bp::process_start_dir(*options.working_dir), tie, OwnProcessGroup{}, tree);
            else
                proc.emplace(ctx, exe, args, stdio, bp::process_environment(env_lines), tie, OwnProcessGroup{}, tree);
        };
        if (options.terminal) start(bp::process_stdio{nullptr, slave, slave});
        else start(bp::process_stdio{nullptr, out.pipe, err.pipe});
    } catch (const std::exception &e) {
        if (slave >= 0) ::close(slave), ::close(master);
        result.start_error = e.what();
        return result;
    }
    result.started = true;
    if (options.terminal) {
        ::close(slave);  // the child holds it now; the master reads EIO when the last holder is gone
        tty.pipe.assign(master);
        tty.on_raw = &options.on_raw;
        boost::system::error_code ignore;
        out.pipe.close(ignore);
        err.pipe.close(ignore);
    } else {
        out.on_raw = &options.on_raw;
    }

    // The wait ends when the child has exited and both pipes are at their end.
    // A grandchild may keep a pipe open after the child exits: the pipes then
    // get a short grace period and are closed, so the wait is always bounded.
    asio::steady_timer deadline(ctx, options.timeout);
    asio::steady_timer poll(ctx);
    asio::steady_timer pipe_grace(ctx);
    asio::steady_timer kill_grace(ctx);
    bool exited = false;
    int open_pipes = options.terminal ? 1 : 2;
    auto pipe_ended = [&] {
        if (--open_pipes == 0) pipe_grace.cancel();
    };
    out.on_end = pipe_ended;
    err.on_end = pipe_ended;
    tty.on_end = pipe_ended;
    if (options.terminal) {
        tty.start();
    } else {
        out.start();
        err.start();
    }
    proc->async_wait([&](boost::system::error_code, int) {
        exited = true;
        deadline.cancel();
        poll.cancel();
        kill_grace.cancel();
        if (open_pipes == 0) return;
        pipe_grace.expires_after(options.pipe_grace);
        pipe_grace.async_wait([&](boost::system::error_code timer_ec) {
            if (timer_ec) return;  // both pipes ended in time
            boost::system::error_code ignore;
            out.pipe.close(ignore);
            err.pipe.close(ignore);
            tty.pipe.close(ignore);
        });
    });
    deadline.async_wait([&](boost::system::error_code timer_ec) {
        if (timer_ec || exited) return;
        result.timed_out = true;
        stop_tree(*proc, options.die_with_parent, kill_grace);
    });
    std::function<void()> poll_cancel = [&] {
        poll.expires_after(std::chrono::milliseconds(100));
        poll.async_wait([&](boost::system::error_code timer_ec) {
            if (timer_ec || exited) return;
            if (options.cancelled()) {
                result.cancelled = true;
                stop_tree(*proc, options.die_with_parent, kill_grace);
                return;
            }
            poll_cancel();
        });
    };
    if (options.cancelled) poll_cancel();
    ctx.run();
    int native_status = proc->native_exit_code();
    if (WIFSIGNALED(native_status)) {
        result.signal = WTERMSIG(native_status);
    } else if (WIFEXITED(native_status)) {
        result.exit_code = WEXITSTATUS(native_status);
    }
    if (result.timed_out || result.cancelled) result.signal = 0;
    return result;
}

}  // namespace gpuhost
