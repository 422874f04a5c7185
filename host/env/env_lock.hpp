// An exclusive flock on ENV/.gpuhost.lock while a run changes the
// environment. The lock dies with the process (even on SIGKILL), and the file
// descriptor is close-on-exec so installers started meanwhile never hold it.
#pragma once
#include <chrono>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

namespace gpuhost::env {

class EnvLock {
public:
    EnvLock() = default;
    EnvLock(EnvLock &&other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    EnvLock &operator=(EnvLock &&other) noexcept;
    ~EnvLock();
    bool held() const { return fd_ >= 0; }
    void release();

private:
    friend struct EnvLockAccess;
    int fd_ = -1;
};

struct LockTimeout : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Waits up to `timeout` for the lock, calling on_wait once when it has to wait
// (with what the holder wrote: its pid and start time). Throws LockTimeout, or
// std::runtime_error when the file cannot be opened. `cancelled` stops waiting early.
EnvLock lock_environment(const std::filesystem::path &env, std::chrono::milliseconds timeout,
                         const std::function<void(const std::string &holder)> &on_wait,
                         const std::function<bool()> &cancelled = {});

inline constexpr const char *kLockFileName = ".gpuhost.lock";

}  // namespace gpuhost::env
