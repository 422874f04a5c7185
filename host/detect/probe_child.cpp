#include "probe_child.hpp"

#include <algorithm>

#include "../core/child_setup.hpp"
#include "../core/files.hpp"
#include "../core/process_supervisor.hpp"
#include "../core/log.hpp"
#include "../core/paths.hpp"
#include "../core/tool_runner.hpp"
#include "../plugins/plugin_library.hpp"

#include <boost/asio.hpp>
#include <boost/process/v2.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <set>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace asio = boost::asio;
namespace bp = boost::process::v2;
namespace fs = std::filesystem;

namespace gpuhost {

namespace {

// What a --load-only child prints once the library is loaded and negotiated.
constexpr const char *kLoadedLine = "gpuhost-probe: loaded\n";

// A size setting in MiB from the environment, as bytes: `fallback` when unset
// or outside min..max (a typo must not lift a limit).
size_t mib_setting(const char *name, long long fallback, long long min, long long max) {
    long long mib = fallback;
    if (const char *v = std::getenv(name); v && *v) {
        char *end = nullptr;
        long long parsed = std::strtoll(v, &end, 10);
        if (end && !*end && parsed >= min && parsed <= max) mib = parsed;
    }
    return size_t(mib) << 20;
}

// What a probe child may print: GPUHOST_PROBE_OUTPUT_MIB (default 16, far more
// than any real detect reply of a few KiB per device; 1 to 1024), read once.
size_t max_probe_output_bytes() {
    static const size_t bytes = mib_setting("GPUHOST_PROBE_OUTPUT_MIB", 16, 1, 1024);
    return bytes;
}

// A probe that allocates without end stops at this much data memory, not at
// the machine's: GPUHOST_PROBE_MEMORY_MIB (default 4096, 0 = no limit).
struct ProbeMemoryLimit {
    template <typename Launcher, typename Path>
    boost::system::error_code on_exec_setup(Launcher &, const Path &, const char *const *&) {
        rlimit limit{bytes, bytes};
        if (bytes) ::setrlimit(RLIMIT_DATA, &limit);
        return {};
    }
    rlim_t bytes = rlim_t(mib_setting("GPUHOST_PROBE_MEMORY_MIB", 4096, 0, 1LL << 24));
};

}  // namespace

namespace {

std::string last_line(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    auto nl = text.rfind('\n');
    if (nl != std::string::npos) text = text.substr(nl + 1);
    if (text.size() > 300) text = text.substr(0, 300) + "...";
    return text;
}

std::string seconds_text(std::chrono::milliseconds ms) {
    char buf[32];
    if (ms.count() % 1000 == 0) std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(ms.count() / 1000));
    else std::snprintf(buf, sizeof buf, "%.1f s", ms.count() / 1000.0);
    return buf;
}

// One child: its pipes, its deadline, what it said.
struct Probe {
    Manifest manifest;
    asio::readable_pipe out, err;
    asio::steady_timer deadline;
    std::optional<bp::process> process;
    std::string stdout_text, stderr_text;
    std::string start_error;
    bool exited = false, timed_out = false;
    int open_streams = 2;
    int native_status = 0;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    double seconds = 0;

    Probe(asio::io_context &ctx, Manifest m) : manifest(std::move(m)), out(ctx), err(ctx), deadline(ctx) {}

    void finish_if_done() {
        if (!exited || open_streams > 0) return;
        deadline.cancel();
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    bool flooded = false;  // printed more than max_probe_output_bytes(): killed, not read further

    void read(asio::readable_pipe &pipe, std::string &sink) {
        auto buffer = std::make_shared<std::array<char, 16384>>();
        pipe.async_read_some(asio::buffer(*buffer), [this, &pipe, &sink, buffer](boost::system::error_code ec, size_t n) {
            const size_t cap = max_probe_output_bytes();
            sink.append(buffer->data(), std::min(n, cap - std::min(sink.size(), cap)));
            if (!ec && sink.size() >= cap) {
                // A plugin printing without end must not fill our memory: stop it.
                flooded = true;
                if (process && process->id() > 0) ::kill(process->id(), SIGTERM);
                boost::system::error_code ignore;
                pipe.close(ignore);
                ec = asio::error::eof;
            }
            if (!ec) return read(pipe, sink);
            --open_streams;
            finish_if_done();
        });
    }
};

// Why a child did not give a usable answer, or "" when it exited with code 0 or
// with one of the codes that carry a detect status.
std::string child_failure(const Probe &p, std::chrono::milliseconds timeout) {
    if (!p.start_error.empty()) return "probe not started: " + p.start_error;
    if (p.flooded)
        return "printed more than " + std::to_string(max_probe_output_bytes() >> 20) +
               " MiB (stopped; GPUHOST_PROBE_OUTPUT_MIB raises the limit)";
    if (p.timed_out) return "no answer within " + seconds_text(timeout) + " (killed)";
    if (WIFSIGNALED(p.native_status)) return "crashed with " + signal_name(WTERMSIG(p.native_status));
    int code = WIFEXITED(p.native_status) ? WEXITSTATUS(p.native_status) : -1;
    if (code == 0 || (code > kProbeStatusBase && code <= kProbeStatusBase + GPUHOST_ERR_INTERNAL)) return "";
    if (code == kProbeLoadFailed) return "did not load: " + last_line(p.stderr_text);
    std::string why = "probe exited with code " + std::to_string(code);
    if (auto line = last_line(p.stderr_text); !line.empty()) why += ": " + line;
    return why;
}

ProbeResult interpret(const Probe &p, std::chrono::milliseconds timeout) {
    ProbeResult r;
    if (auto why = child_failure(p, timeout); !why.empty()) {
        r.outcome.plugin = p.manifest.name;
        r.outcome.status = "failed";
        r.outcome.reason = why;
        r.broke = true;
    } else {
        int code = WEXITSTATUS(p.native_status);
        r = interpret_detect_reply(p.manifest.name, code == 0 ? GPUHOST_OK : gpuhost_status(code - kProbeStatusBase),
                                   p.stdout_text);
    }
    r.outcome.seconds = p.seconds;
    return r;
}

// What the child logged reaches the user (its warnings, a driver's banner), except
// a load failure's message, which is already the reason.
void pass_on_messages(const Probe &p) {
    bool load_failed = WIFEXITED(p.native_status) && WEXITSTATUS(p.native_status) == kProbeLoadFailed;
    if (!p.stderr_text.empty() && !load_failed)
        std::cerr << p.stderr_text << (p.stderr_text.back() == '\n' ? "" : "\n");
}

// Starts `program __probe ... extra [own_extra[i]]` for each plugin at once and
// waits for all, killing each at its deadline.
std::vector<std::unique_ptr<Probe>> run_children(asio::io_context &ctx, const std::vector<Manifest> &plugins,
                                                 const fs::path &program, const std::vector<std::string> &extra,
                                                 std::chrono::milliseconds timeout,
                                                 const std::vector<std::vector<std::string>> &own_extra = {}) {
    std::vector<std::unique_ptr<Probe>> probes;
    for (size_t i = 0; i < plugins.size(); ++i) {
        const Manifest &m = plugins[i];
        auto p = std::make_unique<Probe>(ctx, m);
        Probe &probe = *p;
        probes.push_back(std::move(p));
        std::vector<std::string> args = {"__probe", "--plugin", m.name, "--manifest", m.file.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        if (i < own_extra.size()) args.insert(args.end(), own_extra[i].begin(), own_extra[i].end());
        try {
            bp::process_stdio stdio{nullptr, probe.out, probe.err};
            // Supervised: what the plugin leaves running (a setsid daemon holding our
            // pipe) dies when the probe ends, so it costs no deadline.
            probe.process.emplace(ctx, program.string(), args, stdio, DieWithParent{}, ProbeMemoryLimit{},
                                  SupervisedTree{});
        } catch (const std::exception &e) {
            probe.start_error = e.what();
            continue;
        }
        probe.read(probe.out, probe.stdout_text);
        probe.read(probe.err, probe.stderr_text);
        probe.process->async_wait([&probe](boost::system::error_code, int) {
            probe.exited = true;
            probe.native_status = probe.process->native_exit_code();
            probe.finish_if_done();
        });
        probe.deadline.expires_after(timeout);
        probe.deadline.async_wait([&probe](boost::system::error_code ec) {
            if (ec) return;  // cancelled: the probe finished in time
            if (!probe.exited) {
                probe.timed_out = true;
                // The supervisor kills the whole tree on SIGTERM; SIGKILL reaches
                // the probe through its death signal if the supervisor is gone.
                if (probe.process->id() > 0) ::kill(probe.process->id(), SIGTERM);
            }
            // A grandchild may still hold the pipes open: stop reading them.
            boost::system::error_code ignore;
            probe.out.close(ignore);
            probe.err.close(ignore);
        });
    }
    ctx.run();
    return probes;
}

}  // namespace

fs::path default_probe_program() {
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec && self.filename() == "gpuhost") return self;
    fs::path beside = paths::executable_dir() / "gpuhost";
    return fs::exists(beside, ec) ? beside : fs::path();
}

std::vector<ProbeResult> probe_isolated(const std::vector<Manifest> &plugins, const fs::path &program,
                                        const std::string &sysroot, std::chrono::milliseconds timeout) {
    asio::io_context ctx;
    // The child logs at this process's level; what it logs is passed on below.
    std::vector<std::string> extra = {"--log-level", std::to_string(int(log::level()))};
    if (!sysroot.empty()) extra.insert(extra.end(), {"--sysroot", sysroot});
    // Longest first: the vendor-neutral probes load whole drivers (llvmpipe and
    // PoCL bring LLVM), so they start before the quick sysfs readers and the
    // cores are never left to them alone at the end. Results keep the given order.
    std::vector<size_t> order(plugins.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_partition(order.begin(), order.end(), [&](size_t i) { return plugins[i].kind == "probe"; });
    std::vector<Manifest> launch;
    for (size_t i : order) launch.push_back(plugins[i]);
    auto children = run_children(ctx, launch, program, extra, timeout);
    std::vector<std::unique_ptr<Probe>> in_given_order(plugins.size());
    for (size_t k = 0; k < order.size(); ++k) in_given_order[order[k]] = std::move(children[k]);
    std::vector<ProbeResult> results;
    for (const auto &p : in_given_order) {
        results.push_back(interpret(*p, timeout));
        pass_on_messages(*p);
    }
    return results;
}

std::vector<std::string> check_loads_isolated(const std::vector<Manifest> &plugins, const fs::path &program,
                                              std::chrono::milliseconds timeout) {
    asio::io_context ctx;
    std::vector<std::string> reasons;
    for (const auto &p : run_children(ctx, plugins, program, {"--load-only"}, timeout)) {
        std::string why = child_failure(*p, timeout);
        // A library whose constructor calls exit(0) "succeeds" without loading.
        if (why.empty() && p->stdout_text != kLoadedLine)
            why = "the process ended while loading, before the plugin answered (exit in a constructor?)";
        reasons.push_back(why);
    }
    return reasons;
}

PluginSet load_plugins_checked(PluginSearchOptions options, std::chrono::milliseconds timeout) {
    options.defer_loading = true;
    PluginSet set = load_plugins(options);
    fs::path program = default_probe_program();
    std::set<std::string> broken;
    if (!program.empty()) {
        auto reasons = check_loads_isolated(set.deferred, program, timeout);
        for (size_t i = 0; i < reasons.size(); ++i)
            if (!reasons[i].empty()) {
                set.rejected.push_back({set.deferred[i].file, set.deferred[i].name, "load check: " + reasons[i]});
                broken.insert(set.deferred[i].name);
            }
    }
    set.load_deferred([&](const std::string &name) { return broken.count(name) == 0; });
    set.deferred.clear();
    return set;
}

namespace {

// A private folder for the calls' request files, removed with everything in it.
struct RequestFolder {
    fs::path path;
    RequestFolder() {
        std::string pattern = (fs::temp_directory_path() / "gpuhost-calls-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot make a folder in " + fs::temp_directory_path().string());
        path = pattern;
    }
    ~RequestFolder() {
        std::error_code ignore;
        fs::remove_all(path, ignore);
    }
};

}  // namespace

std::vector<PluginCallsResult> call_plugins_isolated(const std::vector<PluginCallsRequest> &requests,
                                                     const fs::path &program, const std::string &sysroot,
                                                     std::chrono::milliseconds timeout) {
    std::vector<PluginCallsResult> results(requests.size());
    if (requests.empty()) return results;
    RequestFolder folder;
    std::vector<Manifest> plugins;
    std::vector<std::vector<std::string>> own;
    for (size_t i = 0; i < requests.size(); ++i) {
        boost::json::array devices;
        for (const auto &d : requests[i].devices) devices.emplace_back(d);
        boost::json::object request{{"workload", requests[i].workload}, {"devices", std::move(devices)}};
        fs::path file = folder.path / (std::to_string(i) + ".json");
        write_file_atomic(file, boost::json::serialize(request));
        plugins.push_back(requests[i].manifest);
        own.push_back({"--calls", file.string()});
    }
    std::vector<std::string> extra = {"--log-level", std::to_string(int(log::level()))};
    if (!sysroot.empty()) extra.insert(extra.end(), {"--sysroot", sysroot});
    asio::io_context ctx;
    auto children = run_children(ctx, plugins, program, extra, timeout, own);
    for (size_t i = 0; i < children.size(); ++i) {
        const Probe &p = *children[i];
        PluginCallsResult &r = results[i];
        pass_on_messages(p);
        r.failure = child_failure(p, timeout);
        if (r.failure.empty() && WEXITSTATUS(p.native_status) != 0)
            r.failure = "probe exited with code " + std::to_string(WEXITSTATUS(p.native_status));
        if (!r.failure.empty()) continue;
        // The child's reply is data like any plugin output: checked before use.
        auto reply = [](const boost::json::value &v, PluginReply &out) {
            const auto *o = v.if_object();
            const auto *status = o ? o->if_contains("status") : nullptr;
            const auto *text = o ? o->if_contains("text") : nullptr;
            if (!status || !status->is_int64() || !text || !text->is_string()) return false;
            auto code = status->as_int64();
            if (code < GPUHOST_OK || code > GPUHOST_ERR_INTERNAL) return false;
            out.status = gpuhost_status(code);
            out.text = std::string(text->as_string());
            return true;
        };
        boost::system::error_code ec;
        auto value = boost::json::parse(p.stdout_text, ec);
        const auto *list = !ec && value.is_object() ? value.as_object().if_contains("replies") : nullptr;
        bool good = list && list->is_array() && list->as_array().size() == requests[i].devices.size();
        for (size_t k = 0; good && k < list->as_array().size(); ++k) {
            const auto *one = list->as_array()[k].if_object();
            PluginCallsResult::Replies replies;
            good = one && one->contains("install") && one->contains("score") && reply(one->at("install"), replies.install) &&
                   reply(one->at("score"), replies.score);
            if (good) r.replies.push_back(std::move(replies));
        }
        if (!good) {
            r.replies.clear();
            r.failure = "answered something that is not a reply to its calls";
        }
    }
    return results;
}

namespace {

// The child's side of call_plugins_isolated: every device's install and score.
std::string answer_calls(const PluginLibrary &library, const ToolRunner &tools, const fs::path &calls_file) {
    auto text = read_text(calls_file);
    if (!text) throw std::runtime_error("cannot read " + calls_file.string());
    auto request = parse_json(*text, calls_file.string());
    const auto &o = request.as_object();
    std::string workload(o.at("workload").as_string());
    boost::json::array replies;
    for (const auto &device : o.at("devices").as_array()) {
        std::string d(device.as_string());
        auto install = library.install(tools, d);
        auto score = library.score(tools, d, workload);
        replies.push_back(boost::json::object{
            {"install", boost::json::object{{"status", int(install.status)}, {"text", install.text}}},
            {"score", boost::json::object{{"status", int(score.status)}, {"text", score.text}}}});
    }
    return boost::json::serialize(boost::json::object{{"replies", std::move(replies)}});
}

}  // namespace

int run_probe_child(const std::string &plugin, const fs::path &manifest_file, const std::string &sysroot,
                    bool load_only, const fs::path &calls_file) {
#ifdef __linux__
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    // Drivers and plugins may print to stdout; only the reply may reach it, so
    // stdout becomes stderr until the reply is written to the saved descriptor.
    int reply_fd = ::dup(STDOUT_FILENO);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    rlimit no_core{0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);  // a crashing driver should not leave a core dump each detection
    std::shared_ptr<PluginLibrary> library;
    try {
        Manifest m = read_manifest(manifest_file);
        if (m.name != plugin) throw PluginLoadError(manifest_file.string() + " names plugin \"" + m.name + "\"");
        library = PluginLibrary::load(m);
    } catch (const std::exception &e) {
        std::cerr << e.what() << "\n";
        return kProbeLoadFailed;
    }
    if (load_only) {
        ssize_t ignored = ::write(reply_fd, kLoadedLine, std::strlen(kLoadedLine));
        (void)ignored;
        return 0;
    }
    ToolRunner tools(sysroot);
    PluginReply reply;
    if (!calls_file.empty()) {
        try {
            reply = {GPUHOST_OK, answer_calls(*library, tools, calls_file)};
        } catch (const std::exception &e) {
            std::cerr << "gpuhost __probe --calls: " << e.what() << "\n";
            return kProbeBadRequest;
        }
    } else {
        boost::json::object request{{"schema", 1}, {"sysroot", sysroot}};
        reply = library->detect(tools, boost::json::serialize(request));
    }
    std::cout.flush();
    std::fflush(stdout);
    for (size_t done = 0; done < reply.text.size();) {
        ssize_t n = ::write(reply_fd, reply.text.data() + done, reply.text.size() - done);
        if (n <= 0) return kProbeReplyLost;  // the parent is gone or the pipe broke
        done += size_t(n);
    }
    return reply.status == GPUHOST_OK ? 0 : kProbeStatusBase + int(reply.status);
}

}  // namespace gpuhost
