// A child process that runs while the test goes on (a wheel server, a gpuhost
// run to interrupt). Killed and reaped by its destructor.
#pragma once
#include <csignal>
#include <fcntl.h>
#include <map>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace gpuhost::test {

class BackgroundProcess {
public:
    // env: added to (or, with an empty value and unset=true, removed from) this process's environment.
    BackgroundProcess(const std::vector<std::string> &argv, const std::map<std::string, std::string> &env_set = {},
                      const std::vector<std::string> &env_unset = {}, const std::string &output_file = {}) {
        std::map<std::string, std::string> env;
        for (char **e = environ; *e; ++e) {
            std::string kv(*e);
            auto eq = kv.find('=');
            if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
        for (const auto &name : env_unset) env.erase(name);
        for (const auto &[k, v] : env_set) env[k] = v;
        std::vector<std::string> env_lines;
        for (const auto &[k, v] : env) env_lines.push_back(k + "=" + v);
        std::vector<char *> envp, args;
        for (auto &l : env_lines) envp.push_back(l.data());
        envp.push_back(nullptr);
        std::vector<std::string> copy = argv;
        for (auto &a : copy) args.push_back(a.data());
        args.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        if (!output_file.empty()) {
            posix_spawn_file_actions_addopen(&actions, 1, output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            posix_spawn_file_actions_adddup2(&actions, 1, 2);
        }
        if (posix_spawnp(&pid_, args[0], &actions, nullptr, args.data(), envp.data()) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
    }
    ~BackgroundProcess() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            wait();
        }
    }
    BackgroundProcess(const BackgroundProcess &) = delete;
    BackgroundProcess &operator=(const BackgroundProcess &) = delete;

    pid_t pid() const { return pid_; }
    void signal(int sig) const { ::kill(pid_, sig); }
    // The raw wait status.
    int wait() {
        if (reaped_) return status_;
        ::waitpid(pid_, &status_, 0);
        reaped_ = true;
        return status_;
    }

private:
    pid_t pid_ = -1;
    bool reaped_ = false;
    int status_ = 0;
};

}  // namespace gpuhost::test
