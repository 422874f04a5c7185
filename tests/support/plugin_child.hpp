// Calling one plugin's C entry points in a forked child with a deadline, as
// the detection engine runs plugins: a plugin or driver that hangs or crashes
// costs only that child. For tests of plugins against the fake drivers in
// tests/drivers (GPUHOST_TEST_DRIVER_DIR).
#pragma once
#include "gpuhost/plugin_abi.h"
#include "support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <csignal>
#include <dlfcn.h>
#include <functional>
#include <map>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace gpuhost::test {

struct ChildResult {
    bool timed_out = false;
    int signal = 0;        // what killed the child, when something did
    int status = -1;       // the gpuhost_status it returned
    std::string text;      // what it emitted
};

inline void append(void *ctx, const char *text, size_t length) { static_cast<std::string *>(ctx)->append(text, length); }

inline const gpuhost_plugin_i *load_plugin(const char *file) {
    void *lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!lib) return nullptr;
    auto entry = reinterpret_cast<gpuhost_plugin_entry_fn>(dlsym(lib, GPUHOST_PLUGIN_ENTRY_SYMBOL));
    const gpuhost_plugin_i *table = nullptr;
    return entry && entry(GPUHOST_ABI_CURRENT, &table) == GPUHOST_OK ? table : nullptr;
}

// Runs call(plugin, host) in a child with env set ("" value: unset), the
// plugin loaded from plugin_file and an empty recorded machine as its sysroot;
// the child sends back the status and text through a pipe.
inline ChildResult in_child(const char *plugin_file, const std::map<std::string, std::string> &env,
                     const std::function<int(const gpuhost_plugin_i &, const gpuhost_host_i &, std::string &)> &call,
                     std::chrono::seconds deadline = std::chrono::seconds(20)) {
    TempDir sysroot;  // an empty recorded machine: nothing of this one leaks in
    int fds[2];
    BOOST_REQUIRE(pipe(fds) == 0);
    pid_t pid = fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        // Boost.Test's handlers would catch a crash here and go on running tests in the child.
        for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(sig, SIG_DFL);
        for (const auto &[k, v] : env) v.empty() ? unsetenv(k.c_str()) : setenv(k.c_str(), v.c_str(), 1);
        const gpuhost_plugin_i *plugin = load_plugin(plugin_file);
        if (!plugin) _exit(90);
        std::string root = sysroot.path().string(), text;
        gpuhost_host_i host{sizeof(gpuhost_host_i), GPUHOST_ABI_CURRENT, nullptr, root.c_str(), nullptr, nullptr};
        int status = call(*plugin, host, text);
        std::string message = std::to_string(status) + "\n" + text;
        for (size_t off = 0; off < message.size();) {
            ssize_t n = write(fds[1], message.data() + off, message.size() - off);
            if (n <= 0) _exit(91);
            off += size_t(n);
        }
        _exit(0);
    }
    close(fds[1]);
    ChildResult r;
    std::string received;
    auto until = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
        if (left <= 0) { r.timed_out = true; break; }
        pollfd p{fds[0], POLLIN, 0};
        if (poll(&p, 1, int(left)) <= 0) continue;
        char buf[4096];
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n <= 0) break;
        received.append(buf, size_t(n));
    }
    close(fds[0]);
    if (r.timed_out) kill(pid, SIGKILL);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    if (WIFSIGNALED(wstatus) && !r.timed_out) r.signal = WTERMSIG(wstatus);
    if (WIFEXITED(wstatus)) BOOST_REQUIRE_MESSAGE(WEXITSTATUS(wstatus) == 0, "child could not load the plugin");
    if (auto nl = received.find('\n'); nl != std::string::npos) {
        r.status = std::stoi(received.substr(0, nl));
        r.text = received.substr(nl + 1);
    }
    return r;
}

// A fake driver library in GPUHOST_TEST_DRIVER_DIR: driver("fake_hip").
inline std::string driver(const std::string &name) { return std::string(GPUHOST_TEST_DRIVER_DIR) + "/lib" + name + ".so"; }

}  // namespace gpuhost::test
