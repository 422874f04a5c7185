#include "env_lock.hpp"

#include "env_state.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace gpuhost::env {

EnvLock &EnvLock::operator=(EnvLock &&other) noexcept {
    if (this != &other) {
        release();
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

EnvLock::~EnvLock() { release(); }

void EnvLock::release() {
    if (fd_ >= 0) {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
        fd_ = -1;
    }
}

struct EnvLockAccess {
    static void set(EnvLock &l, int fd) { l.fd_ = fd; }
};

EnvLock lock_environment(const fs::path &env, std::chrono::milliseconds timeout,
                         const std::function<void(const std::string &)> &on_wait,
                         const std::function<bool()> &cancelled) {
    fs::create_directories(env);
    fs::path file = env / kLockFileName;
    int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error(file.string() + ": cannot open lock file (" + std::strerror(errno) + ")");
    auto deadline = std::chrono::steady_clock::now() + timeout;
    bool told = false;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            int err = errno;
            ::close(fd);
            throw std::runtime_error(file.string() + ": cannot lock (" + std::strerror(err) + ")");
        }
        if (!told && on_wait) {
            char buf[256] = {};
            ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
            std::string holder = n > 0 ? std::string(buf, size_t(n)) : "another gpuhost run";
            while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
            on_wait(holder);
            told = true;
        }
        if (std::chrono::steady_clock::now() >= deadline || (cancelled && cancelled())) {
            ::close(fd);
            throw LockTimeout(env.string() + " is locked by another gpuhost run; gave up after " +
                              std::to_string(timeout.count() / 1000) + " s (" + file.string() + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    // Who holds it, for the message another run prints while it waits.
    std::string me = "gpuhost pid " + std::to_string(::getpid()) + " since " + utc_now() + "\n";
    if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, me.data(), me.size(), 0);
    EnvLock lock;
    EnvLockAccess::set(lock, fd);
    return lock;
}

}  // namespace gpuhost::env
